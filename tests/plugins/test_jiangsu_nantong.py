"""Tests for 南通市机关绩效评估 (seed 000_9aaf459fe1a17da7.txt).

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment.
"""

from __future__ import annotations

import pytest

from kaoping.core.errors import InputError
from kaoping.plugins.jiangsu_nantong import SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "jiangsu.nantong"
HALF = {"indicators": [{"id": "review", "channels": {"市领导评鉴": "50%", "社会评议": "50%"}}]}


def unit_data(uid: str, group: str, daily: str, func: str, common: str, lead: str, social: str) -> dict:
    return {
        "units": [{"unit": uid, "name": f"部门{uid}", "group": group}],
        "values": [
            {"unit": uid, "indicator": "daily", "value": daily},
            {"unit": uid, "indicator": "functional", "value": func},
            {"unit": uid, "indicator": "common", "value": common},
            {"unit": uid, "indicator": "review", "value": lead, "item": "市领导评鉴"},
            {"unit": uid, "indicator": "review", "value": social, "item": "社会评议"},
        ],
    }


def test_channels_and_target_weights() -> None:
    r = score(SCHEME, unit_data("A", "economic", "100", "100", "100", "100", "100"), HALF).by_unit()["A"]
    # 「15%、55%和30%」, 「職能目標占70%,共性目標占30%」: 15 + 55×0.7 + 55×0.3 + 30 = 100
    assert r.parts == {"daily": D("15.00"), "concentrated": D("55.00"), "review": D("30.00")}
    r = score(SCHEME, unit_data("B", "economic", "80", "90", "60", "80", "60"), HALF).by_unit()["B"]
    # 80×0.15 = 12; 90×0.385 = 34.65; 60×0.165 = 9.9; 30 × (0.5×80 + 0.5×60)/100 = 21 → 77.55
    assert r.total == D("77.55")


def test_review_split_is_required() -> None:
    # 「社會評議由2000名左右的社會各界代表」: the leader/social split is not stated
    with pytest.raises(InputError, match="has not set channels"):
        score(SCHEME, unit_data("A", "economic", "80", "80", "80", "80", "80"))


def test_veto_bars_best_and_advanced() -> None:
    data = unit_data("A", "economic", "99", "99", "99", "99", "99")
    data["vetoes"] = [{"unit": "A", "area": "xinfang", "source": "市信访局"}]
    r = score(SCHEME, data, HALF).by_unit()["A"]
    # 「不得評為先進和最佳」: the veto is a disqualify over 最佳/先进
    assert r.vetoes[0].grades == ("最佳", "先进")
    assert r.grade == "达标"


def test_sample() -> None:
    res = score(SCHEME, SAMPLE_DATA, HALF).by_unit()
    # N01: 90×0.15=13.5; 95×0.385=36.575→36.58; 85×0.165=14.025→14.03; 30×(92+80)/2/100=25.8 → 89.91
    # N02: 12.9; 88×0.385=33.88; 82×0.165=13.53; 30×85.5/100=25.65 → 85.96
    # N03: 12; 82×0.385=31.57; 90×0.165=14.85; 30×75/100=22.5 → 80.92
    # N04: 14.25; 90×0.385=34.65; 88×0.165=14.52; 30×90/100=27 → 90.42
    # ranks within the four 类 (N01, N02 both 经济管理: N01 1st, N02 2nd)
    expected = {"N01": ("89.91", 1), "N02": ("85.96", 2), "N03": ("80.92", 1), "N04": ("90.42", 1)}
    for uid, (total, rank) in expected.items():
        assert (res[uid].total, res[uid].rank) == (D(total), rank), uid
