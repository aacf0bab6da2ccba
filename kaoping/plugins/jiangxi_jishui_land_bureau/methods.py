"""Methods for items the core methods cannot say: two indicator methods of the 个性考评项目, and the
absences rule of the common items (``jishui_absences``: 「无故缺席的扣0.2分,缺席3次以上此项不得分」).

``jishui_cases_short`` — 地政地籍股 权属纠纷: 「纠纷处理率达90%以上(5分),差一起扣1分」. A rate is met by a whole
number of cases, so the cases short of the rate are ⌈rate × arising⌉ − handled (never below 0) and each
costs ``points_per_case``. ``value`` = disputes handled, ``target`` = disputes arising in the year.

``jishui_all_rates_met`` — 地质矿产股 年检发证: 「省、市两级发证矿山年检比例达到95%…县级发证矿山年检比例达到90%(10分)。
年检不达标的该项不得分」. One row per licensing level (``item``), ``value`` = that level's inspection rate;
full points only when every level listed in ``thresholds`` reaches its threshold (以上/达到 includes it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal

from kaoping.api import ZERO, Award, EventRow, Indicator, Param, Rule, ScoringContext, ValueRow, format_points, method
from kaoping.locale import _
from kaoping.plugins._common.vectorised import lazy_form

COLUMNS = "kaoping.plugins.jiangxi_jishui_land_bureau.columns"


def _number(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


@method(
    "jishui_cases_short",
    "indicator",
    vectorised=lazy_form(COLUMNS, "cases_short"),
    value_kind="count",
    params=[
        Param("rate", required=True, doc="the handling rate to reach (0.9 for 90%)"),
        Param("points_per_case", required=True, doc="points lost per case short of the rate (差一起扣1分)"),
    ],
    doc="points - per_case × max(ceil(rate × target) - value, 0), never below 0 (value = handled, target = arising).",
)
def jishui_cases_short(
    indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext
) -> dict[str, Award]:
    rate = _number(indicator.params["rate"])
    per_case = _number(indicator.params["points_per_case"])
    awards: dict[str, Award] = {}
    for unit, unit_rows in rows.items():
        if len(unit_rows) != 1:
            ctx.problem(f"unit {unit!r} has {len(unit_rows)} rows for indicator {indicator.id!r}; expected one")
            continue
        row = unit_rows[0]
        if row.target is None or row.target < 0 or row.value < 0 or row.value > row.target:
            ctx.problem(
                f"indicator {indicator.id!r}: value = cases handled, target = cases arising (0 ≤ value ≤ target)",
                row.where,
                "target",
            )
            continue
        needed = Decimal(math.ceil(rate * row.target))
        short = max(needed - row.value, ZERO)
        points = max(indicator.points - per_case * short, ZERO)
        awards[unit] = Award(
            points,
            {"handled": row.value, "arising": row.target, "needed": needed, "short": short},
            note=f"{format_points(row.value)}/{format_points(row.target)} handled, "
            f"{format_points(short)} short of {format_points(rate * 100)}%",
        )
    return awards


@method(
    "jishui_all_rates_met",
    "indicator",
    vectorised=lazy_form(COLUMNS, "all_rates_met"),
    value_kind="ratio",
    params=[Param("thresholds", kind="table", required=True, doc="rate to reach per item, e.g. { 县级 = 0.9 }")],
    doc="Full points when every item's rate reaches its threshold, else 0 (item = licensing level).",
    items="thresholds",
)
def jishui_all_rates_met(
    indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext
) -> dict[str, Award]:
    thresholds = {str(k): _number(v) for k, v in indicator.params["thresholds"].items()}
    awards: dict[str, Award] = {}
    for unit, unit_rows in rows.items():
        by_item = {row.item: row for row in unit_rows}
        unknown = [row for row in unit_rows if row.item not in thresholds]
        for row in unknown:
            ctx.problem(
                f"indicator {indicator.id!r}: item {row.item!r} is not one of {', '.join(thresholds)}",
                row.where,
                "item",
            )
        missing = [item for item in thresholds if item not in by_item]
        if missing:
            ctx.problem(
                f"unit {unit!r}: indicator {indicator.id!r} needs a rate for {', '.join(missing)}",
                unit_rows[0].where,
                "item",
            )
        if unknown or missing or len(by_item) != len(unit_rows):
            continue
        failed = [item for item, limit in thresholds.items() if by_item[item].value < limit]
        inputs = {item: by_item[item].value for item in thresholds}
        awards[unit] = Award(
            ZERO if failed else indicator.points,
            {**inputs, "failed": ", ".join(failed) or "none"},
            note=("not met: " + ", ".join(failed)) if failed else "every level met",
        )
    return awards


@method(
    "jishui_absences",
    "rule",
    value_kind="count",
    params=[
        Param("points", required=True, doc="points lost per unexcused absence (无故缺席的扣0.2分)"),
        Param("forfeit_at", required=True, doc="absences that forfeit the item (缺席3次以上: 3 or more)"),
        Param("forfeit", required=True, doc="the item's points, all lost at forfeit_at absences"),
    ],
    doc="points × absences; at forfeit_at absences or more in the year the whole item (forfeit) is lost.",
)
def jishui_absences(rule: Rule, events: Sequence[EventRow], ctx: ScoringContext) -> list[Award]:
    """「无故缺席的扣0.2分,缺席3次以上此项不得分」: each absence costs ``points``; once a unit's absences in the
    year reach ``forfeit_at`` the item is forfeited, so its latest absence row carries the rest of the item."""
    each, forfeit_at, forfeit = (_number(rule.params[k]) for k in ("points", "forfeit_at", "forfeit"))
    awards = [Award(each * event.count, {"count": event.count, "each": each}) for event in events]
    rows_of_unit: dict[str, list[int]] = {}
    for position, event in enumerate(events):
        rows_of_unit.setdefault(event.unit, []).append(position)
    for positions in rows_of_unit.values():
        absences = sum(events[p].count for p in positions)
        if absences < forfeit_at:
            continue
        last = max(positions, key=lambda p: (events[p].date, p))
        rest = forfeit - sum((awards[p].points for p in positions), ZERO)
        if rest > 0:
            awards[last] = Award(
                awards[last].points + rest,
                {**awards[last].inputs, "absences": absences, "forfeit": forfeit},
                _(
                    "{absences} absences, at least {forfeit_at}: the item is forfeited (「缺席3次以上此项不得分」)"
                ).format(absences=absences, forfeit_at=format_points(forfeit_at)),
            )
    return awards
