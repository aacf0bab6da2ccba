"""Scoring methods of 南通市机关绩效评估 that the core's methods cannot express.

``nantong_targets`` scores target items (职能目标 and 共性目标) by the three per-item bands of
「科學確定績效評估標準」. Each value row is one item: ``item`` its name, ``baseline`` its standard score S
(标准分值), and either

* no ``target``: ``value`` is the share of S the anonymous vote gave (「無記名投票計分」), which also says the
  band: [90%, 100%] for a new breakthrough (「標準分值的90%-100%的范圍內」), [80%, 90%) for a target completed
  without distinction (「80%-89%的范圍內」, read as half-open so 89.5% has a band); or
* a ``target``: the target was not completed; ``value`` is 完成值 and ``target`` 目标值, and the item earns
  S × min(完成值 / 目标值, 80%) (「按完成值與目標值的對應比例折算計分」, 「最高不超過該項目標準分值80%」).

The indicator earns points × Σ item points / Σ S, so a department's target book of any size scores on the
indicator's scale. Item points are exact; only the indicator's award is rounded (at the scheme precision).

The key-work indicator also checks 「一般要達到職能目標總分的60%左右」: its items' standard scores should make
about ``share`` of the standard scores of the ``pool`` indicators (the 职能目标). 「一般…左右」 is a guideline:
a unit outside ``share`` ± ``tolerance`` is a warning quoting the source, and the unit is scored all the
same; ``tolerance`` (0 unless the deployment sets it) only says where the warning starts.

``nantong_review`` scores 综合评议: vote counts per level of 市领导评鉴 (先进/良好/达标) and of 社会评议
(满意/基本满意/不满意), each converted by the deployment's level values (「換算分值」, values not published)
and weighted by the deployment's split between the two reviews (not published).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from kaoping.api import ONE, ZERO, Award, Indicator, Param, ScoringContext, ValueRow, divide, method
from kaoping.locale import _
from kaoping.plugins._common.vectorised import lazy_form

LEADER = "市领导评鉴"
SOCIAL = "社会评议"
CHANNELS = (LEADER, SOCIAL)
COLUMNS = "kaoping.plugins.jiangsu_nantong.columns"


def item_points(
    row: ValueRow, breakthrough: Decimal, completed: Decimal, cap: Decimal, ctx: ScoringContext
) -> tuple[Decimal, str] | None:
    """The points of one item and the band it fell in; None (with a problem recorded) when the row is invalid."""
    standard = row.baseline
    if standard is None or standard <= 0:
        message = f"item {row.item!r}: the standard score (baseline, 标准分值) must be positive"
        ctx.problem(message, row.where, "baseline")
        return None
    if row.target is not None:
        if row.target <= 0 or row.value < 0:
            ctx.problem(f"item {row.item!r}: 完成值 must be ≥ 0 and 目标值 (target) positive", row.where, "target")
            return None
        if row.value >= row.target:
            ctx.problem(
                f"item {row.item!r}: 完成值 {row.value} reaches 目标值 {row.target}, so the target was completed "
                "and is scored by vote: enter the vote share as the value and leave the target empty",
                row.where,
                "target",
            )
            return None
        return standard * min(divide(row.value, row.target), cap), "未完成"
    if not completed <= row.value <= ONE:
        ctx.problem(
            f"item {row.item!r}: a voted share must lie in [{completed:%}, 100%] of the standard score "
            f"(write 95% or 0.95), got {row.value}",
            row.where,
            "value",
        )
        return None
    band = "新突破" if row.value >= breakthrough else "完成"
    return standard * row.value, band


@method(
    "nantong_targets",
    "indicator",
    vectorised=lazy_form(COLUMNS, "targets"),
    value_kind=("ratio", "amount"),
    params=[
        Param("breakthrough", required=True, doc="lowest voted share of the breakthrough band (90%)"),
        Param("completed", required=True, doc="lowest voted share of the completed band (80%)"),
        Param("incomplete_cap", required=True, doc="most an uncompleted item earns, as a share of S (80%)"),
        Param("share", doc="share of the pool's standard scores this indicator's items should make (60%)"),
        Param("pool", kind="list", doc="indicators whose standard scores form the pool (the 职能目标)"),
        Param("tolerance", doc="how far a unit's share may lie from 'share' (左右)"),
    ],
    doc="points × Σ item points / Σ standard scores; items by vote (90–100% / 80–90% of S) or S × min(完成/目标, 80%).",
)
def nantong_targets(
    indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext
) -> dict[str, Award]:
    params = indicator.params
    breakthrough, completed, cap = params["breakthrough"], params["completed"], params["incomplete_cap"]
    if "share" in params:
        _check_pool_points(indicator, ctx)
    awards = {}
    for unit, unit_rows in rows.items():
        earned = standard = ZERO
        bands: dict[str, int] = {}
        ok = True
        for row in sorted(unit_rows, key=lambda r: r.item):
            found = item_points(row, breakthrough, completed, cap, ctx)
            if found is None:
                ok = False
                continue
            points, band = found
            earned += points
            standard += row.baseline or ZERO
            bands[band] = bands.get(band, 0) + 1
        if not ok:
            continue
        inputs: dict[str, object] = {"items": len(unit_rows), "earned": earned, "standard": standard, "bands": bands}
        if "share" in params and not _share_ok(indicator, unit, standard, unit_rows[0], ctx, inputs):
            continue
        awards[unit] = Award(indicator.points * divide(earned, standard), inputs)
    return awards


def _check_pool_points(indicator: Indicator, ctx: ScoringContext) -> None:
    """The indicator's points must be ``share`` of the pool's points, so the score weights what the data checks."""
    pool = [i for i in ctx.scheme.indicators if i.id in indicator.params.get("pool", [])]
    total = sum((i.points for i in pool), ZERO)
    if total == 0 or divide(indicator.points, total) != indicator.params["share"]:
        ctx.problem(
            f"indicator {indicator.id!r}: its {indicator.points} points are not {indicator.params['share']:%} of the "
            f"{total} points of {', '.join(indicator.params.get('pool', []))}; override points and share together"
        )


def _share_ok(
    indicator: Indicator,
    unit: str,
    own: Decimal,
    first: ValueRow,
    ctx: ScoringContext,
    inputs: dict[str, object],
) -> bool:
    """「一般要達到職能目標總分的60%左右」: the unit's own standard scores against the pool's; a guideline, so
    a unit outside the range is warned about and scored all the same."""
    params = indicator.params
    tolerance = params.get("tolerance", ZERO)
    values = ctx.dataset.values_by_indicator
    pool_total = sum(
        (r.baseline or ZERO for other in params.get("pool", []) for r in values.get(other, {}).get(unit, [])), ZERO
    )
    actual = divide(own, pool_total) if pool_total else ZERO
    inputs["share"] = actual
    if abs(actual - params["share"]) > tolerance:
        ctx.warning(
            _(
                "unit {unit!r}: key-work standard scores are {own} of {pool} 职能目标 points ({actual:.2%}); "
                "「一般要達到職能目標總分的60%左右」 suggests about {share:%} (± {tolerance:%})"
            ).format(unit=unit, own=own, pool=pool_total, actual=actual, share=params["share"], tolerance=tolerance),
            first.where,
            "baseline",
        )
    return True


@method(
    "nantong_review",
    "indicator",
    vectorised=lazy_form(COLUMNS, "review"),
    value_kind="count",
    params=[
        Param("channels", kind="table", required=True, doc="市领导评鉴 / 社会评议 → weight, adding up to 100%"),
        Param("leader_levels", kind="table", required=True, doc="先进 / 良好 / 达标 → share of the points"),
        Param("social_levels", kind="table", required=True, doc="满意 / 基本满意 / 不满意 → share of the points"),
    ],
    doc="points × Σ over the two reviews of weight × Σ(votes × level value) / Σ votes (item = level).",
)
def nantong_review(
    indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext
) -> dict[str, Award]:
    params = indicator.params
    channels: Mapping[str, Decimal] = params["channels"]
    tables: dict[str, Mapping[str, Decimal]] = {LEADER: params["leader_levels"], SOCIAL: params["social_levels"]}
    if not _review_tables_ok(indicator, channels, tables, ctx):
        return {}
    channel_of = {level: channel for channel, table in tables.items() for level in table}
    awards = {}
    for unit, unit_rows in rows.items():
        votes: dict[str, dict[str, Decimal]] = {c: dict.fromkeys(tables[c], ZERO) for c in CHANNELS}
        ok = True
        for row in unit_rows:
            channel = channel_of.get(row.item)
            if channel is None:
                ctx.problem(f"review level {row.item!r} is not one of {', '.join(channel_of)}", row.where, "item")
                ok = False
            elif row.value < 0:
                ctx.problem("a vote count cannot be negative", row.where, "value")
                ok = False
            else:
                votes[channel][row.item] += row.value
        empty = [c for c in CHANNELS if sum(votes[c].values(), ZERO) == 0]
        if empty:
            ctx.problem(f"unit {unit!r} has no votes for {', '.join(empty)}", unit_rows[0].where, "value")
            ok = False
        if not ok:
            continue
        shares = {
            c: divide(sum((n * tables[c][lv] for lv, n in votes[c].items()), ZERO), sum(votes[c].values(), ZERO))
            for c in CHANNELS
        }
        combined = sum((channels[c] * shares[c] for c in CHANNELS), ZERO)
        awards[unit] = Award(indicator.points * combined, {"votes": votes, "shares": shares, "weights": dict(channels)})
    return awards


def _review_tables_ok(
    indicator: Indicator,
    channels: Mapping[str, Decimal],
    tables: Mapping[str, Mapping[str, Decimal]],
    ctx: ScoringContext,
) -> bool:
    problems = []
    if set(channels) != set(CHANNELS):
        problems.append(f"channels must be exactly {' and '.join(CHANNELS)}, got {', '.join(channels)}")
    elif sum(channels.values(), ZERO) != ONE:
        problems.append(f"channel weights add up to {sum(channels.values(), ZERO)}, not 1")
    for channel, table in tables.items():
        for level, value in table.items():
            if not isinstance(value, Decimal) or not ZERO <= value <= ONE:
                problems.append(f"{channel} level {level!r}: value must be a share in [0, 1], got {value!r}")
    if set(tables[LEADER]) & set(tables[SOCIAL]):
        problems.append("a level name is used by both reviews")
    for message in problems:
        ctx.problem(f"indicator {indicator.id!r}: {message}")
    return not problems
