"""values.parquet read into columns: the same rows, numbers, problems and row numbers as the row parser."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kaoping.core.columnar.values import ValueRowsView
from kaoping.core.errors import InputError
from kaoping.io.dataio import _read_folder, build_dataset
from kaoping.io.parquet import read_parquet_table, read_parquet_values

pa = pytest.importorskip("pyarrow", reason="Parquet needs pyarrow: pip install -e '.[dask]'")
pq = pytest.importorskip("pyarrow.parquet")


def both_ways(folder: Path) -> tuple[object, object]:
    """The dataset read with the values in columns and read as rows, with the problems or the error."""
    out = []
    for columnar in (True, False):
        try:
            dataset = build_dataset(_read_folder(folder, [], columnar=columnar))
        except InputError as error:
            out.append(("error", [str(p) for p in error.problems]))
            continue
        out.append(
            (
                type(dataset.values) is ValueRowsView,
                tuple(dataset.values),
                [str(p) for p in dataset.problems],
                dataset.unreadable_values,
                dataset.percent_cells,
            )
        )
    return out[0], out[1]


def write(folder: Path, values: dict[str, object]) -> Path:
    folder.mkdir(exist_ok=True)
    pq.write_table(pa.table({"unit": ["a", "b"], "name": ["甲", "乙"], "group": ["g", "g"]}), folder / "units.parquet")
    pq.write_table(pa.table(values), folder / "values.parquet")
    return folder


def test_text_columns_are_read_into_columns_like_rows(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "d",
        {
            "单位编码(unit)": ["a", "a", "b", "", "b", " b ", "a"],
            "indicator": ["i1", "i2", "i1", "", "i2", "i3", "i4"],
            "value": ["12.50", "85%", "x", "", "-0", "１２", None],
            "target": ["", "3", None, "", "1E+2", "4", "5"],
        },
    )
    columnar, rows = both_ways(folder)
    assert columnar[0] is True and rows[0] is False
    assert columnar[1:] == rows[1:]
    # the bad value names its file, row (header = row 1) and column, as in the CSV of the same table
    assert any("values.parquet" in p and "4" in p for p in columnar[2])


def test_typed_number_columns_read_as_the_row_parser_reads_them(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "d",
        {
            "unit": ["a", "a", "b", "b", "a", "b"],
            "indicator": ["i1", "i2", "i1", "i2", "i3", "i3"],
            "value": [386.6000000000001, 0.1, float("nan"), 1e20, float("inf"), -2.5],
            "target": pa.array(
                [Decimal("1.50"), None, Decimal("-0.00"), Decimal("7"), None, None], pa.decimal128(5, 2)
            ),
            "baseline": pa.array([1, None, 10**16, 3, 4, 5], pa.int64()),
        },
    )
    columnar, rows = both_ways(folder)
    assert columnar[0] is True
    assert columnar[1:] == rows[1:]
    assert columnar[1][0].value == Decimal("386.6")  # a float as a spreadsheet shows it


def test_text_columns_that_hold_numbers_fall_back_to_rows(tmp_path: Path) -> None:
    folder = write(tmp_path / "d", {"unit": [1, 2], "indicator": ["i", "i"], "value": ["1", "2"]})
    table = read_parquet_values(folder / "values.parquet", "values.parquet")
    assert table == read_parquet_table(folder / "values.parquet", "values.parquet")


def test_an_empty_values_table_and_the_rows_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = write(
        tmp_path / "e",
        {"unit": pa.array([], pa.string()), "indicator": pa.array([], pa.string()), "value": pa.array([], pa.string())},
    )
    columnar, rows = both_ways(empty)
    assert columnar[1:] == rows[1:]
    from kaoping.core import limits

    big = write(tmp_path / "b", {"unit": ["a"] * 5, "indicator": [f"i{k}" for k in range(5)], "value": ["1"] * 5})
    monkeypatch.setattr(limits, "current", lambda: limits.Limits(rows=3))
    columnar, rows = both_ways(big)
    assert columnar == rows and columnar[0] == "error"


def test_a_cell_over_the_limit_and_a_column_of_no_meaning_read_as_rows_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaoping.core import limits

    extra = write(
        tmp_path / "x",
        {"unit": ["a", "b"], "indicator": ["i", "i"], "value": ["1", "2"], "备用": pa.array([7, None], pa.int64())},
    )
    columnar, rows = both_ways(extra)
    assert columnar[0] is True and columnar[1:] == rows[1:]
    long = write(
        tmp_path / "l", {"unit": ["a", "b"], "indicator": ["i", "i"], "value": ["1", "2"], "note": ["", "x" * 20]}
    )
    monkeypatch.setattr(limits, "current", lambda: limits.Limits(cell_chars=12))
    columnar, rows = both_ways(long)
    assert (
        columnar == rows and columnar[0] == "error" and "row 3" in columnar[1][0]
    )  # the header is row 1, then a, then b
