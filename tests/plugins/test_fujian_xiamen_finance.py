"""Golden tests for 市财政局绩效管理 (seed 002_f0b00884609f5575.txt, 篇(5)).

The on-site deduction per problem is not stated; DEPLOYMENT sets a test value of 1.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest

from kaoping.core.errors import InputError
from kaoping.plugins.fujian_xiamen_finance import (
    SAMPLE_DATA,
    project_needs_evaluation,
    report_due,
    weeks_short_of_checks,
)
from tests.helpers import D, host, score

SCHEME = "fujian.xiamen.finance"
DEPLOYMENT = {"rules": [{"id": "onsite_problem", "points": 1}]}


def division(*items, group: str = "divisions", events=(), overrides=DEPLOYMENT):
    """items: (awarded, planned, baseline, period)."""
    rows = []
    for n, (value, target, baseline, period) in enumerate(items):
        row = {"unit": "A", "indicator": "plan", "item": f"x{n}", "value": value, "target": target}
        if baseline is not None:
            row["baseline"] = baseline
        if period:
            row["period"] = period
        rows.append(row)
    data = {"units": [{"unit": "A", "name": "处室", "group": group}], "values": rows, "events": list(events)}
    return score(SCHEME, data, overrides).units[0]


def test_plan_score_scaled_to_100():
    # each unit's own 「考评指标及分值」: 100 × (18 + 27) / (20 + 40) = 75
    assert division((18, 20, None, ""), (27, 40, None, "")).total == D(75)


def test_onsite_problem_deduction_and_required_amount():
    # 「发现问题…在单位、个人绩效考评中扣分」 with the test amount 1: 100 × 50/50 − 2 × 1 = 98
    got = division((50, 50, None, ""), events=[{"unit": "A", "rule": "onsite_problem", "count": 2}])
    assert got.total == D(98)
    with pytest.raises(InputError, match="onsite_problem.*points"):
        division((50, 50, None, ""), events=[{"unit": "A", "rule": "onsite_problem"}], overrides=None)


def test_adjustment_of_exactly_30_percent_in_q3_is_allowed():
    # 「第三季度调整一次…不得超过总计划的30%」: |20 − 50| = 30 = 0.3 × (50 + 50) exactly → allowed;
    # score 100 × (20 + 45) / (20 + 50)
    got = division((20, 20, 50, "2009-Q3"), (45, 50, None, ""))
    assert got.total == D("92.86")  # 65 / 70 × 100 = 92.857… → 92.86


def test_adjustment_above_30_percent_is_rejected():
    # |19 − 50| = 31 > 30
    with pytest.raises(InputError, match="调整幅度不得超过总计划的30%"):
        division((19, 19, 50, "2009-Q3"), (45, 50, None, ""))


def test_adjustment_outside_q3_is_rejected():
    # 「可在第三季度调整」: an adjustment dated 2009-10 (Q4) is refused; 2009-07 (Q3) passes
    with pytest.raises(InputError, match="quarter 3"):
        division((40, 45, 50, "2009-10"), (45, 50, None, ""))
    assert division((40, 45, 50, "2009-07"), (45, 50, None, "")).total == D("89.47")  # 85/95 × 100


def test_two_adjustment_rounds_are_rejected():
    # 「调整一次」: two different periods of adjustment
    with pytest.raises(InputError, match="2 rounds"):
        division((40, 45, 50, "2009-07"), (40, 45, 50, "2009-09"))


def test_count_base_reading():
    # adjustment_base = "count": 1 of 3 items changed, 1 > 0.3 × 3 = 0.9 → rejected
    overrides = {**DEPLOYMENT, "parameters": {"adjustment_base": "count"}}
    with pytest.raises(InputError, match="count"):
        division((10, 10, 12, "2009-Q3"), (10, 10, None, ""), (10, 10, None, ""), overrides=overrides)


def staff(*dates):
    events = [{"unit": "S", "rule": "quarterly_excellent", "date": d} for d in dates]
    data = {"units": [{"unit": "S", "name": "工作人员", "group": "staff"}], "events": events}
    return score(SCHEME, data).units[0].consequences


def test_staff_gate_two_quarters():
    # 「只有在季度绩效考评中获两次以上优秀」: two quarters → allowed; one → not
    assert staff("2009-03-31", "2009-12-31") == {"quarterly_excellent": 2, "annual_excellent_allowed": True}
    assert staff("2009-06-30") == {"quarterly_excellent": 1, "annual_excellent_allowed": False}


def test_staff_gate_counts_distinct_quarters():
    # two 优秀 rows in the same quarter are one quarterly result
    assert staff("2009-04-30", "2009-06-30")["annual_excellent_allowed"] is False


def test_procedural_numbers():
    scheme = host().scheme(SCHEME)
    # 「于1月10日前将上一年度自评报告送局效能办」
    assert report_due(scheme, 2009) == date(2010, 1, 10)
    # 「200万以上」 includes 2,000,000
    assert project_needs_evaluation(scheme, D(2000000)) is True
    assert project_needs_evaluation(scheme, D(1999999)) is False
    # 「每周有2次以上…实地检查」: week 2009-W20 has two checks, W21 one
    checks = [date(2009, 5, 11), date(2009, 5, 14), date(2009, 5, 19)]
    assert weeks_short_of_checks(scheme, checks, [(2009, 20), (2009, 21)]) == [(2009, 21)]


def test_sample_run_matches_hand_computation():
    result = score(SCHEME, SAMPLE_DATA, DEPLOYMENT).by_unit()
    with (SAMPLE_DATA / "expected.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(expected) == len(result) == 8
    for row in expected:
        got = result[row["unit"]]
        assert got.total == Decimal(row["total"]), row["unit"]
        assert got.rank == (int(row["rank"]) if row["rank"] else None), row["unit"]
        if row["group"] == "staff":
            assert got.consequences == {
                "quarterly_excellent": int(row["quarterly_excellent"]),
                "annual_excellent_allowed": row["annual_excellent_allowed"] == "True",
            }
