"""The conformance checks: plain functions over a :class:`Subject`, shared by pytest and the CLI.

Each check either returns a one-line summary of what it verified, raises :class:`CheckSkipped` with the
reason it does not apply, or raises :class:`ConformanceFailure` whose message starts with the check id
and names the rule, indicator, veto area, quota or plugin at fault.
"""

from __future__ import annotations

import difflib
import itertools
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import attrs

from kaoping.core.errors import InputError, KaopingError, split_problems
from kaoping.core.grading import band_for, quota_size, ranking_pool, sort_key
from kaoping.core.models import Dataset, Unit
from kaoping.core.numbers import format_points
from kaoping.core.results import ENTRY_KINDS, RunResult, UnitResult, Veto
from kaoping.core.scheme import VETO_EFFECTS, Rule, Scheme, VetoArea, scoring_scopes
from kaoping.core.scoring import parts_for, score_dataset, scores_indicator
from kaoping.io.report import to_json
from kaoping.locale import N_, _
from kaoping.testing._perturb import (
    OTHER_AREA,
    event_for,
    reversed_rows,
    shuffled,
    value_changes,
    with_event,
    with_veto,
)
from kaoping.testing._subject import Subject

BUILTIN = "builtin"
STAGES = ("loading", "scoring", "vetoes", "results", "determinism", "provenance", "robustness")
_SHOWN = 8


def _p(value: Decimal | None) -> str:
    """Points as people write them (83, 82.5), never 8.3E+1."""
    return "-" if value is None else format_points(value)


class ConformanceFailure(AssertionError):
    """A scheme or plugin breaks a rule of the suite; the message names the rule broken."""

    def __init__(self, check: str, message: str) -> None:
        super().__init__(f"[{check}] {message}")
        self.check = check
        self.detail = message


class CheckSkipped(Exception):
    """A check does not apply to this scheme (a capability it does not use); the reason is reported."""


@attrs.frozen
class Check:
    """One rule of the suite: its id (as reports and docs name it), stage, title and function.

    ``capability`` names what the scheme must use for the check to apply; ``needs`` says whether the
    check needs only the scheme or the baseline run of the sample.
    """

    id: str
    stage: str
    title: str
    fn: Callable[[Subject], str]
    capability: str | None = None
    needs: str = "run"  # what must work before the check means anything: "scheme" or the baseline "run"

    def __call__(self, subject: Subject) -> str:
        self._require(subject)
        if self.capability is not None:
            reason = subject.off(self.capability)
            if reason is not None:
                raise CheckSkipped(reason)
        try:
            return self.fn(subject)
        except (ConformanceFailure, CheckSkipped):
            raise
        except KaopingError as error:
            raise ConformanceFailure(self.id, f"{type(error).__name__}: {error}") from error
        except Exception as error:  # a crash inside a plugin's hook: name the hook and the line
            raise ConformanceFailure(self.id, f"crashed: {crash_origin(error)}") from error

    def _require(self, subject: Subject) -> None:
        """Skip, pointing at the one failing check, when the scheme or the baseline run does not work.

        One cause then fails one check (``scheme-validates`` or ``sample-loads``) instead of all of them.
        """
        if self.id == "scheme-validates":
            return
        try:
            subject.resolved  # noqa: B018 - resolving is the point
        except KaopingError as error:
            raise CheckSkipped(
                _("the scheme does not resolve (see scheme-validates): {error}").format(error=_first_line(error))
            ) from None
        if self.needs != "run" or self.id == "sample-loads":
            return
        try:
            subject.result_json  # noqa: B018 - scoring and writing the result is the point
        except KaopingError as error:
            raise CheckSkipped(
                _("the sample does not score (see sample-loads): {value}").format(value=_first_line(error))
            ) from None
        except (TypeError, ValueError) as error:
            raise CheckSkipped(f"the result cannot be written as JSON (see sample-loads): {error}") from None
        except Exception as error:  # one crash is one failure (sample-loads), not one per check
            raise CheckSkipped(f"the sample run crashed (see sample-loads): {crash_origin(error)}") from None


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


