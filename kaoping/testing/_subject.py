"""What the suite checks: one scheme, as one deployment resolves it, scored on one sample.

A :class:`Subject` is built once per test class (or once per ``kaoping conformance`` target) and caches
the baseline run, so that every check compares against the same result without rescoring it.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import attrs

from kaoping.core.models import Dataset
from kaoping.core.pipeline import prepare, run
from kaoping.core.plugins import PluginHost
from kaoping.core.results import RunResult
from kaoping.core.scheme import Scheme
from kaoping.io.report import to_json
from kaoping.locale import _
from kaoping.testing._expected import Expected

CAPABILITIES = ("indicators", "deductions", "bonuses", "vetoes", "grades", "bands", "quotas", "shuffle")


@attrs.frozen
class Capabilities:
    """Which parts of the suite apply to a scheme.

    Every field defaults to ``None``: the suite detects the capability from the scheme (no ``[[vetoes]]``
    means the veto checks are skipped, saying so). Set a field to a sentence to switch the capability off
    on purpose; the sentence is the skip reason shown in the report, e.g.
    ``Capabilities(quotas="places are assigned by the committee, not computed")``.
    """

    indicators: str | None = None
    deductions: str | None = None
    bonuses: str | None = None
    vetoes: str | None = None
    grades: str | None = None
    bands: str | None = None
    quotas: str | None = None
    shuffle: str | None = None

    def reason_off(self, name: str, scheme: Scheme) -> str | None:
        """Why capability ``name`` is off for ``scheme`` (a declared reason or what detection found)."""
        declared = getattr(self, name)
        if declared is not None:
            return f"capability {name!r} switched off: {declared}"
        detected = {
            "indicators": (bool(scheme.indicators), "the scheme declares no [[indicators]]"),
            "deductions": (any(r.kind == "deduction" for r in scheme.rules), "the scheme has no deduction rule"),
            "bonuses": (any(r.kind == "bonus" for r in scheme.rules), "the scheme has no bonus rule"),
            "vetoes": (bool(scheme.vetoes), "the scheme declares no veto areas ([[vetoes]])"),
            "grades": (bool(scheme.grading.grades), "the scheme declares no grades ([grading] grades)"),
            "bands": (bool(scheme.grading.bands), "the scheme declares no grade bands ([[grading.bands]])"),
            "quotas": (bool(scheme.grading.quotas), "the scheme declares no quotas ([[grading.quotas]])"),
            "shuffle": (True, ""),
        }
        present, reason = detected[name]
        return None if present else f"{reason} (capability {name!r} not used)"


Resolver = Callable[[], tuple[PluginHost, Scheme]]


def host_resolver(
    scheme_id: str,
    plugin_objects: Sequence[tuple[str, object]] = (),
    entry_points: bool = True,
    overrides: Mapping[str, Any] | None = None,
    disabled: Sequence[str] = (),
) -> Resolver:
    """Build the host from installed and given plugins, and the scheme with optional overrides."""

    def resolve() -> tuple[PluginHost, Scheme]:
        host = PluginHost(entry_points=entry_points, plugin_objects=list(plugin_objects), disabled=disabled)
        return host, host.scheme(scheme_id, dict(overrides) if overrides else None)

    objects = [_importable(name, plugin) for name, plugin in plugin_objects]
    if all(objects):  # another process can resolve the same host and scheme
        resolve.recipe = {  # type: ignore[attr-defined]
            "scheme": scheme_id,
            "entry_points": entry_points,
            "overrides": dict(overrides) if overrides else None,
            "disabled": list(disabled),
            "plugin_objects": objects,
        }
    return resolve


def _importable(name: str, plugin: object) -> list[str] | None:
    """``[name, module, class or ""]`` for a plugin another process can rebuild: a module, or an instance of
    a class that takes no arguments, defined at the top of an importable module."""
    if isinstance(plugin, types.ModuleType):
        return [name, plugin.__name__, ""]
    cls = type(plugin)
    if cls.__module__ in ("__main__", "builtins") or "." in cls.__qualname__:
        return None
    try:
        type(plugin)()
    except Exception:
        return None
    return [name, cls.__module__, cls.__qualname__]


def deployment_resolver(
    config: Path,
    county: str | None = None,
    plugins: Sequence[str] = (),
    overrides: Mapping[str, Any] | None = None,
) -> Resolver:
    """Resolve host and scheme exactly as ``kaoping score --config`` would, overrides included.

    ``overrides`` (a sample's ``overrides.toml``) apply after the county's, as ``kaoping conformance
    --config`` and ``kaoping score --config … --overrides`` apply them.
    """

    def resolve() -> tuple[PluginHost, Scheme]:
        setup = prepare(
            config=config,
            county=county,
            plugins=tuple(plugins),
            overrides=dict(overrides) if overrides else None,
            overrides_origin="sample overrides.toml",
        )
        if setup.scheme is None:  # pragma: no cover - a county always names a scheme
            raise ValueError(_("{config}: the county names no scheme").format(config=config))
        return setup.host, setup.scheme

    return resolve


def snapshot(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table as plain values, to compare before and after a run."""
    tables = ("units", "values", "events", "vetoes", "history")
    return {t: [attrs.asdict(row, recurse=True) for row in getattr(dataset, t)] for t in tables}


@attrs.define
class Subject:
    """One scheme under test: how to resolve it, its sample, the author's expected results, its traits.

    ``lower_is_better`` lists indicators whose value counts against the unit (a case rate, a count of
    complaints): the completion check lowers their value instead of raising it.
    """

    scheme_id: str
    resolver: Resolver
    sample: Path | Dataset
    expected: Expected | None = None
    capabilities: Capabilities = attrs.field(factory=Capabilities)
    lower_is_better: frozenset[str] = frozenset()
    label: str = ""
    loaded: dict[str, list[dict[str, Any]]] = attrs.field(factory=dict, repr=False)

    @cached_property
    def resolved(self) -> tuple[PluginHost, Scheme]:
        return self.resolver()

    @property
    def host(self) -> PluginHost:
        return self.resolved[0]

    @property
    def scheme(self) -> Scheme:
        return self.resolved[1]

    @cached_property
    def dataset(self) -> Dataset:
        """The sample as loaded through the host's loaders (a plugin may read its own template)."""
        if isinstance(self.sample, Dataset):
            dataset = self.sample
        else:
            dataset = self.host.load_dataset(Path(self.sample), self.scheme)
        self.loaded = snapshot(dataset)  # before any hook sees it: the input-unchanged check compares with it
        return dataset

    @cached_property
    def result(self) -> RunResult:
        return self.run(self.dataset)

    @cached_property
    def result_json(self) -> str:
        return to_json(self.result)

    def run(self, dataset: Dataset, host: PluginHost | None = None, scheme: Scheme | None = None) -> RunResult:
        """Score ``dataset`` the way ``kaoping score`` does (validation included)."""
        return run(host or self.host, scheme or self.scheme, dataset)

    def off(self, capability: str) -> str | None:
        return self.capabilities.reason_off(capability, self.scheme)

    def describe(self) -> str:
        entry = self.host.schemes.get(self.scheme_id)
        plugin = entry.plugin if entry else "?"
        version = self.host.info[plugin].version if plugin in self.host.info else "?"
        sample = self.sample.origin if isinstance(self.sample, Dataset) else str(self.sample)
        return _("{scheme} (plugin {plugin} {version}), sample {sample}").format(
            scheme=self.scheme_id, plugin=plugin, version=version, sample=sample
        )
