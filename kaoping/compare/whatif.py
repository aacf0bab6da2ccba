"""What would move a unit to the next better grade: how many points, and in which part.

The answer is found by re-grading, not by formula: candidate gains come from every boundary that can
matter (a band threshold, or the total of the last unit holding the better grade in the unit's group),
and each candidate is checked by adding it to the unit in one part and re-running the scheme's own
ranking and grading (:mod:`kaoping.core.grading`) on copies of the results. Tie-breaks, ``on_tie``,
``bands_first`` and vetoes are therefore honoured exactly as in a run.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from kaoping.core.grading import assign_grades, assign_ranks, ranking_pool
from kaoping.core.numbers import ZERO, format_points
from kaoping.core.plugins import PluginHost
from kaoping.core.results import RunResult, TrailEntry, UnitResult, UnitScore
from kaoping.core.scheme import Scheme
from kaoping.locale import _


@attrs.frozen
class WhatIf:
    unit: str
    grade: str
    target: str  # the next better grade, or "" when there is none to reach
    points: Decimal | None  # the least gain that reaches it (in the cheapest part), None if out of reach
    parts: tuple[tuple[str, Decimal, Decimal | None], ...]  # (part, headroom, least gain there or None)
    message: str


def headroom(scheme: Scheme, unit: UnitResult) -> dict[str, Decimal]:
    """Points each part can still gain: up to its cap, or to its points (a deduction part: its base)."""
    room = {}
    for part_id, points in unit.parts.items():
        part = scheme.part(part_id)
        ceiling = part.cap if part.cap is not None else part.points
        room[part_id] = max(ceiling - points, ZERO)
    return room


def _regrade(scheme: Scheme, result: RunResult, unit_id: str, part: str, gain: Decimal) -> str:
    copies = []
    for unit in result.units:
        trail = list(unit.score.trail)
        if unit.unit == unit_id:
            trail.append(TrailEntry("adjustment", "what-if", "what-if gain", part, gain))
        score = UnitScore(unit.unit, unit.score.parts_scored, trail)
        copies.append(UnitResult(unit.unit, unit.name, unit.group, score, vetoes=list(unit.vetoes)))
    assign_ranks(scheme, copies)
    assign_grades(scheme, copies)
    return next(c.grade for c in copies if c.unit == unit_id)


def _candidates(scheme: Scheme, result: RunResult, unit: UnitResult) -> list[Decimal]:
    step = scheme.precision
    total = unit.total
    found: set[Decimal] = set()
    for band in scheme.grading.bands:
        for bound, strict in ((band.at_least, False), (band.above, True), (band.below, False), (band.at_most, True)):
            if bound is not None:
                found.add(bound - total + (step if strict else ZERO))
    pool = ranking_pool(scheme, unit.group)
    for other in result.units:
        # passing, or drawing level with, any unit ahead in its ranking pool: the last holder of the better
        # grade, or a unit tied at the quota boundary that keeps both out (on_tie = exclude)
        if ranking_pool(scheme, other.group) == pool and other.unit != unit.unit and other.total >= total:
            found.add(other.total - total)
            found.add(other.total - total + step)
    return sorted(g for g in found if g > 0)


def what_if(scheme: Scheme, result: RunResult, unit_id: str) -> WhatIf:
    unit = next((u for u in result.units if u.unit == unit_id), None)
    if unit is None:
        raise KeyError(unit_id)
    grades = list(scheme.grading.grades)
    if unit.rank is None or not grades:
        return WhatIf(unit_id, unit.grade, "", None, (), _("not ranked or graded: no better grade to reach"))
    if unit.grade not in grades or grades.index(unit.grade) == 0:
        return WhatIf(
            unit_id, unit.grade, "", None, (), _("already at the best grade ({grade})").format(grade=unit.grade)
        )
    target = grades[grades.index(unit.grade) - 1]
    if any(v.effect == "force_grade" for v in unit.vetoes):
        return WhatIf(
            unit_id,
            unit.grade,
            target,
            None,
            (),
            _("the grade is forced by a veto: {grade_reason}").format(grade_reason=unit.grade_reason),
        )
    better = {g for g in grades[: grades.index(unit.grade)]}
    room = headroom(scheme, unit)
    candidates = _candidates(scheme, result, unit)
    per_part = []
    for part_id, space in room.items():
        least = next(
            (
                gain
                for gain in candidates
                if gain <= space and _regrade(scheme, result, unit_id, part_id, gain) in better
            ),
            None,
        )
        per_part.append((part_id, space, least))
    reachable = [least for _, _, least in per_part if least is not None]
    best = min(reachable) if reachable else None
    names = {p.id: p.name for p in scheme.parts}
    lines = []
    if best is None:
        total_room = sum(room.values(), ZERO)
        spread = next(
            (g for g in candidates if g <= total_room and _spread_reaches(scheme, result, unit, room, g, better)),
            None,
        )
        if spread is not None:
            lines.append(
                _(
                    "no single part has room for it; +{points} spread over parts (total {total} → "
                    "{new_total}) reaches {target}"
                ).format(
                    points=format_points(spread),
                    total=format_points(unit.total),
                    new_total=format_points(unit.total + spread),
                    target=target,
                )
            )
            best = spread
        else:
            disqualified = [v for v in unit.vetoes if v.effect == "disqualify" and target in v.grades]
            why = (
                _("a veto bars {target}").format(target=target)
                if disqualified
                else _("no gain within the parts' headroom reaches it")
            )
            lines.append(_("{target} is out of reach: {why}").format(target=target, why=why))
    else:
        lines.append(
            _("+{points} points (total {total} → {new_total}) would move it to {target}").format(
                points=format_points(best),
                total=format_points(unit.total),
                new_total=format_points(unit.total + best),
                target=target,
            )
        )
    for part_id, space, least in per_part:
        gain = (
            _("+{points} here reaches {target}").format(points=format_points(least), target=target)
            if least is not None
            else _("not enough here alone")
        )
        lines.append(
            "  "
            + _("{part}: headroom {headroom}; {gain}").format(
                part=names.get(part_id, part_id), headroom=format_points(space), gain=gain
            )
        )
    return WhatIf(unit_id, unit.grade, target, best, tuple(per_part), "\n".join(lines))


def _spread_reaches(
    scheme: Scheme, result: RunResult, unit: UnitResult, room: dict[str, Decimal], gain: Decimal, better: set[str]
) -> bool:
    """Whether a gain filled part by part, in scheme order, reaches a better grade."""
    copies = []
    for other in result.units:
        trail = list(other.score.trail)
        if other.unit == unit.unit:
            left = gain
            for part_id, space in room.items():
                use = min(space, left)
                if use > 0:
                    trail.append(TrailEntry("adjustment", "what-if", "what-if gain", part_id, use))
                    left -= use
        copies.append(
            UnitResult(
                other.unit,
                other.name,
                other.group,
                UnitScore(other.unit, other.score.parts_scored, trail),
                vetoes=list(other.vetoes),
            )
        )
    assign_ranks(scheme, copies)
    assign_grades(scheme, copies)
    return next(c.grade for c in copies if c.unit == unit.unit) in better


def what_if_text(host: PluginHost, scheme: Scheme, result: RunResult, unit_id: str) -> str:
    """The ``kaoping explain UNIT --what-if`` paragraph."""
    answer = what_if(scheme, result, unit_id)
    head = _("what if: {unit} is {grade}").format(unit=answer.unit, grade=answer.grade or "-")
    if answer.target:
        head += _("; next better grade {target}").format(target=answer.target)
    return head + "\n" + answer.message + "\n"