CHECKS: dict[str, Check] = {}


def check(
    check_id: str, stage: str, title: str, capability: str | None = None, needs: str = "run"
) -> Callable[..., Any]:
    def register(fn: Callable[[Subject], str]) -> Callable[[Subject], str]:
        CHECKS[check_id] = Check(check_id, stage, title, fn, capability, needs)
        return fn

    return register


def _fail(check_id: str, problems: list[str], lead: str = "") -> None:
    if not problems:
        return
    shown = problems[:_SHOWN]
    more = "\n  " + _("… and {count} more").format(count=len(problems) - _SHOWN) if len(problems) > _SHOWN else ""
    head = f"{lead}\n" if lead else ""
    raise ConformanceFailure(check_id, head + "\n".join(f"  {p}" for p in shown) + more)


def _some(items: list[str], shown: int = 3) -> str:
    more = "; " + _("… and {count} more").format(count=len(items) - shown) if len(items) > shown else ""
    return "; ".join(items[:shown]) + more


def _units(result: RunResult) -> dict[str, UnitResult]:
    return result.by_unit()


def _grade_order(scheme: Scheme) -> dict[str, int]:
    return {grade: position for position, grade in enumerate(scheme.grading.grades)}


def _ranked(scheme: Scheme, result: UnitResult) -> bool:
    group = scheme.group(result.group)
    return group is None or group.ranked


def _candidate_units(subject: Subject, part: str | None = None, exclude_vetoed: bool = False) -> list[Unit]:
    """Units to perturb, best-ranked first: far from floors, and where a grade change shows."""
    baseline = _units(subject.result)
    vetoed = {v.unit for v in subject.dataset.vetoes} | {u for u, r in baseline.items() if r.vetoes}
    units = [
        u
        for u in subject.dataset.units
        if u.id in baseline
        and (part is None or part in parts_for(subject.scheme, u))
        and not (exclude_vetoed and u.id in vetoed)
    ]
    return sorted(
        units,
        key=lambda u: (
            not _ranked(subject.scheme, baseline[u.id]),
            baseline[u.id].rank or 0,
            -baseline[u.id].total,
            u.id,
        ),
    )


# -------------------------------------------------------------------------------------------------------
# loading


@check("scheme-validates", "loading", N_("the scheme parses and its parts add up to the total"), needs="scheme")
def scheme_validates(subject: Subject) -> str:
    scheme = subject.scheme
    scopes = scoring_scopes(scheme)  # every part, or each ranked group's own parts
    for scope, parts, _indicators in scopes:
        parts_sum = sum((p.points for p in parts), Decimal(0))
        if parts and parts_sum != scheme.total:
            raise ConformanceFailure(
                "scheme-validates",
                _("{scope}parts add up to {value}, but scheme '{scheme}' has a total of {value2}").format(
                    scope=scope, value=_p(parts_sum), scheme=scheme.id, value2=_p(scheme.total)
                ),
            )
    if subject.scheme_id not in subject.host.schemes:
        raise ConformanceFailure(
            "scheme-validates", _("no plugin registers scheme '{scheme_id}'").format(scheme_id=subject.scheme_id)
        )
    where = (
        "parts add up"
        if len(scopes) == 1
        else _("the parts of each of {count} scoring scopes add up").format(count=len(scopes))
    )
    return _("{where} to {value}; status {label}").format(
        where=where, value=_p(scheme.total), label=scheme.status.label
    )


