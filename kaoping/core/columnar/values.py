"""The values table as columns: one array per column, read once, rows built only when someone asks.

A large run has tens of millions of value rows; a :class:`~kaoping.core.models.ValueRow` (with its ``Where``
and ``Decimal``\\ s) per row is most of such a run's time and all of its memory. The CSV reader therefore
fills a :class:`ValueColumns` directly, validation and the columnar engine read the arrays, and
``Dataset.values`` is a :class:`ValueRowsView`: a sequence of rows that builds them (all at once, the same
rows the row reader builds) the first time a hook or a row-based method reads it.

Building columns elsewhere (a Parquet reader, a notebook) takes :meth:`ValueColumns.from_texts`: one
sequence per column, numbers as decimal texts (``""`` where a cell is empty), as simple as a table gets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, overload

import attrs
import numpy as np

from kaoping.core.columnar.fixed import INT64_SAFE, as_ints, decimals
from kaoping.core.models import ValueRow, Where

NUMBER_COLUMNS = ("value", "target", "baseline")
_SCALE_LIMIT = 100  # scales are int8; the readers refuse anything finer than 10⁻²⁰ long before
TEXT_COLUMNS = ("item", "period", "note")


@attrs.define(eq=False)
class Codes:
    """A text column interned: each row's code, and the distinct texts the codes index."""

    codes: np.ndarray  # int32
    names: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.codes)

    def text(self, position: int) -> str:
        return self.names[int(self.codes[position])]

    def texts(self) -> list[str]:
        names = np.array(self.names, dtype=object) if self.names else np.zeros(0, dtype=object)
        return names[self.codes].tolist() if len(self.codes) else []

    @classmethod
    def empty_texts(cls, size: int) -> Codes:
        """Every row ``""`` (a column the table does not have); costs no memory until written."""
        return cls(np.zeros(size, dtype=np.int32), ("",))

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Codes:
        """Intern texts, numbered as first seen."""
        code: dict[str, int] = {}
        listed = texts if isinstance(texts, list) else list(texts)
        codes = np.fromiter((code.setdefault(t, len(code)) for t in listed), dtype=np.int32, count=len(listed))
        return cls(codes, tuple(code) or ("",))


