"""Reading a ``values.csv`` straight into columns, with the row reader's problems word for word.

The values table is the large one (a unit × an indicator per row: 40 million rows for a million units).
The row reader builds a dict, a ``Where``, two ``Decimal``\\ s and a ``ValueRow`` per row; this reader
takes the rows of the standard library's C parser a chunk at a time, turns each column into a numpy array
of texts, and parses the numbers written plainly (``12.5``, ``-3``, ``0.85``) in numpy's string
functions. Every other row (a blank or missing required cell, ``85%``, ``８５``, ``1,200``, a row with more
or fewer cells than headers) goes through the row reader's own code, cell by cell, so its problems and its
numbers are exactly the row reader's. ``docs/engine.md`` has the measurements behind the choice of reader.

The guarantees of ``docs/hardening.md`` hold as in the row reader (they are the same functions): UTF-8,
UTF-8 with BOM and GBK/GB18030; CR, LF and CRLF line ends; the size, row and cell limits; bilingual and
lenient headers; full-width digits; NaN and infinities refused.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import IO, Any
from unicodedata import normalize

import attrs
import numpy as np

from kaoping.core import limits
from kaoping.core.columnar.values import Codes, NumberColumn, ValueColumns
from kaoping.core.columns import Column
from kaoping.core.errors import InputError, Problem
from kaoping.core.models import Where
from kaoping.io import dataio
from kaoping.io.workbooks import MB
from kaoping.locale import _

CHUNK_ROWS = 50_000
# a plainly written number numpy parses alike: at most 15 digits before the point (the readers' limit)
# and 18 in all (int64); anything longer goes through the row reader's parser
_HEAD_DIGITS = 15
_ALL_DIGITS = 18
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
    plain, stream = _open_text(path, name)
    with stream:
        reader = csv.reader(stream, strict=True)
        try:
            return _Reader(name, plain).read(reader)
        except csv.Error as error:
            raise InputError(
                Problem(_("not a readable CSV table: {error}").format(error=error), file=name, row=reader.line_num)
            ) from None


def _open_text(path: Path, name: str) -> tuple[bool, IO[str]]:
    """The file as text, decoded as :func:`kaoping.io.dataio.decode_text` decodes it, and whether it is free
    of NUL characters (numpy's texts cannot end in one, so such a file is read row by row).

    A UTF-8 file (the usual export) is checked in a streaming pass and then read from disk as it is parsed,
    so the whole text is never in memory; anything else is decoded whole, as the row reader does.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    plain = True
    try:
        with open(path, "rb") as raw:
            while block := raw.read(1 << 22):
                decoder.decode(block)
                plain = plain and b"\x00" not in block
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        text = dataio.decode_text(path.read_bytes(), name)
        return "\x00" not in text, io.StringIO(text, newline="")
    return plain, open(path, encoding="utf-8-sig", newline="")  # closed by the caller


class _Reader:
    """One file's reading: the header's columns, then chunk after chunk of rows into column parts."""

    def __init__(self, name: str, plain: bool) -> None:
        self.name = name
        self.plain = plain
        self.problems: list[Problem] = []
        self.rejected: list[dict[str, Any]] = []
        self.rows_seen = 0  # rows that are not blank, read or not
        self.parts: dict[str, list[Any]] = {key: [] for key in (*_TEXT_COLUMNS, "row", "percent")}
        for column in _NUMBER_COLUMNS:
            self.parts[column] = []
        self.codes: dict[str, dict[str, int]] = {column: {} for column in _TEXT_COLUMNS}
        self.exact: dict[str, dict[int, Decimal]] = {column: {} for column in _NUMBER_COLUMNS}
        self.wide: dict[str, bool] = {column: False for column in _NUMBER_COLUMNS}
        self.size = 0

    def read(self, reader: Iterator[list[str]]) -> ValueTable:
        bound = limits.current()
        headers = dataio.first_headers(reader)
        scratch: list[Problem] = []
        mapping, _extra = dataio.table_columns("values", headers, self.name, True, scratch)
        self.headers, self.mapping = headers, mapping
        # a header's cell is the last cell under that header text (the row reader's dict keeps the last)
        self.position = {
            column.id: max(i for i, h in enumerate(headers) if h == header) for header, column in mapping.items()
        }
        self.by_rows = not self.plain or not all(c in self.position for c in ("unit", "indicator", "value"))
        start = 2
        while chunk := list(islice(reader, CHUNK_ROWS)):
            over = start + len(chunk) - 1 > bound.rows + 1
            if over:
                chunk = chunk[: bound.rows + 2 - start]
            self.chunk(chunk, start)
            if over:
                raise dataio.rows_limit_error(self.name)
            start += len(chunk)
        head: list[Problem] = []
        has_rows = self.rows_seen > 0
        dataio.table_columns("values", headers, self.name if has_rows else "values", has_rows, head)
        return ValueTable(self.columns(), head + self.problems, self.rejected)

    # -----------------------------------------------------------------------------------------------------

    def chunk(self, rows: list[list[str]], start: int) -> None:
        """Read one chunk: the plain rows in arrays, the others through the row reader's code."""
        width = len(self.headers)
        count = len(rows)
        fast = np.zeros(count, dtype=bool)
        parsed: dict[str, Any] = {}
        if not self.by_rows and width:
            regular = np.fromiter(map(len, rows), dtype=np.int64, count=count) == width
            kept = np.flatnonzero(regular)
            grid = rows if len(kept) == count else [rows[i] for i in kept]
            cells = [np.array(column, dtype=str) for column in zip(*grid, strict=True)] if grid else []
            if cells and max(c.dtype.itemsize // 4 for c in cells) <= limits.current().cell_chars:
                parsed, good = self._plain(cells)
                fast[kept[good]] = True
                self.rows_seen += int(good.sum())
        slow_rows: list[tuple[int, dict[str, Any]]] = []
        count_limit = limits.current().count
        for index in np.flatnonzero(~fast).tolist():
            number = start + index
            record = dataio.grid_record(self.headers, rows[index], self.name, number)
            if record is None:
                continue
            self.rows_seen += 1
            out, ok = dataio.parse_record(
                "values", self.mapping, [], Where(self.name, number), record, self.problems, count_limit
            )
            if ok:
                out["_percent"] = _percent(record, self.mapping)
                slow_rows.append((index, out))
            else:
                self.rejected.append(out)
        self._append(parsed, np.flatnonzero(fast), slow_rows, start)

    def _plain(self, cells: list[np.ndarray]) -> tuple[dict[str, Any], np.ndarray]:
        """The rows whose cells numpy reads as the row reader would, and their columns."""
        stripped = [np.strings.strip(c) for c in cells]
        good = np.zeros(len(cells[0]), dtype=bool)
        for column in stripped:
            good |= column != ""  # a blank row is skipped (and goes the slow way, which skips it)
        found: dict[str, Any] = {}
        for column in _TEXT_COLUMNS:
            if column in self.position:
                found[column] = stripped[self.position[column]]
        good &= (found["unit"] != "") & (found["indicator"] != "")
        for column in _NUMBER_COLUMNS:
            if column not in self.position:
                continue
            texts = stripped[self.position[column]]
            ints, scales, plain = plain_decimals(texts)
            given = texts != ""
            good &= plain if column == "value" else plain | ~given
            found[column] = (ints, scales, given)
        return {
            key: value[good] if isinstance(value, np.ndarray) else tuple(v[good] for v in value)
            for key, value in found.items()
        }, good

    def _append(
        self, parsed: dict[str, Any], fast: np.ndarray, slow: list[tuple[int, dict[str, Any]]], start: int
    ) -> None:
        """Merge a chunk's fast and slow rows in the order of the file and keep them as column parts."""
        positions = np.concatenate([fast, np.array([i for i, _out in slow], dtype=np.int64)])
        order = np.argsort(positions, kind="stable")
        size = len(positions)
        if size == 0:
            return
        outs = [out for _i, out in slow]
        for column in _TEXT_COLUMNS:
            if column not in self.position:
                continue
            slow_texts = np.array([out.get(column, "") for out in outs], dtype=str)
            fast_texts = parsed.get(column, np.zeros(len(fast), dtype="<U1"))
            texts = np.concatenate([fast_texts, slow_texts])[order]
            self.parts[column].append(self._intern(column, texts))
        for column in _NUMBER_COLUMNS:
            if column not in self.position:
                continue
            extra = NumberColumn.absent(len(outs))
            for k, out in enumerate(outs):
                if out.get(column) is not None:
                    extra.set(k, out[column])
            if column in parsed:
                ints, scales, given = parsed[column]
            else:
                ints, scales, given = (
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
                    np.concatenate([scales.astype(np.int8), extra.scales])[order],
                    np.concatenate([given, extra.present])[order],
                )
            )
        self.parts["row"].append((positions[order] + start).astype(np.int32))
        percent = np.concatenate(
            [np.zeros(len(fast), dtype=bool), np.array([out["_percent"] for out in outs], dtype=bool)]
        )
        self.parts["percent"].append(percent[order])
        self.size += size

    def _intern(self, column: str, texts: np.ndarray) -> np.ndarray:
        code = self.codes[column]
        unique, inverse = np.unique(texts, return_inverse=True)
        mapped = np.fromiter(
            (code.setdefault(t, len(code)) for t in unique.tolist()), dtype=np.int32, count=len(unique)
        )
        return mapped[inverse.reshape(-1)]

    def columns(self) -> ValueColumns:
        size = self.size

        def codes(column: str) -> Codes:
            if not self.parts[column]:
                return Codes.empty_texts(size)
            return Codes(np.concatenate(self.parts[column]), tuple(self.codes[column]))

        def numbers(column: str) -> NumberColumn:
            if not self.parts[column]:
                return NumberColumn.absent(size)
            ints, scales, present = (np.concatenate([part[k] for part in self.parts[column]]) for k in range(3))
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
            row=np.concatenate(self.parts["row"]) if self.parts["row"] else np.zeros(0, dtype=np.int32),
            percent=np.concatenate(self.parts["percent"]) if self.parts["percent"] else np.zeros(0, dtype=bool),
        )


