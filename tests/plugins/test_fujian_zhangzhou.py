"""Golden tests for 漳州市直机关绩效考评办法 (seed 001_afe211f9c574c74e.txt, 第五篇).

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment.
"""

from __future__ import annotations

import ast
import csv
import operator
from decimal import Decimal
from pathlib import Path

import pytest

from kaoping.core.errors import InputError
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "fujian.zhangzhou"
SEED = "001_afe211f9c574c74e.txt"


def unit(uid: str = "A", group: str = "series2") -> dict:
    return {"unit": uid, "name": f"单位{uid}", "group": group}


def base_values(
    uid: str = "A", basic: str = "400", public: str = "250", raters: tuple[str, ...] = ("45",)
) -> list[dict]:
    rows = [
        {"unit": uid, "indicator": "basic_targets", "value": basic},
        {"unit": uid, "indicator": "public_review", "value": public},
    ]
    rows += [
        {"unit": uid, "indicator": "comprehensive_review", "value": v, "item": f"r{i}"} for i, v in enumerate(raters)
    ]
    return rows


def one_unit(events: list[dict] = (), vetoes: list[dict] = (), **kw) -> dict:
    return {"units": [unit()], "values": base_values(**kw), "events": list(events), "vetoes": list(vetoes)}


def parts(data: dict, overrides: dict | None = None) -> dict[str, Decimal]:
    result = score(SCHEME, data, overrides).units[0]
    return {**result.parts, "total": result.total, "adjustments": result.score.adjustments}


# ----------------------------------------------------------------------------------------------------------
# 总分 and parts


def test_total_is_sum_of_four_parts():
    # 「被考评单位绩效考评总得分=完成基本工作目标考评得分+机关效率与作风纪律建设得分+突出绩效与创新得分+效能评议得分」
    # 400 + 100 + 0 + (250 + 45) = 795
    got = parts(one_unit())
    assert got == {
        "basic": D(400),
        "efficiency": D(100),
        "innovation": D(0),
        "review": D(295),
        "total": D(795),
        "adjustments": D(0),
    }


def test_comprehensive_review_is_mean_of_raters():
    # 「综合评议以相关人员对考评单位集中统一打分的形式进行」: mean of the raters' scores (reading)
    # (44 + 45 + 47) / 3 = 45.333… → 45.33 at the scheme precision 0.01 (half up)
    got = parts(one_unit(raters=("44", "45", "47")))
    assert got["review"] == D("295.33")


def test_assessed_scores_must_stay_within_their_points():
    # 「完成基本工作目标(450分)」: 451 is not a possible score
    with pytest.raises(InputError, match=r"outside \[0, 450\]"):
        score(SCHEME, one_unit(basic="451"))


# ----------------------------------------------------------------------------------------------------------
# 机关效率与作风纪律建设 (deductions from 100)


