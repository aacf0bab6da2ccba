"""Help wraps by the columns a terminal shows: Chinese characters are two columns wide."""

from __future__ import annotations

from click.testing import CliRunner

from kaoping.cli._help_format import display_width, wrap, wrap_paragraphs
from kaoping.cli.main import cli


def test_chinese_wraps_between_characters_by_display_width():
    text = (
        "基准方案为部署文件中的方案（使用 --config 时）或第一个 --scheme；"
        "每个 --reform 文件都在基准方案上应用其覆盖设置。"
    )
    lines = wrap(text, 40, "  ")
    assert all(display_width(line) <= 40 for line in lines) and len(lines) > 2
    assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")
    assert not any(line.strip()[0] in "，。；：）」" for line in lines)  # no line starts with closing punctuation


def test_english_wraps_at_spaces_and_keeps_two_spaces_before_the_default():
    lines = wrap("Output format.  [default: table]", 80)
    assert lines == ["Output format.  [default: table]"]
    assert wrap("one two three four", 9) == ["one two", "three", "four"]


def test_a_paragraph_led_by_backspace_is_kept_as_written():
    example = "kaoping demo   # a long line that must not be rewrapped at all, however long it is"
    text = f"Intro text.\n\n\b\nExample:\n  {example}"
    out = wrap_paragraphs(text, 30, "  ")
    assert out[-1] == f"    {example}"


def test_chinese_help_fits_the_terminal(monkeypatch):
    monkeypatch.delenv("KAOPING_LANG", raising=False)
    result = CliRunner().invoke(cli, ["compare", "--help"], terminal_width=80)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    start, end = lines.index("  示例："), lines.index("选项:")
    prose = lines[:start] + lines[end:]  # the examples are kept as written
    assert "并排比较多个方案" in result.output
    assert max(display_width(line) for line in prose) <= 80
