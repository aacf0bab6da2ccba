"""Golden tests for 伊犁州绩效考评 (seed 002_f0b00884609f5575.txt, 篇(9)).

The source states no deduction per inspection problem, no thresholds and no prize counts; the numbers in
DEPLOYMENT are test data a deployment would set, not the scheme's.
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from kaoping.core.errors import InputError, MissingParameterError
from kaoping.plugins.xinjiang_yili import SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "xinjiang.yili"
DEPLOYMENT = {
    "rules": [{"id": "inspection", "points": 2}],
    "grading": {
        "bands": [{"id": "pass", "grade": "达标", "at_least": 60}],
        "quotas": [
            {"id": "p1", "grade": "先进(一等奖)", "counts": {"counties": 1}},
            {"id": "p2", "grade": "先进(二等奖)", "counts": {"counties": 1}},
            {"id": "p3", "grade": "先进(三等奖)", "counts": {"counties": 1}},
            {"id": "ex", "grade": "优秀", "counts": {"units": 1}},
            {"id": "good", "grade": "优良", "counts": {"units": 1}},
        ],
    },
}


def unit(uid: str, group: str = "counties") -> dict:
    return {"unit": uid, "name": uid, "group": group}


def values(uid: str, indicators, public) -> list[dict]:
    return [
        {"unit": uid, "indicator": "composite", "value": indicators, "item": "指标考核"},
        {"unit": uid, "indicator": "composite", "value": public, "item": "公众评议"},
    ]


def run(units, rows, events=(), overrides=DEPLOYMENT):
    return score(SCHEME, {"units": units, "values": rows, "events": list(events)}, overrides).by_unit()


def test_weighted_total_minus_inspection():
    # 「(指标考核分值×70%+公众评议分值×30%)-察访核验扣分」: 80×0.7 + 90×0.3 − 3×2 = 56 + 27 − 6 = 77
    got = run([unit("A")], values("A", 80, 90), [{"unit": "A", "rule": "inspection", "count": 3}])["A"]
    assert got.total == D(77)
    assert got.parts == {"composite": D(83), "inspection": D(-6)}


def test_inspection_sits_outside_the_weighted_sum_and_has_no_floor():
    # 10×0.7 + 10×0.3 − 6×2 = 10 − 12 = −2: nothing stops the deduction
    got = run([unit("A")], values("A", 10, 10), [{"unit": "A", "rule": "inspection", "count": 6}])["A"]
    assert got.total == D(-2)


def test_inspection_amount_is_required():
    overrides = {"grading": DEPLOYMENT["grading"]}
    with pytest.raises(InputError, match="inspection.*points"):
        run([unit("A")], values("A", 80, 90), [{"unit": "A", "rule": "inspection"}], overrides=overrides)


def test_grading_is_required():
    # 「分为优秀、优良、达标、未达标四个等次」 (002) without thresholds: the deployment must give them
    with pytest.raises(MissingParameterError, match="no grade cut-offs.*set grading.bands"):
        run([unit("A")], values("A", 80, 90), overrides={"rules": DEPLOYMENT["rules"]})


def test_county_prizes_and_awards():
    # 「设一、二、三等奖,分别奖励15万元、12万元、10万元」: four counties 90 / 80 / 70 / 65 (channels equal)
    units = [unit(u) for u in "ABCD"]
    rows = values("A", 90, 90) + values("B", 80, 80) + values("C", 70, 70) + values("D", 65, 65)
    got = run(units, rows)
    assert [(got[u].grade, got[u].consequences.get("award")) for u in "ABCD"] == [
        ("先进(一等奖)", D(150000)),
        ("先进(二等奖)", D(120000)),
        ("先进(三等奖)", D(100000)),
        ("达标", None),
    ]


def test_tie_at_a_prize_place_excludes_both():
    # B and C tie at 80 for the 二等奖 place: on_tie = exclude → neither takes it; 三等奖 then has no one above
    # them either, since the tie is still at its boundary
    units = [unit(u) for u in "ABC"]
    rows = values("A", 90, 90) + values("B", 80, 80) + values("C", 80, 80)
    got = run(units, rows)
    assert [got[u].grade for u in "ABC"] == ["先进(一等奖)", "达标", "达标"]


def test_county_below_the_pass_line_takes_no_prize():
    # 「将县(市)分为“先进县(市)”、“达标县(市)”、“未达标县(市)”三个等次」 (002): the grades are ordered, so a county
    # below the pass line (60, test data) is 未达标 even when a prize place is left: A 90, B 70, C 50 with
    # three prize places → A 一等奖, B 二等奖, C stays 未达标 (50 < 60) and the 三等奖 place stays empty
    units = [unit(u) for u in "ABC"]
    rows = values("A", 90, 90) + values("B", 70, 70) + values("C", 50, 50)
    got = run(units, rows)
    assert [(got[u].grade, got[u].consequences.get("award")) for u in "ABC"] == [
        ("先进(一等奖)", D(150000)),
        ("先进(二等奖)", D(120000)),
        ("未达标", None),
    ]


def test_unit_below_the_pass_line_is_not_excellent():
    # 「州直单位年度绩效考评分优秀、优良、达标、未达标四个等次」 (002): units 80 and 55 with one 优秀 and one 优良
    # place → 80 is 优秀; 55 < 60 stays 未达标, not 优良
    units = [unit(u, "units") for u in "AB"]
    got = run(units, values("A", 80, 80) + values("B", 55, 55))
    assert [got[u].grade for u in "AB"] == ["优秀", "未达标"]


def test_unit_grades_and_pass_line_boundary():
    # 「优秀…奖励3万元」「优良…奖励2万元」; pass line 60 (test data): exactly 60 → 达标, 59.7 → 未达标
    units = [unit(u, "units") for u in "ABCD"]
    rows = values("A", 95, 95) + values("B", 90, 90) + values("C", 60, 60) + values("D", 60, 59)
    got = run(units, rows)
    # D: 60×0.7 + 59×0.3 = 42 + 17.7 = 59.7
    assert got["D"].total == D("59.7")
    assert [(got[u].grade, got[u].consequences.get("award")) for u in "ABCD"] == [
        ("优秀", D(30000)),
        ("优良", D(20000)),
        ("达标", None),
        ("未达标", None),
    ]
    # 「未达标…写出书面检查,个人年度公务员考核不得评为优秀等次」
    assert len(got["D"].consequences["sanctions"]) == 4


def test_grade_of_the_other_group_is_rejected():
    overrides = {
        "rules": DEPLOYMENT["rules"],
        "grading": {
            "bands": DEPLOYMENT["grading"]["bands"],
            "quotas": [{"id": "ex", "grade": "优秀", "share": "50%"}],
        },
    }
    with pytest.raises(InputError, match="grades of the other group"):
        run([unit("A"), unit("B")], values("A", 90, 90) + values("B", 80, 80), overrides=overrides)


def test_sample_run_matches_hand_computation():
    result = score(SCHEME, SAMPLE_DATA, DEPLOYMENT).by_unit()
    with (SAMPLE_DATA / "expected.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(expected) == len(result) == 9
    for row in expected:
        got = result[row["unit"]]
        assert got.total == Decimal(row["total"]), row["unit"]
        assert (got.rank, got.grade) == (int(row["rank"]), row["grade"]), row["unit"]
        award = got.consequences.get("award")
        assert (str(award) if award is not None else "") == row["award"], row["unit"]
