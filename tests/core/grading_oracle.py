"""The row grading kernel as it was before ranks and grades moved to arrays: the test oracle of
:mod:`kaoping.core.grading` (``tests/core/test_grading_arrays.py`` requires the same ranks, grades, reasons
and notes). Not used by the package.

Ranks, grades and quotas.

Ranks are competition ranks (1, 2, 2, 4) on the total inside each ranked group, after the scheme's
tie-break keys (parts or indicators, in order). Groups that name the same ``pool`` are ranked and given
quota places together (units scored on different tables but competing for one set of prizes).
Grades come from, in this order:

1. vetoes that force a grade (``force_grade``);
2. absolute bands (thresholds with the source's inclusivity), else the default grade; a unit whose
   band grade a ``disqualify`` veto bars (「不得评为优秀」) takes the next grade down that no veto bars;
3. quotas, best grade first: the best-ranked eligible units of each group, up to the count (or share,
   rounded as the scheme says). With ``precedence = "bands_first"`` a unit whose band is below the
   ``quota_floor`` grade (by default the default grade) cannot take a quota place and the place passes
   down, so that a unit below the pass line never takes a prize above units that passed; a unit disqualified by a veto
   cannot either. When units tied on every key straddle the last place, ``on_tie`` decides: ``exclude``
   (no tied unit takes it; the quota is never exceeded), ``include`` (all take it), or ``error``;
4. promotions outside the quota (``promote`` vetoes, such as a direct 优秀), from any grade or only from
   the band grades the veto's ``from_grades`` lists; a disqualified unit is never promoted.

:func:`grade_positions` is the one implementation of these steps, over units given by position; the
engine (:func:`assign_grades`) and the Monte Carlo draws of :mod:`kaoping.compare.perturb` both call it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from kaoping.core.errors import InputError
from kaoping.core.numbers import ROUNDING_MODES
from kaoping.core.results import Names, UnitResult, Veto
from kaoping.core.scheme import Band, Grading, Quota, Scheme
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


def standing_order(keys: Sequence[tuple], units: Sequence[str]) -> list[int]:
    """Positions best first: by key (lower first), then unit id, only for a stable listing of ties."""
    return sorted(range(len(keys)), key=lambda p: (keys[p], units[p]))


def competition_ranks(
    pools: Sequence[str | None], keys: Sequence[tuple], units: Sequence[str], order: Sequence[int] | None = None
) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4) by position within each pool, on ``keys`` (lower first); ties are
    equal keys. A ``None`` pool is not ranked. ``order`` is :func:`standing_order`, when already known."""
    ranks: list[int | None] = [None] * len(keys)
    members: dict[str, list[int]] = {}
    for position in standing_order(keys, units) if order is None else order:
        pool = pools[position]
        if pool is not None:
            members.setdefault(pool, []).append(position)
    for positions in members.values():
        previous = None
        rank = 0
        for place, position in enumerate(positions, start=1):
            if keys[position] != previous:
                rank, previous = place, keys[position]
            ranks[position] = rank
    return ranks


def assign_ranks(scheme: Scheme, results: Sequence[UnitResult]) -> None:
    """Competition ranks within each ranked group (or pool); unranked groups get ``None``."""
    pools: list[str | None] = []
    for result in results:
        group = scheme.group(result.group)
        pools.append(None if group is not None and not group.ranked else ranking_pool(scheme, result.group))
    keys = [sort_key(scheme, r) for r in results]  # a total sums the trail: compute it once
    ranks = competition_ranks(pools, keys, [r.unit for r in results])
    for result, rank in zip(results, ranks, strict=True):
        result.rank = rank


def quota_size(quota: Quota, group: str, group_size: int) -> int:
    if group in quota.counts:
        return quota.counts[group]
    if quota.share is None:
        return 0
    return int((quota.share * group_size).quantize(Decimal(1), rounding=ROUNDING_MODES[quota.rounding]))


