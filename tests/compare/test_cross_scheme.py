"""Zhangzhou, Heshan and Yili on the bundled channel dataset (examples/compare/), and group mapping.

Every expected number is worked out by hand from the schemes' rules and the channel maps; the channel
values are in examples/compare/data/values.csv (target completion tc, public survey ps, leader rating lr,
two peer ratings), events in events.csv, the one veto (E1, zongzhi) in vetoes.csv.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.compare.channels import parse_channel_map, translate
from kaoping.compare.engine import VariantSpec, run_variant
from kaoping.core.errors import InputError
from kaoping.core.plugins import PluginHost
from kaoping.core.tomlread import read_toml
from tests.compare.common import channel_dataset

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "compare"
COMMAND = [
    "compare",
    "--data",
    str(EXAMPLE / "data"),
    "--scheme",
    "fujian.zhangzhou",
    "--scheme",
    "hunan.heshan",
    "--scheme",
    "xinjiang.yili",
    "--overrides",
    str(EXAMPLE / "heshan.toml"),
    "--overrides",
    str(EXAMPLE / "yili.toml"),
]

# 漳州 (seed 001): 「完成基本工作目标占450分」 basic = tc × 4.5; 「公众评议(300分)」 public = ps × 3;
# 综合评议 50 = mean(peers) / 2; 「机关效率与作风纪律建设」 100 − assessed deductions, −20 for a veto
# (「经主管部门认定必须否决的,每项扣20分」); assessed bonuses enter 突出绩效与创新.
# Groups: party → series1, economic → series2 (ranked apart); townships: no place (市直机关 only).
# 「总分在700分(不含700分)以下的为“不合格单位”」 first; 优秀 quota 5 (series1) / 10 (series2): all others.
ZHANGZHOU = {
    "P1": ("835.5", 1, "优秀"),  # 95×4.5 + 88×3 + (90+86)/2/2 + 100 = 427.5 + 264 + 44 + 100
    "P2": ("807", 2, "优秀"),  # 396 + 276 + 41 + (100 − 6)
    "P3": ("727", 3, "优秀"),  # 360 + 225 + 37 + 100 + 5 (bonus)
    "P4": ("626", 4, "不合格"),  # 315 + 180 + 31 + 100 < 700
    "E2": ("810.5", 1, "优秀"),  # 405 + 255 + 42.5 + 100 + 8 (bonus)
    "E1": ("806.5", 2, "优秀"),  # 441 + 240 + 45.5 + (100 − 20 veto zongzhi)
    "E3": ("777.5", 3, "优秀"),  # 378 + 270 + 39.5 + (100 − 10)
    "E4": ("683", 4, "不合格"),  # 342 + 210 + 34 + (100 − 3) < 700
}
# 赫山 (seed 003): 「其中指标评估总分700分,述绩述效评估总分200分,公众评估总分100分」
# total = tc × 7 + lr × 2 + ps × 1 − assessed deductions (acceptance_lost, ≤ 10 per event in the
# illustrative heshan.toml); bonuses are not read. party → party_organs, economic → economic,
# township → township_agricultural. 「取综合得分在600-700分的单位为“绩效评估基本达标单位”」;
# 「分别取各序列排名前25%的单位」 25% × 4 = 1 place per sequence; 「取各序列排名前二名的乡镇」 2 places.
# E1 leads economic but 「社会治安综合治理被“一票否决”的」 bars 优秀: the place passes to E2.
HESHAN = {
    "P1": ("937", 1, "优秀"),  # 95×7 + 92×2 + 88 = 665 + 184 + 88
    "P2": ("872", 2, "达标"),  # 616 + 170 + 92 − 6
    "P3": ("791", 3, "达标"),  # 560 + 156 + 75 (its 5 bonus points not read)
    "P4": ("690", 4, "基本达标"),  # 490 + 140 + 60: 600 < 690 < 700
    "E1": ("956", 1, "达标"),  # 686 + 190 + 80; veto zongzhi: no 优秀
    "E2": ("891", 2, "优秀"),  # 630 + 176 + 85: the economic place passes down to it
    "E3": ("828", 3, "达标"),  # 588 + 160 + 90 − 10
    "E4": ("743", 4, "达标"),  # 532 + 144 + 70 − 3
    "T1": ("910", 1, "优秀"),  # 644 + 180 + 86
    "T2": ("835", 2, "优秀"),  # 595 + 168 + 80 − 2 × 4
    "T3": ("784", 3, "达标"),  # 546 + 150 + 88
    "T4": ("670", 4, "基本达标"),  # 462 + 136 + 72: 600 < 670 < 700
}
# 伊犁 (seed 002): 「绩效考评总分=(指标考核分值×70%+公众评议分值×30%)-察访核验扣分(发现的问题)」
# total = 0.7 tc + 0.3 ps − 2 × problems (illustrative yili.toml: 2 per problem; each deductions event
# is `count` problems, its assessed points unread). Both department groups → 州直单位 (units), ranked
# together; no veto in the source (E1's is not read). Illustrative grading: 2 优秀, 3 优良, 达标 ≥ 70.
YILI = {
    "P1": ("92.9", 1, "优秀"),  # 66.5 + 26.4
    "E1": ("92.6", 2, "优秀"),  # 68.6 + 24
    "E2": ("88.5", 3, "优良"),  # 63 + 25.5
    "P2": ("87.2", 4, "优良"),  # 61.6 + 27.6 − 2
    "E3": ("83.8", 5, "优良"),  # 58.8 + 27 − 2
    "P3": ("78.5", 6, "达标"),  # 56 + 22.5
    "E4": ("72.2", 7, "达标"),  # 53.2 + 21 − 2
    "P4": ("67", 8, "未达标"),  # 49 + 18 < 70
}


@pytest.fixture(scope="module")
def output() -> dict:
    result = CliRunner().invoke(cli, [*COMMAND, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize(
    ("label", "expected"), [("fujian.zhangzhou", ZHANGZHOU), ("hunan.heshan", HESHAN), ("xinjiang.yili", YILI)]
)
def test_totals_ranks_grades(output: dict, label: str, expected: dict):
    got = {
        u["unit"]: (Decimal(str(c["total"])), c["rank"], c["grade"])
        for u in output["units"]
        if (c := u["schemes"][label]) is not None
    }
    assert got == {unit: (Decimal(total), rank, grade) for unit, (total, rank, grade) in expected.items()}


def test_units_keep_their_data_group(output: dict):
    rows = {u["unit"]: u for u in output["units"]}
    assert [u["unit"] for u in output["units"]] == [
        *("P1", "P2", "P3", "P4", "E2", "E1", "E3", "E4"),
        *("T1", "T2", "T3", "T4"),
    ]
    assert rows["E1"]["group"] == "economic"
    assert rows["E1"]["schemes"]["fujian.zhangzhou"]["scheme_group"] == "series2"
    assert rows["E1"]["schemes"]["xinjiang.yili"]["scheme_group"] == "units"
    assert rows["T1"]["schemes"]["hunan.heshan"]["scheme_group"] == "township_agricultural"
    assert rows["T1"]["schemes"]["fujian.zhangzhou"] is None
    # per-group correlations are by data group: P's order agrees, E1 and E2 swap under Heshan
    pair = next(p for p in output["pairs"] if p["other"] == "hunan.heshan")
    by_group = {c["group"]: c for c in pair["correlations"]}
    assert by_group["party"]["kendall_tau_b"] == 1.0
    assert (by_group["economic"]["concordant"], by_group["economic"]["discordant"]) == (5, 1)


def test_unplaced_group_is_a_gap_with_its_units(output: dict):
    variants = {v["label"]: v for v in output["variants"]}
    for label in ("fujian.zhangzhou", "xinjiang.yili"):
        (gap,) = variants[label]["gaps"]
        assert gap["item"] == "group township" and gap["units"] == ["T1", "T2", "T3", "T4"]
        assert variants[label]["excluded_units"] == ["T1", "T2", "T3", "T4"]
    assert variants["hunan.heshan"]["gaps"] == [] and variants["hunan.heshan"]["excluded_units"] == []
    notes = " | ".join(variants["xinjiang.yili"]["notes"])
    assert "does not read vetoes: zongzhi" in notes and "assessed points are not read" in notes
    assert "does not read events: bonuses" in " | ".join(variants["hunan.heshan"]["notes"])


def test_terminal_output_names_the_gap():
    result = CliRunner().invoke(cli, COMMAND, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "fujian.zhangzhou: group township (4 units: T1, T2, T3, T4): the scheme has no group 'township'" in (
        result.output
    )
    assert "hunan.heshan:\n  note: deployment overrides from" in result.output


def test_yili_needs_its_deployment_settings():
    """Without yili.toml the scheme's required grading and points stop the run with a clear error."""
    result = CliRunner().invoke(cli, COMMAND[:-2])
    assert result.exit_code != 0
    assert "xinjiang.yili: " in result.output and "set grading.bands" in result.output


