"""Fixed-point arithmetic of the columnar engine against decimal arithmetic, for every rounding mode.

Rounding is the scheme's (docs/scheme-format.md: 「every trail entry is rounded to this precision when it is
created」, `half_up` 四舍五入 by default); the integer rounding must give decimal quantize's result on every
fraction, including halves, negatives and numbers beyond int64.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from kaoping.core.columnar.fixed import fixed_texts, on_boundary, round_div, terminates
from kaoping.core.numbers import ROUNDING_MODES, divide, quantize


@given(
    st.integers(-(10**6), 10**6),
    st.integers(1, 10**4),
    st.sampled_from(sorted(ROUNDING_MODES)),
)
def test_integer_rounding_is_decimal_quantize(num, den, mode):
    # a repeating quotient (28 digits in decimal) can only meet a boundary of 0.01 exactly when its reduced
    # denominator divides 200, which makes it terminate: so quantize and integer rounding agree everywhere
    exact = Decimal(num) / Decimal(den)
    expected = int(quantize(exact, Decimal("0.01"), mode).scaleb(2))
    assert int(round_div(np.array([num * 100]), np.array([den]), mode)[0]) == expected


def test_halves_round_as_each_mode_says():
    # 2.5, -2.5, 3.5 at a precision of 1: 四舍五入 takes halves away from zero, half_even to the even one
    num, den = np.array([5, -5, 7]), np.array([2, 2, 2])
    assert round_div(num, den, "half_up").tolist() == [3, -3, 4]
    assert round_div(num, den, "half_even").tolist() == [2, -2, 4]
    assert round_div(num, den, "down").tolist() == [2, -2, 3]
    assert round_div(num, den, "up").tolist() == [3, -3, 4]
    assert round_div(num, den, "floor").tolist() == [2, -3, 3]
    assert round_div(num, den, "ceiling").tolist() == [3, -2, 4]


def test_numbers_beyond_int64_round_exactly_as_python_integers():
    big = np.array([10**30 + 5], dtype=object)
    assert round_div(big, np.array([10], dtype=object), "half_up")[0] == 10**29 + 1


def test_a_boundary_reached_by_a_repeating_quotient_is_found():
    # 3 × (1/3) is exactly 1, a grid point; decimal division first makes 1/3 0.333…3 (28 digits)
    assert divide(Decimal(1), Decimal(3)) * 3 < 1
    assert on_boundary(np.array([3]), np.array([3]), 2)[0]
    assert not terminates(np.array([1]), np.array([3]))[0]
    assert terminates(np.array([1]), np.array([8]))[0]


def test_decimal_texts_become_integers_at_the_largest_scale():
    ints, present, scale = fixed_texts(np.array(["7.5", "-0.25", "", "12", "1E+1"]))
    assert scale == 2
    assert ints.tolist() == [750, -25, 0, 1200, 1000]
    assert present.tolist() == [True, True, False, True, True]
