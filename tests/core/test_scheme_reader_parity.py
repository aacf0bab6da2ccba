"""The declared-field reader reads every built-in scheme to exactly the objects the hand-written reader did.

``legacy_scheme_reader`` is the scheme module as it was before the keys were declared once; this test
compares the two on every built-in scheme (with and without its sample's overrides) and on broken
variants, whose problems must say the same things.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import attrs
import pytest

from kaoping.core.overrides import apply_overrides
from kaoping.core.plugins import PluginHost
from kaoping.core.scheme import read_scheme
from kaoping.testing._discovery import builtin_samples
from tests.core import legacy_scheme_reader as legacy

HOST = PluginHost(entry_points=False)
ENTRIES = sorted(HOST.schemes.values(), key=lambda e: e.id)


def plain(value: Any) -> Any:
    """A comparable form of a parsed scheme: class name and fields, recursively."""
    if attrs.has(type(value)):
        fields = {f.name: plain(getattr(value, f.name)) for f in attrs.fields(type(value)) if f.eq}
        return (type(value).__name__, fields)
    if isinstance(value, dict) or hasattr(value, "items"):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [plain(v) for v in value])
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    return (type(value).__name__, value)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_every_builtin_scheme_reads_to_the_same_objects(entry):
    new, new_problems = read_scheme(entry.data, entry.origin, entry.plugin)
    old, old_problems = legacy.read_scheme(entry.data, entry.origin, entry.plugin)
    assert [p.message for p in new_problems] == [p.message for p in old_problems]
    assert plain(new) == plain(old)


SAMPLES = [s for s in builtin_samples() if s.overrides is not None]


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.scheme_id for s in SAMPLES])
def test_every_sample_deployment_reads_to_the_same_objects(sample):
    data = apply_overrides(HOST.schemes[sample.scheme_id].data, dict(sample.overrides))
    new, new_problems = read_scheme(data, "x.toml")
    old, old_problems = legacy.read_scheme(data, "x.toml")
    assert [p.message for p in new_problems] == [p.message for p in old_problems]
    assert plain(new) == plain(old)


def _broken(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Variants of a scheme with one bad value each, in every table kind."""
    variants = []

    def variant(edit: Any) -> None:
        copied = copy.deepcopy(data)
        try:
            edit(copied)
        except (KeyError, IndexError, TypeError):
            return
        variants.append(copied)

    variant(lambda d: d.update(total="many"))
    variant(lambda d: d.update(rounding="nearest"))
    variant(lambda d: d.update(year="2014"))
    variant(lambda d: d.update(totl=3))
    variant(lambda d: d.pop("name"))
    variant(lambda d: d.update(status={"complete": "yes", "extra": 1}))
    variant(lambda d: d["parameters"].update(required="x"))
    variant(lambda d: d["parts"][0].update(points=-1, below_floor="down", cap="x", extra=1))
    variant(lambda d: d["parts"][0].update(required=["weight"]))
    variant(lambda d: d["parts"][0].pop("points"))
    variant(lambda d: d["groups"][0].update(ranked="false", parts="p", units=[{"name": "x"}]))
    variant(lambda d: d["indicators"][0].update(direction="up", optional=1, rating_limits={"优": "1.5"}))
    variant(lambda d: d["indicators"][0].update(rating_limits=[1], points=None))
    variant(lambda d: d["rules"][0].update(kind="bonus", at_most_share="x", share_scope="unit"))
    variant(lambda d: d["rules"][0].update(kind="fine", joint={"a": "x"}, only_if_deducted={"above": 1}))
    variant(lambda d: d["rules"][0].update(kind="bonus", only_if_deducted={"items": [], "scope": "x", "z": 1}))
    variant(lambda d: d["rules"][0].update(cap=-2, self_report_exempt="no", same_matter=3))
    variant(lambda d: d["vetoes"][0].update(effect="ban", from_grades=["x"], consequences=3))
    variant(lambda d: d["vetoes"][0].update(effect="deduct", points="a"))
    variant(lambda d: d["caps"].append({"id": "c", "max": -1, "share": 2, "rules": ["a"], "parts": ["b"]}))
    variant(lambda d: d["grading"].update(precedence="x", on_tie="y", required=["z"], grades="A"))
    variant(lambda d: d["grading"]["bands"][0].update(at_least="a", extra=1, groups=[1]))
    variant(lambda d: d["grading"]["quotas"][0].update(counts={"a": -1, "b": 1.5}, share="150%"))
    variant(lambda d: d["grading"]["quotas"][0].update(counts=3, share=-1))
    variant(lambda d: d.update(groups={"id": "x"}))
    variant(lambda d: d.update(parts=[1, 2]))
    return variants


# The one intended change: precedence and on_tie are checked where they are read, naming the value given.
RENAMED = {
    "grading: precedence must be 'bands_first' or 'quotas_first', got 'x'": (
        "grading.precedence must be 'bands_first' or 'quotas_first'"
    ),
    "grading: on_tie must be 'exclude', 'include' or 'error', got 'y'": (
        "grading.on_tie must be 'exclude', 'include' or 'error'"
    ),
}


BROKEN = [(e.id, i, v) for e in ENTRIES for i, v in enumerate(_broken(e.data))]


@pytest.mark.parametrize("scheme_id,index,data", BROKEN, ids=[f"{s}-{i}" for s, i, _ in BROKEN])
def test_broken_schemes_report_the_same_problems(scheme_id, index, data):
    new = read_scheme(data, "scheme.toml")[1]
    old = legacy.read_scheme(data, "scheme.toml")[1]
    assert sorted(RENAMED.get(p.message, p.message) for p in new) == sorted(p.message for p in old)
    assert {p.file for p in new} == {"scheme.toml"}
