"""Golden tests for 湖北省机关档案工作目标管理等级考评办法 (seed 001_afe211f9c574c74e.txt, 第四篇).

Each expected level is worked out by hand from the quoted rule; the reasoning is in the comment.
"""

from __future__ import annotations

import csv

import pytest

from kaoping.core.errors import MissingParameterError
from kaoping.plugins.hubei_province_archives import SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "hubei.province.archives"
YEAR = {"parameters": {"evaluation_year": 2012}}


def run(
    score_value: str | None = None,
    history: list[tuple[int, str]] = (),
    review: int | None = None,
    vetoes: tuple[str, ...] = (),
    overrides: dict | None = None,
):
    values = []
    if score_value is not None:
        values.append({"unit": "A", "indicator": "score", "value": score_value})
    if review is not None:
        values.append({"unit": "A", "indicator": "special_review", "value": str(review)})
    records = {
        "units": [{"unit": "A", "name": "单位A", "group": "organs"}],
        "values": values,
        "history": [{"unit": "A", "year": y, "grade": g} for y, g in history],
        "vetoes": [{"unit": "A", "area": a} for a in vetoes],
    }
    return score(SCHEME, records, overrides or YEAR).by_unit()["A"]


@pytest.mark.parametrize(
    ("value", "grade"),
    [("79.99", "未定级"), ("80", "省二级"), ("89.99", "省二级")],
)
def test_second_level_pass_line(value, grade):
    # 「省二级达标分数线为80分」 (001), read ≥ 80 (ambiguity 3); a new applicant starts at 省二级
    assert run(value).grade == grade


@pytest.mark.parametrize(("value", "grade"), [("89.99", "省二级"), ("90", "省一级")])
def test_first_level_pass_line(value, grade):
    # 「省一级达标分数线为90分」 (001): holder of 省二级 (2010), 2012 − 2010 ≥ 1 → 90 reaches 省一级, 89.99 keeps 省二级
    assert run(value, [(2010, "省二级")]).grade == grade


def test_one_level_at_a_time():
    # 「逐级晋升」 (001): no level yet, 100 points → only 省二级
    r = run("100")
    assert (r.total, r.grade, r.grade_reason) == (D(100), "省二级", "晋升省二级")


def test_wait_one_year_after_certificate():
    # 「取得省二级、省一级等级证书一年后」 (001): 省二级 2011, evaluated 2012: 2012 − 2011 = 1 ≥ 1 → 95 gives 省一级
    assert run("95", [(2011, "省二级")]).grade == "省一级"
    # wait_years = 2: 1 < 2 → may not apply; keeps 省二级 (valid until 2014)
    r = run("95", [(2011, "省二级")], overrides={"parameters": {"evaluation_year": 2012, "wait_years": 2}})
    assert (r.grade, r.grade_reason) == ("省二级", "保持省二级(有效期至2014年)")


def test_special_level_by_review_only_for_first_level_holders():
    # 「在机关档案工作达到并保持省一级水平的基础上」: 省一级 (2010) + review passed → 省特级
    assert run(None, [(2010, "省一级")], review=1).grade == "省特级"
    # 省二级 holder with a passed review: next step is 省一级, which needs the score; 70 → keeps 省二级
    assert run("70", [(2010, "省二级")], review=1).grade == "省二级"
    # review not passed → keeps 省一级 (valid until 2013)
    r = run("99", [(2010, "省一级")], review=0)
    assert (r.grade, r.grade_reason) == ("省一级", "保持省一级(有效期至2013年)")


def test_reexamination_in_expiry_year():
    # 「有效期为三年」「应在有效期满的当年提出复查申请」: 省二级 2009 → expiry 2012; 81 ≥ 80 → renewed
    r = run("81", [(2009, "省二级")])
    assert (r.grade, r.grade_reason) == ("省二级", "复查合格,保持省二级")
    # 79 < 80 in the re-examination → not renewed
    assert run("79", [(2009, "省二级")]).grade == "未定级"


def test_lapse_without_reexamination():
    # 「到期未申请复查的,等级资格自动失效」: 省一级 2008 → expiry 2011 < 2012, no score → 未定级 (not 省二级)
    r = run(None, [(2008, "省一级")])
    assert r.grade == "未定级"
    assert "自动失效" in r.grade_reason


def test_after_lapse_start_again_at_second_level():
    # lapsed 省一级 (2008); 95 in 2012 → first step 省二级
    assert run("95", [(2008, "省一级")]).grade == "省二级"


def test_prerequisite_blocks_promotion_and_renewal():
    # 「申报必备条件如下」 (001): conditions to apply. 「机关两年内没有发生档案丢失、被盗…」 not met → 92 gives nothing
    r = run("92", vetoes=("security",))
    assert (r.grade, r.grade_reason) == ("未定级", "申报条件未达(security)")
    # in the re-examination year (2009 + 3 = 2012) the unit may not apply for 复查 either
    # (「复查程序及内容与晋升考评相同」): the level lapses
    assert run("92", [(2009, "省二级")], vetoes=("registration",)).grade == "未定级"


def test_prerequisite_does_not_take_a_valid_level_away():
    # 「申报必备条件」 are conditions to apply, not to hold a level: 省二级 (2011) is valid until 2014; in 2012 a
    # unit failing 「机关电子文件管理规范安全」 cannot apply for 省一级 (92 ≥ 90) but keeps 省二级
    r = run("92", [(2011, "省二级")], vetoes=("electronic",))
    assert (r.grade, r.grade_reason) == ("省二级", "申报条件未达(electronic),不得申报; 保持省二级(有效期至2014年)")


def test_a_later_year_without_a_level_ends_the_certificate():
    # 「到期未申请复查的,等级资格自动失效」: 省二级 (2010), then 未定级 in 2011: no level is held in 2012, so
    # 93 gives the first step 省二级 (逐级晋升), not 省一级 as if the 2010 certificate still held
    r = run("93", [(2010, "省二级"), (2011, "未定级")])
    assert (r.grade, r.grade_reason) == ("省二级", "晋升省二级")


def test_consequences_follow_final_level():
    # 「经考评达到省特级、省一级(含复查)的机关…可以享受档案达标先进单位奖励政策」
    assert "reward" in run("95", [(2010, "省二级")]).consequences
    assert "reward" not in run("95").consequences  # 逐级: only 省二级


def test_missing_evaluation_year():
    with pytest.raises(MissingParameterError, match="parameter evaluation_year is required"):
        run("85", overrides={"parameters": {"wait_years": 1}})


def test_sample_run_matches_hand_computed_expected():
    with (SAMPLE_DATA / "expected.csv").open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    result = score(SCHEME, SAMPLE_DATA, YEAR).by_unit()
    assert len(result) == len(expected)
    for row in expected:
        got = result[row["unit"]]
        assert got.total == D(row["total"]), row["calculation"]
        assert (got.grade, got.grade_reason) == (row["grade"], row["grade_reason"]), row["calculation"]
