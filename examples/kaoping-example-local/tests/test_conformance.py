"""The kaoping conformance suite on the example plugin: as shipped, and as one deployment configures it."""

from __future__ import annotations

from pathlib import Path

import pytest
from kaoping_example_local import SAMPLE_DATA, SCHEME_ID

from kaoping.testing import Expected, SchemeConformance, read_expected

DEPLOYMENT = Path(__file__).parents[1] / "deployment"


class TestDistrictScheme(SchemeConformance):
    """The derived scheme and the local veto rule, found through the installed entry point."""

    @pytest.fixture
    def scheme_id(self) -> str:
        return SCHEME_ID

    @pytest.fixture
    def sample_data(self) -> Path:
        return SAMPLE_DATA

    @pytest.fixture
    def expected_results(self) -> Expected:
        return read_expected(SAMPLE_DATA / "expected.csv")


class TestDistrictDeployment(TestDistrictScheme):
    """The same plugin and data through ``deployment/kaoping.toml``: its overrides change the results."""

    @pytest.fixture
    def deployment_config(self) -> Path:
        return DEPLOYMENT / "kaoping.toml"

    @pytest.fixture
    def county(self) -> str:
        return "longwen"

    @pytest.fixture
    def expected_results(self) -> Expected:
        return read_expected(DEPLOYMENT / "expected.csv")
