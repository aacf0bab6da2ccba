"""Golden tests for 县年度政绩考核评价 (seed 004_125908a302baa304.txt).

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment. The
source leaves the rating's conversion and weight, the channel weights and the grade cut-offs to the county:
the tests use the illustrative deployment of ``sample/overrides.toml`` (好 1, 中 0.6, 差 0; the rating 30% of
a team's score and 40% of a cadre's; teams 好 ≥ 90, 较好 ≥ 85, 一般 ≥ 75, 较差 < 75; cadres 优秀 ≥ 90,
称职 ≥ 75, 基本称职 ≥ 60, 不称职 < 60) unless a test says otherwise.
"""

from __future__ import annotations

import copy
import csv
from datetime import date
from typing import Any

import pytest

from kaoping.core.errors import InputError, MissingParameterError
from kaoping.core.tomlread import read_toml
from kaoping.plugins.anon_county_political_performance import (
    SAMPLE_DATA,
    appeal_deadline,
    posting_deadline,
)
from tests.helpers import D, score

SCHEME = "anon.county_political_performance"
SEED = "004_125908a302baa304.txt"
SAMPLE = read_toml(SAMPLE_DATA / "overrides.toml")
KEYS = ("粮食生产", "农民增收", "耕地保护", "环境治理", "和谐稳定")
INDICATOR = {
    "township_teams": "township_score",
    "agri_department_teams": "agri_department_score",
    "department_teams": "department_score",
    "principal_cadres": "principal_score",
    "deputy_cadres": "deputy_score",
}


def deployment(**changes: Any) -> dict[str, Any]:
    """The sample deployment; ``indicator_id={...}`` changes one indicator, ``bands=[...]`` the bands,
    ``year=...`` the evaluation year."""
    over = copy.deepcopy(SAMPLE)
    for key, value in changes.items():
        if key == "bands":
            over["grading"]["bands"] = value
        elif key == "year":
            over["parameters"]["evaluation_year"] = value
        else:
            item = next(i for i in over["indicators"] if i["id"] == key)
            item.update(value)
    return over


def no_rating() -> dict[str, Any]:
    """The sample deployment with the rating weighted 0, so that a total is the channel score itself."""
    return deployment(**{ind: {"rating_weight": 0} for ind in INDICATOR.values()})


def channels(group: str, score: str) -> dict[str, str]:
    """Every channel of the group's sample weights at the same score: the target score is that score."""
    if group == "deputy_cadres":
        return {"分管工作": score, "其他工作": score}
    weights = next(i for i in SAMPLE["indicators"] if i["id"] == INDICATOR[group])["channels"]
    return dict.fromkeys(weights, score)


def rows(unit: str, group: str, scores: dict[str, str], marks: tuple[int, int, int] | None = None) -> list[dict]:
    out = [{"unit": unit, "indicator": INDICATOR[group], "item": k, "value": v} for k, v in scores.items()]
    if marks is not None:
        out += [
            {"unit": unit, "indicator": INDICATOR[group], "item": level, "value": str(n)}
            for level, n in zip(("好", "中", "差"), marks, strict=True)
        ]
    return out


def run(
    units: dict[str, tuple[str, dict[str, str], tuple[int, int, int] | None]],
    overrides: dict[str, Any] | None = None,
    history: list[tuple[str, int, int]] = (),
    vetoes: tuple[str, ...] = (),
    attributes: dict[str, dict[str, str]] | None = None,
):
    """``units``: id → (group, channel scores, (好, 中, 差) marks or None)."""
    records = {
        "units": [
            {"unit": u, "name": f"单位{u}", "group": g, **(attributes or {}).get(u, {})}
            for u, (g, _, _) in units.items()
        ],
        "values": [r for u, (g, s, m) in units.items() for r in rows(u, g, s, m)],
        "history": [{"unit": u, "year": y, "rank": r} for u, y, r in history],
        "vetoes": [{"unit": u, "area": "inspection"} for u in vetoes],
    }
    return score(SCHEME, records, overrides if overrides is not None else deployment()).by_unit()


