"""values.csv read into columns gives the row reader's dataset, problems and words, and builds no row.

The row reader (``load_dataset(..., columnar=False)``) is the reference: the same rows (to the exponent of
every decimal), the same reading problems, the same validation problems in the same order, for every
built-in sample, every test folder and hypothesis-generated tables full of cells a clerk might type.
"""

from __future__ import annotations

import importlib.util
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.core import limits
from kaoping.core.columnar.engine import ENGINE_ENV
from kaoping.core.columnar.values import ValueColumns, ValueRowsView
from kaoping.core.errors import InputError
from kaoping.core.models import Dataset
from kaoping.core.pipeline import run
from kaoping.core.validate import validate_dataset, with_group_ids
from kaoping.io import csvvalues
from kaoping.io.dataio import load_dataset
from kaoping.testing import builtin_samples
from tests.helpers import host

DATA = Path(__file__).parents[1] / "data"
HAS_ARROW = importlib.util.find_spec("pyarrow") is not None
READERS = [True, False] if HAS_ARROW else [False]  # Arrow's parser for simple files, or the standard library's
ZHANGZHOU = Path(__file__).parents[2] / "kaoping" / "plugins" / "fujian_zhangzhou" / "sample"


def rows_of(dataset: Dataset) -> list[tuple]:
    """Every field of every value row, decimals by their exact text (``12.50`` is not ``12.5``)."""
    return [
        (r.unit, r.indicator, repr(r.value), repr(r.target), repr(r.baseline), r.item, r.period, r.note, r.where)
        for r in dataset.values
    ]


def read_both(folder: Path) -> tuple[Dataset | str, Dataset | str]:
    def read(columnar: bool) -> Dataset | str:
        try:
            return load_dataset(folder, columnar=columnar)
        except InputError as error:
            return f"InputError: {error}"

    return read(False), read(True)


def assert_same(folder: Path, scheme_id: str | None = None) -> None:
    by_rows, by_columns = read_both(folder)
    if isinstance(by_rows, str) or isinstance(by_columns, str):
        assert by_columns == by_rows
        return
    assert isinstance(by_columns.values, ValueRowsView)
    if scheme_id is not None:
        scheme = host().scheme(scheme_id)
        expected = validate_dataset(scheme, with_group_ids(scheme, by_rows))
        found = validate_dataset(scheme, with_group_ids(scheme, by_columns))
        assert not by_columns.values.materialised  # validated on the columns
        assert [str(p) for p in found] == [str(p) for p in expected]
    assert by_columns.problems == by_rows.problems
    assert by_columns.unreadable_values == by_rows.unreadable_values
    assert rows_of(by_columns) == rows_of(by_rows)


@pytest.mark.parametrize("sample", builtin_samples(), ids=lambda s: s.scheme_id)
def test_every_builtin_sample_reads_the_same(sample):
    if not (sample.data / "values.csv").exists():
        pytest.skip("the sample's values are not a CSV file")
    assert_same(sample.data)


