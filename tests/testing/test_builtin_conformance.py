"""Every built-in scheme that ships sample data and expected results passes the conformance suite.

A locality plugin joins this test by declaring ``SAMPLE_DATA`` and putting ``expected.csv`` (or
``expected.json``) in its sample folder; see docs/plugin-authoring.md, "Sample data and expected results".
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from kaoping.testing import Capabilities, Sample, SchemeConformance, builtin_samples

SAMPLES = [sample for sample in builtin_samples() if sample.expected is not None]


def test_the_reference_plugin_is_covered():
    assert "fujian.zhangzhou" in {sample.scheme_id for sample in SAMPLES}


def test_every_builtin_scheme_ships_a_sample_with_expected_results():
    # so that every built-in plugin passes `kaoping conformance` in CI, not only those that opted in
    from kaoping.core.plugins import PluginHost

    host = PluginHost(entry_points=False)
    builtin = {s for s, entry in host.schemes.items() if host.info[entry.plugin].source == "built-in"}
    assert builtin - {sample.scheme_id for sample in SAMPLES} == set()


# Defects the robustness checks found in built-in plugins and that are not mended yet: each fails its check
# (strict xfail), so mending one makes this list shrink rather than hiding a regression.
KNOWN_DEFECTS: dict[tuple[str, str], str] = {}


class TestBuiltinSchemes(SchemeConformance):
    @pytest.fixture(autouse=True)
    def _known_defect(self, request: pytest.FixtureRequest, builtin: Sample) -> None:
        reason = KNOWN_DEFECTS.get((request.function.__name__, builtin.scheme_id))
        if reason is not None:
            request.node.add_marker(pytest.mark.xfail(reason=reason, strict=True))

    @pytest.fixture(params=SAMPLES, ids=[sample.scheme_id for sample in SAMPLES])
    def builtin(self, request: pytest.FixtureRequest) -> Sample:
        return request.param

    @pytest.fixture
    def scheme_id(self, builtin: Sample) -> str:
        return builtin.scheme_id

    @pytest.fixture
    def sample_data(self, builtin: Sample) -> Path:
        return builtin.data

    @pytest.fixture
    def expected_results(self, builtin: Sample) -> Path | None:
        return builtin.expected

    @pytest.fixture
    def capabilities(self, builtin: Sample) -> Capabilities:
        return builtin.capabilities

    @pytest.fixture
    def lower_is_better(self, builtin: Sample) -> frozenset[str]:
        return builtin.lower_is_better

    @pytest.fixture
    def overrides(self, builtin: Sample) -> Mapping[str, Any] | None:
        return builtin.overrides

    @pytest.fixture
    def entry_points(self) -> bool:
        return False