def flat(group: str, total: str) -> tuple[str, dict[str, str], None]:
    """A unit whose every channel scores ``total``; with no_rating() its total is exactly ``total``."""
    return (group, channels(group, total), None)


# ----------------------------------------------------------------------------------------------------------
# the appraisal score


def test_township_score_blends_weighted_targets_and_rating():
    # 「实行百分制考核评分」「对乡镇党政领导班子…提高了粮食生产、农民增收、耕地保护、环境治理、和谐稳定的权重比例」
    # 「将评价标准分为好、中、差三个档次」 (004). Sample weights: key items 10% each, 其他工作 50%; rating 30%.
    # T = 0.1 × (95 + 90 + 92 + 88 + 95) + 0.5 × 94 = 46 + 47 = 93
    # rating share = (630 × 1 + 70 × 0.6 + 0 × 0) / 700 = 672 / 700 = 0.96
    # total = 0.7 × 93 + 30 × 0.96 = 65.1 + 28.8 = 93.9
    scores = dict(zip(KEYS, ("95", "90", "92", "88", "95"), strict=True)) | {"其他工作": "94"}
    res = run({"A": ("township_teams", scores, (630, 70, 0))})
    assert res["A"].total == D("93.90")
    entry = res["A"].score.trail[0]
    assert (entry.inputs["target_score"], entry.inputs["rating_share"]) == (D(93), "672/700")


def test_deputy_portfolio_counts_80_percent_of_the_whole_score():
    # 「党政副职领导干部考核标准将分管工作占80%」 (004): 80% of the deputy's score, not of its target half; the
    # other 20% is 其他工作 blended with the rating (sample rating_weight 40%).
    # 分管 0, 其他 100, all 好: 0.8 × 0 + 0.2 × (0.6 × 100 + 40 × 1) = 0.2 × 100 = 20
    res = run({"V": ("deputy_cadres", {"分管工作": "0", "其他工作": "100"}, (860, 0, 0))})
    assert res["V"].total == D(20)
    # 分管 100, 其他 100, all 差: 0.8 × 100 + 0.2 × (0.6 × 100 + 40 × 0) = 80 + 12 = 92 (the rating weighs 8%)
    res = run({"V": ("deputy_cadres", {"分管工作": "100", "其他工作": "100"}, (0, 0, 860))})
    assert res["V"].total == D(92)
    entry = res["V"].score.trail[0]
    assert entry.inputs["fixed_points"] == D(80)


def test_the_narrower_reading_of_80_percent_is_a_setting():
    # fixed_channels = [] gives 80% of the target half only: 0.6 × (0.8 × 100 + 0.2 × 100) + 40 × 0 = 60
    over = deployment(deputy_score={"fixed_channels": []})
    res = run({"V": ("deputy_cadres", {"分管工作": "100", "其他工作": "100"}, (0, 0, 860))}, over)
    assert res["V"].total == D(60)


def test_principal_scores_self_building_and_deputies_work():
    # 「细化了自身建设的考核内容,增加了副职工作完成情况的分值比重」 (004); sample 20% / 30% / 50%, rating 40%.
    # T = 0.2 × 70 + 0.3 × 50 + 0.5 × 62 = 14 + 15 + 31 = 60; share = (360 + 0.6 × 260) / 860 = 516 / 860 = 0.6
    # total = 0.6 × 60 + 40 × 0.6 = 36 + 24 = 60
    scores = {"自身建设": "70", "副职工作完成情况": "50", "其他工作": "62"}
    assert run({"P": ("principal_cadres", scores, (360, 260, 240))})["P"].total == D(60)


def test_rating_share_is_rounded_once():
    # agriculture department: T = 0.08 × (80 + 85 + 90 + 85 + 80) + 0.6 × 88 = 33.6 + 52.8 = 86.4
    # share = (500 + 0.6 × 150) / 700 = 590 / 700 = 0.842857…; 0.7 × 86.4 + 30 × 0.842857… = 60.48 + 25.285714…
    # = 85.765714… → 85.77 (0.01, half up, once on the indicator)
    scores = dict(zip(KEYS, ("80", "85", "90", "85", "80"), strict=True)) | {"其他工作": "88"}
    assert run({"A": ("agri_department_teams", scores, (500, 150, 50))})["A"].total == D("85.77")


