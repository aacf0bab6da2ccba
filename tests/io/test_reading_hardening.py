"""Reading bad data: every malformed file, oversized input and silent duplicate becomes a clear error."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.core import limits
from kaoping.core.errors import InputError
from kaoping.core.validate import validate_dataset
from kaoping.io.dataio import load_dataset
from tests.helpers import D, host

UNITS = "unit,name,group\nA,甲,g\nB,乙,g\n"


@pytest.fixture(autouse=True)
def default_limits(monkeypatch: pytest.MonkeyPatch):
    for key in limits.LIMIT_KEYS:
        monkeypatch.delenv(limits.Limits.env_name(key), raising=False)
    limits.configure(None)
    yield
    limits.configure(None)


def problems_of(source: Path) -> list[str]:
    return [str(p) for p in load_dataset(source).problems]


def error_of(source: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_dataset(source)
    return str(caught.value)


# -- structure ---------------------------------------------------------------------------------------------


def test_cr_only_line_ends_from_excel_for_mac(tmp_path: Path):
    (tmp_path / "units.csv").write_bytes(UNITS.replace("\n", "\r").encode())
    assert [u.id for u in load_dataset(tmp_path).units] == ["A", "B"]


def test_malformed_json_table_inside_a_folder_names_the_file_and_line(tmp_path: Path):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "values.json").write_text('[{"unit": "A",\n "indicator": }]', encoding="utf-8")
    message = error_of(tmp_path)
    assert "values.json" in message and "row 2" in message and "not valid JSON" in message


def test_a_folder_where_a_table_file_belongs(tmp_path: Path):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "values.csv").mkdir()
    assert "values.csv: is a folder" in error_of(tmp_path)


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04truncated"])
def test_non_zip_or_truncated_workbook(tmp_path: Path, content: bytes):
    (tmp_path / "data.xlsx").write_bytes(content)
    assert "not an .xlsx workbook, or a truncated one" in error_of(tmp_path / "data.xlsx")


def test_truncated_real_workbook(tmp_path: Path):
    whole = tmp_path / "whole.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "units"
    workbook.active.append(["unit", "name", "group"])
    workbook.save(whole)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert "cut.xlsx" in error_of(cut)


def test_csv_with_a_quote_left_open_is_an_error_not_a_traceback(tmp_path: Path):
    (tmp_path / "units.csv").write_text('unit,name,group\nA,"甲\x00,g\n', encoding="utf-8")
    assert "units.csv" in error_of(tmp_path)


# -- file names ------------------------------------------------------------------------------------------


def test_problem_files_are_relative_to_the_data_folder(tmp_path: Path):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "values.csv").write_text("unit,indicator,value\nA,i,十二\n", encoding="utf-8")
    (problem,) = load_dataset(tmp_path).problems
    assert problem.file == "values.csv" and str(tmp_path) not in str(problem)


# -- numbers in files -------------------------------------------------------------------------------------


def test_json_nan_and_infinity_are_errors(tmp_path: Path):
    path = tmp_path / "data.json"
    path.write_text(
        '{"units": [{"unit": "A", "name": "甲", "group": "g"}], '
        '"values": [{"unit": "A", "indicator": "i", "value": NaN}]}',
        encoding="utf-8",
    )
    assert "NaN" in error_of(path)


def test_json_float_reads_as_excel_shows_it(tmp_path: Path):
    path = tmp_path / "data.json"
    data = {
        "units": [{"unit": "A", "name": "甲", "group": "g"}],
        "values": [{"unit": "A", "indicator": "i", "value": 386.6000000000001}],
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_dataset(path).values[0].value == D("386.6")


def test_xlsx_float_reads_as_excel_shows_it(tmp_path: Path):
    workbook = openpyxl.Workbook()
    units = workbook.active
    units.title = "units"
    units.append(["unit", "name", "group"])
    units.append(["A", "甲", "g"])
    values = workbook.create_sheet("values")
    values.append(["unit", "indicator", "value"])
    values.append(["A", "i", 386.6000000000001])
    workbook.save(tmp_path / "data.xlsx")
    assert load_dataset(tmp_path / "data.xlsx").values[0].value == D("386.6")


def test_percent_in_a_ratio_column_but_not_in_a_points_column(tmp_path: Path):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "values.csv").write_text("unit,indicator,value\nA,i,85%\n", encoding="utf-8")
    (tmp_path / "events.csv").write_text("unit,rule,points\nA,r,85%\n", encoding="utf-8")
    dataset = load_dataset(tmp_path)
    assert dataset.values[0].value == D("0.85")
    (problem,) = dataset.problems
    assert problem.file == "events.csv" and problem.column == "points" and "percentage" in problem.message


def test_full_width_numbers_in_a_file(tmp_path: Path):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "values.csv").write_text("unit,indicator,value\nA,i,８５．５\nB,i,８５\n", encoding="utf-8")
    assert [v.value for v in load_dataset(tmp_path).values] == [D("85.5"), D(85)]


# -- resources -------------------------------------------------------------------------------------------


def _bomb(path: Path, megabytes: int) -> None:
    """A workbook whose sheet unpacks to ``megabytes`` MB of XML but is small on disk."""
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.title = "units"
    workbook.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.endswith("sheet1.xml"):
                data = data.replace(b"</worksheet>", b"<!--" + b" " * (megabytes * 1024 * 1024) + b"--></worksheet>")
            target.writestr(member, data)


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_parsing(tmp_path: Path):
    path = tmp_path / "data.xlsx"
    _bomb(path, 70)
    assert path.stat().st_size < 1024 * 1024
    message = error_of(path)
    assert "unpacks to 71 MB, above the limit of 64 MB" in message
    assert "xlsx_mb" in message and "KAOPING_MAX_XLSX_MB" in message


def test_the_limit_can_be_raised_by_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "data.xlsx"
    _bomb(path, 2)
    monkeypatch.setenv("KAOPING_MAX_XLSX_MB", "1")
    assert "above the limit of 1 MB" in error_of(path)
    monkeypatch.setenv("KAOPING_MAX_XLSX_MB", "3")
    assert load_dataset(path).units == ()


def test_the_limit_can_be_raised_in_the_deployment_file(tmp_path: Path):
    path = tmp_path / "data.xlsx"
    _bomb(path, 2)
    limits.configure(limits.Limits(xlsx_mb=1))
    assert "above the limit of 1 MB" in error_of(path)


def test_too_many_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KAOPING_MAX_ROWS", "3")
    (tmp_path / "units.csv").write_text("unit,name,group\n" + "".join(f"U{i},n,g\n" for i in range(5)), "utf-8")
    message = error_of(tmp_path)
    assert "more than 3 rows" in message and "KAOPING_MAX_ROWS" in message


def test_a_huge_cell_is_an_error_with_its_place(tmp_path: Path):
    (tmp_path / "units.csv").write_text(f"unit,name,group\nA,{'x' * 200_000},g\n", encoding="utf-8")
    message = error_of(tmp_path)
    assert "units.csv, row 2, column 'name'" in message and "200000 characters" in message


def test_an_absurd_count_is_an_error(tmp_path: Path):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "events.csv").write_text("unit,rule,count\nA,r,10000000000\nA,r,1e999999\n", encoding="utf-8")
    problems = load_dataset(tmp_path).problems
    assert [p.row for p in problems] == [2, 3]
    assert "above the limit" in problems[0].message and "out of range" in problems[1].message


def test_a_bad_limit_in_the_environment_is_an_input_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KAOPING_MAX_ROWS", "lots")
    with pytest.raises(InputError, match="KAOPING_MAX_ROWS"):
        limits.current()


# -- sheets ----------------------------------------------------------------------------------------------


def _table_workbook(path: Path, sheets: list[tuple[str, str, list[list[str]]]]) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, state, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def test_a_table_workbook_is_read_from_the_sheet_named_after_it(tmp_path: Path):
    real = [["unit", "name", "group"], ["A", "甲", "g"]]
    stale = [["unit", "name", "group"], ["Z", "旧", "g"]]
    _table_workbook(
        tmp_path / "units.xlsx",
        [("说明", "visible", [["readme"]]), ("old", "hidden", stale), ("units", "visible", real)],
    )
    dataset = load_dataset(tmp_path)
    assert [u.id for u in dataset.units] == ["A"]
    assert dataset.notices == ("units.xlsx: read sheet units; not read: 说明, old (hidden)",)


def test_a_table_workbook_with_several_sheets_and_none_named_is_an_error(tmp_path: Path):
    rows = [["unit", "name", "group"], ["A", "甲", "g"]]
    _table_workbook(tmp_path / "units.xlsx", [("Sheet1", "visible", rows), ("Sheet2", "hidden", rows)])
    message = error_of(tmp_path)
    assert "Sheet1, Sheet2 (hidden)" in message and "name the sheet to read 'units'" in message


def test_a_whole_workbook_says_which_sheets_it_read(tmp_path: Path):
    rows = [["unit", "name", "group"], ["A", "甲", "g"]]
    _table_workbook(tmp_path / "data.xlsx", [("units", "visible", rows), ("草稿", "visible", [["x"]])])
    assert load_dataset(tmp_path / "data.xlsx").notices == ("data.xlsx: read sheets units; not read: 草稿",)


# -- silently wrong results ------------------------------------------------------------------------------


def test_an_event_entered_twice_without_a_count_is_an_error(tmp_path: Path):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "events.csv").write_text("unit,rule,note\nA,r,迟报\nA,r,迟报\nA,r,另一次\n", encoding="utf-8")
    (problem,) = load_dataset(tmp_path).problems
    assert problem.row == 3 and "the same event as row 2" in problem.message


def test_events_that_carry_a_count_are_their_own_number(tmp_path: Path):
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "events.csv").write_text("unit,rule,count\nA,r,2\nA,r,2\n", encoding="utf-8")
    assert not load_dataset(tmp_path).problems


def test_a_veto_entered_twice_is_an_error():
    from kaoping.io.dataio import dataset_from_records

    scheme = host().scheme("fujian.zhangzhou")
    area = scheme.vetoes[0].id
    unit = scheme.groups[0].roster[0].id if scheme.groups[0].roster else "S1-01"
    dataset = dataset_from_records(
        {
            "units": [{"unit": unit, "name": "甲", "group": scheme.groups[0].id}],
            "vetoes": [{"unit": unit, "area": area}, {"unit": unit, "area": area}],
        }
    )
    found = [p for p in validate_dataset(scheme, dataset) if "same veto" in p.message]
    assert len(found) == 1 and found[0].row == 2


def test_a_missing_column_is_reported_once_and_first(tmp_path: Path):
    scheme = host().scheme("fujian.zhangzhou")
    sample = Path("kaoping/plugins/fujian_zhangzhou/sample")
    for name in ("units.csv", "events.csv"):
        (tmp_path / name).write_bytes((sample / name).read_bytes())
    values = (sample / "values.csv").read_text(encoding="utf-8-sig").splitlines()
    header = values[0].split(",")
    column = next(i for i, h in enumerate(header) if "value" in h)
    (tmp_path / "values.csv").write_text(
        "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != column) for line in values) + "\n",
        encoding="utf-8",
    )
    problems = validate_dataset(scheme, load_dataset(tmp_path))
    assert len(problems) == 1
    assert "required column 数值(value) is missing" in problems[0].message


# -- generated bad cells ---------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cell=st.text(max_size=30) | st.sampled_from(["1e999999", "NaN", "-inf", "８５．５", "85%", "1_0", "1,2,3"]))
def test_any_cell_in_a_number_column_is_a_value_or_a_located_problem(tmp_path: Path, cell: str):
    folder = tmp_path / "d"
    folder.mkdir(exist_ok=True)
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    quoted = '"' + cell.replace('"', '""') + '"'
    (folder / "events.csv").write_text(f"unit,rule,points,count\nA,r,{quoted},{quoted}\n", encoding="utf-8")
    try:
        dataset = load_dataset(folder)
    except InputError as error:  # a file-level problem (an undecodable or unreadable table) names the file
        assert all(p.file for p in error.problems)
        return
    for problem in dataset.problems:
        assert problem.file == "events.csv" and problem.row == 2 and problem.column in {"points", "count"}
    for event in dataset.events:
        assert event.points is None or abs(event.points) < 10**15
        assert 0 <= event.count <= limits.current().count
