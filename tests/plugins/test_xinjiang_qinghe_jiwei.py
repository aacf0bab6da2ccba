"""Golden tests for 县纪委监察局干部绩效差异化考评 (seed 002_f0b00884609f5575.txt, 篇(7)).

The source gives no grade cut-offs, so every graded run here sets them through overrides (TEST_BANDS);
the numbers of those bands are test data, not the scheme's.
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from kaoping.core.errors import InputError, MissingParameterError
from kaoping.plugins.xinjiang_qinghe_jiwei import SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "xinjiang.qinghe.jiwei"
TEST_BANDS = {
    "grading": {
        "grades": ["优秀", "良好", "一般"],
        "default": "一般",
        "bands": [
            {"id": "a", "grade": "优秀", "at_least": 270},
            {"id": "b", "grade": "良好", "at_least": 240, "below": 270},
        ],
    }
}


def ratings(unit: str, period: str, own, democratic, leader) -> list[dict]:
    items = (("自评", own), ("民主测评", democratic), ("领导点评", leader))
    return [{"unit": unit, "indicator": "three_ratings", "value": v, "item": i, "period": period} for i, v in items]


def run(values, events=(), overrides=TEST_BANDS, units=None):
    units = units or [{"unit": "A", "name": "干部甲", "group": "cadres"}]
    return score(SCHEME, {"units": units, "values": values, "events": list(events)}, overrides).by_unit()


def talk(unit: str, date: str, count: int = 1) -> dict:
    return {"unit": unit, "rule": "talk", "date": date, "count": count}


def test_monthly_weights():
    # 「干部自评(30%)、民主测评(40%)和领导点评(30%)」: 0.3×80 + 0.4×90 + 0.3×70 = 24 + 36 + 21 = 81
    assert run(ratings("A", "2015-01", 80, 90, 70))["A"].total == D(81)


def test_year_is_cumulative():
    # 「年底累计计分」: 81 + (0.3×100 + 0.4×95 + 0.3×90 = 30 + 38 + 27 = 95) = 176
    values = ratings("A", "2015-01", 80, 90, 70) + ratings("A", "2015-02", 100, 95, 90)
    got = run(values)["A"]
    assert got.total == D(176)
    assert sum(e.points for e in got.score.trail) == D(176)


def test_mean_reading_available():
    # period_aggregate = "mean": (81 + 95) / 2 = 88
    values = ratings("A", "2015-01", 80, 90, 70) + ratings("A", "2015-02", 100, 95, 90)
    overrides = {**TEST_BANDS, "parameters": {"period_aggregate": "mean"}}
    assert run(values, overrides=overrides)["A"].total == D(88)


def three_months(unit: str, rating) -> list[dict]:
    return [row for m in (1, 2, 3) for row in ratings(unit, f"2015-0{m}", rating, rating, rating)]


def test_two_talks_bar_excellent_even_in_the_band():
    # 「年度内被约谈两次的,年底综合考核不得评优」: 3 × 95 = 285 ≥ 270 but two talks → 良好
    got = run(three_months("A", 95), [talk("A", "2015-01-30"), talk("A", "2015-03-30")])["A"]
    assert got.total == D(285)
    assert got.grade == "良好"
    assert "年度内被约谈两次" in got.grade_reason  # the declared area's name


def test_one_talk_does_not_bar():
    # 1 < 2 talks: 285 → 优秀; talks carry no points
    got = run(three_months("A", 95), [talk("A", "2015-02-27")])["A"]
    assert (got.total, got.grade) == (D(285), "优秀")


def test_two_talks_in_one_row_count():
    # count = 2 in one row is two talks
    assert run(three_months("A", 95), [talk("A", "2015-02-27", 2)])["A"].grade == "良好"


def test_barred_unit_gives_way_in_a_quota():
    # quota of one 优秀: A leads (285) but has two talks, so B (3 × 91 = 273) takes it; A falls to 良好
    units = [{"unit": "A", "name": "甲", "group": "cadres"}, {"unit": "B", "name": "乙", "group": "cadres"}]
    overrides = {
        "grading": {
            "grades": ["优秀", "良好"],
            "default": "良好",
            "quotas": [{"id": "q", "grade": "优秀", "counts": {"cadres": 1}}],
        }
    }
    values = three_months("A", 95) + three_months("B", 91)
    got = run(values, [talk("A", "2015-01-30"), talk("A", "2015-02-27")], overrides=overrides, units=units)
    assert (got["A"].rank, got["A"].grade) == (1, "良好")
    assert (got["B"].rank, got["B"].grade) == (2, "优秀")


def test_county_wide_gate_for_townships_and_departments():
    # 「对绩效管理工作不重视、绩效指标不落实的进行约谈问责,被约谈两次的,年底综合考核等次不得评定为优秀」 (002):
    # a department's monthly 综合考核 95 + 94 + 96 = 285 ≥ 270, two 约谈问责 → 良好; one → 优秀
    units = [{"unit": "K", "name": "县财政局", "group": "county_units"}]
    values = [
        {"unit": "K", "indicator": "county_assessment", "value": v, "period": f"2015-0{m}"}
        for m, v in ((1, 95), (2, 94), (3, 96))
    ]
    twice = [
        {"unit": "K", "rule": "accountability_talk", "count": 1, "date": "2015-01-20"},
        {"unit": "K", "rule": "accountability_talk", "count": 1, "date": "2015-03-18"},
    ]
    got = run(values, twice, units=units)["K"]
    assert (got.total, got.grade) == (D(285), "良好")
    assert run(values, twice[:1], units=units)["K"].grade == "优秀"


def test_band_boundary_exactly_at_cutoff():
    # 3 × 90 = 270 exactly at the test band 优秀 ≥ 270
    assert run(three_months("A", 90))["A"].grade == "优秀"


def test_missing_grade_table_is_an_error():
    with pytest.raises(MissingParameterError, match="grade cut-offs"):
        run(three_months("A", 90), overrides=None)


def test_missing_channel_is_an_error():
    values = ratings("A", "2015-01", 80, 90, 70)[:2]
    with pytest.raises(InputError, match="lacks channel"):
        run(values)


def test_sample_run_matches_hand_computation():
    result = score(SCHEME, SAMPLE_DATA, TEST_BANDS).by_unit()
    with (SAMPLE_DATA / "expected.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(expected) == len(result) == 6
    for row in expected:
        got = result[row["unit"]]
        assert got.total == Decimal(row["total"]), row["unit"]
        assert (got.rank, got.grade) == (int(row["rank"]), row["grade"]), row["unit"]