def whole_run(units: dict, overrides: dict | None = None):
    records = {
        "units": [{"unit": u, "name": f"单位{u}", "group": g} for u, (g, _, _) in units.items()],
        "values": [r for u, (g, sc, m) in units.items() for r in rows(u, g, sc, m)],
    }
    return score(SCHEME, records, overrides if overrides is not None else deployment())


def test_marks_not_in_whole_forms_of_35_or_43_points_are_warned_about():
    # 「将领导班子测评内容细化为4个类别13个子项35个要点」「将领导干部测评内容细化为5个类别14个子项43个要点」 (004):
    # each form marks every 要点 once; a spoiled or partly filled form leaves marks that are not whole forms.
    # The run goes on with the marks as given, and says so.
    # deputy, 700 好 (16.3 forms): 0.8 × 90 + 0.2 × (0.6 × 90 + 40 × 1) = 72 + 18.8 = 90.8
    result = whole_run({"V": ("deputy_cadres", {"分管工作": "90", "其他工作": "90"}, (700, 0, 0))})
    assert result.by_unit()["V"].total == D("90.8")
    [warned] = result.warnings
    assert "whole number of forms of 43" in warned
    assert (
        "whole number of forms of 35" in whole_run({"A": (*flat("township_teams", "90")[:2], (600, 70, 1))}).warnings[0]
    )
    # 43 marks = one form, no warning: share (43 × 0.6) / 43 = 0.6; 72 + 0.2 × (54 + 24) = 72 + 15.6 = 87.6
    result = whole_run({"V": ("deputy_cadres", {"分管工作": "90", "其他工作": "90"}, (0, 43, 0))})
    assert result.by_unit()["V"].total == D("87.6") and result.warnings == []


def test_channel_scores_are_on_100():
    # 「实行百分制考核评分」: a channel score of 100.5 is refused, 100 is the top
    with pytest.raises(InputError, match="outside"):
        run({"V": ("deputy_cadres", {"分管工作": "100.5", "其他工作": "90"}, (43, 0, 0))})
    assert run({"V": ("deputy_cadres", {"分管工作": "100", "其他工作": "100"}, (43, 0, 0))})["V"].total == D(100)


def test_a_key_item_weighted_zero_may_be_left_out():
    # sample: the other departments weigh 粮食生产 etc. 0 (absent); T = 0.05 × 90 + 0.05 × 94 + 0.9 × 90 = 90.2
    # total = 0.7 × 90.2 + 30 × (490 + 84) / 700 = 63.14 + 24.6 = 87.74
    scores = {"环境治理": "90", "和谐稳定": "94", "其他工作": "90"}
    assert run({"D": ("department_teams", scores, (490, 140, 70))})["D"].total == D("87.74")
    with pytest.raises(InputError, match="lacks channel"):
        run({"D": ("department_teams", {"环境治理": "90", "其他工作": "90"}, (490, 140, 70))})


# ----------------------------------------------------------------------------------------------------------
# numbers the source leaves to the county


def test_rating_levels_and_weight_are_required():
    # 「将评价标准分为好、中、差三个档次」 (004) gives no conversion and no weight: no default is filled in
    over = deployment()
    for item in over["indicators"]:
        item.pop("levels")
    with pytest.raises(InputError, match="levels"):
        run({"V": ("deputy_cadres", {"分管工作": "90", "其他工作": "90"}, (43, 0, 0))}, over)
    over = deployment()
    next(i for i in over["indicators"] if i["id"] == "deputy_score").pop("rating_weight")
    with pytest.raises(InputError, match="rating_weight"):
        run({"V": ("deputy_cadres", {"分管工作": "90", "其他工作": "90"}, (43, 0, 0))}, over)


