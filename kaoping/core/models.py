"""The canonical dataset: the five tables every loader produces and every hook receives whole.

Row classes are plain slotted attrs classes (not frozen: construction of millions of rows must be cheap);
hooks treat rows as read-only and build new ones with ``attrs.evolve``.

Rows are small frozen attrs classes; a :class:`Dataset` holds all rows of a run so that scoring works on
whole tables (all units at once), never one call per unit per indicator.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from kaoping.core.columnar.values import ValueColumns


@attrs.define
class Where:
    """Where a row came from, so that every later error can name the file and row."""

    file: str = ""
    row: int | None = None


NOWHERE = Where()


@attrs.define
class Unit:
    """An evaluated unit: a township, a department, a stationed agency, or a person."""

    id: str
    name: str
    group: str
    attributes: Mapping[str, str] = attrs.field(factory=dict)
    where: Where = NOWHERE


@attrs.define
class ValueRow:
    """A measured value for one indicator of one unit.

    ``item`` distinguishes several rows of one indicator: a rating level (满意), a channel (公众评议), a
    rater, or a sub-target. ``period`` carries the month or quarter for schemes that score per period.
    """

    unit: str
    indicator: str
    value: Decimal
    target: Decimal | None = None
    baseline: Decimal | None = None
    item: str = ""
    period: str = ""
    note: str = ""
    where: Where = NOWHERE


@attrs.define
class EventRow:
    """A deduction or bonus event: one row per matter, with how many times it happened.

    ``rank`` is the person's rank (科级以上 / 科级以下), ``level`` the issuing level (市 / 省 / 国家),
    ``quantity`` an amount such as yuan raised, ``points`` an amount the authority assessed itself
    (for discretionary rules), ``matter`` the key of 'same matter counted once at its highest',
    ``role`` lead (主办) or co (联办) for joint credit.
    """

    unit: str
    rule: str
    count: int = 1
    level: str = ""
    rank: str = ""
    quantity: Decimal | None = None
    points: Decimal | None = None
    matter: str = ""
    role: str = ""
    self_reported: bool = False
    date: str = ""
    note: str = ""
    where: Where = NOWHERE

    def column(self, name: str) -> str:
        """The text of a categorical column by name, for rules whose amount depends on it."""
        value = getattr(self, name)
        return "" if value is None else str(value)


@attrs.define
class VetoRow:
    """A one-vote veto (一票否决) reported by the authority in charge of an area."""

    unit: str
    area: str
    source: str = ""
    note: str = ""
    where: Where = NOWHERE


@attrs.define
class HistoryRow:
    """A unit's result in an earlier year, for rules on consecutive years."""

    unit: str
    year: int
    total: Decimal | None = None
    rank: int | None = None
    grade: str = ""
    where: Where = NOWHERE


@attrs.frozen
class ExtraRow:
    """A row of a table the canonical format does not have (a plugin's own data, e.g. staffing numbers).

    ``fields`` are keyed by each header's machine name (``编制人数(staff)`` → ``staff``) and hold the cell
    text; the plugin parses what it needs and reports bad cells with ``where``.
    """

    fields: Mapping[str, str]
    where: Where = NOWHERE

    def get(self, key: str, default: str = "") -> str:
        return self.fields.get(key, default)


def _group_by_unit(rows: Iterable[attrs.AttrsInstance]) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for row in rows:
        grouped[row.unit].append(row)  # type: ignore[attr-defined]
    return dict(grouped)


@attrs.frozen
class Dataset:
    """All tables of one run. Indexes are built once, lazily, and shared by every hook.

    ``values`` is a sequence of :class:`ValueRow`. When the reader filled columns (a CSV folder), it is a
    :class:`~kaoping.core.columnar.values.ValueRowsView` that builds the rows the first time it is read;
    validation and the columnar engine read :attr:`value_columns` and never build them.
    """

    units: tuple[Unit, ...] = ()
    values: Sequence[ValueRow] = ()
    events: tuple[EventRow, ...] = ()
    vetoes: tuple[VetoRow, ...] = ()
    history: tuple[HistoryRow, ...] = ()
    origin: str = ""
    problems: tuple = ()  # Problems met while reading; reported with validation's, all at once
    # (unit, indicator) of value rows that could not be read: already a problem, not reported again as missing
    unreadable_values: frozenset[tuple[str, str]] = frozenset()
    # ids of units whose row could not be read: already a problem, so their other rows are not "unknown unit"
    unreadable_units: frozenset[str] = frozenset()
    # (unit, indicator, item, period, column) of every value-table cell written as a percentage (``85%``):
    # read as 0.85, and an error where the indicator's value is not a ratio (validate.percent_problems)
    percent_cells: frozenset[tuple[str, str, str, str, str]] = frozenset()
    notices: tuple[str, ...] = ()  # what the reader chose that a person should know (which sheet it read)
    # a plugin's own tables by name (read with kaoping.io.dataio.read_extra_table in a loader wrapper)
    extra: Mapping[str, tuple[ExtraRow, ...]] = attrs.field(factory=dict)

    @cached_property
    def unit_by_id(self) -> dict[str, Unit]:
        return {unit.id: unit for unit in self.units}

    @cached_property
    def value_columns(self) -> ValueColumns:
        """The values table as columns: the reader's, or built from the rows a hook put in ``values``."""
        from kaoping.core.columnar.values import ValueColumns, ValueRowsView

        if isinstance(self.values, ValueRowsView):
            return self.values.columns
        return ValueColumns.from_rows(self.values)

    @property
    def has_value_columns(self) -> bool:
        """Whether the values were read into columns and no row has been built from them yet: then the
        column checks and the columnar engine are the cheap way, and reading ``values`` the costly one."""
        from kaoping.core.columnar.values import ValueRowsView

        return isinstance(self.values, ValueRowsView) and not self.values.materialised

    def value_indicators(self) -> set[str]:
        """The ids of the indicators that have at least one value row."""
        if self.has_value_columns:
            import numpy as np

            columns = self.value_columns.indicator
            return {columns.names[c] for c in np.unique(columns.codes).tolist()}
        return {row.indicator for row in self.values}

    @cached_property
    def values_by_indicator(self) -> dict[str, dict[str, list[ValueRow]]]:
        """indicator id → unit id → rows: the shape batch scoring methods take."""
        table: dict[str, dict[str, list[ValueRow]]] = defaultdict(lambda: defaultdict(list))
        for row in self.values:
            table[row.indicator][row.unit].append(row)
        return {indicator: dict(by_unit) for indicator, by_unit in table.items()}

    @cached_property
    def events_by_unit(self) -> dict[str, list[EventRow]]:
        return _group_by_unit(self.events)

    @cached_property
    def vetoes_by_unit(self) -> dict[str, list[VetoRow]]:
        return _group_by_unit(self.vetoes)

    @cached_property
    def history_by_unit(self) -> dict[str, list[HistoryRow]]:
        grouped = _group_by_unit(self.history)
        return {unit: sorted(rows, key=lambda r: r.year) for unit, rows in grouped.items()}

    def evolve(self, **changes: Any) -> Dataset:
        """A copy with some tables replaced (indexes are rebuilt on demand)."""
        return attrs.evolve(self, **changes)
