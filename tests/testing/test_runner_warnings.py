"""A check that warns passes, and ``kaoping conformance`` shows the warning under a WARN mark."""

from __future__ import annotations

import warnings

import pytest

from kaoping.testing import CHECKS, WARN, ConformanceWarning, Outcome, report_text, run_checks
from kaoping.testing._checks import Check


def test_a_warning_check_is_marked_warn_and_its_words_are_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    def warns(subject: object) -> str:
        warnings.warn(ConformanceWarning("[quotes-in-source] rules[x]: points 3, but its quote states 2"), stacklevel=1)
        return "9 quotes found in source.txt"

    chosen = CHECKS["quotes-in-source"]
    warning_check = Check(chosen.id, chosen.stage, chosen.title, warns)
    monkeypatch.setattr(Check, "_require", lambda self, subject: None)
    monkeypatch.setattr("kaoping.testing._runner.CHECKS", {chosen.id: warning_check})
    outcomes = run_checks(subject=None)  # type: ignore[arg-type]
    assert outcomes == [
        Outcome(
            "quotes-in-source",
            chosen.stage,
            WARN,
            "9 quotes found in source.txt\n[quotes-in-source] rules[x]: points 3, but its quote states 2",
        )
    ]
    text = report_text("example", outcomes)
    assert "WARN" in text and "points 3, but its quote states 2" in text
    assert "1 passed, 0 skipped, 0 failed, 1 with warnings" in text
