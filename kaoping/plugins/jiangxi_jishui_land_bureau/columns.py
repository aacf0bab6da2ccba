"""The columnar forms of Jishui's two indicator methods: whole cases short of a rate, and every level's
rate met. Both are exact in integers; units whose rows the row form refuses are left to it."""

from __future__ import annotations

import numpy as np

from kaoping.api import Indicator, IndicatorColumns, ScoringContext, VectorAwards
from kaoping.plugins._common.columnar import (
    any_row,
    at,
    explained_by_rows,
    fixed,
    item_codes,
    largest,
    per_unit,
    unit_of_rows,
    wide,
)
from kaoping.plugins.jiangxi_jishui_land_bureau import methods


def cases_short(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``jishui_cases_short``: points − per_case × max(⌈rate × arising⌉ − handled, 0), never below 0."""
    rate, rate_scale = fixed(indicator.params["rate"])
    per_case, case_scale = fixed(indicator.params["points_per_case"])
    points, points_scale = fixed(indicator.points)
    value, target = columns.value, columns.target
    one = columns.counts == 1
    rows = columns.starts[:-1][one]
    common = max(value.scale, target.scale)
    scale = max(points_scale, case_scale + value.scale)
    big = wide(
        ctx,
        largest(value.ints) + largest(target.ints) + 1,
        10 ** (common + rate_scale + scale),
        rate + abs(per_case) + abs(points) + 1,
    )
    v = value.ints[rows].astype(object) if big else value.ints[rows]
    t = target.ints[rows].astype(object) if big else target.ints[rows]
    bad = ~target.present[rows] | (t < 0) | (v < 0) | (at(v, value.scale, common) > at(t, target.scale, common))
    units, rows, v, t = columns.units[one][~bad], rows[~bad], v[~bad], t[~bad]
    needed = -((-rate * t) // 10 ** (rate_scale + target.scale))  # ⌈rate × arising⌉, whole cases
    short = np.maximum(needed * 10**value.scale - v, 0)  # at the value's scale
    num = np.maximum(
        points * 10 ** (scale - points_scale) - per_case * short * 10 ** (scale - case_scale - value.scale), 0
    )
    den = np.full(len(units), 10**scale, dtype=object if big else np.int64)
    inputs, note = explained_by_rows(methods.jishui_cases_short.fn, indicator, columns, ctx, units)
    left = np.concatenate([columns.units[~one], columns.units[one][bad]])
    return VectorAwards(units, num, den, inputs, note, rows_for=np.sort(left))


def all_rates_met(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``jishui_all_rates_met``: full points when every level's rate reaches its threshold, else 0; a unit
    with an unknown, missing or repeated level is left to the row form."""
    thresholds = {str(k): fixed(v) for k, v in indicator.params["thresholds"].items()}
    names = list(thresholds)
    points, points_scale = fixed(indicator.points)
    value = columns.value
    scale = max([value.scale, *(s for _i, s in thresholds.values())])
    limits = np.array([i * 10 ** (scale - s) for i, s in thresholds.values()] or [0], dtype=object)
    big = wide(ctx, largest(value.ints) + max(abs(int(i)) for i in limits) + 1, 10**scale, abs(points) + 1)
    level = item_codes(columns, names)
    known = level >= 0
    v = at(value.ints.astype(object) if big else value.ints, value.scale, scale)
    limit = (limits if big else limits.astype(np.int64))[np.where(known, level, 0)]
    seen = np.zeros((len(columns.units), max(len(names), 1)), dtype=np.int64)
    np.add.at(seen, (unit_of_rows(columns)[known], level[known]), 1)
    refused = any_row(columns, ~known) | (seen[:, : len(names)] != 1).any(axis=1)
    failed = per_unit(columns, (known & (v < limit)).astype(np.int64)) > 0
    units = columns.units[~refused]
    num = np.where(failed[~refused], 0, points)
    den = np.full(len(units), 10**points_scale, dtype=np.int64)
    inputs, note = explained_by_rows(methods.jishui_all_rates_met.fn, indicator, columns, ctx, units)
    return VectorAwards(units, num, den, inputs, note, rows_for=columns.units[refused])