def test_key_item_weights_are_required_per_group():
    # 「提高了…权重比例」 (004): the amounts are not stated; a township run without channel weights stops
    over = deployment()
    next(i for i in over["indicators"] if i["id"] == "township_score").pop("channels")
    with pytest.raises(InputError, match="channels"):
        run({"A": ("township_teams", {"其他工作": "90"}, (35, 0, 0))}, over)


def test_key_items_weighing_no_more_for_townships_are_warned_about():
    # 「对乡镇党政领导班子和涉农部门提高了…权重比例」 (004) recounts what the county did, with no number: 和谐稳定
    # at 5% for townships, not above the departments' 5%, is a warning; the run goes on:
    # all channels 90, 35 好: 0.7 × 90 + 30 × 1 = 93
    weights = {k: "10%" for k in KEYS[:4]} | {"和谐稳定": "5%", "其他工作": "55%"}
    over = deployment(township_score={"channels": weights})
    result = whole_run({"A": ("township_teams", dict.fromkeys(weights, "90"), (35, 0, 0))}, over)
    assert result.by_unit()["A"].total == D(93)
    assert any("和谐稳定" in w and "not above" in w for w in result.warnings)


def test_principals_standard_without_deputies_work_is_warned_about():
    # 「增加了副职工作完成情况的分值比重」 (004): a principals' standard without that channel is a warning:
    # 0.6 × 90 + 40 × 1 = 94
    over = deployment(principal_score={"channels": {"自身建设": "30%", "其他工作": "70%"}})
    result = whole_run({"P": ("principal_cadres", {"自身建设": "90", "其他工作": "90"}, (43, 0, 0))}, over)
    assert result.by_unit()["P"].total == D(94)
    assert any("副职工作完成情况" in w for w in result.warnings)


def test_grade_cut_offs_are_required():
    # the source names grades (较好以上 / 较差; 优秀 / 基本称职 / 不称职) but no thresholds
    with pytest.raises(MissingParameterError, match="grading.bands"):
        run({"A": flat("township_teams", "90")}, deployment(bands=[]))
    # bands for the teams only: a cadre group is not covered
    team_bands = [b for b in SAMPLE["grading"]["bands"] if b["id"].startswith("team")]
    with pytest.raises(MissingParameterError, match="'deputy_cadres' has no grade cut-offs"):
        run({"A": flat("township_teams", "90"), "V": flat("deputy_cadres", "90")}, deployment(bands=team_bands))


def test_a_band_must_use_its_groups_scale():
    bands = [{"id": "x", "grade": "优秀", "at_least": 0, "groups": ["township_teams"]}]
    with pytest.raises(MissingParameterError, match="outside its scale"):
        run({"A": flat("township_teams", "90")}, deployment(bands=bands))


# ----------------------------------------------------------------------------------------------------------
# grades (sample cut-offs) and their uses


@pytest.mark.parametrize(
    ("group", "total", "grade"),
    [
        ("township_teams", "90", "好"),  # exactly at 90 (以上 includes it)
        ("township_teams", "89.99", "较好"),
        ("county", "85", "较好"),
        ("county", "84.99", "一般"),
        ("township_teams", "75", "一般"),
        ("township_teams", "74.99", "较差"),
        ("principal_cadres", "90", "优秀"),
        ("principal_cadres", "89.99", "称职"),
        ("deputy_cadres", "75", "称职"),
        ("deputy_cadres", "74.99", "基本称职"),
        ("deputy_cadres", "60", "基本称职"),
        ("deputy_cadres", "59.99", "不称职"),
    ],
)
def test_grade_boundaries(group, total, grade):
    # with the rating weighted 0 the total is the channel score; bands of sample/overrides.toml
    group = "department_teams" if group == "county" else group
    assert run({"U": flat(group, total)}, no_rating())["U"].grade == grade


