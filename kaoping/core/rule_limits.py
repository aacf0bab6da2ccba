"""Limits a scheme states as data that look across units or across items: each a correcting trail entry.

* ``only_if_deducted`` on a bonus rule: the bonus counts only where more than a share of the units were
  deducted on the named items (「扣分单位超过…%的…加分」);
* ``at_most_share`` on a bonus rule: at most a share of the units keep the bonus, the largest first
  (「加分单位不超过…%」); units tied across the last place all lose it, because giving it to all of them
  would pass the share;
* ``[[caps]]`` over ``indicators`` (a method's output) and over ``parts`` (several budgets together): the
  engine applies them on its arrays (:mod:`kaoping.core.columnar.closing`) with :func:`cap_correction`.

Every correction is a ``cap`` trail entry with the amount before and the limit in its inputs, so the trail
still adds up to the total. Arithmetic is exact (``Decimal``); a share of units is rounded down.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import ROUND_FLOOR, Decimal

from kaoping.core.models import Dataset
from kaoping.core.numbers import ZERO, format_points
from kaoping.core.results import ScoreTable, TrailEntry
from kaoping.core.scheme import CapGroup, Rule, Scheme
from kaoping.locale import _


def limit_bonuses(scheme: Scheme, dataset: Dataset, table: ScoreTable, entries: Mapping[str, list[TrailEntry]]) -> None:
    """Apply ``only_if_deducted`` then ``at_most_share`` to every bonus rule, appending corrections to
    ``entries`` (unit → rule entries, before the rule and cap-group caps see them)."""
    for rule in scheme.rules:
        if rule.only_if_deducted is not None:
            _only_if_deducted(scheme, dataset, table, entries, rule)
        if rule.at_most_share is not None:
            _at_most_share(scheme, dataset, table, entries, rule)


def _scope_key(scheme: Scheme, dataset: Dataset, unit: str, scope: str) -> str:
    if scope == "all":
        return ""
    group_id = dataset.unit_by_id[unit].group
    group = scheme.group(group_id)
    return group.ranking_pool if group is not None else group_id


def _rule_points(entries: Iterable[TrailEntry], rule_id: str) -> Decimal:
    return sum((e.points for e in entries if e.rule == rule_id), ZERO)


def _only_if_deducted(
    scheme: Scheme, dataset: Dataset, table: ScoreTable, entries: Mapping[str, list[TrailEntry]], rule: Rule
) -> None:
    condition = rule.only_if_deducted
    assert condition is not None
    item_parts = {i.part for i in scheme.indicators if i.id in condition.items}
    item_parts |= {r.part for r in scheme.rules if r.id in condition.items}
    indicator_points = {i.id: i.points for i in scheme.indicators if i.id in condition.items}
    counted: dict[str, int] = defaultdict(int)
    deducted: dict[str, int] = defaultdict(int)
    for score in table:
        if not item_parts & set(score.parts_scored):
            continue
        key = _scope_key(scheme, dataset, score.unit, condition.scope)
        counted[key] += 1
        lost = any(_rule_points(entries.get(score.unit, ()), item) < 0 for item in condition.items)
        lost = lost or any(
            points < indicator_points[indicator]
            for indicator, points in score.indicator_points().items()
            if indicator in indicator_points
        )
        deducted[key] += lost
    for unit, unit_entries in entries.items():
        points = _rule_points(unit_entries, rule.id)
        if points <= 0:
            continue
        key = _scope_key(scheme, dataset, unit, condition.scope)
        share = Decimal(deducted[key]) / counted[key] if counted[key] else ZERO
        if share > condition.above:
            continue
        note = _(
            "{deducted} of {counted} units deducted on {items} ({share}%), not more than {above}%: no bonus"
        ).format(
            deducted=deducted[key],
            counted=counted[key],
            items="、".join(condition.items),
            share=format_points(share * 100),
            above=format_points(condition.above * 100),
        )
        unit_entries.append(
            _correction(rule.id, rule.name, rule.part, points, -points, note, {"deducted": deducted[key]})
        )


def _at_most_share(
    scheme: Scheme, dataset: Dataset, table: ScoreTable, entries: Mapping[str, list[TrailEntry]], rule: Rule
) -> None:
    share = rule.at_most_share
    assert share is not None
    counted: dict[str, int] = defaultdict(int)
    for score in table:
        if rule.part in score.parts_scored:
            counted[_scope_key(scheme, dataset, score.unit, rule.share_scope)] += 1
    awarded: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for unit, unit_entries in entries.items():
        points = _rule_points(unit_entries, rule.id)
        if points > 0:
            awarded[_scope_key(scheme, dataset, unit, rule.share_scope)].append((unit, points))
    for key, units in awarded.items():
        places = int((share * counted[key]).to_integral_value(rounding=ROUND_FLOOR))
        for unit, points in units:
            at_least_as_good = sum(1 for _unit, other in units if other >= points)
            if at_least_as_good <= places:
                continue
            note = _("at most {share}% of {counted} units get this bonus ({places} places)").format(
                share=format_points(share * 100), counted=counted[key], places=places
            )
            entries[unit].append(_correction(rule.id, rule.name, rule.part, points, -points, note, {"places": places}))


def _correction(
    rule: str, label: str, part: str | None, before: Decimal, points: Decimal, note: str, extra: dict
) -> TrailEntry:
    return TrailEntry(
        kind="cap",
        rule=rule,
        label=label,
        part=part,
        points=points,
        inputs={"before_limit": before, **extra},
        note=note,
    )


def cap_correction(
    cap: CapGroup, part: str, points: Decimal, limit: Decimal, correction: Decimal | None = None
) -> TrailEntry:
    """The correcting entry of a ``[[caps]]`` over indicators or parts: ``points`` before the cap, the
    ``limit``, and the correction (``limit - points`` unless given: over parts, what one part gives up)."""
    return TrailEntry(
        kind="cap",
        rule=f"cap:{cap.id}",
        label=f"{cap.name}: cap {format_points(limit)}",
        part=part,
        points=limit - points if correction is None else correction,
        inputs={"before_cap": points, "cap": limit},
        note=cap.quote,
    )
