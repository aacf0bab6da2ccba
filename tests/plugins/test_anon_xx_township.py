"""Golden tests for ××乡(镇)机关绩效考评办法 (seed 001_afe211f9c574c74e.txt, 第三篇).

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment.
"""

from __future__ import annotations

import csv

import pytest

from kaoping.core.errors import InputError
from kaoping.plugins.anon_xx_township import SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "anon.xx_township"
INDICATORS = ("plan", "key_tasks", "process", "team_rating", "deputies_rating", "supervisors_rating", "orders")
FULL = (17, 18, 5, 12, 18, 10, 10, 10)


def values(uid: str, scores: tuple = FULL) -> list[dict]:
    ids = (*INDICATORS, "complaints")
    return [{"unit": uid, "indicator": i, "value": str(v)} for i, v in zip(ids, scores, strict=True)]


def flat(uid: str, total_minus: int) -> list[dict]:
    """Full marks except ``total_minus`` points taken from 工作计划 (17)."""
    return values(uid, (17 - total_minus, *FULL[1:]))


def run(units: dict[str, str], vals: list[dict], events: list[dict] | None = None, overrides: dict | None = None):
    records = {
        "units": [{"unit": u, "name": f"单位{u}", "group": g} for u, g in units.items()],
        "values": vals,
        "events": events or [],
    }
    return score(SCHEME, records, overrides).by_unit()


def test_parts_and_total():
    # 「工作业绩指标:40分」(17+18+5), 「作风、效率评估指标:40分」(12+18+10), 10, 10 (001): 40+40+10+10 = 100
    r = run({"A": "class1"}, values("A"))["A"]
    assert r.parts["performance"] == D(40)
    assert r.parts["conduct"] == D(40)
    assert r.total == D(100)


def test_partial_scores():
    # 16+15+4 = 35; 10+14+8 = 32; 9; 7 → 35+32+9+7 = 83
    r = run({"A": "class1"}, values("A", (16, 15, 4, 10, 14, 8, 9, 7)))["A"]
    assert (r.parts["performance"], r.parts["conduct"], r.total) == (D(35), D(32), D(83))


def test_direct_score_above_points_is_rejected():
    # 「镇党政班子评估指标,12分」: 13 exceeds the indicator's points
    with pytest.raises(InputError):
        run({"A": "class1"}, values("A", (17, 18, 5, 13, 18, 10, 10, 10)))


def test_special_veto_and_bottom_five():
    # 「在考评总分中每项扣2分」, 「位列专项考评后5名的,每项扣l分」 (001): 100 − 2×2 − 3×1 = 93
    events = [{"unit": "A", "rule": "special_veto", "count": 2}, {"unit": "A", "rule": "special_bottom5", "count": 3}]
    r = run({"A": "class1"}, values("A"), events)["A"]
    assert r.parts["special"] == D(-7)
    assert r.total == D(93)


def test_veto_and_bottom_five_in_same_assessment_both_apply():
    # ambiguity 3, both apply: 100 − 2 − 1 = 97
    events = [
        {"unit": "A", "rule": "special_veto", "count": 1, "matter": "计生"},
        {"unit": "A", "rule": "special_bottom5", "count": 1, "matter": "计生"},
    ]
    assert run({"A": "class1"}, values("A"), events)["A"].total == D(97)


def test_class_quotas_top3_top3_top1():
    # 「第一类单位前3名,第二类单位前3名,第三类第1名」 (001): class1 of 5 → 3; class2 of 4 → 3; class3 of 2 → 1
    units = {f"A{i}": "class1" for i in range(5)} | {f"B{i}": "class2" for i in range(4)}
    units |= {f"C{i}": "class3" for i in range(2)}
    vals = [row for u in units for row in flat(u, int(u[1:]))]  # X0 100, X1 99, X2 98, …
    res = run(units, vals)
    adv = sorted(u for u, r in res.items() if r.grade == "效能建设先进单位")
    assert adv == ["A0", "A1", "A2", "B0", "B1", "B2", "C0"]


