"""Plugin discovery and the hook contract; deployment files with several counties."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaoping import hookimpl
from kaoping.core.errors import InputError, PluginError
from kaoping.core.pipeline import load_and_validate, prepare, run
from kaoping.core.plugins import PluginHost
from kaoping.core.results import TrailEntry, Veto
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA
from tests.helpers import D, SchemeProvider, mini_scheme


def test_builtin_plugins_are_discovered():
    host = PluginHost(entry_points=False)
    assert {"builtin", "fujian_zhangzhou"} <= set(host.info)
    assert host.info["fujian_zhangzhou"].source == "built-in"
    assert "fujian.zhangzhou" in host.schemes


def test_misspelt_hook_is_an_error_naming_plugin_and_hook():
    class Typo:
        @hookimpl
        def kaoping_scroe(self):
            pass

    with pytest.raises(PluginError, match="plugin 'typo' implements hook 'kaoping_scroe', which does not exist"):
        PluginHost(entry_points=False, plugin_objects=[("typo", Typo())])


def test_hook_argument_not_in_spec_is_an_error():
    class Bad:
        @hookimpl
        def kaoping_score(self, scheme, colour):
            pass

    with pytest.raises(PluginError, match="plugin 'bad' breaks the hook contract"):
        PluginHost(entry_points=False, plugin_objects=[("bad", Bad())])


def test_same_scheme_from_two_plugins_is_an_error():
    scheme = mini_scheme()
    with pytest.raises(PluginError, match="registered by both 'one' and 'two'"):
        PluginHost(
            entry_points=False, plugin_objects=[("one", SchemeProvider(scheme)), ("two", SchemeProvider(scheme))]
        )


def test_disabled_plugin_is_not_loaded():
    host = PluginHost(entry_points=False, disabled=["fujian_zhangzhou"])
    assert "fujian.zhangzhou" not in host.schemes


def test_disable_through_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KAOPING_DISABLE", "fujian_zhangzhou")
    assert "fujian.zhangzhou" not in PluginHost(entry_points=False).schemes


def test_wrapper_adjusts_scores_and_names_itself():
    class Bonus:
        @hookimpl(wrapper=True)
        def kaoping_score(self, scheme):
            table = yield
            for score in table:
                score.add(
                    TrailEntry(
                        kind="adjustment", rule="local", label="地方加分", part=None, points=D(1), plugin="bonus"
                    )
                )
            return table

    host = PluginHost(entry_points=False, plugin_objects=[("bonus", Bonus())])
    result = run(host, host.scheme("fujian.zhangzhou"), SAMPLE_DATA)
    first = result.by_unit()["S1-06"]
    assert first.total == D("868.2")  # 867.2 + 1
    assert first.score.trail[-1].plugin == "bonus"


def test_points_a_wrapper_adds_name_its_plugin_without_the_author_writing_it():
    from kaoping.io.report import explain_text

    class Bonus:
        @hookimpl(wrapper=True)
        def kaoping_score(self, scheme):
            table = yield
            for score in table:
                score.add(TrailEntry(kind="adjustment", rule="local", label="地方加分", part=None, points=D(1)))
            return table

    class Named:
        @hookimpl(wrapper=True)
        def kaoping_score(self, scheme):
            table = yield
            for score in table:
                entry = TrailEntry(kind="adjustment", rule="x", label="另加", part=None, points=D(2), plugin="other")
                score.add(entry)
            return table

    class Grades:
        @hookimpl(wrapper=True)
        def kaoping_apply_results(self):
            result = yield
            for unit in result.units:
                unit.score.add(TrailEntry(kind="adjustment", rule="late", label="事后调整", part=None, points=D(0)))
            return result

    plugins = [("bonus", Bonus()), ("named", Named()), ("grades", Grades())]
    host = PluginHost(entry_points=False, plugin_objects=plugins)
    result = run(host, host.scheme("fujian.zhangzhou"), SAMPLE_DATA)
    first = result.by_unit()["S1-06"]
    assert first.total == D("870.2")  # 867.2 + 1 + 2, as when the wrappers nest in one hook call
    added = {e.rule: e.plugin for e in first.score.trail if e.kind == "adjustment"}
    assert added == {"local": "bonus", "x": "other", "late": "grades"}
    assert all(e.plugin == "builtin" for e in first.score.trail if e.kind == "indicator")
    assert "by plugin bonus" in explain_text(first)


def test_plugin_vetoes_are_collected_with_their_plugin():
    class LocalVeto:
        @hookimpl
        def kaoping_check_vetoes(self, scheme, dataset):
            return [
                Veto(
                    unit="S1-06",
                    area="zongzhi",
                    effect="deduct",
                    points=D(20),
                    part="efficiency",
                    source="本地规则",
                    plugin="local",
                )
            ]

    host = PluginHost(entry_points=False, plugin_objects=[("local", LocalVeto())])
    result = run(host, host.scheme("fujian.zhangzhou"), SAMPLE_DATA).by_unit()["S1-06"]
    assert result.total == D("847.2") and result.vetoes[0].plugin == "local"


def test_unnamed_vetoes_take_their_plugin_name_and_a_fixed_order():
    class Unnamed:
        @hookimpl
        def kaoping_check_vetoes(self, scheme, dataset):
            return [
                Veto(unit="S1-06", area="zongzhi", effect="record", source="乙"),
                Veto(unit="S1-06", area="zongzhi", effect="record", source="甲"),
            ]

    class Named:
        @hookimpl
        def kaoping_check_vetoes(self, scheme, dataset):
            return [Veto(unit="S1-01", area="zongzhi", effect="record", plugin="named")]

    for order in ([("unnamed", Unnamed()), ("named", Named())], [("named", Named()), ("unnamed", Unnamed())]):
        host = PluginHost(entry_points=False, plugin_objects=order)
        scheme = host.scheme("fujian.zhangzhou")
        vetoes = host.check_vetoes(scheme, load_and_validate(host, scheme, SAMPLE_DATA))
        plugin_vetoes = [(v.unit, v.source, v.plugin) for v in vetoes if v.plugin in {"named", "unnamed"}]
        # unit, then area, then source (code-point order: 乙 U+4E59 before 甲 U+7532)
        assert plugin_vetoes == [("S1-01", "", "named"), ("S1-06", "乙", "unnamed"), ("S1-06", "甲", "unnamed")]


CONFIG = """
plugins = []

