"""Templates match the checker: filled in, a template validates and scores; blank, each blank is named once."""

from __future__ import annotations

import csv
import importlib
import pkgutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import kaoping.plugins
from kaoping.cli.main import cli
from kaoping.core.plugins import PluginHost
from kaoping.io.dataio import load_dataset
from kaoping.io.templates import build_template, template_tables

HOST = PluginHost(entry_points=False)


def samples() -> dict[str, Path]:
    found = {}
    for info in pkgutil.iter_modules(kaoping.plugins.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"kaoping.plugins.{info.name}")
        if getattr(module, "SAMPLE_DATA", None) and getattr(module, "SCHEME_ID", None):
            found[module.SCHEME_ID] = Path(module.SAMPLE_DATA)
    return found


SAMPLES = samples()
ROSTER_SCHEMES = sorted(s for s in SAMPLES if HOST.scheme(s).roster_units())


def cli_run(*args: str):
    return CliRunner().invoke(cli, list(args))


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))


def fill_from_sample(folder: Path, sample: Path, scheme_id: str) -> None:
    """Fill every blank of the values template: the sample's own row for the same key, else the sample's
    row of the same indicator and item for another unit (what a clerk would type: a plausible number)."""
    dataset = HOST.load_dataset(sample, HOST.scheme(scheme_id))
    exact = {(r.unit, r.indicator, r.item): r for r in dataset.values}
    like = {(r.indicator, r.item): r for r in dataset.values}
    by_indicator = {r.indicator: r for r in dataset.values}
    rows = read_csv(folder / "values.csv")
    header, body = rows[0], rows[1:]
    for row in body:
        unit, indicator, item = row[0], row[2], row[7]
        source = exact.get((unit, indicator, item)) or like.get((indicator, item)) or by_indicator[indicator]
        row[4] = str(source.value)
        row[5] = "" if source.target is None else str(source.target)
        row[6] = "" if source.baseline is None else str(source.baseline)
        row[8] = source.period
    with (folder / "values.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, *body])


@pytest.mark.parametrize("scheme_id", ROSTER_SCHEMES)
def test_filled_template_validates_and_scores(scheme_id: str, tmp_path: Path):
    assert cli_run("template", scheme_id, "-o", str(tmp_path)).exit_code == 0
    fill_from_sample(tmp_path, SAMPLES[scheme_id], scheme_id)
    checked = cli_run("validate", "--scheme", scheme_id, "--data", str(tmp_path))
    assert checked.exit_code == 0, checked.output
    scored = cli_run("score", "--scheme", scheme_id, "--data", str(tmp_path), "--format", "json")
    assert scored.exit_code == 0, scored.output


def test_template_rows_are_exactly_what_the_checker_accepts():
    # 赫山: 「乡镇(街道)…主要指标增长率…每项加0.5分」 (003): growth ranks only for townships, and as an optional
    # indicator they are not pre-filled (a blank row would be an error) but listed for the township groups
    template = build_template(HOST.scheme("hunan.heshan"), HOST.methods)
    values = template.sheet("values").rows
    assert {row[2] for row in values} == {"indicator_score", "report_score", "public_score"}
    assert len(values) == 106 * 3
    [(indicator, groups, how)] = template.optional
    assert indicator.id == "growth_rank" and groups == ("township_industrial", "township_agricultural", "street")
    assert "kept_first" in how  # the method's own words on what a row holds


def test_heshan_checker_refuses_growth_rank_of_a_department(tmp_path: Path):
    sample = SAMPLES["hunan.heshan"]
    for path in sample.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    with (tmp_path / "values.csv").open("a", encoding="utf-8") as handle:
        handle.write("D3-01,growth_rank,2,5,财政总收入增长率\n")
    checked = cli_run("validate", "--scheme", "hunan.heshan", "--data", str(tmp_path))
    assert checked.exit_code == 2
    assert "is not scored on indicator 'growth_rank'" in checked.output


def test_a_blank_cell_is_reported_once(tmp_path: Path):
    cli_run("template", "anon.xx_township", "-o", str(tmp_path))
    fill_from_sample(tmp_path, SAMPLES["anon.xx_township"], "anon.xx_township")
    rows = read_csv(tmp_path / "values.csv")
    rows[3][4] = ""  # one value left blank
    with (tmp_path / "values.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    checked = cli_run("validate", "--scheme", "anon.xx_township", "--data", str(tmp_path))
    assert checked.exit_code == 2
    problems = [line for line in checked.output.splitlines() if line.startswith("  ")]
    assert len(problems) == 1, checked.output
    assert "row 4" in problems[0] and "value" in problems[0]


def test_blank_template_names_each_missing_value_once(tmp_path: Path):
    cli_run("template", "fujian.zhangzhou", "-o", str(tmp_path))
    checked = cli_run("validate", "--scheme", "fujian.zhangzhou", "--data", str(tmp_path))
    problems = [line for line in checked.output.splitlines() if line.startswith("  ")]
    assert len(problems) == 76 * 3 + 5  # one per pre-filled row, not one more per check


def test_value_rows_name_units_and_indicators_beside_codes():
    tables = template_tables(HOST.scheme("fujian.zhangzhou"))
    header, rows = tables["values"]
    assert header[:4] == ["单位编码(unit)", "单位名称(unit_name)", "指标编码(indicator)", "指标名称(indicator_name)"]
    first = rows[0]
    assert first[1] == HOST.scheme("fujian.zhangzhou").roster_units()[0][1].name


def test_schemes_without_roster_get_rows_to_fill():
    template = build_template(HOST.scheme("jiangsu.nantong"))
    assert template.sheet("units").rows == () and template.sheet("units").fill_rows > 0


# ---------------------------------------------------------------------------------------------------------
# the workbook


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("xlsx")
    assert cli_run("template", "fujian.zhangzhou", "-o", str(folder), "--format", "xlsx").exit_code == 0
    return folder / "fujian.zhangzhou.template.xlsx"


def test_workbook_sheets_dropdowns_and_frozen_panes(workbook_path: Path):
    book = openpyxl.load_workbook(workbook_path)
    names = book.sheetnames
    assert "被考评单位(units)" in names and "指标数据(values)" in names and "加扣分事项(events)" in names
    assert book["lists"].sheet_state == "hidden"
    values = book["指标数据(values)"]
    assert values.freeze_panes == "C2"  # header row and the code + name columns stay in view
    sources = {str(v.sqref).split(":")[0]: v.formula1 for v in values.data_validations.dataValidation}
    assert sources["A2"].startswith("lists!$A$2")  # units
    assert sources["C2"].startswith("lists!$C$2")  # indicators
    events = book["加扣分事项(events)"]
    rule_lists = [v.formula1 for v in events.data_validations.dataValidation]
    assert any(f.startswith("lists!$D$2") for f in rule_lists)  # rules
    # in rows left to fill, the name appears beside the code once the code is picked
    assert events["B2"].value == "=IFERROR(VLOOKUP(A2,'被考评单位(units)'!$A:$B,2,FALSE),\"\")"
    units = book["lists"]["A"]
    assert len([c for c in units if c.value]) == 1 + 81
    # widths fitted to CJK text: a column of Chinese names is wider than the code column
    assert values.column_dimensions["B"].width > values.column_dimensions["A"].width


def test_workbook_reads_back_as_data(workbook_path: Path):
    dataset = load_dataset(workbook_path)
    assert len(dataset.units) == 81 and len(dataset.events) == 0  # rows left to fill read as blank
    assert len(dataset.values) == 0  # the blank values are problems, each named once
    assert len(dataset.problems) == 76 * 3 + 5


def test_workbook_is_byte_identical_on_rerun(workbook_path: Path, tmp_path: Path):
    cli_run("template", "fujian.zhangzhou", "-o", str(tmp_path), "--format", "xlsx")
    again = tmp_path / workbook_path.name
    with zipfile.ZipFile(workbook_path) as a, zipfile.ZipFile(again) as b:
        assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}
    assert again.read_bytes() == workbook_path.read_bytes()


def test_instructions_sheet_lists_every_data_column(workbook_path: Path):
    book = openpyxl.load_workbook(workbook_path)
    sheet = book[book.sheetnames[0]]
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "fujian.zhangzhou" in text and "kaoping validate" in text
    for header in ("单位编码(unit)", "数值(value)", "规则编码(rule)", "否决领域(area)"):
        assert header in text


def test_filled_workbook_template_validates_and_scores(tmp_path: Path):
    """The office journey in Excel: the workbook template, filled cell by cell, then validate and score."""
    scheme_id = "anon.xx_township"
    assert cli_run("template", scheme_id, "-o", str(tmp_path), "--format", "xlsx").exit_code == 0
    path = tmp_path / f"{scheme_id}.template.xlsx"
    dataset = HOST.load_dataset(SAMPLES[scheme_id], HOST.scheme(scheme_id))
    given = {(r.unit, r.indicator, r.item): r for r in dataset.values}
    book = openpyxl.load_workbook(path)
    sheet = book["指标数据(values)"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value:
            source = given[(row[0].value, row[2].value, row[7].value or "")]
            row[4].value = float(source.value)
    events = book["加扣分事项(events)"]
    for number, event in enumerate(dataset.events, start=2):
        # columns: unit, (name), rule, (name), count, level, rank, quantity, points, matter, role, 自查自报
        cells = {1: event.unit, 3: event.rule, 5: event.count, 6: event.level, 7: event.rank, 10: event.matter}
        cells.update({8: event.quantity, 9: event.points, 11: event.role, 12: "是" if event.self_reported else "否"})
        for column, value in cells.items():
            events.cell(number, column, float(value) if hasattr(value, "quantize") else value)
    book.save(path)
    checked = cli_run("validate", "--scheme", scheme_id, "--data", str(path))
    assert checked.exit_code == 0, checked.output
    scored = cli_run("score", "--scheme", scheme_id, "--data", str(path), "--format", "csv")
    assert scored.exit_code == 0, scored.output
    expected = cli_run("score", "--scheme", scheme_id, "--data", str(SAMPLES[scheme_id]), "--format", "csv")
    assert scored.stdout == expected.stdout  # the same numbers as the sample they were copied from


def test_a_blank_group_is_reported_once_not_again_for_each_row_of_the_unit(tmp_path: Path):
    sample = SAMPLES["fujian.zhangzhou"]
    for path in sample.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    rows = read_csv(tmp_path / "units.csv")
    rows[1][2] = ""  # the first unit's group left blank
    with (tmp_path / "units.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    checked = cli_run("validate", "--scheme", "fujian.zhangzhou", "--data", str(tmp_path))
    problems = [line for line in checked.output.splitlines() if line.startswith("  ")]
    assert checked.exit_code == 2 and len(problems) == 1, checked.output
    assert "group" in problems[0] and "row 2" in problems[0]
