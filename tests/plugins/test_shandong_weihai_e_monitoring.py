"""Golden tests for *市行政审批电子监察绩效考核评分暂行办法 (seed 002_f0b00884609f5575.txt, 篇(4)).

Every part is scored per month and the year is the mean of the months; expected numbers are worked out by
hand from the quoted rules, with the arithmetic beside them.
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from kaoping.core.errors import InputError
from kaoping.plugins.shandong_weihai_e_monitoring import SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "shandong.weihai.e_monitoring"
UNIT = {"unit": "A", "name": "审批部门甲", "group": "approval"}


def month(period: str, early: int = 1, done: int = 1) -> dict:
    return {"unit": "A", "indicator": "early_completion", "value": early, "target": done, "period": period}


def run(values: list[dict], events: list[dict] = (), overrides: dict | None = None):
    return score(SCHEME, {"units": [UNIT], "values": values, "events": list(events)}, overrides).units[0]


def event(rule: str, count: int = 1, date: str = "2015-01-10", matter: str = "") -> dict:
    return {"unit": "A", "rule": rule, "count": count, "date": date, "matter": matter}


def test_full_month_is_100():
    # 50 + 15 + 15 × 1/1 + 20 = 100 (「满分50分」「满分15分」「×15」「得满分20分」)
    assert run([month("2015-01")]).total == D(100)


@pytest.mark.parametrize(
    ("rule", "each"),
    [
        ("openness", 5),
        ("procedure", 3),
        ("time_limit", 3),
        ("fees", 5),
        ("liability", 5),
        ("supervision", 3),
        ("attendance", 3),
    ],
)
def test_approval_items_per_violation(rule, each):
    # 「违反一次扣5分」 / 「违反一次扣3分」 (002): 50 − 2 × each
    got = run([month("2015-01")], [event(rule, 2)])
    assert got.parts["approval"] == D(50) - 2 * each


def test_approval_floor_at_zero():
    # 「满分50分,扣完为止」: 11 × 5 = 55 > 50 → 0, nothing taken from other parts; total 0 + 15 + 15 + 20 = 50
    got = run([month("2015-01")], [event("fees", 11)])
    assert got.parts["approval"] == D(0)
    assert got.total == D(50)


def test_approval_exactly_used_up():
    # 10 × 5 = 50 → exactly 0, no floor entry
    got = run([month("2015-01")], [event("openness", 10)])
    assert got.parts["approval"] == D(0)
    assert not [e for e in got.score.trail if e.kind == "floor"]


def test_warning_cards_cumulative_and_floor():
    # 「黄牌…每次扣2分」「红牌…每次扣5分」: 15 − 2 − 5 = 8
    assert run([month("2015-01")], [event("yellow_card"), event("red_card")]).parts["warning"] == D(8)
    # red card then 「经催办仍不改正的每次扣10分」 on the same case, cumulative: 15 − 5 − 10 = 0
    got = run([month("2015-01")], [event("red_card", matter="c"), event("not_corrected", matter="c")])
    assert got.parts["warning"] == D(0)
    # 「满分15分,扣完为止」: 15 − 10 − 10 = −5 → 0
    assert run([month("2015-01")], [event("not_corrected", 2)]).parts["warning"] == D(0)


def test_early_completion_share():
    # 「(当月本部门提前办结数/当月本部门办结数)×15」: 7 / 8 × 15 = 13.125 → 13.13
    assert run([month("2015-01", 7, 8)]).parts["early"] == D("13.13")
    # none early: 0 / 5 × 15 = 0 (「最低0分」)
    assert run([month("2015-01", 0, 5)]).parts["early"] == D(0)


def test_early_completion_no_completions_reading():
    # 0 completions: full 15 by the chosen reading (on_zero = "full"); switchable to 0
    assert run([month("2015-01", 0, 0)]).parts["early"] == D(15)
    zero = {"indicators": [{"id": "early_completion", "on_zero": "zero"}]}
    assert run([month("2015-01", 0, 0)], overrides=zero).parts["early"] == D(0)


def test_system_use():
    # 「每次扣2分」 + 「每项扣2分」: 20 − 2×2 − 3×2 = 10
    got = run([month("2015-01")], [event("change_not_notified", 2), event("offline_item", 3)])
    assert got.parts["system"] == D(10)
    # 「所有事项完全不在电子审批网上运行…本项不得分」: 0, and not below with other deductions
    got = run([month("2015-01")], [event("none_online"), event("offline_item")])
    assert got.parts["system"] == D(0)


def test_annual_is_mean_of_months_and_trail_sums():
    # 「年度考核总分取每月算术平均分」: Jan 100 − 5 = 95; Feb 100 − 3 = 97; Mar 100 → (95 + 97 + 100)/3 = 97.33
    got = run(
        [month("2015-01"), month("2015-02"), month("2015-03")],
        [event("fees", date="2015-01-02"), event("procedure", date="2015-02-02")],
    )
    # approval (45 + 47 + 50)/3 = 47.333 → 47.33; entries 16.67×3 − 1.67 − 1.00 = 47.34 → adjustment −0.01
    assert got.parts["approval"] == D("47.33")
    assert got.total == D("97.33")
    assert sum(e.points for e in got.score.trail) == got.total
    # system 20/3 = 6.67 × 3 = 20.01 → adjustment −0.01 as well; warning and early divide exactly
    adjustments = {e.part: e.points for e in got.score.trail if e.kind == "adjustment"}
    assert adjustments == {"approval": D("-0.01"), "system": D("-0.01")}


def test_cumulative_override():
    # period_aggregate = "sum": 95 + 97 = 192
    got = run(
        [month("2015-01"), month("2015-02")],
        [event("fees", date="2015-01-02"), event("procedure", date="2015-02-02")],
        overrides={"parameters": {"period_aggregate": "sum"}},
    )
    assert got.total == D(192)


def test_event_outside_assessed_months_is_an_error():
    with pytest.raises(InputError, match="outside the assessed periods"):
        run([month("2015-01")], [event("fees", date="2015-04-02")])


def test_value_without_period_is_an_error():
    row = month("")
    with pytest.raises(InputError, match="period"):
        run([row])


def test_sample_run_matches_hand_computation():
    result = score(SCHEME, SAMPLE_DATA).by_unit()
    with (SAMPLE_DATA / "expected.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(expected) == len(result) == 4
    for row in expected:
        got = result[row["unit"]]
        for part in ("approval", "warning", "early", "system"):
            assert got.parts[part] == Decimal(row[part]), (row["unit"], part)
        assert got.total == Decimal(row["total"]), row["unit"]
        assert got.rank == int(row["rank"]), row["unit"]
        assert sum(e.points for e in got.score.trail) == got.total