@check("sample-loads", "loading", N_("the sample loads, validates, scores and writes as JSON without a problem"))
def sample_loads(subject: Subject) -> str:
    problems, _warnings = split_problems(subject.host.validate(subject.scheme, subject.dataset))
    _fail("sample-loads", [str(p) for p in problems], f"the sample has {len(problems)} problem(s):")
    if not subject.dataset.units:
        raise ConformanceFailure("sample-loads", _("the sample has no units"))
    try:
        _json("sample-loads", subject)
    except (ConformanceFailure, CheckSkipped):
        raise
    except InputError as error:
        raise ConformanceFailure(
            "sample-loads",
            _(
                "the sample does not score: {error_type}: {error}\n  (a scheme that leaves numbers to "
                "the deployment is scored with them from overrides.toml in the sample folder, or "
                "the overrides fixture)"
            ).format(error_type=type(error).__name__, error=error),
        ) from error
    except KaopingError:
        raise
    except Exception as error:
        raise ConformanceFailure("sample-loads", f"the sample run crashed: {crash_origin(error)}") from error
    data = subject.dataset
    return _("{count} units, {count2} values, {count3} events, {count4} vetoes").format(
        count=len(data.units), count2=len(data.values), count3=len(data.events), count4=len(data.vetoes)
    )


@check(
    "unknown-overrides-fail", "loading", N_("overrides naming keys or ids the scheme lacks are refused"), needs="scheme"
)
def unknown_overrides_fail(subject: Subject) -> str:
    scheme = subject.scheme
    bad: list[dict[str, Any]] = [
        {"no_such_key": 1},
        {"grading": {"no_such_key": 1}},
        {"parts": [{"id": "__no_such_part__", "points": 1}]},
    ]
    if scheme.parts:
        bad.append({"parts": [{"id": scheme.parts[0].id, "no_such_key": 1}]})
    if scheme.groups:
        bad.append({"groups": [{"id": scheme.groups[0].id, "no_such_key": 1}]})
    accepted = []
    for override in bad:
        try:
            subject.host.scheme(subject.scheme_id, override, "conformance overrides")
        except InputError:
            continue
        accepted.append(_("override '{override}' was accepted silently").format(override=override))
    _fail("unknown-overrides-fail", accepted, _("an override of something the scheme lacks must be an error:"))
    return _("{count} misspelt overrides refused").format(count=len(bad))


# -------------------------------------------------------------------------------------------------------
# scoring


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


def _json(check_id: str, subject: Subject, result: RunResult | None = None) -> str:
    """The result as ``kaoping score --format json`` writes it; a result that cannot be written fails."""
    try:
        return subject.result_json if result is None else to_json(result)
    except (TypeError, ValueError) as error:
        raise ConformanceFailure(
            check_id,
            _(
                "the result cannot be written as JSON: {error} (round every number a plugin puts "
                "in a trail entry, its inputs or the consequences to the scheme precision)"
            ).format(error=error),
        ) from error


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


# -------------------------------------------------------------------------------------------------------
# vetoes


def _expected_drop(subject: Subject, area: VetoArea, before: UnitResult) -> tuple[Decimal, Decimal]:
    """The least and most a deduct veto may take from the total, given the part's floor and cap."""
    points = area.points or Decimal(0)
    part = subject.scheme.part(area.part)
    if part.cap is not None:
        return Decimal(0), points
    if part.floor is not None and part.below_floor == "stop":
        room = max(before.parts.get(part.id, Decimal(0)) - part.floor, Decimal(0))
        exact = min(points, room)
        return exact, exact
    return points, points