[counties.zhangzhou]
name = "漳州市"
scheme = "fujian.zhangzhou"
data = "{data}"

[[counties.zhangzhou.overrides.grading.bands]]
id = "unqualified"
below = 805

[counties.strict]
scheme = "fujian.zhangzhou"
plugins = ["local_rule.py"]
"""

LOCAL_RULE = """
from kaoping import hookimpl

@hookimpl
def kaoping_register_schemes(register):
    pass
"""


def test_deployment_file_picks_county_scheme_overrides_and_plugins(tmp_path: Path):
    config = tmp_path / "kaoping.toml"
    config.write_text(CONFIG.format(data=SAMPLE_DATA), encoding="utf-8")
    (tmp_path / "local_rule.py").write_text(LOCAL_RULE, encoding="utf-8")
    setup = prepare(config=config, county="zhangzhou")
    assert setup.scheme.grading.bands[0].below == D(805)
    result = run(setup.host, setup.scheme, setup.county.data)
    # 公安局 804.3 and 外经贸局 804.3 are below the deployment's 805
    assert result.by_unit()["S2-06"].grade == "不合格"
    strict = prepare(config=config, county="strict")
    assert strict.host.info["local_rule"].source == "config"


def test_deployment_needs_county_when_several(tmp_path: Path):
    config = tmp_path / "kaoping.toml"
    config.write_text(CONFIG.format(data=SAMPLE_DATA), encoding="utf-8")
    with pytest.raises(InputError, match="pick one with --county"):
        prepare(config=config)


def test_deployment_typo_is_an_error(tmp_path: Path):
    config = tmp_path / "kaoping.toml"
    config.write_text('[counties.a]\nscheme = "fujian.zhangzhou"\nsheme = "x"\n', encoding="utf-8")
    with pytest.raises(InputError, match="unknown key 'sheme'"):
        prepare(config=config)


def test_missing_plugin_file_is_reported(tmp_path: Path):
    config = tmp_path / "kaoping.toml"
    config.write_text('[counties.a]\nscheme = "fujian.zhangzhou"\nplugins = ["nope.py"]\n', encoding="utf-8")
    with pytest.raises(PluginError, match="nope.py does not exist"):
        prepare(config=config)


def test_entry_point_plugins_are_loaded_with_their_distribution_version(monkeypatch: pytest.MonkeyPatch):
    import importlib.metadata as metadata

    class FakeDist:
        version = "2.3.4"

    class FakeEntryPoint:
        name = "county_extra"
        value = "county_extra:plugin"
        dist = FakeDist()

        def load(self):
            return SchemeProvider(mini_scheme(id="test.entry"))

    def fake_entry_points(group: str):
        assert group == "kaoping"
        return [FakeEntryPoint()]

    monkeypatch.setattr(metadata, "entry_points", fake_entry_points)
    host = PluginHost()
    assert host.info["county_extra"].source == "entry point"
    assert host.info["county_extra"].version == "2.3.4"
    assert host.schemes["test.entry"].plugin == "county_extra"


def test_broken_entry_point_is_named(monkeypatch: pytest.MonkeyPatch):
    import importlib.metadata as metadata

    class Broken:
        name = "broken"
        value = "broken:plugin"
        dist = None

        def load(self):
            raise ImportError("no module named broken")

    monkeypatch.setattr(metadata, "entry_points", lambda group: [Broken()])
    with pytest.raises(PluginError, match="entry point 'broken'.*failed to load"):
        PluginHost()
