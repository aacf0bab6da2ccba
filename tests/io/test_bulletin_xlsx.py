"""The 通报 workbook, read back with openpyxl: sheets, title, headers, formats, widths, print set-up, counts.

Labels are compared through ``_()``, so the tests hold in Chinese and in English; names (第一系列,
完成基本工作目标) come from the scheme files and are compared as written there.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.core.consequences import CONSEQUENCE_LABELS
from kaoping.core.pipeline import run
from kaoping.io.bulletin import build_bulletin
from kaoping.io.bulletin_html import to_html
from kaoping.io.bulletin_xlsx import (
    LINES_WIDTH,
    SHEET_NAME_LIMIT,
    TITLE_SCALE,
    display_width,
    sheet_names,
    write_bulletin_xlsx,
)
from kaoping.locale import _
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA as ZHANGZHOU
from kaoping.plugins.hunan_heshan import SAMPLE_DATA as HESHAN
from kaoping.testing import Sample, builtin_samples
from tests.helpers import host
from tests.io.common import mini_bulletin, sample_bulletin, write

ZHANGZHOU_PARTS = ["完成基本工作目标", "机关效率与作风纪律建设", "突出绩效与创新", "效能评议"]


@pytest.fixture(scope="module")
def zhangzhou(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("zz") / "通报.xlsx"
    return openpyxl.load_workbook(write(sample_bulletin("fujian.zhangzhou", title="漳州市", year=2008), path))


@pytest.fixture(scope="module")
def heshan(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("hs") / "通报.xlsx"
    return openpyxl.load_workbook(write(sample_bulletin("hunan.heshan", year=2013), path))


def test_one_sheet_per_group_by_its_chinese_name_then_summary_notes_detail(zhangzhou):
    assert zhangzhou.sheetnames == [
        "第一系列",
        "第二系列",
        "第三系列",
        "不列入系列(参加公众评议)",
        _("Summary"),
        _("Notes"),
        _("Detail"),
    ]


def test_title_row_names_year_deployment_and_scheme(zhangzhou):
    sheet = zhangzhou["第一系列"]
    assert sheet["A1"].value == _("{year} evaluation results of {name}").format(year=2008, name="漳州市")
    assert "A1:J1" in {str(r) for r in sheet.merged_cells.ranges}
    heading = sheet["A2"].value
    assert "第一系列" in heading and "漳州市直机关绩效考评办法" in heading and "18" in heading


def test_without_a_deployment_name_the_title_falls_back_to_the_scheme(heshan):
    title = heshan["街道"]["A1"].value
    assert title == _("{year} evaluation results under {scheme}").format(
        year=2013, scheme="2013年赫山区绩效评估实施方案"
    )


def test_headers_are_rank_unit_total_parts_by_name_grade_veto_consequences(zhangzhou):
    header = [c.value for c in zhangzhou["第一系列"][3]]
    assert header == [_("Rank"), _("Unit"), _("Total"), *ZHANGZHOU_PARTS, _("Grade"), _("Veto"), _("Use of results")]


def test_scores_are_number_cells_at_the_schemes_precision(zhangzhou):
    sheet = zhangzhou["第一系列"]
    # expected.csv: S1-06 党工委 444.5+100+0+276.3+(47+49+46+46+44)/5 = 867.20, rank 1, 优秀
    assert [sheet[f"{c}4"].value for c in "ABCDEFGH"] == [1, "党工委", 867.2, 444.5, 100, 0, 322.7, "优秀"]
    for cell in (sheet["C4"], sheet["D4"], sheet["G4"]):
        assert cell.data_type == "n" and cell.number_format == "0.00"  # precision = "0.01"
    assert sheet["A4"].data_type == "n" and sheet["A4"].number_format == "0"


def test_consequences_and_vetoes_are_spelled_out(zhangzhou):
    sheet = zhangzhou["第一系列"]
    consequences = sheet["J4"].value.split("\n")
    # 「工作人员考核优秀等级比例按20%下达,年终市长奖金按高于平均数的10%发放」 (001_afe211f9c574c74e.txt)
    assert consequences[0] == _("{label}: {value}").format(
        label=_(CONSEQUENCE_LABELS["staff_excellent_ratio"]), value="20%"
    )
    assert consequences[1] == _("{label}: {value}").format(label=_(CONSEQUENCE_LABELS["bonus_factor"]), value="1.10")
    assert sheet["J4"].alignment.wrap_text
    assert all("quote" not in line for line in consequences)
    row = next(r for r in sheet.iter_rows(min_row=4) if r[1].value == "宣传部")
    # vetoes.csv: 宣传部, 计划生育 — 「…扣20分」 (a deduct veto of the scheme's 计划生育 area)
    assert row[8].value == _("{area} ({effect})").format(
        area="计划生育", effect=_("{points} points deducted").format(points=20)
    )


def test_unsatisfactory_units_list_their_sanctions(zhangzhou):
    sheet = zhangzhou["第二系列"]
    header = [c.value for c in sheet[3]]
    # 建设局's deductions pass the 100-point floor: 「超出的分数在该单位总得分中扣除」, shown in its own column
    assert header[7] == _("Adjustments outside parts")
    row = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[header.index(_("Grade"))] == "不合格")
    assert row[1] == "建设局" and row[7] == -20
    consequences = row[header.index(_("Use of results"))]
    label = _(CONSEQUENCE_LABELS["sanctions"])
    assert any(
        line.startswith(label) and "取消单位及其领导班子成员本综合性评先评优资格" in line
        for line in consequences.split("\n")
    )
    assert "列入翌年行风评议重点单位" in consequences  # series2's extra for 不合格


def test_column_widths_fit_cjk_text(zhangzhou):
    sheet = zhangzhou["第二系列"]
    widths = {col: sheet.column_dimensions[col].width for col in "ABCDEFGHIJ"}
    longest_name = max(len(r[1].value) for r in sheet.iter_rows(min_row=4))
    assert widths["B"] >= 2 * longest_name  # CJK characters count double
    assert widths["C"] >= len("867.20")
    assert widths["J"] <= LINES_WIDTH + 3  # consequences wrap rather than run off the page
    # a row with three lines of consequences is tall enough for three lines
    assert sheet.row_dimensions[4].height >= 3 * 15


def test_header_frozen_filtered_and_printed_a4_landscape_one_page_wide(zhangzhou):
    sheet = zhangzhou["第一系列"]
    assert sheet.freeze_panes == "C4"  # title, heading and header rows; rank and unit columns
    assert sheet.auto_filter.ref == "A3:J21"  # header + 18 units
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 9  # 9 = A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0  # one page wide, as many long as needed
    assert sheet.print_title_rows == "$1:$3"
    assert sheet.oddFooter.center.text == _("Page {page} of {pages}").format(page="&P", pages="&N")
    for name in zhangzhou.sheetnames:
        assert zhangzhou[name].page_setup.paperSize == 9 and zhangzhou[name].print_title_rows == "$1:$3"


def expected_counts(sample: Path) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    with (sample / "expected.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            counts.setdefault(row["group"], Counter())[row["grade"]] += 1
    return counts


def summary_rows(workbook: openpyxl.Workbook) -> dict[str, list[object]]:
    sheet = workbook[_("Summary")]
    return {row[0]: list(row[1:]) for row in sheet.iter_rows(min_row=4, values_only=True)}


def test_summary_counts_grades_per_group_zhangzhou(zhangzhou):
    header = [c.value for c in zhangzhou[_("Summary")][3]]
    assert header == [_("Series"), _("Units"), "优秀", "合格", "不合格", _("Not graded"), _("Units with a veto")]
    # expected.csv, counted by hand: series1 5 优秀 + 13 合格; series2 10 + 33 + 1 不合格 (建设局);
    # series3 5 + 9; non_series 5 units, not graded; vetoes.csv: 宣传部 (series1), 建设局 (series2)
    assert summary_rows(zhangzhou) == {
        "第一系列": [18, 5, 13, 0, 0, 1],
        "第二系列": [44, 10, 33, 1, 0, 1],
        "第三系列": [14, 5, 9, 0, 0, 0],
        "不列入系列(参加公众评议)": [5, 0, 0, 0, 5, 0],
        _("All"): [81, 20, 55, 1, 5, 2],
    }
    expected = expected_counts(ZHANGZHOU)
    assert summary_rows(zhangzhou)["第二系列"][1:4] == [expected["series2"][g] for g in ("优秀", "合格", "不合格")]


def test_summary_counts_grades_per_group_heshan(heshan):
    rows = summary_rows(heshan)
    # expected.csv, counted by hand (优秀, 达标, 基本达标, 不达标, not graded):
    assert rows["乡镇 工业发展型"][:6] == [6, 2, 4, 0, 0, 0]
    assert rows["乡镇 农业发展型"][:6] == [6, 2, 3, 0, 1, 0]
    assert rows["经济管理部门"][:6] == [18, 6, 6, 6, 0, 0]
    assert rows["中央、省、市驻区有关单位"][:6] == [27, 7, 4, 10, 6, 0]
    assert rows["参照实施绩效评估的单位"][:6] == [2, 0, 0, 0, 0, 2]
    assert rows[_("All")][:6] == [106, 29, 50, 17, 7, 3]
    expected = expected_counts(HESHAN)
    assert sum(expected[g][""] for g in expected) == 3 and sum(sum(c.values()) for c in expected.values()) == 106


def test_notes_name_the_source_document(zhangzhou):
    notes = {row[0]: row[1] for row in zhangzhou[_("Notes")].iter_rows(min_row=4, values_only=True)}
    assert "001_afe211f9c574c74e.txt" in notes[_("Source document")]
    assert notes[_("Deployment overrides")] == _("none: the scheme as published")
    assert "fujian.zhangzhou" in notes[_("Scheme")]


def test_detail_sheet_holds_the_trail_with_names(zhangzhou):
    sheet = zhangzhou[_("Detail")]
    header = [c.value for c in sheet[3]]
    assert header[:7] == [
        _("Unit code"),
        _("Unit"),
        _("Series"),
        _("Part"),
        _("Kind"),
        _("Rule or indicator"),
        _("Points"),
    ]
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] == "S1-06"]
    assert sum(r[6] for r in rows) == pytest.approx(867.2)  # the trail adds up to the total
    assert ("效能评议", "公众评议", 276.3) in {(r[3], r[5], r[6]) for r in rows}
    assert sheet["G4"].number_format == "0.00"


def test_rerun_gives_identical_bytes(tmp_path: Path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_bulletin_xlsx(sample_bulletin("hunan.heshan"), first)
    write_bulletin_xlsx(sample_bulletin("hunan.heshan"), second)
    assert first.read_bytes() == second.read_bytes()


def test_sheet_names_follow_excel_rules():
    names = sheet_names(
        ["a[b]c:d*e?f/g\\h", "长" * 40, "汇总", "'引号'", "History", "组", "组", "X", "x", "\x07"],
        reserved=("汇总",),
    )
    assert names[0] == "a_b_c_d_e_f_g_h"
    assert names[1] == "长" * SHEET_NAME_LIMIT
    assert names[2] == "汇总(2)"  # a group named like a fixed sheet
    assert names[3] == "引号"  # no leading or trailing apostrophe
    assert names[4] == "History(2)"  # Excel reserves History
    assert names[5:9] == ["组", "组(2)", "X", "x(2)"]  # unique ignoring case
    assert names[9] == "_"
    assert all(len(n) <= SHEET_NAME_LIMIT for n in names) and len(set(map(str.casefold, names))) == len(names)
    assert sheet_names(["长" * 40, "长" * 40])[1] == "长" * 28 + "(2)"


def test_names_from_data_are_text_never_formulas(tmp_path: Path):
    groups = [{"id": "g", "name": "=1+1 组/名[x]"}]
    units = [
        {"unit": "a", "name": '=HYPERLINK("http://x","y")', "group": "g"},
        {"unit": "b", "name": "@SUM(1)", "group": "g"},
        {"unit": "c", "name": "乙\x07丙", "group": "g"},
    ]
    bulletin = mini_bulletin(groups, units, {"a": "90", "b": "80", "c": "70"})
    workbook = openpyxl.load_workbook(write(bulletin, tmp_path / "x.xlsx"))
    assert workbook.sheetnames[0] == "=1+1 组_名_x_"
    sheet = workbook.worksheets[0]
    cells = {sheet[f"B{row}"].value: sheet[f"B{row}"] for row in (4, 5, 6)}
    assert set(cells) == {'=HYPERLINK("http://x","y")', "@SUM(1)", "乙丙"}  # read back as written, BEL dropped
    for text in ('=HYPERLINK("http://x","y")', "@SUM(1)"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix
    assert not cells["乙丙"].quotePrefix
    detail = workbook[_("Detail")]
    assert {detail[f"B{row}"].data_type for row in range(4, detail.max_row + 1)} == {"s"}


def test_groups_ranked_together_share_one_sheet_with_a_series_column(tmp_path: Path):
    groups = [{"id": "x", "name": "甲组", "pool": "all"}, {"id": "y", "name": "乙组", "pool": "all"}]
    units = [{"unit": "a", "name": "单位甲", "group": "x"}, {"unit": "b", "name": "单位乙", "group": "y"}]
    workbook = openpyxl.load_workbook(write(mini_bulletin(groups, units, {"a": "80", "b": "90"}), tmp_path / "p.xlsx"))
    assert workbook.sheetnames == ["甲组、乙组", _("Summary"), _("Notes"), _("Detail")]
    sheet = workbook["甲组、乙组"]
    assert [c.value for c in sheet[3]][:4] == [_("Rank"), _("Unit"), _("Series"), _("Total")]
    assert [(r[0], r[1], r[2]) for r in sheet.iter_rows(min_row=4, values_only=True)] == [
        (1, "单位乙", "乙组"),  # ranked together: 90 before 80
        (2, "单位甲", "甲组"),
    ]
    assert "甲组、乙组" in sheet["A2"].value
    rows = summary_rows(workbook)
    assert rows[_("{group} (ranked with its pool)").format(group="甲组")][0] == 1


def test_score_command_writes_the_bulletin_with_the_countys_name_and_overrides(tmp_path: Path):
    config = tmp_path / "kaoping.toml"
    config.write_text(
        f"""