@pytest.mark.parametrize(
    ("event", "expected", "arithmetic"),
    [
        # 「科级以上(包括科级)每人次扣15分,科级以下每人次扣10分」
        ({"rule": "criminal", "rank": "科级以上", "count": 2}, "70", "100 − 2×15"),
        ({"rule": "criminal", "rank": "科级以下", "count": 1}, "90", "100 − 10"),
        # 「科级以上(包括科级)每人次扣10分,科级以下每人次扣7分」
        ({"rule": "party_discipline", "rank": "科级以下", "count": 3}, "79", "100 − 3×7"),
        # 「每人次分别扣1分、3分、5分」
        ({"rule": "accountability", "level": "诫勉教育", "count": 2}, "94", "100 − 2×3"),
        # 「每项扣分不超过10分」 (the lead unit proposes the amount)
        ({"rule": "city_creation", "points": "10"}, "90", "100 − 10"),
        # 「对该单位扣5至10分」
        ({"rule": "finance_discipline", "points": "5"}, "95", "100 − 5"),
        # 「重要会议、重要活动,每人次扣2分」 / 「迟到早退的每人次扣1分」
        ({"rule": "meeting_absent", "count": 4}, "92", "100 − 4×2"),
        ({"rule": "meeting_late", "count": 3}, "97", "100 − 3×1"),
        # 「没有按时落实并反馈的,每次扣5分」 / 「每次扣10分」
        ({"rule": "task_late", "count": 2}, "90", "100 − 2×5"),
        ({"rule": "task_harm"}, "90", "100 − 10"),
        # 「办理反馈不及时的,每件扣3分」 / 「每件扣6分」 / 「每件扣2分」
        ({"rule": "instruction_late", "count": 2}, "94", "100 − 2×3"),
        ({"rule": "instruction_perfunctory"}, "94", "100 − 6"),
        ({"rule": "proposal_late", "count": 5}, "90", "100 − 5×2"),
        # 「未经同意逾期办结的,每件扣2分」 / 「每件扣5分」 / 「每件扣10分」
        ({"rule": "complaint_overdue", "count": 3}, "94", "100 − 3×2"),
        ({"rule": "complaint_returned"}, "95", "100 − 5"),
        ({"rule": "complaint_false"}, "90", "100 − 10"),
        # 「出现群发性问题,造成不良影响的,每次扣10分」
        ({"rule": "system_oversight"}, "90", "100 − 10"),
        # 「迟到、早退每人次扣1分,旷工、缺勤每人次扣2分」
        ({"rule": "office_late", "count": 7}, "93", "100 − 7×1"),
        ({"rule": "office_absent", "count": 2}, "96", "100 − 2×2"),
        # 「对企业乱检查、乱罚款、乱收费的,扣10分」 / 「影响项目进程的,扣10分」
        ({"rule": "enterprise_service"}, "90", "100 − 10"),
        ({"rule": "project_delay"}, "90", "100 − 10"),
        # 「对目标落实牵头单位扣5分,对数据采集单位扣2分」
        ({"rule": "evaluation_lead"}, "95", "100 − 5"),
        ({"rule": "data_collection"}, "98", "100 − 2"),
        # 「干部教育培训任务的单位在5分内酌情扣分」
        ({"rule": "training", "points": "3.5"}, "96.5", "100 − 3.5"),
        # 「督查中发现问题给予相应扣分」 (amount assessed by the inspection)
        ({"rule": "inspection", "points": "6"}, "94", "100 − 6"),
    ],
)
def test_efficiency_deduction_rules(event, expected, arithmetic):
    got = parts(one_unit(events=[{"unit": "A", **event}]))
    assert got["efficiency"] == D(expected), arithmetic
    assert got["total"] == D(400) + D(expected) + D(295)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"rule": "city_creation", "points": "11"}, "allows 0 to 10"),  # 「每项扣分不超过10分」
        ({"rule": "finance_discipline", "points": "4"}, "allows 5 to 10"),  # 「扣5至10分」
        ({"rule": "training", "points": "6"}, "allows 0 to 5"),  # 「在5分内酌情扣分」
        ({"rule": "criminal", "rank": "处级"}, "rank to be one of 科级以上, 科级以下"),
    ],
)
def test_deductions_outside_their_stated_range_are_rejected(event, message):
    with pytest.raises(InputError, match=message):
        score(SCHEME, one_unit(events=[{"unit": "A", **event}]))


def test_same_matter_is_deducted_once_at_the_highest():
    # 「同一事项就高扣分一次,不重复扣分」: one matter with a criminal penalty (科级以上 15) and a party sanction
    # (科级以上 10) costs 15 only: 100 − 15 = 85; a different matter is deducted as well: 85 − 7 = 78
    events = [
        {"unit": "A", "rule": "criminal", "rank": "科级以上", "matter": "M1"},
        {"unit": "A", "rule": "party_discipline", "rank": "科级以上", "matter": "M1"},
        {"unit": "A", "rule": "party_discipline", "rank": "科级以下", "matter": "M2"},
    ]
    result = score(SCHEME, one_unit(events=events)).units[0]
    assert result.parts["efficiency"] == D(78)
    dropped = [e for e in result.score.trail if e.rule == "party_discipline" and e.points == 0]
    assert len(dropped) == 1 and "counted once at its highest" in dropped[0].note


