"""Reading data: encodings offices export, workbooks, JSON, and errors that name file, row and column."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from kaoping.core.errors import InputError
from kaoping.io.dataio import decode_text, load_dataset
from tests.helpers import D

UNITS = "单位编码(unit),单位名称(name),序列(group)\nA,组织部,g\nB,宣传部,g\n"
VALUES = "单位编码,指标编码,数值\nA,i,12.5\nB,i,7\n"


def write(folder: Path, name: str, text: str, encoding: str) -> None:
    (folder / name).write_bytes(text.encode(encoding))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_every_office_encoding(tmp_path: Path, encoding: str):
    write(tmp_path, "units.csv", UNITS, encoding)
    write(tmp_path, "values.csv", VALUES, encoding)
    dataset = load_dataset(tmp_path)
    assert [u.name for u in dataset.units] == ["组织部", "宣传部"]
    assert [v.value for v in dataset.values] == [D("12.5"), D(7)]
    assert not dataset.problems


def test_undecodable_bytes_name_the_file(tmp_path: Path):
    with pytest.raises(InputError, match="cannot decode"):
        decode_text(b"\xff\xfe\xfa\xfb\xfc", "x.csv")


def test_headers_by_id_label_or_both(tmp_path: Path):
    write(tmp_path, "units.csv", "unit,单位名称,序列（group）\nA,甲,g\n", "utf-8")
    dataset = load_dataset(tmp_path)
    assert dataset.units[0].group == "g"


def test_extra_unit_columns_become_attributes(tmp_path: Path):
    write(tmp_path, "units.csv", "unit,name,group,编制人数\nA,甲,g,35\n", "utf-8")
    assert load_dataset(tmp_path).units[0].attributes == {"编制人数": "35"}


def test_unknown_value_column_is_reported(tmp_path: Path):
    write(tmp_path, "units.csv", UNITS, "utf-8")
    write(tmp_path, "values.csv", "unit,indicator,value,valeu\nA,i,1,2\n", "utf-8")
    problems = load_dataset(tmp_path).problems
    assert any(p.column == "valeu" and "unknown column" in p.message for p in problems)


def test_cell_errors_carry_file_row_and_column(tmp_path: Path):
    write(tmp_path, "units.csv", UNITS, "utf-8")
    write(tmp_path, "values.csv", "unit,indicator,value\nA,i,12.5\nB,i,十二\n", "utf-8")
    (problem,) = load_dataset(tmp_path).problems
    assert problem.file.endswith("values.csv") and problem.row == 3 and problem.column == "value"
    assert "expected a number" in problem.message


def test_workbook_with_table_sheets(tmp_path: Path):
    workbook = openpyxl.Workbook()
    units = workbook.active
    units.title = "units"
    units.append(["单位编码(unit)", "单位名称(name)", "序列(group)"])
    units.append(["A", "甲", "g"])
    values = workbook.create_sheet("values")
    values.append(["unit", "indicator", "value"])
    values.append(["A", "i", 0.1])
    path = tmp_path / "data.xlsx"
    workbook.save(path)
    dataset = load_dataset(path)
    # a spreadsheet float 0.1 stays exactly 0.1
    assert dataset.values[0].value == D("0.1")


def test_json_file(tmp_path: Path):
    path = tmp_path / "data.json"
    path.write_text(
        json.dumps(
            {
                "units": [{"unit": "A", "name": "甲", "group": "g"}],
                "events": [{"unit": "A", "rule": "r", "count": 2, "self_reported": "否"}],
            }
        )
    )
    dataset = load_dataset(path)
    assert dataset.events[0].count == 2 and dataset.events[0].self_reported is False


def test_missing_units_table(tmp_path: Path):
    with pytest.raises(InputError, match="no 'units' table"):
        load_dataset(tmp_path)


def test_percent_and_thousands_separators(tmp_path: Path):
    write(tmp_path, "units.csv", UNITS, "utf-8")
    write(tmp_path, "values.csv", 'unit,indicator,value,target\nA,i,85%,"1,200"\n', "utf-8")
    row = load_dataset(tmp_path).values[0]
    assert row.value == D("0.85") and row.target == D(1200)
