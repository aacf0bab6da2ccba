"""Reading a ``values.csv`` straight into columns, with the row reader's problems word for word.

The values table is the large one (a unit × an indicator per row: 40 million rows for a million units).
The row reader builds a dict, a ``Where``, two decimals and a ``ValueRow`` per row. This reader
numbers each column's distinct cell texts as they first appear and reads each distinct text once, with the
row reader's own parser (``to_decimal``); a row whose cells all read cleanly becomes array entries by
look-ups on those numbers. Every other row (a blank or bad cell, ``-0`` or ``1E+2`` whose decimal the
arrays cannot give back as written, a cell over the limit, more or fewer cells than headers) goes through
the row reader's code, cell by cell, so its problems and its numbers are exactly the row reader's.

The rows come from the standard library's parser, a chunk at a time, or, for a large simple file (UTF-8,
no quote character) when pyarrow is installed (``kaoping[arrow]``), from Arrow's parser, which numbers
the distinct texts in C. ``docs/engine.md`` has the measurements behind the choice.

The guarantees of ``docs/hardening.md`` hold as in the row reader (they are the same functions): UTF-8,
UTF-8 with BOM and GBK/GB18030; CR, LF and CRLF line ends; the size, row and cell limits; bilingual and
lenient headers; full-width digits; NaN and infinities refused.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import IO, Any
from unicodedata import normalize

import attrs
import numpy as np

from kaoping.core import limits, memory
from kaoping.core.columnar.values import PERCENT_BITS, Codes, NumberColumn, ValueColumns
from kaoping.core.columns import Column
from kaoping.core.errors import InputError, Problem
from kaoping.core.models import Where
from kaoping.core.numbers import to_decimal
from kaoping.io import dataio
from kaoping.io.workbooks import MB
from kaoping.locale import _

CHUNK_ROWS = 100_000
# read simple files with Arrow's CSV parser when pyarrow is installed (``kaoping[arrow]``) and the file is
# large enough for its import (about 0.2 s) to pay; tests turn it off, or on for small files
ARROW = True
ARROW_MIN_BYTES = 8 * 2**20
_TEXT_COLUMNS = ("unit", "indicator", "item", "period", "note")
_NUMBER_COLUMNS = ("value", "target", "baseline")


@attrs.define
class ValueTable:
    """The values table read into columns, with the reading problems (in the row reader's order) and the
    fields of the rows that could not be read (their (unit, indicator) are not reported again as missing)."""

    columns: ValueColumns
    problems: list[Problem]
    rejected: list[dict[str, Any]]


def read_values_csv(path: Path, name: str) -> ValueTable:
    """Read ``values.csv`` into columns (see the module's docstring)."""
    dataio.check_size(path, name)
    bound = limits.current()
    csv.field_size_limit(min(max(bound.file_mb * MB, bound.cell_chars + 1), 2**31 - 1))
    plain, simple, stream = _open_text(path, name)
    if simple and ARROW and path.stat().st_size >= ARROW_MIN_BYTES and _genuine_datetime():
        table = _read_with_arrow(path, name)
        if table is not None:
            stream.close()
            return table
    with stream:
        reader, rows = dataio.nul_safe_reader(stream)
        try:
            return _Reader(name, plain).read(rows)
        except csv.Error as error:
            raise InputError(
                Problem(_("not a readable CSV table: {error}").format(error=error), file=name, row=reader.line_num)
            ) from None


def _open_text(path: Path, name: str) -> tuple[bool, bool, IO[str]]:
    """The file as text, decoded as :func:`kaoping.io.dataio.decode_text` decodes it; whether it is free of
    NUL characters (then the cells are read in arrays); whether it is simple enough for Arrow's parser to
    read as the standard library's does (UTF-8 without a quote character anywhere: every line splits at
    its commas, no more).

    A UTF-8 file (the usual export) is checked in a streaming pass and then read from disk as it is parsed,
    so the whole text is never in memory; anything else is decoded whole, as the row reader does.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    plain = simple = True
    try:
        with open(path, "rb") as raw:
            while block := raw.read(1 << 22):
                decoder.decode(block)
                plain = plain and b"\x00" not in block
                simple = simple and b'"' not in block
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        text = dataio.decode_text(path.read_bytes(), name)
        return "\x00" not in text, False, io.StringIO(text, newline="")
    return plain, plain and simple, open(path, encoding="utf-8-sig", newline="")  # closed by the caller


def _genuine_datetime() -> bool:
    """Whether ``datetime.datetime`` is the interpreter's own: pyarrow's compiled code reads its layout,
    and crashes where a test has replaced it with a subclass (a moved clock); then the standard way."""
    import datetime

    try:
        import _datetime
    except ImportError:  # an interpreter without the C module: nothing for pyarrow to misread
        return True
    return datetime.datetime is _datetime.datetime


def _read_with_arrow(path: Path, name: str) -> ValueTable | None:
    """Read a simple file (see :func:`_open_text`) with Arrow's CSV parser, None where it cannot.

    Arrow splits the lines into columns and numbers each column's distinct texts (``dictionary_encode``)
    in C; the texts are then read once each, exactly as the standard library's path reads them. Arrow
    is used only where both parsers split alike: no quotes, every line with the header's number of cells
    (an empty line or a short or long row makes Arrow stop, and the file is read the standard way).
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pacsv
    except ImportError:
        return None
    with open(path, encoding="utf-8-sig", newline="") as text:
        first = next(csv.reader(text), [])
    headers = [cell.strip() for cell in first]
    state = _Reader(name, plain=True)
    state.start(headers)
    if not any(headers) or state.by_rows:
        return None
    names = [f"c{i}" for i in range(len(first))]
    bound = limits.current()
    try:
        batches = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(skip_rows=1, column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(quote_char=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
        start = 2
        for batch in batches:
            count = batch.num_rows
            codes = []
            for i, cells in enumerate(state.cells):
                encoded = pc.dictionary_encode(batch.column(i))
                known = cells.codes(encoded.dictionary.to_pylist())
                codes.append(known[encoded.indices.to_numpy(zero_copy_only=False)])
            over = start + count - 1 > bound.rows + 1
            if over:
                count = bound.rows + 2 - start
                codes = [code[:count] for code in codes]

            def row_at(k: int, codes: list[np.ndarray] = codes) -> list[str]:
                return [cells.raw(int(code[k])) for cells, code in zip(state.cells, codes, strict=True)]

            state.take(codes, np.arange(count), count, row_at, start)
            if over:
                raise dataio.rows_limit_error(name)
            start += count
            del batch, codes
            memory.give_back()  # the batch's buffers and the chunk's temporaries, before the next batch
    except pa.ArrowInvalid:
        return None
    return state.finish()


# what each distinct text of a column is (see _Cells._read), in this order
_FIELDS = {
    "blank": bool,
    "long": bool,
    "text": np.int32,
    "ints": np.int64,
    "scales": np.int8,
    "ok": bool,
    "percent": bool,
}


class _Cells:
    """The distinct texts met in one column of the file, each read once.

    ``code`` numbers each raw cell text; per number the arrays say whether it is blank, longer than the
    cell limit, its text (stripped) interned in its column, or its number read by the row reader's own
    parser (``ok`` false where that parser refuses it or where the row reader's decimal cannot be kept as
    an integer and a scale: those rows go the slow way, where the problem is worded).
    """

    def __init__(self, column: Column | None, interned: dict[str, int] | None) -> None:
        self.column = column
        self.interned = interned
        self.code: dict[str, int] = {}
        self.texts: list[str] = []  # the raw texts, by code
        self.size = 0
        # by code, in arrays that grow by doubling (a million units' ids arrive a chunk at a time)
        self.store = {name: np.zeros(64, dtype=dtype) for name, dtype in _FIELDS.items()}

    def codes(self, cells: list[str]) -> np.ndarray:
        """The codes of a chunk's cells; new texts are read (once) as they first appear."""
        new = list(set(cells).difference(self.code))
        if new:
            limit = limits.current().cell_chars
            read = [self._read(text, limit) for text in new]
            for text in new:
                self.code[text] = len(self.code)
            self.texts += new
            end = self.size + len(new)
            for (name, array), values in zip(self.store.items(), zip(*read, strict=True), strict=True):
                if len(array) < end:
                    array = self.store[name] = np.resize(array, max(end, 2 * len(array)))
                array[self.size : end] = values
            self.size = end
        return np.fromiter(map(self.code.__getitem__, cells), dtype=np.int32, count=len(cells))

    def _read(self, raw: str, limit: int) -> tuple[bool, bool, int, int, int, bool, bool]:
        """What one distinct text is: blank, too long, its interned text, its number (digits, scale, read
        as the row reader reads it), written as a percentage."""
        text = raw.strip()
        code = self.interned.setdefault(text, len(self.interned)) if self.interned is not None else 0
        mantissa, scale, ok = 0, 0, False
        if self.column is not None and self.column.kind == "number" and text:
            try:
                number = to_decimal(text, percent=self.column.ratio)
            except ValueError:
                pass
            else:
                single = NumberColumn.absent(1)
                single.set(0, number)
                ok = not single.exact  # -0, 1E+2, beyond int64: the slow way keeps the decimal itself
                mantissa, scale = int(single.ints[0]), int(single.scales[0])
        if self.column is not None and self.column.id in dataio.ID_COLUMNS:
            ok = _plain_id(text)  # a hidden character (a space inside too): the slow way names it
        percent = ok and normalize("NFKC", text).endswith("%")
        return text == "", len(raw) > limit, code, mantissa, scale, ok, percent

    def raw(self, code: int) -> str:
        """The cell text of a code (for a row that goes the slow way)."""
        return self.texts[code]

    def array(self, name: str) -> np.ndarray:
        return self.store[name][: self.size]


def _plain_id(text: str) -> bool:
    """Whether the row reader reads ``text`` as an id without a problem (its own check, once per text)."""
    try:
        dataio._id_text(text)
    except ValueError:
        return False
    return True


class _Reader:
    """One file's reading: the header's columns, then chunk after chunk of rows into column parts."""

    def __init__(self, name: str, plain: bool) -> None:
        self.name = name
        self.plain = plain
        self.problems: list[Problem] = []
        self.rejected: list[dict[str, Any]] = []
        self.rows_seen = 0  # rows that are not blank, read or not
        self.parts: dict[str, list[Any]] = {key: [] for key in (*_TEXT_COLUMNS, *_NUMBER_COLUMNS, "row", "percent")}
        self.codes: dict[str, dict[str, int]] = {column: {} for column in _TEXT_COLUMNS}
        self.exact: dict[str, dict[int, Decimal]] = {column: {} for column in _NUMBER_COLUMNS}
        self.wide: dict[str, bool] = {column: False for column in _NUMBER_COLUMNS}
        self.size = 0

    def start(self, headers: list[str], check_header: bool = True) -> None:
        """Which column each header names, and the distinct cells of each column, from the header row.

        ``check_header``: the header's cells are held to the cell limit (a grid's header row is a row; a
        JSON table's keys are not cells, and the row reader does not check them)."""
        if check_header:
            dataio._check_cells(headers, headers, self.name, 1)
        scratch: list[Problem] = []
        mapping, _extra = dataio.table_columns("values", headers, self.name, True, scratch)
        self.headers, self.mapping = headers, mapping
        # a header's cell is the last cell under that header text (the row reader's dict keeps the last)
        self.position = {
            column.id: max(i for i, h in enumerate(headers) if h == header) for header, column in mapping.items()
        }
        column_at = {i: self.mapping[headers[i]] for i in self.position.values()}
        self.cells = [
            _Cells(column_at.get(i), self.codes.get(column_at[i].id) if i in column_at else None)
            for i in range(len(headers))
        ]
        self.by_rows = not self.plain or not all(c in self.position for c in ("unit", "indicator", "value"))

    def finish(self) -> ValueTable:
        head: list[Problem] = []
        has_rows = self.rows_seen > 0
        dataio.table_columns("values", self.headers, self.name if has_rows else "values", has_rows, head)
        return ValueTable(self.columns(), head + self.problems, self.rejected)

    def read(self, reader: Iterator[list[str]]) -> ValueTable:
        """Every row of the standard library's reader, a chunk at a time."""
        bound = limits.current()
        self.start(dataio.first_headers(reader))
        start = 2
        while chunk := list(islice(reader, CHUNK_ROWS)):
            over = start + len(chunk) - 1 > bound.rows + 1
            if over:
                chunk = chunk[: bound.rows + 2 - start]
            self.chunk(chunk, start)
            if over:
                raise dataio.rows_limit_error(self.name)
            start += len(chunk)
        return self.finish()

    # -----------------------------------------------------------------------------------------------------

    def chunk(self, rows: list[list[str]], start: int) -> None:
        """Read one chunk of the standard library's rows."""
        width = len(self.headers)
        count = len(rows)
        if self.by_rows or not width:
            self.take(None, np.zeros(0, dtype=np.int64), count, rows.__getitem__, start)
            return
        regular = np.fromiter(map(len, rows), dtype=np.int64, count=count) == width
        kept = np.flatnonzero(regular)
        grid = rows if len(kept) == count else [rows[i] for i in kept]
        codes = [cells.codes(list(map(itemgetter(i), grid))) for i, cells in enumerate(self.cells)] if grid else None
        self.take(codes, kept, count, rows.__getitem__, start)

    def take(
        self,
        codes: list[np.ndarray] | None,
        kept: np.ndarray,
        count: int,
        row_at: Callable[[int], Any],
        start: int,
    ) -> None:
        """Read ``count`` rows numbered from ``start``: those at ``kept`` (with their cells' ``codes``) as
        arrays where every cell reads plainly, every other row through the row reader's code (``row_at``
        gives its cells)."""
        fast = np.zeros(count, dtype=bool)
        parsed: dict[str, Any] = {}
        if codes is not None and len(kept):
            parsed, good = self.plain_codes(codes)
            fast[kept[good]] = True
            self.rows_seen += int(good.sum())
        slow_rows: list[tuple[int, dict[str, Any]]] = []
        bound = limits.current()
        for index in np.flatnonzero(~fast).tolist():
            number = start + index
            record = self.record(row_at(index), number, bound)
            if record is None:
                continue
            self.rows_seen += 1
            out, ok = dataio.parse_record(
                "values", self.mapping, [], Where(self.name, number), record, self.problems, bound.count
            )
            if ok:
                slow_rows.append((index, out))
            else:
                self.rejected.append(out)
        self._append(parsed, np.flatnonzero(fast), slow_rows, start)

    def record(self, cells: Any, number: int, bound: limits.Limits) -> dict[str, Any] | None:
        """A row that goes the slow way as the row reader's record (header → cell); None for a blank row."""
        return dataio.grid_record(self.headers, cells, self.name, number, bound)

    def plain_codes(self, codes: list[np.ndarray]) -> tuple[dict[str, Any], np.ndarray]:
        """From each column's cell codes: the rows read as the row reader reads them, and their columns."""
        size = len(codes[0])
        blank = np.ones(size, dtype=bool)
        good = np.ones(size, dtype=bool)
        for cells, code in zip(self.cells, codes, strict=True):
            blank &= cells.array("blank")[code]
            good &= ~cells.array("long")[code]  # the slow way stops the reading there, as the row reader does
        good &= ~blank  # a blank row is skipped (the slow way skips it)
        found: dict[str, Any] = {}
        for column, i in self.position.items():
            cells, code = self.cells[i], codes[i]
            if column in _TEXT_COLUMNS:
                if column in ("unit", "indicator"):
                    good &= ~cells.array("blank")[code] & cells.array("ok")[code]
                found[column] = cells.array("text")[code]
            else:
                ok, given = cells.array("ok")[code], ~cells.array("blank")[code]
                good &= ok if column == "value" else ok | ~given
                found[column] = (cells.array("ints")[code], cells.array("scales")[code], given)
                bits = cells.array("percent")[code].astype(np.uint8) * np.uint8(PERCENT_BITS[column])
                found["percent"] = found["percent"] | bits if "percent" in found else bits
        return {
            key: value[good] if isinstance(value, np.ndarray) else tuple(v[good] for v in value)
            for key, value in found.items()
        }, good

    def _append(
        self, parsed: dict[str, Any], fast: np.ndarray, slow: list[tuple[int, dict[str, Any]]], start: int
    ) -> None:
        """Merge a chunk's fast and slow rows in the order of the file and keep them as column parts."""
        positions = np.concatenate([fast, np.array([i for i, _out in slow], dtype=np.int64)])
        size = len(positions)
        if size == 0:
            return
        order = np.argsort(positions, kind="stable") if slow else np.arange(size)
        outs = [out for _i, out in slow]
        for column in _TEXT_COLUMNS:
            if column not in self.position:
                continue
            interned = self.codes[column]
            slow_codes = np.array(
                [interned.setdefault(out.get(column, ""), len(interned)) for out in outs], dtype=np.int32
            )
            fast_codes = parsed.get(column, np.zeros(len(fast), dtype=np.int32))
            self.parts[column].append(np.concatenate([fast_codes, slow_codes])[order])
        for column in _NUMBER_COLUMNS:
            if column not in self.position:
                continue
            extra = NumberColumn.absent(len(outs))
            for k, out in enumerate(outs):
                if out.get(column) is not None:
                    extra.set(k, out[column])
            ints, scales, given = parsed.get(column) or (
                np.zeros(len(fast), dtype=np.int64),
                np.zeros(len(fast), dtype=np.int8),
                np.zeros(len(fast), dtype=bool),
            )
            where = np.empty(size, dtype=np.int64)
            where[order] = np.arange(size)  # the merged position of each fast, then slow, row
            self.wide[column] |= extra.wide
            for k, value in extra.exact.items():
                self.exact[column][self.size + int(where[len(fast) + k])] = value
            self.parts[column].append(
                (
                    np.concatenate([ints, extra.ints])[order],
                    np.concatenate([scales, extra.scales])[order],
                    np.concatenate([given, extra.present])[order],
                )
            )
        self.parts["row"].append((positions[order] + start).astype(np.int32))
        fast_percent = parsed.get("percent", np.zeros(len(fast), dtype=np.uint8))
        slow_percent = [sum(PERCENT_BITS[c] for c in out.get("_percent", ())) for out in outs]
        percent = np.concatenate([fast_percent, np.array(slow_percent, dtype=np.uint8)])
        self.parts["percent"].append(percent[order])
        self.size += size

    def columns(self) -> ValueColumns:
        """The chunks joined into columns. Each column's chunks are dropped as soon as it is joined, so the
        table is never held twice over (40 million rows: 1.5 GB of columns)."""
        size = self.size

        def joined(column: str) -> list[Any]:
            parts, self.parts[column] = self.parts[column], []
            return parts

        def codes(column: str) -> Codes:
            parts = joined(column)
            if not parts:
                return Codes.empty_texts(size)
            return Codes(np.concatenate(parts), tuple(self.codes[column]))

        def numbers(column: str) -> NumberColumn:
            parts = joined(column)
            if not parts:
                return NumberColumn.absent(size)
            found = []
            for k in range(3):  # ints, scales, present: each concatenated, then its chunks let go
                found.append(np.concatenate([part[k] for part in parts]))
                parts = [(None,) * (k + 1) + tuple(part[k + 1 :]) for part in parts]
            ints, scales, present = found
            return NumberColumn(ints, scales, present, self.exact[column], self.wide[column])

        return ValueColumns(
            unit=codes("unit"),
            indicator=codes("indicator"),
            value=numbers("value"),
            target=numbers("target"),
            baseline=numbers("baseline"),
            item=codes("item"),
            period=codes("period"),
            note=codes("note"),
            file=Codes(np.zeros(size, dtype=np.int32), (self.name,)),
            row=np.concatenate(joined("row")) if self.parts["row"] else np.zeros(0, dtype=np.int32),
            percent=np.concatenate(joined("percent")) if self.parts["percent"] else np.zeros(0, dtype=np.uint8),
        )
