"""The pytest plugin kaoping installs (``pytest11`` entry point): two fixtures, and nothing more.

Every pytest run in an environment where kaoping is installed loads this module, so it imports only
pytest; the engine is imported when a test first asks for a fixture. The conformance suite itself is
not a plugin: subclass :class:`kaoping.testing.SchemeConformance` in the test file that wants it.

``kaoping_host``
    the plugin host with kaoping's built-in plugins and every installed plugin, built once per session;
``kaoping_run``
    ``kaoping_run(scheme_id, data, overrides=None)`` scores a data folder (or workbook, or
    :class:`~kaoping.api.Dataset`) with a registered scheme and returns the
    :class:`~kaoping.api.RunResult`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from kaoping.core.models import Dataset
    from kaoping.core.plugins import PluginHost
    from kaoping.core.results import RunResult


@pytest.fixture(scope="session")
def kaoping_host() -> PluginHost:
    """The plugin host with kaoping's built-in plugins and every installed plugin."""
    from kaoping.core.plugins import PluginHost

    return PluginHost()


@pytest.fixture
def kaoping_run(kaoping_host: PluginHost) -> Callable[..., RunResult]:
    """Score data with a registered scheme: ``kaoping_run(scheme_id, data, overrides=None)``."""
    from kaoping.core.pipeline import run

    def score(scheme_id: str, data: Path | Dataset, overrides: Mapping[str, Any] | None = None) -> RunResult:
        scheme = kaoping_host.scheme(scheme_id, dict(overrides) if overrides else None)
        return run(kaoping_host, scheme, data)

    return score
