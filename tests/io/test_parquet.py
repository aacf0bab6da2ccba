"""Parquet in and out: canonical tables read like their CSV, every problem named; results written whole."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.core.errors import InputError
from kaoping.io.dataio import load_dataset
from kaoping.io.parquet import POINTS_FILE, RESULTS_FILE
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA

pa = pytest.importorskip("pyarrow", reason="Parquet needs pyarrow: pip install -e '.[dask]'")
pq = pytest.importorskip("pyarrow.parquet")


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def csv_as_parquet(source: Path, target: Path) -> None:
    """The CSV table as a Parquet table of text columns, headers as written (``单位编码(unit)``)."""
    with open(source, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    pq.write_table(pa.table({name: [row[k] for row in body] for k, name in enumerate(header)}), target)


@pytest.fixture
def parquet_sample(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for table in ("units", "values", "events", "vetoes"):
        csv_as_parquet(SAMPLE_DATA / f"{table}.csv", folder / f"{table}.parquet")
    return folder


def test_a_folder_of_parquet_tables_scores_exactly_as_its_csv(parquet_sample):
    from_csv = invoke("score", "--scheme", "fujian.zhangzhou", "--data", str(SAMPLE_DATA), "--format", "json")
    from_parquet = invoke("score", "--scheme", "fujian.zhangzhou", "--data", str(parquet_sample), "--format", "json")
    assert from_parquet.exit_code == 0, from_parquet.output
    assert from_parquet.output == from_csv.output


def test_typed_parquet_cells_are_read_exactly(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    pq.write_table(pa.table({"unit": ["a", "b"], "name": ["甲", "乙"], "group": ["g", "g"]}), folder / "units.parquet")
    values = pa.table(
        {
            "unit": ["a", "b"],
            "indicator": ["i", "i"],
            "value": pa.array([Decimal("12.345"), Decimal("7")], pa.decimal128(10, 3)),
            "target": pa.array([0.1, None], pa.float64()),
        }
    )
    pq.write_table(values, folder / "values.parquet")
    dataset = load_dataset(folder)
    assert [(r.unit, r.value, r.target) for r in dataset.values] == [
        ("a", Decimal("12.345"), Decimal("0.1")),  # a double as a spreadsheet shows it
        ("b", Decimal("7.000"), None),  # a null is an empty cell
    ]


def test_a_bad_parquet_cell_is_named_by_file_row_and_column(parquet_sample):
    table = pq.read_table(parquet_sample / "values.parquet")
    cells = table.column("数值(value)").to_pylist()
    cells[2] = "八十"
    table = table.set_column(table.column_names.index("数值(value)"), "数值(value)", pa.array(cells))
    pq.write_table(table, parquet_sample / "values.parquet")
    with pytest.raises(InputError) as raised:
        load_dataset_and_validate(parquet_sample)
    problem = next(p for p in raised.value.problems if p.file == "values.parquet")
    assert (problem.row, problem.column) == (4, "数值(value)")  # header is row 1: the third data row is row 4
    result = invoke("score", "--scheme", "fujian.zhangzhou", "--data", str(parquet_sample))
    assert result.exit_code == 2
    assert "values.parquet" in result.output and "八十" in result.output


def load_dataset_and_validate(folder: Path) -> None:
    from kaoping.core.pipeline import load_and_validate
    from tests.helpers import host

    load_and_validate(host(), host().scheme("fujian.zhangzhou"), folder)


def test_a_damaged_parquet_file_is_one_error_naming_it(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "units.parquet").write_bytes(b"PAR1 not really")
    result = invoke("score", "--scheme", "fujian.zhangzhou", "--data", str(folder))
    assert result.exit_code == 2
    assert "units.parquet" in result.output and "not a readable Parquet file" in result.output


def test_a_table_given_as_csv_and_parquet_is_refused(parquet_sample):
    (parquet_sample / "units.csv").write_text("unit,name,group\n", encoding="utf-8")
    result = invoke("score", "--scheme", "fujian.zhangzhou", "--data", str(parquet_sample))
    assert result.exit_code == 2
    assert "units.csv" in result.output and "units.parquet" in result.output


def test_results_round_trip_through_parquet(tmp_path):
    out = tmp_path / "results"
    result = invoke(
        "score", "--scheme", "fujian.zhangzhou", "--data", str(SAMPLE_DATA), "--format", "parquet", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [POINTS_FILE, RESULTS_FILE]
    expected = json.loads(
        invoke("score", "--scheme", "fujian.zhangzhou", "--data", str(SAMPLE_DATA), "--format", "json").output
    )["units"]
    results = pq.read_table(out / RESULTS_FILE).to_pylist()
    assert [r["unit"] for r in results] == [u["unit"] for u in expected]  # the result's order
    for row, unit in zip(results, expected, strict=True):
        assert row["total"] == Decimal(str(unit["total"]))
        assert (row["group"], row["rank"], row["grade"], row["name"]) == (
            unit["group"],
            unit["rank"],
            unit["grade"],
            unit["name"],
        )
        assert {k: v for k, v in row["parts"]} == {k: Decimal(str(v)) for k, v in unit["parts"].items()}
    points = pq.read_table(out / POINTS_FILE).to_pylist()
    assert len(points) == sum(len(u["indicators"]) for u in expected)
    by_unit = {u["unit"]: u["indicators"] for u in expected}
    for row in points:
        assert row["points"] == Decimal(str(by_unit[row["unit"]][row["indicator"]]))
    # S1-06 党工委: 444.5 + 100 + 0 + 276.3 + (47+49+46+46+44)/5 = 867.20 (the sample's expected.csv)
    assert next(r for r in results if r["unit"] == "S1-06")["total"] == Decimal("867.20")


def test_parquet_results_need_a_folder(tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("keep me", encoding="utf-8")
    result = invoke(
        "score", "--scheme", "fujian.zhangzhou", "--data", str(SAMPLE_DATA), "--format", "parquet", "-o", str(taken)
    )
    assert result.exit_code == 2 and "give a folder" in result.output
    assert taken.read_text(encoding="utf-8") == "keep me"
    result = invoke("score", "--scheme", "fujian.zhangzhou", "--data", str(SAMPLE_DATA), "--format", "parquet")
    assert result.exit_code == 2 and "-o DIR" in result.output


def test_a_failed_parquet_write_leaves_the_old_results(tmp_path, monkeypatch):
    out = tmp_path / "results"
    args = ("score", "--scheme", "fujian.zhangzhou", "--data", str(SAMPLE_DATA), "--format", "parquet", "-o", str(out))
    assert invoke(*args).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def fails(table, where, **_kwargs):
        if Path(where).name == POINTS_FILE:
            raise OSError(28, "No space left on device")
        original(table, where)

    original = pq.write_table
    monkeypatch.setattr(pq, "write_table", fails)
    result = invoke(*args)
    assert result.exit_code == 2 and "No space left on device" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # neither file replaced
    assert [p.name for p in tmp_path.iterdir()] == ["results"]  # no temporary folder left
