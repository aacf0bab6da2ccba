"""The columnar forms of the core's indicator methods (:mod:`kaoping.core.primitives`), by name.

Each gives, for the units it decides, the exact points as a fraction of integer arrays, the same fraction
the row form computes in decimals; rows the row form would report a problem for are left to it
(``rows_for``), and so are quotients decimal division would round onto a rounding boundary (``inexact``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import numpy as np

from kaoping.core.columnar.fixed import INT64_SAFE, decimals, terminates, to_decimal
from kaoping.core.columnar.table import FixedColumn, IndicatorColumns
from kaoping.core.columnar.vector import VectorAwards, VectorFn, row_form_only
from kaoping.core.methods import ScoringContext
from kaoping.core.numbers import ONE, ZERO, divide
from kaoping.core.scheme import Indicator

# ---------------------------------------------------------------------------------------------------------
# fixed-point helpers


def _fixed(value: Decimal) -> tuple[int, int]:
    """A decimal as an integer and its scale."""
    scale = decimals(value)
    return int(value.scaleb(scale)), scale


def _at(ints: np.ndarray, scale: int, to: int) -> np.ndarray:
    return ints * 10 ** (to - scale) if to > scale else ints


def _bound(*factors: int) -> bool:
    """Whether a product of these magnitudes needs Python integers (leaves the safe int64 range)."""
    product = 1
    for factor in factors:
        product *= max(abs(int(factor)), 1)
    return product >= INT64_SAFE


def _max(ints: np.ndarray) -> int:
    return int(np.max(np.abs(ints))) if len(ints) else 0


def _wide(array: np.ndarray, wide: bool) -> np.ndarray:
    return array.astype(object) if wide else array


def _precision_factor(ctx: ScoringContext) -> int:
    """2 × 10^scale of the scheme precision: the engine's rounding multiplies each numerator by it."""
    return 2 * 10 ** max(decimals(ctx.scheme.precision), 0)


@attrs.define
class _Single:
    """The units with exactly one row, their row positions, and the others (left to the row form)."""

    units: np.ndarray
    rows: np.ndarray
    others: np.ndarray


def _single_rows(columns: IndicatorColumns) -> _Single:
    counts = columns.counts
    one = counts == 1
    return _Single(columns.units[one], columns.starts[:-1][one], columns.units[~one])


def _with_default(column: FixedColumn, rows: np.ndarray, default: Decimal | None) -> tuple[np.ndarray, np.ndarray, int]:
    """A per-row number: the row's own where given, else the method's default; its presence and scale."""
    ints, present = column.ints[rows], column.present[rows]
    if default is None:
        return ints, present, column.scale
    default_int, default_scale = _fixed(default)
    scale = max(column.scale, default_scale)
    merged = np.where(present, _at(ints, column.scale, scale), default_int * 10 ** (scale - default_scale))
    return merged, np.ones(len(rows), dtype=bool), scale


def _decimal_or(column: FixedColumn, row: int, default: Decimal | None) -> Decimal | None:
    value = column.decimal(row)
    return default if value is None else value


