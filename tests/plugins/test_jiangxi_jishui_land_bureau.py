"""吉水县国土资源局2014机关工作目标管理考评办法 (seed 001_afe211f9c574c74e.txt, 第二篇): hand-computed cases.

Every unit starts from the 30 common points plus the 个性 score the leading group assessed (direct, 0–70);
each case states the rule quoted and the hand arithmetic.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaoping.plugins.jiangxi_jishui_land_bureau import SAMPLE_DATA
from tests.helpers import score

SCHEME = "jiangxi.jishui.land_bureau"


def one(events=(), individual="60", articles="3", vetoes=()):
    """Score one unit (J01) with the given events; return its UnitResult."""
    records = {
        "units": [{"unit": "J01", "name": "办公室", "group": "bureau"}],
        "values": [
            {"unit": "J01", "indicator": "individual", "value": individual},
            {"unit": "J01", "indicator": "articles", "value": articles},
        ],
        "events": [{"unit": "J01", **e} for e in events],
        "vetoes": [{"unit": "J01", **v} for v in vetoes],
    }
    return score(SCHEME, records).units[0]


def test_clean_unit_scores_30_plus_individual():
    # 「(一)共性考评项目(30分)」+「(二)个性考评项目(70分)」: 30 + 60 = 90
    assert one().total == Decimal("90")


def test_lateness_per_event_and_item_cap():
    # 「不迟到、不早退(2分),否则发现一次扣0.5分」: 3 × 0.5 = 1.5 → conduct 6 − 1.5 = 4.5; total 88.5
    unit = one([{"rule": "late_early", "count": 3}])
    assert unit.parts["conduct"] == Decimal("4.5")
    assert unit.total == Decimal("88.5")
    # 5 × 0.5 = 2.5, capped at the sub-item's 2 points: conduct 6 − 2 = 4
    assert one([{"rule": "late_early", "count": 5}]).parts["conduct"] == Decimal("4")


@pytest.mark.parametrize(
    ("rule", "part", "expected"),
    [
        ("gaming", "conduct", "4"),  # 「一经发现此项不给分」: 6 − 2 = 4
        ("complaint", "conduct", "4"),  # 「发现一起投诉,并调查属实的此项不记分」: 6 − 2 = 4
        ("study_fail", "study", "0"),  # 「每人政治学习不少于10000字」 pass/fail: 1 − 1 = 0
        ("misconduct", "clean", "0"),  # 「凡出现1例违法乱纪行为则该项不得分」: 2 − 2 = 0
        ("property_loss", "property", "0"),  # loss → 0: 1 − 1 = 0
        ("execution_notice", "execution", "0"),  # notice of criticism → 0: 1 − 1 = 0
    ],
)
def test_forfeits(rule, part, expected):
    # a forfeit counts once even if recorded twice (cap = item points)
    assert one([{"rule": rule, "count": 2}]).parts[part] == Decimal(expected)


@pytest.mark.parametrize(
    ("rule", "part", "count", "expected"),
    [
        ("summary_late", "plan", 1, "1.5"),  # 「6月20日和12月10日前上报」 −0.5 each: 2 − 0.5 = 1.5
        ("absence", "attendance", 5, "0"),  # 「发现一起扣0.5分」: 2 − 2.5 → floor 0
        ("ledger_missing", "property", 1, "0.5"),  # 「少建立一项台账扣0.5分」: 1 − 0.5 = 0.5
        ("petition_notice", "petition", 1, "1"),  # 「信访部门通报批评的,每次扣1分」: 2 − 1 = 1
        ("visit_failed", "governance", 2, "0"),  # 「固定电话走访不到位的情况扣1分」: 2 − 2 = 0
        ("session_missed", "education", 3, "0.5"),  # 「少一次(项)扣股(室)0.5分」: 2 − 1.5 = 0.5
        ("untimely", "execution", 1, "0.5"),  # 「未及时办理的每次扣0.5分」: 1 − 0.5 = 0.5
        ("emergency_missing", "emergency", 3, "0.5"),  # 「缺1人次扣0.5分」: 2 − 1.5 = 0.5
        ("civility_absent", "civility", 2, "1.6"),  # 「无故缺席的扣0.2分」: 2 − 0.4 = 1.6
        ("volunteer_absent", "volunteer", 1, "1.8"),  # same rule for 学雷锋: 2 − 0.2 = 1.8
    ],
)
def test_per_event_deductions(rule, part, count, expected):
    assert one([{"rule": rule, "count": count}]).parts[part] == Decimal(expected)


def test_three_absences_forfeit_the_item():
    # 「缺席3次以上此项不得分」 (inclusive): 2 − 3 × 0.2 − 2 → floor 0
    unit = one([{"rule": "civility_absent", "count": 3}, {"rule": "civility_forfeit", "count": 1}])
    assert unit.parts["civility"] == Decimal("0")


def test_articles_proportional_below_quota():
    # 「未完成稿件录用任务的按比例得分」: 3 × 2 / 3 = 2; 3 × 1 / 3 = 1; more than 3 earns no more than 3
    assert one(articles="2").parts["publicity"] == Decimal("2")
    assert one(articles="1").parts["publicity"] == Decimal("1")
    assert one(articles="5").parts["publicity"] == Decimal("3")


def test_extra_articles_bonus_by_level_and_cap():
    # county 0.1, city 0.5, province 1, national 2: 2 × 0.1 + 1 × 0.5 = 0.7
    unit = one([{"rule": "extra_article", "count": 2, "level": "县级"}, {"rule": "extra_article", "level": "市级"}])
    assert unit.parts["bonus"] == Decimal("0.7")
    # 「加分不超过3分」: 2 × 2 (national) = 4 → 3; total 30 + 60 + 3 = 93
    unit = one([{"rule": "extra_article", "count": 2, "level": "国家级"}])
    assert unit.parts["bonus"] == Decimal("3")
    assert unit.total == Decimal("93")


def test_emergency_volunteer_bonus_uncapped():
    # 「参加1人次加0.5分」, no cap (Ambiguity 3): 8 × 0.5 = 4; total 30 + 70 + 4 = 104 (not clamped)
    unit = one([{"rule": "emergency_volunteer", "count": 8}], individual="70")
    assert unit.parts["bonus"] == Decimal("4")
    assert unit.total == Decimal("104")


@pytest.mark.parametrize(
    ("individual", "grade", "withhold"),
    [
        ("55", "一等奖", "0"),  # 30 + 55 = 85: 「高于85分(含85分)」 eligible; alone → 一等奖
        ("54.99", "80至85分", "0.05"),  # 84.99: 「80分至85分(不含85分)」 → 5%
        ("50", "80至85分", "0.05"),  # 80 exactly: 80 included in the 5% band
        ("49.99", "低于80分", "0.1"),  # 79.99: 「低于80分(不含80分)」 → 10%
    ],
)
def test_bands_and_withholding(individual, grade, withhold):
    unit = one(individual=individual)
    assert unit.grade == grade
    assert unit.consequences["withhold"] == Decimal(withhold)


def test_veto_cancels_prize_of_the_leader():
    # 「取消年终目标管理综合先进单位的评选资格」: 90 but vetoed → no prize, stays 85分以上, no withholding
    unit = one(vetoes=[{"area": "eight_rules", "source": "县纪委"}])
    assert unit.total == Decimal("90")
    assert unit.grade == "85分以上"
    assert unit.consequences["withhold"] == Decimal("0")


def test_prize_tie_at_last_place_excluded():
    # 一等奖1, 二等奖2, 三等奖3: seven units, the 6th and 7th tie at 86 for the last 三等奖 place
    totals = ["68", "67", "66", "65", "64", "56", "56"]
    records = {
        "units": [{"unit": f"J{i:02}", "name": f"股{i}", "group": "bureau"} for i in range(1, 8)],
        "values": [{"unit": f"J{i:02}", "indicator": "individual", "value": v} for i, v in enumerate(totals, 1)]
        + [{"unit": f"J{i:02}", "indicator": "articles", "value": "3"} for i in range(1, 8)],
    }
    grades = {u.unit: u.grade for u in score(SCHEME, records).units}
    assert grades["J01"] == "一等奖"
    assert grades["J02"] == grades["J03"] == "二等奖"
    assert grades["J04"] == grades["J05"] == "三等奖"
    # tie at the last place: on_tie = exclude, neither takes it; both keep the ≥85 band
    assert grades["J06"] == grades["J07"] == "85分以上"


def test_sample_full_run():
    # totals = 30 common − deductions + individual + bonus (sample/values.csv, events.csv, vetoes.csv)
    expected = {
        "J03": ("92.5", 1, "85分以上", "0"),  # 29.5 + 63 (late −0.5); vetoed (discipline) → no prize
        "J01": ("92", 2, "一等奖", "0"),  # 30 + 62
        "J02": ("91", 3, "二等奖", "0"),  # 30 + 60 + 2 × 0.5 (市级 extra articles)
        "J04": ("89", 4, "二等奖", "0"),  # 30 + 58 + 2 × 0.5 (volunteer person-times)
        "J05": ("86", 5, "三等奖", "0"),  # 29 (2 articles: 3 × 2/3 = 2) + 57
        "J06": ("85.6", 6, "三等奖", "0"),  # 29.6 (2 absences × 0.2) + 56
        "J07": ("85", 7, "三等奖", "0"),  # 30 + 55, exactly 85 (含85分)
        "J08": ("84.5", 8, "80至85分", "0.05"),  # 29.5 (离岗 −0.5) + 55
        "J14": ("84", 9, "80至85分", "0.05"),  # 28 (civility forfeited) + 56
        "J11": ("82", 10, "80至85分", "0.05"),  # 28 (1 article: 1) + 54
        "J12": ("81", 11, "80至85分", "0.05"),  # 28 (违法乱纪 → 廉政 0) + 53
        "J09": ("80", 12, "80至85分", "0.05"),  # 30 + 50, exactly 80
        "J10": ("79.5", 13, "低于80分", "0.1"),  # 29.5 (summary late) + 50
        "J13": ("78", 14, "低于80分", "0.1"),  # 30 + 48
    }
    result = score(SCHEME, SAMPLE_DATA).by_unit()
    assert set(result) == set(expected)
    for unit, (total, rank, grade, withhold) in expected.items():
        got = result[unit]
        assert (got.total, got.rank, got.grade, got.consequences["withhold"]) == (
            Decimal(total),
            rank,
            grade,
            Decimal(withhold),
        ), unit