[counties.zz]
name = "测试县"
scheme = "fujian.zhangzhou"
data = "{ZHANGZHOU.as_posix()}"

[[counties.zz.overrides.grading.bands]]
id = "unqualified"
below = 805
""",
        encoding="utf-8",
    )
    out = tmp_path / "通报.xlsx"
    result = CliRunner().invoke(
        cli, ["score", "--config", str(config), "--format", "xlsx", "-o", str(out), "--year", "2024"]
    )
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(out)
    assert workbook["第一系列"]["A1"].value == _("{year} evaluation results of {name}").format(year=2024, name="测试县")
    notes = {row[0]: row[1] for row in workbook[_("Notes")].iter_rows(min_row=4, values_only=True)}
    assert notes[_("Deployment")] == "测试县"
    # the band is named by the grade it gives, beside its id
    assert notes[_("Deployment overrides")] == "grading.bands.不合格（unqualified）.below = 805"
    again = tmp_path / "again.xlsx"
    CliRunner().invoke(cli, ["score", "--config", str(config), "--format", "xlsx", "-o", str(again), "--year", "2024"])
    assert again.read_bytes() == out.read_bytes()


def test_title_option_names_the_publisher(tmp_path: Path):
    out = tmp_path / "r.xlsx"
    args = ["score", "--scheme", "hunan.heshan", "--data", str(HESHAN), "--format", "xlsx", "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--title", "赫山区"])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["街道"]
    assert sheet["A1"].value == _("{year} evaluation results of {name}").format(year=2013, name="赫山区")


def table_width(sheet) -> float:
    last = sheet.max_column
    return sum(
        d.width * (min(d.max, last) - d.min + 1) for d in sheet.column_dimensions.values() if d.min and d.min <= last
    )


@pytest.mark.parametrize("sample", builtin_samples(), ids=lambda s: s.scheme_id)
def test_every_builtin_sample_gives_a_bulletin(sample: Sample, tmp_path: Path):
    scheme = host().scheme(sample.scheme_id, dict(sample.overrides) if sample.overrides else None)
    result = run(host(), scheme, sample.data)
    bulletin = build_bulletin(result, scheme, overrides=sample.overrides)
    workbook = openpyxl.load_workbook(write(bulletin, tmp_path / "通报.xlsx"))
    assert len(workbook.sheetnames) == len(bulletin.sections) + 3
    shown = sum(workbook[name].max_row - 3 for name in workbook.sheetnames[: len(bulletin.sections)])
    assert shown == len(result.units)  # every unit on exactly one ranking sheet
    assert to_html(bulletin).count("<section") == len(bulletin.sections) + 2
    for sheet in workbook.worksheets:  # a printer prints the used columns only: the merged title must fit them
        assert table_width(sheet) >= display_width(sheet["A1"].value) * TITLE_SCALE
    if sample.overrides:
        notes = {row[0]: row[1] for row in workbook[_("Notes")].iter_rows(min_row=4, values_only=True)}
        assert notes[_("Deployment overrides")] != _("none: the scheme as published")


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler-utils are not installed (apt-get install -y libreoffice-calc-nogui poppler-utils)",
)
def test_printed_by_libreoffice_a_sheet_per_group_on_a4_landscape(tmp_path: Path):
    book = write(sample_bulletin("hunan.heshan", year=2013), tmp_path / "tongbao.xlsx")
    subprocess.run(
        [
            str(SOFFICE),
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "tongbao.pdf"
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    first_width, first_height = map(float, boxes[0])
    assert abs(first_width - 841.9) < 1 and abs(first_height - 595.3) < 1  # A4 landscape
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")
    # every group's sheet starts a page with the title; the first pages show 乡镇 工业发展型's townships
    # (each row is as tall as its 结果运用 lines: the bonus amounts are multiplied out, one per line)
    assert pages[0].count("泉交河镇") == 1 and "泥江口镇" in "".join(pages[:6])
    assert sum(1 for page in pages if page.strip()) >= 12 + 3
