"""``kaoping compare`` through click: formats, reforms, deployment files, channel maps, perturbation."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA
from tests.compare.common import SYNTHETIC_MAP, channel_records, synthetic_scheme

SAMPLE = str(SAMPLE_DATA)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def reform(tmp_path: Path) -> Path:
    path = tmp_path / "quota3.toml"
    path.write_text(
        'label = "quota3"\n[[overrides.grading.quotas]]\nid = "excellent"\ncounts = { series1 = 3 }\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def ranges(tmp_path: Path) -> Path:
    path = tmp_path / "ranges.toml"
    path.write_text(
        '[[ranges]]\npath = "parts.review.points"\nlow = 300\nhigh = 400\n'
        '[[ranges]]\npath = "indicators.*.points"\npct = 10\n',
        encoding="utf-8",
    )
    return path


def test_baseline_and_reform_table(reform: Path):
    result = invoke("compare", "--data", SAMPLE, "--scheme", "fujian.zhangzhou", "--reform", str(reform))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "baseline fujian.zhangzhou" in out and "fujian.zhangzhou → quota3: grade transitions" in out
    # series 1's places 4 and 5 (S1-03, S1-12) lose 优秀 when the quota is 3
    assert "S1-03 统战部 [第一系列]: 优秀 → 合格" in out and "S1-12 团市委 [第一系列]: 优秀 → 合格" in out
    assert "grade changes: 2" in out and "grading rules" in out


def test_json_with_uncertainty_is_reproducible(reform: Path, ranges: Path):
    args = ["compare", "--data", SAMPLE, "--scheme", "fujian.zhangzhou", "--reform", str(reform)]
    args += ["--perturb", str(ranges), "--draws", "300", "--seed", "4", "--format", "json"]
    first, second = invoke(*args), invoke(*args)
    assert first.output == second.output
    data = json.loads(first.output)
    pair = data["pairs"][0]
    assert pair["transitions"] == [
        {"from": "优秀", "to": "优秀", "units": 18},
        {"from": "优秀", "to": "合格", "units": 2},
        {"from": "合格", "to": "合格", "units": 55},
        {"from": "不合格", "to": "不合格", "units": 1},
    ]
    assert pair["correlations"][0]["kendall_tau_b"] == 1.0
    assert [u["variant"] for u in data["uncertainty"]] == ["fujian.zhangzhou", "quota3"]
    unit = next(u for u in data["uncertainty"][0]["units"] if u["unit"] == "S2-03")
    assert set(unit) >= {"median_rank", "rank_p05", "rank_p95", "grade_probability"}
    s103 = next(u for u in data["units"] if u["unit"] == "S1-03")
    assert s103["schemes"]["fujian.zhangzhou"] == {
        "total": 837.3,
        "rank": 4,
        "grade": "优秀",
        "grade_reason": "优秀 quota: top 5 of 第一系列 (rank 4)",
        "scheme_group": "series1",
    }


def test_xlsx_and_html_files(tmp_path: Path, reform: Path, ranges: Path):
    base = ["compare", "--data", SAMPLE, "--scheme", "fujian.zhangzhou", "--reform", str(reform)]
    xlsx = tmp_path / "cmp.xlsx"
    assert invoke(*base, "--perturb", str(ranges), "--draws", "50", "--format", "xlsx", "-o", str(xlsx)).exit_code == 0
    names = openpyxl.load_workbook(xlsx).sheetnames
    assert names[:5] == ["side by side", "grade transitions", "correlations", "grade changes", "gaps"]
    assert "uncertainty quota3" in names
    html = tmp_path / "cmp.html"
    assert invoke(*base, "--format", "html", "-o", str(html)).exit_code == 0
    text = html.read_text(encoding="utf-8")
    assert text.count("<svg") >= 4 and "<script" not in text


def test_needs_two_variants_and_xlsx_needs_a_file():
    one = CliRunner().invoke(cli, ["compare", "--data", SAMPLE, "--scheme", "fujian.zhangzhou"])
    assert one.exit_code == 2 and "second --scheme" in one.output
    no_file = CliRunner().invoke(
        cli, ["compare", "--data", SAMPLE, "--scheme", "fujian.zhangzhou", "--reform", __file__, "--format", "xlsx"]
    )
    assert no_file.exit_code != 0


def test_deployment_county_is_the_baseline(tmp_path: Path, reform: Path):
    config = tmp_path / "kaoping.toml"
    config.write_text(
        f'[counties.zz]\nscheme = "fujian.zhangzhou"\ndata = "{SAMPLE}"\n'
        '[[counties.zz.overrides.grading.bands]]\nid = "unqualified"\nbelow = 750\n',
        encoding="utf-8",
    )
    result = invoke("compare", "--config", str(config), "--reform", str(reform), "--format", "json")
    data = json.loads(result.output)
    assert [v["label"] for v in data["variants"]] == ["fujian.zhangzhou[zz]", "quota3"]
    # the reform applies on top of the county's overrides: the band below 750 is kept (S2-24, 769.3, is
    # not below it; S2-18 at 700 is) and series 1 gets 3 places
    moved = {c["unit"]: (c["from"], c["to"]) for c in data["pairs"][0]["grade_changes"]}
    assert moved == {"S1-03": ("优秀", "合格"), "S1-12": ("优秀", "合格")}
    s218 = next(u for u in data["units"] if u["unit"] == "S2-18")
    assert s218["schemes"]["quota3"]["grade"] == "不合格"


def test_other_scheme_through_a_plugin_file_and_channel_map(tmp_path: Path):
    plugin = tmp_path / "synthetic_plugin.py"
    plugin.write_text(
        "from kaoping import hookimpl\n"
        f"SCHEME = {synthetic_scheme()!r}\n"
        "@hookimpl\n"
        "def kaoping_register_schemes(register):\n"
        "    register(SCHEME)\n",
        encoding="utf-8",
    )
    channels = tmp_path / "synthetic.channels.toml"
    channels.write_text(
        'scheme = "test.synthetic"\n[channels]\ntargets = "target_completion"\nsurvey = "public_survey"\n'
        'peer = { channel = "peer_rating", scale = 100 }\npenalty = "deductions"\n',
        encoding="utf-8",
    )
    assert SYNTHETIC_MAP["scheme"] == "test.synthetic"
    data = tmp_path / "channels.json"
    data.write_text(json.dumps(channel_records(), ensure_ascii=False), encoding="utf-8")
    result = invoke(
        "compare",
        "--data",
        str(data),
        "--scheme",
        "fujian.zhangzhou",
        "--scheme",
        "test.synthetic",
        "--plugin",
        str(plugin),
        "--channels",
        str(channels),
        "--format",
        "json",
    )
    out = json.loads(result.output)
    (correlation,) = out["pairs"][0]["correlations"]
    assert (correlation["concordant"], correlation["discordant"], correlation["kendall_tau_b"]) == (12, 3, 0.6)
    assert {u["unit"]: u["schemes"]["test.synthetic"]["total"] for u in out["units"]} == {
        "U6": 83.5,
        "U1": 87,
        "U2": 81,
        "U4": 74.5,
        "U3": 83,
        "U5": 60.5,
    }


def test_the_readme_reform_example_moves_the_eighth_of_series_two():
    # 「第二序列前10名」 (seed 001) → 7 places in the reform: series2's ranks 8-10 lose 优秀, nothing else moves
    reform = Path(__file__).parents[2] / "examples" / "reforms" / "zhangzhou_fewer_excellent.toml"
    result = invoke(
        "compare", "--data", SAMPLE, "--scheme", "fujian.zhangzhou", "--reform", str(reform), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    pair = json.loads(result.output)["pairs"][0]
    changed = {(c["unit"], c["from"], c["to"], tuple(c["rank"])) for c in pair["grade_changes"]}
    series2 = {unit for unit, *_ in changed if unit.startswith("S2-")}
    assert len(changed) == len(series2) == 3  # 10 − 7 places, only in series 2
    assert {rank for *_, rank in changed} == {(8, 8), (9, 9), (10, 10)}
    assert {(old, new) for _, old, new, _ in changed} == {("优秀", "合格")}