@check("veto-effects", "vetoes", N_("a veto in each declared area has the effect the scheme declares"), "vetoes")
def veto_effects(subject: Subject) -> str:
    scheme = subject.scheme
    baseline = _units(subject.result)
    order = _grade_order(scheme)
    problems: list[str] = []
    for area in scheme.vetoes:
        area_id = OTHER_AREA if area.id == "*" else area.id
        part = area.part if area.effect == "deduct" else None
        units = _candidate_units(subject, part, exclude_vetoed=True) or _candidate_units(subject, part)
        if not units:
            problems.append(_("veto area '{area}': no unit of the sample can carry it").format(area=area.id))
            continue
        unit = units[0].id
        before = baseline[unit]
        after = _units(subject.run(with_veto(subject.dataset, unit, area_id)))[unit]
        what = _("veto area '{area}' (effect {effect}) on unit {unit}").format(
            area=area.id, effect=area.effect, unit=unit
        )
        listed = [v for v in after.vetoes if v.area == area_id]
        if not listed:
            problems.append(_("{what}: the result does not list the veto").format(what=what))
        elif any(v.effect != area.effect for v in listed):
            problems.append(
                _("{what}: listed with effect '{effect}', the scheme declares '{effect2}'").format(
                    what=what, effect=listed[0].effect, effect2=area.effect
                )
            )
        if area.effect == "deduct":
            least, most = _expected_drop(subject, area, before)
            drop = before.total - after.total
            if not least <= drop <= most:
                wanted = (
                    _p(least)
                    if least == most
                    else _("between {value} and {value2}").format(value=_p(least), value2=_p(most))
                )
                problems.append(
                    _(
                        "{what}: total went from {value} to {value2} (a drop of {value3}), the scheme "
                        "declares a deduction of {value4} in part '{part}' (expected drop {wanted})"
                    ).format(
                        what=what,
                        value=_p(before.total),
                        value2=_p(after.total),
                        value3=_p(drop),
                        value4=_p(area.points),
                        part=area.part,
                        wanted=wanted,
                    )
                )
        elif area.effect == "disqualify" and after.grade in area.grades:
            problems.append(
                _("{what}: the unit still has grade '{grade}', which the veto bars").format(
                    what=what, grade=after.grade
                )
            )
        elif area.effect == "force_grade" and _ranked(scheme, after) and after.grade != area.grade:
            problems.append(
                _("{what}: grade '{grade}', the veto forces '{grade2}'").format(
                    what=what, grade=after.grade, grade2=area.grade
                )
            )
        elif (
            area.effect == "promote"
            and _ranked(scheme, after)
            and order.get(after.grade, len(order)) > order.get(area.grade, len(order))
        ):
            problems.append(
                _("{what}: grade '{grade}', the veto promotes to '{grade2}'").format(
                    what=what, grade=after.grade, grade2=area.grade
                )
            )
        elif area.effect == "record" and (after.total, after.grade) != (before.total, before.grade):
            problems.append(
                _("{what}: a recorded veto changed total/grade from {value}/'{grade}' to {value2}/'{grade2}'").format(
                    what=what, value=_p(before.total), grade=before.grade, value2=_p(after.total), grade2=after.grade
                )
            )
    _fail("veto-effects", problems, _("a veto must have the effect its scheme declares:"))
    return _("{count} veto areas checked").format(count=len(scheme.vetoes))


def _veto_applied(scheme: Scheme, unit: UnitResult, veto: Veto, order: dict[str, int]) -> str | None:
    declared = {a.id: a for a in scheme.vetoes}
    area = declared.get(veto.area) or declared.get("*")
    what = _("unit {unit}: veto '{area}' from plugin '{plugin}' (effect {effect})").format(
        unit=unit.unit, area=veto.area, plugin=veto.plugin, effect=veto.effect
    )
    if veto.effect not in VETO_EFFECTS:
        return _("{what}: effect is not one of {items}").format(what=what, items=", ".join(sorted(VETO_EFFECTS)))
    if area is not None and veto.area in declared and veto.effect != area.effect:
        return _("{what}: the scheme declares effect '{effect}' for this area").format(what=what, effect=area.effect)
    ranked = _ranked(scheme, unit)
    forced = [v for v in unit.vetoes if v.effect == "force_grade"]
    if veto.effect == "deduct":
        if veto.part in unit.score.parts_scored and not any(e.kind == "veto" for e in unit.score.trail):
            return _("{what}: no veto deduction appears in the unit's trail").format(what=what)
    elif veto.effect == "force_grade" and ranked:
        worst = max(forced, key=lambda v: order.get(v.grade, len(order)))
        if unit.grade != worst.grade:
            return _("{what}: grade '{grade}', the veto forces '{grade2}'").format(
                what=what, grade=unit.grade, grade2=worst.grade
            )
    elif veto.effect == "disqualify" and ranked and unit.grade in veto.grades:
        return _("{what}: the unit has grade '{grade}', which the veto bars").format(what=what, grade=unit.grade)
    elif veto.effect == "promote" and ranked and not forced:
        barred = any(v.effect == "disqualify" and veto.grade in v.grades for v in unit.vetoes)
        if not barred and order.get(unit.grade, len(order)) > order.get(veto.grade, len(order)):
            return _("{what}: grade '{grade}', the veto promotes to '{grade2}'").format(
                what=what, grade=unit.grade, grade2=veto.grade
            )
    return None