def test_quota_tie_at_last_place_includes_both():
    # on_tie = "include": A2 and A3 both 98 at the 3rd place → 4 advanced units
    units = {f"A{i}": "class1" for i in range(5)}
    vals = flat("A0", 0) + flat("A1", 1) + flat("A2", 2) + flat("A3", 2) + flat("A4", 4)
    res = run(units, vals)
    assert sorted(u for u, r in res.items() if r.grade == "效能建设先进单位") == ["A0", "A1", "A2", "A3"]


def test_quota_tie_exclude_by_override():
    units = {f"A{i}": "class1" for i in range(5)}
    vals = flat("A0", 0) + flat("A1", 1) + flat("A2", 2) + flat("A3", 2) + flat("A4", 4)
    res = run(units, vals, overrides={"grading": {"on_tie": "exclude"}})
    assert sorted(u for u, r in res.items() if r.grade == "效能建设先进单位") == ["A0", "A1"]


def test_vetoed_special_assessment_can_cost_the_lead():
    # A: 100 − 2×2 = 96 falls below B 99, C 98, D 97 → A is 4th, not advanced
    units = {u: "class1" for u in "ABCDE"}
    vals = flat("A", 0) + flat("B", 1) + flat("C", 2) + flat("D", 3) + flat("E", 10)
    res = run(units, vals, [{"unit": "A", "rule": "special_veto", "count": 2}])
    assert res["A"].total == D(96)
    assert res["A"].rank == 4
    assert res["A"].grade == "其他"


def test_last_two_places_sanctioned_overall():
    # 「位列倒数第二名」「位列倒数第一名」 (001), overall:
    # E (class2, 90) last, D (class1, 95) second-last
    units = {"A": "class1", "B": "class1", "C": "class1", "D": "class1", "E": "class2", "F": "class2"}
    vals = flat("A", 0) + flat("B", 1) + flat("C", 2) + flat("D", 5) + flat("E", 10) + flat("F", 3)
    res = run(units, vals)
    assert res["E"].consequences["bottom_place"] == "倒数第一名"
    assert "免职" in res["E"].consequences["sanctions"][0]
    assert res["D"].consequences["bottom_place"] == "倒数第二名"
    assert "bottom_place" not in res["F"].consequences


def test_last_two_places_by_group():
    # bottom_scope = "group": class2 E (90) last, F (97) second-last; class1 D (95) last, C (98) second-last
    units = {"A": "class1", "B": "class1", "C": "class1", "D": "class1", "E": "class2", "F": "class2"}
    vals = flat("A", 0) + flat("B", 1) + flat("C", 2) + flat("D", 5) + flat("E", 10) + flat("F", 3)
    res = run(units, vals, overrides={"parameters": {"bottom_scope": "group"}})
    assert res["E"].consequences["bottom_place"] == "倒数第一名"
    assert res["F"].consequences["bottom_place"] == "倒数第二名"
    assert res["D"].consequences["bottom_place"] == "倒数第一名"
    assert res["C"].consequences["bottom_place"] == "倒数第二名"


def test_tied_last_place_sanctions_both():
    units = {u: "class1" for u in "ABC"}
    vals = flat("A", 0) + flat("B", 4) + flat("C", 4)
    res = run(units, vals)
    assert res["B"].consequences["bottom_place"] == res["C"].consequences["bottom_place"] == "倒数第一名"
    assert "bottom_place" not in res["A"].consequences


def test_bad_bottom_scope():
    with pytest.raises(InputError, match="bottom_scope"):
        run(
            {"A": "class1", "B": "class1"}, flat("A", 0) + flat("B", 1), overrides={"parameters": {"bottom_scope": "x"}}
        )


def test_sample_run_matches_hand_computed_expected():
    with (SAMPLE_DATA / "expected.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    result = score(SCHEME, SAMPLE_DATA).by_unit()
    assert len(result) == len(expected) == 15
    for row in expected:
        got = result[row["unit"]]
        assert got.total == D(row["total"]), row["calculation"]
        assert got.rank == int(row["rank"])
        assert got.grade == row["grade"]
        assert got.consequences.get("bottom_place", "") == row["bottom_place"]
