"""The scoring steps the engine shares: event rules, vetoes that cost points, caps, bases and floors.

The engine (:mod:`kaoping.core.columnar.engine`) scores the indicators on arrays and closes the parts on
arrays (:mod:`kaoping.core.columnar.closing`); the steps on sparse entries (rules, caps of rules, vetoes)
and the entries every step writes are here. Order of operations, per scheme (each step documented
because it changes numbers):

1. every indicator's method scores all units at once; points are rounded to the scheme precision; then
   ``[[caps]]`` over indicators cap the combined output of their methods;
2. every rule's method prices all its events at once; then, per event, in this order: the self-report
   exemption (免予扣分), the joint-credit split (主办 / 联办), the sign (deductions are negative), and
   rounding to the scheme precision;
3. 'same matter counted once at its highest' (同一事项就高) within each rule's ``same_matter`` scope; then
   the bonus limits across units: ``only_if_deducted``, then ``at_most_share`` (:mod:`kaoping.core.rule_limits`);
4. per-rule caps, then cap groups in the order the scheme declares them (items before categories);
5. vetoes whose effect is ``deduct`` enter their part;
6. per part: the base (a deduction part starts at its points), the part cap, then the floor: below it
   either nothing more is lost (``stop``, 扣完为止) or the excess is taken from the total (``total``);
7. ``[[caps]]`` over several parts: the excess is taken from the listed parts, last first.

Every step writes trail entries; cap and floor steps write the correcting entry, so the trail still adds
up to the total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

import attrs

from kaoping.core.methods import Award, MethodRegistry, ScoringContext
from kaoping.core.models import Dataset, EventRow, Unit
from kaoping.core.numbers import ZERO, format_points
from kaoping.core.results import ScoreTable, TrailEntry, UnitScore, Veto
from kaoping.core.rule_limits import limit_bonuses
from kaoping.core.scheme import Indicator, Part, Rule, Scheme
from kaoping.locale import N_, _

# the note of an optional indicator a unit has no value for (both engines write it)
OPTIONAL_NO_DATA = N_("no data; the indicator is optional")


def parts_for(scheme: Scheme, unit: Unit) -> tuple[str, ...]:
    """The parts a unit is scored on: its group's restriction, or every part."""
    return scheme.group_parts(unit.group)


def scores_indicator(scheme: Scheme, group_id: str, indicator: Indicator, parts_scored: tuple[str, ...]) -> bool:
    """Whether a unit of ``group_id`` is scored on ``indicator`` (its part, and its group's list if any)."""
    if indicator.part not in parts_scored:
        return False
    group = scheme.group(group_id)
    return group is None or group.indicators is None or indicator.id in group.indicators


# ---------------------------------------------------------------------------------------------------------


def _has_required(item: Indicator | Rule, ctx: ScoringContext, used: bool) -> bool:
    """Whether every number listed in the item's ``required`` has been given, as a method parameter or
    as one of the item's own fields (a rule's ``cap``); a problem is recorded when data uses the item."""
    missing = [name for name in item.required if name not in item.params and getattr(item, name, None) is None]
    if missing and used:
        reason = _(" (the source gives no number: 「{quote}」)").format(quote=item.quote) if item.quote else ""
        ctx.problem(
            _(
                "'{item}' is used by the data but the deployment has not set {items}{reason}; "
                "set it in the scheme overrides"
            ).format(item=item.id, items=", ".join(missing), reason=reason)
        )
        return False
    return True


# ---------------------------------------------------------------------------------------------------------


