"""Tests for 泾阳县目标管理绩效评估 (seed 000_9aaf459fe1a17da7.txt).

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment. The
channel weights, prize counts, reduction cap, 落后 count and last-place periods are deployment numbers
(the source gives none); the tests set their own.
"""

from __future__ import annotations

import pytest

from kaoping.core.errors import InputError, MissingParameterError
from kaoping.core.tomlread import read_toml
from kaoping.plugins.shaanxi_jingyang import SAMPLE_DATA, SCHEME_FILE
from tests.helpers import D, score

SCHEME = "shaanxi.jingyang"
TOWN = {"综合评估": "50%", "横向评估": "20%", "县级领导评价": "20%", "村干部评价": "10%"}
DEPT = {"综合评估": "60%", "横向评估": "20%", "县级领导评价": "20%"}
SETUP = {
    "parameters": {
        "lagging_last_places": {"township": 0, "party_mass": 0, "gov_general": 0, "gov_economic": 0, "dual": 0}
    },
    "indicators": [
        {"id": "economic_township", "channels": TOWN},
        {"id": "party_township", "channels": TOWN},
        {"id": "economic", "channels": DEPT},
        {"id": "party", "channels": DEPT},
    ],
    "rules": [{"id": "base_reduction", "max": 10}],
    "grading": {
        "quotas": [
            {"id": "first", "counts": {"township": 1, "gov_economic": 1}},
            {"id": "second", "counts": {"township": 1}},
        ]
    },
}


def setup(**parameters: object) -> dict:
    merged = {**SETUP["parameters"], **parameters}
    return {**SETUP, "parameters": merged}


def town(uid: str, econ: list[str], party: list[str]) -> tuple[dict, list[dict]]:
    rows = [
        {"unit": uid, "indicator": ind, "value": v, "item": ch}
        for ind, scores in (("economic_township", econ), ("party_township", party))
        for v, ch in zip(scores, TOWN, strict=True)
    ]
    return {"unit": uid, "name": f"乡镇{uid}", "group": "township"}, rows


def flat_town(uid: str, econ: str, party: str = "50") -> tuple[dict, list[dict]]:
    """A township whose four channels give the same score: the weighted part score is that score."""
    return town(uid, [econ] * 4, [party] * 4)


def dept(uid: str, econ: str, party: str = "50", group: str = "gov_economic") -> tuple[dict, list[dict]]:
    rows = [
        {"unit": uid, "indicator": ind, "value": v, "item": ch}
        for ind, v in (("economic", econ), ("party", party))
        for ch in DEPT
    ]
    return {"unit": uid, "name": f"部门{uid}", "group": group}, rows


def data(*units: tuple[dict, list[dict]], **tables: list[dict]) -> dict:
    return {"units": [u for u, _ in units], "values": [r for _, rows in units for r in rows], **tables}


def test_base_split() -> None:
    scheme = read_toml(SCHEME_FILE)
    parts = {p["id"]: p["points"] for p in scheme["parts"]}
    # 「目標基分統(tǒng)一確定為200分」, 「分值占基分的70%」, 「分值占30%」: 200 × 70% = 140, 200 × 30% = 60
    assert (scheme["total"], parts) == (200, {"economic": 140, "party": 60})


def test_channels_weighted_township() -> None:
    r = score(SCHEME, data(town("A", ["130", "120", "125", "135"], ["55", "50", "55", "60"])), SETUP).by_unit()["A"]
    # 「綜合評估和橫向評估打分」, 「縣級領導」, 「村干部的評價記入考評得分」 with weights 50/20/20/10:
    # economic 0.5×130 + 0.2×120 + 0.2×125 + 0.1×135 = 65 + 24 + 25 + 13.5 = 127.5
    # party 0.5×55 + 0.2×50 + 0.2×55 + 0.1×60 = 27.5 + 10 + 11 + 6 = 54.5 → 182
    assert r.parts == {"economic": D("127.50"), "party": D("54.50")}
    assert r.total == D("182.00")


def test_channels_weighted_department_without_village_cadres() -> None:
    r = score(SCHEME, data(dept("B", "130", "54")), SETUP).by_unit()["B"]
    # departments: no village cadres; 60/20/20 of equal scores: 130 + 54 = 184
    assert r.total == D("184.00")
    bad = data(dept("B", "130", "54"))
    bad["values"].append({"unit": "B", "indicator": "economic", "value": "120", "item": "村干部评价"})
    with pytest.raises(InputError, match="channel '村干部评价' is not one of"):
        score(SCHEME, bad, SETUP)


def test_channel_weights_are_required() -> None:
    no_weights = {k: v for k, v in SETUP.items() if k != "indicators"}
    # the weights of the four evaluators are not stated: no default
    with pytest.raises(InputError, match="'economic_township' is used by the data but the deployment has not set"):
        score(SCHEME, data(flat_town("A", "130")), no_weights)


