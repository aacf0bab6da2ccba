"""A values sheet of a workbook read straight into columns, with the row reader's problems word for word.

The row reader (:func:`kaoping.io.dataio._sheet_rows`) turns each row of ``iter_rows(values_only=True)``
into a dict and a ``ValueRow``. This reader takes the same rows from the same openpyxl iterator (read-only,
cached values of formulas), a chunk at a time, and hands each column's cells to the CSV column reader
(:mod:`kaoping.io.csvvalues`) as the texts that read to the same thing: a text cell as it is, an integer
or a float as the number the row reader makes of it (a float to the 15 digits a spreadsheet shows), a
blank cell as ``""``. The distinct texts are read once each by the row reader's own parser. A row with a
cell that has no such text (a truth value or a date in a number column, a float that is not finite, a
number too large for its digits), or that reads with a problem, goes through the row reader's code with
its typed cells, so its problems and its numbers are exactly the row reader's.

openpyxl is imported by the caller (:func:`kaoping.io.workbooks.open_workbook`), only when a workbook is
read. Where python-calamine is installed (``kaoping[calamine]``) it parses the sheet instead (4 – 11×
faster), wherever its cells cannot differ from openpyxl's (:func:`_read_with_calamine`); openpyxl reads
every other sheet. ``docs/engine.md`` ("Reading workbooks into columns") has the measurements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import Any

import numpy as np

from kaoping.core import limits
from kaoping.core.columns import Column
from kaoping.core.errors import InputError
from kaoping.core.numbers import EXCEL_DIGITS
from kaoping.io import csvvalues, dataio
from kaoping.io.csvvalues import ValueTable

# read a values sheet with python-calamine where it is installed (``kaoping[calamine]``), about 3× faster
# end to end than openpyxl; tests turn it off to compare
CALAMINE = True
# the sheet XML's marks of a cell calamine reads otherwise than openpyxl: an error value (calamine: blank),
# an escaped character (``_x000D_``); the shared strings' phonetic runs
_CALAMINE_DIFFERS = (b't="e"', b"t='e'", b"_x")
_PHONETIC = b"<rPh"
# the cell types calamine gives as openpyxl does (a float is openpyxl's int or float of the same number)
_CALAMINE_TYPES = frozenset({str, float, int, bool})

# the text of a cell no column reads plainly: no number parser accepts it and it is not a visible id; a row
# holding one goes the row reader's way with its typed cells
SLOW = "\x00"
_DIGITS_AS_TEXT = 10**15  # an integer below this reads from its text exactly as from itself
_AS_SHOWN = f".{EXCEL_DIGITS}g"


def read_values_sheet(sheet: Any, name: str) -> ValueTable:
    """A values sheet (an openpyxl read-only worksheet) into columns: by python-calamine where it is
    installed and gives the cells openpyxl gives (:func:`_read_with_calamine`), else by openpyxl."""
    if CALAMINE:
        table = _read_with_calamine(sheet, name)
        if table is not None:
            return table
    return read_values_grid(sheet.iter_rows(values_only=True), name)


def read_values_grid(grid: Iterable[Sequence[Any]], name: str) -> ValueTable:
    """The rows of a values sheet (the header row first, blank rows before it skipped) into columns."""
    bound = limits.current()
    rows: Iterator[Sequence[Any]] = iter(grid)
    state = csvvalues._Reader(name, plain=True)
    state.start(dataio.first_headers(rows))
    start = 2
    while chunk := list(islice(rows, csvvalues.CHUNK_ROWS)):
        over = start + len(chunk) - 1 > bound.rows + 1
        if over:
            chunk = chunk[: bound.rows + 2 - start]
        take_chunk(state, chunk, start, len)
        if over:
            raise dataio.rows_limit_error(name)
        start += len(chunk)
    return state.finish()


def take_chunk(
    state: csvvalues._Reader, rows: Sequence[Any], start: int, width_of: Callable[[Any], int] | None
) -> None:
    """Read one chunk of typed rows (numbered from ``start``) into ``state``.

    ``width_of`` gives a grid row's number of cells: a row of another width than the header's goes the
    row reader's way (a cell beyond the header is its error). None for records (dicts keyed by header).
    """
    count = len(rows)
    headers = state.headers
    if state.by_rows or not headers:
        state.take(None, np.zeros(0, dtype=np.int64), count, rows.__getitem__, start)
        return
    if width_of is None:
        kept, grid = np.arange(count), rows
        columns = [[row.get(header) for row in grid] for header in headers]
    else:
        widths = np.fromiter(map(width_of, rows), dtype=np.int64, count=count)
        kept = np.flatnonzero(widths == len(headers))
        grid = rows if len(kept) == count else [rows[i] for i in kept.tolist()]
        columns = [[row[i] for row in grid] for i in range(len(headers))]
    texts = [cell_texts(cells, reader.column) for cells, reader in zip(columns, state.cells, strict=True)]
    odd = np.zeros(len(kept), dtype=bool)
    for column in texts:
        if SLOW in column:
            odd |= np.fromiter((text == SLOW for text in column), dtype=bool, count=len(column))
    if odd.any():
        plain = np.flatnonzero(~odd)
        kept = kept[plain]
        texts = [[column[i] for i in plain.tolist()] for column in texts]
    codes = [reader.codes(column) for reader, column in zip(state.cells, texts, strict=True)] if len(kept) else None
    state.take(codes, kept, count, rows.__getitem__, start)


def cell_texts(cells: list[Any], column: Column | None) -> list[str]:
    """Each typed cell as the text the column reader reads to the row reader's value (:data:`SLOW` where
    there is none)."""
    if column is None:
        read = _blank_or_not
    elif column.kind == "number":
        read = _number_text
    else:
        read = _text
    return [cell if cell.__class__ is str else read(cell) for cell in cells]


def _number_text(cell: Any) -> str:
    """A number cell's text: ``to_decimal`` reads it to the decimal it reads the cell to."""
    if cell is None:
        return ""
    kind = cell.__class__
    if kind is int and -_DIGITS_AS_TEXT < cell < _DIGITS_AS_TEXT:
        return str(cell)
    if kind is float and cell - cell == 0:  # finite
        return format(cell, _AS_SHOWN)  # what float_as_shown reads, as text
    return SLOW  # a truth value, a date, a huge integer, NaN: the row reader words its problem


