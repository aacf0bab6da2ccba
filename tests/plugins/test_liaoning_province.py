"""Tests for 辽宁省对各市政府绩效评估 (seed 000_9aaf459fe1a17da7.txt).

Each expected number is worked out by hand from the quoted rule; the arithmetic is in the comment. The
tier weights, tiers and caps are deployment numbers (the source gives none); the tests set their own.
"""

from __future__ import annotations

import pytest

from kaoping.core.errors import InputError, MissingParameterError
from kaoping.core.tomlread import read_toml
from kaoping.plugins.liaoning_province import SAMPLE_DATA, SCHEME_FILE
from tests.helpers import D, score

SCHEME = "liaoning.province"
SOURCE_NAMES = [
    "就业和再就业", "地区生产总值", "地区税收收入", "全社会固定资产投资额", "外贸出口额", "非公有经济税收收入",
    "社会消费品零售总额", "农民人均纯收入", "高技术产业增加值", "社会保障", "植树造林", "环境保护", "资源节约利用",
    "城镇居民人均可支配收入", "旅游总收入", "软环境建设", "精神文明建设", "最低生活保障", "为全省做出特殊贡献",
    "公共卫生体系建设", "教育重点工作", "安全生产", "突发公共事件应急工作",
]  # fmt: skip
SETUP = {
    "parameters": {"tier_weights": {"tier1": 10, "tier2": 8, "tier3": 6, "tier4": 4}},
    "indicators": [
        {"id": "gdp", "tier": "tier1", "cap": "1.2"},
        {"id": "employment", "tier": "tier2"},
        {"id": "environment", "tier": "tier3", "max_bonus": 2, "max_deduction": 3},
        {"id": "work_safety", "tier": "tier4"},
    ],
}


def city(uid: str, gdp: str = "100", jobs: str = "10", env: str = "100", safety: str = "0") -> dict:
    """One city: GDP against last year (baseline 100), jobs against a plan of 10, 环保 plan 100, 安全 net."""
    return {
        "unit": {"unit": uid, "name": f"{uid}市", "group": "cities"},
        "values": [
            {"unit": uid, "indicator": "gdp", "value": gdp, "baseline": "100"},
            {"unit": uid, "indicator": "employment", "value": jobs, "target": "10"},
            {"unit": uid, "indicator": "environment", "value": env, "target": "100", "item": "减排"},
            {"unit": uid, "indicator": "work_safety", "value": safety, "item": "事故"},
        ],
    }


def build(*cities: dict, extra: list[dict] | None = None, vetoes: list[dict] | None = None) -> dict:
    return {
        "units": [c["unit"] for c in cities],
        "values": [v for c in cities for v in c["values"]] + (extra or []),
        "vetoes": vetoes or [],
    }


def test_every_listed_indicator_is_declared_with_a_tier_and_class() -> None:
    # 「主要有」 … 「安全生產(chǎn)等」 and 「增加了“突發(fā)公共事件應急工作”指標」: 23 named indicators
    scheme = read_toml(SCHEME_FILE)
    names = " ".join(i["name"] for i in scheme["indicators"])
    assert [n for n in SOURCE_NAMES if n not in names] == []
    assert len(scheme["indicators"]) == 23
    methods = {"liaoning_vs_last_year", "liaoning_vs_plan", "liaoning_adjusted", "liaoning_mixed"}
    assert all(i["method"] in methods and "tier" in i["required"] for i in scheme["indicators"])
    # 「將指標劃分為四檔」: four tiers, no weight from the source: a required parameter without a value
    assert scheme["parameters"]["required"] == ["tier_weights"] and "tier_weights" not in scheme["parameters"]


def test_tier_weights_are_required() -> None:
    # 「分別確定不同的基礎分權重」: no tier weight stated → the run stops, naming the tier
    no_weights = {"indicators": SETUP["indicators"]}
    with pytest.raises(MissingParameterError, match=r"tier_weights.*gdp \(tier1\)"):
        score(SCHEME, build(city("A")), no_weights)


def test_tier_of_an_indicator_is_required() -> None:
    # which indicator sits in which tier is not stated: an indicator in use without a tier is an error
    setup = {**SETUP, "indicators": [i for i in SETUP["indicators"] if i["id"] != "employment"]}
    with pytest.raises(InputError, match="'employment' is used by the data but the deployment has not set tier"):
        score(SCHEME, build(city("A")), setup)


def test_four_classes_weighted_by_tier() -> None:
    a = city("A", gdp="110", jobs="9", env="90", safety="-1")
    extra = [{"unit": "A", "indicator": "environment", "value": "1", "item": "环保模范城"}]
    r = score(SCHEME, build(a, extra=extra), SETUP).by_unit()["A"]
    ind = r.score.indicator_points()
    # 第一类 「第一類用報告期實際完成數(shù)與上年同期」: tier1 10 × 110/100 = 11
    assert ind["gdp"] == D("11.00")
    # 第二类 「與報告期計劃數(shù)相比較計算得分」: tier2 8 × 9/10 = 7.2
    assert ind["employment"] == D("7.20")
    # 第四类 「第四類既有用報告期實際完成數(shù)」: tier3 6 × 90/100 + 1 = 6.4
    assert ind["environment"] == D("6.40")
    # 第三类 「即實行加分和減分的評分辦法」: tier4 4 − 1 = 3
    assert ind["work_safety"] == D("3.00")
    assert r.total == D("27.60")  # 11 + 7.2 + 6.4 + 3