@attrs.frozen
class GradeSubject:
    """What grading needs of one unit besides its total and ranking key: its group and its vetoes.

    Built once per unit; the Monte Carlo path keeps these across draws and passes new totals and keys.
    """

    unit: str
    group: str
    pool: str  # the ranking pool: the group's pool, or the group
    graded: bool = True  # False: the group is not ranked and gets no grade
    ranked: bool = True  # False: no rank, so no quota place
    rank: int | None = None  # for the quota reason only
    forced: Veto | None = None  # the worst ``force_grade`` veto
    barred: frozenset[str] = frozenset()  # grades ``disqualify`` vetoes bar
    barring: tuple[Veto, ...] = ()  # the ``disqualify`` vetoes
    promotions: tuple[Veto, ...] = ()  # the ``promote`` vetoes


def grade_subject(scheme: Scheme, result: UnitResult) -> GradeSubject:
    """The grading view of a unit's result."""
    group = scheme.group(result.group)
    order = {grade: position for position, grade in enumerate(scheme.grading.grades)}
    forced = [v for v in result.vetoes if v.effect == "force_grade"]
    barring = tuple(v for v in result.vetoes if v.effect == "disqualify")
    return GradeSubject(
        unit=result.unit,
        group=result.group,
        pool=ranking_pool(scheme, result.group),
        graded=group is None or group.ranked,
        ranked=result.rank is not None,
        rank=result.rank,
        forced=max(forced, key=lambda v: order[v.grade]) if forced else None,
        barred=frozenset(g for v in barring for g in v.grades),
        barring=barring,
        promotions=tuple(v for v in result.vetoes if v.effect == "promote"),
    )


@attrs.frozen
class QuotaScope:
    """One quota as far as it is settled before the totals: the pools it fills (in scheme order) with
    how many units of each it counts, and which units could ever take a place (not barred, not forced)."""

    quota: Quota
    pools: tuple[tuple[str, int], ...]
    candidate: tuple[bool, ...]  # by position


def quota_scopes(grading: Grading, subjects: Sequence[GradeSubject], pool_order: Mapping[str, int]) -> list[QuotaScope]:
    """What of the quotas does not depend on the totals; the Monte Carlo path computes it once."""
    scopes = []
    for quota in grading.quotas:
        counted: dict[str, int] = {}
        candidate = [False] * len(subjects)
        for position, subject in enumerate(subjects):
            if not subject.ranked:
                continue
            if quota.groups and subject.group not in quota.groups and subject.pool not in quota.groups:
                continue
            if quota.counts and not quota.share and subject.pool not in quota.counts:
                continue
            counted[subject.pool] = counted.get(subject.pool, 0) + 1
            candidate[position] = quota.grade not in subject.barred and subject.forced is None
        pools = sorted(counted, key=lambda p: (pool_order.get(p, len(pool_order)), p))
        scopes.append(QuotaScope(quota, tuple((pool, counted[pool]) for pool in pools), tuple(candidate)))
    return scopes


Bounds = tuple[Any, Any, Any, Any]
"""A band's ``at_least``, ``above``, ``at_most`` and ``below``, in the numbers of the totals (``None``: open)."""


@attrs.frozen
class Grades:
    """One grading of the units, by position: grades, their reasons (when asked for) and notes."""

    grades: list[str]
    reasons: list[str]
    notes: list[str]


def declared_bounds(grading: Grading) -> list[tuple[Band, Bounds]]:
    return [(band, (band.at_least, band.above, band.at_most, band.below)) for band in grading.bands]


