"""The columnar forms of the target sheet and the key-work record: both score 0 for every unit with rows,
so the arrays are zeros; a unit's inputs (its targets and their points) are read from its rows when its
explanation is asked for."""

from __future__ import annotations

import numpy as np

from kaoping.api import Indicator, IndicatorColumns, ScoringContext, VectorAwards
from kaoping.plugins._common.columnar import explained_by_rows
from kaoping.plugins.shaanxi_jingyang import targets


def _zeros(row_fn, indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    units = columns.units
    inputs, note = explained_by_rows(row_fn, indicator, columns, ctx, units)
    zeros = np.zeros(len(units), dtype=np.int64)
    return VectorAwards(units, zeros, np.ones(len(units), dtype=np.int64), inputs, note)


def target_sheet_columns(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``jingyang_target_sheet``: 0 points for every unit with a sheet."""
    return _zeros(targets.target_sheet.fn, indicator, columns, ctx)


def key_work_columns(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``jingyang_key_work``: 0 points for every unit with a record."""
    return _zeros(targets.key_work.fn, indicator, columns, ctx)
