"""Parquet in and out: canonical tables as ``<table>.parquet`` in a data folder, results as two tables.

Reading (:func:`read_parquet_table`): a Parquet table is read with pyarrow and handed to the same row
parser as a CSV or a workbook sheet, so every cell is checked by the same rules and every problem names
the file, the row and the column. Row numbers count the header as row 1, as in the CSV of the same table
(the first data row is row 2). Typed Parquet cells keep their type: a ``decimal128`` is read exactly, a
``double`` as a spreadsheet shows it (15 significant digits), a null is an empty cell.

The values table (:func:`read_parquet_values`) goes straight into columns (``ValueColumns``), with the
CSV reader's column reader (``kaoping.io.csvvalues``): each column's distinct cells are numbered in C
(``dictionary_encode``) and read once; a row whose cells all read plainly becomes array entries, every
other row goes through the row parser with its typed cells, so its problems and numbers are exactly those
of :func:`read_parquet_table`. A file whose text columns are not text (or hold a NUL character) is read
by :func:`read_parquet_table`, whole.

Writing (:func:`write_results`): ``kaoping score --format parquet -o DIR`` writes ``DIR/results.parquet``
(one row per unit, in the result's order: unit, name, group, total, rank, grade, grade_reason and the
parts as a map of part id to points) and ``DIR/points.parquet`` (one row per unit and indicator: unit,
indicator, points). Points are ``decimal128`` with as many decimals as the largest precision among them,
so no point is rounded. Both files are written to a temporary folder beside ``DIR`` and moved into it
only when both are complete.

pyarrow is imported only here, when a Parquet file is read or written: ``pip install 'kaoping[dask]'``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kaoping.core.errors import InputError, Problem
from kaoping.core.numbers import EXCEL_DIGITS
from kaoping.core.results import RunResult, UnitResult
from kaoping.locale import _

if TYPE_CHECKING:
    from kaoping.io.csvvalues import ValueTable

RESULTS_FILE = "results.parquet"
POINTS_FILE = "points.parquet"
MAX_DIGITS = 38  # decimal128


def _pyarrow(name: str) -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise InputError(
            Problem(_("reading or writing Parquet needs pyarrow: pip install 'kaoping[dask]'"), file=name)
        ) from None
    return pyarrow


# ---------------------------------------------------------------------------------------------------------
# reading


def read_parquet_table(path: Path, name: str) -> tuple[list[str], list[tuple[Any, dict[str, Any]]]]:
    """A ``<table>.parquet`` file as the header and rows the canonical parser reads (``kaoping.io.dataio``)."""
    return _table_rows(_read_arrow(path, name), name)


def _read_arrow(path: Path, name: str) -> Any:
    pa = _pyarrow(name)
    try:
        return pa.parquet.read_table(path)
    except (OSError, pa.ArrowException) as error:
        raise InputError(Problem(_("not a readable Parquet file: {error}").format(error=error), file=name)) from None


def _table_rows(table: Any, name: str) -> tuple[list[str], list[tuple[Any, dict[str, Any]]]]:
    from kaoping.io.dataio import _rows_from_grid  # the CSV and sheet readers' checks, row by row

    headers = [str(column) for column in table.column_names]
    columns = [_cells(table.column(index).to_pylist()) for index in range(table.num_columns)]
    return _rows_from_grid([headers, *zip(*columns, strict=True)] if columns else [headers], name)


def read_parquet_values(path: Path, name: str) -> ValueTable | tuple[list[str], list[tuple[Any, dict[str, Any]]]]:
    """``values.parquet`` read into columns (see the module's docstring), or as rows where it cannot be."""
    table = _read_arrow(path, name)
    columns = _values_into_columns(table, name)
    return _table_rows(table, name) if columns is None else columns


# a number cell whose typed value might not read as its text would (a NaN, a truth value, a huge integer):
# a text no number parser accepts, so its row goes the row parser's way with the typed cell
_SLOW = "\x00"


def _values_into_columns(table: Any, name: str) -> ValueTable | None:
    import pyarrow as pa
    import pyarrow.compute as pc

    from kaoping.core import limits
    from kaoping.io import csvvalues, dataio

    headers = [str(column).strip() for column in table.column_names]
    if not any(headers):
        return None  # the row parser takes the first row that is not blank as the header
    state = csvvalues._Reader(name, plain=True)
    state.start(headers)
    if state.by_rows:
        return None
    count = table.num_rows
    bound = limits.current()
    over = count > bound.rows
    if over:
        count = bound.rows  # the row parser stops before the first row beyond the limit
    codes: list[Any] = []
    arrays = []
    for index, cells in enumerate(state.cells):
        array = table.column(index).slice(0, count).combine_chunks()
        if pa.types.is_dictionary(array.type):
            array = array.cast(array.type.value_type)
        try:
            encoded = pc.dictionary_encode(array, null_encoding="encode")
        except pa.ArrowException:
            return None
        texts = _texts(_cells(encoded.dictionary.to_pylist()), cells.column)
        if texts is None:
            return None
        known = cells.codes(texts)
        codes.append(known[encoded.indices.to_numpy(zero_copy_only=False)] if count else known[:0])
        arrays.append(array)

    def row_at(k: int) -> list[Any]:
        return [_cells([array[k].as_py()])[0] for array in arrays]

    if count:
        import numpy as np

        state.take(codes, np.arange(count), count, row_at, 2)
    if over:
        raise dataio.rows_limit_error(name)
    return state.finish()


def _texts(values: list[Any], column: Any) -> list[str] | None:
    """Each distinct cell as the text the column reader reads; None where a text column holds no text."""
    texts: list[str] = []
    number = column is not None and column.kind == "number"
    for value in values:
        if value is None:
            texts.append("")
        elif isinstance(value, str):
            if "\x00" in value:
                return None
            texts.append(value)
        elif column is None:
            texts.append(str(value))  # a column of no meaning: only whether it is blank counts
        elif not number:
            return None
        elif isinstance(value, Decimal) and value.is_finite():
            texts.append(str(value))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**15:
            texts.append(str(value))
        elif isinstance(value, float) and value - value == 0:
            texts.append(format(value, f".{EXCEL_DIGITS}g"))  # as the row parser reads a float
        else:
            texts.append(_SLOW)
    return texts


def _cells(values: list[Any]) -> list[Any]:
    """Parquet values as the parser takes cells: text, numbers and truth values stay; a date is its ISO text."""
    out: list[Any] = []
    for value in values:
        if value is None or isinstance(value, (str, int, float, Decimal, bool, list, dict)):
            out.append(value)
        elif isinstance(value, bytes):
            out.append(value.decode("utf-8", errors="replace"))
        elif hasattr(value, "isoformat"):
            out.append(value.isoformat())
        else:
            out.append(str(value))
    return out


# ---------------------------------------------------------------------------------------------------------
# writing


STRETCH = 4096  # units whose parts and points are built at once, then turned into Arrow arrays and dropped


def _extent(numbers: Iterable[Decimal], scale: int = 0, digits: int = 1) -> tuple[int, int]:
    """The most decimals and most integer digits of ``numbers`` (and of what ``scale`` and ``digits`` held)."""
    for number in numbers:
        exponent = number.as_tuple().exponent
        assert isinstance(exponent, int)  # finite: a total or a part's points
        scale = max(scale, -exponent)
        digits = max(digits, number.adjusted() + 1)
    return scale, digits


def _decimal_type(pa: Any, scale: int, digits: int) -> Any:
    """The narrowest exact ``decimal128`` for numbers of ``scale`` decimals and ``digits`` integer digits."""
    if digits + scale > MAX_DIGITS:
        raise InputError(
            _("a number has more than {digits} digits; Parquet's decimals cannot hold it").format(digits=MAX_DIGITS)
        )
    return pa.decimal128(max(digits + scale, 1), scale)


def _stretches(result: RunResult) -> Iterator[list[tuple[UnitResult, dict[str, Decimal], dict[str, Decimal]]]]:
    """The units a stretch at a time, each with its parts and indicator points (built for the stretch)."""
    units = result.units
    for start in range(0, len(units), STRETCH):
        yield [(u, u.parts, u.score.indicator_points()) for u in units[start : start + STRETCH]]


def result_tables(result: RunResult) -> tuple[Any, Any]:
    """The results table (a row per unit) and the points table (a row per unit and indicator).

    Built a stretch of units at a time, twice: once for the decimals the numbers need (one exact type for
    all), once into Arrow arrays; no unit's parts or points are kept for the whole run."""
    pa = _pyarrow(RESULTS_FILE)
    scale, digits = 0, 1
    for stretch in _stretches(result):
        for unit, parts, indicators in stretch:
            scale, digits = _extent((unit.total, *parts.values(), *indicators.values()), scale, digits)
    number = _decimal_type(pa, scale, digits)
    results_schema = pa.schema(
        [
            ("unit", pa.string()),
            ("name", pa.string()),
            ("group", pa.string()),
            ("total", number),
            ("rank", pa.int64()),
            ("grade", pa.string()),
            ("grade_reason", pa.string()),
            ("parts", pa.map_(pa.string(), number)),
        ]
    )
    points_schema = pa.schema([("unit", pa.string()), ("indicator", pa.string()), ("points", number)])
    result_batches, point_batches = [], []
    for stretch in _stretches(result):
        units = [u for u, _p, _i in stretch]
        result_batches.append(
            pa.record_batch(
                [
                    [u.unit for u in units],
                    [u.name for u in units],
                    [u.group for u in units],
                    [u.total for u in units],
                    [u.rank for u in units],
                    [u.grade for u in units],
                    [u.grade_reason for u in units],
                    [list(parts.items()) for _u, parts, _i in stretch],
                ],
                schema=results_schema,
            )
        )
        point_batches.append(
            pa.record_batch(
                [
                    [u.unit for u, _p, found in stretch for _k in found],
                    [k for _u, _p, found in stretch for k in found],
                    [p for _u, _p, found in stretch for p in found.values()],
                ],
                schema=points_schema,
            )
        )
    results = pa.Table.from_batches(result_batches, schema=results_schema)
    points = pa.Table.from_batches(point_batches, schema=points_schema)
    return results, points


def write_results(result: RunResult, target: Path, inputs: Sequence[Path | None] = ()) -> None:
    """Write ``results.parquet`` and ``points.parquet`` into the folder ``target``, both or neither."""
    from kaoping.io.outputs import check_output

    pa = _pyarrow(str(target))
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise InputError(
            Problem(
                _("cannot write the output here: --format parquet writes a folder; give a folder"), file=str(target)
            )
        )
    sources = [Path(p) for p in inputs if p is not None]
    for name in (RESULTS_FILE, POINTS_FILE):
        check_output(target / name, sources)
    results, points = result_tables(result)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        pa.parquet.write_table(results, temp / RESULTS_FILE)
        pa.parquet.write_table(points, temp / POINTS_FILE)
        target.mkdir(exist_ok=True)
        for name in (RESULTS_FILE, POINTS_FILE):
            os.chmod(temp / name, 0o666 & ~_umask())
            os.replace(temp / name, target / name)
    except OSError as error:
        raise InputError(
            Problem(
                _("cannot write the output here: {reason}").format(reason=error.strerror or error), file=str(target)
            )
        ) from None
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
