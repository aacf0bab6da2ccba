"""A workbook's and a JSON file's values read into columns give the row reader's dataset, problems and words.

The row reader (``load_dataset(..., columnar=False)``) is the reference, as for ``values.csv``
(``tests/io/test_csvvalues.py``, whose comparison this reuses): the same rows to the exponent of every
decimal, the same row numbers, the same reading and validation problems in the same order, and the same
pinned JSON of a run, for every built-in sample written as a table workbook (``values.xlsx``), a
whole-dataset workbook and a JSON file (cells as text, and typed as a spreadsheet or a script types them),
every test folder, and hypothesis-generated sheets and JSON tables of every kind of cell.
"""

from __future__ import annotations

import csv
import datetime
import importlib.util
import json
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.core import limits
from kaoping.core.columnar.values import ValueRowsView
from kaoping.core.pipeline import prepare, run
from kaoping.io import csvvalues, xlsxvalues
from kaoping.io.dataio import TABLE_ORDER, load_dataset
from kaoping.testing import builtin_samples
from tests.core.test_columnar_engine import same_in_both
from tests.io.test_csvvalues import NUMBERS, TEXTS, ZHANGZHOU, assert_same, read_both, rows_of

DATA = Path(__file__).parents[1] / "data"
SHAPES = ("table workbook", "data workbook", "json")
HAS_CALAMINE = importlib.util.find_spec("python_calamine") is not None
# python-calamine where it is installed (kaoping[calamine]) and openpyxl; openpyxl alone without it
CALAMINE = [True, False] if HAS_CALAMINE else [False]


def typed(cell: str) -> Any:
    """A cell as a spreadsheet types what a clerk enters: digits become a number, the rest stays text."""
    if re.fullmatch(r"-?\d{1,15}", cell):
        return int(cell)
    if re.fullmatch(r"-?\d{1,10}\.\d{1,5}", cell):
        return float(cell)
    return cell


def csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def convert(folder: Path, target: Path, shape: str, typed_values: bool) -> Path:
    """``folder``'s CSV tables as ``shape``: the values as a workbook beside the other CSV files, every
    table a sheet of one workbook, or every table a list of one JSON file. Returns what to load."""
    target.mkdir(parents=True, exist_ok=True)
    tables = {p.stem: csv_rows(p) for p in sorted(folder.glob("*.csv")) if p.stem != "expected"}

    def cells(table: str, row: list[str]) -> list[Any]:
        return [typed(c) for c in row] if typed_values and table == "values" else row

    if shape == "table workbook":
        for path in folder.iterdir():
            if path.name != "values.csv" and path.is_file():
                shutil.copy(path, target / path.name)
        write_workbook(target / "values.xlsx", {"values": [cells("values", r) for r in tables["values"]]})
        return target
    if shape == "data workbook":
        path = target / "data.xlsx"
        write_workbook(path, {t: [cells(t, r) for r in rows] for t, rows in tables.items()})
        return path
    path = target / "data.json"
    data = {t: [dict(zip(rows[0], cells(t, r), strict=False)) for r in rows[1:]] for t, rows in tables.items()}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def samples_with_values() -> list[Any]:
    return [s for s in builtin_samples() if (s.data / "values.csv").exists()]


@pytest.mark.parametrize("typed_values", [False, True], ids=["text", "typed"])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("sample", samples_with_values(), ids=lambda s: s.scheme_id)
def test_every_builtin_sample_reads_and_scores_the_same(monkeypatch, tmp_path, sample, shape, typed_values):
    source = convert(sample.data, tmp_path / "d", shape, typed_values)
    for calamine in CALAMINE if shape != "json" else [False]:
        with monkeypatch.context() as patched:
            patched.setattr(xlsxvalues, "CALAMINE", calamine)
            assert_same(source)
    assert not load_dataset(source).values.materialised  # read into columns
    setup = prepare(sample.scheme_id, overrides=dict(sample.overrides) if sample.overrides else None)
    assert setup.scheme is not None
    result = same_in_both(monkeypatch, lambda: run(setup.host, setup.scheme, source))
    assert '"units"' in result


