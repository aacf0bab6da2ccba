"""Golden tests for 2013年赫山区绩效评估实施方案 (seed 003_98b0853a6d9307c1.txt).

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment.
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from kaoping.core.errors import KaopingError
from kaoping.plugins.hunan_heshan import SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "hunan.heshan"
SEED = "003_98b0853a6d9307c1.txt"


def unit(uid: str, group: str = "economic") -> dict:
    return {"unit": uid, "name": f"单位{uid}", "group": group}


def values(uid: str, ind: str = "500", rep: str = "150", pub: str = "80") -> list[dict]:
    return [
        {"unit": uid, "indicator": "indicator_score", "value": ind},
        {"unit": uid, "indicator": "report_score", "value": rep},
        {"unit": uid, "indicator": "public_score", "value": pub},
    ]


def sequence(totals: dict[str, str], group: str = "economic", **tables: list[dict]) -> dict:
    """Units whose total is carried by the indicator score (report 150 + public 80 fixed)."""
    data: dict = {"units": [], "values": [], "events": [], "vetoes": [], "history": []}
    for uid, total in totals.items():
        data["units"].append(unit(uid, group))
        data["values"] += values(uid, ind=str(D(total) - 230))
    for name, rows in tables.items():
        data[name] += rows
    return data


def one(events: list[dict] = (), group: str = "economic", growth: list[tuple] = ()) -> Decimal:
    data = sequence({"A": "730"}, group, events=list(events))
    data["values"] += [
        {"unit": "A", "indicator": "growth_rank", "value": now, "baseline": last, "item": item}
        for item, now, last in growth
    ]
    return score(SCHEME, data).units[0].total


def grades(data: dict) -> dict[str, str]:
    return {u.unit: u.grade for u in score(SCHEME, data).units}


# ----------------------------------------------------------------------------------------------------------
# 总分 = 指标 700 + 述绩述效 200 + 公众 100 + 加减分


def test_total_is_sum_of_parts():
    # 「综合得分=指标评估得分+述绩述效评估得分+公众评估得分+加减分」 (003): 500 + 150 + 80 + 0 = 730
    result = score(SCHEME, {"units": [unit("A")], "values": values("A")}).units[0]
    assert result.total == D(730)
    assert result.parts["indicators"] == D(500) and result.parts["report"] == D(150)


# 加分


def test_commendations_per_event():
    # 「受到党中央、国务院表彰的每次加5分」; 「省委、省政府或国家部委表彰的每次加2分」 (003): 730 + 2 + 2 = 734
    assert one([{"unit": "A", "rule": "commend_province", "count": 2}]) == D(734)
    # 730 + 5 = 735
    assert one([{"unit": "A", "rule": "commend_central", "count": 1}]) == D(735)


def test_commendation_cap_five_reached_and_exceeded():
    # 「表彰的加分累计不超过5分」 (003): 2 + 2 = 4 < 5 → 734; 5 + 2 = 7 → 5 → 735; 2×3 = 6 → 5 → 735
    assert one([{"unit": "A", "rule": "commend_province", "count": 2}]) == D(734)
    events = [
        {"unit": "A", "rule": "commend_central", "matter": "x"},
        {"unit": "A", "rule": "commend_province", "matter": "y"},
    ]
    assert one(events) == D(735)
    assert one([{"unit": "A", "rule": "commend_province", "count": 3}]) == D(735)


def test_city_commendation_outside_the_five_point_cap():
    # 「受到市委、市政府表彰的加1分」 is not 省部级以上 (reading): min(5+2, 5) + 1 = 6 → 736
    events = [
        {"unit": "A", "rule": "commend_central", "matter": "x"},
        {"unit": "A", "rule": "commend_province", "matter": "y"},
        {"unit": "A", "rule": "commend_city", "matter": "z"},
    ]
    assert one(events) == D(736)


def test_same_project_counts_highest_only():
    # 「同一项目获奖只计算最高奖励加分,不得重复加分」 (003): city 1 and province 2 for one project → 2 → 732
    events = [
        {"unit": "A", "rule": "commend_city", "matter": "招商"},
        {"unit": "A", "rule": "commend_province", "matter": "招商"},
    ]
    assert one(events) == D(732)


def test_district_honour_and_acceptance_bonuses():
    # 「该项工作的主要承办单位每次分别加2、1、0.5分」 (003): 2 + 1 + 0.5 = 3.5;
    # 「考核验收合格的加1分」 + 「对该指标的主要承办单位加1分」: + 1 + 1 → 730 + 5.5 = 735.5
    events = [
        {"unit": "A", "rule": "district_honour", "level": "国务院", "matter": "a"},
        {"unit": "A", "rule": "district_honour", "level": "省", "matter": "b"},
        {"unit": "A", "rule": "district_honour", "level": "市", "matter": "c"},
        {"unit": "A", "rule": "acceptance_passed"},
        {"unit": "A", "rule": "key_work_passed"},
    ]
    assert one(events) == D("735.5")


# 主要指标增长率排位


def test_growth_rank_per_place_and_per_indicator_cap():
    # 「每前移1位的,每项加0.5分,最高加分不超过3分」 (003): 9→7 = 0.5×2 = 1; 10→2 = 0.5×8 = 4 → 3; 4 → 6 = 0
    # 730 + 1 + 3 + 0 = 734
    growth = [("财政", "7", "9"), ("固投", "2", "10"), ("消费", "6", "4")]
    assert one(group="township_industrial", growth=growth) == D(734)
    # exactly 6 places = 3 (the cap reached, not exceeded): 730 + 3 = 733
    assert one(group="township_industrial", growth=[("财政", "1", "7")]) == D(733)


def test_growth_rank_kept_first():
    # 「保持全区第一位的,每项加1.5分」 (003): two indicators first both years → 1.5 × 2 = 3 → 733
    growth = [("财政", "1", "1"), ("固投", "1", "1")]
    assert one(group="township_agricultural", growth=growth) == D(733)


def test_growth_rank_township_cap_ten():
    # 「各乡镇(街道)主要指标加分累计不超过10分」 (003): 1.5×3 + 3 + 3 = 10.5 → 10 → 740
    growth = [("a", "1", "1"), ("b", "1", "1"), ("c", "1", "1"), ("d", "2", "9"), ("e", "3", "10")]
    assert one(group="street", growth=growth) == D(740)
    # 1.5×2 + 3 + 3 = 9 < 10 → 739
    assert one(group="street", growth=growth[1:]) == D(739)


def test_growth_rank_needs_last_year():
    # last year's place is read from the baseline column: without it the run stops and says so
    data = sequence({"A": "730"}, "street")
    data["values"].append({"unit": "A", "indicator": "growth_rank", "value": "2", "item": "财政"})
    with pytest.raises(KaopingError, match="needs last year.s place in the baseline column"):
        score(SCHEME, data)


# 减分


def test_criticism_deductions():
    # 「受到党中央、国务院通报批评的,每次减5分;受到省、市通报批评的,每次减2、1分」 (003): 730 − 5 − 2×2 − 1 = 720
    events = [
        {"unit": "A", "rule": "criticism", "level": "中央"},
        {"unit": "A", "rule": "criticism", "level": "省", "count": 2},
        {"unit": "A", "rule": "criticism", "level": "市"},
    ]
    assert one(events) == D(720)


def test_acceptance_lost_needs_a_bound():
    # 「给予相应减分」 (003): the source sets no bound per event, so the deployment must set it
    events = [{"unit": "A", "rule": "acceptance_lost", "points": "3"}]
    with pytest.raises(KaopingError, match="has not set max"):
        one(events)
    data = sequence({"A": "730"}, events=events)
    result = score(SCHEME, data, {"rules": [{"id": "acceptance_lost", "max": 10}]})
    assert result.units[0].total == D(727)  # 730 − 3


# ----------------------------------------------------------------------------------------------------------
# 等次


def test_band_boundaries():
    # 「700分以上」 达标 includes 700; 「600-700分」 基本达标; 「600分以下」 不达标 includes 600 (index reading)
    # quota share 25% × 5 = 1.25 → 1: the top unit (800) is 优秀
    data = sequence({"T": "800", "A": "700", "B": "699.99", "C": "600.01", "E": "600"})
    assert grades(data) == {"T": "优秀", "A": "达标", "B": "基本达标", "C": "基本达标", "E": "不达标"}


def test_share_quota_rounds_half_up():
    # 「取各序列排名前25%」 (003): 6 units × 25% = 1.5 → 2 (half up); 7 × 25% = 1.75 → 2; 5 × 25% = 1.25 → 1
    six = sequence({f"U{i}": str(800 - 10 * i) for i in range(6)})
    assert sorted(u for u, g in grades(six).items() if g == "优秀") == ["U0", "U1"]
    five = sequence({f"U{i}": str(800 - 10 * i) for i in range(5)})
    assert sorted(u for u, g in grades(five).items() if g == "优秀") == ["U0"]


def test_share_quota_rounding_is_a_parameter():
    # floor instead: 6 × 25% = 1.5 → 1
    six = sequence({f"U{i}": str(800 - 10 * i) for i in range(6)})
    result = score(SCHEME, six, {"grading": {"quotas": [{"id": "sequence_excellent", "rounding": "floor"}]}})
    assert [u.unit for u in result.units if u.grade == "优秀"] == ["U0"]


def test_township_quota_two_per_type_and_one_street():
    # 「取各序列排名前二名的乡镇和排名第一名的街道」 (003)
    data = sequence({"I1": "800", "I2": "790", "I3": "780"}, "township_industrial")
    street = sequence({"S1": "800", "S2": "790"}, "street")
    for key in ("units", "values"):
        data[key] += street[key]
    assert grades(data) == {"I1": "优秀", "I2": "优秀", "I3": "达标", "S1": "优秀", "S2": "达标"}


def test_tie_at_last_quota_place_takes_no_one():
    # 4 units × 25% = 1 place; two tie at 800 → on_tie = exclude (the quota is never exceeded)
    data = sequence({"A": "800", "B": "800", "C": "750", "D": "740"})
    assert grades(data) == {"A": "达标", "B": "达标", "C": "达标", "D": "达标"}


def test_quota_place_needs_700():
    # ambiguity 10: a quota place needs ≥ 700 (bands first); 4 × 25% = 1, the top unit has 699 → no 优秀
    data = sequence({"A": "699", "B": "650", "C": "620", "D": "610"})
    assert grades(data)["A"] == "基本达标"


def test_veto_on_leader_passes_the_place_down():
    # 「被“一票否决”的」 取消评优资格 (003): A leads but is vetoed → B takes the single place (4 × 25% = 1)
    data = sequence(
        {"A": "900", "B": "800", "C": "750", "D": "740"}, vetoes=[{"unit": "A", "area": "anquan", "source": "安委会"}]
    )
    assert grades(data) == {"A": "达标", "B": "优秀", "C": "达标", "D": "达标"}


def test_two_situations_force_fail():
    # 「4种情形中2种及其以上情形的 … 直接认定为“绩效评估不达标单位”」 (003): veto (1) + criticized (4) → 不达标
    vetoes = [{"unit": "A", "area": "jisheng"}, {"unit": "A", "area": "criticized"}]
    data = sequence({"A": "900", "B": "800", "C": "750", "D": "740"}, vetoes=vetoes)
    assert grades(data) == {"A": "不达标", "B": "优秀", "C": "达标", "D": "达标"}


def test_a_city_criticism_event_alone_disqualifies_from_excellent():
    # 「受市级以上通报批评的」 (003) 取消评优资格: the criticism event (−1, 「受到省、市通报批评的,每次减2、1分」) is
    # the situation; no second entry. A 900 − 1 = 899 leads but is barred → B takes the single place
    events = [{"unit": "A", "rule": "criticism", "level": "市"}]
    result = score(SCHEME, sequence({"A": "900", "B": "800", "C": "750", "D": "740"}, events=events)).by_unit()
    assert (result["A"].total, result["A"].grade, result["B"].grade) == (D(899), "达标", "优秀")
    assert [v.area for v in result["A"].vetoes] == ["criticized"]


def test_a_criticism_event_and_a_second_situation_force_fail_without_a_second_entry():
    # the derived situation (4) counts with an entered veto (1): two situations → 不达标; an office that also
    # enters the criticized row gets one veto, not two
    events = [{"unit": "A", "rule": "criticism", "level": "省"}]
    vetoes = [{"unit": "A", "area": "jisheng"}]
    data = sequence({"A": "900", "B": "800", "C": "750", "D": "740"}, events=events, vetoes=vetoes)
    assert grades(data)["A"] == "不达标"
    both = sequence(
        {"A": "900", "B": "800"}, events=events, vetoes=[{"unit": "A", "area": "criticized", "source": "区绩效办"}]
    )
    a = score(SCHEME, both).by_unit()["A"]
    assert [v.area for v in a.vetoes] == ["criticized"] and a.grade == "达标"


def test_two_vetoes_of_one_situation_count_once():
    # ambiguity 9: 「2种」 counts distinct situations; two veto areas are both situation (1) → only disqualified
    vetoes = [{"unit": "A", "area": "jisheng"}, {"unit": "A", "area": "anquan"}]
    data = sequence({"A": "900", "B": "800", "C": "750", "D": "740"}, vetoes=vetoes)
    assert grades(data)["A"] == "达标"


def test_direct_promotion_only_from_standard():
    # 「评定为“绩效评估达标单位”等次的,可不受名额限制,直接评为“绩效评估优秀单位”」 (003)
    promo = [{"unit": "C", "area": "direct_excellent"}, {"unit": "D", "area": "direct_excellent"}]
    data = sequence({"A": "900", "B": "800", "C": "750", "D": "650"}, vetoes=promo)
    # C (达标) → 优秀 outside the quota; D (基本达标) stays
    assert grades(data) == {"A": "优秀", "B": "达标", "C": "优秀", "D": "基本达标"}


def test_direct_promotion_yields_to_disqualification():
    # ambiguity 6: disqualification prevails
    rows = [{"unit": "C", "area": "direct_excellent"}, {"unit": "C", "area": "corruption"}]
    data = sequence({"A": "900", "B": "800", "C": "750", "D": "740"}, vetoes=rows)
    assert grades(data)["C"] == "达标"


def test_unranked_groups():
    # 「参照实施」 and 「单独实施」: scored, not graded; 人大、政协 「按每人1000元的标准发放奖金」
    data = sequence({"R": "800"}, "reference")
    result = score(SCHEME, data).units[0]
    assert (result.total, result.grade, result.rank) == (D(800), "", None)
    assert result.consequences["bonus_per_head"] == 1000


# ----------------------------------------------------------------------------------------------------------
# 结果运用


def test_consequences_by_grade():
    # 「“优岗”比例分别按 … 20%、… 15%、… 10%、… 5%」; 人均2000 / 1000; 正职1.5倍, 班子1.2倍 (003)
    data = sequence({"A": "800", "B": "750", "C": "650", "D": "550"})
    by = {u.unit: u.consequences for u in score(SCHEME, data).units}
    assert [by[u]["staff_excellent_ratio"] for u in "ABCD"] == [D("0.2"), D("0.15"), D("0.1"), D("0.05")]
    assert (by["A"]["bonus_per_head"], by["B"]["bonus_per_head"]) == (2000, 1000)
    assert (by["A"]["head_factor_min"], by["A"]["team_factor_min"]) == ("1.5", "1.2")
    assert by["D"]["thirteenth_month_pay"] == "不发放年终一次性奖金"
    assert "bonus_per_head" not in by["C"]


def test_bonus_amounts_are_multiplied_out_with_the_staff():
    # 「奖金总额按人均2000元的标准计算…党政正职按不低于人均标准1.5倍…其他班子成员按不低于人均标准1.2倍」 (003):
    # 优秀 with 45 staff → 2000 × 45 = 90000; head ≥ 3000, other members ≥ 2400 each.
    # 达标 without a staff number: no total, the per-person minima 1500 / 1200 all the same
    data = sequence({"A": "800", "B": "750"})
    data["units"][0]["staff"] = "45"
    by = {u.unit: u.consequences for u in score(SCHEME, data).units}
    assert (by["A"]["bonus_amount"], by["A"]["head_bonus_min"], by["A"]["team_member_bonus_min"]) == (
        D(90000),
        D(3000),
        D(2400),
    )
    assert "bonus_amount" not in by["B"] and (by["B"]["head_bonus_min"], by["B"]["team_member_bonus_min"]) == (
        D(1500),
        D(1200),
    )


def test_stationed_bonus_and_sanctions():
    # 「奖金总额为4万元」, 「奖金总额为2万元」, 正职 ≥ 25%, 班子 ≥ 50%; 不达标 → suggestion to the superior (003)
    data = sequence({"A": "800", "B": "750", "C": "740", "D": "550"}, "stationed")
    by = {u.unit: u.consequences for u in score(SCHEME, data).units}
    assert (by["A"]["bonus_total"], by["B"]["bonus_total"]) == (40000, 20000)
    assert (by["A"]["head_share_min"], by["A"]["team_share_min"]) == ("25%", "50%")
    # 「党政正职所得奖金总额应不低于单位奖金总额的25%,其他班子成员…不低于…50%」: 40000 × 25% = 10000, × 50% = 20000
    assert (by["A"]["head_bonus_min"], by["A"]["team_bonus_min"]) == (D(10000), D(20000))
    assert by["D"]["sanctions"] == ["由区委向其上级主管部门提出将其主要负责人调离或给予行政处分的建议"]
    # per-head bonus and 13th-month pay are for 乡镇(街道)、区直单位 only
    assert "bonus_per_head" not in by["A"] and "thirteenth_month_pay" not in by["D"]


def test_consecutive_years_from_history():
    # 「连续两年被评定为“绩效评估不达标单位”的 … 单位主要负责人(两年内未异动)一律免职」 (003)
    history = [
        {"unit": "D", "year": 2012, "grade": "不达标"},
        {"unit": "C", "year": 2011, "grade": "基本达标"},  # not the previous year: no consecutive sanction
    ]
    data = sequence({"A": "800", "B": "750", "C": "650", "D": "550"}, history=history)
    by = {u.unit: u.consequences for u in score(SCHEME, data).units}
    assert by["D"]["consecutive"] == "连续2年不达标"
    assert "单位主要负责人(两年内未异动)一律免职" in by["D"]["sanctions"]
    assert "consecutive" not in by["C"]


# ----------------------------------------------------------------------------------------------------------
# the bundled sample (real roster of 106 units)


def test_sample_against_hand_computed_expectations():
    # sample/expected.csv: the calculation column holds each unit's hand arithmetic
    result = score(SCHEME, SAMPLE_DATA).by_unit()
    with (SAMPLE_DATA / "expected.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(expected) == len(result) == 106
    # bonus amounts of the units whose staff the sample gives (see the note column)
    assert result["T1-02"].consequences["bonus_amount"] == D(90000)
    assert result["T1-01"].consequences["bonus_amount"] == D(38000)
    assert result["S1-01"].consequences["head_bonus_min"] == D(10000)
    assert result["R1-01"].consequences["bonus_amount"] == D(30000)  # 「按每人1000元的标准发放奖金」 × 30
    for row in expected:
        got = result[row["unit"]]
        assert got.total == D(row["total"]), row
        assert str(got.rank or "") == row["rank"], row
        assert got.grade == row["grade"], row


def test_growth_rank_rejects_other_units():
    # 「乡镇(街道)反映工作成绩的主要指标增长率」 (003) is for townships only
    data = sequence({"A": "730"}, "economic")
    data["values"].append({"unit": "A", "indicator": "growth_rank", "value": "1", "baseline": "3", "item": "财政"})
    with pytest.raises(KaopingError, match=r"group 'economic'\) is not scored on indicator 'growth_rank'"):
        score(SCHEME, data)


def test_growth_rank_place_must_be_a_whole_number_from_one():
    data = sequence({"A": "730"}, "street")
    data["values"].append({"unit": "A", "indicator": "growth_rank", "value": "0", "baseline": "3", "item": "财政"})
    with pytest.raises(KaopingError, match="a place in the district is a whole number from 1"):
        score(SCHEME, data)


def test_two_situations_veto_is_listed_and_can_be_entered_by_the_committee():
    # 「经区绩效评估委员会研究,直接认定为“绩效评估不达标单位”」 (003): found from the situations, or entered as data
    vetoes = [
        {"unit": "A", "area": "lianzheng"},
        {"unit": "A", "area": "corruption"},
        {"unit": "B", "area": "two_situations"},
    ]
    data = sequence({"A": "900", "B": "850", "C": "750", "D": "740"}, vetoes=vetoes)
    result = score(SCHEME, data).by_unit()
    forced = [v for v in result["A"].vetoes if v.area == "two_situations"]
    assert [(v.effect, v.grade) for v in forced] == [("force_grade", "不达标")]
    assert (result["A"].grade, result["B"].grade, result["C"].grade) == ("不达标", "不达标", "优秀")


def test_sample_consecutive_years_and_forced_grades():
    # history.csv: 区移民开发局 基本达标 in 2012 and 694 (600 < 694 < 700) now;
    # 益阳移动 不达标 in 2012 and 554 ≤ 600 now;
    # 区城管办 基本达标 in 2012 but 704 ≥ 700 now → no consecutive sanction
    result = score(SCHEME, SAMPLE_DATA).by_unit()
    assert result["D4-13"].consequences["consecutive"] == "连续2年基本达标"
    assert result["S1-27"].consequences["consecutive"] == "连续2年不达标"
    assert "consecutive" not in result["D4-12"].consequences
    # 赫山地税局: 党风廉政 veto (situation 1) + 市通报批评 (situation 4) → 不达标 at 804 points
    assert (result["S1-02"].total, result["S1-02"].grade) == (D(804), "不达标")
