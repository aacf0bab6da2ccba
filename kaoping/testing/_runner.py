"""A direct runner of the checks, without pytest: what ``kaoping conformance`` prints.

pytest is a test dependency, not a runtime one, so an evaluation office can check an installed plugin
with the command alone. The checks are the same functions the pytest classes call.
"""

from __future__ import annotations

import traceback

import attrs

from kaoping.testing._checks import CHECKS, STAGES, CheckSkipped, ConformanceFailure
from kaoping.testing._subject import Subject

PASS, SKIP, FAIL = "PASS", "SKIP", "FAIL"


@attrs.frozen
class Outcome:
    check: str
    stage: str
    status: str
    message: str


def run_checks(subject: Subject) -> list[Outcome]:
    """Run every check on ``subject``, stage by stage; an unexpected exception is a failure too."""
    outcomes = []
    for stage in STAGES:
        for check in (c for c in CHECKS.values() if c.stage == stage):
            try:
                outcomes.append(Outcome(check.id, stage, PASS, check(subject)))
            except CheckSkipped as skipped:
                outcomes.append(Outcome(check.id, stage, SKIP, str(skipped)))
            except ConformanceFailure as failure:
                outcomes.append(Outcome(check.id, stage, FAIL, failure.detail))
            except Exception as error:  # a crash inside a plugin must be reported, not end the report
                detail = "".join(traceback.format_exception_only(type(error), error)).strip()
                outcomes.append(Outcome(check.id, stage, FAIL, f"crashed: {detail}"))
    return outcomes


def report_text(title: str, outcomes: list[Outcome], verbose: bool = False) -> str:
    """A readable report: one line per check, the failure messages in full, skip reasons always."""
    lines = [title]
    width = max((len(o.check) for o in outcomes), default=0)
    for stage in STAGES:
        chosen = [o for o in outcomes if o.stage == stage]
        if not chosen:
            continue
        lines.append(f"  {stage}")
        for outcome in chosen:
            first, *rest = outcome.message.splitlines() or [""]
            if outcome.status == PASS and not verbose:
                first = CHECKS[outcome.check].title
            lines.append(f"    {outcome.status}  {outcome.check.ljust(width)}  {first}")
            if outcome.status == FAIL or verbose:
                lines.extend(f"          {line}" for line in rest)
    counts = {status: sum(1 for o in outcomes if o.status == status) for status in (PASS, SKIP, FAIL)}
    lines.append(f"  {counts[PASS]} passed, {counts[SKIP]} skipped, {counts[FAIL]} failed")
    return "\n".join(lines) + "\n"
