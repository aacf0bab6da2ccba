"""Grade gates: conditions that bar a unit from a grade whatever band its score falls in.

The core applies a ``disqualify`` veto to quota places and promotions; a unit graded by an absolute band
keeps the band's grade. Rules such as 「被约谈两次的…不得评定为优秀」 or 「只有在季度绩效考评中获两次以上
优秀」 bar the grade outright, so after grading a barred unit moves to the best grade below the barred one
that is not itself barred (the next grade in ``grading.grades``), and takes that grade's consequences.
"""

from __future__ import annotations

from kaoping.core.consequences import consequences_for
from kaoping.core.errors import MissingParameterError
from kaoping.core.results import RunResult, UnitResult
from kaoping.core.scheme import Scheme


def barred_grades(result: UnitResult) -> set[str]:
    return {g for v in result.vetoes if v.effect == "disqualify" for g in v.grades}


def enforce_disqualifications(scheme: Scheme, run: RunResult) -> RunResult:
    """Move every unit graded into a grade its vetoes bar down to the next grade allowed."""
    grades = list(scheme.grading.grades)
    for result in run.units:
        barred = barred_grades(result)
        if result.grade not in barred or result.grade not in grades:
            continue
        below = [g for g in grades[grades.index(result.grade) + 1 :] if g not in barred]
        if not below:
            continue
        areas = ", ".join(v.area for v in result.vetoes if v.effect == "disqualify" and result.grade in v.grades)
        previous = result.grade
        result.grade = below[0]
        result.grade_reason = f"{areas}: barred from {previous}, graded {below[0]}"
        result.consequences = consequences_for(scheme, result)
        run.notes.append(f"{result.unit}: barred from {previous} ({areas}); graded {below[0]}")
    return run


def require_grading(scheme: Scheme, what: str) -> None:
    """Raise when a scheme whose source names no cut-offs is run without the deployment's grading."""
    if not scheme.grading.bands and not scheme.grading.quotas:
        raise MissingParameterError(
            f"{scheme.id}: {what}; set grading.grades and grading.bands (or grading.quotas) in the overrides"
        )