@check("sample-vetoes-applied", "vetoes", N_("every veto of the sample run (data or plugin) took effect"))
def sample_vetoes_applied(subject: Subject) -> str:
    order = _grade_order(subject.scheme)
    pairs = [(unit, veto) for unit in subject.result.units for veto in unit.vetoes]
    if not pairs:
        raise CheckSkipped(_("the sample data raises no veto and no plugin found one"))
    problems = [p for unit, veto in pairs if (p := _veto_applied(subject.scheme, unit, veto, order))]
    _fail("sample-vetoes-applied", problems, _("a veto must take effect:"))
    return _("{count} vetoes of the sample took effect").format(count=len(pairs))


# -------------------------------------------------------------------------------------------------------
# results


@check("ranks-follow-totals", "results", N_("ranks within each group (or pool of groups) follow the totals"))
def ranks_follow_totals(subject: Subject) -> str:
    scheme = subject.scheme
    problems = []
    groups = 0
    pools: dict[str, list[UnitResult]] = {}
    for unit in subject.result.units:
        pools.setdefault(ranking_pool(scheme, unit.group), []).append(unit)
    for group_id, members in pools.items():
        ranked = [m for m in members if _ranked(scheme, m)]
        for member in members:
            if not _ranked(scheme, member) and member.rank is not None:
                problems.append(
                    _("unit {unit}: group '{group_id}' is not ranked, but it has rank {rank}").format(
                        unit=member.unit, group_id=group_id, rank=member.rank
                    )
                )
        if not ranked:
            continue
        groups += 1
        for member in ranked:
            if member.rank is None:
                problems.append(
                    _("unit {unit}: group '{group_id}' is ranked, but the unit has no rank").format(
                        unit=member.unit, group_id=group_id
                    )
                )
        ranked = [m for m in ranked if m.rank is not None]
        if ranked and min(m.rank or 0 for m in ranked) != 1:
            problems.append(
                _("group '{group_id}': the best rank is {value}, not 1").format(
                    group_id=group_id, value=min(m.rank or 0 for m in ranked)
                )
            )
        ordered = sorted(ranked, key=lambda m: sort_key(scheme, m))
        for better, worse in itertools.pairwise(ordered):
            if better.total > worse.total and (better.rank or 0) >= (worse.rank or 0):
                problems.append(
                    _(
                        "group '{group_id}': unit {unit} ({value}) has rank {rank}, not better than unit "
                        "{unit2} ({value2}) at rank {rank2}"
                    ).format(
                        group_id=group_id,
                        unit=better.unit,
                        value=_p(better.total),
                        rank=better.rank,
                        unit2=worse.unit,
                        value2=_p(worse.total),
                        rank2=worse.rank,
                    )
                )
    _fail("ranks-follow-totals", problems, _("ranks must follow totals within each group:"))
    return _("ranks of {groups} groups follow their totals").format(groups=groups)


def _band_grade(scheme: Scheme, unit: UnitResult) -> str:
    """The grade the bands that apply to the unit's group give its total."""
    band = band_for(scheme, unit.group, unit.total)
    return band.grade if band is not None else scheme.grading.default


