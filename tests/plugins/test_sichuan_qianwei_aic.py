"""Golden tests for 犍为县工商局绩效考核监督办法 (seed 002_f0b00884609f5575.txt, 篇(1)).

Expected numbers are worked out by hand from the quoted rules; the arithmetic is in the comments.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest

from kaoping.core.errors import InputError
from kaoping.core.pipeline import run as run_folder
from kaoping.plugins.sichuan_qianwei_aic import SAMPLE_DATA, appeal_deadline, form_due, hearing_deadline
from tests.helpers import D, host, score

SCHEME = "sichuan.qianwei.aic"


def people() -> list[dict]:
    return [
        {"unit": "H", "name": "股长", "group": "heads"},
        {"unit": "S", "name": "职工", "group": "staff", "evaluator": "H"},
    ]


def sheet(h: tuple = (100,), s: tuple = (100,)) -> list[dict]:
    rows = []
    for uid, scores in (("H", h), ("S", s)):
        rows += [
            {"unit": uid, "indicator": "assessed", "value": v, "period": f"2015-{m:02d}"}
            for m, v in enumerate(scores, start=1)
        ]
    return rows


def run(values=None, events=(), overrides=None):
    data = {"units": people(), "values": values or sheet(), "events": list(events)}
    return score(SCHEME, data, overrides).by_unit()


def ev(unit: str, rule: str, points=None, date_: str = "2015-01-10", count: int = 1) -> dict:
    row = {"unit": unit, "rule": rule, "date": date_, "count": count}
    if points is not None:
        row["points"] = points
    return row


def test_joint_liability_is_half_the_subordinates_deduction():
    # 「连带责任分值=被考核人应扣分值÷2」: S loses 7 → 93; H loses 7 ÷ 2 = 3.5 → 96.5
    got = run(events=[ev("S", "violation_caught", 7)])
    assert got["S"].total == D(93)
    assert got["H"].total == D("96.5")


def test_media_exposure_also_triggers():
    # 「被媒体曝光一次而造成恶劣影响的」: S 100 − 10 = 90; H 100 − 5 = 95
    got = run(events=[ev("S", "media_exposure", 10)])
    assert (got["S"].total, got["H"].total) == (D(90), D(95))


def test_ordinary_deduction_does_not_propagate():
    # only the two named events make the evaluator liable: S's own lower sheet score leaves H at 100
    got = run(values=sheet(s=(70,)))
    assert (got["S"].total, got["H"].total) == (D(70), D(100))


def test_subordinate_already_charged_reading():
    # charge_subordinate = false: the 8 is inside S's sheet score 92; only H's half is added: 100 − 4 = 96
    got = run(
        values=sheet(s=(92,)),
        events=[ev("S", "violation_caught", 8)],
        overrides={"parameters": {"charge_subordinate": False}},
    )
    assert (got["S"].total, got["H"].total) == (D(92), D(96))


@pytest.mark.parametrize(("rule", "each"), [("concealment", 5), ("retaliation", 10), ("dereliction", 20)])
def test_evaluator_penalties(rule, each):
    # 「扣除考核人5分」 / 「扣除考核人10分」 / 「扣除考核人20分」: 100 − each
    assert run(events=[ev("H", rule)])["H"].total == D(100) - each


def test_monthly_floor_at_zero():
    # sheet 30 − 20 − 10 − 5 = −5 → 0 (百分制: a month cannot fall below 0; reading)
    got = run(values=sheet(h=(30,)), events=[ev("H", "dereliction"), ev("H", "retaliation"), ev("H", "concealment")])
    assert got["H"].total == D(0)


def test_year_is_mean_of_months():
    # 「年终累计得分」 read as the mean: H (90 + 85 + 91) / 3 = 88.67 → 良好
    got = run(values=sheet(h=(90, 85, 91), s=(90, 90, 90)))
    assert got["H"].total == D("88.67")
    assert got["H"].grade == "良好"
    assert sum(e.points for e in got["H"].score.trail) == D("88.67")


def test_a_deduction_counts_in_full_in_the_year():
    # 「扣除考核人20分」 (002): the year is the mean of the sheets, and the 20 points are lost in full, not 20 ÷ 2:
    # H sheets 90 and 94 → 92; − 20 (dereliction, January) = 72
    got = run(values=sheet(h=(90, 94), s=(90, 90)), events=[ev("H", "dereliction")])
    assert got["H"].total == D(72)
    assert sum(e.points for e in got["H"].score.trail) == D(72)
    # the "mean" reading averages the penalty too: ((90 − 20) + 94) / 2 = 82
    over = {"parameters": {"period_aggregate": "mean"}}
    assert run(values=sheet(h=(90, 94), s=(90, 90)), events=[ev("H", "dereliction")], overrides=over)["H"].total == D(
        82
    )


def test_joint_liability_counts_every_occurrence():
    # 「被考核人被上级机关查获一次违纪」 twice (count 2) at 6 each: S loses 12, H half of it, 6
    got = run(events=[ev("S", "violation_caught", 6, count=2)])
    assert (got["S"].total, got["H"].total) == (D(88), D(94))


def test_criticism_and_accountability_are_recorded():
    # 「扣除考核人10分,并通报批评」「扣除考核人20分,并按相关规定追究责任」 (002)
    # listed by date: the 打击报复 of 5 January, then the 不履行考核职责 of the 10th
    got = run(events=[ev("H", "retaliation", date_="2015-01-05"), ev("H", "dereliction")])
    assert got["H"].consequences["sanctions"] == ["通报批评", "按相关规定追究责任"]
    assert "sanctions" not in run(events=[ev("H", "concealment")])["H"].consequences


def test_sum_reading_is_available():
    # period_aggregate = "sum": 90 + 85 = 175 (bands then need overriding too)
    got = run(values=sheet(h=(90, 85), s=(90, 90)), overrides={"parameters": {"period_aggregate": "sum"}})
    assert got["H"].total == D(175)


@pytest.mark.parametrize(
    ("score_", "grade"),
    [
        ("100", "优秀"),
        ("90", "优秀"),
        ("89.99", "良好"),
        ("80", "良好"),
        ("79.99", "一般"),
        ("60", "一般"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grade_boundaries(score_, grade):
    # 「90分以上为优秀,89分至80分为良好,79分至60分为一般,59分以下为差」 read half-open
    assert run(values=sheet(h=(score_,)))["H"].grade == grade


def test_unknown_evaluator_is_an_error():
    units = people()
    units[1]["evaluator"] = "X"
    with pytest.raises(InputError, match="evaluator 'X'"):
        score(SCHEME, {"units": units, "values": sheet(), "events": [ev("S", "violation_caught", 4)]})


def test_trigger_without_assessed_amount_is_an_error():
    with pytest.raises(InputError, match="assessed amount"):
        run(events=[ev("S", "violation_caught")])


def test_deadlines():
    scheme = host().scheme(SCHEME)
    # 「于每月25前报县局效能办备案」
    assert form_due(scheme, 2015, 3) == date(2015, 3, 25)
    # 「月考核后三日内」: assessed 3-28 → appeal by 3-31; 「七日内组织听证会」: appeal 3-31 → hearing by 4-7
    assert appeal_deadline(scheme, date(2015, 3, 28)) == date(2015, 3, 31)
    assert hearing_deadline(scheme, date(2015, 3, 31)) == date(2015, 4, 7)


def write_forms(folder, forms: str):
    folder.mkdir(parents=True)
    (folder / "units.csv").write_text("unit,name,group,evaluator\nH,股长,heads,\nS,职工,staff,H\n", encoding="utf-8")
    (folder / "values.csv").write_text(
        "unit,indicator,value,period\nH,assessed,90,2015-01\nS,assessed,80,2015-01\n"
        "H,assessed,92,2015-02\nS,assessed,84,2015-02\n",
        encoding="utf-8",
    )
    if forms:
        (folder / "forms.csv").write_text("单位编码(unit),期间(period),报送日期(filed_on)\n" + forms, encoding="utf-8")
    return folder


def run_forms(tmp_path, forms: str, overrides: dict | None = None):
    test_host = host()
    scheme = test_host.scheme(SCHEME, overrides)
    return run_folder(test_host, scheme, write_forms(tmp_path / "data", forms))


def test_forms_filed_by_the_25th_are_in_time(tmp_path):
    # 「各中层单位应将本单位绩效考核登记表(附后)于每月25前报县局效能办备案」 (002, 篇(1)): the 股 of head H files
    # January's form on 01-25 (the 25th itself, read as in time) and February's on 02-20: no warning; the
    # year is the mean of the sheets, (90 + 92) / 2 = 91, whatever the forms say
    result = run_forms(tmp_path, "H,2015-01,2015-01-25\nH,2015-02,2015-02-20\n")
    assert result.warnings == []
    assert result.by_unit()["H"].total == D("91")


def test_a_late_or_missing_form_is_a_warning_naming_the_row(tmp_path):
    # January's form filed on 01-26, one day after 「于每月25前」; February's never filed. The source sets no
    # deduction: H keeps 91 and the office is told, with the forms.csv row of the late form.
    result = run_forms(tmp_path, "H,2015-01,2015-01-26\n")
    assert result.by_unit()["H"].total == D("91")
    late, missing = result.warnings
    assert "2015-01-26" in late and "2015-01-25" in late and "forms.csv" in late and "row 2" in late
    assert "每月25前" in late
    assert "no registration form for 2015-02" in missing
    # the due day is scheme data: a deployment that sets form_due_day = 26 takes the 01-26 form as in time
    [only] = run_forms(tmp_path / "b", "H,2015-01,2015-01-26\n", {"parameters": {"form_due_day": 26}}).warnings
    assert "2015-02" in only


def test_a_form_with_an_unreadable_date_is_an_error(tmp_path):
    with pytest.raises(InputError, match="filed_on must be a date"):
        run_forms(tmp_path, "H,2015-01,1月26日\nH,2015-02,2015-02-20\n")


def test_data_without_a_forms_table_is_not_checked(tmp_path):
    assert run_forms(tmp_path, "").warnings == []


def test_the_hearing_is_due_seven_days_after_each_appeal():
    # 「考核监督小组办公室应当在七日内组织听证会」: a window counted from the appeal; published 2015-03-28, an
    # appeal on 03-30 → hearing by 04-06
    scheme = host().scheme(SCHEME)
    appeal, hearing = host().procedure_windows(scheme, date(2015, 3, 28))
    assert (appeal.kind, appeal.closes) == ("appeal", date(2015, 3, 31))
    assert (hearing.kind, hearing.days, hearing.parameter) == ("hearing", 7, "hearing_days")
    assert hearing.moved_to(date(2015, 3, 30)).closes == date(2015, 4, 6)


def test_sample_run_matches_hand_computation():
    result = score(SCHEME, SAMPLE_DATA).by_unit()
    with (SAMPLE_DATA / "expected.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    assert len(expected) == len(result) == 7
    for row in expected:
        got = result[row["unit"]]
        assert got.total == Decimal(row["total"]), row["unit"]
        assert (got.rank, got.grade) == (int(row["rank"]), row["grade"]), row["unit"]
    # 「并通报批评」 for H2's 打击报复, 「追究责任」 for H1's 不履行考核职责
    assert result["H2"].consequences["sanctions"] == ["通报批评"]
    assert result["H1"].consequences["sanctions"] == ["按相关规定追究责任"]
