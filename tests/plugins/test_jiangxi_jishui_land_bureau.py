"""吉水县国土资源局2014机关工作目标管理考评办法 (seed 001_afe211f9c574c74e.txt, 第二篇): hand-computed cases.

Every unit is scored on the 30 common points plus its own 70-point 个性考评项目 table (one group per unit,
all in the pool ``bureau``). Each case states the rule quoted and the hand arithmetic.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaoping.core.errors import InputError
from kaoping.plugins.jiangxi_jishui_land_bureau import SAMPLE_DATA
from tests.helpers import host, score

SCHEME = "jiangxi.jishui.land_bureau"

# the real roster of the source, in its order: unit id → (group, name)
ROSTER = {
    "J01": ("office", "办公室"),
    "J02": ("personnel", "人事教育股"),
    "J03": ("legal", "法规监察股"),
    "J04": ("cadastre", "地政地籍股"),
    "J05": ("planning", "国土规划股"),
    "J06": ("land_use", "土地利用股"),
    "J07": ("minerals", "地质矿产股"),
    "J08": ("reserve", "土地开发储备交易中心"),
    "J09": ("enforcement", "执法监察大队"),
    "J10": ("consolidation", "土地开发整理中心"),
    "J11": ("information", "信息中心"),
    "J12": ("surveying", "测绘股"),
    "J13": ("service", "行政服务股"),
    "J14": ("supervision", "监察室"),
}

# the values a unit needs for its own table's indicators, met in full (no deduction)
FULL_VALUES = {
    "J04": [{"indicator": "cadastre_disputes", "value": "10", "target": "10"}],
    "J07": [
        {"indicator": "minerals_inspection", "value": "1", "item": "省市级"},
        {"indicator": "minerals_inspection", "value": "1", "item": "县级"},
    ],
    "J09": [{"indicator": "enforcement_closing", "value": "1"}],
    "J10": [{"indicator": "consolidation_supplement", "value": "1", "target": "1"}],
}


def records(units, events=(), values=None, vetoes=(), articles="3"):
    """Records for the given unit ids: articles = 3 and full indicator values unless ``values`` replaces them."""
    rows = []
    for unit in units:
        rows.append({"unit": unit, "indicator": "articles", "value": articles})
        own = (values or {}).get(unit, FULL_VALUES.get(unit, []))
        rows += [{"unit": unit, **row} for row in own]
    return {
        "units": [{"unit": u, "name": ROSTER[u][1], "group": ROSTER[u][0]} for u in units],
        "values": rows,
        "events": list(events),
        "vetoes": list(vetoes),
    }


def one(unit, events=(), values=None, vetoes=(), articles="3", overrides=None):
    """Score one unit alone with the given events (rule, count, …); return its UnitResult."""
    own = None if values is None else {unit: values}
    data = records([unit], [{"unit": unit, **e} for e in events], own, vetoes, articles)
    return score(SCHEME, data, overrides).units[0]


def individual(unit, *events, values=None):
    """The unit's 个性考评项目 part (of 70) after the given events."""
    group = ROSTER[unit][0]
    return one(unit, events, values).parts[f"individual_{group}"]


# ------------------------------------------------------------------------------------------------------
# structure


def test_every_unit_has_its_own_70_point_table_and_shares_the_pool():
    # 「(二)个性考评项目(70分)」, one table per 股室: each group = the 30 common points + bonus + its own part
    scheme = host().scheme(SCHEME)
    parts = {p.id: p.points for p in scheme.parts}
    assert len(scheme.groups) == 14
    for group in scheme.groups:
        assert group.pool == "bureau"
        assert [e.id for e in group.roster] == [u for u, (g, _) in ROSTER.items() if g == group.id]
        assert sum(parts[p] for p in group.parts) == 100
        assert group.parts[-1] == f"individual_{group.id}" and parts[group.parts[-1]] == 70


def test_every_sub_item_is_bounded_by_its_points_and_the_table_adds_up_to_70():
    # each sub-item's points (rule caps, [[caps]] over several rules, indicator points) add up to 70 per unit
    scheme = host().scheme(SCHEME)
    capped = {rule for cap in scheme.caps for rule in cap.rules}
    part_of = {r.id: r.part for r in scheme.rules}
    # reserve_ledger_state (2) lies inside reserve_ledger (5): only the sub-item's own cap is counted
    sub_item_caps = [c for c in scheme.caps if c.id != "reserve_ledger_state"]
    for group in scheme.groups:
        part = f"individual_{group.id}"
        items = [r.cap for r in scheme.rules if r.part == part and r.id not in capped]
        items += [c.max for c in sub_item_caps if part_of[c.rules[0]] == part]
        items += [i.points for i in scheme.indicators if i.part == part]
        assert all(r.cap is not None for r in scheme.rules if r.part == part), group.id
        assert sum(items) == 70, group.id


