"""Golden tests for 市财政局绩效管理 (seed 002_f0b00884609f5575.txt, 篇(5)).

The on-site deduction per problem is not stated; DEPLOYMENT sets a test value of 1.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest

from kaoping.core.errors import InputError
from kaoping.plugins.fujian_xiamen_finance import SAMPLE_DATA, project_needs_evaluation, report_due
from tests.helpers import D, host, score

SCHEME = "fujian.xiamen.finance"
DEPLOYMENT = {
    "parameters": {"evaluation_year": 2009},
    "rules": [{"id": "onsite_problem", "points": 1}, {"id": "onsite_problem_personal", "points": 1}],
}


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


def run_units(units: list[dict], events=(), overrides=DEPLOYMENT):
    return score(SCHEME, {"units": units, "values": [], "events": list(events)}, overrides).by_unit()


def test_report_date_against_the_due_date():
    # 「于1月10日前将上一年度自评报告送局效能办」 (002), evaluation year 2009: 2010-01-10 is on time, the 11th late
    units = [
        {"unit": "A", "name": "处室甲", "group": "divisions", "report_date": "2010-01-10"},
        {"unit": "B", "name": "处室乙", "group": "divisions", "report_date": "2010-01-11"},
    ]
    rows = [{"unit": u, "indicator": "plan", "item": "x", "value": 10, "target": 10} for u in "AB"]
    got = score(SCHEME, {"units": units, "values": rows}, DEPLOYMENT).by_unit()
    assert (got["A"].consequences["report_on_time"], got["B"].consequences["report_on_time"]) == (True, False)
    # 「考评结果作为处室及事业单位评选先进集体、处室及事业单位领导评选先进个人的重要条件」
    assert got["A"].consequences["use"] == ["评选先进集体的重要条件", "处室领导评选先进个人的重要条件"]


@pytest.mark.parametrize("written", ["20100110", "2010-W02-7", "2010/01/10"])
def test_report_date_is_year_month_day_on_every_python(written: str):
    # Python 3.11's date.fromisoformat also reads 20100110 and week dates; 3.10 does not, so neither is taken
    units = [{"unit": "A", "name": "处室甲", "group": "divisions", "report_date": written}]
    rows = [{"unit": "A", "indicator": "plan", "item": "x", "value": 10, "target": 10}]
    with pytest.raises(InputError, match="report_date must be a date"):
        score(SCHEME, {"units": units, "values": rows}, DEPLOYMENT)


def test_projects_without_ex_ante_review_get_no_budget():
    # 「对200万以上的专项项目都必须纳入绩效考评范围…如果没有进行事前绩效审核的,预算内不予安排资金,凡经事前绩效审核的
    # 项目,都应进行事后绩效检查」 (002)
    units = [
        {"unit": "X", "name": "专项甲", "group": "projects", "amount": "2000000", "ex_ante_review": "否"},
        {"unit": "Y", "name": "专项乙", "group": "projects", "amount": "3000000", "ex_ante_review": "是"},
        {"unit": "Z", "name": "专项丙", "group": "projects", "amount": "1999999", "ex_ante_review": "否"},
    ]
    got = run_units(units)
    assert got["X"].consequences == {"in_evaluation_scope": True, "budget": "预算内不予安排资金"}
    assert got["Y"].consequences == {"in_evaluation_scope": True, "ex_post_check": "应进行事后绩效检查"}
    assert got["Z"].consequences == {"in_evaluation_scope": False}
    with pytest.raises(InputError, match="ex_ante_review must be"):
        run_units([{"unit": "X", "name": "专项", "group": "projects", "amount": "2000000", "ex_ante_review": ""}])


def test_onsite_problem_on_a_person():
    # 「并在单位、个人绩效考评中扣分」 (002): the person's own evaluation loses the test amount 1 per problem
    units = [{"unit": "S", "name": "工作人员", "group": "staff"}]
    assert run_units(units, [{"unit": "S", "rule": "onsite_problem_personal", "count": 2}])["S"].total == D(-2)


def test_sample_run_matches_hand_computation():
    result = score(SCHEME, SAMPLE_DATA, DEPLOYMENT).by_unit()
    with (SAMPLE_DATA / "expected.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(expected) == len(result) == 11
    for row in expected:
        got = result[row["unit"]]
        assert got.total == Decimal(row["total"]), row["unit"]
        assert got.rank == (int(row["rank"]) if row["rank"] else None), row["unit"]
        if row["group"] == "staff":
            assert {k: got.consequences[k] for k in ("quarterly_excellent", "annual_excellent_allowed")} == {
                "quarterly_excellent": int(row["quarterly_excellent"]),
                "annual_excellent_allowed": row["annual_excellent_allowed"] == "True",
            }
    # the report dates of P1 (2010-01-08) and P2 (2010-01-12, after 1-10); the three projects
    assert (result["P1"].consequences["report_on_time"], result["P2"].consequences["report_on_time"]) == (True, False)
    assert result["X1"].consequences["budget"] == "预算内不予安排资金"
    assert "budget" not in result["X2"].consequences and result["X3"].consequences["in_evaluation_scope"] is False


def run_with_checks(tmp_path, log: str):
    import shutil

    from kaoping.core.pipeline import run as run_folder

    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DATA, folder)
    (folder / "site_checks.csv").write_text("检查日期(date),办公室(office)\n" + log, encoding="utf-8")
    test_host = host()
    return run_folder(test_host, test_host.scheme(SCHEME, DEPLOYMENT), folder)


def test_two_site_checks_a_week_are_enough(tmp_path):
    # 「每周有2次以上到各个办公室进行实地检查」 (002_f0b00884609f5575.txt, 篇(5)): 以上 includes 2. Week of
    # Mon 2009-03-02: checks on 03-03 and 03-05; week of 03-09: 03-09, 03-11 and 03-13: no warning, and the
    # scores are the sample's (the rule binds the efficiency office, nothing is scored)
    result = run_with_checks(
        tmp_path, "2009-03-03,预算处\n2009-03-05,国库处\n2009-03-09,预算处\n2009-03-11,综合处\n2009-03-13,国库处\n"
    )
    assert not [w for w in result.warnings if "on-site checks" in w]
    plain = score(SCHEME, SAMPLE_DATA, DEPLOYMENT).by_unit()
    assert {u.unit: u.total for u in result.units} == {u: r.total for u, r in plain.items()}


def test_a_week_with_fewer_checks_is_a_warning(tmp_path):
    # week of 2009-03-02: one check (03-04); week of 03-09: none; week of 03-16: two (03-16, 03-20):
    # two warnings, naming the Mondays 2009-03-02 (1 check) and 2009-03-09 (0 checks)
    result = run_with_checks(tmp_path, "2009-03-04,预算处\n2009-03-16,国库处\n2009-03-20,综合处\n")
    warned = [w for w in result.warnings if "on-site checks" in w]
    assert len(warned) == 2
    assert "2009-03-02 has 1 on-site checks" in warned[0] and "2009-03-09 has 0 on-site checks" in warned[1]
    assert "每周有2次以上到各个办公室进行实地检查" in warned[0]


def test_an_unreadable_check_date_is_an_error(tmp_path):
    with pytest.raises(InputError, match="date must be written YYYY-MM-DD"):
        run_with_checks(tmp_path, "3月4日,预算处\n")
