"""The columnar forms of Nantong's target items and 综合评议, as exact fractions of integer arrays.

``nantong_targets``: an item's points are S × its voted share, or S × min(完成值 / 目标值, 80%); a quotient
that does not terminate (or needs more than :data:`MOST_DECIMALS` decimals) sends its unit to the row
form, so every other unit's item points are exact integers at one scale and the indicator's award is one
exact quotient. A unit whose key-work share would be warned about, or a scheme whose points the row form
refuses, is scored by the row form (which warns and words it; a run with a warning is scored on rows).

``nantong_review``: points × Σ weight × Σ(votes × level value) / Σ votes over the two reviews.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import numpy as np

from kaoping.api import ZERO, Indicator, IndicatorColumns, ScoringContext, VectorAwards, row_form_only, terminates
from kaoping.plugins._common.columnar import (
    any_row,
    at,
    explained_by_rows,
    fixed,
    item_codes,
    largest,
    narrow,
    per_unit,
    undecided,
    unit_of_rows,
    wide,
)
from kaoping.plugins.jiangsu_nantong import methods

# an uncompleted item's quotient 完成值 / 目标值 with more decimals than this goes to the row form
MOST_DECIMALS = 12


def _decimals_needed(num: np.ndarray, den: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whether each ``num / den`` (den > 0) terminates, and how many decimals it then has."""
    reduced = den // np.gcd(num, den)
    twos = np.zeros(len(num), dtype=np.int64)
    fives = np.zeros(len(num), dtype=np.int64)
    for prime, count in ((2, twos), (5, fives)):
        while True:
            divisible = (reduced % prime == 0) & (reduced > 1)
            if not divisible.any():
                break
            reduced = np.where(divisible, reduced // prime, reduced)
            count += divisible
    return reduced == 1, np.maximum(twos, fives)


def targets(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``nantong_targets``: points × Σ item points / Σ standard scores."""
    params = indicator.params
    if "share" in params:
        scratch = ScoringContext(scheme=ctx.scheme, dataset=ctx.dataset)
        methods._check_pool_points(indicator, scratch)
        if scratch.problems:
            return row_form_only(columns.units)  # the row form reports the points
    completed, completed_scale = fixed(params["completed"])
    cap, cap_scale = fixed(params["incomplete_cap"])
    points, points_scale = fixed(indicator.points)
    value, target, standard = columns.value, columns.target, columns.baseline
    big = wide(
        ctx, largest(value.ints) + 1, largest(target.ints) + cap + 1, 10 ** (value.scale + target.scale + cap_scale)
    )
    v = value.ints.astype(object) if big else value.ints
    t = target.ints.astype(object) if big else target.ints
    s = standard.ints.astype(object) if big else standard.ints
    planned = target.present
    vote_scale = max(value.scale, completed_scale)
    voted_ok = (at(v, value.scale, vote_scale) >= completed * 10 ** (vote_scale - completed_scale)) & (
        v <= 10**value.scale
    )
    q_num, q_den = v * 10**target.scale, np.where(planned & (t > 0), t, 1) * 10**value.scale
    planned_ok = (
        (t > 0)
        & (v >= 0)
        & (at(v, value.scale, max(value.scale, target.scale)) < at(t, target.scale, max(value.scale, target.scale)))
    )
    bad = ~standard.present | (s <= 0) | np.where(planned, ~planned_ok, ~voted_ok)
    capped = planned & (q_num * 10**cap_scale > cap * q_den)
    divided = planned & ~capped & ~bad
    exact, places = _decimals_needed(np.where(divided, q_num, 0), q_den)
    long = divided & (~exact | (places > MOST_DECIMALS))
    refused = any_row(columns, bad | long)
    keep_rows = ~refused[unit_of_rows(columns)]
    quotient_scale = int(places[divided & ~long].max(initial=0))
    scale = max(quotient_scale, cap_scale, value.scale)
    most_rows = int(columns.counts.max(initial=1))
    big = (
        big
        or wide(ctx, largest(standard.ints) + 1, (cap + 2) * 10 ** (scale + 1), most_rows)
        or wide(ctx, largest(value.ints) + 1, 10 ** (target.scale + quotient_scale))
    )
    if big:
        v, s, q_num, q_den = (a.astype(object) for a in (v, s, q_num, q_den))
    quotient = np.where(divided & ~long, q_num * 10**quotient_scale // q_den, 0)
    factor = np.where(
        planned,
        np.where(capped, cap * 10 ** (scale - cap_scale), quotient * 10 ** (scale - quotient_scale)),
        at(v, value.scale, scale),
    )
    ok_rows = keep_rows & ~bad
    earned = per_unit(columns, np.where(ok_rows, s * factor, 0))
    standards = per_unit(columns, np.where(ok_rows, s, 0))
    decided = ~refused
    earned, standards = earned[decided], standards[decided]
    earned, standards = earned.astype(object), standards.astype(object)  # the fraction, exactly
    num = points * earned
    den = standards * 10 ** (points_scale + scale)
    hard = undecided(num, den, terminates(earned, standards * 10**scale), ctx)
    num, den = narrow(num[~hard], ctx), narrow(den[~hard], ctx)
    units = columns.units[decided][~hard]
    if "share" in params and _warned(indicator, columns, ctx, columns.units[decided]):
        return row_form_only(columns.units)  # the row form words the warning
    inputs, note = explained_by_rows(methods.nantong_targets.fn, indicator, columns, ctx, units)
    left = np.sort(np.concatenate([columns.units[refused], columns.units[decided][hard]]))
    return VectorAwards(units, num, den, inputs, note, rows_for=left)


def _warned(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext, units: np.ndarray) -> bool:
    """Whether the row form would warn about any of ``units``: 「一般要達到職能目標總分的60%左右」, its own
    standard scores against the pool's (exactly, where the row form divides in decimals)."""
    params = indicator.params
    share, share_scale = fixed(params["share"])
    tolerance, tolerance_scale = fixed(params.get("tolerance", ZERO))
    found = ctx.dataset.value_columns
    pool = [code for code, name in enumerate(found.indicator.names) if name in params.get("pool", [])]
    at_rows = np.flatnonzero(np.isin(found.indicator.codes, pool))
    ints, present, scale = found.baseline.fixed(at_rows)
    pools = np.zeros(max(len(found.unit.names), 1), dtype=object)
    np.add.at(pools, found.unit.codes[at_rows], np.where(present, ints, 0).astype(object))
    code_of = {name: code for code, name in enumerate(found.unit.names)}
    standard = columns.baseline
    own = per_unit(columns, np.where(standard.present, standard.ints, 0).astype(object))
    position = {int(u): k for k, u in enumerate(columns.units)}
    common = max(scale, standard.scale) + share_scale + tolerance_scale
    for unit in units.tolist():
        code = code_of.get(ctx.dataset.units[unit].id)
        pool_total = int(pools[code]) * 10 ** (common - scale) if code is not None else 0
        mine = int(own[position[unit]]) * 10 ** (common - standard.scale)
        if pool_total == 0:
            far = share * 10**tolerance_scale > tolerance * 10**share_scale
        else:  # |own / pool − share| > tolerance, in integers
            gap = abs(mine * 10**share_scale - share * pool_total)
            far = gap * 10**tolerance_scale > tolerance * abs(pool_total) * 10**share_scale
        if far:
            return True
    return False


def review(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``nantong_review``: points × Σ over the two reviews of weight × Σ(votes × level value) / Σ votes."""
    params = indicator.params
    channels: Mapping[str, Decimal] = params["channels"]
    tables = {methods.LEADER: params["leader_levels"], methods.SOCIAL: params["social_levels"]}
    scratch = ScoringContext(scheme=ctx.scheme, dataset=ctx.dataset)
    if not methods._review_tables_ok(indicator, channels, tables, scratch):
        return row_form_only(columns.units)  # the row form reports the tables
    names = [*tables[methods.LEADER], *tables[methods.SOCIAL]]
    channel_of = np.array([0] * len(tables[methods.LEADER]) + [1] * len(tables[methods.SOCIAL]), dtype=np.int64)
    levels = [fixed(tables[c][name]) for c in methods.CHANNELS for name in tables[c]]
    level_scale = max((s for _i, s in levels), default=0)
    level_ints = np.array([i * 10 ** (level_scale - s) for i, s in levels] or [0], dtype=object)
    weights = [fixed(channels[c]) for c in methods.CHANNELS]
    weight_scale = max(s for _i, s in weights)
    w0, w1 = (i * 10 ** (weight_scale - s) for i, s in weights)
    points, points_scale = fixed(indicator.points)
    value = columns.value
    big = wide(ctx, largest(value.ints) * int(columns.counts.max(initial=1)) + 1, 10**level_scale)
    ints = value.ints.astype(object) if big else value.ints
    level = item_codes(columns, names)
    known = level >= 0
    refused = any_row(columns, ~known | (ints < 0))
    channel = channel_of[np.where(known, level, 0)]
    share = (level_ints if big else level_ints.astype(np.int64))[np.where(known, level, 0)]
    ok = known & (ints >= 0)
    sums, cast = [], []
    for c in (0, 1):
        rows = ok & (channel == c)
        sums.append(per_unit(columns, np.where(rows, ints * share, 0)))
        cast.append(per_unit(columns, np.where(rows, ints, 0)))
    refused |= (cast[0] == 0) | (cast[1] == 0)
    decided = ~refused
    s0, s1, c0, c1 = (a[decided].astype(object) for a in (sums[0], sums[1], cast[0], cast[1]))  # exactly
    num = points * (w0 * s0 * c1 + w1 * s1 * c0)
    den = 10 ** (points_scale + weight_scale + level_scale) * c0 * c1
    exact = terminates(s0, c0 * 10**level_scale) & terminates(s1, c1 * 10**level_scale)
    hard = undecided(num, den, exact, ctx)
    num, den = narrow(num[~hard], ctx), narrow(den[~hard], ctx)
    units = columns.units[decided][~hard]
    inputs, note = explained_by_rows(methods.nantong_review.fn, indicator, columns, ctx, units)
    left = np.sort(np.concatenate([columns.units[refused], columns.units[decided][hard]]))
    return VectorAwards(units, num, den, inputs, note, rows_for=left)