def test_overrides_file_must_name_a_compared_scheme(tmp_path: Path):
    path = tmp_path / "o.toml"
    path.write_text('scheme = "shanghai.yangpu"\n[overrides]\n', encoding="utf-8")
    result = CliRunner().invoke(cli, [*COMMAND[:7], "--overrides", str(path)])
    assert result.exit_code != 0 and "is not compared" in result.output


def test_example_overrides_say_they_are_illustrative():
    for name in ("heshan.toml", "yili.toml"):
        assert "ILLUSTRATIVE" in (EXAMPLE / name).read_text(encoding="utf-8")
        assert read_toml(EXAMPLE / name)["scheme"] in {"hunan.heshan", "xinjiang.yili"}


# ---------------------------------------------------------------------------------------------------------
# group mapping on its own (the six series-2 units of tests/compare/common.py)


def test_default_group_places_unmapped_groups():
    host = PluginHost(entry_points=False)
    scheme = host.scheme("hunan.heshan")
    channel_map = parse_channel_map(
        {"scheme": "hunan.heshan", "channels": {"indicator_score": "target_completion"}, "default_group": "social"}
    )
    translation = translate(scheme, channel_dataset(), channel_map)
    assert {u.group for u in translation.dataset.units} == {"social"}
    assert translation.data_groups["U1"] == "series2"
    assert not [g for g in translation.gaps if g.units]


