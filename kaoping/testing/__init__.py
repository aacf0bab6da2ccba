"""The conformance suite for kaoping plugins: a stable, public kit for plugin authors.

Subclass :class:`SchemeConformance` once per scheme and supply three fixtures (``scheme_id``,
``sample_data``, ``expected_results``); every check of every stage then runs against the scheme as the
installed plugins resolve it. ``kaoping conformance PLUGIN_OR_SCHEME`` runs the same checks without
pytest. See ``docs/plugin-authoring.md``.

This module is also registered as a pytest plugin (``pytest11`` entry point). The classes that need
pytest are imported only when first asked for, so the command works where pytest is not installed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kaoping.testing._checks import CHECKS, STAGES, Check, CheckSkipped, ConformanceFailure
from kaoping.testing._discovery import (
    Sample,
    builtin_samples,
    find_overrides,
    plugin_samples,
    resolve_target,
    scheme_sample,
)
from kaoping.testing._expected import Expected, ExpectedUnit, find_expected, read_expected
from kaoping.testing._runner import FAIL, PASS, SKIP, Outcome, report_text, run_checks
from kaoping.testing._subject import Capabilities, Subject, deployment_resolver, host_resolver

if TYPE_CHECKING:
    from kaoping.testing._suite import (
        DeterminismTests,
        LoadingTests,
        ProvenanceTests,
        ResultTests,
        SchemeConformance,
        ScoringTests,
        VetoTests,
        run_check,
    )

_NEEDS_PYTEST = (
    "DeterminismTests",
    "LoadingTests",
    "ProvenanceTests",
    "ResultTests",
    "SchemeConformance",
    "ScoringTests",
    "VetoTests",
    "run_check",
)

__all__ = [
    "CHECKS",
    "FAIL",
    "PASS",
    "SKIP",
    "STAGES",
    "Capabilities",
    "Check",
    "CheckSkipped",
    "ConformanceFailure",
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
    "scheme_sample",
]


def __getattr__(name: str) -> Any:
    if name in _NEEDS_PYTEST:
        return getattr(importlib.import_module("kaoping.testing._suite"), name)
    raise AttributeError(f"module 'kaoping.testing' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