def test_self_reported_cases_are_exempt():
    # 「属于本单位自行查处或主动报告有关机关查处的,免予扣分」: 100 − 0 = 100
    events = [{"unit": "A", "rule": "party_discipline", "rank": "科级以上", "self_reported": "是"}]
    assert parts(one_unit(events=events))["efficiency"] == D(100)


def test_veto_item_costs_twenty_points_and_is_not_a_disqualification():
    # 「经主管部门认定必须否决的,每项扣20分」: two vetoed items: 100 − 2×20 = 60
    vetoes = [{"unit": "A", "area": "zongzhi", "source": "市综治办"}, {"unit": "A", "area": "other_work"}]
    result = score(SCHEME, one_unit(vetoes=vetoes)).units[0]
    assert result.parts["efficiency"] == D(60)
    # 400 + 60 + 0 + 295 = 755; still 优秀 as the only unit of its series (no disqualification stated)
    assert result.total == D(755) and result.grade == "优秀"


def test_deductions_beyond_100_overflow_into_the_total():
    # 「如扣分超过100分的,超出的分数在该单位总得分中扣除」: 8 × 15 = 120 deducted → part 0, 20 from the total:
    # 400 + 0 + 0 + 295 − 20 = 675
    events = [{"unit": "A", "rule": "criminal", "rank": "科级以上", "count": 8}]
    got = parts(one_unit(events=events))
    assert got["efficiency"] == D(0)
    assert got["adjustments"] == D(-20)
    assert got["total"] == D(675)


def test_unannounced_visit_amount_is_a_required_parameter():
    # 「被省效能办及其他省直有关部门暗访发现或通报的,每人次扣分。」: the source gives no amount
    data = one_unit(events=[{"unit": "A", "rule": "unannounced_visit", "count": 2}])
    with pytest.raises(InputError, match=r"unannounced_visit.*has not set points.*每人次扣分"):
        score(SCHEME, data)
    # with the deployment's amount (say 3 per person-time): 100 − 2×3 = 94
    overrides = {"rules": [{"id": "unannounced_visit", "points": 3}]}
    assert parts(data, overrides)["efficiency"] == D(94)


# ----------------------------------------------------------------------------------------------------------
# 突出绩效与创新 (bonuses, cumulative cap 100)