def grade_positions(
    grading: Grading,
    subjects: Sequence[GradeSubject],
    totals: Sequence[Any],
    keys: Sequence[tuple],
    *,
    pool_order: Mapping[str, int],
    bands: Sequence[tuple[Band, Bounds]] | None = None,
    quota_sizes: Callable[[Quota, str, int], int] = quota_size,
    explain: bool = True,
    scopes: Sequence[QuotaScope] | None = None,
    order: Sequence[int] | None = None,
    names: Names | None = None,
) -> Grades:
    """Grade units given by position: forced grades, bands, bars, quotas (with ``on_tie``), promotions.

    The one grading kernel: the engine calls it with exact totals and the scheme's bands, the Monte Carlo
    path with each draw's totals, drawn band bounds and drawn quota sizes. ``keys`` order units within a
    pool, lower first (ties are equal keys). With ``explain=False`` no reasons are written (the grades and
    notes are the same), which keeps a draw fast. ``names`` shows veto areas and groups in reasons and
    notes by the scheme's names (ids without it).
    """
    count = len(subjects)
    grades = [""] * count
    reasons = [""] * count
    notes: list[str] = []
    if not grading.grades:
        return Grades(grades, reasons, notes)
    order_of = {grade: position for position, grade in enumerate(grading.grades)}
    default_position = order_of.get(grading.quota_floor or grading.default, len(order_of))
    cutoffs = declared_bounds(grading) if bands is None else bands
    band_grades: list[str | None] = [None] * count
    for position, subject in enumerate(subjects):
        if not subject.graded:
            reasons[position] = _("not graded: the group is not ranked")
            continue
        if subject.forced is not None:
            grades[position] = subject.forced.grade
            if explain:
                reasons[position] = _("veto {area}: forced to {grade}").format(
                    area=_area(names, subject.forced.area), grade=subject.forced.grade
                )
            continue
        band = _band(cutoffs, subject, totals[position])
        grade = band.grade if band is not None else grading.default
        if explain:
            reasons[position] = (
                _("score band for {grade}").format(grade=band.grade)
                + (_(": {quote}").format(quote=band.quote) if band.quote else "")
                if band is not None
                else _("default grade")
            )
        if grade in subject.barred and grade in order_of:
            grade, reasons[position] = _bar(subject, grade, grading.grades, reasons[position], explain, names)
        grades[position] = band_grades[position] = grade

    if scopes is None:
        scopes = quota_scopes(grading, subjects, pool_order)
    by_pool: dict[str, list[int]] = {}  # each pool's units, best first
    for position in standing_order(keys, [s.unit for s in subjects]) if order is None else order:
        by_pool.setdefault(subjects[position].pool, []).append(position)
    bands_first = grading.precedence == "bands_first"
    for scope in scopes:
        quota, candidate = scope.quota, scope.candidate
        place = order_of[quota.grade]
        for pool, counted in scope.pools:
            size = quota_sizes(quota, pool, counted)
            if size <= 0:
                continue
            eligible = [
                p
                for p in by_pool.get(pool, ())
                if candidate[p]
                and not (bands_first and order_of.get(band_grades[p] or "", 0) > default_position)
                and order_of.get(grades[p], len(order_of)) > place  # not already at this grade or better
            ]
            chosen = _quota_places(grading, quota, pool, eligible, size, keys, subjects, notes, names)
            for p in chosen:
                grades[p] = quota.grade
                if explain:
                    reasons[p] = _("{grade} quota: top {size} of {group} (rank {rank})").format(
                        grade=quota.grade, size=size, group=_group(names, pool), rank=subjects[p].rank
                    )

    for position, subject in enumerate(subjects):
        for veto in subject.promotions:
            if veto.from_grades and band_grades[position] not in veto.from_grades:
                continue
            if (
                order_of[veto.grade] < order_of.get(grades[position], len(order_of))
                and veto.grade not in subject.barred
            ):
                grades[position] = veto.grade
                if explain:
                    reasons[position] = _("{area}: promoted to {grade} outside the quota").format(
                        area=_area(names, veto.area), grade=veto.grade
                    )
    return Grades(grades, reasons, notes)


def _band(cutoffs: Sequence[tuple[Band, Bounds]], subject: GradeSubject, total: Any) -> Band | None:
    """The first band, in file order, that applies to the unit's group (or pool) and contains the total."""
    for band, (at_least, above, at_most, below) in cutoffs:
        if band.groups and subject.group not in band.groups and subject.pool not in band.groups:
            continue
        if (
            (at_least is None or total >= at_least)
            and (above is None or total > above)
            and (at_most is None or total <= at_most)
            and (below is None or total < below)
        ):
            return band
    return None


