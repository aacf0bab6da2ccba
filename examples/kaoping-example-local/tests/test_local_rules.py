"""What the example proves: plugins combine, a deployment overrides them, other schemes are untouched."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from kaoping_example_local import PLUGIN_NAME, SAMPLE_DATA, SCHEME_ID

from kaoping.core.errors import SchemeError
from kaoping.core.pipeline import prepare, run
from kaoping.core.plugins import PluginHost
from kaoping.io.report import to_json
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA as ZHANGZHOU_SAMPLE

DEPLOYMENT = Path(__file__).parents[1] / "deployment" / "kaoping.toml"


def test_the_plugin_is_installed_with_its_version():
    host = PluginHost()
    assert host.info[PLUGIN_NAME].source == "entry point"
    assert host.info[PLUGIN_NAME].version == "0.1.0"
    assert host.schemes[SCHEME_ID].plugin == PLUGIN_NAME


def test_the_local_veto_passes_the_excellent_place_down():
    setup = prepare(scheme_id=SCHEME_ID)
    units = run(setup.host, setup.scheme, SAMPLE_DATA).by_unit()
    (veto,) = units["L2-01"].vetoes
    assert (veto.area, veto.effect, veto.plugin) == ("legal", "disqualify", PLUGIN_NAME)
    assert units["L2-01"].rank == 1 and units["L2-01"].grade == "合格"
    assert [units[u].grade for u in ("L2-02", "L2-03")] == ["优秀", "优秀"]


def test_the_deployment_overrides_the_plugins_numbers():
    plain = prepare(scheme_id=SCHEME_ID)
    deployed = prepare(config=DEPLOYMENT, county="longwen")
    before = run(plain.host, plain.scheme, SAMPLE_DATA).by_unit()
    after = run(deployed.host, deployed.scheme, SAMPLE_DATA).by_unit()
    # 暗访: 2 points per person in the district scheme, 3 in this deployment; two people → 824 vs 822
    assert (before["L2-03"].total, after["L2-03"].total) == (Decimal(824), Decimal(822))
    # series 2 has two 优秀 places in the district scheme, one in this deployment
    assert sum(u.grade == "优秀" for u in before.values() if u.group == "series2") == 2
    assert sum(u.grade == "优秀" for u in after.values() if u.group == "series2") == 1


def test_a_misspelt_deployment_override_is_refused(tmp_path: Path):
    config = tmp_path / "kaoping.toml"
    config.write_text(
        DEPLOYMENT.read_text(encoding="utf-8").replace('id = "unannounced_visit"', 'id = "unannounced_vist"'),
        encoding="utf-8",
    )
    with pytest.raises(SchemeError, match="unannounced_vist"):
        prepare(config=config, county="longwen")


def test_other_schemes_are_untouched_by_the_installed_plugin():
    with_plugin = prepare(scheme_id="fujian.zhangzhou")
    without = PluginHost(disabled=[PLUGIN_NAME])
    result = run(with_plugin.host, with_plugin.scheme, ZHANGZHOU_SAMPLE)
    baseline = run(without, without.scheme("fujian.zhangzhou"), ZHANGZHOU_SAMPLE)
    assert all(v.plugin != PLUGIN_NAME for u in result.units for v in u.vetoes)
    result.plugins, baseline.plugins = {}, {}
    assert to_json(result) == to_json(baseline)