def test_a_sample_as_text_cells_reads_the_csv_files_numbers(tmp_path):
    """Text cells are the CSV file's cells: the same decimals (``12.50`` stays ``12.50``) and row numbers."""
    from_csv = load_dataset(ZHANGZHOU, columnar=False)
    workbook = load_dataset(convert(ZHANGZHOU, tmp_path / "w", "table workbook", False))
    assert [(*r[:-1], r[-1].row) for r in rows_of(workbook)] == [(*r[:-1], r[-1].row) for r in rows_of(from_csv)]
    assert {r.where.file for r in workbook.values} == {"values.xlsx[values]"}


@pytest.mark.parametrize("calamine", CALAMINE)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("folder", sorted(p for p in DATA.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_every_test_folder_reads_and_validates_the_same(monkeypatch, tmp_path, folder, shape, calamine):
    monkeypatch.setattr(xlsxvalues, "CALAMINE", calamine)
    assert_same(convert(folder, tmp_path / "d", shape, typed_values=True), "fujian.zhangzhou")


# ---------------------------------------------------------------------------------------------------------
# generated sheets: typed cells of every kind a workbook holds, rows of every shape

TYPED = st.one_of(
    NUMBERS,
    st.integers(-(10**17), 10**17),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.sampled_from([0.1, 386.6000000000001, -0.0, 1e-7, 1e15, 1e16, 12.5, 85.0, 2.0]),
    st.booleans(),
    st.none(),
    st.sampled_from(["#DIV/0!", "#N/A", "=1+2", "是"]),
    st.sampled_from([datetime.datetime(2024, 3, 1), datetime.datetime(2024, 3, 1, 8, 30)]),
)
IDS = st.one_of(st.sampled_from(["S1-01", "S1-02", "S2-01", "nobody", "", " S1-01 ", None]), st.integers(0, 3))
HEADERS = [
    ["单位编码(unit)", "指标编码(indicator)", "数值(value)", "细项(item)"],
    ["unit", "indicator", "value", "target", "baseline", "item", "period", "note"],
    ["单位编码", "指标编码", "完成值", "目标值", "期间"],
    ["unit", "indicator", "value", "value"],
    ["unit", "indicator", "数值(value)", "unknown_column"],
    ["unit", "value"],
    ["序号", "unit", "indicator", "value", "单位名称(unit_name)"],
    ["unit", "indicator", "value", "", "note"],
]


@st.composite
def typed_tables(draw: Any) -> tuple[list[str], list[list[Any]]]:
    headers = draw(st.sampled_from(HEADERS))
    indicators = st.sampled_from(["basic_targets", "public_review", "key_work", "unknown_one", "", None, 7])
    rows = []
    for _row in range(draw(st.integers(0, 25))):
        cells: list[Any] = []
        for header in headers:
            if "unit" in header and "name" not in header:
                cells.append(draw(IDS))
            elif "indicator" in header or "指标" in header:
                cells.append(draw(indicators))
            elif header in {"序号", "单位名称(unit_name)", "unknown_column", "item", "period", "note", "细项(item)"}:
                cells.append(draw(st.one_of(TEXTS, TYPED)))
            else:
                cells.append(draw(TYPED))
        shape = draw(st.sampled_from(["same"] * 8 + ["short", "long", "blank", "empty"]))
        if shape == "short":
            cells = cells[:-1]
        elif shape == "long":
            cells = [*cells, "extra"]
        elif shape == "blank":
            cells = [None] * len(cells)
        elif shape == "empty":
            cells = []
        rows.append(cells)
    return headers, rows


GENERATED = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@GENERATED
@given(typed_tables(), st.integers(0, 2), st.sampled_from(CALAMINE))
def test_generated_sheets_read_and_validate_the_same(tmp_path_factory, table, blank_rows_before, calamine):
    folder = tmp_path_factory.mktemp("sheet")
    shutil.copy(ZHANGZHOU / "units.csv", folder / "units.csv")
    headers, rows = table
    write_workbook(folder / "values.xlsx", {"values": [[None]] * blank_rows_before + [headers, *rows]})
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(csvvalues, "CHUNK_ROWS", 7)  # rows of every kind across chunk boundaries
        patched.setattr(xlsxvalues, "CALAMINE", calamine)
        assert_same(folder, "fujian.zhangzhou")


JSON_CELLS = st.one_of(TYPED.filter(lambda c: not isinstance(c, datetime.datetime)), st.just([1]), st.just({"a": 1}))


@st.composite
def json_tables(draw: Any) -> list[dict[str, Any]]:
    headers, rows = draw(typed_tables())
    records = []
    for cells in rows:
        record = {h: c for h, c in zip(headers, cells, strict=False) if not isinstance(c, datetime.datetime)}
        for header in headers:
            if header in record and draw(st.integers(0, 9)) == 0:
                record[header] = draw(JSON_CELLS)
            if header in record and draw(st.integers(0, 12)) == 0:
                del record[header]  # a key left out
        records.append(record)
    return records


@GENERATED
@given(json_tables(), st.booleans())
def test_generated_json_tables_read_and_validate_the_same(tmp_path_factory, records, in_folder):
    folder = tmp_path_factory.mktemp("json")
    header, *unit_rows = csv_rows(ZHANGZHOU / "units.csv")
    units = [dict(zip(header, row, strict=True)) for row in unit_rows]
    if in_folder:
        shutil.copy(ZHANGZHOU / "units.csv", folder / "units.csv")
        (folder / "values.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        source = folder
    else:
        source = folder / "data.json"
        source.write_text(json.dumps({"units": units, "values": records}, ensure_ascii=False), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(csvvalues, "CHUNK_ROWS", 7)
        assert_same(source, "fujian.zhangzhou")


# ---------------------------------------------------------------------------------------------------------
# the limits, and where each row comes from


@pytest.mark.parametrize("calamine", CALAMINE)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("limit", [("rows", 20), ("cell_chars", 5)])
def test_the_row_and_cell_limits_stop_the_reading_as_the_row_reader_does(monkeypatch, tmp_path, shape, limit, calamine):
    monkeypatch.setattr(xlsxvalues, "CALAMINE", calamine)
    folder = tmp_path / "csv"
    folder.mkdir()
    shutil.copy(ZHANGZHOU / "units.csv", folder / "units.csv")
    lines = ["unit,indicator,value", *[f"S1-01,i{k},1" for k in range(30)], "S1-01,i99,123456"]
    (folder / "values.csv").write_text("\n".join(lines) + "\n")
    source = convert(folder, tmp_path / "d", shape, typed_values=False)
    monkeypatch.setattr(csvvalues, "CHUNK_ROWS", 7)
    limits.configure(limits.Limits(**dict([limit])))
    try:
        by_rows, by_columns = read_both(source)
    finally:
        limits.configure(None)
    assert isinstance(by_columns, str) and by_columns == by_rows and str(limit[1]) in by_columns


@pytest.mark.parametrize("calamine", CALAMINE)
def test_typed_cells_keep_their_rows_and_the_slow_rows_their_problems(monkeypatch, tmp_path, calamine):
    """Plain and unusual cells mixed across chunk boundaries keep the sheet's row numbers (header = row 1)."""
    monkeypatch.setattr(csvvalues, "CHUNK_ROWS", 3)
    monkeypatch.setattr(xlsxvalues, "CALAMINE", calamine)
    shutil.copy(ZHANGZHOU / "units.csv", tmp_path / "units.csv")
    cells: list[Any] = [1, "85%", None, 2.5, True, -0.0, 10**16, "x", 386.6000000000001, datetime.datetime(2024, 1, 1)]
    rows = [["unit", "indicator", "value"], *[["S1-01", f"i{k}", cell] for k, cell in enumerate(cells)]]
    write_workbook(tmp_path / "values.xlsx", {"values": rows})
    assert_same(tmp_path, "fujian.zhangzhou")
    dataset = load_dataset(tmp_path)
    assert isinstance(dataset.values, ValueRowsView)
    # 1, 85%, 2.5, -0.0 (the sheet stores "-0", read back as the integer 0), 386.6 (as a spreadsheet
    # shows it); a truth value, 10¹⁶, "x" and a date in the value column are problems, a blank value too
    assert dataset.value_columns.row.tolist() == [2, 3, 5, 7, 10]
    assert [str(r.value) for r in dataset.values] == ["1", "0.85", "2.5", "0", "386.6"]
    problems = [(p.row, p.column) for p in dataset.problems]
    assert problems == [(4, "value"), (6, "value"), (8, "value"), (9, "value"), (11, "value")]


def test_every_table_shape_is_read(tmp_path):
    """The loader reads the values into columns from each source; the other tables stay rows."""
    for shape in SHAPES:
        dataset = load_dataset(convert(ZHANGZHOU, tmp_path / shape.replace(" ", "_"), shape, typed_values=True))
        assert isinstance(dataset.values, ValueRowsView) and not dataset.values.materialised
        assert len(dataset.values) == len(load_dataset(ZHANGZHOU).values)
    assert set(TABLE_ORDER) >= {"units", "values"}


# ---------------------------------------------------------------------------------------------------------
# python-calamine: used where its cells are openpyxl's, else openpyxl reads the sheet


def calamine_table(path: Path) -> object:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return xlsxvalues._read_with_calamine(workbook.worksheets[0], "values.xlsx[values]")
    finally:
        workbook.close()


@pytest.mark.skipif(not HAS_CALAMINE, reason="python-calamine is not installed (kaoping[calamine])")
def test_calamine_reads_a_plain_sheet_and_leaves_the_others(tmp_path):
    import xlsxwriter

    def sheet(name: str, write: Any) -> Path:
        path = tmp_path / name
        book = xlsxwriter.Workbook(str(path))
        values = book.add_worksheet("values")
        values.write_row(0, 0, ["unit", "indicator", "value", "note"])
        values.write_row(1, 0, ["S1-01", "basic_targets", 85.5, "好"])
        write(book, values)
        book.close()
        shutil.copy(ZHANGZHOU / "units.csv", tmp_path / "units.csv")
        return path

    plain = sheet("plain.xlsx", lambda book, values: values.write_row(2, 0, ["S1-02", "basic_targets", 12, 3]))
    table = calamine_table(plain)
    assert table is not None and table.columns.row.tolist() == [2, 3]
    # an error value (calamine: a blank), a date format, -0 (openpyxl: the integer 0), a row with a problem,
    # a number beyond 15 digits, an escaped character, a number in the header: openpyxl reads them
    others = {
        "error.xlsx": lambda book, values: values.write_formula(2, 3, "=NA()", None, "#N/A"),
        "date.xlsx": lambda book, values: values.write_datetime(
            2, 3, datetime.datetime(2024, 1, 1), book.add_format({"num_format": "yyyy-mm-dd"})
        ),
        "zero.xlsx": lambda book, values: values.write_row(2, 0, ["S1-02", "basic_targets", -0.0]),
        "problem.xlsx": lambda book, values: values.write_row(2, 0, ["S1-02", "basic_targets", "x"]),
        "huge.xlsx": lambda book, values: values.write_row(2, 0, ["S1-02", "basic_targets", 1e15]),
        "escaped.xlsx": lambda book, values: values.write_row(2, 0, ["S1-02", "basic_targets", 1, "a_x000D_b"]),
        "number header.xlsx": lambda book, values: values.write_number(0, 4, 2024),  # calamine: "2024.0"
    }
    for name, write in others.items():
        path = sheet(name, write)
        assert calamine_table(path) is None, name
        (tmp_path / "values.xlsx").unlink(missing_ok=True)
        shutil.copy(path, tmp_path / "values.xlsx")
        assert_same(tmp_path, "fujian.zhangzhou")


@pytest.mark.parametrize("calamine", CALAMINE)
def test_an_empty_sheet_a_header_alone_and_an_empty_json_list_read_as_rows_read(monkeypatch, tmp_path, calamine):
    monkeypatch.setattr(xlsxvalues, "CALAMINE", calamine)
    shutil.copy(ZHANGZHOU / "units.csv", tmp_path / "units.csv")
    for rows in ([], [["unit", "indicator", "value"]], [[None], ["unit", "indicator", "value"], [None]]):
        write_workbook(tmp_path / "values.xlsx", {"values": rows})
        assert_same(tmp_path, "fujian.zhangzhou")
        assert len(load_dataset(tmp_path).values) == 0
    (tmp_path / "values.xlsx").unlink()
    for records in ([], [{}], [{"unit": None, "indicator": None, "value": None}]):
        (tmp_path / "values.json").write_text(json.dumps(records))
        assert_same(tmp_path, "fujian.zhangzhou")
    # a JSON object of nulls is a row (a sheet's blank row is not): each required cell named, in key order
    assert [(p.row, p.column) for p in load_dataset(tmp_path).problems if p.file == "values.json"] == [
        (1, "unit"),
        (1, "indicator"),
        (1, "value"),
    ]
