"""Conformance checks of the veto stage: each declared area has its declared effect, every sample veto took effect."""

from __future__ import annotations

from decimal import Decimal

from kaoping.core.results import UnitResult, Veto
from kaoping.core.scheme import VETO_EFFECTS, Scheme, VetoArea
from kaoping.locale import N_, _
from kaoping.testing._checks import (
    CheckSkipped,
    _candidate_units,
    _fail,
    _grade_order,
    _p,
    _ranked,
    _units,
    check,
)
from kaoping.testing._perturb import (
    OTHER_AREA,
    with_veto,
)
from kaoping.testing._subject import Subject


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