def test_groups_table_wins_over_default_and_known_groups_pass():
    channel_map = parse_channel_map(
        {"scheme": "x", "groups": {"a": "g1", "b": {"group": "g2", "quote": "…"}}, "default_group": "g3"}
    )
    known = {"g1", "g2", "g3", "b"}
    assert channel_map.scheme_group("a", known) == "g1"
    assert channel_map.scheme_group("b", known) == "g2"
    assert channel_map.scheme_group("g1", known) == "g1"
    assert channel_map.scheme_group("other", known) == "g3"
    assert parse_channel_map({"scheme": "x"}).scheme_group("other", known) is None


def test_map_naming_an_unknown_group_is_an_error():
    host = PluginHost(entry_points=False)
    channel_map = parse_channel_map({"scheme": "hunan.heshan", "groups": {"series2": "no_such_group"}}, "<m>")
    with pytest.raises(InputError, match="no_such_group"):
        translate(host.scheme("hunan.heshan"), channel_dataset(), channel_map)


def test_several_channels_need_items_and_each_is_checked():
    with pytest.raises(InputError, match="needs an 'item'"):
        parse_channel_map({"scheme": "x", "channels": {"c": [{"channel": "public_survey"}, "target_completion"]}})
    host = PluginHost(entry_points=False)
    # the data has no public_survey for U1: Yili cannot score it (its composite needs both items)
    data = channel_dataset(drop=(("U1", "public_survey"),))
    variant = run_variant(
        host, VariantSpec("yili", "xinjiang.yili", ((read_toml(EXAMPLE / "yili.toml")["overrides"], "y"),)), data
    )
    assert variant.excluded == ("U1",)
    assert "item 公众评议" in str(next(g for g in variant.gaps if g.unit == "U1"))