# ------------------------------------------------------------------------------------------------------
# common items (30 points)


def test_clean_unit_scores_100():
    # 「(一)共性考评项目(30分)」+「(二)个性考评项目(70分)」 with nothing deducted: 30 + 70 = 100
    assert one("J01").total == Decimal("100")


def test_lateness_per_event_and_item_cap():
    # 「不迟到、不早退(2分),否则发现一次扣0.5分」: 3 × 0.5 = 1.5 → conduct 6 − 1.5 = 4.5; total 98.5
    unit = one("J01", [{"rule": "late_early", "count": 3}])
    assert unit.parts["conduct"] == Decimal("4.5")
    assert unit.total == Decimal("98.5")
    # 4 × 0.5 = 2 reaches the sub-item's 2 points; 5 × 0.5 = 2.5 exceeds it: both conduct 6 − 2 = 4
    assert one("J01", [{"rule": "late_early", "count": 4}]).parts["conduct"] == Decimal("4")
    assert one("J01", [{"rule": "late_early", "count": 5}]).parts["conduct"] == Decimal("4")


@pytest.mark.parametrize(
    ("rule", "part", "expected"),
    [
        ("gaming", "conduct", "4"),  # 「一经发现此项不给分」: 6 − 2 = 4
        ("complaint", "conduct", "4"),  # 「发现一起投诉,并调查属实的此项不记分」: 6 − 2 = 4
        ("study_fail", "study", "0"),  # 「…4000字以上(1分)」 pass/fail: 1 − 1 = 0
        ("misconduct", "clean", "0"),  # 「凡出现1例违法乱纪行为则该项不得分」: 2 − 2 = 0
        ("property_loss", "property", "0"),  # 「出现一次丢失、遗漏事故不得分」: 1 − 1 = 0
        ("execution_notice", "execution", "0"),  # 「受到上级通报批评的此项不给分」: 1 − 1 = 0
    ],
)
def test_common_forfeits(rule, part, expected):
    # a forfeit counts once even if recorded twice (cap = item points)
    assert one("J02", [{"rule": rule, "count": 2}]).parts[part] == Decimal(expected)


@pytest.mark.parametrize(
    ("rule", "part", "count", "expected"),
    [
        ("summary_late", "plan", 1, "1.5"),  # 「不按时报送的每次扣0.5分」: 2 − 0.5 = 1.5
        ("absence", "attendance", 5, "0"),  # 「发现一起扣0.5分」: 2 − 2.5 → floor 0
        ("ledger_missing", "property", 1, "0.5"),  # 「少建立一项台账扣0.5分」: 1 − 0.5 = 0.5
        ("petition_notice", "petition", 1, "1"),  # 「信访部门通报批评的,每次扣1分」: 2 − 1 = 1
        ("visit_failed", "governance", 2, "0"),  # 「固定电话走访不到位的情况扣1分」: 2 − 2 = 0
        ("session_missed", "education", 3, "0.5"),  # 「少一次(项)扣股(室)0.5分」: 2 − 1.5 = 0.5
        ("untimely", "execution", 1, "0.5"),  # 「未及时办理的每次扣0.5分」: 1 − 0.5 = 0.5
        ("emergency_missing", "emergency", 3, "0.5"),  # 「缺1人次扣0.5分」: 2 − 1.5 = 0.5
        ("civility_absent", "civility", 2, "1.6"),  # 「无故缺席的扣0.2分」: 2 − 0.4 = 1.6
        ("volunteer_absent", "volunteer", 1, "1.8"),  # same rule for 学雷锋: 2 − 0.2 = 1.8
    ],
)
def test_common_per_event_deductions(rule, part, count, expected):
    assert one("J13", [{"rule": rule, "count": count}]).parts[part] == Decimal(expected)