def test_team_grade_uses():
    # 「考核结果较好以上档次的领导班子,在年终评先选优时给予重点考虑」「被评为较差档次的领导班子,取消评先选优资格,
    # 并责令其限期整改」「对主要领导及相关成员适当进行交流」 (004)
    res = run(
        {
            "A": flat("township_teams", "92"),
            "B": flat("township_teams", "86"),
            "C": flat("township_teams", "80"),
            "D": flat("township_teams", "70"),
        },
        no_rating(),
    )
    assert "重点考虑" in res["A"].consequences["excellence_priority"]
    assert "重点考虑" in res["B"].consequences["excellence_priority"]
    assert res["C"].consequences == {}  # 一般: no use stated
    assert "取消评先选优资格" in res["D"].consequences["excellence_barred"]
    assert res["D"].consequences["sanctions"] == ["责令其限期整改", "对主要领导及相关成员适当进行交流"]


def test_cadre_grade_uses():
    # 「对评为优秀档次的领导干部给予通令嘉奖或通报表彰」「对评定为基本称职和不称职的领导干部,经县委同意后,
    # 由组织部对其进行诫勉谈话,限期改正」 (004)
    res = run(
        {
            "A": flat("deputy_cadres", "95"),
            "B": flat("deputy_cadres", "80"),
            "C": flat("deputy_cadres", "65"),
            "D": flat("deputy_cadres", "50"),
        },
        no_rating(),
    )
    assert "通令嘉奖" in res["A"].consequences["commendation"]
    assert res["B"].consequences == {}
    for uid in ("C", "D"):
        assert res[uid].consequences["sanctions"] == ["经县委同意后,由组织部对其进行诫勉谈话,限期改正"]


def test_veto_bars_excellence_of_the_leading_team():
    # 「对在省、市、县检查验收中被一票否决的,取消其领导班子、主要领导和分管领导的本年度评先选优资格」 (004):
    # the veto costs no points; A keeps 95, rank 1 and 好, but loses the 评先选优 priority of 较好以上
    res = run({"A": flat("township_teams", "95"), "B": flat("township_teams", "91")}, no_rating(), vetoes=("A",))
    assert (res["A"].total, res["A"].rank, res["A"].grade) == (D(95), 1, "好")
    assert "评先选优资格" in res["A"].consequences["excellence_barred"]
    assert "excellence_priority" not in res["A"].consequences
    assert "excellence_barred" not in res["B"].consequences


def test_agriculture_and_other_departments_are_ranked_together():
    # both are 县直部门 teams: one ranking (pool county_departments), competition ranks 1, 1, 3
    res = run(
        {
            "A": flat("agri_department_teams", "88"),
            "D": flat("department_teams", "88"),
            "E": flat("department_teams", "80"),
        },
        no_rating(),
    )
    assert (res["A"].rank, res["D"].rank, res["E"].rank) == (1, 1, 3)


# ----------------------------------------------------------------------------------------------------------
# 末位淘汰 (history)

THREE = {"A": flat("township_teams", "90"), "B": flat("township_teams", "85"), "C": flat("township_teams", "70")}


def test_last_place_three_years_leads_to_removal():
    # 「对连续三年排在末位的班子主要领导…在班子调整时实行免职、责令辞职、降职或改任非领导职务」 (004):
    # C last in 2015 (3/3), 2016 (3/3) and 2017 → 3 years
    hist = [("A", 2015, 1), ("B", 2015, 2), ("C", 2015, 3), ("A", 2016, 2), ("B", 2016, 1), ("C", 2016, 3)]
    res = run(THREE, no_rating() | {"parameters": {"evaluation_year": 2017}}, hist)
    assert res["C"].consequences["last_place_years"] == 3
    assert res["C"].consequences["sanctions"][-1].startswith("班子主要领导: ")
    assert "免职" in res["C"].consequences["sanctions"][-1]


def test_cadre_last_three_years_is_removed_himself():
    # 「连续三年排在末位的领导干部」 (004): the cadre, not a team's principal
    units = {"V": flat("deputy_cadres", "80"), "W": flat("deputy_cadres", "70")}
    hist = [("V", 2015, 1), ("W", 2015, 2), ("V", 2016, 1), ("W", 2016, 2)]
    res = run(units, no_rating() | {"parameters": {"evaluation_year": 2017}}, hist)
    assert res["W"].consequences["sanctions"][-1].startswith("按干部管理权限")


