"""The columnar dataset: units interned once, and one set of arrays per indicator.

The values table becomes, per indicator, arrays over its rows sorted by unit: the unit's index, the value
and target as fixed-point integers (with a mask of the targets given), the item code, and the row's
position in the dataset (so a method can still be handed the original rows of a few units, for the cases
the arrays do not decide and for the problems it reports).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs
import numpy as np

from kaoping.core.columnar.fixed import fixed_column
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

    @property
    def counts(self) -> np.ndarray:
        return np.diff(self.starts)

    def single(self) -> bool:
        """Whether every unit has exactly one row (the common shape: one value per unit)."""
        return len(self.units) == len(self.rows_unit)


@attrs.define
class ColumnarDataset:
    """Units interned once and the values table by indicator, built once per run from a :class:`Dataset`."""

    dataset: Dataset
    unit_ids: tuple[str, ...]
    unit_index: dict[str, int]
    groups: np.ndarray  # group code of each unit (codes index ``group_ids``)
    group_ids: tuple[str, ...]
    rows_by_indicator: dict[str, np.ndarray]  # positions in ``Dataset.values`` of each indicator's rows
    _columns: dict[str, IndicatorColumns] = attrs.field(factory=dict)

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> ColumnarDataset:
        unit_ids = tuple(u.id for u in dataset.units)
        unit_index: dict[str, int] = {}
        for position, unit_id in enumerate(unit_ids):
            unit_index.setdefault(unit_id, position)
        group_code: dict[str, int] = {}
        groups = np.fromiter(
            (group_code.setdefault(u.group, len(group_code)) for u in dataset.units),
            dtype=np.int32,
            count=len(unit_ids),
        )
        by_indicator: dict[str, list[int]] = {}
        for position, row in enumerate(dataset.values):
            by_indicator.setdefault(row.indicator, []).append(position)
        rows = {k: np.asarray(v, dtype=np.int64) for k, v in by_indicator.items()}
        return cls(dataset, unit_ids, unit_index, groups, tuple(group_code), rows)

    def __len__(self) -> int:
        return len(self.unit_ids)

    def indicator(self, indicator_id: str) -> IndicatorColumns | None:
        """The columns of one indicator's rows of known units (None when it has no rows)."""
        if indicator_id in self._columns:
            return self._columns[indicator_id]
        positions = self.rows_by_indicator.get(indicator_id)
        if positions is None:
            return None
        values = self.dataset.values
        rows: list[ValueRow] = [values[p] for p in positions]
        index = self.unit_index
        unit_of = np.fromiter((index.get(r.unit, -1) for r in rows), dtype=np.int64, count=len(rows))
        known = unit_of >= 0  # rows of unknown units are reported by validation, never scored
        order = np.argsort(unit_of[known], kind="stable")
        positions = positions[known][order]
        rows = [values[p] for p in positions]
        unit_of = unit_of[known][order]
        item_code: dict[str, int] = {}
        items = np.fromiter(
            (item_code.setdefault(r.item, len(item_code)) for r in rows), dtype=np.int32, count=len(rows)
        )
        units, starts = np.unique(unit_of, return_index=True)
        columns = IndicatorColumns(
            rows_unit=unit_of,
            value=_fixed([r.value for r in rows]),
            target=_fixed([r.target for r in rows]),
            items=items,
            item_names=tuple(item_code),
            row_index=positions,
            units=units,
            starts=np.append(starts, len(rows)),
        )
        self._columns[indicator_id] = columns
        return columns

    def rows_of(self, columns: IndicatorColumns, units: Sequence[int]) -> dict[str, list[ValueRow]]:
        """The original rows of some units, in the shape row-based methods take (unit id → rows)."""
        wanted = set(int(u) for u in units)
        found: dict[str, list[ValueRow]] = {}
        values = self.dataset.values
        for k, unit in enumerate(columns.units):
            if int(unit) in wanted:
                span = columns.row_index[columns.starts[k] : columns.starts[k + 1]]
                found[self.unit_ids[int(unit)]] = [values[p] for p in span]
        return found


def _fixed(values: Sequence[Decimal | None]) -> FixedColumn:
    ints, present, scale = fixed_column(values)
    return FixedColumn(ints, present, scale)
