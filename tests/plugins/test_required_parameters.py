"""Every number a built-in scheme's run needs is declared, never hidden behind a placeholder.

A number the source does not give is listed in ``[parameters] required`` (or an item's ``required``, or
``[grading] required``) and has no value in the scheme file, so that ``kaoping show`` marks it REQUIRED and a
run that needs it stops with ``MissingParameterError`` naming it. The check runs each sample with each number
its deployment (``overrides.toml``) sets taken away: a run that then fails needed a number, and the number
must be declared.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kaoping.cli.info import describe_scheme
from kaoping.core.errors import KaopingError, MissingParameterError
from kaoping.locale import set_language
from kaoping.testing import builtin_samples
from tests.helpers import host, score

SAMPLES = [s for s in builtin_samples() if s.expected is not None]


def _removals(overrides: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """(label, overrides without one number, the number's name) for every number the deployment sets."""
    found = []
    for name in overrides.get("parameters", {}):
        changed = copy.deepcopy(overrides)
        del changed["parameters"][name]
        found.append((f"parameters.{name}", changed, name))
    for kind in ("indicators", "rules"):
        for position, item in enumerate(overrides.get(kind, [])):
            for key in item:
                if key in {"id", "add"} or item.get("add"):
                    continue
                changed = copy.deepcopy(overrides)
                del changed[kind][position][key]
                found.append((f"{kind}[{item['id']}].{key}", changed, key))
    return found


CASES = [
    pytest.param(sample, changed, name, id=f"{sample.scheme_id}:{label}")
    for sample in SAMPLES
    if sample.overrides
    for label, changed, name in _removals(dict(sample.overrides))
]


@pytest.mark.parametrize(("sample", "overrides", "name"), CASES)
def test_a_number_the_run_needs_is_declared(sample, overrides, name) -> None:
    raw = host().schemes[sample.scheme_id].data
    declared = set(raw.get("parameters", {}).get("required", []))
    declared |= {n for kind in ("indicators", "rules") for item in raw.get(kind, []) for n in item.get("required", [])}
    try:
        score(sample.scheme_id, sample.data, overrides)
    except MissingParameterError as error:
        assert name in declared, f"{name} stops the run but is not declared required: {error}"
        assert name in str(error)
    except KaopingError as error:
        # a number the deployment must give that is not declared would surface as some other error
        assert name in declared, f"without {name} the sample fails: {error}"
        assert name in str(error), error


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.scheme_id for s in SAMPLES])
def test_required_parameters_have_no_placeholder_and_are_shown(sample) -> None:
    raw = host().schemes[sample.scheme_id].data
    parameters = raw.get("parameters", {})
    required = parameters.get("required", [])
    assert [n for n in required if n in parameters] == [], "a required parameter carries a value in the scheme"
    set_language("en")
    try:
        shown = describe_scheme(host().scheme(sample.scheme_id))
    finally:
        set_language(None)
    for name in required:
        assert f"REQUIRED: {name}" in shown
