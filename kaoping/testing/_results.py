"""Conformance checks of the results stage: ranks follow totals, grades respect bands, quotas are kept."""

from __future__ import annotations

import itertools

from kaoping.core.grading import band_for, quota_size, ranking_pool, sort_key
from kaoping.core.results import UnitResult
from kaoping.core.scheme import Scheme
from kaoping.locale import N_, _
from kaoping.testing._checks import (
    _fail,
    _grade_order,
    _p,
    _ranked,
    check,
)
from kaoping.testing._subject import Subject


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
    return any(v.effect in {"force_grade", "promote", "disqualify"} for v in unit.read_vetoes())


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
                    for v in m.read_vetoes()
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