def test_three_absences_forfeit_the_item():
    # 「无故缺席的扣0.2分,缺席3次以上此项不得分」 (001), 3 read inclusively: the absences alone forfeit the item,
    # nothing else entered. 3 absences over two rows (2, then 1) → 2 − 2 = 0; the total loses 2, not 0.6
    events = [
        {"rule": "civility_absent", "count": 2, "date": "2014-05-01"},
        {"rule": "civility_absent", "count": 1, "date": "2014-11-01"},
    ]
    unit = one("J14", events)
    assert unit.parts["civility"] == Decimal("0")
    assert sum(e.points for e in unit.score.trail if e.rule == "civility_absent") == Decimal("-2")
    # 2 absences: 2 − 2 × 0.2 = 1.6 (the forfeit needs 3); 学雷锋 the same: 3 absences → 0
    assert one("J14", events[:1]).parts["civility"] == Decimal("1.6")
    assert one("J14", [{"rule": "volunteer_absent", "count": 3}]).parts["volunteer"] == Decimal("0")


def test_articles_proportional_below_quota():
    # 「未完成稿件录用任务的按比例得分」: 3 × 2 / 3 = 2; 3 × 1 / 3 = 1; more than 3 earns no more than 3
    assert one("J01", articles="2").parts["publicity"] == Decimal("2")
    assert one("J01", articles="1").parts["publicity"] == Decimal("1")
    assert one("J01", articles="5").parts["publicity"] == Decimal("3")


def test_extra_articles_bonus_by_level_and_cap():
    # 县级 0.1, 市级 0.5, 省级 1, 国家级 2: 2 × 0.1 + 1 × 0.5 = 0.7
    unit = one(
        "J01", [{"rule": "extra_article", "count": 2, "level": "县级"}, {"rule": "extra_article", "level": "市级"}]
    )
    assert unit.parts["bonus"] == Decimal("0.7")
    # 「加分不超过3分」: 2 × 2 (国家级) = 4 → 3; total 100 + 3 = 103 (not clamped, Ambiguity 3)
    unit = one("J01", [{"rule": "extra_article", "count": 2, "level": "国家级"}])
    assert unit.parts["bonus"] == Decimal("3")
    assert unit.total == Decimal("103")


def test_emergency_volunteer_bonus_uncapped():
    # 「参加1人次加0.5分」, no cap (Ambiguity 3): 8 × 0.5 = 4; total 100 + 4 = 104 (not clamped)
    unit = one("J01", [{"rule": "emergency_volunteer", "count": 8}])
    assert unit.parts["bonus"] == Decimal("4")
    assert unit.total == Decimal("104")


# ------------------------------------------------------------------------------------------------------
# 个性考评项目: per-event deductions, each capped at its sub-item's points


