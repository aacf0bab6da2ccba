"""Shared helpers for tests: score a scheme on records or on a folder, with optional overrides."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from kaoping.core.dataio import dataset_from_records
from kaoping.core.pipeline import run
from kaoping.core.plugins import PluginHost
from kaoping.core.results import RunResult

_HOST: PluginHost | None = None


def host() -> PluginHost:
    """One plugin host per test session (built-in plugins only, no entry points)."""
    global _HOST
    if _HOST is None:
        _HOST = PluginHost(entry_points=False)
    return _HOST


def score(scheme_id: str, data: dict[str, list[dict[str, Any]]] | Path, overrides: dict[str, Any] | None = None) -> RunResult:
    scheme = host().scheme(scheme_id, overrides)
    source = data if isinstance(data, Path) else dataset_from_records(data)
    return run(host(), scheme, source)


def D(text: str | int) -> Decimal:  # noqa: N802 - reads like a literal in expected values
    return Decimal(str(text))