def test_base_reduction_requires_its_cap() -> None:
    d = data(flat_town("A", "130"), events=[{"unit": "A", "rule": "base_reduction", "points": "6"}])
    without_cap = {**SETUP, "rules": []}
    with pytest.raises(InputError, match="has not set max"):
        score(SCHEME, d, without_cap)
    r = score(SCHEME, d, SETUP).by_unit()["A"]
    # 「適量扣減目標基分」: 130 + 50 − 6 = 174
    assert r.total == D("174.00")


@pytest.mark.parametrize(("points", "ok"), [("5.99", False), ("6", True), ("10", True), ("10.01", False)])
def test_key_target_share_bounds(points: str, ok: bool) -> None:
    d = data(flat_town("A", "130"))
    d["values"] += [
        {"unit": "A", "indicator": "target_sheet", "value": points, "item": "招商引资"},
        {"unit": "A", "indicator": "target_sheet", "value": "30", "item": "重点实事: 道路"},  # not a key target
    ]
    # 「一般每項都占到目標基分的3%-5%左右」: 200 × 3% = 6 and 200 × 5% = 10, bounds included. 「一般…左右」 is a
    # guideline: outside the range the run goes on (the sheet scores 0: 130 + 50) with a warning quoting it
    result = score(SCHEME, d, SETUP)
    assert result.by_unit()["A"].total == D("180.00")
    if ok:
        assert result.warnings == []
    else:
        [warned] = result.warnings
        assert "key target '招商引资' carries" in warned and "3%-5%左右" in warned


def test_veto_cancels_prize_of_leader() -> None:
    d = data(flat_town("A", "139"), flat_town("B", "120"), vetoes=[{"unit": "A", "area": "anquan"}])
    res = score(SCHEME, d, SETUP).by_unit()
    # 「當年目標管理責任制考核的評優(yōu)獲獎資格」: A (189) leads but loses the prize; 一等奖 passes to B (170)
    assert (res["A"].grade, res["B"].grade) == ("未获奖", "一等奖")
    assert res["B"].consequences["staff_excellent_ratio"] == D("0.18")  # 「考核優(yōu)秀比例可達到」 18%
    assert res["A"].consequences["staff_excellent_ratio"] == D("0.10")  # 「不得超過10%」
    with pytest.raises(InputError):  # only the four areas are declared
        score(SCHEME, data(flat_town("A", "139"), vetoes=[{"unit": "A", "area": "other"}]), SETUP)


def test_prizes_per_kou_with_tie_at_last_place() -> None:
    d = data(flat_town("A", "130"), flat_town("B", "125"), flat_town("C", "125"), dept("D", "120"))
    res = score(SCHEME, d, SETUP).by_unit()
    # township: 一等奖 1 → A (180); 二等奖 1: B and C tie at 175 → on_tie exclude, neither takes it
    assert [res[u].grade for u in "ABC"] == ["一等奖", "未获奖", "未获奖"]
    # 二、三等奖 13%: 「二、三等獎單位,考核優(yōu)秀比例為13%」; gov_economic 一等奖 1 → D
    assert res["D"].grade == "一等奖"


def test_prize_counts_are_required() -> None:
    no_prizes = {k: v for k, v in SETUP.items() if k != "grading"}
    with pytest.raises(MissingParameterError, match="set grading.quotas first/second/third counts"):
        score(SCHEME, data(flat_town("A", "130")), no_prizes)


def test_prize_counts_are_required_for_each_kou() -> None:
    # prizes are given within each 口: places for 乡镇 and 政府经济 say nothing about how many 党群 units win
    d = data(flat_town("A", "130"), dept("P", "120", group="party_mass"))
    with pytest.raises(MissingParameterError, match="none for party_mass"):
        score(SCHEME, d, SETUP)


def test_lagging_reading_is_required() -> None:
    with pytest.raises(MissingParameterError, match="parameter lagging_last_places is required"):
        score(SCHEME, data(flat_town("A", "130")), {**SETUP, "parameters": {}})
    only_gov = {**SETUP, "parameters": {"lagging_last_places": {"gov_economic": 0}}}
    with pytest.raises(MissingParameterError, match="lagging_last_places for township"):
        score(SCHEME, data(flat_town("A", "130")), only_gov)


def test_lagging_last_places_with_tie() -> None:
    units = [flat_town("A", "130"), flat_town("B", "125"), flat_town("C", "110"), flat_town("D", "110")]
    res = score(SCHEME, data(*units), setup(lagging_last_places={"township": 1})).by_unit()
    # 「對考核落后單位全縣通報批評」 read as the last 1 of the 口: C and D tie at 160 → both 落后
    assert [res[u].consequences.get("lagging", False) for u in "ABCD"] == [False, False, True, True]
    assert "全县通报批评" in res["C"].consequences["sanctions"]