@pytest.mark.parametrize(
    ("unit", "rule", "count", "expected"),
    [
        ("J01", "office_documents", 3, "67"),  # 公文办理 「出现差错一次扣1分」: 70 − 3 × 1
        ("J01", "office_documents", 9, "62"),  # 9 × 1 = 9 > the item's 8 points → 70 − 8
        ("J01", "office_revenue", 3, "68.5"),  # 「出现差错一次扣0.5分」: 70 − 1.5
        ("J01", "office_monthly_report", 8, "66"),  # 「缺一次扣0.5分」: 8 × 0.5 = 4 = the item's 4 → 70 − 4
        ("J01", "office_duty", 11, "65"),  # 「未做好值班安排一次扣0.5分」: 5.5 > 5 → 70 − 5
        ("J01", "office_vehicles", 2, "68"),  # 「未经批准不得私自用车(4分),发现一次扣1分」
        ("J02", "personnel_mass_line", 21, "50"),  # 路线教育 (20分) 「出现差错一次扣1分」: 21 > 20 → 70 − 20
        ("J02", "personnel_other", 2, "68"),  # 「未开展的每次扣1分」
        ("J03", "legal_petition_closing", 3, "67"),  # 「信访办结率100%(12分),少一件扣1分」
        ("J03", "legal_review", 6, "60"),  # 「出现差错一次扣2分」: 12 > 10 → 70 − 10
        ("J03", "legal_publicity_days", 4, "60"),  # 「少开展一次活动扣2.5分」: all 4 days missed, 10 = the item's 10
        ("J03", "legal_dispute_plan", 2, "68"),  # 「(5分)…每出现一次差错扣1分」
        ("J04", "cadastre_quality", 2, "68"),  # 「出现一次差错或不规范扣1分」
        ("J05", "planning_pre_review", 25, "50"),  # 「每漏登、错登一处扣1分」 (20分): 25 → 20
        ("J06", "land_use_approval", 3, "64"),  # 「出现一次差错扣2分」: 70 − 6
        ("J06", "land_use_housing_setout", 3, "68.5"),  # 「否则少一次扣0.5分」
        ("J07", "minerals_hazard_duty", 3, "68.5"),  # 「发现一次不到位扣0.5分」
        ("J07", "minerals_fees", 6, "60"),  # 「每发现一次扣2分」: 12 > 10 → 70 − 10
        ("J08", "reserve_monthly", 12, "65"),  # 「每缺少一个月的月报数据扣0.5分」: 12 months = 6 > 5 → 70 − 5
        ("J08", "reserve_entry", 3, "68.5"),  # 「不及时录入的每宗扣0.5分」
        ("J09", "enforcement_patrol", 13, "64"),  # 「少一次扣0.5分」 (6分): 6.5 → 6
        ("J09", "enforcement_timely_report", 2, "69"),  # 「每次扣0.5分」
        ("J10", "consolidation_dispute", 3, "68.5"),  # 「发现一起扣0.5分」
        ("J10", "consolidation_building", 6, "65"),  # 「发现一起扣1分」 (5分): 6 → 5
        ("J11", "information_network", 3, "68.5"),  # 「维护不及时的,每次扣0.5分」
        ("J11", "information_video", 2, "68"),  # 「每出现差错一次扣1分」
        ("J12", "surveying_publicity", 4, "66"),  # 「缺一项扣1分」: plan, scheme, materials, summary all missing
        ("J12", "surveying_markers", 3, "67"),  # 「每次扣1分」
        ("J13", "service_data_entry", 2, "68"),  # 「如网审件量低于实际办件量的扣1分」: per finding
        ("J13", "service_attitude", 1, "69"),  # 「每起扣1分」
        ("J14", "supervision_red_envelope", 2, "68"),  # 「每发现一起…整治不到位扣1分」
        ("J14", "supervision_system", 3, "67"),  # 「未制定或调整的一次扣1分」
    ],
)
def test_individual_per_event(unit, rule, count, expected):
    assert individual(unit, {"rule": rule, "count": count}) == Decimal(expected)


@pytest.mark.parametrize(
    ("unit", "rule", "points"),
    [
        ("J01", "office_budget", 4),  # 「编制好财政预算(4分)未编制的不得分」
        ("J01", "office_assets", 4),  # 「未进行登记的此项不得分」
        ("J03", "legal_legal_plan", 5),  # 「未制订的此项不得分」
        ("J04", "cadastre_ledger", 12),  # 「无台帐的此项不给分」
        ("J05", "planning_database", 20),  # 「未及时更新数据库此项不得分」
        ("J05", "planning_low_hills", 10),  # 「未争取到的此项不得分」
        ("J06", "land_use_farmland", 8),  # 「否则此项不给分」
        ("J06", "land_use_expropriation_procedure", 6),  # 「程序不到位的此项不给分」
        ("J07", "minerals_hazard_accident", 10),  # 「导致事故发生的此项不得分」
        ("J08", "reserve_trading_rules", 5),  # 「未按要求操作的此项不得分」
        ("J09", "enforcement_written_report", 3),  # 「否则此项不给分」
        ("J09", "enforcement_network", 4),  # 「未建立的不给分」
        ("J09", "enforcement_image_ledger", 4),  # 「未建立的不给分」
        ("J09", "enforcement_image_report", 2),  # 「未及时上报的此项不给分」
        ("J09", "enforcement_image_rectify", 4),  # 「约谈、问责的,此项不给分」
        ("J09", "enforcement_transfer", 10),  # 「越级上访或造成不良影响的此项不给分」
        ("J09", "enforcement_special", 10),  # 「通报批评及约谈、问责的此项不给分」
        ("J10", "consolidation_rules", 10),  # 「未建立的此项不得分」
        ("J10", "consolidation_farmland", 10),  # 「未完成任务的此项不给分」
        ("J10", "consolidation_linkage", 20),  # 「未完成此项工作不给分」
        ("J12", "surveying_qualification", 15),  # 「未开展的,此项不给分」
        ("J14", "supervision_opinions", 10),  # 「未制订此项不得分」
        ("J14", "supervision_conflict", 10),  # 「未开展此项活动不得分」
    ],
)
def test_individual_forfeits_count_once(unit, rule, points):
    # a forfeit takes the sub-item's points once, even when recorded twice: 70 − points
    assert individual(unit, {"rule": rule, "count": 2}) == 70 - points