def _text(cell: Any) -> str:
    """A text cell's text: what the row reader makes of a number or a date typed into it."""
    if cell is None:
        return ""
    if isinstance(cell, (list, dict)):
        return SLOW
    try:
        return dataio._cell_text(cell)
    except ValueError:
        return SLOW


def _blank_or_not(cell: Any) -> str:
    """A cell under a header of no column: only whether it is blank counts (a typed cell never is)."""
    return "" if cell is None else "x"


def _read_with_calamine(sheet: Any, name: str) -> ValueTable | None:
    """The values sheet read by python-calamine, None where it is not installed or where its cells might
    not be openpyxl's (then openpyxl reads it: the same rows, the same words, 3× slower; docs/engine.md).

    calamine reads the same XML, but gives a cell error (``#N/A``) as a blank, every number as a float,
    dates by its own reading of number formats, and the phonetic runs of a string. It is used only where
    none of that can change a row: no error cell, no escaped character and no phonetic run in the sheet's
    XML, no date format in the workbook, every cell a text, a truth value or a float below 10¹⁵ other than
    -0 (which openpyxl reads as an integer of the same number), a header of texts, and no row with a problem
    (a row that does not read is read again by openpyxl, so its problem is worded from openpyxl's cells).
    """
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None
    workbook = getattr(sheet, "parent", None)  # openpyxl's own attributes: absent in another version, no calamine
    archive = getattr(workbook, "_archive", None)
    part = getattr(sheet, "_worksheet_path", None)
    dated = getattr(workbook, "_date_formats", None), getattr(workbook, "_timedelta_formats", None)
    if archive is None or part is None or dated != (set(), set()):
        return None
    if _marked(archive, part, _CALAMINE_DIFFERS) or _marked(archive, "xl/sharedStrings.xml", (_PHONETIC, b"_x")):
        return None
    try:
        rows = CalamineWorkbook.from_path(archive.filename).get_sheet_by_name(sheet.title).iter_rows()
    except Exception:  # whatever calamine cannot read, openpyxl reads or words
        return None
    try:
        table = read_values_grid(_checked(rows), name)
    except (_NotOpenpyxls, InputError):
        return None  # openpyxl's cells, and their words for an error
    except Exception:  # calamine failing half-way: openpyxl reads the sheet, or words what is wrong with it
        return None
    return None if table.rejected else table


class _NotOpenpyxls(Exception):
    """calamine's cells might not be openpyxl's: openpyxl reads the sheet."""


def _checked(rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """calamine's rows, a chunk at a time, each chunk checked to hold openpyxl's cells (:func:`_same_cells`),
    and the header row (the first that is not blank) texts only (a number's text differs: ``2024.0``)."""
    header_seen = False
    while chunk := list(islice(rows, csvvalues.CHUNK_ROWS)):
        if not header_seen:
            header = next((row for row in chunk if any(str(c).strip() for c in row)), None)
            if header is not None and not all(c.__class__ is str for c in header):
                raise _NotOpenpyxls
            header_seen = header is not None
        if not _same_cells(chunk):
            raise _NotOpenpyxls
        yield from chunk


def _marked(archive: Any, part: str, marks: tuple[bytes, ...]) -> bool:
    """Whether an archive member holds one of ``marks`` (read in blocks; a missing member holds none)."""
    try:
        member = archive.open(part)
    except KeyError:
        return False
    overlap = max(map(len, marks)) - 1
    tail = b""
    with member:
        while block := member.read(1 << 22):
            window = tail + block
            if any(mark in window for mark in marks):
                return True
            tail = window[-overlap:]
    return False


def _same_cells(rows: list[list[Any]]) -> bool:
    """Whether calamine's cells are openpyxl's: texts, truth values and numbers openpyxl reads alike."""
    cells = list(chain.from_iterable(rows))
    if not set(map(type, cells)) <= _CALAMINE_TYPES:
        return False
    numbers = np.fromiter((c for c in cells if c.__class__ is float), dtype=np.float64)
    if len(numbers) and not (np.abs(numbers) < _DIGITS_AS_TEXT).all():
        return False  # not finite, or beyond the digits an integer and its float share
    return not (np.signbit(numbers) & (numbers == 0)).any()  # -0: openpyxl reads the integer 0