@pytest.mark.parametrize(
    ("event", "expected", "arithmetic"),
    [
        # 「每个项目按完成程度奖励30分」
        ({"rule": "contribution"}, "30", "30"),
        # 「每条得2分,最高得10分」
        ({"rule": "convenience_measure", "count": 4}, "8", "4×2"),
        ({"rule": "convenience_measure", "count": 5}, "10", "5×2 = 10, at the cap"),
        ({"rule": "convenience_measure", "count": 7}, "10", "7×2 = 14, capped at 10"),
        # 「最高可以得10分」
        ({"rule": "service_centre", "points": "7.5"}, "7.5", "7.5"),
        # 「调研成果被市委、市政府采纳的,每篇得2分」
        ({"rule": "research_adopted", "count": 2}, "4", "2×2"),
        # 「获省部级以上评比三等奖得4分,二等奖得6分,一等奖得8分」
        ({"rule": "research_award", "level": "二等奖"}, "6", "6"),
        # 「在国家部、委、办、局级以上主办的刊物上发表的得3分」
        ({"rule": "research_journal"}, "3", "3"),
        # 「市(厅)级得4分,省(部)级得8分,国家级得12分」
        ({"rule": "advanced_unit", "level": "国家"}, "12", "12"),
        # 「第一名得4分,第二名得3分,第三名得2分」
        ({"rule": "province_ranking", "level": "第三名"}, "2", "2"),
        # 「市(厅)级得5分,省(部)级得10分,国家级得15分」
        ({"rule": "work_promoted", "level": "省"}, "10", "10"),
        # 「省部级得3分,国家级得5分」
        ({"rule": "experience_shared", "level": "国家"}, "5", "5"),
        # 「奖励2分 … 被省(部)级评为先进,确定为示范单位奖励4分」
        ({"rule": "openness_model", "level": "市"}, "2", "2"),
        # 「每争取50万元得1分。本项最高得分10分」
        ({"rule": "funds_raised", "quantity": "1499999"}, "2", "floor(1,499,999 / 500,000) = 2"),
        ({"rule": "funds_raised", "quantity": "1500000"}, "3", "1,500,000 / 500,000 = 3"),
        ({"rule": "funds_raised", "quantity": "6000000"}, "10", "12, capped at 10"),
        # 「实际到资1000万元的得5分,每增加300万元得1分。本项最高得分10分」
        ({"rule": "investment", "quantity": "9999999"}, "0", "below 1000万"),
        ({"rule": "investment", "quantity": "10000000"}, "5", "exactly 1000万: 5"),
        ({"rule": "investment", "quantity": "15999999"}, "6", "5 + floor(5,999,999 / 3,000,000) = 6"),
        ({"rule": "investment", "quantity": "30000000"}, "10", "5 + 6 = 11, capped at 10"),
        # 「每项次给予奖励5分,最高奖励10分」
        ({"rule": "swift_action", "count": 3}, "10", "3×5 = 15, capped at 10"),
    ],
)
def test_innovation_bonus_rules(event, expected, arithmetic):
    assert parts(one_unit(events=[{"unit": "A", **event}]))["innovation"] == D(expected), arithmetic


def test_research_item_counts_same_result_once_and_caps_at_ten():
    # 「同一成果就高一项得分。本项最高得分10分」: award 一等奖 8 and journal 3 on one result → 8;
    # plus 2 adopted papers 2×2 = 4 → 12, capped at 10
    events = [
        {"unit": "A", "rule": "research_award", "level": "一等奖", "matter": "课题1"},
        {"unit": "A", "rule": "research_journal", "matter": "课题1"},
        {"unit": "A", "rule": "research_adopted", "count": 2},
    ]
    assert parts(one_unit(events=events))["innovation"] == D(10)


def test_same_work_rewarded_several_times_counts_at_the_highest_level():
    # 「以上属同一项工作受到多次奖励的,按最高一级得分」: 省 advanced unit 8 and 国家 promotion 15 for one work → 15
    events = [
        {"unit": "A", "rule": "advanced_unit", "level": "省", "matter": "W"},
        {"unit": "A", "rule": "work_promoted", "level": "国家", "matter": "W"},
    ]
    assert parts(one_unit(events=events))["innovation"] == D(15)


def test_joint_handling_splits_80_20():
    # 「主办单位按80%计分,联办单位按20%计分」: a 30-point project: lead 24, co-handler 6
    data = {
        "units": [unit("A"), unit("B")],
        "values": base_values("A") + base_values("B"),
        "events": [
            {"unit": "A", "rule": "contribution", "role": "lead", "matter": "P"},
            {"unit": "B", "rule": "contribution", "role": "co", "matter": "P"},
        ],
    }
    results = score(SCHEME, data).by_unit()
    assert results["A"].parts["innovation"] == D(24)
    assert results["B"].parts["innovation"] == D(6)


def test_joint_share_applies_before_the_item_cap():
    # 2 measures as co-handler: 2 × 2 × 20% = 0.8 (cap 10 not reached)
    events = [{"unit": "A", "rule": "convenience_measure", "count": 2, "role": "co"}]
    assert parts(one_unit(events=events))["innovation"] == D("0.8")