def test_multi_rule_sub_item_capped_at_its_points():
    # 土地利用股 供地管理 (10分): 「发现1宗扣2分」 4 × 2 = 8 and 「擅自改变…用途的扣2分」 1 × 2 = 2: 10 → 60
    assert individual(
        "J06", {"rule": "land_use_supply_prohibited", "count": 4}, {"rule": "land_use_supply_use_change"}
    ) == Decimal("60")
    # 4 × 2 + 2 × 2 = 12 > 10 → the sub-item's 10: 70 − 10 = 60 (approval's 20 points untouched)
    assert individual(
        "J06",
        {"rule": "land_use_supply_prohibited", "count": 4},
        {"rule": "land_use_supply_use_change", "count": 2},
        {"rule": "land_use_approval", "count": 1},
    ) == Decimal("58")


def test_confirmation_lapses_and_notice():
    # 地政地籍股 土地确权登记 (15分): 「每次扣2分」 3 × 2 = 6 → 64; a notice 「此项不给分」 → 70 − 15 = 55
    assert individual("J04", {"rule": "cadastre_confirmation_lapse", "count": 3}) == Decimal("64")
    # lapses 3 × 2 = 6 plus the forfeit 15 = 21 → the sub-item's 15: 55
    assert individual(
        "J04", {"rule": "cadastre_confirmation_lapse", "count": 3}, {"rule": "cadastre_confirmation_notice"}
    ) == Decimal("55")


def test_reserve_ledger():
    # 土地出让台帐 (5分): 「未建立健全的扣2分,台帐不齐全的扣1分,档案不规范、不齐全的每宗扣0.5分」
    # not established (2) and incomplete (1) recorded together count at the higher, 2; + 2 × 0.5 = 3 → 67
    assert individual(
        "J08",
        {"rule": "reserve_ledger_missing"},
        {"rule": "reserve_ledger_incomplete"},
        {"rule": "reserve_ledger_file", "count": 2},
    ) == Decimal("67")
    # incomplete 1 + 8 × 0.5 = 5 = the sub-item's 5 → 65; 2 + 10 × 0.5 = 7 > 5 → 65
    assert individual(
        "J08", {"rule": "reserve_ledger_incomplete"}, {"rule": "reserve_ledger_file", "count": 8}
    ) == Decimal("65")
    assert individual(
        "J08", {"rule": "reserve_ledger_missing"}, {"rule": "reserve_ledger_file", "count": 10}
    ) == Decimal("65")


def test_discretionary_items_bounded_by_their_points():
    # 「工作不到位酌情扣分」 (10分): the leading group assesses 3.5 → 70 − 3.5 = 66.5
    assert individual("J03", {"rule": "legal_guidance", "points": "3.5"}) == Decimal("66.5")
    assert individual("J07", {"rule": "minerals_rights", "points": "10"}) == Decimal("60")
    # more than the item's 10 points is refused as a data error
    with pytest.raises(InputError):
        individual("J04", {"rule": "cadastre_reserve_survey", "points": "11"})


# ------------------------------------------------------------------------------------------------------
# 个性考评项目 scored from values


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ("1", "70"),  # task completed: 20 points
        ("0.95", "66"),  # 5% short: one step, 「每差欠5%扣4分」 → 20 − 4
        ("0.951", "66"),  # 4.9% short: a started step counts (partial = up) → 20 − 4
        ("0.9", "62"),  # 10%: two steps → 20 − 8
        ("0.88", "58"),  # 12%: ⌈2.4⌉ = 3 steps → 20 − 12
        ("0.8", "54"),  # 20%: four steps → 20 − 16
        ("0.7", "50"),  # 30%: six steps, 24 > 20 → 0 (never below 0)
        ("1.2", "70"),  # over-completion earns no more than 20
    ],
)
def test_farmland_supplement_steps(rate, expected):
    values = [{"indicator": "consolidation_supplement", "value": rate, "target": "1"}]
    assert individual("J10", values=values) == Decimal(expected)


