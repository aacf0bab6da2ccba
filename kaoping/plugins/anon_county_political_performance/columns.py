"""The columnar form of ``county_appraisal``: the blend of target channels and the democratic rating as
one exact fraction per unit,

    points × [Σ fixed w × s / scale + (1 − rating_weight) × Σ blended w × s / scale + rest × rating_weight × W / C]

(the row form's ``rest × divide(target, rest)`` is the blended sum itself), with W = Σ marks × level and
C = Σ marks. Units whose rows the row form refuses go to it; so does every unit of an indicator whose
parameters it refuses, or of which a unit's marks are not a whole number of forms (the row form warns,
and a run with a warning is scored on rows).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import numpy as np

from kaoping.api import ONE, ZERO, Indicator, IndicatorColumns, ScoringContext, VectorAwards, row_form_only, terminates
from kaoping.plugins._common.columnar import (
    any_row,
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
from kaoping.plugins.anon_county_political_performance import appraisal


def appraisal_columns(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``county_appraisal`` on arrays (see the module docstring)."""
    if not appraisal._check_params(indicator, ScoringContext(scheme=ctx.scheme, dataset=ctx.dataset)):
        return row_form_only(columns.units)  # the row form reports the parameters
    params = indicator.params
    channels: Mapping[str, Decimal] = params["channels"]
    levels: Mapping[str, Decimal] = params["levels"]
    fixed_names = [c for c in params.get("fixed_channels", []) if c in channels]
    rest_decimal = ONE - sum((channels[c] for c in fixed_names), ZERO)
    channel_names, level_names = list(channels), list(levels)
    weight_scale = max(fixed(w)[1] for w in channels.values())
    weights = np.array([fixed(channels[c])[0] * 10 ** (weight_scale - fixed(channels[c])[1]) for c in channel_names])
    is_fixed = np.array([c in fixed_names for c in channel_names], dtype=bool)
    level_scale = max((fixed(v)[1] for v in levels.values()), default=0)
    shares = np.array([fixed(levels[v])[0] * 10 ** (level_scale - fixed(levels[v])[1]) for v in level_names] or [0])
    rating, rating_scale = fixed(params["rating_weight"])
    scale, scale_scale = fixed(params.get("scale", Decimal(100)))
    rest, _rest_scale = fixed(rest_decimal)
    rest *= 10 ** (weight_scale - _rest_scale)  # at the weights' scale
    points, points_scale = fixed(indicator.points)
    value = columns.value
    rows_unit = unit_of_rows(columns)
    most_rows = int(columns.counts.max(initial=1))
    big = wide(ctx, largest(value.ints) + 1, most_rows, 10 ** max(weight_scale, level_scale) + 1)
    v = value.ints.astype(object) if big else value.ints
    channel = item_codes(columns, channel_names)
    level = item_codes(columns, level_names)
    is_vote, is_channel = level >= 0, (level < 0) & (channel >= 0)
    # refused rows: neither a channel nor a level; a channel score outside [0, scale]; marks not whole ≥ 0
    v_at = max(value.scale, scale_scale)
    scale_at = scale * 10 ** (v_at - scale_scale)
    in_range = (v >= 0) & (v * 10 ** (v_at - value.scale) <= scale_at)
    whole = (v >= 0) & (value.ints % 10**value.scale == 0)
    bad = ~(is_vote | is_channel) | (is_channel & ~in_range) | (is_vote & ~whole)
    seen = np.zeros((len(columns.units), max(len(channel_names), 1)), dtype=np.int64)
    np.add.at(seen, (rows_unit[is_channel], channel[is_channel]), 1)
    refused = any_row(columns, bad) | (seen[:, : len(channel_names)] > 1).any(axis=1)
    refused |= ((seen[:, : len(channel_names)] == 0) & (weights != 0)).any(axis=1)  # a weighted channel missing
    weight_of = weights[np.where(is_channel, channel, 0)]
    share_of = shares[np.where(is_vote, level, 0)]
    fixed_row = is_channel & is_fixed[np.where(is_channel, channel, 0)]
    good = ~bad
    fixed_sum = per_unit(columns, np.where(good & fixed_row, weight_of * v, 0))
    blended = per_unit(columns, np.where(good & is_channel & ~fixed_row, weight_of * v, 0))
    weighted = per_unit(columns, np.where(good & is_vote, share_of * v, 0))
    cast = per_unit(columns, np.where(good & is_vote, v, 0))
    refused |= (cast == 0) & (rating != 0)
    decided = ~refused
    if _warns(params, value.scale, cast[decided]):
        return row_form_only(columns.units)  # the row form warns about the marks
    f, b, w, c = (a[decided].astype(object) for a in (fixed_sum, blended, weighted, cast))
    one_rating = 10**rating_scale
    # target half over T1d; rating half over T2d (C = 0 only where the rating weighs 0: the half is 0)
    t1_den = 10 ** (weight_scale + value.scale + rating_scale) * scale
    t1_num = (f * one_rating + (one_rating - rating) * b) * 10**scale_scale
    c_or_one = np.where(c == 0, 1, c)
    t2_num = rest * rating * w
    t2_den = 10 ** (weight_scale + rating_scale + level_scale) * c_or_one
    num = points * (t1_num * t2_den + t2_num * t1_den)
    den = 10**points_scale * t1_den * t2_den
    exact = terminates(f * 10**scale_scale, np.full(len(f), scale * 10 ** (weight_scale + value.scale), dtype=object))
    exact &= terminates(w, c_or_one * 10**level_scale)
    if rest:
        exact &= terminates(b, np.full(len(b), rest * 10**value.scale, dtype=object))
        exact &= terminates(b * 10**scale_scale, np.full(len(b), rest * 10**value.scale * scale, dtype=object))
    hard = undecided(num, den, exact, ctx)
    units = columns.units[decided][~hard]
    inputs, note = explained_by_rows(appraisal.county_appraisal.fn, indicator, columns, ctx, units)
    left = np.sort(np.concatenate([columns.units[refused], columns.units[decided][hard]]))
    return VectorAwards(units, narrow(num[~hard], ctx), narrow(den[~hard], ctx), inputs, note, rows_for=left)


def _warns(params: Mapping[str, object], value_scale: int, cast: np.ndarray) -> bool:
    """Whether the row form would warn that a unit's marks are not a whole number of forms."""
    items = params.get("ballot_items")
    if not items:
        return False
    whole, whole_scale = fixed(items)
    marks = cast.astype(object) * 10**whole_scale
    return bool(((marks > 0) & (marks % (whole * 10**value_scale) != 0)).any())