def test_bonus_total_is_capped_at_100_without_overflow():
    # 「各分项奖励累计不超过100分」: 4 projects × 30 = 120 → 100
    events = [{"unit": "A", "rule": "contribution", "count": 4}]
    got = parts(one_unit(events=events))
    assert got["innovation"] == D(100)
    assert got["total"] == D(400) + D(100) + D(100) + D(295)


# ----------------------------------------------------------------------------------------------------------
# grades


def series(totals: dict[str, str], group: str = "series3") -> dict:
    """Units with given totals: efficiency 100, the rest filled into basic (≤ 450), public (≤ 300), raters."""
    data: dict = {"units": [], "values": []}
    for uid, total in totals.items():
        data["units"].append(unit(uid, group))
        remaining = D(total) - 100
        basic = min(remaining, D(450))
        public = min(remaining - basic, D(300))
        rater = remaining - basic - public
        data["values"] += base_values(uid, basic=str(basic), public=str(public), raters=(str(rater),))
    return data


def test_below_700_excluded_is_unqualified_and_700_itself_is_not():
    # 「总分在700分(不含700分)以下的为“不合格单位”」
    results = score(SCHEME, series({"A": "700", "B": "699.99"}, group="series2")).by_unit()
    assert results["A"].total == D(700) and results["A"].grade == "优秀"  # top 10 of series 2, not below 700
    assert results["B"].grade == "不合格"


def test_quota_takes_top_five_of_series_three():
    # 「第三系列前5名」: of 7 units, the 5 best are 优秀, the others 合格
    totals = {f"U{i}": str(800 - i) for i in range(7)}
    results = score(SCHEME, series(totals)).by_unit()
    assert [results[f"U{i}"].grade for i in range(7)] == ["优秀"] * 5 + ["合格"] * 2


def test_unit_below_700_cannot_take_a_quota_place():
    # reading (ambiguity 1): the 700 floor applies first; 不合格 units are not 优秀 and the place is not
    # passed to anyone better, because every lower unit is below 700 too: 2 of 5 places filled
    totals = {"A": "760", "B": "710", "C": "699", "D": "650"}
    result = score(SCHEME, series(totals))
    grades = {u.unit: u.grade for u in result.units}
    assert grades == {"A": "优秀", "B": "优秀", "C": "不合格", "D": "不合格"}
    assert any("2 of 5" in note for note in result.notes)


def test_tie_at_the_last_quota_place_is_excluded_and_reported():
    # ranks 1-4 distinct, 5th and 6th tied: neither takes the 5th 优秀 place (on_tie = "exclude")
    totals = {"A": "900", "B": "890", "C": "880", "D": "870", "E": "860", "F": "860", "G": "850"}
    result = score(SCHEME, series(totals))
    grades = {u.unit: u.grade for u in result.units}
    assert grades == {"A": "优秀", "B": "优秀", "C": "优秀", "D": "优秀", "E": "合格", "F": "合格", "G": "合格"}
    ranks = {u.unit: u.rank for u in result.units}
    assert ranks["E"] == ranks["F"] == 5 and ranks["G"] == 7
    assert any("tie for the last 优秀 place" in note for note in result.notes)
    # a deployment may decide otherwise: with on_tie = "include" both tied units take it
    included = score(SCHEME, series(totals), {"grading": {"on_tie": "include"}})
    assert {u.unit for u in included.units if u.grade == "优秀"} == {"A", "B", "C", "D", "E", "F"}


def test_veto_drops_the_leader_out_of_the_quota():
    # the leader has 860 before its −20 veto (「每项扣20分」): 840 < the 5th unit's 850 → rank 6, 合格
    totals = {"A": "860", "B": "855", "C": "854", "D": "853", "E": "852", "F": "850"}
    data = series(totals)
    data["vetoes"] = [{"unit": "A", "area": "jisheng", "source": "市计生委"}]
    results = score(SCHEME, data).by_unit()
    assert results["A"].total == D(840) and results["A"].rank == 6 and results["A"].grade == "合格"
    assert results["F"].grade == "优秀"


