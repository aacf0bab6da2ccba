"""Fixed-point numbers: a column of decimals as integers at one scale, and exact integer rounding.

A decimal ``12.35`` at scale 2 is the integer ``1235``. Every number the engine keeps (inputs, points,
part sums) is such an integer in an ``int64`` array, so sums are exact and a rank or grade can never move by
binary drift. A method that divides returns an exact fraction ``num / den`` and :func:`round_div` rounds it
to the scheme's precision in integers, with the scheme's rounding mode; no float is involved anywhere.

Where an integer could leave the ``int64`` range (a very large input, a long chain of factors), the array
is of Python integers instead (``dtype=object``): slower, never wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np

# Products are kept below this bound in int64 arrays; beyond it the arithmetic switches to Python ints.
INT64_SAFE = 2**62
# The most decimals a column keeps in int64 form; more are exact too, as Python ints.
MAX_SCALE = 18


def decimals(value: Decimal) -> int:
    """How many digits after the point a decimal carries (``Decimal("1E+2")`` carries none)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite: the readers refuse NaN and infinities
    return max(-exponent, 0)


def fixed_texts(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """The integers of decimal texts at the smallest scale that holds them all exactly, the mask of the
    present ones (``""`` is absent and stored as 0), and that scale.

    The texts (as :class:`~decimal.Decimal` writes them) are split at the point and joined again with the
    fraction padded to the common scale (``"7.5"`` at scale 2 → ``"750"``), all at once in numpy's string
    functions: exact, and several times faster than converting each decimal in Python.
    """
    present = texts != ""
    if len(texts) == 0:
        return np.zeros(0, dtype=np.int64), present, 0
    texts = np.where(present, texts, "0")
    if np.strings.find(texts, "E").max() >= 0:
        return _fixed_slowly(texts, present)
    head, _point, fraction = np.strings.partition(texts, ".")
    scale = int(np.strings.str_len(fraction).max())
    if int(np.strings.str_len(head).max()) + scale > MAX_SCALE:
        return _fixed_slowly(texts, present)
    digits = np.strings.add(head, np.strings.ljust(fraction, scale, "0")) if scale else head
    return digits.astype(np.int64), present, scale


def _fixed_slowly(texts: np.ndarray, present: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Decimal by decimal: for exponent notation and numbers too long for int64."""
    values = [Decimal(str(t)) for t in texts]
    scale = max((decimals(v) for v in values), default=0)
    return as_ints([int(v.scaleb(scale)) for v in values]), present, scale


def as_ints(values: Sequence[int] | np.ndarray) -> np.ndarray:
    """An int64 array when every value is safely inside its range, else an array of Python ints."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    array = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    if array.dtype == object:
        if max(abs(int(v)) for v in array) < INT64_SAFE:
            return array.astype(np.int64)
        return array
    return array


def round_div(num: np.ndarray, den: np.ndarray | int, mode: str) -> np.ndarray:
    """``num / den`` rounded to an integer with the named rounding mode, exactly; ``den`` > 0.

    The modes are those of :data:`kaoping.core.numbers.ROUNDING_MODES`: ``half_up`` (四舍五入, ties away from
    zero), ``half_even``, ``down`` (toward zero), ``up`` (away from zero), ``floor`` and ``ceiling``.
    """
    if mode == "floor":
        return num // den
    if mode == "ceiling":
        return -((-num) // den)
    negative = num < 0
    magnitude = np.where(negative, -num, num)
    if mode == "down":
        rounded = magnitude // den
    elif mode == "up":
        rounded = -((-magnitude) // den)
    elif mode == "half_up":
        rounded = (2 * magnitude + den) // (2 * den)
    elif mode == "half_even":
        quotient, remainder = magnitude // den, magnitude % den
        twice = 2 * remainder
        rounded = quotient + ((twice > den) | ((twice == den) & (quotient % 2 == 1)))
    else:
        raise ValueError(f"unknown rounding mode {mode!r}")
    return np.where(negative, -rounded, rounded)


def on_boundary(num: np.ndarray, den: np.ndarray, scale: int) -> np.ndarray:
    """Where ``num / den`` at ``scale`` lies exactly on a rounding boundary (a grid point or a half way).

    Only there can a rounding of an intermediate quotient (as decimal arithmetic does at 28 digits) change
    the rounded result; everywhere else the exact fraction and the decimal computation round alike.
    """
    twice = 2 * num * 10**scale
    return twice % den == 0


def terminates(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Where the fraction ``num / den`` has a finite decimal expansion (its reduced denominator has no
    prime factor but 2 and 5): decimal division computes such a quotient exactly."""
    reduced = den // np.gcd(num, den)
    for prime in (2, 5):
        while True:
            divisible = (reduced % prime == 0) & (reduced > 1)
            if not divisible.any():
                break
            reduced = np.where(divisible, reduced // prime, reduced)
    return reduced == 1


def to_decimal(value: int, scale: int) -> Decimal:
    """The decimal an integer at ``scale`` stands for (``1235`` at 2 → ``Decimal("12.35")``)."""
    return Decimal(int(value)).scaleb(-scale)
