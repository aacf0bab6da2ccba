"""The values table of a JSON data source read straight into columns, with the row reader's problems.

A JSON table is a list of objects, one per row, numbered from 1, keyed by header; the row reader
(:func:`kaoping.io.dataio._json_rows`) keeps each object as the row's record and parses it into a
``ValueRow``. This reader takes the objects a chunk at a time and hands each header's cells to the CSV
column reader as the texts that read to the same thing (:func:`kaoping.io.xlsxvalues.cell_texts`: JSON's
numbers are typed cells like a workbook's). An object that does not read plainly (a missing or blank
required key, a truth value for a number, a problem) is parsed by the row reader's code as it is; unlike a
sheet's blank row, a JSON object with nothing in it is a row, and its problems are reported.
"""

from __future__ import annotations

from typing import Any

from kaoping.core import limits
from kaoping.io import csvvalues, dataio
from kaoping.io.csvvalues import ValueTable
from kaoping.io.xlsxvalues import take_chunk


class _RecordReader(csvvalues._Reader):
    """The column reader for rows that are records already (an object per row, never skipped)."""

    def record(self, cells: Any, number: int, bound: limits.Limits) -> dict[str, Any] | None:
        return cells  # type: ignore[no-any-return]


def read_values_records(items: Any, name: str) -> ValueTable:
    """A JSON values table (a list of objects) into columns (see the module's docstring)."""
    headers = dataio.json_headers(items, name)
    state = _RecordReader(name, plain=True)
    state.start(headers, check_header=False)
    for first in range(0, len(items), csvvalues.CHUNK_ROWS):
        take_chunk(state, items[first : first + csvvalues.CHUNK_ROWS], first + 1, None)
    return state.finish()
