"""Tests for 辽宁省对各市政府绩效评估 (seed 000_9aaf459fe1a17da7.txt).

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment.
"""

from __future__ import annotations

import pytest

from kaoping.core.errors import MissingParameterError
from kaoping.plugins.liaoning_province import SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "liaoning.province"
WEIGHTS = {
    "indicators": [{"id": "growth", "points": 50, "cap": "1.2"}, {"id": "plan", "points": 50, "cap": 1}],
    "rules": [{"id": "adjust_bonus", "max": 5}, {"id": "adjust_deduction", "max": 5}],
}


def city(uid: str, growth: str, last_year: str, actual: str, plan: str) -> tuple[dict, list[dict]]:
    return (
        {"unit": uid, "name": f"{uid}市", "group": "cities"},
        [
            {"unit": uid, "indicator": "growth", "value": growth, "target": last_year},
            {"unit": uid, "indicator": "plan", "value": actual, "target": plan},
        ],
    )


def build(specs: list[tuple[str, str, str, str, str]], events: list[dict] | None = None) -> dict:
    units, values = [], []
    for s in specs:
        u, v = city(*s)
        units.append(u)
        values += v
    return {"units": units, "values": values, "events": events or []}


def test_tier_weights_are_required() -> None:
    # 「分別確定不同的基礎分權重」: no tier weight stated
    with pytest.raises(MissingParameterError, match="base weight of its tier"):
        score(SCHEME, build([("A", "110", "100", "90", "100")]))


def test_classes() -> None:
    events = [
        {"unit": "A", "rule": "adjust_bonus", "points": "3"},
        {"unit": "A", "rule": "adjust_deduction", "points": "1"},
    ]
    r = score(SCHEME, build([("A", "110", "100", "90", "100")], events), WEIGHTS).by_unit()["A"]
    # 第一类 「與上年同期」: 50 × 110/100 = 55; 第二类 「與報告期計劃數(shù)相比較」: 50 × 90/100 = 45;
    # 第三类 「加分和減分」: +3 − 1 → 55 + 45 + 3 − 1 = 102
    assert r.total == D("102.00")


def test_growth_cap_reached_and_exceeded() -> None:
    res = score(
        SCHEME, build([("A", "120", "100", "100", "100"), ("B", "130", "100", "100", "100")]), WEIGHTS
    ).by_unit()
    # cap 1.2 (deployment's reading): A 50 × 1.2 = 60; B 50 × min(1.3, 1.2) = 60; + 50 each
    assert res["A"].total == D("110.00")
    assert res["B"].total == D("110.00")


def test_top_three_with_tie_at_third() -> None:
    specs = [
        ("A", "115", "100", "100", "100"),
        ("B", "110", "100", "100", "100"),
        ("C", "105", "100", "100", "100"),
        ("D", "105", "100", "100", "100"),
        ("E", "100", "100", "100", "100"),
    ]
    res = score(SCHEME, build(specs), WEIGHTS).by_unit()
    # 「總分列前三位」: 107.5, 105, 102.5, 102.5, 100 → C and D tie at place 3; on_tie = include
    assert [res[u].grade for u in "ABCDE"] == ["综合奖", "综合奖", "综合奖", "综合奖", "未获综合奖"]


def test_sample() -> None:
    res = score(SCHEME, SAMPLE_DATA, WEIGHTS).by_unit()
    # DL 50×1.15 + 50×1 = 107.5; FS 50×1.04 + 50×0.98 + 3 = 104; SY 50×1.12 + 50×0.95 = 103.5;
    # AS 50×1.08 + 50×0.9 = 99; BX 50×1.1 + 50×0.8 = 95 → top three DL, FS, SY get 综合奖
    expected = {
        "DL": ("107.50", 1, "综合奖"),
        "FS": ("104.00", 2, "综合奖"),
        "SY": ("103.50", 3, "综合奖"),
        "AS": ("99.00", 4, "未获综合奖"),
        "BX": ("95.00", 5, "未获综合奖"),
    }
    for uid, (total, rank, grade) in expected.items():
        assert (res[uid].total, res[uid].rank, res[uid].grade) == (D(total), rank, grade), uid
