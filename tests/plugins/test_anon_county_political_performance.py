"""Golden tests for 县年度政绩考核评价 (seed 004_125908a302baa304.txt).

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment.
"""

from __future__ import annotations

import csv
from datetime import date

import pytest

from kaoping.core.errors import InputError, MissingParameterError
from kaoping.plugins.anon_county_political_performance import (
    SAMPLE_DATA,
    appeal_deadline,
    deputy_score,
    rating_share,
)
from tests.helpers import D, score

SCHEME = "anon.county_political_performance"
YEAR = {"parameters": {"evaluation_year": 2017}}


def run(
    scores: dict[str, str],
    history: list[tuple[str, int, int]] = (),
    vetoes: tuple[str, ...] = (),
    group: str = "township_teams",
    overrides: dict | None = None,
):
    records = {
        "units": [{"unit": u, "name": f"班子{u}", "group": group} for u in scores],
        "values": [{"unit": u, "indicator": "target_score", "value": v} for u, v in scores.items()],
        "history": [{"unit": u, "year": y, "rank": r} for u, y, r in history],
        "vetoes": [{"unit": u, "area": "inspection"} for u in vetoes],
    }
    return score(SCHEME, records, overrides or YEAR).by_unit()


def test_hundred_point_score():
    # 「实行百分制考核评分」 (004): the assessed score is the total; 100 is the top, 100.5 is rejected
    res = run({"A": "100", "B": "72.5"})
    assert (res["A"].total, res["B"].total) == (D(100), D("72.5"))
    with pytest.raises(InputError):
        run({"A": "100.5"})


def test_deputy_portfolio_weight():
    # 「党政副职领导干部考核标准将分管工作占80%」 (004): 0.8 × 90 + 0.2 × 70 = 72 + 14 = 86
    assert deputy_score(D(90), D(70)) == D(86)
    # 0.8 × 100 + 0.2 × 0 = 80
    assert deputy_score(D(100), D(0)) == D(80)


def test_rating_share_and_missing_levels():
    # 「将评价标准分为好、中、差三个档次」 (004), with deployment levels 好 1, 中 0.6, 差 0:
    # (30 × 1 + 15 × 0.6 + 5 × 0) / 50 = 39 / 50 = 0.78
    levels = {"好": D(1), "中": D("0.6"), "差": D(0)}
    assert rating_share({"好": 30, "中": 15, "差": 5}, levels) == D("0.78")
    with pytest.raises(MissingParameterError, match="好、中、差"):
        rating_share({"好": 1, "中": 1}, {"好": D(1)})


def test_veto_bars_excellence():
    # 「被一票否决的,取消其领导班子、主要领导和分管领导的本年度评先选优资格」 (004): the leader is barred
    res = run({"A": "95", "B": "80"}, vetoes=("A",))
    assert res["A"].rank == 1
    assert "评先选优" in res["A"].consequences["excellence_barred"]
    assert "excellence_barred" not in res["B"].consequences


def test_last_place_three_years_leads_to_removal():
    # 「连续三年排在末位的班子主要领导」 (004): C last in 2015 (3/3), 2016 (3/3) and 2017 → 3 years
    hist = [("A", 2015, 1), ("B", 2015, 2), ("C", 2015, 3), ("A", 2016, 2), ("B", 2016, 1), ("C", 2016, 3)]
    res = run({"A": "90", "B": "85", "C": "70"}, hist)
    assert res["C"].consequences["last_place_years"] == 3
    assert "免职" in res["C"].consequences["sanctions"][0]


def test_last_place_two_years_is_not_enough():
    # C last 2016 and 2017 only (2015 rank 1): 2 < 3 → no removal
    hist = [("C", 2015, 1), ("A", 2015, 2), ("C", 2016, 2), ("A", 2016, 1)]
    res = run({"A": "90", "C": "70"}, hist)
    assert res["C"].consequences["last_place_years"] == 2
    assert "sanctions" not in res["C"].consequences


def test_missing_year_breaks_the_run():
    # no 2016 row: 2017 + (gap) → 1 year only
    hist = [("A", 2015, 1), ("C", 2015, 2)]
    res = run({"A": "90", "C": "70"}, hist)
    assert res["C"].consequences["last_place_years"] == 1


def test_last_place_threshold_is_a_parameter():
    hist = [("C", 2016, 2), ("A", 2016, 1)]
    over = {"parameters": {"evaluation_year": 2017, "last_place_years": 2}}
    assert "sanctions" in run({"A": "90", "C": "70"}, hist, overrides=over)["C"].consequences


def test_history_needs_evaluation_year():
    with pytest.raises(MissingParameterError, match="evaluation_year"):
        run({"A": "90", "C": "70"}, [("C", 2016, 2)], overrides={"parameters": {"appeal_days": 10}})


def test_appeal_window_ten_days():
    # 「可以在十日内以书面形式向县委组织部提出申诉」 (004): feedback 2018-03-22 → last day 2018-04-01
    assert appeal_deadline(date(2018, 3, 22)) == date(2018, 4, 1)
    assert appeal_deadline(date(2018, 12, 25), 10) == date(2019, 1, 4)


def test_sample_run_matches_hand_computed_expected():
    with (SAMPLE_DATA / "expected.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    result = score(SCHEME, SAMPLE_DATA, YEAR).by_unit()
    assert len(result) == len(expected)
    for row in expected:
        got = result[row["unit"]]
        assert got.total == D(row["total"]), row["calculation"]
        assert got.rank == int(row["rank"])
        years = got.consequences.get("last_place_years")
        assert (str(years) if years else "") == row["last_place_years"]
        assert ("sanctions" in got.consequences) == (row["removal"] == "是")
        assert ("excellence_barred" in got.consequences) == (row["excellence_barred"] == "是")
