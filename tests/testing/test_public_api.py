"""``kaoping.testing`` is a stable public surface: what it exports, and one test per check."""

from __future__ import annotations

import kaoping.testing
from kaoping.testing import CHECKS, STAGES, SchemeConformance


def test_every_exported_name_resolves():
    for name in kaoping.testing.__all__:
        assert getattr(kaoping.testing, name) is not None, name


def test_the_exports_are_deliberate():
    assert sorted(kaoping.testing.__all__) == sorted(
        [
            "CHECKS",
            "FAIL",
            "PASS",
            "SKIP",
            "STAGES",
            "WARN",
            "Capabilities",
            "Check",
            "CheckSkipped",
            "ConformanceFailure",
            "ConformanceWarning",
            "DeterminismTests",
            "Expected",
            "ExpectedUnit",
            "LoadingTests",
            "Outcome",
            "ProvenanceTests",
            "ResultTests",
            "Sample",
            "SchemeConformance",
            "ScoringTests",
            "Subject",
            "VetoTests",
            "builtin_samples",
            "deployment_resolver",
            "find_expected",
            "find_overrides",
            "host_resolver",
            "plugin_samples",
            "read_expected",
            "report_text",
            "resolve_target",
            "run_check",
            "run_checks",
            "scheme_coverage",
            "scheme_sample",
        ]
    )


def test_every_check_has_a_test_in_the_bundle():
    tests = {name for name in dir(SchemeConformance) if name.startswith("test_")}
    for check_id in CHECKS:
        assert f"test_{check_id.replace('-', '_')}" in tests, check_id


def test_every_check_belongs_to_a_stage():
    assert {check.stage for check in CHECKS.values()} == set(STAGES)
