"""Numbers as offices and scripts write them: floats as Excel shows them, full-width digits, sane sizes."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaoping.core.numbers import float_as_shown, json_number, to_decimal
from tests.helpers import D


def test_a_cached_formula_float_reads_as_excel_shows_it():
    assert to_decimal(386.6000000000001) == D("386.6")
    assert to_decimal(0.1 + 0.2) == D("0.3")
    assert to_decimal(0.1) == D("0.1")


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e14, max_value=1e14))
def test_float_as_shown_keeps_fifteen_significant_digits(value: float):
    shown = float_as_shown(value)
    assert len(shown.normalize().as_tuple().digits) <= 15
    # the same number a spreadsheet shows: equal to the float when printed to 15 digits
    assert format(float(shown), ".15g") == format(value, ".15g")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("８５", "85"),
        ("８５．５", "85.5"),
        ("８５.５", "85.5"),
        ("１，２００", "1200"),
        ("－３", "-3"),
        ("\u22123", "-3"),
    ],
)
def test_full_width_digits_with_or_without_a_point(text: str, expected: str):
    assert to_decimal(text) == D(expected)


def test_full_width_percent_in_a_ratio_column():
    assert to_decimal("８５％") == D("0.85")


def test_a_percentage_is_refused_where_the_column_holds_points():
    with pytest.raises(ValueError, match="percentage"):
        to_decimal("85%", percent=False)
    assert to_decimal("85", percent=False) == D(85)


@pytest.mark.parametrize(
    "value",
    ["1e999999", "-1e999999", "1e-999999", "1e15", 10**15, 1e300, "NaN", "Infinity", "-inf", math.nan, math.inf],
)
def test_huge_exponents_and_non_numbers_are_errors_not_overflows(value: object):
    with pytest.raises(ValueError):
        to_decimal(value)


@pytest.mark.parametrize("text", ["1_000", "", "12abc", "一百"])
def test_text_that_is_not_a_plain_number_is_refused(text: str):
    with pytest.raises(ValueError, match="expected a number"):
        to_decimal(text)


def test_largest_accepted_number_has_fifteen_digits_before_the_point():
    assert to_decimal("999999999999999.5") == D("999999999999999.5")


@given(
    st.decimals(allow_nan=True, allow_infinity=True)
    | st.decimals(min_value=-(10**20), max_value=10**20, places=20)
    | st.builds(Decimal, st.text(alphabet="0123456789", min_size=1, max_size=40))
)
def test_json_number_never_raises_and_is_exact(value: Decimal):
    out = json_number(value)
    text = json.dumps(out)
    if isinstance(out, (int, float)):
        assert Decimal(text) == value
    else:  # carried as its exact text
        assert isinstance(out, str)
        assert not value.is_finite() or Decimal(out) == value
