"""The plugin author's API: one module, a pinned surface, and plugins that import nothing else."""

from __future__ import annotations

import ast
import re
import warnings
from decimal import Decimal
from pathlib import Path

import pytest

import kaoping.api as api
from kaoping.api import Veto, hookimpl
from kaoping.core.errors import PluginError, SchemeError
from kaoping.core.plugins import PluginHost
from kaoping.plugins.fujian_zhangzhou import SCHEME_FILE as ZHANGZHOU_FILE
from kaoping.testing import plugin_samples
from tests.helpers import mini_scheme

ROOT = Path(__file__).parents[1]
PLUGIN_FILES = sorted((ROOT / "kaoping" / "plugins").rglob("*.py")) + sorted(
    (ROOT / "examples" / "kaoping-example-local" / "kaoping_example_local").rglob("*.py")
)


def test_the_author_api_is_pinned():
    assert api.__all__ == [
        "APPEAL",
        "HEARING",
        "ONE",
        "PUBLICITY",
        "VALUE_KINDS",
        "ZERO",
        "Award",
        "Dataset",
        "Direction",
        "EntryKind",
        "EventRow",
        "ExtraRow",
        "FixedColumn",
        "HistoryRow",
        "Indicator",
        "IndicatorColumns",
        "InputError",
        "Method",
        "MethodKind",
        "MethodRegistry",
        "MissingParameterError",
        "Param",
        "Problem",
        "RegisterScheme",
        "Rule",
        "RuleKind",
        "RunResult",
        "Scheme",
        "ScoreTable",
        "ScoringContext",
        "TrailEntry",
        "Unit",
        "UnitResult",
        "UnitScore",
        "ValueKind",
        "ValueRow",
        "VectorAwards",
        "Veto",
        "VetoArea",
        "VetoEffect",
        "Window",
        "add_within_bounds",
        "band_for",
        "consequences_for",
        "dataset_from_records",
        "divide",
        "format_points",
        "hookimpl",
        "method",
        "on_boundary",
        "parts_for",
        "quantize",
        "read_extra_table",
        "row_explanations",
        "row_form_only",
        "score_dataset",
        "terminates",
        "to_decimal",
        "warning",
    ]
    for name in api.__all__:
        assert getattr(api, name) is not None, name


def _kaoping_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return [name for name in found if name == "kaoping" or name.startswith("kaoping.")]


# The shared period helper scores each period with the engine's scorer and folds the periods' compact
# trails on arrays (docs/engine.md, "Per-period schemes"): it reads the engine's arrays by design, and only these.
ENGINE_SIDE = {
    "kaoping/plugins/_common/periods.py": {"kaoping.core.columnar.engine"},
    "kaoping/plugins/_common/period_arrays.py": {
        "kaoping.core.columnar.fixed",
        "kaoping.core.columnar.trail",
        "kaoping.core.columnar.values",
        "kaoping.core.results",
    },
}


@pytest.mark.parametrize("path", PLUGIN_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_plugins_import_only_the_author_api(path: Path):
    """A plugin may import ``kaoping.api``, ``kaoping.locale`` (its messages) and its own modules (built-ins
    also the shared ``_common``); the period helper also the engine modules it folds (``ENGINE_SIDE``)."""
    allowed = re.compile(r"^kaoping\.(api|locale)$|^kaoping\.plugins\.[a-z_]+(\.[a-z_]+)*$")
    engine_side = ENGINE_SIDE.get(str(path.relative_to(ROOT)), set())
    wrong = [name for name in _kaoping_imports(path) if not allowed.match(name) and name not in engine_side]
    assert wrong == [], f"{path.name} imports engine modules {wrong}; use kaoping.api"


def test_the_guide_imports_only_the_author_api():
    text = (ROOT / "docs" / "plugin-authoring.md").read_text(encoding="utf-8")
    for block in re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL):
        for line in block.splitlines():
            if re.match(r"(from|import) kaoping\b", line):
                assert re.match(r"from kaoping\.(api|testing) import", line), line


def test_a_veto_area_builds_its_veto():
    host = PluginHost(entry_points=False)
    area = next(a for a in host.scheme("fujian.zhangzhou").vetoes if a.points is not None)
    veto = area.veto("S1-01", note="两人次", source="纪委")
    assert veto == Veto(
        unit="S1-01",
        area=area.id,
        effect=area.effect,
        source="纪委",
        note="两人次",
        points=area.points,
        part=area.part,
        grades=area.grades,
        grade=area.grade,
        from_grades=area.from_grades,
    )
    assert area.veto("S1-01").note == area.quote


class Registers:
    """A plugin whose registration is one ``register`` call with the given arguments."""

    def __init__(self, **calls: object) -> None:
        self.calls = calls

    @hookimpl
    def kaoping_register_schemes(self, register):
        keywords = dict(self.calls)
        scheme = keywords.pop("scheme", None)
        if scheme is None:
            register(**keywords)
        else:
            register(scheme, **keywords)


