"""Helpers the built-in plugins' vectorised methods share: fixed-point numbers, per-unit sums, and the
explanation of one unit rebuilt by the row form.

Every vectorised form here gives, for the units it decides, the exact points as a fraction of integer
arrays; units whose rows the row form would report a problem for or warn about go back to the row form
(``rows_for``), which words the problem. Where the row form divides in decimals (28 significant digits,
``numbers.divide``) and a quotient does not terminate, :func:`undecided` hands back the units whose exact
points lie on a rounding boundary or so close to one that 28 digits could round them across it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np

from kaoping.api import (
    Award,
    FixedColumn,
    Indicator,
    IndicatorColumns,
    ScoringContext,
    ValueRow,
    on_boundary,
    row_explanations,
)

# int64 arithmetic stays below this bound (as the engine's); beyond it Python integers are used
INT64_SAFE = 2**62

RowFn = Callable[[Indicator, Mapping[str, Sequence[ValueRow]], ScoringContext], Mapping[str, Award]]

# A bound on the decimal operations (each rounding to 28 significant digits) between the inputs and the
# points in any of these methods: the decimal result lies within 10^-27 × OPERATIONS of the exact one,
# relative to the sum of the (non-negative) terms.
OPERATIONS = 50


def decimals(value: Decimal) -> int:
    """How many digits after the point a decimal carries (``Decimal("1E+2")`` carries none)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite: the readers and the scheme refuse NaN and infinities
    return max(-exponent, 0)


def fixed(value: Any) -> tuple[int, int]:
    """A decimal parameter as an integer and its scale (``0.95`` → ``(95, 2)``)."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    scale = decimals(number)
    return int(number.scaleb(scale)), scale


def at(ints: np.ndarray, scale: int, to: int) -> np.ndarray:
    """Integers at ``scale`` brought to the finer scale ``to``."""
    return ints * 10 ** (to - scale) if to > scale else ints


def wide(ctx: ScoringContext, *magnitudes: int) -> bool:
    """Whether a product of these magnitudes, times what the engine's rounding multiplies a numerator by
    (2 × 10^scale, and 4 for sums and signs), may leave the int64 range (then Python integers are used)."""
    product = 8 * 10 ** max(decimals(ctx.scheme.precision), 0)
    for magnitude in magnitudes:
        product *= max(abs(int(magnitude)), 1)
    return product >= INT64_SAFE


def largest(ints: np.ndarray) -> int:
    return int(np.max(np.abs(ints))) if len(ints) else 0


def column(values: FixedColumn, as_object: bool) -> np.ndarray:
    """A column's integers, as Python integers when the arithmetic ahead may need them."""
    return values.ints.astype(object) if as_object else values.ints


def narrow(array: np.ndarray, ctx: ScoringContext) -> np.ndarray:
    """Python integers back to int64 where the engine's rounding keeps them (and every later product)
    inside its range: a fraction assembled exactly from several factors is rounded at int64 speed."""
    if array.dtype != object or not len(array):
        return array
    if wide(ctx, max(abs(int(v)) for v in array) + 1):
        return array
    return array.astype(np.int64)


def unit_of_rows(columns: IndicatorColumns) -> np.ndarray:
    """The position (in ``columns.units``) of each row's unit."""
    return np.repeat(np.arange(len(columns.units)), columns.counts)


def any_row(columns: IndicatorColumns, mask: np.ndarray) -> np.ndarray:
    """Per unit: whether any of its rows is in ``mask``."""
    found = np.zeros(len(columns.units), dtype=bool)
    np.logical_or.at(found, unit_of_rows(columns), mask)
    return found


def per_unit(columns: IndicatorColumns, ints: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Per unit: the sum of ``ints`` over its rows (those in ``mask``)."""
    sums = np.zeros(len(columns.units), dtype=ints.dtype if ints.dtype == object else np.int64)
    where = unit_of_rows(columns)
    if mask is None:
        np.add.at(sums, where, ints)
    else:
        np.add.at(sums, where[mask], ints[mask])
    return sums


def item_codes(columns: IndicatorColumns, names: Sequence[str]) -> np.ndarray:
    """Each row's item as an index into ``names`` (-1 for an item not among them)."""
    position = {name: k for k, name in enumerate(names)}
    lookup = np.array([position.get(n, -1) for n in columns.item_names] or [-1], dtype=np.int64)
    return lookup[columns.items] if len(columns.items) else np.zeros(0, dtype=np.int64)


def undecided(
    num: np.ndarray, den: np.ndarray, exact: np.ndarray, ctx: ScoringContext, divided: np.ndarray | None = None
) -> np.ndarray:
    """The units (a mask) whose decimal computation may round differently from the exact ``num / den``.

    Where every quotient of the decimal computation terminates (``exact``) it is the exact fraction. Else
    it lies within 10^-27 × :data:`OPERATIONS` × ``divided / den`` of it, ``divided`` being the numerator
    (over ``den``) of the sum of the magnitudes of the terms that went through a division (``num`` when
    every term is non-negative), while an exact value off a rounding boundary lies at least
    1 / (2 × 10^scale × den) from one: the unit is safe when ``divided`` × 2 × 10^scale × OPERATIONS
    < 10^27 (both reduced by the same common factor), and handed back otherwise, or when on a boundary.
    """
    result = np.zeros(len(num), dtype=bool)
    hard = np.flatnonzero(~exact)
    if not len(hard):
        return result
    n, d = num[hard].astype(object), den[hard].astype(object)
    m = (num if divided is None else divided)[hard].astype(object)
    common = np.gcd(np.gcd(n, d), m)
    n, d, m = n // common, d // common, m // common
    scale = max(decimals(ctx.scheme.precision), 0)
    near = np.array([abs(int(v)) * 2 * 10**scale * OPERATIONS >= 10**27 for v in m], dtype=bool)
    result[hard] = near | on_boundary(n, d, scale)
    return result


def explained_by_rows(
    row_fn: RowFn, indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext, units: np.ndarray
) -> tuple[Callable[[int], dict[str, Any]], Callable[[int], str]]:
    """``inputs`` and ``note`` of the ``k``-th decided unit, built by the row form on that unit's rows alone
    when its explanation is asked for: the same words and numbers as the row engine's trail."""
    return row_explanations(row_fn, indicator, columns, ctx, units)
