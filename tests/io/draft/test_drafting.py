"""A drafted scheme loads, marks every drafted item, and never turns a hedge into a hard check."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaoping.core.errors import SchemeError
from kaoping.core.scheme import count_drafts, parse_scheme
from kaoping.core.tomlread import parse_toml
from kaoping.io.draft import DraftNames, draft_from_text, dumps

NAMES = DraftNames("local.xingan", "新干县县直机关政务“阳光行动”工作考评办法(试行)", "xingan.txt")

# 001_afe211f9c574c74e.txt, 第一篇 (shortened): two parts with 扣完为止, rules with amounts, a bonus
XINGAN = """\
1、领导重视情况15分,扣分情况以扣完本项分值为止。(1)没有召开干部职工大会进行动员部署的扣3分(查会议记录);(2)没有制定工作方案或实施意见的扣5分。
2、自查自纠及整改情况10分,扣分情况以扣完本项分值为止。(1)没有认真梳理问题意见扣2分;
5、加、减分项目:(1)政务公开工作县内做典型推广的每次加5分,被市级作典型推广的加10分。
(三)考评结果的运用:优秀单位原则上不超过15%。对评为优秀的单位奖励2000元。
"""


def drafted(text: str = XINGAN) -> dict:
    return parse_toml(dumps(draft_from_text(text, NAMES)))


def test_the_draft_parses_as_a_scheme_marked_draft():
    data = drafted()
    scheme = parse_scheme(data)
    assert scheme.status.label == "draft"
    assert scheme.status.drafts == count_drafts(data) > 0
    # 「领导重视情况15分」 + 「自查自纠及整改情况10分」 + 「加、减分项目」 (no points): the drafted parts' sum
    assert [(p.name, p.points) for p in scheme.parts] == [("领导重视", 15), ("自查自纠及整改", 10), ("加、减分项目", 0)]
    assert scheme.total == Decimal(25)


def test_floors_and_rules_follow_the_outline():
    scheme = parse_scheme(drafted())
    leadership, selfcheck, plus_minus = scheme.parts
    # 「扣分情况以扣完本项分值为止」: the part starts full and stops at 0
    assert (leadership.base, leadership.floor, leadership.below_floor) == (Decimal(15), Decimal(0), "stop")
    by_quote = {r.quote: r for r in scheme.rules}
    no_plan = by_quote["没有制定工作方案或实施意见的扣5分"]
    assert (no_plan.kind, no_plan.part, no_plan.params["points"]) == ("deduction", leadership.id, 5)
    assert by_quote["没有认真梳理问题意见扣2分"].part == selfcheck.id
    bonus = next(r for r in scheme.rules if r.kind == "bonus" and r.params["points"] == 5)
    assert (bonus.quote, bonus.part) == ("政务公开工作县内做典型推广的每次加5分", plus_minus.id)


def test_every_drafted_item_carries_offset_and_confidence():
    data = drafted()
    for key in ("parts", "rules"):
        for item in data[key]:
            assert item["quote"] in XINGAN
            assert XINGAN[item["draft"]["offset"] :].startswith(item["quote"])
            assert 0 < Decimal(item["draft"]["confidence"]) <= 1


def test_a_hedged_quota_is_a_guideline_not_a_check():
    # 「优秀单位原则上不超过15%」: 原则上 is a hedge, so no quota is drafted from it
    data = drafted()
    assert "grading" not in data or not data["grading"].get("quotas")
    guideline = [i for i in data["draft"]["items"] if i.get("guideline")]
    assert [(i["kind"], i["value"]) for i in guideline] == [("quota", "15%")]


def test_numbers_no_table_holds_are_listed_not_dropped():
    data = drafted()
    listed = {i.get("value") for i in data["draft"]["items"]} | {
        n for u in data["draft"]["unplaced"] for n in u["numbers"]
    }
    # 「对评为优秀的单位奖励2000元」 has no grading to hang on: it is listed
    assert "2000" in listed


def test_a_complete_status_with_drafts_is_refused():
    data = drafted()
    data["status"]["complete"] = True
    with pytest.raises(SchemeError, match="drafted items are not checked"):
        parse_scheme(data)


def test_a_text_without_parts_still_loads():
    # 003_98b0853a6d9307c1.txt: 「受到党中央、国务院表彰的每次加5分」 before any part heading
    scheme = parse_scheme(drafted("受到党中央、国务院表彰的每次加5分。"))
    assert [p.id for p in scheme.parts] == ["unassigned"]
    assert scheme.rules[0].part == "unassigned"
    assert scheme.total == 0


# 001_afe211f9c574c74e.txt, 第五篇 (漳州), shortened: the scope statements stand after the rules they govern
ZHANGZHOU = """\
(二)机关效率与作风纪律建设(100分)
(1)违纪受到党纪政纪处分,科级以上(包括科级)每人次扣10分,科级以下每人次扣7分。
以上扣分以被责任追究时间为准,同一事项就高扣分一次,不重复扣分。属于本单位自行查处或主动报告有关机关查处的,免予扣分。
(三)突出绩效与创新(100分)
(5)政务公开(含党务公开)工作被市(厅)级评为先进单位、确定为示范单位,经验在全市(系统)进行推广的奖励2分。
以上奖励性项目以当年时间为准;同一项工作在不同项目得分的,以最高一次得分计;属多部门联办的,给予主办单位和有承担部分实际工作的联办单位分别得分。主办单位按80%计分,联办单位按20%计分。
"""


def test_same_matter_self_reporting_and_joint_shares_apply_to_their_part():
    scheme = parse_scheme(drafted(ZHANGZHOU))
    discipline, innovation = scheme.parts
    by_part = {p.id: [r for r in scheme.rules if r.part == p.id] for p in scheme.parts}
    # 「同一事项就高扣分一次」 and 「自行查处…免予扣分」: both deductions of the part
    assert [(r.params["points"], r.same_matter, r.self_report_exempt) for r in by_part[discipline.id]] == [
        (10, discipline.id, True),
        (7, discipline.id, True),
    ]
    # 「同一项工作…以最高一次得分计」, 「主办单位按80%计分,联办单位按20%计分」
    (award,) = by_part[innovation.id]
    assert (award.kind, award.params["points"], award.same_matter) == ("bonus", 2, innovation.id)
    assert award.joint == {"lead": Decimal("0.8"), "co": Decimal("0.2")}


@pytest.mark.parametrize(
    "sentence",
    [
        "资料不全的,一般扣2分。",  # 一般
        "资料不全的,原则上扣2分。",  # 原则上
        "资料不全的扣2分左右。",  # 左右
        "资料不全的,适当扣2分。",  # 适当
        "资料不全的,可扣2分。",  # 可
    ],
)
def test_hedged_amounts_are_guidelines_never_rules(sentence: str):
    data = drafted("1、材料报送情况15分。" + sentence)
    assert "rules" not in data
    (item,) = [i for i in data["draft"]["items"] if i.get("value") == "2"]
    assert item["guideline"] is True


def test_drafting_is_deterministic():
    first = dumps(draft_from_text(XINGAN + ZHANGZHOU, NAMES))
    assert dumps(draft_from_text(XINGAN + ZHANGZHOU, NAMES)) == first