def _grade_vetoes(unit: UnitResult) -> bool:
    return any(v.effect in {"force_grade", "promote", "disqualify"} for v in unit.vetoes)


@check(
    "grades-respect-bands", "results", N_("grades are declared, follow the bands, never invert the ranking"), "grades"
)
def grades_respect_bands(subject: Subject) -> str:
    scheme = subject.scheme
    grading = scheme.grading
    order = _grade_order(scheme)
    default_position = order.get(grading.default, len(order))
    problems = []
    for unit in subject.result.units:
        if not _ranked(scheme, unit):
            continue
        if unit.grade not in order:
            problems.append(
                _("unit {unit}: grade '{grade}' is not one of {items}").format(
                    unit=unit.unit, grade=unit.grade, items=", ".join(grading.grades)
                )
            )
            continue
        if _grade_vetoes(unit):
            continue
        banded = _band_grade(scheme, unit)
        band_position = order.get(banded, len(order))
        if order[unit.grade] > band_position:
            problems.append(
                _(
                    "unit {unit}: total {value} falls in the band for '{banded}', but it has the worse grade '{grade}'"
                ).format(unit=unit.unit, value=_p(unit.total), banded=banded, grade=unit.grade)
            )
        elif grading.precedence == "bands_first" and band_position > default_position and unit.grade != banded:
            problems.append(
                _(
                    "unit {unit}: total {value} is in the band for '{banded}' (below the default "
                    "'{default}'), but it has grade '{grade}'"
                ).format(unit=unit.unit, value=_p(unit.total), banded=banded, default=grading.default, grade=unit.grade)
            )
        elif not grading.quotas and unit.grade != banded:
            problems.append(
                _("unit {unit}: total {value} gives '{banded}' by the bands, but it has '{grade}'").format(
                    unit=unit.unit, value=_p(unit.total), banded=banded, grade=unit.grade
                )
            )
    for group_id, members in subject.result.groups().items():
        plain = sorted(
            (m for m in members if _ranked(scheme, m) and not _grade_vetoes(m) and m.grade in order),
            key=lambda m: sort_key(scheme, m),
        )
        for better, worse in itertools.pairwise(plain):
            if better.total > worse.total and order[better.grade] > order[worse.grade]:
                problems.append(
                    _(
                        "group '{group_id}': unit {unit} ({value}) has grade '{grade}', worse than unit "
                        "{unit2} ({value2}) with '{grade2}'"
                    ).format(
                        group_id=group_id,
                        unit=better.unit,
                        value=_p(better.total),
                        grade=better.grade,
                        unit2=worse.unit,
                        value2=_p(worse.total),
                        grade2=worse.grade,
                    )
                )
    _fail("grades-respect-bands", problems, _("grades must respect the scheme's bands:"))
    return _("grades of {count} units respect {count2} bands").format(
        count=len(subject.result.units), count2=len(grading.bands)
    )


@check("quotas-respected", "results", N_("no group has more units of a quota grade than the quota allows"), "quotas")
def quotas_respected(subject: Subject) -> str:
    scheme = subject.scheme
    grading = scheme.grading
    order = _grade_order(scheme)
    problems = []
    for quota in grading.quotas:
        groups: dict[str, list[UnitResult]] = {}
        for unit in subject.result.units:
            pool = ranking_pool(scheme, unit.group)
            if unit.rank is None or (quota.groups and unit.group not in quota.groups and pool not in quota.groups):
                continue
            if quota.counts and not quota.share and pool not in quota.counts:
                continue
            groups.setdefault(pool, []).append(unit)
        for group_id, members in groups.items():
            size = quota_size(quota, group_id, len(members))
            holders = [m for m in members if m.grade == quota.grade]
            exempt = [
                m
                for m in holders
                if any(
                    v.effect in {"promote", "force_grade"} and order.get(v.grade, len(order)) <= order[quota.grade]
                    for v in m.vetoes
                )
                or order.get(_band_grade(scheme, m), len(order)) <= order[quota.grade]
            ]
            counted = sorted((m for m in holders if m not in exempt), key=lambda m: sort_key(scheme, m))
            if len(counted) <= size:
                continue
            if grading.on_tie == "include" and size > 0:
                boundary = sort_key(scheme, counted[size - 1])
                if all(sort_key(scheme, m) == boundary for m in counted[size:]):
                    continue
            names = ", ".join(m.unit for m in counted)
            problems.append(
                _(
                    "quota '{quota}' ({grade}) in group '{group_id}': {count} units hold it "
                    "({names}), the quota allows {size}"
                ).format(
                    quota=quota.id, grade=quota.grade, group_id=group_id, count=len(counted), names=names, size=size
                )
            )
    _fail("quotas-respected", problems, _("a quota must never be exceeded:"))
    return _("{count} quotas respected").format(count=len(grading.quotas))


