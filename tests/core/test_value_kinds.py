"""``85%`` only where an indicator's value is a ratio: each method declares what its values are."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaoping.api import VALUE_KINDS, method
from kaoping.cli.main import cli
from kaoping.core.errors import PluginError, SchemeError
from kaoping.core.plugins import PluginHost
from kaoping.io.dataio import dataset_from_records, load_dataset
from tests.helpers import mini_scheme

ROOT = Path(__file__).parents[2]
PLUGINS = ROOT / "kaoping" / "plugins"


def test_every_built_in_method_declares_the_kind_of_value_it_reads():
    host = PluginHost()
    undeclared = [m.name for m in host.methods if not m.value_kind]
    assert undeclared == []
    assert all(kind in VALUE_KINDS for m in host.methods for kind in m.value_kind)


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        ("direct", ("points",)),  # 「Value = points」: an assessed score
        ("share", ("count",)),  # 提前办结数 / 办结数
        ("rating", ("count",)),  # votes per level
        ("weighted", ("points",)),  # channel scores out of a scale
        ("mean", ("points",)),  # raters' scores
        ("jishui_all_rates_met", ("ratio",)),  # 年检比例达到95%
        ("nantong_targets", ("ratio", "amount")),  # a voted share, or 完成/目标
    ],
)
def test_declared_kinds_match_what_the_method_reads(name: str, kinds: tuple[str, ...]):
    found = PluginHost().methods.get(name)
    assert found is not None and found.value_kind == kinds


@pytest.mark.parametrize(
    ("scheme", "indicator", "kind"),
    [
        ("fujian.zhangzhou", "public_review", "points"),  # 公众评议(300分)
        ("jiangxi.jishui.land_bureau", "enforcement_closing", "ratio"),  # 结案率达到95%
        ("jiangxi.jishui.land_bureau", "consolidation_supplement", "ratio"),  # 补充耕地任务完成率, 每差欠5%扣4分
        ("jiangxi.jishui.land_bureau", "articles", "count"),  # 全年完成上稿任务3篇
        ("hubei.province.archives", "special_review", "level"),  # 1 = passed, 0 = not
        ("anon.county_political_performance", "township_score", "points"),  # channel scores and marks
        ("liaoning.province", "gdp", ""),  # an index (上年同期=100): 115 or 115%, the scheme leaves it open
    ],
)
def test_each_scheme_indicator_settles_its_kind(scheme: str, indicator: str, kind: str):
    bound = PluginHost().scheme(scheme)
    assert next(i for i in bound.indicators if i.id == indicator).value_kind == kind


def copy_sample(tmp_path: Path, plugin: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(PLUGINS / plugin / "sample", data)
    return data


def test_a_percentage_in_a_points_column_names_file_row_column_and_indicator(tmp_path: Path):
    data = copy_sample(tmp_path, "fujian_zhangzhou")
    values = data / "values.csv"
    lines = values.read_text(encoding="utf-8-sig").splitlines()
    assert lines[2] == "S1-01,public_review,272.9,"
    lines[2] = "S1-01,public_review,85%,"
    values.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--lang", "en", "validate", "--scheme", "fujian.zhangzhou", "--data", str(data)])
    assert result.exit_code == 2, result.output
    assert "values.csv, row 3, column" in result.output and "公众评议" in result.output
    assert "not a ratio" in result.output and "Traceback" not in result.output


def test_a_percentage_where_the_value_is_a_ratio_is_read_as_one(tmp_path: Path):
    data = copy_sample(tmp_path, "jiangxi_jishui_land_bureau")  # 93% 结案率, 88% of 100% 补充耕地
    dataset = load_dataset(data)
    assert ("J09", "enforcement_closing", "", "", "value") in dataset.percent_cells
    assert ("J10", "consolidation_supplement", "", "", "target") in dataset.percent_cells
    result = CliRunner().invoke(cli, ["validate", "--scheme", "jiangxi.jishui.land_bureau", "--data", str(data)])
    assert result.exit_code == 0, result.output


def test_only_cells_written_with_a_percent_sign_are_recorded():
    dataset = dataset_from_records(
        {
            "units": [{"unit": "a", "name": "甲", "group": "g"}],
            "values": [
                {"unit": "a", "indicator": "i", "value": "８５％", "item": "x"},
                {"unit": "a", "indicator": "i", "value": "0.85", "target": "90%", "item": "y"},
            ],
        }
    )
    assert dataset.percent_cells == {("a", "i", "x", "", "value"), ("a", "i", "y", "", "target")}
    assert [row.value for row in dataset.values] == [Decimal("0.85"), Decimal("0.85")]


def test_a_target_or_baseline_written_as_a_percentage_is_refused_too():
    from kaoping.core.validate import percent_problems

    scheme = PluginHost().scheme("jiangxi.jishui.land_bureau")
    dataset = dataset_from_records(
        {
            "units": [{"unit": "J01", "name": "甲", "group": "x"}],
            "values": [{"unit": "J01", "indicator": "articles", "value": "2", "target": "300%"}],
        }
    )
    (problem,) = percent_problems(scheme, dataset)
    assert (problem.row, problem.column) == (1, "target") and "上稿任务完成篇数" in problem.message


def test_a_scheme_may_state_a_kind_only_among_the_methods_kinds():
    host = PluginHost()
    data = mini_scheme()
    data["indicators"][0]["value_kind"] = "ratio"  # a direct indicator reads points
    from kaoping.core.methods import bind_scheme
    from kaoping.core.scheme import parse_scheme

    with pytest.raises(SchemeError) as caught:
        bind_scheme(parse_scheme(data), host.methods)
    (problem,) = caught.value.problems
    assert problem.key == f"indicators[{data['indicators'][0]['id']}].value_kind"


def test_a_method_declaring_an_unknown_kind_is_refused_when_written():
    with pytest.raises(PluginError, match="percent"):
        method("odd", "indicator", value_kind="percent")  # type: ignore[arg-type]


def test_the_methods_listing_says_what_each_method_reads():
    result = CliRunner().invoke(cli, ["--lang", "en", "methods"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    direct = next(i for i, line in enumerate(lines) if line.startswith("direct ("))
    assert lines[direct + 1] == "    values: points (分)"


@pytest.mark.parametrize("columnar", [True, False], ids=["columns", "rows"])
def test_both_readers_record_the_same_percent_cells_and_refuse_them_alike(tmp_path: Path, columnar: bool):
    from kaoping.core.validate import percent_problems

    data = copy_sample(tmp_path, "jiangxi_jishui_land_bureau")
    values = data / "values.csv"
    text = values.read_text(encoding="utf-8-sig").rstrip("\n")
    assert text.splitlines()[0] == "单位编码(unit),指标编码(indicator),数值(value),目标值(target),细项(item),备注(note)"
    values.write_text(text + "\nJ01,articles,2,300%,补录,\n", encoding="utf-8")
    columns = load_dataset(data, columnar=True)
    rows = load_dataset(data, columnar=False)
    assert columns.percent_cells == rows.percent_cells
    assert ("J01", "articles", "补录", "", "target") in columns.percent_cells
    dataset = columns if columnar else rows
    scheme = PluginHost().scheme("jiangxi.jishui.land_bureau")
    found = percent_problems(scheme, dataset)
    assert [(p.file, p.column) for p in found] == [("values.csv", "target")]
    assert not columnar or dataset.has_value_columns  # found without building the value rows