def test_farmland_supplement_partial_step_reading_is_a_parameter():
    # Ambiguity 5: a deployment reading 「每差欠5%」 as whole steps only sets partial = "down": 12% → 2 steps → 12
    overrides = {"indicators": [{"id": "consolidation_supplement", "partial": "down"}]}
    values = [{"indicator": "consolidation_supplement", "value": "0.88", "target": "1"}]
    unit = one("J10", values=values, overrides=overrides)
    assert unit.parts["individual_consolidation"] == Decimal("62")


@pytest.mark.parametrize(
    ("handled", "arising", "expected"),
    [
        ("18", "20", "70"),  # 90% exactly: 「纠纷处理率达90%以上(5分)」 met → 5
        ("17", "20", "69"),  # ⌈0.9 × 20⌉ = 18 needed, 1 short: 「差一起扣1分」 → 4
        ("6", "7", "69"),  # ⌈6.3⌉ = 7 needed (6/7 = 85.7% < 90%), 1 short → 4
        ("10", "20", "65"),  # 8 short, capped at the item's 5 → 0
        ("0", "0", "70"),  # no dispute arose: nothing short
    ],
)
def test_dispute_handling_rate(handled, arising, expected):
    values = [{"indicator": "cadastre_disputes", "value": handled, "target": arising}]
    assert individual("J04", values=values) == Decimal(expected)


def test_dispute_rate_reading_every_unhandled_dispute():
    # the other reading of 「差一起扣1分」 (every unhandled dispute) is rate = 1: 17 of 20 → 3 short → 5 − 3 = 2
    overrides = {"indicators": [{"id": "cadastre_disputes", "rate": 1}]}
    values = [{"indicator": "cadastre_disputes", "value": "17", "target": "20"}]
    assert one("J04", values=values, overrides=overrides).parts["individual_cadastre"] == Decimal("67")


@pytest.mark.parametrize(
    ("province_city", "county", "expected"),
    [
        ("0.95", "0.90", "70"),  # both exactly at 「达到95%」 and 「达到90%」 → 10
        ("0.9499", "1", "60"),  # 省市级 just below 95% → 「年检不达标的该项不得分」 0
        ("1", "0.8999", "60"),  # 县级 just below 90% → 0
    ],
)
def test_mine_inspection_rates(province_city, county, expected):
    values = [
        {"indicator": "minerals_inspection", "value": province_city, "item": "省市级"},
        {"indicator": "minerals_inspection", "value": county, "item": "县级"},
    ]
    assert individual("J07", values=values) == Decimal(expected)


def test_mine_inspection_needs_both_levels():
    with pytest.raises(InputError, match="县级"):
        individual("J07", values=[{"indicator": "minerals_inspection", "value": "1", "item": "省市级"}])


@pytest.mark.parametrize(("rate", "expected"), [("0.95", "70"), ("0.9499", "60")])
def test_case_closing_rate(rate, expected):
    # 「结案率达到95%的(10分),未达到的不给分」: 95% exactly keeps 10; below → 0
    assert individual("J09", values=[{"indicator": "enforcement_closing", "value": rate}]) == Decimal(expected)


def test_all_forfeits_and_caps_floor_the_table_at_zero():
    # every sub-item of 国土规划股 lost: 20 + 20 + 20 + 10 = 70 → 0, and no more
    unit = one(
        "J05",
        [
            {"rule": "planning_database"},
            {"rule": "planning_pre_review", "count": 30},
            {"rule": "planning_adjustment", "count": 30},
            {"rule": "planning_low_hills"},
        ],
    )
    assert unit.parts["individual_planning"] == Decimal("0")
    assert unit.total == Decimal("30")


# ------------------------------------------------------------------------------------------------------
# own table only


def test_rule_of_another_units_table_is_a_data_error():
    # 办公室's 公文办理 booked on 人事教育股: reported with its row and column, not silently ignored
    data = records(["J02"], [{"unit": "J02", "rule": "office_documents", "count": 1}])
    with pytest.raises(InputError) as error:
        score(SCHEME, data)
    assert any(p.column == "rule" and "office_documents" in p.message for p in error.value.problems)


def test_value_of_another_units_indicator_is_a_data_error():
    data = records(["J01"], values={"J01": [{"indicator": "enforcement_closing", "value": "1"}]})
    with pytest.raises(InputError, match="enforcement_closing"):
        score(SCHEME, data)


def test_unit_in_another_units_group_is_a_data_error():
    data = records(["J01"])
    data["units"][0]["group"] = "personnel"
    with pytest.raises(InputError, match="roster of group 'office'"):
        score(SCHEME, data)


