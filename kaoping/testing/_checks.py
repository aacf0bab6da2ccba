"""The conformance checks: plain functions over a :class:`Subject`, shared by pytest and the CLI.

This module holds what every stage shares (the :class:`Check` record, the ``@check`` registry, failures
and helpers); the checks themselves live in one module per stage: ``_loading``, ``_scoring``,
``_vetoes``, ``_results``, ``_determinism``, ``_provenance`` and ``_robustness``.

Each check either returns a one-line summary of what it verified, raises :class:`CheckSkipped` with the
reason it does not apply, or raises :class:`ConformanceFailure` whose message starts with the check id
and names the rule, indicator, veto area, quota or plugin at fault.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from kaoping.core.errors import KaopingError
from kaoping.core.models import Unit
from kaoping.core.numbers import format_points
from kaoping.core.results import RunResult, UnitResult
from kaoping.core.scheme import Scheme
from kaoping.core.scoring import parts_for
from kaoping.io.report import to_json
from kaoping.locale import _
from kaoping.testing._subject import Subject

BUILTIN = "builtin"
STAGES = ("loading", "scoring", "vetoes", "results", "determinism", "provenance", "robustness")
_SHOWN = 8


def _p(value: Decimal | None) -> str:
    """Points as people write them (83, 82.5), never 8.3E+1."""
    return "-" if value is None else format_points(value)


class ConformanceWarning(UserWarning):
    """Something an author should look at that may still be right (a quote whose numbers differ from the
    item's points: a quote may state a rate the points are computed from). pytest lists it in its warnings
    summary; ``kaoping conformance`` marks the check WARN."""


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


def _first_difference(expected: str, got: str, label: str) -> str:
    diff = list(difflib.unified_diff(expected.splitlines(), got.splitlines(), "first run", label, n=1, lineterm=""))
    return "\n".join(diff[:14])


def crash_origin(error: BaseException) -> str:
    """Where a plugin crashed: the hook and the plugin's own file:line (see :mod:`._robustness`)."""
    from kaoping.testing._robustness import crash_origin as origin

    return origin(error)


def checks_by_stage() -> dict[str, list[Check]]:
    return {stage: [c for c in CHECKS.values() if c.stage == stage] for stage in STAGES}


# Each stage's checks live in the module named after it and register themselves into CHECKS on import,
# in the order of STAGES (which is the order reports list them in).
for _stage in STAGES:
    importlib.import_module(f"kaoping.testing._{_stage}")
