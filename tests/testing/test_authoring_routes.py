"""Routes an author follows from the docs alone: the pytest route and the scaffold behave as documented."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kaoping.cli.scaffold import PYPROJECT
from kaoping.testing import find_overrides

pytest_plugins = ["pytester"]

QUIET = ("-p", "no:cacheprovider", "-p", "no:benchmark", "-p", "no:hypothesispytest")

XINGAN_SAMPLE = Path(__file__).parents[2] / "kaoping/plugins/jiangxi_xingan_sunshine/sample"


def test_find_overrides_reads_the_sample_folders_overrides_toml():
    # the sample gives the number the source leaves to the deployment (「考评结果得分按比例折算后计入」)
    assert find_overrides(XINGAN_SAMPLE) == {"parameters": {"host_item_points": 10}}
    assert find_overrides(XINGAN_SAMPLE / "units.csv") == {"parameters": {"host_item_points": 10}}


def test_the_pytest_route_applies_the_samples_overrides_toml(pytester: pytest.Pytester):
    """Without the sample's overrides the scheme cannot score (a required parameter); with the default
    ``overrides`` fixture the pytest route scores it exactly as ``kaoping conformance`` does."""
    pytester.makepyfile(
        test_route=textwrap.dedent(
            f"""
            import pytest
            from pathlib import Path

            from kaoping.testing import SchemeConformance, read_expected

            SAMPLE = Path({str(XINGAN_SAMPLE)!r})


            class TestDefault(SchemeConformance):
                @pytest.fixture
                def scheme_id(self):
                    return "jiangxi.xingan.sunshine"

                @pytest.fixture
                def sample_data(self):
                    return SAMPLE

                @pytest.fixture
                def expected_results(self):
                    return read_expected(SAMPLE / "expected.csv")


            class TestWithout(TestDefault):
                @pytest.fixture
                def overrides(self):
                    return None


            class TestDeployed(TestDefault):
                # a deployment that leaves the number to the sample: its overrides.toml applies after it
                @pytest.fixture
                def deployment_config(self, tmp_path):
                    config = tmp_path / "kaoping.toml"
                    config.write_text('[counties.xg]\\nscheme = "jiangxi.xingan.sunshine"\\n', encoding="utf-8")
                    return config
            """
        )
    )
    result = pytester.runpytest("-rfs", *QUIET, "-k", "test_sample_loads or test_expected_results")
    result.assert_outcomes(passed=4, failed=1, skipped=1)
    result.stdout.fnmatch_lines(["FAILED *TestWithout::test_sample_loads*"])
    assert "parameter host_item_points is required" in result.stdout.str()


def test_the_scaffolds_wheel_carries_the_samples_toml_files():
    package_data = next(line for line in PYPROJECT.splitlines() if line.startswith("$module = ["))
    for pattern in ('"sample/*.csv"', '"sample/*.toml"', '"sample/*.json"', '"sample/bad/*/*"'):
        assert pattern in package_data