def _score_rules(
    scheme: Scheme, dataset: Dataset, registry: MethodRegistry, ctx: ScoringContext, table: ScoreTable
) -> None:
    events_by_rule: dict[str, list[EventRow]] = defaultdict(list)
    for event in sorted(dataset.events, key=_event_order):
        events_by_rule[event.rule].append(event)
    per_unit: dict[str, list[TrailEntry]] = defaultdict(list)
    matters: dict[tuple[str, str, str], list[TrailEntry]] = defaultdict(list)
    for rule in scheme.rules:
        events = [e for e in events_by_rule.get(rule.id, []) if rule.part in table[e.unit].parts_scored]
        if not events or not _has_required(rule, ctx, True):
            continue
        method = registry.get(rule.method)
        assert method is not None
        awards = method.fn(rule, events, ctx)
        for event, award in zip(events, awards, strict=True):
            entry = _rule_entry(rule, event, award, ctx, method.plugin)
            per_unit[event.unit].append(entry)
            if rule.same_matter and event.matter:
                matters[(event.unit, rule.same_matter, event.matter)].append(entry)
    replaced = _highest_once(matters)
    by_unit = {unit: [replaced.get(id(e), e) for e in entries] for unit, entries in per_unit.items()}
    limit_bonuses(scheme, dataset, table, by_unit)
    for unit, entries in by_unit.items():
        for entry in entries:
            table[unit].add(entry)
        _apply_caps(scheme, table[unit], entries, ctx)


def _event_order(event: EventRow) -> tuple:
    """A canonical order of events, so that results never depend on the order of rows in a file."""
    return (
        event.unit,
        event.matter,
        event.date,
        event.level,
        event.rank,
        str(event.quantity),
        str(event.points),
        event.role,
        event.self_reported,
        event.count,
        event.note,
    )


def _rule_entry(rule: Rule, event: EventRow, award: Award, ctx: ScoringContext, plugin: str) -> TrailEntry:
    inputs = dict(award.inputs)
    if event.matter:
        inputs["matter"] = event.matter
    if event.date:
        inputs["date"] = event.date
    amount = award.points
    note = award.note or event.note
    if rule.self_report_exempt and event.self_reported:
        amount, note = ZERO, "self-reported or self-investigated: exempt (免予扣分)"
    if rule.joint is not None and event.role:
        role = event.role
        if role not in rule.joint:
            ctx.problem(
                _("rule '{rule}': role must be one of {items}, got '{role}'").format(
                    rule=rule.id, items=", ".join(rule.joint), role=role
                ),
                event.where,
                "role",
            )
        else:
            inputs["role"] = role
            inputs["share"] = rule.joint[role]
            amount = amount * rule.joint[role]
    return TrailEntry(
        kind="rule",
        rule=rule.id,
        label=rule.name,
        part=rule.part,
        points=ctx.round(rule.sign * amount),
        inputs=inputs,
        note=note,
        plugin=plugin or "builtin",
    )


def _highest_once(matters: dict[tuple[str, str, str], list[TrailEntry]]) -> dict[int, TrailEntry]:
    """For each (unit, scope, matter) keep the largest amount; the others become 0 with a note."""
    replaced: dict[int, TrailEntry] = {}
    for (_unit, scope, matter), entries in matters.items():
        if len(entries) < 2:
            continue
        keep = max(entries, key=lambda e: (abs(e.points), -entries.index(e)))
        for entry in entries:
            if entry is not keep:
                replaced[id(entry)] = TrailEntry(
                    kind=entry.kind,
                    rule=entry.rule,
                    label=entry.label,
                    part=entry.part,
                    points=ZERO,
                    inputs={**entry.inputs, "would_be": entry.points},
                    note=_("same matter '{matter}' counted once at its highest ({rule}, scope {scope})").format(
                        matter=matter, rule=keep.label or keep.rule, scope=scope
                    ),
                    plugin=entry.plugin,
                )
    return replaced


def _apply_caps(scheme: Scheme, score: UnitScore, entries: list[TrailEntry], ctx: ScoringContext) -> None:
    by_rule: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in entries:
        by_rule[entry.rule] += entry.points
    rules = {r.id: r for r in scheme.rules}
    for rule_id, points in list(by_rule.items()):
        rule = rules[rule_id]
        if rule.cap is not None and abs(points) > rule.cap:
            correction = rule.sign * rule.cap - points
            score.add(_cap_entry(f"{rule.id}", rule.name, rule.part, points, rule.cap, correction, rule.quote))
            by_rule[rule_id] += correction
    for cap in scheme.caps:
        if not cap.rules:
            continue  # caps over indicators and parts are applied on arrays (kaoping.core.columnar.closing)
        points = sum((by_rule.get(r, ZERO) for r in cap.rules), ZERO)
        limit = cap.limit(scheme)
        if abs(points) > limit:
            sign = 1 if points > 0 else -1
            correction = sign * limit - points
            part = rules[cap.rules[0]].part
            score.add(_cap_entry(f"cap:{cap.id}", cap.name, part, points, limit, correction, cap.quote))
            # spread the correction over the capped rules so an enclosing cap sees the capped amount
            by_rule[cap.rules[0]] += correction


