"""Parquet in and out: canonical tables as ``<table>.parquet`` in a data folder, results as two tables.

Reading (:func:`read_parquet_table`): a Parquet table is read with pyarrow and handed to the same row
parser as a CSV or a workbook sheet, so every cell is checked by the same rules and every problem names
the file, the row and the column. Row numbers count the header as row 1, as in the CSV of the same table
(the first data row is row 2). Typed Parquet cells keep their type: a ``decimal128`` is read exactly, a
``double`` as a spreadsheet shows it (15 significant digits), a null is an empty cell.

This is the one place Parquet becomes rows; when the core reads values into columns (``ValueColumns``),
this function is where a table's arrays go straight into columns instead of through Python rows.

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
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from kaoping.core.errors import InputError, Problem
from kaoping.core.results import RunResult
from kaoping.locale import _

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
    from kaoping.io.dataio import _rows_from_grid  # the CSV and sheet readers' checks, row by row

    pa = _pyarrow(name)
    try:
        table = pa.parquet.read_table(path)
    except (OSError, pa.ArrowException) as error:
        raise InputError(Problem(_("not a readable Parquet file: {error}").format(error=error), file=name)) from None
    headers = [str(column) for column in table.column_names]
    columns = [_cells(table.column(index).to_pylist()) for index in range(table.num_columns)]
    return _rows_from_grid([headers, *zip(*columns, strict=True)] if columns else [headers], name)


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


def _decimal_type(pa: Any, numbers: Iterable[Decimal]) -> Any:
    """The narrowest exact ``decimal128`` for ``numbers``: their most decimals and most integer digits."""
    scale, digits = 0, 1
    for number in numbers:
        exponent = number.as_tuple().exponent
        assert isinstance(exponent, int)  # finite: a total or a part's points
        scale = max(scale, -exponent)
        digits = max(digits, number.adjusted() + 1)
    if digits + scale > MAX_DIGITS:
        raise InputError(
            _("a number has more than {digits} digits; Parquet's decimals cannot hold it").format(digits=MAX_DIGITS)
        )
    return pa.decimal128(max(digits + scale, 1), scale)


def result_tables(result: RunResult) -> tuple[Any, Any]:
    """The results table (a row per unit) and the points table (a row per unit and indicator)."""
    pa = _pyarrow(RESULTS_FILE)
    units = result.units
    parts = [u.parts for u in units]
    indicators = [u.score.indicator_points() for u in units]
    totals = [u.total for u in units]
    number = _decimal_type(
        pa, [*totals, *(p for unit in parts for p in unit.values()), *(p for unit in indicators for p in unit.values())]
    )
    results = pa.table(
        {
            "unit": pa.array([u.unit for u in units], pa.string()),
            "name": pa.array([u.name for u in units], pa.string()),
            "group": pa.array([u.group for u in units], pa.string()),
            "total": pa.array(totals, number),
            "rank": pa.array([u.rank for u in units], pa.int64()),
            "grade": pa.array([u.grade for u in units], pa.string()),
            "grade_reason": pa.array([u.grade_reason for u in units], pa.string()),
            "parts": pa.array([list(p.items()) for p in parts], pa.map_(pa.string(), number)),
        }
    )
    points = pa.table(
        {
            "unit": pa.array([u.unit for u, found in zip(units, indicators, strict=True) for _k in found], pa.string()),
            "indicator": pa.array([k for found in indicators for k in found], pa.string()),
            "points": pa.array([p for found in indicators for p in found.values()], number),
        }
    )
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