def plain_decimals(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numbers written plainly (``-12.50``: ASCII digits, an optional minus, an optional point with
    digits on both sides, at most 15 digits before it and 18 in all) as integers and scales, and the mask
    of such texts. ``Decimal`` reads each of them to the same digits and exponent; ``-0`` is left out
    (``Decimal`` keeps its sign)."""
    size = len(texts)
    if size == 0 or texts.dtype.itemsize == 0:
        empty = np.zeros(size, dtype=np.int64)
        return empty, empty.astype(np.int8), np.zeros(size, dtype=bool)
    ascii_only = (texts.view(np.uint32).reshape(size, -1) < 128).all(axis=1)
    negative = np.strings.startswith(texts, "-")
    body = np.where(negative, np.strings.slice(texts, 1, None), texts)
    head, point, fraction = np.strings.partition(body, ".")
    head_digits, fraction_digits = np.strings.str_len(head), np.strings.str_len(fraction)
    with_point = point != ""
    plain = (
        ascii_only
        & np.strings.isdecimal(head)
        & (head_digits <= _HEAD_DIGITS)
        & (~with_point | np.strings.isdecimal(fraction))
        & (head_digits + fraction_digits <= _ALL_DIGITS)
    )
    digits = np.where(plain, np.strings.add(head, fraction), "0")
    ints = digits.astype(np.int64)
    plain &= ~(negative & (ints == 0))
    ints = np.where(plain, np.where(negative, -ints, ints), 0)
    scales = np.where(plain & with_point, fraction_digits, 0).astype(np.int8)
    return ints, scales, plain


def _percent(record: dict[str, Any], mapping: dict[str, Column]) -> bool:
    """Whether the row's value was written as a percentage (``85%``, ``85％``)."""
    for header, column in mapping.items():
        if column.id == "value":
            cell = record.get(header)
            return isinstance(cell, str) and normalize("NFKC", cell).strip().endswith("%")
    return False
