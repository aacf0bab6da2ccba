"""A direct runner of the checks, without pytest: what ``kaoping conformance`` prints.

pytest is a test dependency, not a runtime one, so an evaluation office can check an installed plugin
with the command alone. The checks are the same functions the pytest classes call.
"""

from __future__ import annotations

import traceback
import warnings

import attrs

from kaoping.io.report import display_width, pad
from kaoping.locale import N_, _
from kaoping.testing._checks import CHECKS, STAGES, CheckSkipped, ConformanceFailure, ConformanceWarning
from kaoping.testing._subject import Subject

PASS, WARN, SKIP, FAIL = "PASS", "WARN", "SKIP", "FAIL"
STATUS_LABELS = {PASS: N_("PASS"), WARN: N_("WARN"), SKIP: N_("SKIP"), FAIL: N_("FAIL")}
STAGE_LABELS = {
    "loading": N_("loading"),
    "scoring": N_("scoring"),
    "vetoes": N_("vetoes"),
    "results": N_("results"),
    "determinism": N_("determinism"),
    "provenance": N_("provenance"),
    "robustness": N_("robustness"),
}


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
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", ConformanceWarning)
                    message = check(subject)
                said = [str(w.message) for w in caught if issubclass(w.category, ConformanceWarning)]
                if said:
                    outcomes.append(Outcome(check.id, stage, WARN, "\n".join([message, *said])))
                else:
                    outcomes.append(Outcome(check.id, stage, PASS, message))
            except CheckSkipped as skipped:
                outcomes.append(Outcome(check.id, stage, SKIP, str(skipped)))
            except ConformanceFailure as failure:
                outcomes.append(Outcome(check.id, stage, FAIL, failure.detail))
            except Exception as error:  # a crash inside a plugin must be reported, not end the report
                detail = "".join(traceback.format_exception_only(type(error), error)).strip()
                outcomes.append(Outcome(check.id, stage, FAIL, _("crashed: {detail}").format(detail=detail)))
    return outcomes


def report_text(title: str, outcomes: list[Outcome], verbose: bool = False) -> str:
    """A readable report: one line per check, the failure messages in full, skip reasons always."""
    lines = [title]
    width = max((len(o.check) for o in outcomes), default=0)
    status_width = max(display_width(_(label)) for label in STATUS_LABELS.values())
    for stage in STAGES:
        chosen = [o for o in outcomes if o.stage == stage]
        if not chosen:
            continue
        lines.append(f"  {_(STAGE_LABELS.get(stage, stage))}")
        for outcome in chosen:
            first, *rest = outcome.message.splitlines() or [""]
            if outcome.status == PASS and not verbose:
                first = _(CHECKS[outcome.check].title)
            status = pad(_(STATUS_LABELS[outcome.status]), status_width)
            lines.append(f"    {status}  {outcome.check.ljust(width)}  {first}")
            if outcome.status in (FAIL, WARN) or verbose:
                lines.extend(f"          {line}" for line in rest)
    counts = {status: sum(1 for o in outcomes if o.status == status) for status in (PASS, WARN, SKIP, FAIL)}
    summary = _("{passed} passed, {skipped} skipped, {failed} failed").format(
        passed=counts[PASS] + counts[WARN], skipped=counts[SKIP], failed=counts[FAIL]
    )
    if counts[WARN]:
        summary += _(", {warned} with warnings").format(warned=counts[WARN])
    lines.append("  " + summary)
    return "\n".join(lines) + "\n"