@attrs.define(eq=False)
class NumberColumn:
    """A column of decimals: each row's digits as an integer and its own scale (``12.50`` → 1250 at 2).

    ``exact`` keeps the decimals the two integers cannot give back as written (``-0``, ``1E+2``, more
    digits than int64 holds); ``wide`` says whether any of them is beyond int64, so that :meth:`fixed`
    computes with Python integers.
    """

    ints: np.ndarray  # int64, 0 where absent
    scales: np.ndarray  # int8, 0 where absent
    present: np.ndarray  # bool
    exact: dict[int, Decimal] = attrs.field(factory=dict)
    wide: bool = False

    def __len__(self) -> int:
        return len(self.ints)

    @classmethod
    def absent(cls, size: int) -> NumberColumn:
        """No cell given (a column the table does not have); costs no memory until written."""
        return cls(np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int8), np.zeros(size, dtype=bool))

    def rows(self, positions: np.ndarray) -> NumberColumn:
        """The column of the rows at ``positions`` (ascending), the decimals kept as written with them: a
        slice of a run's values (one period's, one partition's)."""
        exact = {}
        if self.exact:
            written = sorted(self.exact)
            found = np.searchsorted(positions, np.array(written, dtype=np.int64))
            for position, at in zip(written, found.tolist(), strict=True):
                if at < len(positions) and int(positions[at]) == position:
                    exact[at] = self.exact[position]
        wide = self.wide and bool(exact)
        return NumberColumn(self.ints[positions], self.scales[positions], self.present[positions], exact, wide)

    @classmethod
    def from_decimals(cls, values: Sequence[Decimal | None]) -> NumberColumn:
        size = len(values)
        column = cls.absent(size)
        for position, value in enumerate(values):
            if value is not None:
                column.set(position, value)
        return column

    def set(self, position: int, value: Decimal) -> None:
        """Store one decimal at ``position`` (the readers' slow path: cells numpy cannot parse)."""
        sign, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)  # finite: the readers refuse NaN and infinities
        mantissa = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
        if exponent > 0:
            mantissa *= 10**exponent
        scale = max(-exponent, 0)
        self.present[position] = True
        wide = abs(mantissa) >= INT64_SAFE or scale > _SCALE_LIMIT
        if exponent > 0 or (sign and mantissa == 0) or wide:
            self.exact[position] = value
        if wide:
            self.wide = True
            return
        self.ints[position] = mantissa
        self.scales[position] = scale

    def decimal(self, position: int) -> Decimal | None:
        """The decimal of one row, exactly as the row reader parses it (None where absent)."""
        found = self.exact.get(position)
        if found is not None:
            return found
        if not self.present[position]:
            return None
        return Decimal(int(self.ints[position])).scaleb(-int(self.scales[position]))

    def decimals(self) -> list[Decimal | None]:
        ints, scales, present = self.ints.tolist(), self.scales.tolist(), self.present.tolist()
        found: list[Decimal | None] = [
            Decimal(i).scaleb(-s) if p else None for i, s, p in zip(ints, scales, present, strict=True)
        ]
        for position, value in self.exact.items():
            found[position] = value
        return found

    def fixed(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
        """The rows at ``positions`` as integers at the smallest scale that holds them all, the mask of the
        present ones and that scale: what :func:`~kaoping.core.columnar.fixed.fixed_texts` gives for the
        rows' texts."""
        present = self.present[positions]
        scales = np.where(present, self.scales[positions], 0).astype(np.int64)
        ints = self.ints[positions]
        scale = int(scales.max(initial=0))
        if self.wide and any(int(p) in self.exact for p in positions):
            found = [self.decimal(int(p)) for p in positions]
            values = [Decimal(0) if v is None else v for v in found]
            scale = max((decimals(v) for v in values), default=0)
            return as_ints([int(v.scaleb(scale)) for v in values]), present, scale
        shift = scale - scales
        if len(ints) and scale and int(np.abs(ints).max()) * 10 ** int(shift.max()) >= INT64_SAFE:
            big = [int(i) * 10 ** int(s) for i, s in zip(ints, shift, strict=True)]
            return as_ints(big), present, scale
        return ints * np.power(10, shift, dtype=np.int64), present, scale


# the bit of each number column in ValueColumns.percent
PERCENT_BITS = {"value": 1, "target": 2, "baseline": 4}


@attrs.define(eq=False)
class ValueColumns:
    """The values table, one array per column (rows in the order of the file).

    ``unit``, ``indicator``, ``item``, ``period``, ``note`` and ``file`` are interned texts; ``value``,
    ``target`` and ``baseline`` decimals; ``row`` the row number in its file (-1 where unknown), so every
    problem can still name file, row and column; ``percent`` marks the cells written as a percentage
    (``85%``), one bit per number column (:data:`PERCENT_BITS`), for the check that refuses a percentage
    where an indicator's value is not a ratio (``kaoping.core.validate.percent_problems``).
    """

    unit: Codes
    indicator: Codes
    value: NumberColumn
    target: NumberColumn
    baseline: NumberColumn
    item: Codes
    period: Codes
    note: Codes
    file: Codes
    row: np.ndarray  # int32
    percent: np.ndarray  # uint8: PERCENT_BITS of the cells written as a percentage

    def __len__(self) -> int:
        return len(self.row)

    @classmethod
    def from_texts(
        cls,
        unit: Sequence[str] | np.ndarray,
        indicator: Sequence[str] | np.ndarray,
        value: Sequence[str] | np.ndarray,
        target: Sequence[str] | np.ndarray | None = None,
        baseline: Sequence[str] | np.ndarray | None = None,
        item: Sequence[str] | np.ndarray | None = None,
        period: Sequence[str] | np.ndarray | None = None,
        note: Sequence[str] | np.ndarray | None = None,
        file: str = "",
        row: Sequence[int] | np.ndarray | None = None,
        percent: Sequence[int] | np.ndarray | None = None,
    ) -> ValueColumns:
        """Columns from one sequence per column: texts, numbers as decimal texts (``""`` absent).

        The texts are taken as they are (no stripping, no full-width digits: a reader cleans its cells);
        a number that is not a plain decimal raises ``decimal.InvalidOperation``. ``row`` defaults to 1,
        2, … (the record's position).
        """
        size = len(unit)

        def numbers(texts: Sequence[str] | np.ndarray | None) -> NumberColumn:
            if texts is None:
                return NumberColumn.absent(size)
            return NumberColumn.from_decimals([Decimal(str(t)) if str(t) != "" else None for t in texts])

        def codes(texts: Sequence[str] | np.ndarray | None) -> Codes:
            return Codes.empty_texts(size) if texts is None else Codes.from_texts([str(t) for t in texts])

        return cls(
            unit=codes(unit),
            indicator=codes(indicator),
            value=numbers(value),
            target=numbers(target),
            baseline=numbers(baseline),
            item=codes(item),
            period=codes(period),
            note=codes(note),
            file=Codes(np.zeros(size, dtype=np.int32), (file,)),
            row=np.arange(1, size + 1, dtype=np.int32) if row is None else np.asarray(row, dtype=np.int32),
            percent=np.zeros(size, dtype=np.uint8) if percent is None else np.asarray(percent, dtype=np.uint8),
        )

    @classmethod
    def from_rows(cls, rows: Sequence[ValueRow]) -> ValueColumns:
        """The columns of rows a hook built or replaced (``Dataset.evolve(values=...)``)."""
        size = len(rows)
        return cls(
            unit=Codes.from_texts([r.unit for r in rows]),
            indicator=Codes.from_texts([r.indicator for r in rows]),
            value=NumberColumn.from_decimals([r.value for r in rows]),
            target=NumberColumn.from_decimals([r.target for r in rows]),
            baseline=NumberColumn.from_decimals([r.baseline for r in rows]),
            item=Codes.from_texts([r.item for r in rows]),
            period=Codes.from_texts([r.period for r in rows]),
            note=Codes.from_texts([r.note for r in rows]),
            file=Codes.from_texts([r.where.file for r in rows]),
            row=np.fromiter((-1 if r.where.row is None else r.where.row for r in rows), dtype=np.int32, count=size),
            percent=np.zeros(size, dtype=np.uint8),
        )

    def percent_cells(self) -> frozenset[tuple[str, str, str, str, str]]:
        """(unit, indicator, item, period, column) of the cells written as a percentage: ``Dataset.percent_cells``."""
        return frozenset(
            (self.unit.text(p), self.indicator.text(p), self.item.text(p), self.period.text(p), column)
            for p in np.flatnonzero(self.percent).tolist()
            for column, bit in PERCENT_BITS.items()
            if int(self.percent[p]) & bit
        )

    def where(self, position: int) -> Where:
        row = int(self.row[position])
        return Where(self.file.text(position), None if row < 0 else row)

    def row_at(self, position: int) -> ValueRow:
        """One row, built alone (for a row-based method handed a few units)."""
        return ValueRow(
            self.unit.text(position),
            self.indicator.text(position),
            self.value.decimal(position),  # type: ignore[arg-type]  # a value is always given
            self.target.decimal(position),
            self.baseline.decimal(position),
            self.item.text(position),
            self.period.text(position),
            self.note.text(position),
            self.where(position),
        )

    def to_rows(self) -> tuple[ValueRow, ...]:
        """Every row, as the row reader builds them."""
        files = self.file.texts()
        rows = self.row.tolist()
        places: dict[tuple[str, int], Where] = {}
        wheres = [places.setdefault((f, r), Where(f, None if r < 0 else r)) for f, r in zip(files, rows, strict=True)]
        return tuple(
            map(
                ValueRow,
                self.unit.texts(),
                self.indicator.texts(),
                self.value.decimals(),
                self.target.decimals(),
                self.baseline.decimals(),
                self.item.texts(),
                self.period.texts(),
                self.note.texts(),
                wheres,
            )
        )


class ValueRowsView(Sequence[ValueRow]):
    """``Dataset.values`` when the reader produced columns: a sequence of rows, built on first access.

    Its length is known without building anything; iterating, indexing or comparing it builds every row
    once (:meth:`ValueColumns.to_rows`) and keeps them, so a hook that reads rows sees the same objects on
    every read.
    """

    __slots__ = ("_rows", "columns")

    def __init__(self, columns: ValueColumns) -> None:
        self.columns = columns
        self._rows: tuple[ValueRow, ...] | None = None

    @property
    def materialised(self) -> bool:
        return self._rows is not None

    def rows(self) -> tuple[ValueRow, ...]:
        if self._rows is None:
            self._rows = self.columns.to_rows()
        return self._rows

    def __len__(self) -> int:
        return len(self.columns)

    @overload
    def __getitem__(self, index: int) -> ValueRow: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[ValueRow, ...]: ...

    def __getitem__(self, index: int | slice) -> ValueRow | tuple[ValueRow, ...]:
        return self.rows()[index]

    def __iter__(self) -> Iterator[ValueRow]:
        return iter(self.rows())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ValueRowsView) and other.columns is self.columns:
            return True
        if isinstance(other, (tuple, ValueRowsView)):
            return self.rows() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.rows())

    def __add__(self, other: Any) -> tuple[ValueRow, ...]:
        return self.rows() + tuple(other)

    def __radd__(self, other: Any) -> tuple[ValueRow, ...]:
        return tuple(other) + self.rows()

    def __repr__(self) -> str:
        return f"ValueRowsView({len(self)} rows)"

    def __getstate__(self) -> dict[str, Any]:
        return {"columns": self.columns}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.columns = state["columns"]
        self._rows = None
