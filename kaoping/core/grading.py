"""Ranks, grades and quotas.

Ranks are competition ranks (1, 2, 2, 4) on the total inside each ranked group, after the scheme's
tie-break keys (parts or indicators, in order). Groups that name the same ``pool`` are ranked and given
quota places together (units scored on different tables but competing for one set of prizes).
Grades come from, in this order:

1. vetoes that force a grade (``force_grade``);
2. absolute bands (thresholds with the source's inclusivity), else the default grade; a unit whose
   band grade a ``disqualify`` veto bars (「不得评为优秀」) takes the next grade down that no veto bars;
3. quotas, best grade first: the best-ranked eligible units of each group, up to the count (or share,
   rounded as the scheme says). With ``precedence = "bands_first"`` a unit whose band is below the
   default grade cannot take a quota place and the place passes down; a unit disqualified by a veto
   cannot either. When units tied on every key straddle the last place, ``on_tie`` decides: ``exclude``
   (no tied unit takes it; the quota is never exceeded), ``include`` (all take it), or ``error``;
4. promotions outside the quota (``promote`` vetoes, such as a direct 优秀), from any grade or only from
   the band grades the veto's ``from_grades`` lists; a disqualified unit is never promoted.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from kaoping.core.errors import InputError
from kaoping.core.numbers import ROUNDING_MODES
from kaoping.core.results import UnitResult
from kaoping.core.scheme import Band, Quota, Scheme
from kaoping.locale import _


def sort_key(scheme: Scheme, result: UnitResult) -> tuple:
    """Descending total, then descending tie-break keys; unit id last only for a stable listing."""
    keys: list[Decimal] = [-result.total]
    indicators = result.score.indicator_points()
    for key in scheme.grading.tie_break:
        value = result.parts.get(key, indicators.get(key, Decimal(0)))
        keys.append(-value)
    return tuple(keys)


def band_for(scheme: Scheme, group_id: str, total: Decimal) -> Band | None:
    """The first band, in file order, that applies to the group and contains the total."""
    group = scheme.group(group_id)
    return next((b for b in scheme.grading.bands if b.applies_to(group, group_id) and b.contains(total)), None)


def ranking_pool(scheme: Scheme, group_id: str) -> str:
    """The id a unit of ``group_id`` is ranked under: the group's pool, or the group."""
    group = scheme.group(group_id)
    return group.ranking_pool if group is not None else group_id


def assign_ranks(scheme: Scheme, results: Sequence[UnitResult]) -> None:
    """Competition ranks within each ranked group (or pool); unranked groups get ``None``."""
    by_group: dict[str, list[UnitResult]] = {}
    for result in results:
        group = scheme.group(result.group)
        if group is not None and not group.ranked:
            result.rank = None
            continue
        by_group.setdefault(ranking_pool(scheme, result.group), []).append(result)
    for members in by_group.values():
        keys = {id(r): sort_key(scheme, r) for r in members}  # a total sums the trail: compute it once
        members.sort(key=lambda r: (keys[id(r)], r.unit))
        previous = None
        for position, result in enumerate(members, start=1):
            key = keys[id(result)]
            if key != previous:
                rank = position
                previous = key
            result.rank = rank


def quota_size(quota: Quota, group: str, group_size: int) -> int:
    if group in quota.counts:
        return quota.counts[group]
    if quota.share is None:
        return 0
    return int((quota.share * group_size).quantize(Decimal(1), rounding=ROUNDING_MODES[quota.rounding]))


def assign_grades(scheme: Scheme, results: Sequence[UnitResult]) -> list[str]:
    """Set each result's grade and reason; return notes about ties and unfilled quotas."""
    grading = scheme.grading
    notes: list[str] = []
    if not grading.grades:
        return notes
    order = {grade: position for position, grade in enumerate(grading.grades)}
    default_position = order.get(grading.default, len(order))
    band_grade: dict[str, str] = {}
    for result in results:
        group = scheme.group(result.group)
        if group is not None and not group.ranked:
            result.grade, result.grade_reason = "", _("not graded: the group is not ranked")
            continue
        forced = [v for v in result.vetoes if v.effect == "force_grade"]
        if forced:
            worst = max(forced, key=lambda v: order[v.grade])
            result.grade, result.grade_reason = (
                worst.grade,
                _("veto {area}: forced to {grade}").format(area=_veto_name(scheme, worst.area), grade=worst.grade),
            )
            continue
        band = band_for(scheme, result.group, result.total)
        if band is not None:
            result.grade, result.grade_reason = (
                band.grade,
                _("score band for {grade}").format(grade=band.grade)
                + (_(": {quote}").format(quote=band.quote) if band.quote else ""),
            )
        else:
            result.grade, result.grade_reason = grading.default, _("default grade")
        _bar_disqualified(scheme, result, grading.grades)
        band_grade[result.unit] = result.grade

    order_of_pool: dict[str, int] = {}
    for position, declared in enumerate(scheme.groups):
        order_of_pool.setdefault(declared.ranking_pool, position)
    for quota in grading.quotas:
        groups: dict[str, list[UnitResult]] = {}
        for result in results:
            if result.rank is None:
                continue
            pool = ranking_pool(scheme, result.group)
            if quota.groups and result.group not in quota.groups and pool not in quota.groups:
                continue
            if quota.counts and not quota.share and pool not in quota.counts:
                continue
            groups.setdefault(pool, []).append(result)
        for group_id in sorted(groups, key=lambda g: (order_of_pool.get(g, len(order_of_pool)), g)):
            members = groups[group_id]
            size = quota_size(quota, group_id, len(members))
            notes.extend(_fill_quota(scheme, quota, group_id, members, size, band_grade, order, default_position))

    for result in results:
        promotions = [v for v in result.vetoes if v.effect == "promote"]
        for veto in promotions:
            if veto.from_grades and band_grade.get(result.unit) not in veto.from_grades:
                continue
            if order[veto.grade] < order.get(result.grade, len(order)) and not _disqualified(result, veto.grade):
                result.grade, result.grade_reason = (
                    veto.grade,
                    _("{area}: promoted to {grade} outside the quota").format(
                        area=_veto_name(scheme, veto.area), grade=veto.grade
                    ),
                )
    return notes


