"""Rule methods: the amount of each deduction or bonus event, before the engine applies sign,
joint-credit split, exemptions, 'same matter once' and caps."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from kaoping.core.methods import Award, Param, ScoringContext, method
from kaoping.core.models import EventRow
from kaoping.core.numbers import ZERO, divide, format_points
from kaoping.core.scheme import Rule
from kaoping.locale import N_, _

# --------------------------------------------------------------------------------------------------------
# rule methods: the amount of each event, before the engine applies sign, split, exemptions and caps


def _count(event: EventRow) -> Decimal:
    return Decimal(event.count)


@method(
    "per_event",
    "rule",
    value_kind="count",
    params=[
        Param("points", doc="points per event (per person-time, per case)"),
        Param("points_by", kind="text", doc="event column the amount depends on, e.g. 'rank' or 'level'"),
        Param("points_table", kind="table", doc="value of that column → points per event"),
    ],
    doc=N_("count × points per event, or × points looked up by an attribute (科级以上 15 / 科级以下 10)."),
)
def per_event(rule: Rule, events: Sequence[EventRow], ctx: ScoringContext) -> list[Award]:
    column = rule.params.get("points_by")
    table: Mapping[str, Decimal] = rule.params.get("points_table") or {}
    flat = rule.params.get("points")
    awards = []
    for event in events:
        if column:
            key = event.column(column)
            if key not in table:
                ctx.problem(
                    _("rule '{rule}' needs {column} to be one of {items}, got '{key}'").format(
                        rule=rule.id, column=column, items=", ".join(table), key=key
                    ),
                    event.where,
                    column,
                )
                awards.append(Award(ZERO))
                continue
            each = table[key]
            awards.append(Award(each * _count(event), {"count": event.count, column: key, "each": each}))
        elif flat is None:
            ctx.problem(_("rule {rule!r} needs 'points', or 'points_by' with 'points_table'").format(rule=rule.id))
            awards.append(Award(ZERO))
        else:
            awards.append(Award(flat * _count(event), {"count": event.count, "each": flat}))
    return awards


@method(
    "discretionary",
    "rule",
    value_kind="points",
    params=[
        Param("min", default=0, doc="the least an authority may assess per event"),
        Param("max", required=True, doc="the most an authority may assess per event"),
    ],
    doc=N_("An amount the authority assesses per event (the event's points column), bounded by [min, max]."),
)
def discretionary(rule: Rule, events: Sequence[EventRow], ctx: ScoringContext) -> list[Award]:
    low, high = rule.params.get("min", ZERO), rule.params["max"]
    awards = []
    for event in events:
        if event.points is None:
            ctx.problem(
                _("rule '{rule}' is assessed case by case: the event needs its points").format(rule=rule.id),
                event.where,
                "points",
            )
            awards.append(Award(ZERO))
        elif not low <= event.points <= high:
            ctx.problem(
                _("rule '{rule}' allows {low} to {high} points per event, got {points}").format(
                    rule=rule.id, low=low, high=high, points=event.points
                ),
                event.where,
                "points",
            )
            awards.append(Award(ZERO))
        else:
            awards.append(Award(event.points * _count(event), {"count": event.count, "assessed": event.points}))
    return awards


@method(
    "per_quantity",
    "rule",
    value_kind="amount",
    params=[
        Param("step", required=True, doc="the quantity that earns one award (e.g. 500000 yuan)"),
        Param("points", required=True, doc="points per whole step"),
    ],
    doc=N_("Points per whole step of a quantity: floor(quantity / step) × points (每争取50万元得1分)."),
)
def per_quantity(rule: Rule, events: Sequence[EventRow], ctx: ScoringContext) -> list[Award]:
    step, points = rule.params["step"], rule.params["points"]

    def price(quantity: Decimal) -> Award:
        steps = int(divide(quantity, step))  # whole steps only
        return Award(points * steps, {"quantity": quantity, "steps": steps})

    return [_priced_by_quantity(rule, event, ctx, price) for event in events]


@method(
    "threshold_step",
    "rule",
    value_kind="amount",
    params=[
        Param("threshold", required=True, doc="the quantity that earns the base points"),
        Param("base", required=True, doc="points at the threshold"),
        Param("step", required=True, doc="each further whole step of quantity"),
        Param("points", required=True, doc="points per further step"),
    ],
    doc=N_("Base points at a threshold plus points per further whole step (1000万 → 5, +1 per 300万)."),
)
def threshold_step(rule: Rule, events: Sequence[EventRow], ctx: ScoringContext) -> list[Award]:
    threshold, base, step, points = (rule.params[k] for k in ("threshold", "base", "step", "points"))

    def price(quantity: Decimal) -> Award:
        if quantity < threshold:
            return Award(ZERO, {"quantity": quantity}, f"below the threshold {format_points(threshold)}")
        steps = int(divide(quantity - threshold, step))
        return Award(base + points * steps, {"quantity": quantity, "further_steps": steps})

    return [_priced_by_quantity(rule, event, ctx, price) for event in events]


def _priced_by_quantity(rule: Rule, event: EventRow, ctx: ScoringContext, price: Callable[[Decimal], Award]) -> Award:
    """Check the event's quantity, then price it; a missing or negative quantity is a problem, not 0."""
    if event.quantity is None or event.quantity < 0:
        ctx.problem(_("rule '{rule}' needs a non-negative quantity").format(rule=rule.id), event.where, "quantity")
        return Award(ZERO)
    return price(event.quantity)
