"""The normalised text maps every match back to a verbatim slice of the original."""

from __future__ import annotations

from kaoping.io.draft.recognise import load_patterns
from kaoping.io.draft.text import Normalised


def test_traditional_romanised_text_is_matched_in_simplified_and_quoted_verbatim():
    # 000_9aaf459fe1a17da7.txt is traditional with inline romanisation: 「優(yōu)秀指標比例不得超過10%」
    original = "員年度考核優(yōu)秀指標比例不得超過10%,并給予通報批評。"
    norm = Normalised(original, load_patterns().traditional)
    at = norm.text.index("优秀指标比例不得超过10%")
    span = norm.span(at, at + len("优秀指标比例不得超过10%"))
    assert span.text == "優(yōu)秀指標比例不得超過10%"
    assert original[span.start : span.end] == span.text


def test_spaces_are_ignored_and_sentences_keep_their_positions():
    original = "一、 考评对象\n所有单位 15分。其余 10分；完"
    norm = Normalised(original, {})
    sentences = [norm.span(a, b).text for a, b in norm.sentences()]
    assert sentences == ["一、 考评对象", "所有单位 15分", "其余 10分", "完"]


def test_a_table_saved_as_text_keeps_its_cells_apart():
    # A row of an item table saved with spaces: 「领导重视    15分    没有制定工作方案的扣5分」
    original = "领导重视    15分    没有制定工作方案的扣5分\n"
    norm = Normalised(original, {})
    assert norm.text == "领导重视\t15分\t没有制定工作方案的扣5分\n"
    assert norm.span(0, len(norm.text) - 1).text == original.rstrip("\n")