# -------------------------------------------------------------------------------------------------------
# determinism


def _first_difference(expected: str, got: str, label: str) -> str:
    diff = list(difflib.unified_diff(expected.splitlines(), got.splitlines(), "first run", label, n=1, lineterm=""))
    return "\n".join(diff[:14])


@check("rerun-identical", "determinism", N_("scoring the sample again gives byte-identical JSON"))
def rerun_identical(subject: Subject) -> str:
    first = _json("rerun-identical", subject)
    again = _json("rerun-identical", subject, subject.run(subject.dataset))
    if again != first:
        raise ConformanceFailure(
            "rerun-identical",
            "the same host scored the same data differently:\n" + _first_difference(first, again, "rerun"),
        )
    host, scheme = subject.resolver()
    fresh = _json("rerun-identical", subject, subject.run(_reload(subject, host, scheme), host, scheme))
    if fresh != first:
        raise ConformanceFailure(
            "rerun-identical",
            "a fresh plugin host scored the same data differently:\n" + _first_difference(first, fresh, "fresh host"),
        )
    return _("two reruns (same and fresh host) are byte-identical")


@check(
    "engines-identical",
    "determinism",
    "the row engine and the columnar engine (row-based methods through its adapter) give byte-identical JSON",
)
def engines_identical(subject: Subject) -> str:
    from kaoping.core.columnar.engine import ENGINE_ENV

    outputs = {}
    previous = os.environ.get(ENGINE_ENV)
    try:
        for engine in ("rows", "arrays"):
            os.environ[ENGINE_ENV] = engine
            outputs[engine] = _json("engines-identical", subject, subject.run(subject.dataset))
    finally:
        if previous is None:
            os.environ.pop(ENGINE_ENV, None)
        else:
            os.environ[ENGINE_ENV] = previous
    if outputs["arrays"] != outputs["rows"]:
        raise ConformanceFailure(
            "engines-identical",
            "the columnar engine scored the sample differently from the row engine:\n"
            + _first_difference(outputs["rows"], outputs["arrays"], "columnar engine"),
        )
    return "the row and columnar engines give byte-identical JSON"


def _reload(subject: Subject, host: Any, scheme: Scheme) -> Dataset:
    if isinstance(subject.sample, Dataset):
        return subject.sample
    return host.load_dataset(subject.sample, scheme)


@check("shuffle-identical", "determinism", N_("the sample's rows in another order give byte-identical JSON"), "shuffle")
def shuffle_identical(subject: Subject) -> str:
    variants = [("reversed rows", reversed_rows(subject.dataset))]
    variants += [
        (_("rows shuffled with seed {seed}").format(seed=seed), shuffled(subject.dataset, seed)) for seed in (1, 2, 3)
    ]
    first = _json("shuffle-identical", subject)
    for label, dataset in variants:
        got = _json("shuffle-identical", subject, subject.run(dataset))
        if got != first:
            raise ConformanceFailure(
                "shuffle-identical",
                _("the result depends on row order ({label}):\n").format(label=label)
                + _first_difference(first, got, label),
            )
    return _("{count} row orders give identical JSON").format(count=len(variants))


