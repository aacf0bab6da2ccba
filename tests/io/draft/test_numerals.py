"""Numbers as the scheme texts write them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaoping.io.draft.numerals import find_numbers, to_decimal


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("15", "15"),
        ("0.5", "0.5"),
        ("1.5‰", "1.5"),
        ("百分之十五", "15"),  # 百分之十五 = 15%
        ("十", "10"),
        ("十五", "15"),
        ("三十", "30"),
        ("二十五", "25"),
        ("一百", "100"),
        ("两", "2"),
        ("二〇一三", "2013"),
        ("三点五", "3.5"),
        ("30%", "30"),
    ],
)
def test_written_numbers_are_read_exactly(written: str, value: str):
    assert to_decimal(written) == Decimal(value)


def test_numbers_in_text_keep_positions_and_percent():
    # 000_9aaf459fe1a17da7.txt: 「一般每项都占到目标基分的3%-5%左右」
    text = "一般每项都占到目标基分的3%-5%左右"
    numbers = find_numbers(text)
    assert [(n.text, n.percent) for n in numbers] == [("3%", True), ("5%", True)]
    assert text[numbers[0].start : numbers[0].end] == "3%"


def test_enumerators_ordinals_and_words_are_not_numbers():
    # 001_afe211f9c574c74e.txt: 「1、领导重视情况15分」; 「第一篇」; 「一是」 is an enumeration marker
    assert [n.text for n in find_numbers("1、领导重视情况15分")] == ["15"]
    assert find_numbers("第一篇:机关党建工作考评办法") == []
    assert find_numbers("一是统一思想,二是加强领导") == []


def test_chinese_numerals_count_before_a_unit():
    # 003_98b0853a6d9307c1.txt: 「连续两年被评定为」; 「扣一分」 style amounts
    assert [n.value for n in find_numbers("连续两年被评定为")] == [Decimal(2)]
    assert [n.value for n in find_numbers("每次扣一分,最高扣十分")] == [Decimal(1), Decimal(10)]
    assert [n.value for n in find_numbers("比例为百分之十五")] == [Decimal(15)]
