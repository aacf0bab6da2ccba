"""Tests for 湖南省8件实事考核 (seed 000_9aaf459fe1a17da7.txt): the all-or-nothing conjunction.

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment.
"""

from __future__ import annotations

import csv

import pytest

from kaoping.core.errors import InputError
from kaoping.plugins.hunan_province import PLUGIN, SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "hunan.province"


def unit(uid: str, group: str = "cities") -> dict:
    return {"unit": uid, "name": f"单位{uid}", "group": group}


def rows(uid: str, flags: list[int]) -> list[dict]:
    return [{"unit": uid, "indicator": "task", "value": str(f), "item": f"指标{i}"} for i, f in enumerate(flags)]


def test_all_met_is_pass() -> None:
    r = score(SCHEME, {"units": [unit("A")], "values": rows("A", [1, 1, 1])}).by_unit()["A"]
    # 「所有考核指標任務全部完成的」 (000_9aaf459fe1a17da7.txt): 100 × (1+1+1)/3 = 100, 达标
    assert r.total == D("100.00")
    assert r.grade == "达标"
    assert r.vetoes == []
    assert r.consequences["leader_rating"].startswith("主要领导可评为优秀")


def test_one_failure_fails_the_unit_even_when_leading_others() -> None:
    data = {"units": [unit("A"), unit("B")], "values": rows("A", [1, 1, 1, 0]) + rows("B", [1, 0, 0, 0])}
    res = score(SCHEME, data).by_unit()
    # 「有一項不達標的」 (000_9aaf459fe1a17da7.txt): A 100 × 3/4 = 75 but one failure → 不达标
    assert res["A"].total == D("75.00")
    assert res["A"].grade == "不达标"
    assert res["A"].consequences["team_excellent_ratio"] == "10%"  # 「優(yōu)秀指標比例不得超過10%」
    # B 100 × 1/4 = 25, 不达标; A still ranks first (ranks follow the share met)
    assert res["B"].total == D("25.00")
    assert res["B"].grade == "不达标"
    assert (res["A"].rank, res["B"].rank) == (1, 2)


def test_single_failure_among_many_is_enough() -> None:
    # boundary of the conjunction: 22 of 23 indicators met (2006/2007 「分別為23個考核指標」) still fails
    r = score(SCHEME, {"units": [unit("A")], "values": rows("A", [1] * 22 + [0])}).by_unit()["A"]
    # 100 × 22/23 = 95.652… → 95.65 (half up at 0.01)
    assert r.total == D("95.65")
    assert r.grade == "不达标"
    assert r.vetoes[0].note == "不达标指标: 指标22"


def test_veto_names_the_plugin_and_the_failed_indicators() -> None:
    r = score(SCHEME, {"units": [unit("A")], "values": rows("A", [0, 1, 0])}).by_unit()["A"]
    veto = r.vetoes[0]
    # provenance: the plugin's own name, not the scheme id
    assert (veto.plugin, veto.area, veto.effect, veto.grade) == (PLUGIN, "indicator_not_met", "force_grade", "不达标")
    assert PLUGIN == "hunan_province"
    assert veto.note == "不达标指标: 指标0、指标2"


def test_every_value_other_than_flag_is_reported_at_once() -> None:
    data = {"units": [unit("A"), unit("B")], "values": rows("A", [1, 2]) + rows("B", [3, 1])}
    with pytest.raises(InputError, match="must be 1") as error:
        score(SCHEME, data)
    assert len(error.value.problems) == 2


def test_levels_are_ranked_apart() -> None:
    data = {
        "units": [unit("P", "provincial"), unit("C", "cities"), unit("X", "counties")],
        "values": rows("P", [1, 0]) + rows("C", [1, 1]) + rows("X", [1, 1, 0]),
    }
    res = score(SCHEME, data).by_unit()
    # each level is its own group: every unit ranks first among its own level
    assert [res[u].rank for u in "PCX"] == [1, 1, 1]
    assert [res[u].grade for u in "PCX"] == ["不达标", "达标", "不达标"]


def test_team_ratio_and_rewards_concern_provincial_units_and_cities_only() -> None:
    # 「單位和市州政府的班子成員年度考核優秀指標比例可適當提高,并給予一次性物質獎勵」 and 「單位和市州政府班子成員…不得
    # 超過10%,并給予通報批評」 (000): 單位 and 市州政府, not the county governments; every head is rated
    data = {
        "units": [unit("P", "provincial"), unit("C", "cities"), unit("X", "counties"), unit("Y", "counties")],
        "values": rows("P", [1]) + rows("C", [0]) + rows("X", [1]) + rows("Y", [0]),
    }
    res = score(SCHEME, data).by_unit()
    assert res["P"].consequences["material_reward"].startswith("一次性物质奖励")
    assert res["C"].consequences["team_excellent_ratio"] == "10%" and res["C"].consequences["sanctions"] == ["通报批评"]
    assert set(res["X"].consequences) == {"leader_rating"}  # 达标 county: head 可评为优秀 only
    assert set(res["Y"].consequences) == {"leader_rating"}  # 不达标 county: head 不称职 only
    assert res["Y"].consequences["leader_rating"].startswith("主要领导和分管领导评定为不称职")


def test_a_unit_behind_schedule_gets_a_supervision_notice() -> None:
    # 「對工作進度滯后的…書面下達督辦通知」 (000): a record row; the grade still follows the indicators
    data = {"units": [unit("A")], "values": rows("A", [1]), "vetoes": [{"unit": "A", "area": "behind_schedule"}]}
    r = score(SCHEME, data).by_unit()["A"]
    assert r.grade == "达标"
    assert r.consequences["supervision_notices"] == ["向厅(局)长或市州长、县区长书面下达督办通知"]


def test_sample() -> None:
    res = score(SCHEME, SAMPLE_DATA).by_unit()
    # cities: 12 of 14 meet all 5 indicators → 100, rank 1, 达标
    # ZZ fails 农村饮水安全: 100 × 4/5 = 80, rank 13, 不达标; SY fails 2: 100 × 3/5 = 60, rank 14, 不达标
    assert (res["CS"].total, res["CS"].rank, res["CS"].grade) == (D("100.00"), 1, "达标")
    assert (res["ZZ"].total, res["ZZ"].rank, res["ZZ"].grade) == (D("80.00"), 13, "不达标")
    assert (res["SY"].total, res["SY"].rank, res["SY"].grade) == (D("60.00"), 14, "不达标")
    assert res["SY"].vetoes[0].note == "不达标指标: 农村公路建设、新型农村合作医疗"
    # provincial: 省卫生厅 1 of 2: 100 × 1/2 = 50, rank 3, 不达标; counties: 浏阳 4/5 = 80, 不达标
    assert (res["P-WS"].total, res["P-WS"].rank, res["P-WS"].grade) == (D("50.00"), 3, "不达标")
    assert (res["C-LY"].total, res["C-LY"].rank, res["C-LY"].grade) == (D("80.00"), 2, "不达标")
    passed = sorted(u for u, r in res.items() if r.grade == "达标")
    assert len(passed) == 19 - 4
    assert "supervision_notices" in res["CS"].consequences and res["CS"].grade == "达标"


def test_sample_matches_expected_csv() -> None:
    # the hand-computed expected.csv (calculation column) and the run agree unit by unit
    res = score(SCHEME, SAMPLE_DATA).by_unit()
    with open(SAMPLE_DATA / "expected.csv", encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert {row["unit"] for row in expected} == set(res)
    for row in expected:
        got = res[row["unit"]]
        assert (got.total, got.rank, got.grade) == (D(row["total"]), int(row["rank"]), row["grade"]), row["unit"]