def test_lagging_never_a_prize_holder() -> None:
    res = score(SCHEME, data(flat_town("A", "130"), flat_town("B", "125")),
                setup(lagging_last_places={"township": 2})).by_unit()  # fmt: skip
    # last 2 of 2 would be both, but A holds 一等奖 and B 二等奖: neither is 落后
    assert [res[u].consequences.get("lagging", False) for u in "AB"] == [False, False]


def key_work_rows(scores: dict[str, dict[str, int]]) -> list[dict]:
    return [
        {"unit": unit, "indicator": "key_work", "value": value, "item": period}
        for period, by_unit in scores.items()
        for unit, value in by_unit.items()
    ]


def test_key_work_talks_follow_the_key_work_ranking_not_the_total() -> None:
    # 「對重點工作考核連續(xù)處于末位的,分別實施警示誡勉談話」 (000): the 重点工作考核 ranking, not the annual total.
    # C has the lowest total (160) but leads the key work; B (170) is last of the key work in three periods
    units = [flat_town("A", "130"), flat_town("B", "120"), flat_town("C", "110")]
    periods = {p: {"A": 80, "B": 60, "C": 90} for p in ("2008-10", "2008-11", "2008-12")}
    d = data(*units)
    d["values"] += key_work_rows(periods)
    with pytest.raises(MissingParameterError, match="warning_talk_periods"):
        score(SCHEME, d, SETUP)
    res = score(SCHEME, d, setup(warning_talk_periods=2, admonition_talk_periods=3)).by_unit()
    assert res["B"].consequences["key_work_last_periods"] == 3
    assert "诫勉谈话" in res["B"].consequences["sanctions"]
    assert "sanctions" not in res["C"].consequences  # last by total, first in key work; not 落后 (lagging 0)
    assert res["A"].total == D(180) and res["B"].total == D(170)  # key work scores nothing in the total


def test_key_work_talks_are_two_measures_by_degree() -> None:
    # 「分別實施警示誡勉談話」: 2 periods (test number) → 警示谈话, 3 → 诫勉谈话, never both, 1 → none.
    # A last in 2008-10 and 11, then B last in 2008-12 only
    units = [flat_town("A", "130"), flat_town("B", "120")]
    periods = {"2008-10": {"A": 60, "B": 80}, "2008-11": {"A": 60, "B": 80}, "2008-12": {"A": 90, "B": 70}}
    d = data(*units)
    d["values"] += key_work_rows(periods)
    res = score(SCHEME, d, setup(warning_talk_periods=2, admonition_talk_periods=3)).by_unit()
    assert res["A"].consequences["sanctions"] == ["警示谈话"]
    assert res["B"].consequences["key_work_last_periods"] == 1 and "sanctions" not in res["B"].consequences
    # a missing period breaks the run: without A's 2008-11 row, A is last in one period at a time
    gap = data(*units)
    gap["values"] += [r for r in key_work_rows(periods) if not (r["unit"] == "A" and r["item"] == "2008-11")]
    res = score(SCHEME, gap, setup(warning_talk_periods=2, admonition_talk_periods=3)).by_unit()
    assert res["A"].consequences["key_work_last_periods"] == 1 and "sanctions" not in res["A"].consequences


def test_sample() -> None:
    overrides = read_toml(SAMPLE_DATA / "overrides.toml")
    res = score(SCHEME, SAMPLE_DATA, overrides).by_unit()
    # see sample/expected.csv for each calculation; T01 vetoed (计生), T04 base reduced by 3
    expected = {
        "T05": ("188.50", 1, "一等奖"),
        "T01": ("182.00", 2, "未获奖"),
        "T02": ("179.50", 3, "二等奖"),
        "T04": ("175.00", 4, "三等奖"),
        "T03": ("165.00", 5, "未获奖"),
        "B01": ("183.40", 1, "一等奖"),
        "B02": ("182.80", 2, "二等奖"),
        "B03": ("171.00", 3, "未获奖"),
        "P01": ("180.00", 1, "未获奖"),
        "P02": ("180.00", 1, "未获奖"),
    }
    for uid, (total, rank, grade) in expected.items():
        assert (res[uid].total, res[uid].rank, res[uid].grade) == (D(total), rank, grade), uid
    # T03 last of the key work in 2008-10/11/12 (3 ≥ 3) and last of its 口 by total: 落后 and the 诫勉谈话;
    # B02 last of the key work in 2008-10/11 (2 ≥ 2): 警示谈话; B03 last by total (落后), first in key work
    assert res["T03"].consequences["lagging"] and "诫勉谈话" in res["T03"].consequences["sanctions"]
    assert res["B02"].consequences["sanctions"] == ["警示谈话"]
    assert res["B03"].consequences["lagging"]
    assert not {"警示谈话", "诫勉谈话"} & set(res["B03"].consequences["sanctions"])
