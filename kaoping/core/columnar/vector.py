"""The vectorised method API: columns in, exact fractions out.

A vectorised method takes one indicator, its :class:`IndicatorColumns` (every unit's rows at once) and the
scoring context, and returns :class:`VectorAwards`: for each unit it decides, the exact points as a
fraction ``num / den`` of integer arrays (the engine rounds them to the scheme's precision in integers),
and how to rebuild the unit's explanation inputs on demand.

A method hands back to its row form (``rows_for``) the units it does not decide: rows it would report a
problem for (the row form words the problem, with file and row), and the rare units where decimal
arithmetic (28 significant digits) would round a non-terminating quotient onto a rounding boundary, so that
the vectorised form and the row form give the same points to the cent. The engine flags the latter itself
from ``inexact``.

The core's own methods have theirs in :mod:`kaoping.core.columnar.core_methods`; a plugin gives its method
a vectorised form by passing ``vectorised=`` to :func:`kaoping.core.methods.method` (same signature).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import numpy as np

from kaoping.core.columnar.table import IndicatorColumns
from kaoping.core.columnar.values import ValueRowsView
from kaoping.core.methods import ScoringContext
from kaoping.core.scheme import Indicator

NO_UNITS = np.zeros(0, dtype=np.int64)


@attrs.define
class VectorAwards:
    """What a vectorised method decides: points ``num / den`` for ``units`` (positions match), the mask of
    those whose decimal computation divides without terminating (``inexact``), the units left to the row
    form, and how to rebuild the inputs and note of the ``k``-th awarded unit for its explanation."""

    units: np.ndarray
    num: np.ndarray
    den: np.ndarray
    inputs: Callable[[int], dict[str, Any]]
    note: Callable[[int], str] = lambda _k: ""
    inexact: np.ndarray | None = None
    rows_for: np.ndarray = NO_UNITS


VectorFn = Callable[[Indicator, IndicatorColumns, ScoringContext], VectorAwards]


def row_explanations(
    row_fn: Callable[..., Any], indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext, units: np.ndarray
) -> tuple[Callable[[int], dict[str, Any]], Callable[[int], str]]:
    """``inputs`` and ``note`` for :class:`VectorAwards` built by the row form ``row_fn``: the ``k``-th of
    ``units`` (indices of the dataset's units) is explained by calling ``row_fn`` on that unit's rows alone
    when its explanation is asked for, so a vectorised form need not rebuild the row form's words and
    numbers (problems it would report then are dropped: the arrays run had none)."""
    last: dict[int, Any] = {}

    def award(k: int) -> Any:
        if k not in last:
            unit = int(units[k])
            position = int(np.searchsorted(columns.units, unit))
            span = columns.row_index[columns.starts[position] : columns.starts[position + 1]].tolist()
            values = ctx.dataset.values
            if isinstance(values, ValueRowsView) and not values.materialised:
                rows = [ctx.dataset.value_columns.row_at(p) for p in span]
            else:
                rows = [values[p] for p in span]
            unit_id = ctx.dataset.units[unit].id
            last.clear()
            last[k] = row_fn(indicator, {unit_id: rows}, ScoringContext(scheme=ctx.scheme, dataset=ctx.dataset))[
                unit_id
            ]
        return last[k]

    return (lambda k: dict(award(k).inputs)), (lambda k: award(k).note)


def row_form_only(units: np.ndarray) -> VectorAwards:
    """Every unit to the row form: the adapter for a method with no vectorised form."""
    empty = np.zeros(0, dtype=np.int64)
    return VectorAwards(empty, empty, empty.copy(), inputs=lambda _k: {}, rows_for=units)


def adapted(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """The adapter: a row-based method (a third party's ``IndicatorFn``) called through the columnar API.

    It decides no unit itself; the engine hands every unit's rows to the registered row function in one
    call, rounds its awards and keeps them for the explanations, exactly as the row engine did.
    """
    return row_form_only(columns.units)
