"""Chinese by default, English with ``--lang en`` or ``KAOPING_LANG=en``: help, click's own texts, errors,
explain and reports; problems located the way an office reads them; names, not ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.core.errors import Problem, column_label
from kaoping.locale import ENV, get_language, set_language
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA
from tests.helpers import table_rows

BAD_DATA = Path(__file__).parents[1] / "data" / "bad_zhangzhou"
SAMPLE = str(SAMPLE_DATA)


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """No KAOPING_LANG: the default language."""
    monkeypatch.delenv(ENV, raising=False)
    set_language(None)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_the_default_language_is_simplified_chinese(chinese):
    assert get_language() == "zh_CN"


def test_help_is_chinese_by_default(chinese):
    result = invoke("--help")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("用法:") and "选项" in out and "命令" in out
    assert "显示本帮助并退出。" in out and "按各地考评办法原文计算政府绩效考评结果" in out
    assert "Show this message and exit." not in out and "Usage:" not in out


def test_command_and_option_help_are_chinese_by_default(chinese):
    out = invoke("score", "--help").output
    assert "对一套数据计分" in out and "方案编码（或由 --config 指定）。" in out and "[默认：table]" in out
    assert "部署文件（kaoping.toml）。" in out  # an option shared by every command


def test_lang_en_gives_english_help(chinese):
    out = invoke("--lang", "en", "score", "--help").output
    assert (
        out.startswith("Usage:") and "Score a dataset: totals" in out and "Scheme id (or take it from --config)." in out
    )
    assert "对一套数据计分" not in out and "[default: table]" in out
    top = invoke("--lang=en", "--help").output
    assert "Show this message and exit." in top and "Language of every text shown" in top


def test_kaoping_lang_en_gives_english_help(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(ENV, "en")
    out = invoke("validate", "--help").output
    assert "Check a dataset against a scheme" in out and "用法" not in out


def test_click_usage_errors_follow_the_language(chinese):
    zh = invoke("score", "--bogus")
    assert zh.exit_code == 2 and "错误：没有选项 '--bogus'。" in zh.output and "查看帮助" in zh.output
    en = invoke("--lang", "en", "score", "--bogus")
    assert en.exit_code == 2 and "Error: No such option '--bogus'." in en.output


def test_data_errors_are_chinese_with_the_column_as_the_office_reads_it(chinese):
    result = invoke("validate", "--scheme", "fujian.zhangzhou", "--data", str(BAD_DATA))
    assert result.exit_code == 2
    out = result.output
    assert "错误：发现" in out and "个问题：" in out
    # values.csv row 2 has 四百 in 数值: 「values.csv 第2行「数值」列：应为数字……」
    line = next(line for line in out.splitlines() if "四百" in line)
    assert line.endswith("values.csv 第2行「数值」列：应为数字，实为「四百」"), line
    assert "未知指标「basic_tagets」" in out and "未知单位「S9-99」" in out and "<input>" not in out
    assert "所填序列「series9」方案中没有（已有序列：第一系列 (series1)" in out


def test_data_errors_are_english_with_lang_en(chinese):
    out = invoke("--lang", "en", "validate", "--scheme", "fujian.zhangzhou", "--data", str(BAD_DATA)).output
    assert "problems found:" in out and "unknown indicator 'basic_tagets'" in out
    assert "values.csv, row 2, column '数值(value)':" in out


def test_explain_is_chinese_by_default_and_names_parts_and_groups(chinese):
    out = invoke("explain", "建设局", "--scheme", "fujian.zhangzhou", "--data", SAMPLE).output
    assert out.startswith("建设局（S2-14），第二系列：总分 699.9，名次 44，等次 不合格")
    assert "总分：699.9" in out
    # the wrapped table cell, read back: the overflow of the part into the total, named by the part's name
    overflow = next(row for row in table_rows(out, "分值") if row["类别"] == "超扣转总分")
    assert overflow["事项"] == "机关效率与作风纪律建设：超出本项目的扣分从总分中扣除"
    assert overflow["考评项目"] == "（总分）"
    assert "一票否决：社会治安综合治理（扣分），认定部门：市综治办" in out
    # the one label table of consequences; 0.90 as the scheme writes it
    assert "结果运用：工作人员考核优秀比例 5%；奖金系数 0.90" in out
    assert "series2" not in out and "efficiency" not in out and "zongzhi" not in out


def test_explain_in_english_with_lang_en(chinese):
    out = invoke("--lang", "en", "explain", "建设局", "--scheme", "fujian.zhangzhou", "--data", SAMPLE).output
    assert out.startswith("建设局 (S2-14), group 第二系列: total 699.9, rank 44, grade 不合格")
    assert "consequences: Staff excellent ratio 5%; Bonus factor 0.90" in out


def test_score_table_is_chinese_by_default(chinese):
    out = invoke("score", "--scheme", "fujian.zhangzhou", "--data", SAMPLE).output
    assert "[第一系列]" in out and "名次" in out and "总分" in out and "等次" in out and "完成基本工作目标" in out


def test_problem_places_in_both_languages():
    problem = Problem('应为数字，实为"abc"', file="units.csv", row=2, column="value")
    set_language("zh")
    assert str(problem) == 'units.csv 第2行「数值」列：应为数字，实为"abc"'
    assert str(Problem("方案没有该序列", input="方案 fujian.zhangzhou")) == "方案 fujian.zhangzhou：方案没有该序列"
    assert str(Problem("请给出 --scheme")) == "请给出 --scheme"  # never <input>
    set_language("en")
    assert str(problem) == "units.csv, row 2, column 'value': 应为数字，实为\"abc\""
    assert str(Problem("x", file="data.xlsx[events]", row=4)) == "data.xlsx[events], row 4: x"


def test_column_label_reads_the_data_contract():
    assert column_label("value", "values.csv") == "数值"
    assert column_label("数值(value)", "d/values.csv") == "数值"
    assert column_label("rank", "book.xlsx[history]") == "名次"  # the same id is 职级 in events
    assert column_label("rank", "book.xlsx[events]") == "职级"
    assert column_label("no_such_column", "values.csv") == "no_such_column"


def _help_texts(command, path=("kaoping",)):
    """Every help text of the command tree, with where it is shown."""
    if command.__dict__.get("help"):
        yield " ".join(path), command.__dict__["help"]
    for param in command.params:
        if param.__dict__.get("help"):
            yield f"{' '.join(path)} {param.opts[0]}", param.__dict__["help"]
    for name, sub in getattr(command, "commands", {}).items():
        yield from _help_texts(sub, (*path, name))


def test_every_command_and_option_help_has_a_chinese_translation(chinese):
    import inspect

    from kaoping.locale import _

    untranslated = [where for where, text in _help_texts(cli) if _(inspect.cleandoc(text)) == inspect.cleandoc(text)]
    assert not untranslated, f"help without a Chinese translation (mark it N_ and translate it): {untranslated}"