def test_growth_cap_reached_and_exceeded() -> None:
    res = score(SCHEME, build(city("A", gdp="120"), city("B", gdp="135")), SETUP).by_unit()
    # cap 1.2 (deployment's number): A 10 × 1.2 = 12 (exactly at the cap); B 10 × min(1.35, 1.2) = 12
    assert res["A"].score.indicator_points()["gdp"] == D("12.00")
    assert res["B"].score.indicator_points()["gdp"] == D("12.00")


def test_plan_over_completion_capped_at_full_weight() -> None:
    r = score(SCHEME, build(city("A", jobs="12")), SETUP).by_unit()["A"]
    # class 2 cap 1 (reading): 8 × min(12/10, 1) = 8
    assert r.score.indicator_points()["employment"] == D("8.00")


def test_adjustment_bounds_reached_and_exceeded() -> None:
    extra = [
        {"unit": "A", "indicator": "environment", "value": "2", "item": "加分"},
        {"unit": "B", "indicator": "environment", "value": "3", "item": "加分"},
        {"unit": "C", "indicator": "environment", "value": "-5", "item": "减分"},
    ]
    res = score(SCHEME, build(city("A"), city("B"), city("C"), extra=extra), SETUP).by_unit()
    # 6 × 100/100 = 6; A +2 = max_bonus 2 → 8; B +3 bounded to 2 → 8; C −5 bounded to −3 → 3
    env = {u: res[u].score.indicator_points()["environment"] for u in "ABC"}
    assert env == {"A": D("8.00"), "B": D("8.00"), "C": D("3.00")}


def test_class_three_without_bounds_is_unbounded() -> None:
    r = score(SCHEME, build(city("A", safety="-6")), SETUP).by_unit()["A"]
    # no bound set for work_safety (the source states none): 4 − 6 = −2
    assert r.score.indicator_points()["work_safety"] == D("-2.00")


def test_class_one_needs_last_year() -> None:
    data = build(city("A"))
    data["values"][0] = {"unit": "A", "indicator": "gdp", "value": "110", "target": "100"}
    with pytest.raises(InputError, match="needs a positive baseline"):
        score(SCHEME, data, SETUP)


def test_indicator_in_use_needs_every_city() -> None:
    data = build(city("A"), city("B"))
    data["values"] = [v for v in data["values"] if not (v["unit"] == "B" and v["indicator"] == "gdp")]
    # 「確定各市的績效評估結(jié)果和名次」: cities are ranked on the same indicators
    with pytest.raises(InputError, match="city 'B' has no row"):
        score(SCHEME, data, SETUP)


def test_top_three_with_tie_at_third() -> None:
    cities = [city("A", gdp="115"), city("B", gdp="110"), city("C", gdp="105"), city("D", gdp="105"), city("E")]
    res = score(SCHEME, build(*cities), SETUP).by_unit()
    # 「總分列前三位」: base 8 + 6 + 4 = 18 plus gdp 11.5, 11, 10.5, 10.5, 10 → 29.5, 29, 28.5, 28.5, 28
    # C and D tie at place 3; on_tie = include → both 综合奖
    assert [res[u].total for u in "ABCDE"] == [D("29.50"), D("29.00"), D("28.50"), D("28.50"), D("28.00")]
    assert [res[u].grade for u in "ABCDE"] == ["综合奖", "综合奖", "综合奖", "综合奖", "未获综合奖"]


def test_single_item_award_is_entered_and_recorded() -> None:
    vetoes = [{"unit": "B", "area": "single_item_award", "source": "省政府", "note": "安全生产"}]
    res = score(SCHEME, build(city("A", gdp="110"), city("B"), vetoes=vetoes), SETUP).by_unit()
    # 「單項工作優(yōu)勝獎」: criterion not stated; the office's entry is listed, grades and totals untouched
    assert res["B"].consequences["single_item_award"] == ["安全生产"]
    assert (res["B"].total, res["B"].grade) == (D("28.00"), "综合奖")  # 10 + 8 + 6 + 4; 2 cities ≤ 3 places
    assert "single_item_award" not in res["A"].consequences
    # 「按職能對各市政府的單項工作進行打分,排列順序」: A leads on gdp (11 > 10)
    assert res["A"].consequences["indicator_places"]["gdp"] == 1
    assert res["B"].consequences["indicator_places"]["gdp"] == 2


def test_sample() -> None:
    overrides = read_toml(SAMPLE_DATA / "overrides.toml")
    res = score(SCHEME, SAMPLE_DATA, overrides).by_unit()
    # weights tier1 10, tier2 8, tier3 6, tier4 4 (illustrative); see sample/expected.csv
    # SY 11.5 + 8.8 + 10 + (6+1) + 4 = 41.3; DD 12 + 8.8 + 10 + 5.7 + 4 = 40.5; DL 11.4 + 9.6 + 10 + 5.4 + 3 = 39.4
    # FS 10.8 + 8 + 9.5 + 4.8 + 4 = 37.1; AS 11 + 8.4 + 9 + (6−2) + 4 = 36.4; BX 12 + 7.6 + 8 + 6 + (4−4) = 33.6
    expected = {
        "SY": ("41.30", 1, "综合奖"),
        "DD": ("40.50", 2, "综合奖"),
        "DL": ("39.40", 3, "综合奖"),
        "FS": ("37.10", 4, "未获综合奖"),
        "AS": ("36.40", 5, "未获综合奖"),
        "BX": ("33.60", 6, "未获综合奖"),
    }
    for uid, (total, rank, grade) in expected.items():
        assert (res[uid].total, res[uid].rank, res[uid].grade) == (D(total), rank, grade), uid
    assert res["BX"].consequences["single_item_award"] == ["地区生产总值"]