def test_last_place_two_years_is_not_enough():
    # C last 2016 and 2017 only (2015 rank 1): 2 < 3 → no removal
    hist = [("C", 2015, 1), ("A", 2015, 2), ("B", 2015, 3), ("C", 2016, 3), ("A", 2016, 1), ("B", 2016, 2)]
    res = run(THREE, no_rating() | {"parameters": {"evaluation_year": 2017}}, hist)
    assert res["C"].consequences["last_place_years"] == 2
    assert "免职" not in " ".join(res["C"].consequences.get("sanctions", []))


def test_missing_year_breaks_the_run():
    # no 2016 row: 2017 + (gap) → 1 year only
    hist = [("A", 2015, 1), ("C", 2015, 2)]
    res = run(THREE, no_rating() | {"parameters": {"evaluation_year": 2017}}, hist)
    assert res["C"].consequences["last_place_years"] == 1


def test_last_place_is_within_the_departments_pool():
    # the agriculture department E is last of its own group but not of the 县直部门 ranking: no count;
    # D (other department) is last of the pool: 2015 (3/3) + 2016 (3/3) + 2017 → 3 years
    units = {
        "E": flat("agri_department_teams", "86"),
        "F": flat("agri_department_teams", "95"),
        "D": flat("department_teams", "80"),
    }
    hist = [("F", 2015, 1), ("E", 2015, 2), ("D", 2015, 3), ("E", 2016, 1), ("F", 2016, 2), ("D", 2016, 3)]
    res = run(units, no_rating() | {"parameters": {"evaluation_year": 2017}}, hist)
    assert "last_place_years" not in res["E"].consequences
    assert res["D"].consequences["last_place_years"] == 3


def test_units_tied_at_the_last_place_are_both_last():
    units = {"A": flat("township_teams", "90"), "B": flat("township_teams", "80"), "C": flat("township_teams", "80")}
    hist = [("A", 2015, 1), ("B", 2015, 2), ("C", 2015, 2), ("A", 2016, 1), ("B", 2016, 2), ("C", 2016, 2)]
    res = run(units, no_rating() | {"parameters": {"evaluation_year": 2017}}, hist)
    assert res["B"].consequences["last_place_years"] == res["C"].consequences["last_place_years"] == 3


def test_last_place_threshold_is_a_parameter():
    hist = [("C", 2016, 3), ("A", 2016, 1), ("B", 2016, 2)]
    over = no_rating() | {"parameters": {"evaluation_year": 2017, "last_place_years": 2}}
    assert "免职" in run(THREE, over, hist)["C"].consequences["sanctions"][-1]


def test_history_needs_evaluation_year():
    over = no_rating()
    del over["parameters"]["evaluation_year"]
    with pytest.raises(MissingParameterError, match="parameter evaluation_year is required"):
        run(THREE, over, [("C", 2016, 3)])


# ----------------------------------------------------------------------------------------------------------
# decisions left to the organisation department, entered on the units table


def test_office_decisions_become_consequences():
    # 「对确属实绩突出、群众公认、德才兼备的干部,及时大胆使用」「给予记功、授予荣誉称号、颁发奖金等形式的重奖」
    # 「列入近期重点培养计划」 (004): the criteria are judgements; the office enters the outcome
    attrs = {
        "V": {"finding": "实绩突出", "special_award": "记功", "reserve_plan": "近期"},
        "W": {"后备干部培养(reserve_plan)": "长期", "finding": "绩效较差"},
    }
    res = run({"V": flat("deputy_cadres", "92"), "W": flat("deputy_cadres", "70")}, no_rating(), attributes=attrs)
    assert "委以重任" in res["V"].consequences["cadre_use"]
    assert res["V"].consequences["special_award"].endswith("记功")
    assert "近期重点培养计划" in res["V"].consequences["reserve_plan"]
    assert "长期培养计划" in res["W"].consequences["reserve_plan"]
    assert "坚决予以调整" in res["W"].consequences["cadre_use"]


