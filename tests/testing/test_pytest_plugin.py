"""The pytest plugin every pytest run loads is thin: it imports pytest and its fixtures, not the engine."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

pytest_plugins = ["pytester"]


def test_the_entry_point_names_the_thin_module():
    (entry,) = [e for e in entry_points(group="pytest11") if e.name == "kaoping"]
    assert entry.value == "kaoping.testing.plugin"


def test_loading_the_plugin_imports_no_engine_module():
    code = "import sys, kaoping.testing.plugin; print(sorted(m for m in sys.modules if m.startswith('kaoping')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['kaoping', 'kaoping.testing', 'kaoping.testing.plugin']"


def test_the_fixtures_score_a_registered_scheme(pytester):
    pytester.makepyfile(
        """
        from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA
        from kaoping.testing import read_expected

        def test_zhangzhou(kaoping_host, kaoping_run):
            assert "fujian.zhangzhou" in kaoping_host.schemes
            result = kaoping_run("fujian.zhangzhou", SAMPLE_DATA)
            expected = read_expected(SAMPLE_DATA / "expected.csv")
            for unit in expected.units:
                assert result.by_unit()[unit.unit].total == unit.total
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)  # the installed entry point loads the plugin
