"""Indicator methods: turn a value table (all units at once) into points."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal

from kaoping.core.methods import Award, Param, ScoringContext, method
from kaoping.core.models import ValueRow
from kaoping.core.numbers import ONE, ZERO, divide, format_points
from kaoping.core.scheme import Indicator
from kaoping.locale import N_, _

# --------------------------------------------------------------------------------------------------------
# indicator methods


def _single_row(indicator: Indicator, unit: str, rows: Sequence[ValueRow], ctx: ScoringContext) -> ValueRow | None:
    if len(rows) != 1:
        ctx.problem(
            _("unit '{unit}' has {count} rows for indicator '{indicator}'; expected one").format(
                unit=unit, count=len(rows), indicator=indicator.id
            ),
            rows[0].where,
        )
        return None
    return rows[0]


@method(
    "direct",
    "indicator",
    value_kind="points",
    doc=N_("A score assessed directly by the responsible office, in [0, points]. Value = points."),
)
def direct(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    awards = {}
    for unit, unit_rows in rows.items():
        row = _single_row(indicator, unit, unit_rows, ctx)
        if row is None:
            continue
        if not ZERO <= row.value <= indicator.points:
            ctx.problem(
                _("value {value} for indicator '{indicator}' is outside [0, {value2}]").format(
                    value=format_points(row.value), indicator=indicator.id, value2=format_points(indicator.points)
                ),
                row.where,
                "value",
            )
            continue
        awards[unit] = Award(row.value, {"assessed": row.value})
    return awards


@method(
    "ratio",
    "indicator",
    value_kind=("amount", "count", "ratio"),
    params=[
        Param("cap", default=1, doc="the largest completion ratio that earns points (1 = 100%)"),
        Param("target", doc="a target for every unit when the data has no target column"),
    ],
    doc=N_("Completion against a target: points × min(value / target, cap)."),
)
def ratio(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    cap = indicator.params.get("cap", ONE)
    default_target = indicator.params.get("target")
    awards = {}
    for unit, unit_rows in rows.items():
        row = _single_row(indicator, unit, unit_rows, ctx)
        if row is None:
            continue
        target = row.target if row.target is not None else default_target
        if target is None or target <= 0:
            ctx.problem(
                _("indicator '{indicator}' needs a positive target").format(indicator=indicator.id), row.where, "target"
            )
            continue
        if row.value < 0:
            ctx.problem(_("a completion value cannot be negative"), row.where, "value")
            continue
        completion = min(divide(row.value, target), cap)
        awards[unit] = Award(indicator.points * completion, {"value": row.value, "target": target, "cap": cap})
    return awards


@method(
    "share",
    "indicator",
    value_kind="count",
    params=[
        Param("on_zero", kind="text", default="error", doc="when the denominator is 0: 'full', 'zero' or 'error'"),
    ],
    doc=N_("A share of a count times points, e.g. 提前办结数 / 办结数 × 15 (value = numerator, target = denominator)."),
)
def share(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    on_zero = indicator.params.get("on_zero", "error")
    awards = {}
    for unit, unit_rows in rows.items():
        row = _single_row(indicator, unit, unit_rows, ctx)
        if row is None:
            continue
        denominator = row.target
        if denominator is None or denominator < 0 or row.value < 0:
            ctx.problem(
                _("indicator '{indicator}' needs a non-negative count (value) and total (target)").format(
                    indicator=indicator.id
                ),
                row.where,
                "target",
            )
            continue
        if row.value > denominator:
            ctx.problem(
                _("count {value} exceeds its total {denominator}").format(value=row.value, denominator=denominator),
                row.where,
                "value",
            )
            continue
        if denominator == 0:
            if on_zero == "error":
                ctx.problem(
                    _("indicator '{indicator}': total is 0 and the scheme sets no on_zero rule").format(
                        indicator=indicator.id
                    ),
                    row.where,
                    "target",
                )
                continue
            points = indicator.points if on_zero == "full" else ZERO
            awards[unit] = Award(points, {"count": row.value, "total": denominator}, f"total is 0: {on_zero}")
            continue
        awards[unit] = Award(
            indicator.points * divide(row.value, denominator), {"count": row.value, "total": denominator}
        )
    return awards


@method(
    "rating",
    "indicator",
    value_kind="count",
    params=[Param("levels", kind="table", required=True, doc="rating level → share of the points it earns")],
    doc=N_("Votes per rating level converted to points: points × Σ(votes × level share) / Σ votes (item = level)."),
    items="levels",
)
def rating(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    levels: Mapping[str, Decimal] = indicator.params["levels"]
    awards = {}
    for unit, unit_rows in rows.items():
        votes: dict[str, Decimal] = dict.fromkeys(levels, ZERO)
        bad = False
        for row in unit_rows:
            if row.item not in levels:
                ctx.problem(
                    _("rating level '{item}' is not one of {items}").format(item=row.item, items=", ".join(levels)),
                    row.where,
                    "item",
                )
                bad = True
            elif row.value < 0:
                ctx.problem(_("a vote count cannot be negative"), row.where, "value")
                bad = True
            else:
                votes[row.item] += row.value
        cast = sum(votes.values(), ZERO)
        if bad:
            continue
        if cast == 0:
            ctx.problem(
                _("unit '{unit}' has no votes for indicator '{indicator}'").format(unit=unit, indicator=indicator.id),
                unit_rows[0].where,
                "value",
            )
            continue
        weighted = sum((votes[level] * levels[level] for level in levels), ZERO)
        awards[unit] = Award(indicator.points * divide(weighted, cast), {"votes": votes})
    return awards


@method(
    "weighted",
    "indicator",
    value_kind="points",
    params=[
        Param("channels", kind="table", required=True, doc="channel → weight; weights add up to 1 (100%)"),
        Param("scale", default=100, doc="the full mark of each channel's score"),
    ],
    doc=N_("Weighted channels (e.g. 70% + 30%): points × Σ(weight × channel score) / scale (item = channel)."),
    items="channels",
)
def weighted(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    channels: Mapping[str, Decimal] = indicator.params["channels"]
    scale: Decimal = indicator.params.get("scale", Decimal(100))
    if sum(channels.values(), ZERO) != ONE:
        ctx.problem(
            _("indicator '{indicator}': channel weights add up to {value}, not 1").format(
                indicator=indicator.id, value=sum(channels.values(), ZERO)
            )
        )
        return {}
    awards = {}
    for unit, unit_rows in rows.items():
        scores = {}
        for row in unit_rows:
            if row.item not in channels:
                ctx.problem(
                    _("channel '{item}' is not one of {items}").format(item=row.item, items=", ".join(channels)),
                    row.where,
                    "item",
                )
            elif row.item in scores:
                ctx.problem(
                    _("channel '{item}' is given twice for unit '{unit}'").format(item=row.item, unit=unit),
                    row.where,
                    "item",
                )
            elif not ZERO <= row.value <= scale:
                ctx.problem(
                    _("channel score {value} is outside [0, {scale}]").format(value=row.value, scale=scale),
                    row.where,
                    "value",
                )
            else:
                scores[row.item] = row.value
        missing = [c for c in channels if c not in scores]
        if missing:
            ctx.problem(
                _("unit '{unit}' lacks channel(s) {items} of indicator '{indicator}'").format(
                    unit=unit, items=", ".join(missing), indicator=indicator.id
                ),
                unit_rows[0].where,
                "item",
            )
            continue
        combined = sum((channels[c] * scores[c] for c in channels), ZERO)
        awards[unit] = Award(
            indicator.points * divide(combined, scale),
            {"channels": {c: scores[c] for c in channels}, "weights": dict(channels)},
        )
    return awards


@method(
    "mean",
    "indicator",
    value_kind="points",
    params=[
        Param("scale", doc="the full mark of each rater's score (default: the indicator's points)"),
        Param("trim", default=0, doc="how many highest and how many lowest scores to drop"),
    ],
    doc=N_("The mean of several raters' or periods' scores, rescaled to the indicator's points."),
)
def mean(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    scale = indicator.params.get("scale") or indicator.points
    trim = int(indicator.params.get("trim", ZERO))
    awards = {}
    for unit, unit_rows in rows.items():
        values = sorted(row.value for row in unit_rows)
        out_of_range = [row for row in unit_rows if not ZERO <= row.value <= scale]
        for row in out_of_range:
            ctx.problem(
                _("score {value} is outside [0, {scale}]").format(value=row.value, scale=scale), row.where, "value"
            )
        if out_of_range:
            continue
        if len(values) <= 2 * trim:
            ctx.problem(
                _("unit '{unit}' has {count} scores, too few to drop {trim} highest and lowest").format(
                    unit=unit, count=len(values), trim=trim
                ),
                unit_rows[0].where,
            )
            continue
        kept = values[trim : len(values) - trim] if trim else values
        average = divide(sum(kept, ZERO), Decimal(len(kept)))
        awards[unit] = Award(
            indicator.points * divide(average, scale), {"scores": len(values), "dropped": 2 * trim, "mean": average}
        )
    return awards


@method(
    "pass_fail",
    "indicator",
    value_kind=("ratio", "amount", "count", "level"),
    params=[Param("threshold", doc="the value that earns full points (default: the row's target)")],
    doc=N_("Full points when value ≥ threshold (以上 includes the boundary), else 0."),
)
def pass_fail(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    default_threshold = indicator.params.get("threshold")
    awards = {}
    for unit, unit_rows in rows.items():
        row = _single_row(indicator, unit, unit_rows, ctx)
        if row is None:
            continue
        threshold = row.target if row.target is not None else default_threshold
        if threshold is None:
            ctx.problem(
                _("indicator '{indicator}' needs a threshold or a target").format(indicator=indicator.id),
                row.where,
                "target",
            )
            continue
        passed = row.value >= threshold
        awards[unit] = Award(
            indicator.points if passed else ZERO, {"value": row.value, "threshold": threshold, "passed": passed}
        )
    return awards


@method(
    "step_shortfall",
    "indicator",
    value_kind=("ratio", "amount"),
    params=[
        Param("step", required=True, doc="the size of one step of shortfall (e.g. 0.05 for 5%)"),
        Param("points_per_step", required=True, doc="points lost per step (e.g. 4)"),
        Param("partial", kind="text", default="up", doc="a partial step counts as a whole one ('up') or not ('down')"),
    ],
    doc=N_("Points lost per step of shortfall against the target (每差欠5%扣4分), never below 0."),
)
def step_shortfall(
    indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext
) -> dict[str, Award]:
    step: Decimal = indicator.params["step"]
    per_step: Decimal = indicator.params["points_per_step"]
    rounder = math.ceil if indicator.params.get("partial", "up") == "up" else math.floor
    awards = {}
    for unit, unit_rows in rows.items():
        row = _single_row(indicator, unit, unit_rows, ctx)
        if row is None:
            continue
        if row.target is None:
            ctx.problem(_("indicator '{indicator}' needs a target").format(indicator=indicator.id), row.where, "target")
            continue
        shortfall = max(row.target - row.value, ZERO)
        steps = rounder(divide(shortfall, step))
        points = max(indicator.points - per_step * steps, ZERO)
        awards[unit] = Award(points, {"value": row.value, "target": row.target, "steps": steps})
    return awards
