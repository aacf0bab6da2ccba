"""Golden tests for 新干县县直机关政务"阳光行动"工作考评办法 (seed 001_afe211f9c574c74e.txt, 第一篇).

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment.
"""

from __future__ import annotations

import csv

import pytest

from kaoping.core.errors import MissingParameterError
from kaoping.plugins.jiangxi_xingan_sunshine import SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "jiangxi.xingan.sunshine"


HOST = {"parameters": {"host_item_points": 10}}  # test number: the source gives none


def run(events: list[dict], overrides: dict | None = None, units: tuple[str, ...] = ("A",)):
    records = {
        "units": [{"unit": u, "name": f"单位{u}", "group": "county"} for u in units],
        "values": [],
        "events": events,
    }
    return score(SCHEME, records, HOST if overrides is None else overrides).by_unit()


def ev(rule: str, count: int = 1, level: str = "", uid: str = "A") -> dict:
    return {"unit": uid, "rule": rule, "count": count, "level": level}


def test_no_events_full_marks():
    # 「采取百分制量化评分」 (001): 15 + 10 + 60 + 15 = 100
    assert run([])["A"].total == D(100)


def test_leadership_deductions():
    # 「没有召开干部职工大会进行动员部署的扣3分」, 「没有制定工作方案或实施意见的扣5分」 (001): 15 − 3 − 5 = 7
    r = run([ev("no_mobilization"), ev("no_plan")])["A"]
    assert r.parts["leadership"] == D(7)
    assert r.total == D(92)


def test_selfcheck_all_three_items():
    # 「扣2分」「扣3分」「扣5分」 (001): 10 − 2 − 3 − 5 = 0
    r = run([ev("problems_unsorted"), ev("no_measures"), ev("catalogue_incomplete")])["A"]
    assert r.parts["selfcheck"] == D(0)


def test_missed_quarterly_per_occurrence():
    # 「少一次扣10分」 (001): 60 − 3×10 = 30
    assert run([ev("missed_quarterly", 3)])["A"].parts["disclosure"] == D(30)


def test_per_time_deductions_in_disclosure_and_materials():
    # 「每次扣5分」 ×2 and 「每次扣2分」 ×4 (001): 60 − 10 − 8 = 42; 「每次扣5分」 ×2: 15 − 10 = 5
    r = run([ev("content_nonstandard", 2), ev("subordinate_not_disclosing", 4), ev("materials_late", 2)])["A"]
    assert r.parts["disclosure"] == D(42)
    assert r.parts["materials"] == D(5)


def test_one_time_deductions_do_not_multiply():
    # 「对外公开栏不整洁、不美观的扣10分」 has no 每次 (ambiguity 4): two reports still cost 10 → 60 − 10 = 50
    assert run([ev("board_untidy", 2)])["A"].parts["disclosure"] == D(50)


def test_part_floor_exactly_reached_and_exceeded():
    # 「扣完本项分值为止」 (001): 60 − 6×10 = 0 exactly; 60 − 7×10 − 5 → stops at 0, total 15+10+0+15 = 40
    assert run([ev("missed_quarterly", 6)])["A"].parts["disclosure"] == D(0)
    r = run([ev("missed_quarterly", 7), ev("no_supervision")])["A"]
    assert r.parts["disclosure"] == D(0)
    assert r.total == D(40)


def test_materials_floor_with_no_archives():
    # 「没有的扣10分」 + 「每次扣5分」 ×2 (001): 15 − 10 − 10 = −5 → stops at 0
    assert run([ev("no_archives"), ev("materials_late", 2)])["A"].parts["materials"] == D(0)


def test_typical_promotion_and_criticism_by_level():
    # 「县内做典型推广的每次加5分」「被市级作典型推广的加10分」「被省级作典型推广的加15分」 (001):
    # 2×5 + 10 + 15 = 35; criticism 「被省级作典型批评的扣15分」 −15 → 20; total 100 + 20 = 120 (uncapped)
    r = run(
        [
            ev("typical_promotion", 2, "县级"),
            ev("typical_promotion", 1, "市级"),
            ev("typical_promotion", 1, "省级"),
            ev("typical_criticism", 1, "省级"),
        ]
    )["A"]
    assert r.parts["plusminus"] == D(20)
    assert r.total == D(120)


def test_city_criticism_counts_per_occurrence():
    # 「被市级作典型批评的扣10分」 read per occurrence (ambiguity 2): 100 − 2×10 = 80
    assert run([ev("typical_criticism", 2, "市级")])["A"].total == D(80)


def test_conversion_into_host_item():
    # 「考评结果得分按比例折算后计入」 (001): host item 8 points; 90 × 8 / 100 = 7.20; 120 → clamped to 8
    over = {"parameters": {"convert_to_host": True, "host_item_points": 8}}
    res = run(
        [ev("no_plan", 1, uid="A"), ev("no_supervision", uid="A"), ev("typical_promotion", 4, "县级", uid="B")],
        over,
        units=("A", "B"),
    )
    assert res["A"].total == D(90)
    assert res["A"].consequences["host_item_score"] == D("7.20")
    assert res["B"].total == D(120)
    assert res["B"].consequences["host_item_score"] == D("8.00")


def test_conversion_without_clamp():
    # clamp_host_value = false: 120 × 8 / 100 = 9.60
    over = {"parameters": {"convert_to_host": True, "host_item_points": 8, "clamp_host_value": False}}
    assert run([ev("typical_promotion", 4, "县级")], over)["A"].consequences["host_item_score"] == D("9.60")


def test_conversion_is_on_and_needs_host_points():
    # 「考评结果得分按比例折算后计入」 (001): the conversion is the rule, so it is on; the host item's points are not
    # in the source: a required parameter
    with pytest.raises(MissingParameterError, match="parameter host_item_points is required"):
        run([], {})
    assert run([], {"parameters": {"convert_to_host": False}})["A"].consequences == {}
    # 100 × 10 / 100 = 10.00 with the test deployment
    assert run([])["A"].consequences["host_item_score"] == D("10.00")


def test_archives_incomplete_or_missing_are_alternatives():
    # 「档案资料不健全的扣5分,没有的扣10分」 (001): one or the other. Both entered → charged as 没有: 100 − 10 = 90
    assert run([ev("archives_incomplete"), ev("no_archives")])["A"].total == D(90)
    assert run([ev("archives_incomplete")])["A"].total == D(95)
    assert run([ev("no_archives")])["A"].total == D(90)


def test_sample_run_matches_hand_computed_expected():
    with (SAMPLE_DATA / "expected.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    result = score(SCHEME, SAMPLE_DATA, HOST).by_unit()
    assert len(result) == len(expected)
    for row in expected:
        got = result[row["unit"]]
        assert got.total == D(row["total"]), row["calculation"]
        assert got.rank == int(row["rank"])
        # host_item_score column: "… → clamped to 10.00" or the plain value
        assert got.consequences["host_item_score"] == D(row["host_item_score"].split()[-1]), row["unit"]