def test_missing_indicator_value_of_own_table_is_a_data_error():
    # 执法监察大队 must give its 结案率; no default is filled
    with pytest.raises(InputError, match="enforcement_closing"):
        one("J09", values=[])


# ------------------------------------------------------------------------------------------------------
# bands, withholding, prizes, veto


@pytest.mark.parametrize(
    ("count", "grade", "withhold"),
    [
        (15, "一等奖", "0"),  # 70 − 15 = 55 → 85: 「高于85分(含85分)」 eligible; alone → 一等奖
        (20, "80至85分", "0.05"),  # 80 exactly: 「在80分至85分(不含85分)」 → 5%
        (21, "低于80分", "0.1"),  # 79: 「低于80分(不含80分)」 → 10%
        (16, "80至85分", "0.05"),  # 84
    ],
)
def test_bands_and_withholding(count, grade, withhold):
    # 监察室: 1 point per 交办 lapse (10分), then per 教育 lapse (10分), then per 红包 case (10分), each within its cap
    events = [
        {"rule": "supervision_assigned", "count": min(count, 10)},
        {"rule": "supervision_education", "count": min(max(count - 10, 0), 10)},
        {"rule": "supervision_red_envelope", "count": max(count - 20, 0)},
    ]
    unit = one("J14", events)
    assert unit.total == 100 - count
    assert unit.grade == grade
    assert unit.consequences["withhold"] == Decimal(withhold)


def test_banding_just_below_85():
    # (70 − 10 交办 − 5 教育) + (30 − 0.2 文明创建缺席) = 84.8, just below 85 → 「80分至85分(不含85分)」 5%
    events = [
        {"rule": "supervision_assigned", "count": 10},
        {"rule": "supervision_education", "count": 5},
        {"rule": "civility_absent"},
    ]
    unit = one("J14", events)
    assert unit.total == Decimal("84.8")
    assert unit.grade == "80至85分"
    assert unit.consequences["withhold"] == Decimal("0.05")


def test_veto_cancels_prize_of_the_leader():
    # 「取消年终目标管理综合先进单位的评选资格」: 100 but vetoed → no prize, stays 85分以上, no withholding;
    # the 一等奖 passes to the next unit of the pool
    data = records(["J01", "J02"], [{"unit": "J02", "rule": "personnel_other", "count": 1}])
    data["vetoes"] = [{"unit": "J01", "area": "eight_rules", "source": "县纪委"}]
    result = score(SCHEME, data).by_unit()
    assert (result["J01"].total, result["J01"].rank, result["J01"].grade) == (Decimal("100"), 1, "85分以上")
    assert result["J01"].consequences["withhold"] == Decimal("0")
    assert (result["J02"].total, result["J02"].rank, result["J02"].grade) == (Decimal("99"), 2, "一等奖")
    # 「实行一票否决,取消年终目标管理综合先进单位的评选资格,单位负责人不得评先评优」 (001)
    assert result["J01"].consequences["sanctions"] == ["单位负责人不得评先评优"]
    assert "sanctions" not in result["J02"].consequences


def test_prizes_over_the_pool_with_a_tie_at_the_last_place():
    # 「一等奖一个,二等奖2个,,三等奖3个」 over the 14 units together (pool bureau), although each unit is its
    # own group: seven units, the 6th and 7th tie at 95 for the last 三等奖 place
    deductions = {"J01": 0, "J02": 1, "J03": 2, "J04": 3, "J05": 4, "J06": 5, "J07": 5}
    rules = {
        "J02": "personnel_other",
        "J03": "legal_petition_closing",
        "J04": "cadastre_change_survey",
        "J05": "planning_pre_review",
        "J06": "land_use_cooperation",
        "J07": "minerals_cooperation",
    }
    events = [{"unit": u, "rule": rules[u], "count": n} for u, n in deductions.items() if n]
    result = score(SCHEME, records(list(deductions), events)).by_unit()
    grades = {u: r.grade for u, r in result.items()}
    assert [result[u].rank for u in deductions] == [1, 2, 3, 4, 5, 6, 6]
    assert grades["J01"] == "一等奖"
    assert grades["J02"] == grades["J03"] == "二等奖"
    assert grades["J04"] == grades["J05"] == "三等奖"
    # tie at the last place: on_tie = exclude, neither takes it; both keep the ≥85 band
    assert grades["J06"] == grades["J07"] == "85分以上"


