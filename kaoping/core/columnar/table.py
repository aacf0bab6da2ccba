"""The columnar dataset: units interned once, and one set of arrays per indicator.

The values table becomes, per indicator, arrays over its rows sorted by unit: the unit's index, the value
and target as fixed-point integers (with a mask of the targets given), the item code, and the row's
position in the dataset (so a method can still be handed the original rows of a few units, for the cases
the arrays do not decide and for the problems it reports).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs
import numpy as np

from kaoping.core.columnar.values import ValueColumns, ValueRowsView
from kaoping.core.models import Dataset, ValueRow


@attrs.define
class FixedColumn:
    """A decimal column as integers at one scale, with the mask of the rows where it is given."""

    ints: np.ndarray
    present: np.ndarray
    scale: int

    def decimal(self, position: int) -> Decimal | None:
        """The decimal at ``position`` (None where absent), as the row holds it up to trailing zeros."""
        if not self.present[position]:
            return None
        return Decimal(int(self.ints[position])).scaleb(-self.scale)


@attrs.define
class IndicatorColumns:
    """The rows of one indicator, sorted by unit.

    ``starts[k]:starts[k + 1]`` are the rows of the ``k``-th unit in ``units`` (each unit once, ascending).
    """

    rows_unit: np.ndarray  # unit index of each row
    value: FixedColumn
    target: FixedColumn
    items: np.ndarray  # item code of each row (codes index ``item_names``)
    item_names: tuple[str, ...]
    row_index: np.ndarray  # position of each row in ``Dataset.values``
    units: np.ndarray  # the distinct units, ascending
    starts: np.ndarray  # len(units) + 1 offsets into the rows
    # the baseline column, cut from the values' columns when a method first reads it (few methods do)
    values: ValueColumns | None = None
    _baseline: FixedColumn | None = None

    @property
    def baseline(self) -> FixedColumn:
        """The rows' baselines (last year's figure, a standard score) as fixed-point integers."""
        if self._baseline is None:
            assert self.values is not None
            self._baseline = FixedColumn(*self.values.baseline.fixed(self.row_index))
        return self._baseline

    @property
    def counts(self) -> np.ndarray:
        return np.diff(self.starts)

    def single(self) -> bool:
        """Whether every unit has exactly one row (the common shape: one value per unit)."""
        return len(self.units) == len(self.rows_unit)


@attrs.define
class ColumnarDataset:
    """Units interned once and the values table as arrays, built in one pass over a :class:`Dataset`.

    The values table's columns (:attr:`Dataset.value_columns`, read so by the CSV reader or built from
    the rows) give each row's unit, indicator and item as integer codes; :meth:`indicator` cuts one
    indicator's rows out (sorted by unit) as fixed-point integers at that indicator's own scale.
    """

    dataset: Dataset
    unit_ids: tuple[str, ...]
    unit_index: dict[str, int]
    groups: np.ndarray  # group code of each unit (codes index ``group_ids``)
    group_ids: tuple[str, ...]
    unit_of_name: np.ndarray  # unit index of each distinct unit text of the values (-1: the units table lacks it)
    row_item: np.ndarray  # item code of each value row (codes index ``item_names``)
    item_names: tuple[str, ...]
    values: ValueColumns
    rows_by_indicator: dict[str, np.ndarray]  # positions of each indicator's rows of known units, by unit
    _columns: dict[str, IndicatorColumns] = attrs.field(factory=dict)

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> ColumnarDataset:
        unit_ids = tuple(u.id for u in dataset.units)
        unit_index: dict[str, int] = {}
        for position, unit_id in enumerate(unit_ids):
            unit_index.setdefault(unit_id, position)
        group_code: dict[str, int] = {}
        groups = _codes((u.group for u in dataset.units), group_code, len(unit_ids))
        values = dataset.value_columns
        units_of_names = np.array([unit_index.get(name, -1) for name in values.unit.names] or [-1], dtype=np.int32)
        row_unit = units_of_names[values.unit.codes]
        row_indicator = values.indicator.codes
        indicator_code = {name: code for code, name in enumerate(values.indicator.names)}
        row_item = values.item.codes
        if (row_unit >= 0).all():  # the common case: sorted without copies of the columns
            order = np.lexsort((row_unit, row_indicator))
        else:  # rows of unknown units are validation's problem, never scored
            known = np.flatnonzero(row_unit >= 0)
            order = known[np.lexsort((row_unit[known], row_indicator[known]))]
        if len(order) < 2**31:
            order = order.astype(np.int32)  # a million units × 40 indicators: 160 MB instead of 320
        bounds = np.searchsorted(row_indicator[order], np.arange(len(indicator_code) + 1))
        rows = {name: order[bounds[k] : bounds[k + 1]] for name, k in indicator_code.items()}
        return cls(
            dataset,
            unit_ids,
            unit_index,
            groups,
            tuple(group_code),
            units_of_names,
            row_item,
            values.item.names,
            values,
            {name: found for name, found in rows.items() if len(found)},
        )

    def __len__(self) -> int:
        return len(self.unit_ids)

    def units_of(self, positions: np.ndarray) -> np.ndarray:
        """The unit index of the value rows at ``positions``: looked up through the unit codes rather than
        kept for every row (a million units: 160 MB kept through the run for the explanations)."""
        return self.unit_of_name[self.values.unit.codes[positions]]

    def indicator(self, indicator_id: str) -> IndicatorColumns | None:
        """The columns of one indicator's rows of known units (None when it has none)."""
        if indicator_id in self._columns:
            return self._columns[indicator_id]
        positions = self.rows_by_indicator.get(indicator_id)
        if positions is None:
            return None
        unit_of = self.units_of(positions)
        units, starts = np.unique(unit_of, return_index=True)
        columns = IndicatorColumns(
            rows_unit=unit_of,
            value=FixedColumn(*self.values.value.fixed(positions)),
            target=FixedColumn(*self.values.target.fixed(positions)),
            items=self.row_item[positions],
            item_names=self.item_names,
            row_index=positions,
            units=units,
            starts=np.append(starts, len(positions)),
            values=self.values,
        )
        self._columns[indicator_id] = columns
        return columns

    def forget(self, indicator_id: str) -> None:
        """Drop one indicator's cut columns (the engine rebuilds a stretch of them for explanations)."""
        self._columns.pop(indicator_id, None)

    def stretch(self, indicator_id: str, lo: int, hi: int, scales: tuple[int, int, bool, bool]) -> IndicatorColumns:
        """Rows ``lo:hi`` of one indicator's rows (sorted by unit), as :meth:`indicator` gave them for all of
        its rows: the value and target at the scales (and Python integers where) the whole column had, so
        that a method's explanation inputs read as they did when it scored every unit."""
        return self._cut(self.rows_by_indicator[indicator_id][lo:hi], scales)

    def rows_of_units(
        self, indicator_id: str, units: np.ndarray, scales: tuple[int, int, bool, bool]
    ) -> IndicatorColumns:
        """The rows of some units (``units``: unit indices, ascending) of one indicator, as :meth:`stretch`
        gives a stretch's: for a writer that explains units in an order of its own (ranked), a block at once."""
        every = self.rows_by_indicator[indicator_id]
        unit_of = self.units_of(every)  # ascending: the indicator's rows are sorted by unit
        lo = np.searchsorted(unit_of, units, side="left")
        counts = np.searchsorted(unit_of, units, side="right") - lo
        firsts = np.repeat(lo - np.cumsum(counts) + counts, counts)
        return self._cut(every[firsts + np.arange(int(counts.sum()))], scales)

    def _cut(self, positions: np.ndarray, scales: tuple[int, int, bool, bool]) -> IndicatorColumns:
        """The columns of the value rows at ``positions`` (grouped by unit, units ascending)."""
        unit_of = self.units_of(positions)
        units, starts = np.unique(unit_of, return_index=True)
        value_scale, target_scale, value_wide, target_wide = scales
        return IndicatorColumns(
            rows_unit=unit_of,
            value=_at_scale(self.values.value.fixed(positions), value_scale, value_wide),
            target=_at_scale(self.values.target.fixed(positions), target_scale, target_wide),
            items=self.row_item[positions],
            item_names=self.item_names,
            row_index=positions,
            units=units,
            starts=np.append(starts, len(positions)),
        )

    def rows_of(self, columns: IndicatorColumns, units: Iterable[int]) -> dict[str, list[ValueRow]]:
        """The original rows of some units, in the shape row-based methods take (unit id → rows)."""
        wanted = set(int(u) for u in units)
        found: dict[str, list[ValueRow]] = {}
        values = self.dataset.values
        built = not isinstance(values, ValueRowsView) or values.materialised
        for k, unit in enumerate(columns.units):
            if int(unit) in wanted:
                span = columns.row_index[columns.starts[k] : columns.starts[k + 1]].tolist()
                rows = [values[p] for p in span] if built else [self.values.row_at(p) for p in span]
                found[self.unit_ids[int(unit)]] = rows
        return found


def _at_scale(fixed: tuple[np.ndarray, np.ndarray, int], scale: int, wide: bool) -> FixedColumn:
    """A column cut from some rows, brought to the scale (and integer kind) of the column of all the rows
    (a subset's scale is never finer than the whole's; the whole's integers held every product)."""
    ints, present, own = fixed
    if wide and ints.dtype != object:
        ints = ints.astype(object)
    if scale > own:
        ints = ints * 10 ** (scale - own)
    return FixedColumn(ints, present, scale)


def _codes(names: Iterable[str], code: dict[str, int], size: int) -> np.ndarray:
    """Intern ``names`` into ``code`` (first seen, first numbered); their codes as an array."""
    return np.fromiter((code.setdefault(name, len(code)) for name in names), dtype=np.int32, count=size)
