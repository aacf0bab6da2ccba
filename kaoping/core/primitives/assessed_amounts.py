"""Methods for amounts assessed item by item or elsewhere.

* ``fraction_of_assessed`` (rule): joint liability (连带责任) is the common case:
  「连带责任分值=被考核人应扣分值÷2」 takes a fixed fraction of the deduction a subordinate received. The
  subordinate's deduction is the event's ``points`` per occurrence times its ``count`` (caught twice: twice
  the amount); the rule's ``fraction`` is the share passed on.
* ``plan_items`` (indicator): a unit sets its own indicators and points at the start of the year
  (「年初…制定考评指标及分值」); the assessor awards points per item, each at most the item's planned
  points; the score is the indicator's points × awarded / planned, so plans of any size compare on one scale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kaoping.core.methods import Award, Param, ScoringContext, method
from kaoping.core.models import EventRow, ValueRow
from kaoping.core.numbers import ZERO, divide
from kaoping.core.scheme import Indicator, Rule
from kaoping.locale import N_, _


@method(
    "fraction_of_assessed",
    "rule",
    value_kind="points",
    params=[Param("fraction", default=1, doc="the share of the assessed amount this rule takes (÷2 → 0.5)")],
    doc=N_("fraction × count × the amount assessed on the event (points column), e.g. half a subordinate's deduction."),
)
def fraction_of_assessed(rule: Rule, events: Sequence[EventRow], ctx: ScoringContext) -> list[Award]:
    fraction = rule.params["fraction"]  # bound with its default
    awards = []
    for event in events:
        if event.points is None or event.points < 0:
            ctx.problem(
                _("rule '{rule}' needs the assessed amount (points ≥ 0) on each event").format(rule=rule.id),
                event.where,
                "points",
            )
            awards.append(Award(ZERO))
            continue
        assessed = event.points * event.count
        awards.append(Award(assessed * fraction, {"assessed": assessed, "count": event.count, "fraction": fraction}))
    return awards


@method(
    "plan_items",
    "indicator",
    value_kind="points",
    doc=N_("points × Σ awarded / Σ planned over a unit's own items (value = awarded, target = planned points)."),
)
def plan_items(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    awards = {}
    for unit, unit_rows in rows.items():
        awarded = planned = ZERO
        ok = True
        for row in unit_rows:
            if row.target is None or row.target < 0 or not ZERO <= row.value <= row.target:
                ctx.problem(
                    _("item '{item}' of unit '{unit}': awarded points must lie in [0, planned points (target)]").format(
                        item=row.item, unit=unit
                    ),
                    row.where,
                    "value",
                )
                ok = False
                continue
            awarded += row.value
            planned += row.target
        if not ok:
            continue
        if planned == 0:
            ctx.problem(
                _("unit '{unit}' plans no points for indicator '{indicator}'").format(
                    unit=unit, indicator=indicator.id
                ),
                unit_rows[0].where,
                "target",
            )
            continue
        inputs = {"awarded": awarded, "planned": planned, "items": len(unit_rows)}
        awards[unit] = Award(indicator.points * divide(awarded, planned), inputs)
    return awards
