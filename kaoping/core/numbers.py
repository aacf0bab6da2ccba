"""Exact decimal arithmetic for scores.

Every score is a :class:`decimal.Decimal`. Inputs are parsed from their text (never through ``float``),
so ``0.1 + 0.2`` is exactly ``0.3`` and no threshold, rank or grade can move by binary drift. Rounding
happens only where a scheme says it does: each trail entry is quantized to the scheme's precision when it
is created, and totals are exact sums of those entries.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

from kaoping.locale import _

ZERO = Decimal(0)
ONE = Decimal(1)

ROUNDING_MODES = {
    "half_up": decimal.ROUND_HALF_UP,  # 四舍五入, the usual reading in Chinese regulations
    "half_even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,  # truncation toward zero
    "up": decimal.ROUND_UP,
    "floor": decimal.ROUND_FLOOR,
    "ceiling": decimal.ROUND_CEILING,
}

# Intermediate results (ratios, weights) keep 28 significant digits before the scheme's rounding step.
_CONTEXT = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN)


def to_decimal(value: object) -> Decimal:
    """Parse a number written in a scheme or a data file; percentages such as ``"20%"`` are accepted.

    Floats are converted through their shortest ``repr`` so that a spreadsheet's ``0.1`` stays ``0.1``.
    Raises ``ValueError`` with the offending text when it is not a number.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError(_("expected a number, got '{value}'").format(value=value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(",", "").replace("，", "")
    percent = text.endswith("%") or text.endswith("％")
    if percent:
        text = text[:-1].strip()
    try:
        number = Decimal(text)
    except decimal.InvalidOperation:
        raise ValueError(_("expected a number, got '{value}'").format(value=value)) from None
    if not number.is_finite():
        raise ValueError(_("expected a finite number, got '{value}'").format(value=value))
    return number / 100 if percent else number


def quantize(value: Decimal, precision: Decimal, rounding: str = "half_up") -> Decimal:
    """Round ``value`` to the scheme's precision (e.g. ``Decimal("0.01")``) with the named mode."""
    return value.quantize(precision, rounding=ROUNDING_MODES[rounding], context=_CONTEXT)


def divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    """Exact-enough division for ratios; the caller rounds to the scheme precision afterwards."""
    return _CONTEXT.divide(numerator, denominator)


def format_points(value: Decimal) -> str:
    """Render points without a trailing ``.00`` but never in scientific notation."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def json_number(value: Decimal) -> int | float:
    """A JSON number whose text equals the decimal's text.

    A Decimal with at most 15 significant digits round-trips through ``float``'s shortest ``repr``
    exactly, which is what the JSON writer prints; larger ones are refused rather than silently changed.
    """
    normalized = value.normalize()
    if normalized == normalized.to_integral_value():
        return int(normalized)
    if len(normalized.as_tuple().digits) > 15:
        raise ValueError(_("{value} has more digits than a JSON number can carry exactly").format(value=value))
    return float(normalized)