# ----------------------------------------------------------------------------------------------------------
# consequences


def test_consequences_follow_the_grade_and_group():
    # 「工作人员考核优秀等级比例按20%下达,年终市长奖金按高于平均数的10%发放」 (优秀);
    # 「按5%下达;年终市长奖金按低于平均数的10%发放」 (不合格); series 2/3 不合格 also 「行风评议重点单位」
    results = score(SCHEME, series({"A": "800", "B": "690"}, group="series2")).by_unit()
    assert results["A"].consequences["staff_excellent_ratio"] == D("0.2")
    assert results["A"].consequences["bonus_factor"] == D("1.10")
    assert results["B"].consequences["staff_excellent_ratio"] == D("0.05")
    assert results["B"].consequences["bonus_factor"] == D("0.90")
    assert "列入翌年行风评议重点单位" in results["B"].consequences["sanctions"]


def test_non_series_organs_take_part_in_public_review_only():
    # 「参加公众评议,不列入各系列考评」; 「工作人员考核优秀等级比例按20%下达,年终市长奖金按平均数发放」
    data = {
        "units": [unit("N", "non_series")],
        "values": [{"unit": "N", "indicator": "public_review", "value": "281.5"}],
    }
    result = score(SCHEME, data).units[0]
    assert result.total == D("281.5") and result.rank is None and result.grade == ""
    assert result.consequences["staff_excellent_ratio"] == D("0.2")
    assert result.consequences["bonus_factor"] == D(1)


def test_series_three_consequences_can_be_switched_off():
    # 「(第三系列的单位可比照执行)」: optional for series 3
    overrides = {"parameters": {"series3_applies_consequences": False}}
    result = score(SCHEME, series({"A": "800"}), overrides).units[0]
    assert result.grade == "优秀"
    assert "staff_excellent_ratio" not in result.consequences


# ----------------------------------------------------------------------------------------------------------
# full run on the bundled sample (76 units on the real roster + 5 non-series organs)


def _decimal_eval(expression: str) -> Decimal:
    """Evaluate the hand calculation in expected.csv with Decimal arithmetic (+ − × / and brackets)."""
    ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}

    def walk(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in ops:
            return ops[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        raise ValueError(f"unexpected expression: {ast.dump(node)}")

    return walk(ast.parse(expression, mode="eval"))


def expected_rows() -> list[dict[str, str]]:
    with (Path(SAMPLE_DATA) / "expected.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_expected_file_arithmetic_is_consistent():
    for row in expected_rows():
        assert _decimal_eval(row["calculation"]).quantize(Decimal("0.01")) == D(row["total"]), row["unit"]


def test_full_sample_run_matches_hand_computed_totals_ranks_and_grades():
    result = score(SCHEME, Path(SAMPLE_DATA))
    got = {u.unit: (u.total, u.rank, u.grade) for u in result.units}
    expected = {r["unit"]: (D(r["total"]), int(r["rank"]) if r["rank"] else None, r["grade"]) for r in expected_rows()}
    assert len(got) == 81 and got == expected
    counts = {g: sum(1 for u in result.units if u.grade == g) for g in ("优秀", "合格", "不合格")}
    # 5 + 10 + 5 优秀; one unit (建设局 699.9) below 700
    assert counts == {"优秀": 20, "合格": 55, "不合格": 1}


def test_every_trail_adds_up_to_the_total():
    for result in score(SCHEME, Path(SAMPLE_DATA)).units:
        assert sum(e.points for e in result.score.trail) == result.total
        assert sum(result.parts.values()) + result.score.adjustments == result.total


def test_roster_matches_the_source_counts():
    # 「第一系列(…共18个)」「第二系列(…共44个)」「第三系列(垂直管理部门共14个)」
    from tests.helpers import host

    scheme = host().scheme(SCHEME)
    assert [len(g.roster) for g in scheme.groups] == [18, 44, 14, 5]