def _veto_name(scheme: Scheme, area_id: str) -> str:
    return next((v.name for v in scheme.vetoes if v.id == area_id and v.name), area_id)


def _group_name(scheme: Scheme, group_id: str) -> str:
    group = scheme.group(group_id)
    return group.name if group is not None and group.name else group_id


def _bar_disqualified(scheme: Scheme, result: UnitResult, grades: Sequence[str]) -> None:
    """Move a unit out of a grade its ``disqualify`` vetoes bar, to the best lower grade not barred.

    A bar is on the grade, not only on a quota place: a unit barred from 优秀 whose score falls in the
    优秀 band is graded 良好 (or lower, when that is barred too). With no allowed grade below, the grade stays
    and the reason says so, so that the conflict is visible rather than silently resolved.
    """
    if result.grade not in grades:
        return
    barring = [v for v in result.vetoes if v.effect == "disqualify" and result.grade in v.grades]
    if not barring:
        return
    barred = {g for v in result.vetoes if v.effect == "disqualify" for g in v.grades}
    areas = "、".join(_veto_name(scheme, a) for a in sorted({v.area for v in barring}))
    below = [g for g in grades[grades.index(result.grade) + 1 :] if g not in barred]
    if not below:
        result.grade_reason += _("; {areas} bars {grade} but no lower grade is allowed").format(
            areas=areas, grade=result.grade
        )
        return
    previous = result.grade
    result.grade = below[0]
    result.grade_reason += _("; veto {areas}: barred from {previous}, graded {grade}").format(
        areas=areas, previous=previous, grade=below[0]
    )


def _disqualified(result: UnitResult, grade: str) -> bool:
    return any(v.effect == "disqualify" and grade in v.grades for v in result.vetoes)


def _fill_quota(
    scheme: Scheme,
    quota: Quota,
    group_id: str,
    members: list[UnitResult],
    size: int,
    band_grade: dict[str, str],
    order: dict[str, int],
    default_position: int,
) -> list[str]:
    grading = scheme.grading
    eligible = []
    for result in sorted(members, key=lambda r: (sort_key(scheme, r), r.unit)):
        if _disqualified(result, quota.grade):
            continue
        if any(v.effect == "force_grade" for v in result.vetoes):
            continue
        if grading.precedence == "bands_first" and order.get(band_grade.get(result.unit, ""), 0) > default_position:
            continue
        if order.get(result.grade, len(order)) <= order[quota.grade]:
            continue  # already at this grade or better
        eligible.append(result)
    if size <= 0:
        return []
    chosen = eligible[:size]
    notes = []
    if len(eligible) > size:
        boundary = sort_key(scheme, eligible[size - 1])
        tied_in = [r for r in chosen if sort_key(scheme, r) == boundary]
        tied_out = [r for r in eligible[size:] if sort_key(scheme, r) == boundary]
        if tied_out:
            names = "、".join(r.name or r.unit for r in (*tied_in, *tied_out))
            group_name = _group_name(scheme, group_id)
            if grading.on_tie == "error":
                raise InputError(
                    _(
                        "group {group_id}: units {names} tie for the last {grade} place; break the tie "
                        "in the data or set grading.on_tie"
                    ).format(group_id=group_name, names=names, grade=quota.grade)
                )
            if grading.on_tie == "exclude":
                chosen = [r for r in chosen if sort_key(scheme, r) != boundary]
                notes.append(
                    _("group {group}: {names} tie for the last {grade} place; none takes it (on_tie = exclude)").format(
                        group=group_name, names=names, grade=quota.grade
                    )
                )
            else:
                chosen = chosen + tied_out
                notes.append(
                    _("group {group}: {names} tie for the last {grade} place; all take it (on_tie = include)").format(
                        group=group_name, names=names, grade=quota.grade
                    )
                )
    if len(chosen) < size:
        notes.append(
            _("group {group}: {filled} of {size} {grade} places filled").format(
                group=_group_name(scheme, group_id), filled=len(chosen), size=size, grade=quota.grade
            )
        )
    for result in chosen:
        result.grade = quota.grade
        result.grade_reason = _("{grade} quota: top {size} of {group} (rank {rank})").format(
            grade=quota.grade, size=size, group=_group_name(scheme, group_id), rank=result.rank
        )
    return notes
