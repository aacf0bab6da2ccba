"""Conformance checks of the scoring stage: expected results, trails that add up, and monotone rules
(one more deduction never raises a score, one more bonus never lowers one, more done never lowers one)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from kaoping.core.errors import InputError
from kaoping.core.results import ENTRY_KINDS
from kaoping.core.scheme import Rule
from kaoping.core.scoring import parts_for, scores_indicator
from kaoping.locale import N_, _
from kaoping.testing._checks import (
    CheckSkipped,
    _candidate_units,
    _fail,
    _grade_order,
    _json,
    _p,
    _some,
    _units,
    check,
)
from kaoping.testing._perturb import (
    event_for,
    value_changes,
    with_event,
)
from kaoping.testing._subject import Subject


@check("expected-results", "scoring", N_("the sample scores to the author's expected totals, ranks and grades"))
def expected_results(subject: Subject) -> str:
    if subject.expected is None:
        raise CheckSkipped(_("no expected results supplied (expected.csv or expected.json beside the sample)"))
    got = _units(subject.result)
    want = subject.expected.by_unit()
    problems = [_("unit {u}: expected, but the run has no such unit").format(u=u) for u in sorted(set(want) - set(got))]
    problems += [
        _("unit {u}: in the run, but not in {origin}").format(u=u, origin=subject.expected.origin)
        for u in sorted(set(got) - set(want))
    ]
    for unit_id in sorted(set(got) & set(want)):
        have, expected = got[unit_id], want[unit_id]
        if have.total != expected.total:
            problems.append(
                _("unit {unit_id}: total {value}, expected {value2}").format(
                    unit_id=unit_id, value=_p(have.total), value2=_p(expected.total)
                )
            )
        if expected.check_rank and have.rank != expected.rank:
            problems.append(
                _("unit {unit_id}: rank {rank}, expected {rank2}").format(
                    unit_id=unit_id, rank=have.rank, rank2=expected.rank
                )
            )
        if expected.grade is not None and have.grade != expected.grade:
            problems.append(f"unit {unit_id}: grade {have.grade!r}, expected {expected.grade!r}")
        if expected.vetoes is not None:
            areas = tuple(sorted({v.area for v in have.vetoes}))
            if areas != expected.vetoes:
                problems.append(f"unit {unit_id}: vetoes {list(areas)}, expected {list(expected.vetoes)}")
        for key, text in (expected.consequences or {}).items():
            shown = _consequence_text(have.consequences.get(key))
            if shown != text:
                problems.append(f"unit {unit_id}: consequence {key} = {shown!r}, expected {text!r}")
    _fail("expected-results", problems, f"the run differs from {subject.expected.origin}:")
    return f"{len(want)} units match {subject.expected.origin}"


def _consequence_text(value: Any) -> str:
    from kaoping.testing._expected import _text

    return "" if value is None else _text(value)


def _points_json(text: str) -> dict[str, Any]:
    return json.loads(text, parse_float=Decimal)


@check("trail-sums", "scoring", N_("each unit's explanation trail adds up to its parts and total"))
def trail_sums(subject: Subject) -> str:
    scheme, result = subject.scheme, subject.result
    part_ids = {p.id for p in scheme.parts}
    problems = []
    for unit in result.units:
        trail_sum = sum((e.points for e in unit.score.trail), Decimal(0))
        if trail_sum != unit.total:
            problems.append(
                _("unit {unit}: the trail adds up to {value}, but the total is {value2}").format(
                    unit=unit.unit, value=_p(trail_sum), value2=_p(unit.total)
                )
            )
        parts_sum = sum(unit.parts.values(), Decimal(0)) + unit.score.adjustments
        if parts_sum != unit.total:
            problems.append(
                _("unit {unit}: parts and adjustments add up to {value}, total is {value2}").format(
                    unit=unit.unit, value=_p(parts_sum), value2=_p(unit.total)
                )
            )
        for entry in unit.score.trail:
            where = _("unit {unit}, trail entry '{rule}' (plugin {plugin})").format(
                unit=unit.unit, rule=entry.rule, plugin=entry.plugin
            )
            if not isinstance(entry.points, Decimal):
                problems.append(
                    _("{where}: points '{points}' are a {error_type}, not Decimal").format(
                        where=where, points=entry.points, error_type=type(entry.points).__name__
                    )
                )
                continue
            if entry.kind not in ENTRY_KINDS:
                problems.append(
                    _("{where}: kind '{kind}' is not one of {items}").format(
                        where=where, kind=entry.kind, items=", ".join(ENTRY_KINDS)
                    )
                )
            if entry.part is not None and entry.part not in part_ids:
                problems.append(
                    _("{where}: part '{part}' is not a part of the scheme").format(where=where, part=entry.part)
                )
            if entry.points != entry.points.quantize(scheme.precision):
                problems.append(
                    _("{where}: {value} is finer than the scheme precision {precision}").format(
                        where=where, value=_p(entry.points), precision=scheme.precision
                    )
                )
    for unit in _points_json(_json("trail-sums", subject))["units"]:
        explained = sum((Decimal(str(e["points"])) for e in unit["explain"]), Decimal(0))
        if explained != Decimal(str(unit["total"])):
            problems.append(
                _("unit {unit}: JSON explain adds up to {value}, JSON total is {unit2}").format(
                    unit=unit["unit"], value=_p(explained), unit2=unit["total"]
                )
            )
    _fail("trail-sums", problems, _("the explanation trail must add up to each total:"))
    return _("{count} trails add up to their totals").format(count=len(result.units))


def _perturb_rules(subject: Subject, kind: str, check_id: str) -> str:
    baseline = _units(subject.result)
    order = _grade_order(subject.scheme)
    problems: list[str] = []
    unpriced: list[str] = []
    tried = 0
    rules: Iterable[Rule] = (r for r in subject.scheme.rules if r.kind == kind)
    for rule in rules:
        units = _candidate_units(subject, rule.part)
        if not units:
            unpriced.append(
                _("{rule}: no unit of the sample is scored on part '{part}'").format(rule=rule.id, part=rule.part)
            )
            continue
        unit = units[0].id
        event = event_for(rule, unit, subject.dataset)
        try:
            after = _units(subject.run(with_event(subject.dataset, event)))[unit]
        except InputError as error:
            unpriced.append(_("{rule}: {value}").format(rule=rule.id, value=str(error).splitlines()[0]))
            continue
        tried += 1
        before = baseline[unit]
        if kind == "deduction":
            worse_total, verb = after.total > before.total, "raised"
            worse_part = after.parts.get(rule.part, Decimal(0)) > before.parts.get(rule.part, Decimal(0))
            worse_grade = order.get(after.grade, len(order)) < order.get(before.grade, len(order))
        else:
            worse_total, verb = after.total < before.total, "lowered"
            worse_part = after.parts.get(rule.part, Decimal(0)) < before.parts.get(rule.part, Decimal(0))
            worse_grade = order.get(after.grade, len(order)) > order.get(before.grade, len(order))
        what = _("rule '{rule}' ({kind}): one more event for unit {unit}").format(rule=rule.id, kind=kind, unit=unit)
        if worse_total:
            problems.append(
                _("{what} {verb} its total from {value} to {value2}").format(
                    what=what, verb=verb, value=_p(before.total), value2=_p(after.total)
                )
            )
        if worse_part:
            problems.append(
                _("{what} {verb} part '{part}' from {value} to {value2}").format(
                    what=what,
                    verb=verb,
                    part=rule.part,
                    value=_p(before.parts.get(rule.part)),
                    value2=_p(after.parts.get(rule.part)),
                )
            )
        if worse_grade:
            problems.append(
                _("{what} changed its grade from '{grade}' to '{grade2}'").format(
                    what=what, grade=before.grade, grade2=after.grade
                )
            )
    lead = "more deductions must never raise a score:" if kind == "deduction" else "a bonus must never lower a score:"
    _fail(check_id, problems, lead)
    if not tried:
        raise CheckSkipped(
            _("no {kind} rule could be priced from a generated event: {value}").format(kind=kind, value=_some(unpriced))
        )
    note = _("; not perturbed: {value}").format(value=_some(unpriced)) if unpriced else ""
    return _("{tried} {kind} rules perturbed{note}").format(tried=tried, kind=kind, note=note)


@check("deductions-never-raise", "scoring", N_("one more deduction event never raises a score"), "deductions")
def deductions_never_raise(subject: Subject) -> str:
    return _perturb_rules(subject, "deduction", "deductions-never-raise")


@check("bonuses-never-lower", "scoring", N_("one more bonus event never lowers a score"), "bonuses")
def bonuses_never_lower(subject: Subject) -> str:
    return _perturb_rules(subject, "bonus", "bonuses-never-lower")


@check(
    "completion-never-lowers", "scoring", N_("a higher completion of an indicator never lowers a score"), "indicators"
)
def completion_never_lowers(subject: Subject) -> str:
    baseline = _units(subject.result)
    values = subject.dataset.values_by_indicator
    problems: list[str] = []
    untried: list[str] = []
    tried = 0
    for indicator in subject.scheme.indicators:
        lower = indicator.direction == "lower" or indicator.id in subject.lower_is_better
        units = [
            u
            for u in _candidate_units(subject)
            if u.id in values.get(indicator.id, {})
            and scores_indicator(subject.scheme, u.group, indicator, parts_for(subject.scheme, u))
        ]
        done = False
        for unit in units[:3]:
            for row, new_value, dataset in value_changes(subject.dataset, indicator, unit.id, lower):
                try:
                    after = _units(subject.run(dataset))[unit.id]
                except InputError:
                    continue
                before = baseline[unit.id]
                tried += 1
                done = True
                if after.total < before.total:
                    item = _(", item '{item}'").format(item=row.item) if row.item else ""
                    change = "lowering" if lower else "raising"
                    problems.append(
                        _(
                            "indicator '{indicator}' ({method}): {change} unit {unit}'s value{item} from "
                            "{value} to {value2} lowered its total from {value3} to {value4}"
                        ).format(
                            indicator=indicator.id,
                            method=indicator.method,
                            change=change,
                            unit=unit.id,
                            item=item,
                            value=_p(row.value),
                            value2=_p(new_value),
                            value3=_p(before.total),
                            value4=_p(after.total),
                        )
                    )
                break
            if done:
                break
        if not done:
            untried.append(indicator.id)
    _fail("completion-never-lowers", problems, _("a higher completion must never lower a score:"))
    if not tried:
        raise CheckSkipped(_("no indicator value of the sample could be changed and still validate"))
    note = _("; no valid change found for {items}").format(items=", ".join(untried)) if untried else ""
    return _("{tried} indicators perturbed{note}").format(tried=tried, note=note)