def test_office_decisions_are_checked():
    with pytest.raises(InputError, match="reserve_plan must be one of"):
        run({"V": flat("deputy_cadres", "92")}, no_rating(), attributes={"V": {"reserve_plan": "短期"}})
    with pytest.raises(InputError, match="concerns leading cadres"):
        run({"A": flat("township_teams", "92")}, no_rating(), attributes={"A": {"special_award": "记功"}})


# ----------------------------------------------------------------------------------------------------------
# procedure dates


def test_appeal_window_ten_days():
    # 「可以在十日内以书面形式向县委组织部提出申诉」 (004): feedback 2018-03-22 → last day 2018-04-01
    assert appeal_deadline(date(2018, 3, 22)) == date(2018, 4, 1)
    assert appeal_deadline(date(2018, 12, 25)) == date(2019, 1, 4)
    # applied by the archive: tests/archive/test_appeals.py refuses the eleventh day


def test_posting_five_days_before_the_evaluation():
    # 「在接受考核前五天…在本单位政务公开板上进行公示」 (004): evaluation 2018-01-10 → post by 2018-01-05
    assert posting_deadline(date(2018, 1, 10)) == date(2018, 1, 5)


def posting_run(posted: str, evaluated: str, overrides: dict[str, Any] | None = None):
    records = {
        "units": [
            {"unit": "A", "name": "甲镇", "group": "township_teams", "posted_on": posted, "evaluated_on": evaluated}
        ],
        "values": rows("A", *flat("township_teams", "90")[:2], None),
    }
    return score(SCHEME, records, overrides if overrides is not None else no_rating())


def test_a_posting_five_days_before_the_evaluation_is_in_time():
    # 「各考核对象在接受考核前五天…进行公示」 (004): evaluated 2018-01-10 → due 2018-01-05; posted that day or
    # earlier: no warning, and the score is the score (90, as every channel scores 90 with no rating)
    for posted in ("2018-01-05", "2017-12-28"):
        result = posting_run(posted, "2018-01-10")
        assert result.warnings == [] and result.by_unit()["A"].total == D("90")


def test_a_later_posting_is_a_warning_with_the_quote():
    # posted 2018-01-06, evaluated 2018-01-10: four days before, one day after the 2018-01-05 due day.
    # The article attaches no sanction: the score stands (90) and the office is told, with the row.
    result = posting_run("2018-01-06", "2018-01-10")
    assert result.by_unit()["A"].total == D("90")
    [warned] = result.warnings
    assert "posted on 2018-01-06" in warned and "by 2018-01-05" in warned and "在接受考核前五天" in warned
    # the day count is scheme data: with posting_days = 3 the due day is 2018-01-07 and 01-06 is in time
    three = no_rating()
    three["parameters"] = {**three.get("parameters", {}), "posting_days": 3}
    assert posting_run("2018-01-06", "2018-01-10", three).warnings == []


def test_an_evaluation_without_a_posting_is_a_warning_and_a_bad_date_an_error():
    [warned] = posting_run("", "2018-01-10").warnings
    assert "no posting date" in warned and "2018-01-05" in warned
    with pytest.raises(InputError, match="posted_on must be a date"):
        posting_run("2018年1月6日", "2018-01-10")


# ----------------------------------------------------------------------------------------------------------
# the sample


def test_sample_run_matches_hand_computed_expected():
    with (SAMPLE_DATA / "expected.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    result = score(SCHEME, SAMPLE_DATA, SAMPLE).by_unit()
    assert len(result) == len(expected) == 13
    for row in expected:
        got = result[row["unit"]]
        assert got.total == D(row["total"]), row["calculation"]
        assert (got.group, got.rank, got.grade) == (row["group"], int(row["rank"]), row["grade"]), row["unit"]
        years = got.consequences.get("last_place_years")
        assert (str(years) if years else "") == row["last_place_years"], row["unit"]
        removed = any("免职" in s for s in got.consequences.get("sanctions", []))
        assert removed == (row["removal"] == "是"), row["unit"]
        assert ("excellence_barred" in got.consequences) == (row["excellence_barred"] == "是"), row["unit"]
