"""Shared helpers for tests: score a scheme on records or on a folder, with optional overrides."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from kaoping import hookimpl
from kaoping.core.pipeline import run
from kaoping.core.plugins import PluginHost
from kaoping.core.results import RunResult
from kaoping.io.dataio import dataset_from_records

_HOST: PluginHost | None = None


def host() -> PluginHost:
    """One plugin host per test session (built-in plugins only, no entry points)."""
    global _HOST
    if _HOST is None:
        _HOST = PluginHost(entry_points=False)
    return _HOST


def score(
    scheme_id: str, data: dict[str, list[dict[str, Any]]] | Path, overrides: dict[str, Any] | None = None
) -> RunResult:
    scheme = host().scheme(scheme_id, overrides)
    source = data if isinstance(data, Path) else dataset_from_records(data)
    return run(host(), scheme, source)


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


class SchemeProvider:
    """A throwaway plugin that registers scheme mappings, for tests of the core."""

    def __init__(self, *schemes: dict[str, Any]) -> None:
        self.schemes = schemes

    @hookimpl
    def kaoping_register_schemes(self, register: Any) -> None:
        for scheme in self.schemes:
            register(scheme)


def host_with(*schemes: dict[str, Any], plugins: tuple[tuple[str, object], ...] = ()) -> PluginHost:
    return PluginHost(entry_points=False, plugin_objects=[("test_schemes", SchemeProvider(*schemes)), *plugins])


def run_scheme(
    scheme: dict[str, Any], data: dict[str, list[dict[str, Any]]], plugins: tuple[tuple[str, object], ...] = ()
) -> RunResult:
    """Score records with a scheme given as a mapping (the TOML structure)."""
    test_host = host_with(scheme, plugins=plugins)
    return run(test_host, test_host.scheme(scheme["id"]), dataset_from_records(data))


def mini_scheme(**changes: Any) -> dict[str, Any]:
    """A small valid scheme: one 100-point part with one direct indicator, one group, no grading."""
    scheme: dict[str, Any] = {
        "id": "test.mini",
        "name": "测试方案",
        "total": 100,
        "status": {"complete": True},
        "groups": [{"id": "g", "name": "组"}],
        "parts": [{"id": "p", "name": "部分", "points": 100}],
        "indicators": [{"id": "i", "name": "指标", "part": "p", "method": "direct", "points": 100}],
    }
    scheme.update(changes)
    return scheme
