"""A plugin error says which plugin, hook, file and line in fields, not only in its message."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from kaoping import hookimpl
from kaoping.core.errors import PluginError
from kaoping.core.plugins import PluginHost
from kaoping.core.scheme import parse_scheme
from kaoping.io.dataio import load_dataset
from kaoping.testing import builtin_samples

FAILING = """\
from kaoping import hookimpl


@hookimpl
def kaoping_check_vetoes(scheme, dataset):
    return helper(dataset)


def helper(dataset):
    return {}["missing"]
"""


def test_a_deployment_plugin_failure_carries_plugin_hook_file_and_line(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "local_rules.py").write_text(FAILING, encoding="utf-8")
    host = PluginHost(["local_rules.py"], entry_points=False, base_dir=tmp_path)
    sample = next(s for s in builtin_samples() if s.scheme_id == "fujian.zhangzhou")
    scheme = host.scheme("fujian.zhangzhou")
    with pytest.raises(PluginError) as caught:
        host.check_vetoes(scheme, load_dataset(sample.data))
    error = caught.value
    assert (error.plugin, error.hook, error.file, error.line) == (
        "local_rules",
        "kaoping_check_vetoes",
        "local_rules.py",
        10,
    )
    assert "failed in hook kaoping_check_vetoes at local_rules.py:10: KeyError" in str(error)
    assert isinstance(error.__cause__, KeyError)


def test_a_plugin_file_that_fails_to_import_names_its_line(tmp_path: Path):
    (tmp_path / "broken.py").write_text("x = 1\nraise RuntimeError('no')\n", encoding="utf-8")
    with pytest.raises(PluginError) as caught:
        PluginHost(["broken.py"], entry_points=False, base_dir=tmp_path)
    assert caught.value.plugin == "broken.py" and caught.value.line == 2
    assert caught.value.file.endswith("broken.py")


def test_a_hook_contract_breach_names_plugin_and_keeps_the_cause():
    class Typo:
        @hookimpl
        def kaoping_scroe(self):
            pass

    class Bad:
        @hookimpl
        def kaoping_score(self, scheme, colour):
            pass

    with pytest.raises(PluginError) as caught:
        PluginHost(entry_points=False, plugin_objects=[("typo", Typo())])
    assert (caught.value.plugin, caught.value.hook) == ("typo", "kaoping_scroe")
    with pytest.raises(PluginError) as caught:
        PluginHost(entry_points=False, plugin_objects=[("bad", Bad())])
    assert caught.value.plugin == "bad" and caught.value.__cause__ is not None


def test_a_plugin_error_keeps_its_fields_through_pickling():
    error = PluginError("m", plugin="p", hook="h", file="f.py", line=3)
    copied = pickle.loads(pickle.dumps(error))
    assert (str(copied), copied.plugin, copied.hook, copied.file, copied.line) == ("m", "p", "h", "f.py", 3)


def test_a_scheme_registered_twice_names_the_second_plugin_and_its_file():
    scheme = {"id": "test.x", "name": "x", "total": 0, "status": {"complete": True}}
    parse_scheme(scheme)

    class One:
        @hookimpl
        def kaoping_register_schemes(self, register):
            register(scheme)

    with pytest.raises(PluginError) as caught:
        PluginHost(entry_points=False, plugin_objects=[("one", One()), ("two", One())])
    assert caught.value.hook == "kaoping_register_schemes" and caught.value.plugin in {"one", "two"}
