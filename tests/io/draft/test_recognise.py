"""Recognisers read the wording of the seed documents (each case quotes its seed)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kaoping.io.draft.recognise import PATTERNS_FILE, Candidate, load_patterns, read_candidates


def kinds(text: str) -> list[tuple[str, Decimal | None]]:
    return [(c.kind, c.value) for c in read_candidates(text).candidates]


def only(text: str, kind: str) -> Candidate:
    found = [c for c in read_candidates(text).candidates if c.kind == kind]
    assert len(found) == 1, found
    return found[0]


def test_part_floor_and_deductions_with_verbatim_quotes():
    # 001_afe211f9c574c74e.txt, 第一篇: 「领导重视情况15分,扣分情况以扣完本项分值为止」
    # 「(1)没有召开干部职工大会进行动员部署的扣3分」
    text = "1、领导重视情况15分,扣分情况以扣完本项分值为止。(1)没有召开干部职工大会进行动员部署的扣3分(查会议记录);"
    reading = read_candidates(text)
    assert [(c.kind, c.value) for c in reading.candidates] == [
        ("part", Decimal(15)),
        ("floor", None),
        ("deduction", Decimal(3)),
    ]
    part, _floor, rule = reading.candidates
    assert part.name == "领导重视"
    assert rule.quote.text == "没有召开干部职工大会进行动员部署的扣3分(查会议记录)"
    assert text[rule.quote.start : rule.quote.end] == rule.quote.text
    assert rule.confidence == Decimal("0.75")


def test_per_event_deduction_keeps_its_subject_clause():
    # 001_afe211f9c574c74e.txt: 「公开内容不规范、不全面、不真实的,每次扣5分(以督查情况为准)」
    rule = only("(2)公开内容不规范、不全面、不真实的,每次扣5分(以督查情况为准);", "deduction")
    assert (rule.recogniser, rule.per, rule.value) == ("deduction_per_event", "次", Decimal(5))
    assert rule.quote.text.startswith("公开内容不规范")


def test_bonus_and_its_cap():
    # 001_afe211f9c574c74e.txt, 第二篇: 「每多录用国家级报刊1篇加2分,加分不超过3分」
    assert kinds("每多录用国家级报刊1篇加2分,加分不超过3分。") == [("bonus", Decimal(2)), ("cap", Decimal(3))]


def test_grade_bands_in_four_levels():
    # 002_f0b00884609f5575.txt: 「年终累计得分90分以上为优秀,89分至80分为良好,79分至60分为一般,59分以下为差」
    text = "采用四级制,即年终累计得分90分以上为优秀,89分至80分为良好,79分至60分为一般,59分以下为差。"
    bands = [(c.grade, c.bound, c.value, c.guideline) for c in read_candidates(text).candidates]
    assert bands == [
        ("优秀", "at_least", Decimal(90), False),
        ("良好", "at_least", Decimal(80), False),
        ("一般", "at_least", Decimal(60), False),  # the grade 一般 is not a hedge
        ("差", "at_most", Decimal(59), False),
    ]


def test_quota_share_in_traditional_text():
    # 000_9aaf459fe1a17da7.txt: 「優(yōu)秀指標比例不得超過10%」
    quota = only("員年度考核優(yōu)秀指標比例不得超過10%,并給予通報批評。", "quota")
    assert (quota.grade, quota.value, quota.percent) == ("优秀", Decimal(10), True)
    assert "優(yōu)秀指標比例不得超過10%" in quota.quote.text


def test_veto_appeal_window_and_consecutive_years():
    # 001_afe211f9c574c74e.txt: 「下列情形之一的,实行一票否决」
    assert only("下列情形之一的,实行一票否决,取消年终目标考评评先资格", "veto").value is None
    # 002_f0b00884609f5575.txt: 「可在月考核后三日内通过考核监督小组向考核领导小组提出申诉」
    window = only("可在月考核后三日内通过考核监督小组向考核领导小组提出申诉", "window")
    assert (window.subkind, window.value) == ("appeal", Decimal(3))
    # 003_98b0853a6d9307c1.txt: 「连续两年被评定为“绩效评估基本达标单位”的」
    assert only("连续两年被评定为“绩效评估基本达标单位”的乡镇(街道)", "consecutive").value == Decimal(2)


def test_hedged_range_is_a_guideline():
    # 000_9aaf459fe1a17da7.txt: 「一般每項都占到目標基分的3%-5%左右」
    guideline = only("加大目標分值,一般每項都占到目標基分的3%-5%左右。", "guideline")
    assert (guideline.low, guideline.value, guideline.guideline) == (Decimal(3), Decimal(5), True)
    assert read_candidates("加大目標分值,一般每項都占到目標基分的3%-5%左右。").unplaced == ()


def test_same_matter_and_joint_shares_mark_their_sentence():
    # 001_afe211f9c574c74e.txt, 第五篇: 「同一事项就高扣分一次,不重复扣分」; 「主办单位按80%计分,联办单位按20%计分」
    rule = only("被市纪委通报批评的扣2分,同一事项就高扣分一次,不重复扣分。", "deduction")
    assert rule.same_matter
    joint = read_candidates("主办单位按80%计分,联办单位按20%计分。").candidates
    assert [(c.subkind, c.value) for c in joint] == [("lead", Decimal(80)), ("co", Decimal(20))]
    assert joint[0].joint == (("lead", Decimal("0.8")), ("co", Decimal("0.2")))


def test_a_number_no_pattern_reads_is_returned_with_its_sentence():
    # 003_98b0853a6d9307c1.txt: 「奖金总额为4万元并发放到各单位」
    reading = read_candidates("区委、区政府对其工作人员给予奖金奖励,奖金总额为4万元并发放到各单位。另有13人")
    assert [u.numbers for u in reading.unplaced] == [("13",)]
    assert reading.unplaced[0].sentence.text == "另有13人"


def test_a_locality_wording_is_added_as_data(tmp_path: Path):
    wording = "考评结果分为甲等、乙等两档,乙等扣发绩效奖3个月。"
    assert all(c.kind != "consequence" or c.value != 3 for c in read_candidates(wording).candidates)
    extended = tmp_path / "patterns.toml"
    extended.write_text(
        PATTERNS_FILE.read_text(encoding="utf-8")
        + '\n[[recognisers]]\nid = "withhold_months"\nkind = "consequence"\nconfidence = 0.7\n'
        + "pattern = '扣发[^。]{0,6}?(?P<amount>{NUM})个月'\n",
        encoding="utf-8",
    )
    found = read_candidates(wording, load_patterns(extended)).candidates
    assert [(c.recogniser, c.value) for c in found if c.kind == "consequence"] == [("withhold_months", Decimal(3))]


def test_enumerations_cut_rules_apart():
    # 003_98b0853a6d9307c1.txt style 一是/二是 and 001 style (1)(2): each rule keeps its own subject
    text = "一是迟到早退的每次扣1分,二是无故缺席会议的每次扣2分;(1)未按时上报材料的扣3分(2)材料不真实的扣5分"
    rules = read_candidates(text).candidates
    assert [(c.value, c.quote.text) for c in rules] == [
        (Decimal(1), "迟到早退的每次扣1分"),
        (Decimal(2), "无故缺席会议的每次扣2分"),
        (Decimal(3), "未按时上报材料的扣3分"),
        (Decimal(5), "材料不真实的扣5分"),
    ]
