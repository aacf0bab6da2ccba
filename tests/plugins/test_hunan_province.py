"""Tests for 湖南省8件实事考核 (seed 000_9aaf459fe1a17da7.txt): the all-or-nothing conjunction.

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment.
"""

from __future__ import annotations

import pytest

from kaoping.core.errors import InputError
from kaoping.plugins.hunan_province import SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "hunan.province"


def unit(uid: str) -> dict:
    return {"unit": uid, "name": f"单位{uid}", "group": "units"}


def rows(uid: str, flags: list[int]) -> list[dict]:
    return [{"unit": uid, "indicator": "task", "value": str(f), "item": f"指标{i}"} for i, f in enumerate(flags)]


def test_all_met_is_pass() -> None:
    r = score(SCHEME, {"units": [unit("A")], "values": rows("A", [1, 1, 1])}).by_unit()["A"]
    # 「所有考核指標任務全部完成的」 (000_9aaf459fe1a17da7.txt): 100 × (1+1+1)/3 = 100, 达标
    assert r.total == D("100.00")
    assert r.grade == "达标"
    assert r.consequences["leader_rating"].startswith("主要领导可评为优秀")


def test_one_failure_fails_the_unit_even_when_leading_others() -> None:
    data = {"units": [unit("A"), unit("B")], "values": rows("A", [1, 1, 1, 0]) + rows("B", [1, 0, 0, 0])}
    res = score(SCHEME, data).by_unit()
    # 「有一項不達標的」 (000_9aaf459fe1a17da7.txt): A 100 × 3/4 = 75 but one failure → 不达标
    assert res["A"].total == D("75.00")
    assert res["A"].grade == "不达标"
    assert res["A"].consequences["team_excellent_ratio"] == "10%"  # 「優(yōu)秀指標比例不得超過10%」
    # B 100 × 1/4 = 25, 不达标
    assert res["B"].total == D("25.00")
    assert res["B"].grade == "不达标"


def test_value_other_than_flag_is_an_error() -> None:
    with pytest.raises(InputError, match="must be 1"):
        score(SCHEME, {"units": [unit("A")], "values": rows("A", [1, 2])})


def test_sample() -> None:
    res = score(SCHEME, SAMPLE_DATA).by_unit()
    # CS and XT meet all 4 indicators: 100, 达标; ZZ fails 农村饮水安全: 100 × 3/4 = 75, 不达标
    assert (res["CS"].total, res["CS"].grade) == (D("100.00"), "达标")
    assert (res["XT"].total, res["XT"].grade) == (D("100.00"), "达标")
    assert (res["ZZ"].total, res["ZZ"].grade) == (D("75.00"), "不达标")
    assert "农村饮水安全" in res["ZZ"].vetoes[0].note