def _cap_entry(
    rule: str, label: str, part: str, points: Decimal, limit: Decimal, correction: Decimal, quote: str
) -> TrailEntry:
    return TrailEntry(
        kind="cap",
        rule=rule,
        label=_("{label}: cap {limit}").format(label=label, limit=format_points(limit)),
        part=part,
        points=correction,
        inputs={"before_cap": points, "cap": limit},
        note=quote,
    )


# ---------------------------------------------------------------------------------------------------------


def _apply_veto_deductions(scheme: Scheme, vetoes: Sequence[Veto], ctx: ScoringContext, table: ScoreTable) -> None:
    names = {area.id: area.name for area in scheme.vetoes}
    for veto in vetoes:
        if veto.effect != "deduct" or veto.unit not in table.scores:
            continue
        if veto.part not in table[veto.unit].parts_scored:
            continue
        table[veto.unit].add(
            TrailEntry(
                kind="veto",
                rule=f"veto:{veto.area}",
                label=_("veto: {area}").format(area=names.get(veto.area) or veto.area),
                part=veto.part,
                points=ctx.round(-(veto.points or ZERO)),
                inputs={"area": veto.area, "source": veto.source},
                note=veto.note,
                plugin=veto.plugin,
            )
        )


def base_entry(part: Part) -> TrailEntry:
    """Where a part with a base (a deduction part) starts."""
    return TrailEntry(
        kind="base",
        rule=f"{part.id}.base",
        label=_("{part}: starts at").format(part=part.name or part.id),
        part=part.id,
        points=part.base,
        note=part.quote,
    )


def floor_entries(part: Part, points: Decimal) -> list[TrailEntry]:
    """The floor's correcting entry for a part at ``points`` below it, and the overflow into the total
    when the part's deductions beyond the floor are taken from the total."""
    assert part.floor is not None
    lifted = part.floor - points
    entries = [
        TrailEntry(
            kind="floor",
            rule=f"{part.id}.floor",
            label=_("{part}: floor {floor}").format(part=part.name or part.id, floor=format_points(part.floor)),
            part=part.id,
            points=lifted,
            inputs={"before_floor": points},
            note=part.quote,
        )
    ]
    if part.below_floor == "total":
        entries.append(
            TrailEntry(
                kind="overflow",
                rule=f"{part.id}.overflow",
                label=_("{part}: deductions beyond the part taken from the total").format(part=part.name or part.id),
                part=None,
                points=-lifted,
                note=part.quote,
            )
        )
    return entries


def add_within_bounds(score: UnitScore, part: Part, entry: TrailEntry) -> TrailEntry:
    """Add ``entry`` to a unit whose parts are already closed, keeping ``part`` inside its cap and floor.

    For a ``kaoping_score`` wrapper: the core has applied caps and floors when the wrapper runs, so a plain
    ``add`` could lift a part past its cap (or sink it under its floor). The entry's points are cut to what
    the part still has room for; the cut is shown in the entry's inputs (``asked``) and note. Returns the
    entry as added (``points`` may be 0 when the part is already at its bound).
    """
    current = score.part_points(part.id)
    after = current + entry.points
    limit: Decimal | None = None  # the bound that applies to this entry's sign
    if part.cap is not None and entry.points > 0:
        after = min(after, max(part.cap, current))
        limit = part.cap
    if part.floor is not None and entry.points < 0:
        after = max(after, min(part.floor, current))
        limit = part.floor
    points = after - current
    if points != entry.points and limit is not None:  # only a bound can change the points
        entry = attrs.evolve(
            entry,
            points=points,
            inputs={**entry.inputs, "asked": entry.points},
            note=(entry.note + "; " if entry.note else "")
            + _("{part}: limited to {limit}").format(part=part.name, limit=format_points(limit)),
        )
    score.add(entry)
    return entry
