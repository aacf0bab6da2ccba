"""Exact decimal arithmetic for scores.

Every score is a :class:`decimal.Decimal`. Inputs are parsed from their text (never through ``float``),
so ``0.1 + 0.2`` is exactly ``0.3`` and no threshold, rank or grade can move by binary drift. Rounding
happens only where a scheme says it does: each trail entry is quantized to the scheme's precision when it
is created, and totals are exact sums of those entries.
"""

from __future__ import annotations

import decimal
import unicodedata
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
# Rendering never rounds: normalising a number for output keeps every digit it has.
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


# The largest magnitude a number may have: Excel's 15 significant digits before the point. Beyond it the
# exact arithmetic (28 digits) could no longer round to a scheme's precision, and no count, amount or
# score an office enters comes near it; smaller than the smallest, nothing real is that tiny.
MAX_EXPONENT = 14
MIN_EXPONENT = -20
EXCEL_DIGITS = 15
# NFKC turns full-width digits, point, comma, percent and signs into ASCII; these minus signs it keeps.
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-"})


def float_as_shown(value: float) -> Decimal:
    """A binary float as a spreadsheet shows it: at most 15 significant digits.

    A cached formula or a script writes ``386.6000000000001`` for what every person reads as 386.6; Excel
    itself keeps 15 significant digits, so reading a float to 15 digits gives the number the office meant.
    """
    return Decimal(format(value, f".{EXCEL_DIGITS}g"))


def to_decimal(value: object, percent: bool = True) -> Decimal:
    """Parse a number written in a scheme or a data file; percentages such as ``"20%"`` are accepted.

    Floats (from a workbook, a JSON file or TOML) are read as a spreadsheet shows them (15 significant
    digits). Text is read exactly, after full-width digits, point, comma, percent and signs are turned into
    their ASCII forms (``８５．５`` is 85.5, like ``８５`` is 85). ``percent=False`` refuses ``85%``, for
    columns that hold points rather than ratios. Raises ``ValueError`` with the offending text when it is
    not a finite number of a sane size.
    """
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, bool):
        raise ValueError(_("expected a number, got {value!r}").format(value=value))
    elif isinstance(value, int):
        if abs(value) >= 10 ** (MAX_EXPONENT + 1):
            raise ValueError(_("number {value!r} is too large (at most 15 digits)").format(value=value))
        return Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_("expected a finite number, got {value!r}").format(value=value))
        number = float_as_shown(value)
    elif isinstance(value, str):
        number = _parse_text(value, percent)
    else:
        raise ValueError(_("expected a number, got {value!r}").format(value=value))
    if not number.is_finite():
        raise ValueError(_("expected a finite number, got {value!r}").format(value=value))
    if number and not MIN_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        raise ValueError(_("number {value!r} is out of range (at most 15 digits before the point)").format(value=value))
    return number


def written_as_percent(value: object) -> bool:
    """Whether a cell's text is a percentage (``85%``, ``８５％``): a ratio, if the column holds one."""
    return isinstance(value, str) and _normal_text(value).endswith("%")


def _normal_text(value: str) -> str:
    return unicodedata.normalize("NFKC", value).translate(_MINUS_SIGNS).strip().replace(",", "")


def _parse_text(value: str, percent: bool) -> Decimal:
    text = _normal_text(value)
    is_percent = text.endswith("%")
    if is_percent:
        if not percent:
            raise ValueError(
                _("{value!r} is a percentage, but this column holds points or amounts, not a ratio").format(value=value)
            )
        text = text[:-1].strip()
    if "_" in text or not text:
        raise ValueError(_("expected a number, got {value!r}").format(value=value))
    try:
        number = Decimal(text)
    except decimal.InvalidOperation:
        raise ValueError(_("expected a number, got {value!r}").format(value=value)) from None
    if not number.is_finite():
        raise ValueError(_("expected a finite number, got {value!r}").format(value=value))
    return number / 100 if is_percent else number


def quantize(value: Decimal, precision: Decimal, rounding: str = "half_up") -> Decimal:
    """Round ``value`` to the scheme's precision (e.g. ``Decimal("0.01")``) with the named mode."""
    return value.quantize(precision, rounding=ROUNDING_MODES[rounding], context=_CONTEXT)


def divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    """Exact-enough division for ratios; the caller rounds to the scheme precision afterwards."""
    return _CONTEXT.divide(numerator, denominator)


def format_points(value: Decimal) -> str:
    """Render points without a trailing ``.00`` but never in scientific notation."""
    text = format(value.normalize(_EXACT), "f")
    return "0" if text in {"-0", "0"} else text


def json_number(value: Decimal) -> int | float | str:
    """A JSON (or spreadsheet) number whose text equals the decimal's text, never an exception.

    A Decimal with at most 15 significant digits round-trips through ``float``'s shortest ``repr`` exactly,
    which is what the JSON writer prints; an integral one goes in as an exact integer. One that neither
    can carry (more digits than a float keeps, or not finite) is written as its exact text instead of
    being silently changed or stopping the output.
    """
    if not value.is_finite():
        return str(value)
    normalized = value.normalize(_EXACT)
    if normalized == normalized.to_integral_value() and normalized.adjusted() < 28:
        return int(normalized)
    if len(normalized.as_tuple().digits) > EXCEL_DIGITS or not -300 < normalized.adjusted() < 300:
        return format_points(value)
    return float(normalized)
