"""The columnar form of ``heshan_rank_move``: every row's points in integers, summed per unit."""

from __future__ import annotations

import numpy as np

from kaoping.api import Indicator, IndicatorColumns, ScoringContext, VectorAwards
from kaoping.plugins._common.columnar import any_row, at, explained_by_rows, fixed, largest, per_unit, wide
from kaoping.plugins.hunan_heshan import rank_move


def rank_move_columns(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """Per row: ``kept_first`` when first both years, else min(per_place × places moved up, max); a unit
    with a row the row form refuses (no baseline, a place below 1 or not whole) is left to it."""
    per_place, per_scale = fixed(indicator.params["per_place"])
    most, most_scale = fixed(indicator.params["max_per_indicator"])
    kept, kept_scale = fixed(indicator.params["kept_first"])
    value, baseline = columns.value, columns.baseline
    places = max(value.scale, baseline.scale)
    scale = max(places + per_scale, most_scale, kept_scale)
    big = wide(
        ctx,
        largest(value.ints) + largest(baseline.ints) + 1,
        10**scale,
        abs(per_place) + abs(most) + abs(kept) + 1,
        len(value.ints) + 1,
    )
    v = at(value.ints.astype(object) if big else value.ints, value.scale, places)
    b = at(baseline.ints.astype(object) if big else baseline.ints, baseline.scale, places)
    one = 10**places
    whole = value.ints % 10**value.scale == 0
    bad = ~baseline.present | (v < one) | (b < one) | ~whole
    moved = per_place * np.maximum(b - v, 0) * 10 ** (scale - places - per_scale)
    points = np.minimum(moved, most * 10 ** (scale - most_scale))
    points = np.where((v == one) & (b == one), kept * 10 ** (scale - kept_scale), points)
    refused = any_row(columns, bad)
    total = per_unit(columns, np.where(bad, 0, points))
    units = columns.units[~refused]
    inputs, note = explained_by_rows(rank_move.heshan_rank_move.fn, indicator, columns, ctx, units)
    den = np.full(len(units), 10**scale, dtype=object if big else np.int64)
    return VectorAwards(units, total[~refused], den, inputs, note, rows_for=columns.units[refused])
