"""Change files of an accepted appeal: rows replace, add or delete stored rows by key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaoping.archive.inputs import FOLDER, InputFile, Inputs, apply_changes
from kaoping.core.errors import InputError

VALUES = "单位编码(unit),指标(indicator),子项(item),数值(value)\nA,x,,1\nA,y,,2\nB,x,,3\n"


def stored() -> Inputs:
    return Inputs(FOLDER, (InputFile("units.csv", b"unit,name,group\n"), InputFile("values.csv", VALUES.encode())))


def change(tmp_path: Path, text: str, name: str = "values.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_are_replaced_added_and_deleted_by_key_in_the_stored_layout(tmp_path: Path):
    # the change file may use other headers (ids) and another column order
    path = change(tmp_path, "value,unit,indicator,change\n9,A,y,\n4,C,x,\n,B,x,删除\n")
    inputs, [line] = apply_changes(stored(), [path])
    assert line == "values.csv: 1 row(s) replaced, 1 added, 1 deleted"
    text = inputs.by_name()["values.csv"].content.decode("utf-8")
    assert text == "单位编码(unit),指标(indicator),子项(item),数值(value)\nA,x,,1\nA,y,,9\nC,x,,4\n"
    assert inputs.by_name()["units.csv"] == stored().by_name()["units.csv"]


def test_a_table_the_run_did_not_have_is_added(tmp_path: Path):
    path = change(tmp_path, "unit,area\nA,anquan\n", "vetoes.csv")
    inputs, [line] = apply_changes(stored(), [path])
    assert line == "vetoes.csv: 0 row(s) replaced, 1 added, 0 deleted"
    assert inputs.by_name()["vetoes.csv"].content.decode("utf-8") == "unit,area\nA,anquan\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("unit,indicator,change\nZ,x,delete\n", "no stored row"),
        ("unit,indicator,change\nA,x,drop\n", "unknown change 'drop'"),
        ("unit,value\nA,1\n", "needs its key columns"),
    ],
)
def test_bad_changes_name_the_file_and_row(tmp_path: Path, text: str, message: str):
    with pytest.raises(InputError, match=message) as error:
        apply_changes(stored(), [change(tmp_path, text)])
    assert str(tmp_path / "values.csv") in str(error.value)
