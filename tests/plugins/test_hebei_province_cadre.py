"""Golden tests for 河北省干部实绩考核制度 (seed 002_f0b00884609f5575.txt, 篇(10)).

The source gives no weights or cut-offs; DEPLOYMENT holds test numbers a deployment would set.
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from kaoping.core.errors import InputError, MissingParameterError
from kaoping.plugins.hebei_province_cadre import SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "hebei.province.cadre"
CHANNELS = ("实地考核", "部门评价", "领导评价", "群众评议")
DEPLOYMENT = {
    "parameters": {"evaluation_year": 2014},
    "indicators": [{"id": "comprehensive", "channels": dict(zip(CHANNELS, ("40%", "20%", "20%", "20%"), strict=True))}],
    "grading": {
        "grades": ["实绩突出", "一般", "实绩较差"],
        "bands": [
            {"id": "a", "grade": "实绩突出", "at_least": 90},
            {"id": "b", "grade": "一般", "at_least": 70, "below": 90},
            {"id": "c", "grade": "实绩较差", "below": 70},
        ],
    },
}


def rated(uid: str, *scores) -> list[dict]:
    pairs = zip(CHANNELS, scores, strict=True)
    return [{"unit": uid, "indicator": "comprehensive", "value": v, "item": c} for c, v in pairs]


def run(rows, group="teams", vetoes=(), history=(), overrides=DEPLOYMENT, units=None):
    units = units or [{"unit": "A", "name": "班子甲", "group": group}]
    data = {"units": units, "values": rows, "vetoes": list(vetoes), "history": list(history)}
    return score(SCHEME, data, overrides).by_unit()


def test_weighted_evaluation():
    # 「实地考核、部门评价、领导评价、群众评议」 with test weights 40/20/20/20: 38 + 18 + 17 + 16 = 89
    assert run(rated("A", 95, 90, 85, 80))["A"].total == D(89)


def test_weights_are_required():
    overrides = {"grading": DEPLOYMENT["grading"]}
    with pytest.raises(InputError, match="channels"):
        run(rated("A", 95, 90, 85, 80), overrides=overrides)


def test_grading_is_required():
    with pytest.raises(MissingParameterError, match="no grade cut-offs"):
        run(rated("A", 95, 90, 85, 80), overrides={"indicators": DEPLOYMENT["indicators"]})


def test_key_work_veto_bars_top_grade_of_the_leader():
    # 「实行重点工作“一票否决”」 (effect: barred from 实绩突出, the recommended reading): 100 → 一般
    got = run(rated("A", 100, 100, 100, 100), vetoes=[{"unit": "A", "area": "key_work"}])["A"]
    assert (got.total, got.grade) == (D(100), "一般")


def test_band_boundary():
    # exactly 90 → 实绩突出 (test band ≥ 90)
    assert run(rated("A", 90, 90, 90, 90))["A"].grade == "实绩突出"


def growth(value, target) -> dict:
    return {"unit": "A", "indicator": "per_capita_growth", "value": value, "target": target}


def test_per_capita_growth_recorded_by_default():
    # 「主要经济指标人均增幅达标评价」: 7.9 < 8 → flagged, grade unchanged; exactly 8 → not flagged
    got = run([*rated("A", 95, 95, 95, 95), growth("7.9", 8)])["A"]
    assert [(v.area, v.effect) for v in got.vetoes] == [("per_capita_growth", "record")]
    assert got.grade == "实绩突出"
    assert run([*rated("A", 95, 95, 95, 95), growth(8, 8)])["A"].vetoes == []


def test_per_capita_growth_can_bar_top_grade():
    overrides = {**DEPLOYMENT, "parameters": {"evaluation_year": 2014, "growth_shortfall_effect": "disqualify"}}
    got = run([*rated("A", 95, 95, 95, 95), growth("7.9", 8)], overrides=overrides)["A"]
    assert got.grade == "一般"


def test_department_progress_and_rank_change():
    # 「纵向进步幅度,横向进退位次」: progress 12 − 10 = 2; B was 1st last year, A 2nd; now A 1st: A +1, B −1
    units = [{"unit": "A", "name": "甲", "group": "departments"}, {"unit": "B", "name": "乙", "group": "departments"}]
    rows = [*rated("A", 90, 90, 90, 90), *rated("B", 80, 80, 80, 80)]
    rows.append({"unit": "A", "indicator": "progress", "value": 12, "target": 10})
    history = [{"unit": "A", "year": 2013, "rank": 2}, {"unit": "B", "year": 2013, "rank": 1}]
    got = run(rows, units=units, history=history)
    assert (got["A"].consequences["progress"], got["A"].consequences["rank_change"]) == (D(2), 1)
    assert got["B"].consequences["rank_change"] == -1


REVIEW = "对连续两年实绩较差,经考察确实不称职的应予以降免调整"


def test_two_poor_years_mark_a_cadre_for_review():
    # 「对连续两年实绩较差,经考察确实不称职的应予以降免调整」 (002): 60 in 2014 (< 70: 实绩较差) after 实绩较差 in 2013
    poor_last_year = [{"unit": "A", "year": 2013, "grade": "实绩较差"}]
    got = run(rated("A", 60, 60, 60, 60), group="cadres", history=poor_last_year)["A"]
    assert got.consequences["sanctions"] == [REVIEW]
    fair_last_year = [{"unit": "A", "year": 2013, "grade": "一般"}]
    assert "sanctions" not in run(rated("A", 60, 60, 60, 60), group="cadres", history=fair_last_year)["A"].consequences


def test_two_poor_years_must_be_consecutive_calendar_years():
    # 「连续两年」: 实绩较差 in 2005 and in 2014 (the latest history row is 2005) is not two years in a row
    poor_long_ago = [{"unit": "A", "year": 2005, "grade": "实绩较差"}]
    got = run(rated("A", 60, 60, 60, 60), group="cadres", history=poor_long_ago)["A"]
    assert "sanctions" not in got.consequences


def test_two_poor_years_concern_cadres_not_teams():
    # 「选拔任用干部…对连续两年实绩较差…应予以降免调整」 is about cadres (干部): a team is not demoted
    poor_last_year = [{"unit": "A", "year": 2013, "grade": "实绩较差"}]
    got = run(rated("A", 60, 60, 60, 60), group="teams", history=poor_last_year)["A"]
    assert "sanctions" not in got.consequences


def test_the_year_evaluated_is_required():
    overrides = {k: v for k, v in DEPLOYMENT.items() if k != "parameters"}
    with pytest.raises(MissingParameterError, match="evaluation_year"):
        run(rated("A", 60, 60, 60, 60), group="cadres", overrides=overrides)


def test_rank_change_compares_with_last_year_only():
    # 「横向进退位次」: a 2005 rank is not last year's place (evaluation year 2014): no rank_change
    units = [{"unit": "A", "name": "甲", "group": "departments"}, {"unit": "B", "name": "乙", "group": "departments"}]
    rows = [*rated("A", 90, 90, 90, 90), *rated("B", 80, 80, 80, 80)]
    history = [{"unit": "A", "year": 2005, "rank": 2}, {"unit": "B", "year": 2013, "rank": 1}]
    got = run(rows, units=units, history=history)
    assert "rank_change" not in got["A"].consequences
    assert got["B"].consequences["rank_change"] == -1


def test_top_cadres_are_considered_first_for_selection():
    # 「选拔任用干部要优先从实绩突出的干部中考虑」 (002): a cadre ≥ 90 (实绩突出) is listed for selection; a team is not
    cadre = run(rated("A", 95, 95, 95, 95), group="cadres")["A"].consequences
    team = run(rated("A", 95, 95, 95, 95), group="teams")["A"].consequences
    assert cadre["selection"] == ["选拔任用干部要优先从实绩突出的干部中考虑"]
    assert "selection" not in team
    # 「党委依据考核结果实施奖惩」: both are used for rewards and punishments
    assert team["use"][0] == "党委依据考核结果实施奖惩"


def test_sample_run_matches_hand_computation():
    result = score(SCHEME, SAMPLE_DATA, DEPLOYMENT).by_unit()
    with (SAMPLE_DATA / "expected.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(expected) == len(result) == 9
    for row in expected:
        got = result[row["unit"]]
        assert got.total == Decimal(row["total"]), row["unit"]
        assert (got.rank, got.grade) == (int(row["rank"]), row["grade"]), row["unit"]
    assert result["D1"].consequences == {"progress": D("2.5"), "rank_change": 1}
    assert result["C1"].consequences["sanctions"] == [REVIEW]
    assert "sanctions" not in result["C3"].consequences and "sanctions" not in result["T3"].consequences
    # 「在全国或在省部级获得的奖励」: an award entered as a record row is listed with the department
    assert result["D2"].consequences["awards_considered"] == ["在全国或在省部级获得的奖励"]
