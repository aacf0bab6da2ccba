"""Tests for 杨浦区机关部门工作目标管理绩效评估 (seed 000_9aaf459fe1a17da7.txt).

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment. The
source gives no grade → score conversion, no weights of the three satisfaction surveys, no bound of a
加/扣分 item and no cut-off for 一般: DEPLOYMENT holds test values a deployment would set, not the scheme's.
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from kaoping.core.errors import InputError, MissingParameterError
from kaoping.plugins.shanghai_yangpu import SAMPLE_DATA
from tests.helpers import D, score

SCHEME = "shanghai.yangpu"
SURVEYS = ("服务对象满意度", "实事项目和重点工作满意度", "网上建议办理满意度")
DEPLOYMENT = {
    "indicators": [
        {"id": "peer_rating", "levels": {"优": 1, "良": "0.8", "一般": "0.6"}},
        {"id": "public_rating", "channels": {SURVEYS[0]: "40%", SURVEYS[1]: "30%", SURVEYS[2]: "30%"}},
        {"id": "leader_rating", "levels": {"优": "0.95", "良": "0.85", "一般": "0.7"}},
    ],
    "rules": [{"id": "bonus", "max": 5}, {"id": "deduction", "max": 5}],
    "grading": {"bands": [{"id": "ordinary", "grade": "一般", "below": 80}]},
}


def dept(uid: str, votes=(40, 0, 0), surveys=(100, 100, 100), awarded=(30, 40, 30), leader="优") -> tuple[dict, list]:
    """One department: peer votes 优/良/一般, three satisfaction rates, standards of weight 30/40/30, a leader grade."""
    rows = [
        {"unit": uid, "indicator": "peer_rating", "item": g, "value": str(v)}
        for g, v in zip(("优", "良", "一般"), votes, strict=True)
    ]
    rows += [
        {"unit": uid, "indicator": "public_rating", "item": s, "value": str(v)}
        for s, v in zip(SURVEYS, surveys, strict=True)
    ]
    rows += [
        {"unit": uid, "indicator": "functional_rating", "item": f"标准{i}", "value": str(a), "target": str(t)}
        for i, (a, t) in enumerate(zip(awarded, (30, 40, 30), strict=True))
    ]
    rows.append({"unit": uid, "indicator": "leader_rating", "item": leader, "value": "1"})
    return {"unit": uid, "name": f"部门{uid}", "group": "departments"}, rows


def build(*depts: tuple[dict, list], **extra: list[dict]) -> dict:
    return {"units": [d[0] for d in depts], "values": [r for d in depts for r in d[1]], **extra}


def flat(uid: str, rate: int | str) -> tuple[dict, list]:
    """A department with all peer votes 良 (10 × 0.8 = 8), leader 良 (30 × 0.85 = 25.5) and public and
    functional channels both at ``rate`` %: total = 8 + 25.5 + 0.3 × rate + 0.3 × rate = 33.5 + 0.6 × rate."""
    s = Decimal(rate)
    return dept(uid, votes=(0, 40, 0), surveys=(s, s, s), awarded=(s * 3 / 10, s * 4 / 10, s * 3 / 10), leader="良")


def test_four_channels_weighted_10_30_30_30() -> None:
    data = build(dept("A", votes=(10, 20, 10), surveys=(90, 80, 70), awarded=(24, 30, 21), leader="良"))
    r = score(SCHEME, data, DEPLOYMENT).by_unit()["A"]
    # 「占10%」 peer: 10 × (10×1 + 20×0.8 + 10×0.6)/40 = 10 × 32/40 = 8
    # 「占30%」 public (三个满意度): 30 × (0.4×90 + 0.3×80 + 0.3×70)/100 = 30 × 81/100 = 24.3
    # 「占30%」 functional (「設定相應權重」): 30 × (24+30+21)/(30+40+30) = 30 × 0.75 = 22.5
    # 「占30%」 leader (「提出等次意見」 良): 30 × 0.85 = 25.5 → total 80.3
    assert r.parts == {
        "peer": D("8.00"),
        "public": D("24.30"),
        "functional": D("22.50"),
        "leader": D("25.50"),
        "adjust": D("0"),
    }
    assert r.total == D("80.30")


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"indicators": [{"id": "peer_rating", "levels": None}]}, "levels"),
        ({"indicators": [{"id": "public_rating", "channels": None}]}, "channels"),
        ({"indicators": [{"id": "leader_rating", "levels": None}]}, "levels"),
    ],
)
def test_conversions_and_weights_are_required(change: dict, missing: str) -> None:
    # 「按照評估的等次…互評」, 「三個滿意度」, 「提出等次意見」: no conversion or weight is stated
    indicators = [i for i in DEPLOYMENT["indicators"] if i["id"] != change["indicators"][0]["id"]]
    with pytest.raises(InputError, match=f"has not set {missing}"):
        score(SCHEME, build(flat("A", 90)), {**DEPLOYMENT, "indicators": indicators})


def test_cut_off_for_ordinary_is_required() -> None:
    # 「從高分到低分,確定部門績效評估的等次」: no cut-off for 一般 is stated → clear error, not "nobody is 一般"
    without_band = {k: v for k, v in DEPLOYMENT.items() if k != "grading"}
    with pytest.raises(MissingParameterError, match="no grade cut-offs.*band or quota.*for 一般"):
        score(SCHEME, build(flat("A", 90)), without_band)


def test_ordinary_band_boundary() -> None:
    data = build(flat("A", "77.5"), flat("B", "77.45"), flat("C", 99), flat("D", 98))
    res = score(SCHEME, data, DEPLOYMENT).by_unit()
    # band 一般 below 80 (test deployment): A 33.5 + 0.6 × 77.5 = 80.00 exactly stays 良;
    # B: each channel is rounded half up at 0.01 when entered: 30 × 77.45/100 = 23.235 → 23.24 (public and
    # functional alike), so 8 + 25.5 + 23.24 + 23.24 = 79.98 → 一般
    assert (res["A"].total, res["A"].grade) == (D("80.00"), "良")
    assert (res["B"].total, res["B"].grade) == (D("79.98"), "一般")
    # 4 × 30% = 1.2 → floor 1 优: C
    assert [res[u].grade for u in "CD"] == ["优", "良"]


def test_quota_30_percent_floor_with_uneven_group() -> None:
    res = score(SCHEME, build(*(flat(u, s) for u, s in zip("ABCDEFG", range(99, 92, -1), strict=True))), DEPLOYMENT)
    grades = {u.unit: u.grade for u in res.units}
    # 「控制在部門總數(shù)的30%以內(nèi)」: 7 × 30% = 2.1 → floor 2 (never above 30%): A, B 优; C..G 良
    assert [grades[u] for u in "ABCDEFG"] == ["优", "优", "良", "良", "良", "良", "良"]
    by_unit = res.by_unit()
    # 「平均高出30%」 / 良 1.00 / 「比“良”的部門低30%」
    assert by_unit["A"].consequences["bonus_factor"] == D("1.30")
    assert by_unit["C"].consequences["bonus_factor"] == D("1.00")
    # 「二是體現(xiàn)在領導干部年度考核等次上,同時作為干部晉升、提拔的重要依據(jù)」 (000): every grade is used so
    for unit in "AC":
        assert by_unit[unit].consequences["cadre_use"] == [
            "体现在领导干部年度考核等次上",
            "作为干部晋升、提拔的重要依据",
        ]


def test_quota_tie_at_last_place_excludes() -> None:
    scores = [99, 98, 97, 97, 90, 90, 90, 90, 90, 90]
    res = score(SCHEME, build(*(flat(u, s) for u, s in zip("ABCDEFGHIJ", scores, strict=True))), DEPLOYMENT)
    grades = {u.unit: u.grade for u in res.units}
    # 10 × 30% = 3 places; C and D tie at 97 for place 3; on_tie = exclude → only A, B 优 (never exceed 30%)
    assert [grades[u] for u in "ABCD"] == ["优", "优", "良", "良"]


def test_veto_on_leader_and_promotion_outside_quota() -> None:
    data = build(flat("A", 99), flat("B", 90), flat("C", 85), flat("D", 81))
    data["vetoes"] = [{"unit": "A", "area": "veto"}, {"unit": "D", "area": "promote"}]
    res = score(SCHEME, data, DEPLOYMENT).by_unit()
    # 「一票為優(yōu)/否決」: A would lead with 33.5 + 0.6 × 99 = 92.9 but is forced to 一般 (bonus 「低30%」 → 0.70);
    # the one quota place (4 × 30% = 1.2 → 1) passes to B; D is promoted to 优 outside the quota
    assert (res["A"].total, res["A"].rank, res["A"].grade) == (D("92.90"), 1, "一般")
    assert res["A"].consequences["bonus_factor"] == D("0.70")
    assert res["B"].grade == "优"
    assert res["C"].grade == "良"
    assert res["D"].grade == "优"


def test_bonus_and_deduction_items_are_office_assessed_within_a_required_bound() -> None:
    events = [{"unit": "A", "rule": "bonus", "points": "2"}, {"unit": "A", "rule": "deduction", "points": "0.5"}]
    data = build(flat("A", 80), events=events)
    rules_unset = {**DEPLOYMENT, "rules": []}
    with pytest.raises(InputError, match="has not set max"):
        score(SCHEME, data, rules_unset)
    r = score(SCHEME, data, DEPLOYMENT).by_unit()["A"]
    # 「設置了加、扣分項目」: 33.5 + 0.6 × 80 = 81.5; + 2 − 0.5 = 83
    assert r.parts["adjust"] == D("1.50")
    assert r.total == D("83.00")
    # a case at the bound is accepted (5: 81.5 + 5 = 86.5), above it (5.5) is an input error
    at_max = score(SCHEME, build(flat("A", 80), events=[{"unit": "A", "rule": "bonus", "points": "5"}]), DEPLOYMENT)
    assert at_max.by_unit()["A"].total == D("86.50")
    with pytest.raises(InputError, match="allows 0 to 5"):
        score(SCHEME, build(flat("A", 80), events=[{"unit": "A", "rule": "bonus", "points": "5.5"}]), DEPLOYMENT)


def test_sample() -> None:
    overrides = DEPLOYMENT  # the same numbers as sample/overrides.toml
    res = score(SCHEME, SAMPLE_DATA, overrides).by_unit()
    # D03: 10×(32+8×0.8)/40 = 9.6; 30×(0.4×92+0.3×90+0.3×88)/100 = 27.06; 30×94/100 = 28.2; 30×0.95 = 28.5 → 93.36
    # D01: 9.5 + 26.46 + 27.9 + 28.5 = 92.36, vetoed → 一般
    # D06: 10×(24+14×0.8+2×0.6)/40 = 9.1; 30×86.5/100 = 25.95; 27.3; 28.5 → 90.85
    # D07: 8.6 + 24.66 + 25.5 + 25.5 + 加分 2 = 86.26; D02: 8.8 + 24.78 + 25.8 + 25.5 = 84.88
    # D04: 8.8 + 25.08 + 26.1 + 25.5 − 扣分 1 = 84.48, 一票为优 → 优
    # D05: 10×(8+20×0.8+12×0.6)/40 = 7.8; 22.5; 21.6; 30×0.7 = 21 → 72.9 < 80 → 一般
    # quota floor(7 × 30%) = 2: D03 and, D01 being vetoed, D06
    expected = {
        "D03": ("93.36", 1, "优"),
        "D01": ("92.36", 2, "一般"),
        "D06": ("90.85", 3, "优"),
        "D07": ("86.26", 4, "良"),
        "D02": ("84.88", 5, "良"),
        "D04": ("84.48", 6, "优"),
        "D05": ("72.90", 7, "一般"),
    }
    for uid, (total, rank, grade) in expected.items():
        assert (res[uid].total, res[uid].rank, res[uid].grade) == (D(total), rank, grade), uid
    with open(SAMPLE_DATA / "expected.csv", encoding="utf-8") as handle:
        rows = {row["unit"]: (row["total"], int(row["rank"]), row["grade"]) for row in csv.DictReader(handle)}
    assert rows == expected