@pytest.mark.parametrize("folder", sorted(p for p in DATA.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_every_test_folder_reads_and_validates_the_same(folder):
    assert_same(folder, "fujian.zhangzhou")


# ---------------------------------------------------------------------------------------------------------
# generated tables: the sample's units and indicators, and cells of every kind a clerk types

NUMBERS = st.one_of(
    st.integers(-(10**16), 10**16).map(str),
    st.decimals(min_value=-(10**6), max_value=10**6, places=3).map(str),
    st.decimals(min_value=-(10**12), max_value=10**12, places=1).map(str),
    st.sampled_from(
        [
            "12.50", "-0", "-0.0", "0.000", "007.5", "85%", "８５", "８５．５", "1,200", " 12 ", "12.", ".5", "+3",
            "1e3", "1E+2", "1E-7", "0.0000001", "NaN", "Infinity", "-inf", "abc", "", "　", "12_0", "1234567890123456",
            "123456789012345.123", "0.00000000000000000001", "0.000000000000000000001", "−5", "5%%", "٣", "²",
            "99999999999999999999", "100", "386.6", "0.85", "1.2.3", "--5", "-",
        ]
    ),
)  # fmt: skip
TEXTS = st.sampled_from(["", "好", " 好 ", "a", "Q1", "　Q1", "x\ty", "中"])


@st.composite
def value_tables(draw):
    units = ["S1-01", "S1-02", "S2-01", "nobody", "", " S1-01 "]
    indicators = ["basic_targets", "public_review", "key_work", "unknown_one", "", "party_building"]
    headers = draw(
        st.sampled_from(
            [
                ["单位编码(unit)", "指标编码(indicator)", "数值(value)", "细项(item)"],
                ["unit", "indicator", "value", "target", "baseline", "item", "period", "note"],
                ["单位编码", "指标编码", "完成值", "目标值", "期间"],
                ["unit", "indicator", "value", "value"],
                ["unit", "indicator", "数值(value)", "unknown_column"],
                ["unit", "value"],
                ["序号", "unit", "indicator", "value", "单位名称(unit_name)"],
            ]
        )
    )
    lines = []
    for _row in range(draw(st.integers(0, 25))):
        cells = []
        for header in headers:
            if "unit" in header and "name" not in header:
                cells.append(draw(st.sampled_from(units)))
            elif "indicator" in header or "指标" in header:
                cells.append(draw(st.sampled_from(indicators)))
            elif header in {"序号", "单位名称(unit_name)", "unknown_column"}:
                cells.append(draw(TEXTS))
            elif header in {"item", "period", "note", "细项(item)", "期间"}:
                cells.append(draw(TEXTS))
            else:
                cells.append(draw(NUMBERS))
        shape = draw(st.sampled_from(["same"] * 8 + ["short", "long", "blank", "empty"]))
        if shape == "short":
            cells = cells[:-1]
        elif shape == "long":
            cells = [*cells, "extra"]
        elif shape == "blank":
            cells = [" "] * len(cells)
        elif shape == "empty":
            cells = []
        lines.append(",".join(f'"{c}"' if "," in c else c for c in cells))
    return ",".join(headers), lines


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value_tables(),
    st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(READERS),
)
def test_generated_tables_read_and_validate_the_same(tmp_path_factory, table, encoding, newline, arrow):
    folder = tmp_path_factory.mktemp("values")
    shutil.copy(ZHANGZHOU / "units.csv", folder / "units.csv")
    header, lines = table
    (folder / "values.csv").write_bytes(newline.join([header, *lines, ""]).encode(encoding))
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(csvvalues, "ARROW", arrow)
        patched.setattr(csvvalues, "ARROW_MIN_BYTES", 0)
        assert_same(folder, "fujian.zhangzhou")


@pytest.mark.skipif(not HAS_ARROW, reason="pyarrow is not installed (kaoping[arrow])")
def test_arrow_reads_the_simple_files_and_leaves_the_others(tmp_path):
    values = tmp_path / "values.csv"
    values.write_text("unit,indicator,value\r\nS1-01,basic_targets,85%\r\nS1-02,basic_targets,,\r\n")
    assert csvvalues._read_with_arrow(values, "values.csv") is None  # a row longer than the header
    values.write_text('unit,indicator,value\nS1-01,basic_targets,"1,200"\n')
    _plain, simple, stream = csvvalues._open_text(values, "values.csv")
    stream.close()
    assert not simple  # a quote: the standard library's parser
    values.write_text("unit,indicator,value\rS1-01,basic_targets,85%\rS1-02, x ,\r,,\r")
    table = csvvalues._read_with_arrow(values, "values.csv")
    assert table is not None
    assert table.columns.row.tolist() == [2]
    assert [str(p) for p in table.problems] == [str(p) for p in load_dataset_problems(tmp_path)]


def load_dataset_problems(folder: Path) -> tuple:
    shutil.copy(ZHANGZHOU / "units.csv", folder / "units.csv")
    return load_dataset(folder, columnar=False).problems


@pytest.mark.parametrize("arrow", READERS)
def test_chunks_keep_the_order_of_the_file(tmp_path, monkeypatch, arrow):
    """Plain and unusual rows mixed across chunk boundaries stay in file order, with their row numbers."""
    monkeypatch.setattr(csvvalues, "CHUNK_ROWS", 3)
    monkeypatch.setattr(csvvalues, "ARROW", arrow)
    monkeypatch.setattr(csvvalues, "ARROW_MIN_BYTES", 0)
    shutil.copy(ZHANGZHOU / "units.csv", tmp_path / "units.csv")
    cells = ["1", "85%", "", "2.50", "８", "-0", "1E+2", "x", "3"]
    lines = [f"S1-01,i{k},{cell}" for k, cell in enumerate(cells)]
    (tmp_path / "values.csv").write_text("\n".join(["unit,indicator,value", *lines, "", ",,", "S1-02,j,4"]) + "\n")
    assert_same(tmp_path, "fujian.zhangzhou")
    columns = load_dataset(tmp_path).value_columns
    assert columns.row.tolist() == [2, 3, 5, 6, 7, 8, 10, 13]
    assert columns.percent.tolist() == [False, True, False, False, False, False, False, False]


@pytest.mark.parametrize("arrow", READERS)
def test_an_id_with_a_space_inside_is_the_row_readers_problem(tmp_path, monkeypatch, arrow):
    """The row reader refuses a space inside an id (U+0020, unseen at the end of a word); so do columns."""
    monkeypatch.setattr(csvvalues, "ARROW", arrow)
    monkeypatch.setattr(csvvalues, "ARROW_MIN_BYTES", 0)
    shutil.copy(ZHANGZHOU / "units.csv", tmp_path / "units.csv")
    (tmp_path / "values.csv").write_text("unit,indicator,value\nS1 01,basic_targets,1\nS1-01,a\u200bb,2\nS1-01,x,3\n")
    assert_same(tmp_path, "fujian.zhangzhou")
    dataset = load_dataset(tmp_path)
    assert [(p.row, p.column) for p in dataset.problems] == [(2, "unit"), (3, "indicator")]
    assert "U+0020" in str(dataset.problems[0]) and dataset.value_columns.row.tolist() == [4]


@pytest.mark.parametrize("limit", [("rows", 20), ("cell_chars", 5)])
def test_the_row_and_cell_limits_stop_the_reading_as_the_row_reader_does(tmp_path, monkeypatch, limit):
    shutil.copy(ZHANGZHOU / "units.csv", tmp_path / "units.csv")
    lines = ["unit,indicator,value", *[f"S1-01,i{k},1" for k in range(30)], "S1-01,i99,123456"]
    (tmp_path / "values.csv").write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(csvvalues, "CHUNK_ROWS", 7)
    limits.configure(limits.Limits(**dict([limit])))
    try:
        by_rows, by_columns = read_both(tmp_path)
    finally:
        limits.configure(None)
    assert isinstance(by_columns, str) and by_columns == by_rows and str(limit[1]) in by_columns


# ---------------------------------------------------------------------------------------------------------
# a columnar run builds no value row


def test_a_columnar_run_builds_no_value_row(monkeypatch):
    def refuse(self):
        raise AssertionError("a value row was built")

    monkeypatch.setenv(ENGINE_ENV, "arrays")
    monkeypatch.setattr(ValueColumns, "to_rows", refuse)
    result = run(host(), host().scheme("fujian.zhangzhou"), ZHANGZHOU)
    assert len(result.units) == 81
    first, *others = result.units
    assert first.score.trail  # explaining one unit reads its inputs from the columns
    assert all(u.score._trail is None for u in others)  # type: ignore[attr-defined]


def test_a_hook_that_reads_rows_gets_them_and_the_run_is_the_same(monkeypatch):
    monkeypatch.setenv(ENGINE_ENV, "arrays")
    dataset = load_dataset(ZHANGZHOU)
    assert isinstance(dataset.values, ValueRowsView) and not dataset.values.materialised
    first = dataset.values[0]
    assert dataset.values[0] is first and dataset.values.materialised
    replaced = dataset.evolve(values=tuple(dataset.values))
    assert not isinstance(replaced.values, ValueRowsView)
    assert rows_of(replaced) == rows_of(dataset)
    assert replaced.value_columns.unit.texts() == dataset.value_columns.unit.texts()
    scheme = host().scheme("fujian.zhangzhou")
    from kaoping.io.report import to_json

    assert to_json(run(host(), scheme, replaced)) == to_json(run(host(), scheme, load_dataset(ZHANGZHOU)))


def test_columns_from_texts_give_the_rows():
    columns = ValueColumns.from_texts(
        unit=["a", "b"], indicator=["i", "i"], value=["12.50", "-0"], target=["", "3"], file="values.parquet"
    )
    rows = ValueRowsView(columns)
    assert len(rows) == 2 and not rows.materialised
    assert [repr(r.value) for r in rows] == ["Decimal('12.50')", "Decimal('-0')"]
    assert [r.target for r in rows] == [None, Decimal(3)]
    assert [(r.where.file, r.where.row) for r in rows] == [("values.parquet", 1), ("values.parquet", 2)]


def test_a_moved_clock_reads_the_standard_way(monkeypatch, tmp_path):
    """pyarrow reads datetime's C layout; with a test's subclass in its place the file is read without it."""
    import datetime

    class Moved(datetime.datetime):
        pass

    monkeypatch.setattr(csvvalues, "ARROW_MIN_BYTES", 0)
    monkeypatch.setattr(datetime, "datetime", Moved)
    shutil.copy(ZHANGZHOU / "values.csv", tmp_path / "values.csv")
    assert not csvvalues._genuine_datetime()
    table = csvvalues.read_values_csv(tmp_path / "values.csv", "values.csv")
    assert len(table.columns) == len(load_dataset(ZHANGZHOU, columnar=False).values)