def _area(names: Names | None, area: str) -> str:
    return names.veto(area) if names is not None else area


def _group(names: Names | None, group: str) -> str:
    return names.group(group) if names is not None else group


def _bar(
    subject: GradeSubject,
    grade: str,
    grades: Sequence[str],
    reason: str,
    explain: bool,
    names: Names | None = None,
) -> tuple[str, str]:
    """Move a unit out of a grade its ``disqualify`` vetoes bar, to the best lower grade not barred.

    A bar is on the grade, not only on a quota place: a unit barred from 优秀 whose score falls in the
    优秀 band is graded 良好 (or lower, when that is barred too). With no allowed grade below, the grade stays
    and the reason says so, so that the conflict is visible rather than silently resolved.
    """
    below = [g for g in grades[grades.index(grade) + 1 :] if g not in subject.barred]
    if not explain:
        return (below[0] if below else grade), reason
    areas = "、".join(_area(names, a) for a in sorted({v.area for v in subject.barring if grade in v.grades}))
    if not below:
        return grade, reason + _("; {areas} bars {grade} but no lower grade is allowed").format(
            areas=areas, grade=grade
        )
    return below[0], reason + _("; veto {areas}: barred from {previous}, graded {grade}").format(
        areas=areas, previous=grade, grade=below[0]
    )


def _quota_places(
    grading: Grading,
    quota: Quota,
    pool: str,
    eligible: list[int],
    size: int,
    keys: Sequence[tuple],
    subjects: Sequence[GradeSubject],
    notes: list[str],
    names: Names | None = None,
) -> list[int]:
    """The eligible units (best first) that take the quota's places, deciding a tie at the last place."""
    chosen = eligible[:size]
    if len(eligible) > size:
        boundary = keys[eligible[size - 1]]
        tied_out = [p for p in eligible[size:] if keys[p] == boundary]
        if tied_out:
            tied_in = [p for p in chosen if keys[p] == boundary]
            tied = ", ".join(subjects[p].unit for p in (*tied_in, *tied_out))
            if grading.on_tie == "error":
                raise InputError(
                    _(
                        "group {group_id}: units {names} tie for the last {grade} place; break the tie "
                        "in the data or set grading.on_tie"
                    ).format(group_id=_group(names, pool), names=tied, grade=quota.grade)
                )
            if grading.on_tie == "exclude":
                chosen = [p for p in chosen if keys[p] != boundary]
                notes.append(
                    _("group {group}: {names} tie for the last {grade} place; none takes it (on_tie = exclude)").format(
                        group=_group(names, pool), names=tied, grade=quota.grade
                    )
                )
            else:
                chosen = chosen + tied_out
                notes.append(
                    _("group {group}: {names} tie for the last {grade} place; all take it (on_tie = include)").format(
                        group=_group(names, pool), names=tied, grade=quota.grade
                    )
                )
    if len(chosen) < size:
        notes.append(
            _("group {group}: {filled} of {size} {grade} places filled").format(
                group=_group(names, pool), filled=len(chosen), size=size, grade=quota.grade
            )
        )
    return chosen


def pool_order(scheme: Scheme) -> dict[str, int]:
    """Each ranking pool's place in the scheme: where its first group is declared."""
    order: dict[str, int] = {}
    for position, declared in enumerate(scheme.groups):
        order.setdefault(declared.ranking_pool, position)
    return order


def assign_grades(scheme: Scheme, results: Sequence[UnitResult]) -> list[str]:
    """Set each result's grade and reason; return notes about ties and unfilled quotas."""
    if not scheme.grading.grades:
        return []
    outcome = grade_positions(
        scheme.grading,
        [grade_subject(scheme, r) for r in results],
        [r.total for r in results],
        [sort_key(scheme, r) for r in results],
        pool_order=pool_order(scheme),
        names=scheme.names(),
    )
    for result, grade, reason in zip(results, outcome.grades, outcome.reasons, strict=True):
        result.grade, result.grade_reason = grade, reason
    return outcome.notes
