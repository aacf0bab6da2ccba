"""Tests for 杨浦区机关部门工作目标管理绩效评估 (seed 000_9aaf459fe1a17da7.txt).

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment.
"""

from __future__ import annotations

import pytest

from kaoping.core.errors import InputError
from kaoping.plugins.shanghai_yangpu import SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "shanghai.yangpu"


def dept(uid: str, peer: str, public: str, functional: str, leader: str) -> tuple[dict, list[dict]]:
    u = {"unit": uid, "name": f"部门{uid}", "group": "departments"}
    vals = [
        {"unit": uid, "indicator": "peer_rating", "value": peer},
        {"unit": uid, "indicator": "public_rating", "value": public},
        {"unit": uid, "indicator": "functional_rating", "value": functional},
        {"unit": uid, "indicator": "leader_rating", "value": leader},
    ]
    return u, vals


def build(specs: list[tuple[str, str, str, str, str]], **extra: list[dict]) -> dict:
    units, values = [], []
    for s in specs:
        u, v = dept(*s)
        units.append(u)
        values += v
    return {"units": units, "values": values, **extra}


def test_channel_weights() -> None:
    r = score(SCHEME, build([("A", "80", "90", "70", "60")])).by_unit()["A"]
    # 「占10%」「占30%」×3 (000_9aaf459fe1a17da7.txt): 80×0.1 + 90×0.3 + 70×0.3 + 60×0.3 = 8+27+21+18 = 74
    assert r.total == D("74.00")
    assert r.parts == {
        "peer": D("8.00"),
        "public": D("27.00"),
        "functional": D("21.00"),
        "leader": D("18.00"),
        "adjust": D("0"),
    }


def test_quota_30_percent_floor_with_uneven_group() -> None:
    specs = [(u, s, s, s, s) for u, s in zip("ABCDEFG", ["99", "98", "97", "96", "95", "94", "93"], strict=True)]
    res = score(SCHEME, build(specs)).by_unit()
    # 「控制在部門總數(shù)的30%以內(nèi)」: 7 × 30% = 2.1 → floor 2: A, B 优; C..G 良
    assert [res[u].grade for u in "ABCDEFG"] == ["优", "优", "良", "良", "良", "良", "良"]
    # 「平均高出30%」 / 良 = 1.00
    assert res["A"].consequences["bonus_factor"] == D("1.30")
    assert res["C"].consequences["bonus_factor"] == D("1.00")


def test_quota_tie_at_last_place_excludes() -> None:
    specs = [(u, s, s, s, s) for u, s in zip("ABCDEFGHIJ", ["99", "98", "97", "97"] + ["90"] * 6, strict=True)]
    res = score(SCHEME, build(specs)).by_unit()
    # 10 × 30% = 3 places; C and D tie at place 3; on_tie = exclude → only A, B 优 (never exceed 30%)
    assert [res[u].grade for u in "ABCD"] == ["优", "优", "良", "良"]


def test_veto_on_leader_and_promotion() -> None:
    specs = [(u, s, s, s, s) for u, s in zip("ABCD", ["99", "90", "80", "70"], strict=True)]
    data = build(specs, vetoes=[{"unit": "A", "area": "veto"}, {"unit": "D", "area": "promote"}])
    res = score(SCHEME, data).by_unit()
    # 「一票為優(yōu)/否決」: A would lead with 99 but is forced to 一般 (bonus 「低30%」 → 0.70);
    # D is promoted to 优 outside the quota; quota 4 × 30% = 1.2 → 1 place passes to B
    assert (res["A"].total, res["A"].grade) == (D("99.00"), "一般")
    assert res["A"].consequences["bonus_factor"] == D("0.70")
    assert res["B"].grade == "优"
    assert res["C"].grade == "良"
    assert res["D"].grade == "优"


def test_bonus_rule_needs_its_cap() -> None:
    data = build([("A", "80", "80", "80", "80")], events=[{"unit": "A", "rule": "bonus", "points": "2"}])
    with pytest.raises(InputError, match="has not set max"):
        score(SCHEME, data)
    r = score(SCHEME, data, {"rules": [{"id": "bonus", "max": 5}]}).by_unit()["A"]
    # 「設置了加、扣分項目」: 80×(0.1+0.3+0.3+0.3) + 2 = 82
    assert r.total == D("82.00")


def test_sample() -> None:
    res = score(SCHEME, SAMPLE_DATA).by_unit()
    # D03: 92×0.1 + 90×0.3 + 90×0.3 + 95×0.3 = 9.2+27+27+28.5 = 91.7
    # D01: 90×0.1 + 88×0.3 + 92×0.3 + 95×0.3 = 9+26.4+27.6+28.5 = 91.5 (vetoed → 一般)
    # D06: 8.8+25.8+26.4+25.5 = 86.5; D04: 8+25.5+25.2+25.5 = 84.2; D07: 8.4+24.6+25.5+25.5 = 84.0
    # D02: 8.5+24+25.8+25.5 = 83.8; D05: 7.8+22.5+24+21 = 75.3
    # quota floor(7 × 30%) = 2: D03 and, D01 being vetoed, D06
    expected = {
        "D03": ("91.70", 1, "优"),
        "D01": ("91.50", 2, "一般"),
        "D06": ("86.50", 3, "优"),
        "D04": ("84.20", 4, "良"),
        "D07": ("84.00", 5, "良"),
        "D02": ("83.80", 6, "良"),
        "D05": ("75.30", 7, "良"),
    }
    for uid, (total, rank, grade) in expected.items():
        assert (res[uid].total, res[uid].rank, res[uid].grade) == (D(total), rank, grade), uid
