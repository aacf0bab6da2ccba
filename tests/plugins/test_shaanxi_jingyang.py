"""Tests for 泾阳县目标管理绩效评估 (seed 000_9aaf459fe1a17da7.txt).

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment.
"""

from __future__ import annotations

import pytest

from kaoping.core.errors import InputError
from kaoping.plugins.shaanxi_jingyang import SAMPLE_DATA, SCHEME_FILE
from tests.helpers import D, score

SCHEME = "shaanxi.jingyang"
PRIZES = {
    "grading": {
        "quotas": [
            {"id": "first", "counts": {"township": 1, "gov_economic": 1}},
            {"id": "second", "counts": {"township": 1}},
        ]
    }
}


def data(econ: dict[str, str], party: str = "50") -> dict:
    return {
        "units": [{"unit": u, "name": f"乡镇{u}", "group": "township"} for u in econ],
        "values": [{"unit": u, "indicator": "economic", "value": v} for u, v in econ.items()]
        + [{"unit": u, "indicator": "party", "value": party} for u in econ],
    }


def test_base_split() -> None:
    text = SCHEME_FILE.read_text(encoding="utf-8")
    assert "points = 140" in text and "points = 60" in text  # 200 × 70% = 140, 200 × 30% = 60
    r = score(SCHEME, data({"A": "130"}, "55"), PRIZES).by_unit()["A"]
    # 「目標基分統(tǒng)一確定為200分」: 130 + 55 = 185
    assert r.total == D("185.00")
    # the only township takes the one 一等奖 place: 「一等獎的單位,考核優(yōu)秀比例可達到」 18%
    assert (r.grade, r.consequences["staff_excellent_ratio"]) == ("一等奖", D("0.18"))


def test_base_reduction_requires_its_cap() -> None:
    d = data({"A": "130"})
    d["events"] = [{"unit": "A", "rule": "base_reduction", "points": "6"}]
    with pytest.raises(InputError, match="has not set max"):
        score(SCHEME, d, PRIZES)
    r = score(SCHEME, d, {**PRIZES, "rules": [{"id": "base_reduction", "max": 10}]}).by_unit()["A"]
    # 「適量扣減目標基分」: 130 + 50 − 6 = 174
    assert r.total == D("174.00")


def test_veto_cancels_prize_of_leader() -> None:
    d = data({"A": "139", "B": "120"})
    d["vetoes"] = [{"unit": "A", "area": "anquan", "source": "县安监局"}]
    res = score(SCHEME, d, PRIZES).by_unit()
    # 「當年目標管理責任制考核的評優(yōu)獲獎資格」: A (189) leads but loses the prize; the place passes to B
    assert res["A"].grade == "未获奖"
    assert res["B"].grade == "一等奖"
    assert res["B"].consequences["staff_excellent_ratio"] == D("0.18")  # 「一等獎的單位,考核優(yōu)秀比例可達到」 18%
    assert res["A"].consequences["staff_excellent_ratio"] == D("0.10")  # 「不得超過10%」


def test_prize_counts_are_required() -> None:
    with pytest.raises(InputError, match="set grading.quotas first/second/third counts"):
        score(SCHEME, data({"A": "130"}))


def test_sample() -> None:
    res = score(SCHEME, SAMPLE_DATA, PRIZES).by_unit()
    # T01 130+55=185 (vetoed: 计生), T02 128.5+57=185.5, T03 120+50=170; B01 132+54=186, B02 125+58=183
    # township: 一等奖 1 → T02; 二等奖 1 → T01 is vetoed, passes to T03; gov_economic: 一等奖 1 → B01
    expected = {
        "T02": ("185.50", 1, "一等奖"),
        "T01": ("185.00", 2, "未获奖"),
        "T03": ("170.00", 3, "二等奖"),
        "B01": ("186.00", 1, "一等奖"),
        "B02": ("183.00", 2, "未获奖"),
    }
    for uid, (total, rank, grade) in expected.items():
        assert (res[uid].total, res[uid].rank, res[uid].grade) == (D(total), rank, grade), uid
