"""The command line, through click's CliRunner."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.core.plugins import PluginHost
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA
from tests.helpers import table_rows

BAD_DATA = Path(__file__).parents[1] / "data" / "bad_zhangzhou"
SAMPLE = str(SAMPLE_DATA)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and "kaoping, version" in result.output


def test_every_command_help_has_an_example():
    for name in cli.commands:
        result = invoke(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"{name} --help has no example"


def test_plugins_json_lists_version_source_hooks_and_status():
    result = invoke("plugins", "--format", "json")
    assert result.exit_code == 0
    plugins = {p["name"]: p for p in json.loads(result.output)}
    zhangzhou = plugins["fujian_zhangzhou"]
    assert zhangzhou["source"] == "built-in" and zhangzhou["version"]
    assert "kaoping_register_schemes" in zhangzhou["hooks"]
    (scheme,) = zhangzhou["schemes"]
    assert scheme["id"] == "fujian.zhangzhou" and scheme["status"] == "complete"
    assert "rule unannounced_visit: points" in scheme["required_parameters"]
    # what it covers, detected from the scheme (漳州 has bonus and deduction rules, vetoes, bands, quotas)
    assert scheme["covers"] == ["indicators", "deductions", "bonuses", "vetoes", "grades", "bands", "quotas"]
    assert scheme["not_covered"] == {}
    # grade cut-offs the source leaves out are listed too (南通: 「最佳、先進、良好、達標和誡勉單位五個等次」)
    (nantong,) = plugins["jiangsu_nantong"]["schemes"]
    assert "grading: a band or quota for each of 最佳、先进、良好、诫勉" in nantong["required_parameters"]
    # scheme parameters the source gives no number for (泾阳: 落后单位 and the two talks)
    (jingyang,) = plugins["shaanxi_jingyang"]["schemes"]
    assert (
        "parameters: lagging_last_places, warning_talk_periods, admonition_talk_periods"
        in jingyang["required_parameters"]
    )


def test_plugins_table_says_what_each_plugin_covers_and_a_declared_reason(monkeypatch):
    from kaoping.plugins import hunan_heshan
    from kaoping.testing import Capabilities

    monkeypatch.setattr(hunan_heshan, "CAPABILITIES", Capabilities(quotas="places are set by the committee"), False)
    monkeypatch.setenv("KAOPING_LANG", "en")
    result = invoke("plugins")
    assert result.exit_code == 0 and "covers" in result.output
    plugins = {p["name"]: p for p in json.loads(invoke("plugins", "--format", "json").output)}
    (heshan,) = plugins["hunan_heshan"]["schemes"]
    assert "quotas" not in heshan["covers"]
    assert heshan["not_covered"]["quotas"] == "capability 'quotas' switched off: places are set by the committee"
    assert plugins["builtin"]["schemes"] == []


def test_schemes_and_show():
    assert "fujian.zhangzhou" in invoke("schemes").output
    shown = invoke("show", "fujian.zhangzhou").output
    assert "完成基本工作目标" in shown and "quota 优秀: 第一系列 5, 第二系列 10, 第三系列 5" in shown
    assert "points=REQUIRED" in shown


def test_show_after_overrides(tmp_path: Path):
    config = tmp_path / "kaoping.toml"
    config.write_text(
        '[counties.zz]\nscheme = "fujian.zhangzhou"\n'
        '[[counties.zz.overrides.grading.bands]]\nid = "unqualified"\nbelow = 750\n',
        encoding="utf-8",
    )
    assert "band 不合格: total < 750" in invoke("show", "--config", str(config)).output


def test_score_json_writes_pinned_format(tmp_path: Path):
    out = tmp_path / "result.json"
    result = invoke("score", "--scheme", "fujian.zhangzhou", "--data", SAMPLE, "--format", "json", "-o", str(out))
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["scheme"] == "fujian.zhangzhou" and len(data["units"]) == 81
    again = tmp_path / "again.json"
    invoke("score", "--scheme", "fujian.zhangzhou", "--data", SAMPLE, "--format", "json", "-o", str(again))
    assert out.read_bytes() == again.read_bytes()


def test_score_table_and_csv():
    table = invoke("score", "--scheme", "fujian.zhangzhou", "--data", SAMPLE).output
    # groups and parts by the scheme's names, not their ids
    assert "党工委" in table and "[第二系列]" in table and "[series2]" not in table and "完成基本工作目标" in table
    csv_text = invoke("score", "--scheme", "fujian.zhangzhou", "--data", SAMPLE, "--format", "csv").output
    assert csv_text.splitlines()[0].startswith("group,rank,unit id,unit,total,grade,完成基本工作目标")
    assert csv_text.splitlines()[1].startswith("第一系列,1,S1-06,党工委,867.2,优秀")


def test_bad_data_reports_every_problem_and_writes_nothing(tmp_path: Path):
    out = tmp_path / "result.json"
    result = CliRunner().invoke(
        cli, ["score", "--scheme", "fujian.zhangzhou", "--data", str(BAD_DATA), "--format", "json", "-o", str(out)]
    )
    assert result.exit_code == 2
    assert not out.exists() and list(tmp_path.iterdir()) == []
    messages = result.output
    for expected in (
        "units.csv, row 3, column 'unit': unit id 'S1-01' appears 2 times",
        "units.csv, row 4, column '序列(group)': 序列(group) is required",
        "series9",
        "values.csv, row 2, column '数值(value)': expected a number, got '四百'",
        "unknown indicator 'basic_tagets'",
        "events.csv, row 2, column '次数(count)': a count cannot be negative",
        "unknown rule 'no_such_rule'",
        "vetoes.csv, row 3, column 'unit': unknown unit 'S9-99'",
    ):
        assert expected in messages


def test_validate_ok_and_bad():
    ok = invoke("validate", "--scheme", "fujian.zhangzhou", "--data", SAMPLE)
    assert ok.exit_code == 0 and "ok: 81 units" in ok.output
    bad = CliRunner().invoke(cli, ["validate", "--scheme", "fujian.zhangzhou", "--data", str(BAD_DATA)])
    assert bad.exit_code == 2 and "problems found" in bad.output


def test_unknown_scheme_is_a_clear_error():
    result = CliRunner().invoke(cli, ["score", "--scheme", "fujian.zhangzou", "--data", SAMPLE])
    assert result.exit_code == 2 and "unknown scheme 'fujian.zhangzou'" in result.output


def test_explain_sums_to_the_total():
    output = invoke("explain", "建设局", "--scheme", "fujian.zhangzhou", "--data", SAMPLE).output
    assert "total: 699.9" in output and "不合格" in output
    # the overflow of 机关效率与作风纪律建设 into the total, named by the part's name (the terminal table
    # wraps long cells between the other columns, so the cell is read back from the table)
    overflow = next(row for row in table_rows(output, "points") if row["kind"] == "overflow")
    assert overflow["item"] == "机关效率与作风纪律建设: deductions beyond the part taken from the total"
    assert overflow["part"] == "(total)" and overflow["points"] == "-20"
    scored = json.loads(invoke("score", "--scheme", "fujian.zhangzhou", "--data", SAMPLE, "--format", "json").output)
    unit = next(u for u in scored["units"] if u["name"] == "建设局")
    labels = [entry["label"] for entry in unit["explain"]]
    assert "机关效率与作风纪律建设: deductions beyond the part taken from the total" in labels
    assert "group 第二系列" in output and "efficiency" not in output


def test_template_round_trip(tmp_path: Path):
    result = invoke("template", "fujian.zhangzhou", "-o", str(tmp_path))
    assert result.exit_code == 0
    units = (tmp_path / "units.csv").read_bytes()
    assert units.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Excel
    text = units.decode("utf-8-sig").splitlines()
    assert text[0] == "单位编码(unit),单位名称(name),序列(group)" and len(text) == 1 + 81
    values = (tmp_path / "values.csv").read_text(encoding="utf-8-sig").splitlines()
    # 76 series units × 3 indicators + 5 non-series organs × public review only
    assert len(values) == 1 + 76 * 3 + 5
    # a blank template is not valid data yet: every missing value is named
    blank = CliRunner().invoke(cli, ["validate", "--scheme", "fujian.zhangzhou", "--data", str(tmp_path)])
    assert blank.exit_code == 2 and "数值(value) is required" in blank.output


def test_template_xlsx(tmp_path: Path):
    invoke("template", "fujian.zhangzhou", "-o", str(tmp_path), "--format", "xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "fujian.zhangzhou.template.xlsx")
    tables = ("units", "values", "events", "vetoes", "history")
    data_sheets = [n for n in workbook.sheetnames if n.endswith(tuple(f"({t})" for t in tables))]
    assert [n.split("(")[1] for n in data_sheets] == [f"{t})" for t in tables]
    assert data_sheets[0] == "被考评单位(units)"


def test_demo_prints_ranking_and_writes_report(tmp_path: Path):
    out = tmp_path / "report.xlsx"
    result = invoke("demo", "-o", str(out))
    assert result.exit_code == 0
    assert "党工委" in result.output and out.exists()
    assert "第一系列" in openpyxl.load_workbook(out).sheetnames  # the 通报: a sheet per group by name


@pytest.mark.parametrize("scheme_id", sorted(PluginHost(entry_points=False).schemes))
def test_show_prints_every_builtin_scheme(scheme_id: str):
    result = CliRunner().invoke(cli, ["show", scheme_id])
    assert result.exit_code == 0, result.output
    assert scheme_id in result.output and "parts:" in result.output


def test_template_reference_tables_say_which_groups_an_item_applies_to(tmp_path: Path):
    # 漳州: 「不列入各系列考评」 units take part in the public review only
    invoke("template", "fujian.zhangzhou", "-o", str(tmp_path))
    rows = list(csv.reader((tmp_path / "indicators_ref.csv").read_text(encoding="utf-8-sig").splitlines()))
    groups = {row[0]: row[5] for row in rows[1:]}
    assert groups["public_review"] == ""  # every group
    assert groups["basic_targets"] == "series1 series2 series3"