def test_fewer_than_six_qualifying_units_leave_prizes_unfilled():
    # prizes only among 「综合考评总分在85分以上」 (Ambiguity 6): J01 100 and J02 99 take 一等奖 and one 二等奖;
    # J03 (70 − 10 复议 − 10 信访 = 50; 80) takes none, the other places stay empty
    events = [
        {"unit": "J02", "rule": "personnel_other", "count": 1},
        {"unit": "J03", "rule": "legal_review", "count": 5},
        {"unit": "J03", "rule": "legal_petition_closing", "count": 10},
    ]
    result = score(SCHEME, records(["J01", "J02", "J03"], events)).by_unit()
    assert result["J03"].total == Decimal("80")
    assert [result[u].grade for u in ("J01", "J02", "J03")] == ["一等奖", "二等奖", "80至85分"]


def test_tie_for_the_first_prize_excludes_both():
    # 「一等奖一个」 and two units tie at 100: on_tie = exclude, neither takes it; both take the 2 二等奖 places
    result = score(SCHEME, records(["J01", "J02"])).by_unit()
    assert [result[u].grade for u in ("J01", "J02")] == ["二等奖", "二等奖"]


def test_prize_money_is_supplied_by_the_deployment():
    # 「每个奖励。」 (amount blank): no amount unless the deployment sets one; then it is the unit's award
    assert "award" not in one("J01").consequences
    overrides = {"consequences": {"grades": {"一等奖": {"award": 2000}}}}
    assert one("J01", overrides=overrides).consequences["award"] == Decimal("2000")


# ------------------------------------------------------------------------------------------------------
# the sample


def test_sample_full_run():
    # totals = 30 common ± events + 70 individual − its own table's deductions (sample/*.csv)
    expected = {
        # 29.5 (late −0.5) + 63 (70 − 2 信访 − 2 复议 − 2.5 宣传日 − 0.5 酌情); vetoed (discipline) → no prize
        "J03": ("92.5", 1, "85分以上", "0"),
        "J01": ("92", 2, "一等奖", "0"),  # 30 + (70 − 2 公文 − 4 预算 − 1 值班 − 1 用车)
        "J02": ("91", 3, "二等奖", "0"),  # 30 + 2 × 0.5 市级上稿 + (70 − 4 − 3 − 3)
        "J04": ("89", 4, "二等奖", "0"),  # 30 + 2 × 0.5 应急 + (70 − 2 − (18 − 16) 纠纷 − 3 × 2 确权 − 2 酌情)
        "J05": ("86", 5, "三等奖", "0"),  # 29 (2 articles: 3 × 2/3) + (70 − 3 预审 − 10 低丘缓坡)
        "J06": ("85.6", 6, "三等奖", "0"),  # 29.6 + (70 − min(8 + 4, 10) 供地 − 1.5 放线 − 2.5 征收)
        "J07": ("85", 7, "三等奖", "0"),  # 30 + (70 − 10 县级年检88% − 2 值班 − 2 收费 − 1 安全), 含85分
        "J08": ("84.5", 8, "80至85分", "0.05"),  # 29.5 + (70 − 5 台帐 − 3 − 1 − 2 − 4)
        "J14": ("84", 9, "80至85分", "0.05"),  # 28 (文明创建 forfeited) + (70 − 10 − 2 − 2)
        "J11": ("82", 10, "80至85分", "0.05"),  # 28 (1 article) + (70 − 6 − 2 − 3 − 5)
        "J12": ("81", 11, "80至85分", "0.05"),  # 28 (廉政 0) + (70 − 15 资质年检 − 2 宣传缺项)
        "J09": ("80", 12, "80至85分", "0.05"),  # 30 + (70 − 10 结案率93% − 2 巡查 − 2 卫片 − 3 − 3), 80 含
        "J10": ("79.5", 13, "低于80分", "0.1"),  # 29.5 + (70 − 12 造地88% − 3 上访 − min(6, 5) 未告知)
        "J13": ("78", 14, "低于80分", "0.1"),  # 30 + (70 − 5 − 7 − 4 − 6)
    }
    result = score(SCHEME, SAMPLE_DATA).by_unit()
    assert set(result) == set(expected)
    for unit, (total, rank, grade, withhold) in expected.items():
        got = result[unit]
        assert (got.total, got.rank, got.grade, got.consequences["withhold"]) == (
            Decimal(total),
            rank,
            grade,
            Decimal(withhold),
        ), unit
