"""The four scoring classes of 辽宁省政府绩效评估 as batch methods, each weighted by its indicator's tier.

「將指標劃分為四檔,并分別確定不同的基礎分權重」: every indicator sits in one of four tiers, and the tier
gives its base weight. The weights are not in the source: they live in the scheme parameter
``tier_weights`` (tier → base weight) and the plugin refuses to score until the deployment sets them.
Each indicator names its ``tier`` (a method parameter, required: the source does not say which indicator
is in which tier) and its class (the method):

- class 1 ``liaoning_vs_last_year`` (「第一類用報告期實際完成數(shù)與上年同期」): weight × min(value / baseline, cap),
  ``baseline`` = the same period last year; ``cap`` is required (the source gives no limit on growth);
- class 2 ``liaoning_vs_plan`` (「與報告期計劃數(shù)相比較計算得分」): weight × min(value / target, cap),
  ``target`` = the plan; ``cap`` 1 (full weight at 100% of plan) unless the deployment sets another;
- class 3 ``liaoning_adjusted`` (「即實行加分和減分的評分辦法」): weight + Σ adjustments, one value row per
  matter (``item``), positive = 加分, negative = 减分;
- class 4 ``liaoning_mixed`` (「第四類既有用報告期實際完成數」): the class-2 product on the one row that has a
  ``target``, plus the class-3 adjustments on the other rows.

``max_bonus`` / ``max_deduction`` (classes 3 and 4) bound the net adjustment of one indicator; the source
states no bound, so none applies unless the deployment sets one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from kaoping.api import ONE, ZERO, Award, Indicator, Param, Scheme, ScoringContext, ValueRow, divide, method, to_decimal
from kaoping.plugins._common.vectorised import lazy_form

COLUMNS = "kaoping.plugins.liaoning_province.columns"

_TIER = Param("tier", kind="text", doc="the tier (档) whose base weight the indicator carries: tier1 … tier4")
_BOUNDS = [
    Param("max_bonus", doc="the most the 加分 of one indicator may add in net (no bound unless set)"),
    Param("max_deduction", doc="the most the 减分 of one indicator may take in net (no bound unless set)"),
]


def tier_weight(scheme: Scheme, tier: str) -> Decimal | None:
    """The base weight of ``tier`` from the required ``parameters.tier_weights``; None when unset or unknown."""
    weights = scheme.parameters.get("tier_weights", {})
    if tier not in weights:
        return None
    weight = to_decimal(weights[tier])
    return weight if weight > 0 else None


def _weight(indicator: Indicator, ctx: ScoringContext) -> Decimal | None:
    tier = str(indicator.params.get("tier", ""))
    weight = tier_weight(ctx.scheme, tier)
    if weight is None:
        ctx.problem(f"indicator {indicator.id!r}: tier {tier!r} has no base weight in parameters.tier_weights")
    return weight


def _ratio_points(
    indicator: Indicator, row: ValueRow, reference: Decimal | None, weight: Decimal, column: str, ctx: ScoringContext
) -> tuple[Decimal, dict[str, object]] | None:
    if reference is None or reference <= 0:
        ctx.problem(f"indicator {indicator.id!r} needs a positive {column}", row.where, column)
        return None
    if row.value < 0:
        ctx.problem("a completed amount cannot be negative", row.where, "value")
        return None
    cap = indicator.params.get("cap", ONE)
    ratio = divide(row.value, reference)
    points = weight * min(ratio, cap)
    return points, {
        "tier": indicator.params.get("tier"),
        "weight": weight,
        "value": row.value,
        column: reference,
        "cap": cap,
    }


def _adjustment(indicator: Indicator, rows: Sequence[ValueRow]) -> tuple[Decimal, Decimal, str]:
    """Net 加分/减分 of the rows, bounded by max_bonus / max_deduction when set; the note says what was cut."""
    net = sum((row.value for row in rows), ZERO)
    most = indicator.params.get("max_bonus")
    least = indicator.params.get("max_deduction")
    bounded = net
    if most is not None and bounded > most:
        bounded = most
    if least is not None and bounded < -least:
        bounded = -least
    note = f"net adjustment {net} bounded to {bounded}" if bounded != net else ""
    return net, bounded, note


@method(
    "liaoning_vs_last_year",
    "indicator",
    vectorised=lazy_form(COLUMNS, "vs_last_year_columns"),
    value_kind=("amount", "ratio"),
    params=[_TIER, Param("cap", doc="the largest ratio to last year that earns points (1.2 = 120%)")],
    doc="Class 1: tier weight × min(value / baseline, cap); baseline = the same period last year.",
)
def vs_last_year(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    return _ratio_awards(indicator, rows, ctx, "baseline", 1)


@method(
    "liaoning_vs_plan",
    "indicator",
    vectorised=lazy_form(COLUMNS, "vs_plan_columns"),
    value_kind=("amount", "ratio"),
    params=[_TIER, Param("cap", default=1, doc="the largest completion of plan that earns points (1 = 100%)")],
    doc="Class 2: tier weight × min(value / target, cap); target = the plan for the reporting period.",
)
def vs_plan(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    return _ratio_awards(indicator, rows, ctx, "target", 2)


def _ratio_awards(
    indicator: Indicator,
    rows: Mapping[str, Sequence[ValueRow]],
    ctx: ScoringContext,
    reference: str,
    scoring_class: int,
) -> dict[str, Award]:
    """Classes 1 and 2: one row per unit, scored against its ``reference`` column (baseline or target)."""
    weight = _weight(indicator, ctx)
    if weight is None:
        return {}
    awards = {}
    for unit, unit_rows in rows.items():
        if len(unit_rows) != 1:
            ctx.problem(
                f"unit {unit!r} has {len(unit_rows)} rows for class-{scoring_class} indicator {indicator.id!r}; "
                "expected one"
            )
            continue
        row = unit_rows[0]
        scored = _ratio_points(indicator, row, getattr(row, reference), weight, reference, ctx)
        if scored is not None:
            awards[unit] = Award(scored[0], scored[1])
    return awards


@method(
    "liaoning_adjusted",
    "indicator",
    vectorised=lazy_form(COLUMNS, "adjusted_columns"),
    value_kind="points",
    params=[_TIER, *_BOUNDS],
    doc="Class 3: tier weight + Σ 加分 (positive) and 减分 (negative) rows, one row per matter (item).",
)
def adjusted(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    weight = _weight(indicator, ctx)
    if weight is None:
        return {}
    awards = {}
    for unit, unit_rows in rows.items():
        with_target = [r for r in unit_rows if r.target is not None]
        for row in with_target:
            ctx.problem(
                f"class-3 indicator {indicator.id!r} takes no target (it is scored by 加分/减分)", row.where, "target"
            )
        if with_target:
            continue
        net, bounded, note = _adjustment(indicator, unit_rows)
        inputs = {"tier": indicator.params.get("tier"), "weight": weight, "adjustments": net}
        awards[unit] = Award(weight + bounded, inputs, note)
    return awards


@method(
    "liaoning_mixed",
    "indicator",
    vectorised=lazy_form(COLUMNS, "mixed_columns"),
    value_kind=("amount", "ratio", "points"),
    params=[_TIER, Param("cap", default=1, doc="the largest completion of plan that earns points"), *_BOUNDS],
    doc="Class 4: tier weight × min(value / target, cap) on the row with a target, + Σ 加分/减分 on the other rows.",
)
def mixed(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    weight = _weight(indicator, ctx)
    if weight is None:
        return {}
    awards = {}
    for unit, unit_rows in rows.items():
        planned = [r for r in unit_rows if r.target is not None]
        if len(planned) != 1:
            ctx.problem(
                f"unit {unit!r}: class-4 indicator {indicator.id!r} needs exactly one row with a target (the plan), "
                f"has {len(planned)}",
                unit_rows[0].where,
                "target",
            )
            continue
        scored = _ratio_points(indicator, planned[0], planned[0].target, weight, "target", ctx)
        if scored is None:
            continue
        net, bounded, note = _adjustment(indicator, [r for r in unit_rows if r.target is None])
        awards[unit] = Award(scored[0] + bounded, {**scored[1], "adjustments": net}, note)
    return awards


METHODS = (vs_last_year, vs_plan, adjusted, mixed)