# -------------------------------------------------------------------------------------------------------
# provenance


def _unclaimed_core_entries(subject: Subject) -> list[str]:
    """Trail entries that say ``builtin`` although the core engine alone does not produce them.

    ``TrailEntry.plugin`` defaults to ``builtin``, so a plugin that forgets to name itself is found by
    scoring the same run with the core engine only and comparing the entries that claim the core.
    """
    host, scheme, dataset = subject.host, subject.scheme, subject.dataset
    try:
        core = score_dataset(scheme, dataset, host.methods, host.check_vetoes(scheme, dataset))
    except KaopingError:
        return []
    produced = Counter((s.unit, e.kind, e.rule, e.part, e.points) for s in core for e in s.trail if e.plugin == BUILTIN)
    problems = []
    for unit in subject.result.units:
        for entry in unit.score.trail:
            if entry.plugin != BUILTIN:
                continue
            key = (unit.unit, entry.kind, entry.rule, entry.part, entry.points)
            if produced[key] > 0:
                produced[key] -= 1
                continue
            problems.append(
                _(
                    "unit {unit}: trail entry '{rule}' ({kind}, {value}) says plugin 'builtin', but "
                    "the core engine does not produce it (set TrailEntry(plugin=...) to your plugin)"
                ).format(unit=unit.unit, rule=entry.rule, kind=entry.kind, value=_p(entry.points))
            )
    return problems


@check("provenance", "provenance", "every trail entry and veto names a registered plugin with a version")
def provenance(subject: Subject) -> str:
    host, result = subject.host, subject.result
    problems = []
    registered = {name: info.version for name, info in host.info.items()}

    def known(plugin: str, what: str) -> None:
        if plugin not in registered:
            problems.append(
                _("{what} names plugin '{plugin}', which is not registered").format(what=what, plugin=plugin)
            )
        elif registered[plugin] in {"", "?"}:
            problems.append(
                _("{what} names plugin '{plugin}', which is registered without a version").format(
                    what=what, plugin=plugin
                )
            )

    entry = host.schemes.get(subject.scheme_id)
    if entry is not None:
        known(entry.plugin, _("scheme '{scheme_id}'").format(scheme_id=subject.scheme_id))
    for unit in result.units:
        for trail_entry in unit.score.trail:
            known(
                trail_entry.plugin, _("unit {unit}: trail entry '{rule}'").format(unit=unit.unit, rule=trail_entry.rule)
            )
        for veto in unit.vetoes:
            known(veto.plugin, _("unit {unit}: veto '{area}'").format(unit=unit.unit, area=veto.area))
    if dict(result.plugins) != dict(sorted(registered.items())):
        problems.append(f"the result lists plugins {result.plugins}, the host has {registered}")
    for plugin, found in host.vetoes_by_plugin(subject.scheme, subject.dataset):
        for veto in found:
            if veto.plugin not in {"", plugin}:
                problems.append(
                    f"plugin {plugin!r} returned a veto {veto.area!r} for unit {veto.unit} that names "
                    f"plugin {veto.plugin!r} (leave Veto.plugin empty: the host names the plugin)"
                )
    problems += _unclaimed_core_entries(subject)
    _fail("provenance", problems, _("every result must name the plugin that produced it:"))
    entries = sum(len(u.score.trail) for u in result.units)
    return _("{entries} trail entries and their vetoes name registered plugins").format(entries=entries)


def crash_origin(error: BaseException) -> str:
    """Where a plugin crashed: the hook and the plugin's own file:line (see :mod:`._robustness`)."""
    from kaoping.testing._robustness import crash_origin as origin

    return origin(error)


def checks_by_stage() -> dict[str, list[Check]]:
    return {stage: [c for c in CHECKS.values() if c.stage == stage] for stage in STAGES}


# The robustness checks register themselves into CHECKS on import.
from kaoping.testing import _robustness  # noqa: E402, F401
