"""Terminal tables and explanations fit 100 columns, measuring Chinese as two columns, wrapping long text."""

from __future__ import annotations

import pytest

from kaoping.core.pipeline import run
from kaoping.core.plugins import PluginHost
from kaoping.io.report import explain_text, to_table
from kaoping.io.terminal import WIDTH, display_width, render_table, wrap, wrap_lines
from kaoping.testing import Sample, builtin_samples


def widest(text: str) -> int:
    return max(display_width(line) for line in text.splitlines())


def test_chinese_counts_two_columns():
    assert display_width("建设局") == 6 and display_width("a建b") == 4 and display_width("ＡＢ") == 4


def test_wrap_never_exceeds_and_keeps_every_character():
    text = "效能督查发现问题 inspection_of_everything 违反财经纪律、财务规章制度 x" * 3
    for width in (6, 9, 20, 41):
        lines = wrap(text, width)
        assert all(display_width(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_wide_table_wraps_text_and_keeps_numbers_whole():
    rows = [[str(n), "某某县人民政府办公室" * 4, "a very long note " * 8, f"{n}99.25"] for n in range(3)]
    text = render_table(["名次", "单位", "备注", "总分"], rows, numeric={0, 3})
    assert widest(text) <= WIDTH
    assert "099.25" in text and "199.25" in text


def test_too_many_columns_split_into_blocks_repeating_the_keys():
    header = ["名次", "单位", *(f"第{n}部分得分" for n in range(30))]
    rows = [["1", "建设局", *("100.25" for _ in range(30))]]
    text = render_table(header, rows, numeric=set(range(2, 32)) | {0})
    assert widest(text) <= WIDTH
    assert text.count("建设局") >= 3  # each block repeats rank and name


def test_control_characters_from_data_do_not_reach_the_terminal():
    text = render_table(["单位"], [["恶意\x1b[2J单位\x07"]])
    assert "\x1b" not in text and "\x07" not in text and "恶意[2J单位" in text
    assert wrap_lines(["\x1b]0;title\x07x"]) == ["]0;titlex"]


SAMPLES = builtin_samples()


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.scheme_id for s in SAMPLES])
def test_score_table_and_explain_fit_100_columns(sample: Sample):
    host = PluginHost(entry_points=False)
    result = run(host, host.scheme(sample.scheme_id, dict(sample.overrides or {})), sample.data)
    table = to_table(result)
    assert widest(table) <= WIDTH, table
    assert not_in_gbk(table) == set()
    for unit in result.units[:3]:
        explained = explain_text(unit)
        assert widest(explained) <= WIDTH, explained
        assert not_in_gbk(explained) == set()


def not_in_gbk(text: str) -> set[str]:
    return {c for c in text if not c.encode("gbk", errors="ignore")}


def test_a_long_line_continues_in_full_lines_of_the_continuation_width():
    # a consequence quoted from 漳州: the wrapped rest must not leave 「、」 alone on a line
    sanction = "取消单位及其领导班子成员本综合性评先评优资格、列为翌年重点整改单位,由市纪委、市委组织部、" * 3
    lines = wrap_lines([f"consequences: bonus factor 0.9; sanctions {sanction}"])
    assert all(display_width(line) <= WIDTH for line in lines)
    assert all(line.startswith("  ") for line in lines[1:])
    assert all(display_width(line) >= WIDTH - 2 for line in lines[1:-1])  # every continuation but the last is full
    assert "".join(line.strip() for line in lines).replace(" ", "") == (
        f"consequences: bonus factor 0.9; sanctions {sanction}".replace(" ", "")
    )


def test_a_chinese_comma_never_starts_a_wrapped_line():
    # 「指标、一票否决、等次」 in a column 7 wide: the break falls before 、, so 决 moves down with it
    assert wrap("指标、一票否决、等次", 14) == ["指标、一票否", "决、等次"]
    assert all(not line.startswith("、") for line in wrap("指标、扣分、加分、一票否决、等次", 8))