def _split(units: np.ndarray, bad: np.ndarray, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Keep the good positions of ``units`` and ``arrays``; the bad units go to the row form."""
    good = ~bad
    return (units[bad], units[good], *(a[good] for a in arrays))


# ---------------------------------------------------------------------------------------------------------
# the core methods


def direct(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``direct``: the value is the points, in [0, points]."""
    single = _single_rows(columns)
    value = columns.value
    points, points_scale = _fixed(indicator.points)
    scale = max(value.scale, points_scale)
    wide = _bound(_max(value.ints), 10**scale, points, _precision_factor(ctx))
    ints = _wide(value.ints[single.rows], wide)
    bad = (ints < 0) | (_at(ints, value.scale, scale) > points * 10 ** (scale - points_scale))
    rejected, units, rows, ints = _split(single.units, bad, single.rows, ints)

    def inputs(k: int) -> dict[str, Any]:
        return {"assessed": value.decimal(int(rows[k]))}

    den = np.full(len(units), 10**value.scale, dtype=object if wide else np.int64)
    return VectorAwards(units, ints, den, inputs, rows_for=np.concatenate([single.others, rejected]))


def ratio(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``ratio``: points × min(value / target, cap)."""
    cap: Decimal = indicator.params.get("cap", ONE)
    default_target: Decimal | None = indicator.params.get("target")
    single = _single_rows(columns)
    value = columns.value
    target, has_target, target_scale = _with_default(columns.target, single.rows, default_target)
    points, points_scale = _fixed(indicator.points)
    cap_int, cap_scale = _fixed(cap)
    wide = _bound(
        _max(value.ints),
        10**target_scale,
        _max(target),
        10**value.scale,
        points,
        cap_int,
        10 ** (cap_scale + 1),
        _precision_factor(ctx),
    )
    v = _wide(value.ints[single.rows], wide)
    t = _wide(target, wide)
    bad = ~has_target | (t <= 0) | (v < 0)
    rejected, units, rows, v, t = _split(single.units, bad, single.rows, v, t)
    q_num, q_den = v * 10**target_scale, t * 10**value.scale  # value / target, exactly
    capped = q_num * 10**cap_scale > cap_int * q_den
    num = np.where(capped, points * cap_int * q_den, points * q_num * 10**cap_scale)
    den = q_den * 10 ** (points_scale + cap_scale)

    def inputs(k: int) -> dict[str, Any]:
        row = int(rows[k])
        return {"value": value.decimal(row), "target": _decimal_or(columns.target, row, default_target), "cap": cap}

    inexact = ~capped & ~terminates(q_num, q_den)
    return VectorAwards(units, num, den, inputs, inexact=inexact, rows_for=np.concatenate([single.others, rejected]))


def share(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``share``: points × value / target, with the scheme's rule for a zero total."""
    on_zero = indicator.params.get("on_zero", "error")
    single = _single_rows(columns)
    value, total = columns.value, columns.target
    points, points_scale = _fixed(indicator.points)
    wide = _bound(
        _max(value.ints),
        10**total.scale,
        _max(total.ints),
        10**value.scale,
        points,
        10**points_scale,
        _precision_factor(ctx),
    )
    v = _wide(value.ints[single.rows], wide)
    t = _wide(total.ints[single.rows], wide)
    scale = max(value.scale, total.scale)
    v_common, t_common = _at(v, value.scale, scale), _at(t, total.scale, scale)
    bad = ~total.present[single.rows] | (t < 0) | (v < 0) | (v_common > t_common)
    if on_zero == "error":
        bad |= t == 0
    rejected, units, rows, v, t = _split(single.units, bad, single.rows, v, t)
    zero = t == 0
    q_num, q_den = v * 10**total.scale, np.where(zero, 1, t) * 10**value.scale
    full = points * q_den if on_zero == "full" else 0 * q_den
    num = np.where(zero, full, points * q_num)
    den = q_den * 10**points_scale

    def inputs(k: int) -> dict[str, Any]:
        row = int(rows[k])
        return {"count": value.decimal(row), "total": total.decimal(row)}

    def note(k: int) -> str:
        return f"total is 0: {on_zero}" if zero[k] else ""

    inexact = ~zero & ~terminates(q_num, q_den)
    return VectorAwards(
        units, num, den, inputs, note, inexact=inexact, rows_for=np.concatenate([single.others, rejected])
    )


def pass_fail(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``pass_fail``: full points when value ≥ threshold (the row's target, else the parameter)."""
    default: Decimal | None = indicator.params.get("threshold")
    single = _single_rows(columns)
    value = columns.value
    threshold, has_threshold, threshold_scale = _with_default(columns.target, single.rows, default)
    points, points_scale = _fixed(indicator.points)
    scale = max(value.scale, threshold_scale)
    wide = _bound(_max(value.ints), _max(threshold), 10**scale, points, _precision_factor(ctx))
    v = _at(_wide(value.ints[single.rows], wide), value.scale, scale)
    threshold = _at(_wide(threshold, wide), threshold_scale, scale)
    rejected, units, rows, v, threshold = _split(single.units, ~has_threshold, single.rows, v, threshold)
    passed = v >= threshold
    num = np.where(passed, points, 0)
    den = np.full(len(units), 10**points_scale, dtype=object if wide else np.int64)

    def inputs(k: int) -> dict[str, Any]:
        row = int(rows[k])
        return {
            "value": value.decimal(row),
            "threshold": _decimal_or(columns.target, row, default),
            "passed": bool(passed[k]),
        }

    return VectorAwards(units, num, den, inputs, rows_for=np.concatenate([single.others, rejected]))


# 28 significant digits (``numbers.divide``) round a quotient below this many steps onto the same whole
# number as the exact fraction: its distance from a whole number is at least 1 / (an int64 denominator)
MOST_STEPS = 10**8


def step_shortfall(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``step_shortfall``: points − points_per_step × the steps of shortfall against the target (a partial
    step counted whole with ``partial = "up"``, else not), never below 0; the steps are exact integers."""
    step: Decimal = indicator.params["step"]
    per_step: Decimal = indicator.params["points_per_step"]
    if step <= 0:
        return row_form_only(columns.units)  # the row form words what a step of 0 does
    single = _single_rows(columns)
    value = columns.value
    target, has_target, target_scale = _with_default(columns.target, single.rows, None)
    scale = max(value.scale, target_scale)
    step_int, step_scale = _fixed(step)
    points, points_scale = _fixed(indicator.points)
    per_int, per_scale = _fixed(per_step)
    both = max(points_scale, per_scale)
    wide = _bound(
        _max(value.ints) + _max(target) + 1,
        10 ** (scale + step_scale),
        abs(points) + abs(per_int) + 1,
        10 ** (both + 1),
        MOST_STEPS,
        _precision_factor(ctx),
    )
    v = _at(_wide(value.ints[single.rows], wide), value.scale, scale)
    t = _at(_wide(target, wide), target_scale, scale)
    shortfall = np.maximum(t - v, 0)
    q_num, q_den = shortfall * 10**step_scale, step_int * 10**scale  # shortfall / step, exactly
    steps = -((-q_num) // q_den) if indicator.params.get("partial", "up") == "up" else q_num // q_den
    bad = ~has_target | (steps >= MOST_STEPS)
    rejected, units, rows, steps = _split(single.units, bad, single.rows, steps)
    lost = per_int * 10 ** (both - per_scale) * steps
    num = np.maximum(points * 10 ** (both - points_scale) - lost, 0)
    den = np.full(len(units), 10**both, dtype=object if wide else np.int64)

    def inputs(k: int) -> dict[str, Any]:
        row = int(rows[k])
        return {"value": value.decimal(row), "target": columns.target.decimal(row), "steps": int(steps[k])}

    return VectorAwards(units, num, den, inputs, rows_for=np.concatenate([single.others, rejected]))


def mean(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``mean``: the mean of each unit's scores (highest and lowest ``trim`` dropped), over ``scale``."""
    scale_value: Decimal = indicator.params.get("scale") or indicator.points
    trim = int(indicator.params.get("trim", ZERO))
    value = columns.value
    scale_int, scale_scale = _fixed(scale_value)
    points, points_scale = _fixed(indicator.points)
    counts = columns.counts
    wide = _bound(
        _max(value.ints),
        int(counts.max(initial=1)),
        10 ** (scale_scale + points_scale),
        points,
        scale_int,
        10**value.scale,
        _precision_factor(ctx),
    )
    ints = _wide(value.ints, wide)
    common = max(value.scale, scale_scale)
    outside = (ints < 0) | (_at(ints, value.scale, common) > scale_int * 10 ** (common - scale_scale))
    unit_position = np.repeat(np.arange(len(columns.units)), counts)
    bad = np.zeros(len(columns.units), dtype=bool)
    np.logical_or.at(bad, unit_position, outside)
    bad |= counts <= 2 * trim
    if trim:
        order = np.lexsort((value.ints, unit_position))
        rank = np.arange(len(order)) - np.repeat(columns.starts[:-1], counts)
        kept_sorted = (rank >= trim) & (rank < np.repeat(counts, counts) - trim)
        kept = np.zeros(len(order), dtype=bool)
        kept[order] = kept_sorted
    else:
        kept = np.ones(len(ints), dtype=bool)
    sums = np.zeros(len(columns.units), dtype=object if wide else np.int64)
    np.add.at(sums, unit_position[kept], ints[kept])
    kept_counts = counts - 2 * trim
    rejected, units, sums, kept_counts, all_counts = _split(columns.units, bad, sums, kept_counts, counts)
    n = _wide(kept_counts.astype(np.int64), wide)
    # mean = sums / (n × 10^value_scale); points × mean / scale, exactly
    num = points * sums * 10**scale_scale
    den = n * 10**value.scale * scale_int * 10**points_scale
    first = terminates(sums, n * 10**value.scale)
    second = terminates(sums * 10**scale_scale, n * 10**value.scale * scale_int)

    def inputs(k: int) -> dict[str, Any]:
        total = to_decimal(sums[k], value.scale)
        average = divide(total, Decimal(int(n[k])))
        return {"scores": int(all_counts[k]), "dropped": 2 * trim, "mean": average}

    return VectorAwards(units, num, den, inputs, inexact=~first | ~second, rows_for=rejected)


def _rows_by_unit(columns: IndicatorColumns) -> np.ndarray:
    """The position (in ``columns.units``) of each row's unit."""
    return np.repeat(np.arange(len(columns.units)), columns.counts)


def _decimal_table(table: Mapping[str, Any]) -> tuple[np.ndarray, int] | None:
    """A parameter table's numbers as integers at one scale (None when one of them is not a number)."""
    if not all(isinstance(v, Decimal) for v in table.values()):
        return None
    scale = max((decimals(v) for v in table.values()), default=0)
    return np.array([int(v.scaleb(scale)) for v in table.values()], dtype=object), scale


def _item_codes(columns: IndicatorColumns, names: Sequence[str]) -> np.ndarray:
    """Each row's item as an index into ``names`` (-1 for an item not among them)."""
    lookup = np.array([names.index(n) if n in names else -1 for n in columns.item_names] or [-1], dtype=np.int64)
    return lookup[columns.items] if len(columns.items) else np.zeros(0, dtype=np.int64)


def weighted(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``weighted``: points × Σ(weight × channel score) / scale, one row per channel."""
    channels: Mapping[str, Decimal] = indicator.params["channels"]
    scale_value: Decimal = indicator.params.get("scale", Decimal(100))
    table = _decimal_table(channels)
    if table is None or sum(channels.values(), ZERO) != ONE:
        return row_form_only(columns.units)  # the row form reports the weights
    weights, weight_scale = table
    names = list(channels)
    value = columns.value
    scale_int, scale_scale = _fixed(scale_value)
    points, points_scale = _fixed(indicator.points)
    wide = _bound(
        _max(value.ints),
        max(abs(int(w)) for w in weights) * len(names),
        points,
        scale_int,
        10 ** (scale_scale + points_scale + weight_scale + value.scale),
        _precision_factor(ctx),
    )
    ints = _wide(value.ints, wide)
    channel = _item_codes(columns, names)
    unit_position = _rows_by_unit(columns)
    common = max(value.scale, scale_scale)
    ok_row = (channel >= 0) & (ints >= 0) & (_at(ints, value.scale, common) <= scale_int * 10 ** (common - scale_scale))
    bad = np.zeros(len(columns.units), dtype=bool)
    np.logical_or.at(bad, unit_position, ~ok_row)
    seen = np.zeros((len(columns.units), len(names)), dtype=np.int64)
    np.add.at(seen, (unit_position[ok_row], channel[ok_row]), 1)
    bad |= (seen != 1).any(axis=1)  # a channel missing or given twice
    combined = np.zeros(len(columns.units), dtype=object if wide else np.int64)
    weight_of_row = np.asarray(weights, dtype=object if wide else np.int64)[np.where(ok_row, channel, 0)]
    np.add.at(combined, unit_position[ok_row], (weight_of_row * ints)[ok_row])
    rejected, units, combined, first_rows = _split(columns.units, bad, combined, columns.starts[:-1])
    num = points * combined * 10**scale_scale
    den = np.full(
        len(units), 10 ** (points_scale + weight_scale + value.scale) * scale_int, dtype=object if wide else np.int64
    )
    quotient_num, quotient_den = (
        combined * 10**scale_scale,
        np.full(len(units), 10 ** (weight_scale + value.scale) * scale_int, dtype=den.dtype),
    )

    def inputs(k: int) -> dict[str, Any]:
        start = int(first_rows[k])
        by_channel = {names[int(channel[row])]: value.decimal(row) for row in range(start, start + len(names))}
        return {"channels": {c: by_channel[c] for c in names}, "weights": dict(channels)}

    inexact = ~terminates(quotient_num, quotient_den)
    return VectorAwards(units, num, den, inputs, inexact=inexact, rows_for=rejected)


def rating(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``rating``: points × Σ(votes × level share) / Σ votes."""
    levels: Mapping[str, Decimal] = indicator.params["levels"]
    table = _decimal_table(levels)
    if table is None:
        return row_form_only(columns.units)
    shares, share_scale = table
    names = list(levels)
    value = columns.value
    points, points_scale = _fixed(indicator.points)
    wide = _bound(
        _max(value.ints) * int(columns.counts.max(initial=1)),
        max((abs(int(s)) for s in shares), default=1),
        points,
        10 ** (points_scale + share_scale + value.scale),
        _precision_factor(ctx),
    )
    ints = _wide(value.ints, wide)
    level = _item_codes(columns, names)
    unit_position = _rows_by_unit(columns)
    ok_row = (level >= 0) & (ints >= 0)
    bad = np.zeros(len(columns.units), dtype=bool)
    np.logical_or.at(bad, unit_position, ~ok_row)
    votes = np.zeros((len(columns.units), max(len(names), 1)), dtype=object if wide else np.int64)
    np.add.at(votes, (unit_position[ok_row], level[ok_row]), ints[ok_row])
    cast = votes.sum(axis=1)
    bad |= cast == 0
    share_array = np.asarray(shares, dtype=object if wide else np.int64)
    weighted_votes = (votes[:, : len(names)] * share_array).sum(axis=1) if names else cast * 0
    rejected, units, cast, weighted_votes, vote_rows = _split(columns.units, bad, cast, weighted_votes, votes)
    num = points * weighted_votes
    den = cast * 10 ** (points_scale + share_scale)

    def inputs(k: int) -> dict[str, Any]:
        return {"votes": {name: to_decimal(vote_rows[k][j], value.scale) for j, name in enumerate(names)}}

    inexact = ~terminates(weighted_votes, cast * 10**share_scale)
    return VectorAwards(units, num, den, inputs, inexact=inexact, rows_for=rejected)


def plan_items(indicator: Indicator, columns: IndicatorColumns, ctx: ScoringContext) -> VectorAwards:
    """``plan_items``: points × Σ awarded / Σ planned over a unit's own items."""
    value, target = columns.value, columns.target
    points, points_scale = _fixed(indicator.points)
    counts = columns.counts
    wide = _bound(
        _max(value.ints) * int(counts.max(initial=1)),
        10**target.scale,
        _max(target.ints),
        10**value.scale,
        points,
        10**points_scale,
        _precision_factor(ctx),
    )
    v, t = _wide(value.ints, wide), _wide(target.ints, wide)
    common = max(value.scale, target.scale)
    ok_row = target.present & (t >= 0) & (v >= 0) & (_at(v, value.scale, common) <= _at(t, target.scale, common))
    unit_position = _rows_by_unit(columns)
    bad = np.zeros(len(columns.units), dtype=bool)
    np.logical_or.at(bad, unit_position, ~ok_row)
    awarded = np.zeros(len(columns.units), dtype=object if wide else np.int64)
    planned = np.zeros(len(columns.units), dtype=object if wide else np.int64)
    np.add.at(awarded, unit_position, v)
    np.add.at(planned, unit_position, t)
    bad |= planned == 0
    rejected, units, awarded, planned, items = _split(columns.units, bad, awarded, planned, counts)
    q_num, q_den = awarded * 10**target.scale, planned * 10**value.scale  # awarded / planned, exactly
    num = points * q_num
    den = q_den * 10**points_scale

    def inputs(k: int) -> dict[str, Any]:
        return {
            "awarded": to_decimal(awarded[k], value.scale),
            "planned": to_decimal(planned[k], target.scale),
            "items": int(items[k]),
        }

    return VectorAwards(units, num, den, inputs, inexact=~terminates(q_num, q_den), rows_for=rejected)


VECTORISED: Mapping[str, VectorFn] = {
    "direct": direct,
    "ratio": ratio,
    "share": share,
    "pass_fail": pass_fail,
    "mean": mean,
    "weighted": weighted,
    "rating": rating,
    "plan_items": plan_items,
    "step_shortfall": step_shortfall,
}