def test_a_scheme_registered_with_its_sample_is_found_by_the_suite(tmp_path: Path):
    host = PluginHost(entry_points=False, plugin_objects=[("mine", Registers(scheme=mini_scheme(), sample=tmp_path))])
    assert host.schemes["test.mini"].sample == tmp_path
    (sample,) = plugin_samples(host, "mine")
    assert (sample.scheme_id, sample.data) == ("test.mini", tmp_path)


def test_the_old_sample_attribute_still_works_with_a_deprecation_warning(tmp_path: Path):
    class OldStyle(Registers):
        SAMPLE_DATA = tmp_path

    host = PluginHost(entry_points=False, plugin_objects=[("old", OldStyle(scheme=mini_scheme()))])
    with pytest.warns(DeprecationWarning, match=r"register\(scheme_file, sample=...\)"):
        (sample,) = plugin_samples(host, "old")
    assert sample.data == tmp_path


def test_a_registered_sample_wins_over_the_old_attribute(tmp_path: Path):
    class Both(Registers):
        SAMPLE_DATA = tmp_path / "old"

    host = PluginHost(entry_points=False, plugin_objects=[("both", Both(scheme=mini_scheme(), sample=tmp_path))])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (sample,) = plugin_samples(host, "both")
    assert sample.data == tmp_path


CHANGES = {
    "scheme": {"id": "fujian.test_district", "name": "测试区方案"},
    "overrides": {"rules": [{"id": "unannounced_visit", "points": 2}]},
    "parameters": {"local_threshold": 3},
}


def test_a_derived_scheme_extends_another_plugins_scheme_by_id():
    # the example's own derivation: 「区直」 changes the 暗访 rule's points to 2
    host = PluginHost(
        entry_points=False, plugin_objects=[("district", Registers(extends="fujian.zhangzhou", changes=CHANGES))]
    )
    entry = host.schemes["fujian.test_district"]
    assert (entry.plugin, entry.extends) == ("district", "fujian.zhangzhou")
    scheme = host.scheme("fujian.test_district")
    city = host.scheme("fujian.zhangzhou")
    assert scheme.name == "测试区方案" and scheme.locality == city.locality
    assert next(r for r in scheme.rules if r.id == "unannounced_visit").params["points"] == Decimal(2)
    assert "points" not in next(r for r in city.rules if r.id == "unannounced_visit").params
    assert scheme.parameters["local_threshold"] == 3
    assert all("units" not in g for g in host.schemes["fujian.test_district"].data["groups"])


def test_a_derived_scheme_may_extend_a_derived_one_registered_later():
    grandchild = {"scheme": {"id": "fujian.test_street", "name": "街道方案"}}
    host = PluginHost(
        entry_points=False,
        plugin_objects=[
            ("street", Registers(extends="fujian.test_district", changes=grandchild)),
            ("district", Registers(extends="fujian.zhangzhou", changes=CHANGES)),
        ],
    )
    rule = next(r for r in host.scheme("fujian.test_street").rules if r.id == "unannounced_visit")
    assert rule.params["points"] == 2


def test_extending_an_unknown_scheme_names_plugin_and_base():
    with pytest.raises(PluginError, match="plugin 'district' extends scheme 'fujian.nowhere', which no plugin"):
        PluginHost(
            entry_points=False, plugin_objects=[("district", Registers(extends="fujian.nowhere", changes=CHANGES))]
        )


def test_a_derived_scheme_change_the_base_lacks_is_an_error(tmp_path: Path):
    changes = tmp_path / "changes.toml"
    changes.write_text('[scheme]\nid = "x.y"\n[[overrides.rules]]\nid = "no_such_rule"\npoints = 1\n', encoding="utf-8")
    with pytest.raises(SchemeError) as caught:
        PluginHost(entry_points=False, plugin_objects=[("d", Registers(extends="fujian.zhangzhou", changes=changes))])
    (problem,) = caught.value.problems
    assert "no_such_rule" in problem.message and problem.file == str(changes)


def test_a_derived_scheme_needs_its_own_id():
    with pytest.raises(SchemeError, match=r"\[scheme\] table with its own id"):
        PluginHost(entry_points=False, plugin_objects=[("d", Registers(extends="fujian.zhangzhou", changes={}))])


def test_the_base_file_is_never_read_by_the_derived_plugin():
    """The derived scheme reads the base through the host: the base's file is named only by its own plugin."""
    example = ROOT / "examples" / "kaoping-example-local" / "kaoping_example_local" / "__init__.py"
    assert ZHANGZHOU_FILE.name not in example.read_text(encoding="utf-8")
