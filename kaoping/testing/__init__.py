"""The conformance suite for kaoping plugins: a stable, public kit for plugin authors.

Subclass :class:`SchemeConformance` once per scheme and supply three fixtures (``scheme_id``,
``sample_data``, ``expected_results``); every check of every stage then runs against the scheme as the
installed plugins resolve it. ``kaoping conformance PLUGIN_OR_SCHEME`` runs the same checks without
pytest. See ``docs/plugin-authoring.md``.

The pytest plugin kaoping registers (``pytest11`` entry point) is :mod:`kaoping.testing.plugin`: a few
fixtures, and nothing else is imported into a pytest run until a test asks for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kaoping.testing._checks import CHECKS, STAGES, Check, CheckSkipped, ConformanceFailure, ConformanceWarning
    from kaoping.testing._discovery import (
        Sample,
        builtin_samples,
        find_overrides,
        plugin_samples,
        resolve_target,
        scheme_coverage,
        scheme_sample,
    )
    from kaoping.testing._expected import Expected, ExpectedUnit, find_expected, read_expected
    from kaoping.testing._runner import FAIL, PASS, SKIP, WARN, Outcome, report_text, run_checks
    from kaoping.testing._subject import Capabilities, Subject, deployment_resolver, host_resolver
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

# Each public name and the private module that defines it, imported on first use: the package itself
# imports nothing, so ``kaoping.testing.plugin`` (the pytest plugin every pytest run in the environment
# loads) stays thin, and the classes that need pytest never load where pytest is not installed.
_SOURCES = {
    "kaoping.testing._checks": (
        "CHECKS",
        "STAGES",
        "Check",
        "CheckSkipped",
        "ConformanceFailure",
        "ConformanceWarning",
    ),
    "kaoping.testing._discovery": (
        "Sample",
        "builtin_samples",
        "find_overrides",
        "plugin_samples",
        "resolve_target",
        "scheme_coverage",
        "scheme_sample",
    ),
    "kaoping.testing._expected": ("Expected", "ExpectedUnit", "find_expected", "read_expected"),
    "kaoping.testing._runner": ("FAIL", "PASS", "SKIP", "WARN", "Outcome", "report_text", "run_checks"),
    "kaoping.testing._subject": ("Capabilities", "Subject", "deployment_resolver", "host_resolver"),
    "kaoping.testing._suite": (
        "DeterminismTests",
        "LoadingTests",
        "ProvenanceTests",
        "ResultTests",
        "SchemeConformance",
        "ScoringTests",
        "VetoTests",
        "run_check",
    ),
}
_MODULE_OF = {name: module for module, names in _SOURCES.items() for name in names}

__all__ = [
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


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'kaoping.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
