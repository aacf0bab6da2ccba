"""Run hooks are scoped to schemes: a plugin that registers a scheme is called for that scheme only."""

from __future__ import annotations

import pytest

from kaoping import hookimpl
from kaoping.core.errors import PluginError
from kaoping.core.pipeline import load_and_validate
from kaoping.core.plugins import PluginHost
from kaoping.core.results import Veto
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA
from tests.helpers import mini_scheme


class BoundVeto:
    """Registers its own scheme and has no ``scheme.id`` check in its veto hook."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @hookimpl
    def kaoping_register_schemes(self, register):
        register(mini_scheme(id="test.bound"))

    @hookimpl
    def kaoping_check_vetoes(self, scheme, dataset):
        self.seen.append(scheme.id)
        return [Veto(unit="S1-06", area="zongzhi", effect="record", source="bound")]


class UnboundVeto:
    """Registers no scheme: a deployment's local rule, called for every scheme."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @hookimpl
    def kaoping_check_vetoes(self, scheme, dataset):
        self.seen.append(scheme.id)
        return []


def test_a_plugin_bound_to_its_scheme_is_not_called_for_another():
    bound, unbound = BoundVeto(), UnboundVeto()
    host = PluginHost(entry_points=False, plugin_objects=[("bound", bound), ("unbound", unbound)])
    assert host.bound["bound"] == {"test.bound"}
    assert "unbound" not in host.bound
    scheme = host.scheme("fujian.zhangzhou")
    vetoes = host.check_vetoes(scheme, load_and_validate(host, scheme, SAMPLE_DATA))
    assert all(v.plugin != "bound" for v in vetoes)
    assert bound.seen == [] and unbound.seen == ["fujian.zhangzhou"]


def test_hook_for_leaves_out_only_plugins_bound_to_other_schemes():
    host = PluginHost(entry_points=False, plugin_objects=[("bound", BoundVeto()), ("unbound", UnboundVeto())])
    zhangzhou = {
        i.plugin_name for i in host.hook_for("kaoping_check_vetoes", host.scheme("fujian.zhangzhou")).get_hookimpls()
    }
    own = {i.plugin_name for i in host.hook_for("kaoping_check_vetoes", host.scheme("test.bound")).get_hookimpls()}
    assert {"builtin", "unbound", "hunan_heshan"} - zhangzhou == {"hunan_heshan"}
    assert "bound" not in zhangzhou
    assert own == {"builtin", "unbound", "bound"}


def test_builtin_locality_hooks_need_no_scheme_check():
    host = PluginHost(entry_points=False)
    callers = host.hook_for("kaoping_apply_results", host.scheme("fujian.zhangzhou")).get_hookimpls()
    # the Zhangzhou wrapper and the core's default; no other locality's wrapper sees this scheme
    assert sorted(i.plugin_name for i in callers) == ["builtin", "fujian_zhangzhou"]


def test_unnamed_vetoes_are_attributed_per_plugin():
    class Other:
        @hookimpl
        def kaoping_check_vetoes(self, scheme, dataset):
            return [Veto(unit="S1-01", area="zongzhi", effect="record", source="other")]

    host = PluginHost(entry_points=False, plugin_objects=[("one", UnboundVeto()), ("other", Other())])
    scheme = host.scheme("fujian.zhangzhou")
    dataset = load_and_validate(host, scheme, SAMPLE_DATA)
    raw = dict(host.vetoes_by_plugin(scheme, dataset))
    assert raw["one"] == [] and [v.plugin for v in raw["other"]] == [""]
    assert [v.plugin for v in host.check_vetoes(scheme, dataset) if v.source == "other"] == ["other"]


def test_a_wrapper_of_the_veto_hook_is_refused():
    class Wrapper:
        @hookimpl(wrapper=True)
        def kaoping_check_vetoes(self):
            return (yield)

    with pytest.raises(PluginError, match="plugin 'wrap' wraps kaoping_check_vetoes"):
        PluginHost(entry_points=False, plugin_objects=[("wrap", Wrapper())])
