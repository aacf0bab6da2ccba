"""Numbers as these documents write them: 15, 0.5, 1.5‰, 百分之十五, 十分, 三十, 两, 3%-5%.

:func:`to_decimal` reads one written number; :func:`find_numbers` lists every number in a normalised
text with its position, so that nothing carrying a number can be left out of a draft unnoticed.
A Chinese numeral counts as a number only before a unit (分、个、名、日、年 …) or after 百分之 /
前 / 第 / 连续, because 一 and 十 occur in ordinary words (一是、统一、十八大).
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE = "零〇一二两三四五六七八九十百千"

ARABIC = r"\d+(?:\.\d+)?"
CHINESE_NUMBER = f"[{CHINESE}]+(?:点[{CHINESE}]+)?"
NUMBER = rf"(?:百分之{CHINESE_NUMBER}|百分之{ARABIC}|{ARABIC}\s*[%‰]?|{CHINESE_NUMBER})"

_CHINESE_CONTEXT_AFTER = "分个名项次日天年月人倍元%条家户位周季期"
_CHINESE_CONTEXT_BEFORE = ("百分之", "前", "第", "连续", "满", "少", "超过", "不超过", "扣", "加", "占", "每")
_FIND = re.compile(NUMBER)
_ENUMERATOR = re.compile(
    r"(?:\d+[.、．]|[(（]\d+[)）]|[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+[、是])"
)


@attrs.frozen
class Number:
    """One written number in a normalised text: its value, unit and position."""

    start: int
    end: int
    text: str
    value: Decimal
    percent: bool = False
    unit: str = ""


def to_decimal(written: str) -> Decimal:
    """The value of a written number: ``"十五"`` → 15, ``"百分之十五"`` → 15 (with ``percent``), ``"0.5"`` → 0.5."""
    text = written.strip().removeprefix("百分之").rstrip("%‰ ")
    if re.fullmatch(ARABIC, text):
        return Decimal(text)
    if "点" in text:
        whole, _, fraction = text.partition("点")
        digits = "".join(str(DIGITS[c]) for c in fraction)
        return _chinese_integer(whole) + Decimal(f"0.{digits}")
    return _chinese_integer(text)


def _chinese_integer(text: str) -> Decimal:
    if not text:
        return Decimal(0)
    if all(c in DIGITS for c in text) and len(text) > 1:  # 二〇一三 written digit by digit
        return Decimal("".join(str(DIGITS[c]) for c in text))
    total = 0
    current = 0
    for char in text:
        if char in DIGITS:
            current = DIGITS[char]
        elif char in UNITS:
            total += (current or 1) * UNITS[char]
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return Decimal(total + current)


def is_percent(written: str) -> bool:
    return written.startswith("百分之") or written.rstrip().endswith("%")


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[Number]:
    """Every number in ``text[start:end]`` (normalised positions), enumeration markers excluded."""
    end = len(text) if end is None else end
    found = []
    for match in _FIND.finditer(text, start, end):
        written = match.group()
        if not any(c.isdigit() for c in written) and not _chinese_in_context(text, match.start(), match.end()):
            continue
        if _is_enumerator(text, match.start()):
            continue
        if match.start() > 1 and text[match.start() - 1] in ".．" and text[match.start() - 2].isdigit():
            continue  # the tail of a section number such as 3.2
        try:
            value = to_decimal(written)
        except (ValueError, KeyError):
            continue
        unit = text[match.end() : match.end() + 1] if match.end() < len(text) else ""
        percent = is_percent(written) or written.endswith("‰")
        found.append(Number(match.start(), match.end(), written, value, percent, unit))
    return found


def _chinese_in_context(text: str, start: int, end: int) -> bool:
    after = text[end : end + 1]
    written = text[start:end]
    if written.startswith("百分之"):
        return True
    if text[max(0, start - 1) : start] == "第":
        return False  # an ordinal (第一篇、第三系列), not a quantity
    if written == "一":  # 一次、一起、一项 mark a single event; only 一分 / 扣一 / 前一 are amounts
        return after in {"分", "%", "名"} or text[max(0, start - 1) : start] in {"扣", "加", "前"}
    if after and after in _CHINESE_CONTEXT_AFTER:
        return not (text[start:end] in {"一", "十"} and text[end : end + 2] in {"分重", "分必", "分注", "分关"})
    return any(text[max(0, start - len(b)) : start] == b for b in _CHINESE_CONTEXT_BEFORE)


def _is_enumerator(text: str, start: int) -> bool:
    """``1.`` / ``(2)`` / ``(三)`` / ``四、`` / ``一是`` at the head of a line, clause or after a separator."""
    if start > 0 and text[start - 1] in "(（":
        start -= 1
    head = start == 0 or text[start - 1] in "\n\t。;；,，:：)）"
    return head and bool(_ENUMERATOR.match(text, start))
