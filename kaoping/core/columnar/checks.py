"""Validation of the values table on its columns: the row checks of :mod:`kaoping.core.validate`, on arrays.

Each check is a mask over the rows (``np.isin`` on the interned codes, a count of the repeated keys), and
a problem is worded only for the rows the masks pick, with the same message, file, row and column as the
row-by-row check and in the same order (row by row; within a row: unknown unit, unknown or unscored
indicator, repeated row). The rows of ``Dataset.values`` are never built.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

import numpy as np

from kaoping.core.columnar.values import ValueColumns
from kaoping.core.errors import Problem
from kaoping.core.models import Dataset, Unit
from kaoping.core.scheme import Indicator
from kaoping.locale import _

_UNKNOWN_UNIT, _UNKNOWN_INDICATOR, _NOT_SCORED, _REPEATED = range(4)


def value_row_problems(
    dataset: Dataset,
    unit_ids: Collection[str],
    indicators: Collection[str],
    known_units: Mapping[str, Unit],
    scored_ids: Mapping[str, Collection[str]],
) -> list[Problem]:
    """Unknown units and indicators, indicators a unit's group is not scored on, repeated rows."""
    columns = dataset.value_columns
    if len(columns) == 0:
        return []
    unit_names, indicator_names = columns.unit.names, columns.indicator.names
    units, inds = columns.unit.codes, columns.indicator.codes
    unknown_unit = np.array([name not in unit_ids for name in unit_names], dtype=bool)[units]
    unknown_indicator = np.array([name not in indicators for name in indicator_names], dtype=bool)[inds]
    groups = list(scored_ids)
    group_index = {group: g for g, group in enumerate(groups)}
    unit_group = np.array(
        [group_index[known_units[name].group] if name in known_units else -1 for name in unit_names], dtype=np.int64
    )
    scored = np.ones((len(groups) + 1, len(indicator_names)), dtype=bool)  # the last: units not checked
    for g, group in enumerate(groups):
        scored[g] = [name in scored_ids[group] for name in indicator_names]
    not_scored = ~unknown_indicator & ~scored[unit_group[units], inds]
    masks = (unknown_unit, unknown_indicator, not_scored, repeated_rows(columns))
    positions = np.concatenate([np.flatnonzero(mask) for mask in masks])
    kinds = np.concatenate([np.full(int(mask.sum()), kind) for kind, mask in enumerate(masks)])
    order = np.lexsort((kinds, positions))
    words: dict[int, Callable[[int], tuple[str, str]]] = {
        _UNKNOWN_UNIT: lambda p: (_("unknown unit '{unit}'").format(unit=columns.unit.text(p)), "unit"),
        _UNKNOWN_INDICATOR: lambda p: (
            _("unknown indicator '{indicator}' (the scheme has: {items})").format(
                indicator=columns.indicator.text(p), items=", ".join(sorted(indicators))
            ),
            "indicator",
        ),
        _NOT_SCORED: lambda p: (
            _("unit '{unit}' (group '{group}') is not scored on indicator '{indicator}'").format(
                unit=columns.unit.text(p),
                group=known_units[columns.unit.text(p)].group,
                indicator=columns.indicator.text(p),
            ),
            "indicator",
        ),
        _REPEATED: lambda p: (_repeated_words(columns, p), "indicator"),
    }
    problems = []
    for position, kind in zip(positions[order].tolist(), kinds[order].tolist(), strict=True):
        message, column = words[kind](position)
        where = columns.where(position)
        problems.append(Problem(message, file=where.file, row=where.row, column=column))
    return problems


def _repeated_words(columns: ValueColumns, position: int) -> str:
    item, period = columns.item.text(position), columns.period.text(position)
    return (
        _("duplicate value for unit '{unit}', indicator '{indicator}'").format(
            unit=columns.unit.text(position), indicator=columns.indicator.text(position)
        )
        + (_(", item '{item}'").format(item=item) if item else "")
        + (_(", period '{period}'").format(period=period) if period else "")
    )


def repeated_rows(columns: ValueColumns) -> np.ndarray:
    """The rows whose (unit, indicator, item, period) another row has too."""
    key = columns.unit.codes.astype(np.int64)
    span = max(len(columns.unit.names), 1)
    for codes in (columns.indicator, columns.item, columns.period):
        size = len(codes.names)
        if size <= 1:
            continue
        if span * size >= 2**62:  # too many distinct texts for one integer key: compare the columns
            stacked = np.stack([c.codes for c in (columns.unit, columns.indicator, columns.item, columns.period)])
            _unique, inverse, counts = np.unique(stacked.T, axis=0, return_inverse=True, return_counts=True)
            return counts[inverse.reshape(-1)] > 1
        key = key * size + codes.codes
        span *= size
    if span <= 4 * len(key) + 1024:
        return np.bincount(key, minlength=span)[key] > 1
    _unique, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    return counts[inverse.reshape(-1)] > 1


def missing_value_problems(
    dataset: Dataset, checked_units: Sequence[Unit], scored_indicators: Mapping[str, Sequence[Indicator]]
) -> list[Problem]:
    """Every unit (in the units table's order) without a row for a required indicator it is scored on."""
    columns = dataset.value_columns
    unit_code = {name: code for code, name in enumerate(columns.unit.names)}
    indicator_code = {name: code for code, name in enumerate(columns.indicator.names)}
    width = max(len(columns.indicator.names), 1)
    present = np.zeros(max(len(columns.unit.names), 1) * width, dtype=bool)
    present[columns.unit.codes.astype(np.int64) * width + columns.indicator.codes] = True
    found: list[tuple[int, int, Unit, Indicator]] = []
    by_group: dict[str, list[int]] = {}
    for position, unit in enumerate(checked_units):
        by_group.setdefault(unit.group, []).append(position)
    for group, members in by_group.items():
        codes = np.array([unit_code.get(checked_units[m].id, -1) for m in members], dtype=np.int64)
        for order, indicator in enumerate(scored_indicators[group]):
            if indicator.optional:
                continue
            code = indicator_code.get(indicator.id, -1)
            has = (codes >= 0) & present[np.maximum(codes, 0) * width + max(code, 0)] if code >= 0 else codes < -1
            for k in np.flatnonzero(~has).tolist():
                unit = checked_units[members[k]]
                if (unit.id, indicator.id) not in dataset.unreadable_values:
                    found.append((members[k], order, unit, indicator))
    found.sort(key=lambda item: (item[0], item[1]))
    return [
        Problem(
            _("unit '{unit}' has no value for indicator '{indicator}' ({indicator_name})").format(
                unit=unit.id, indicator=indicator.id, indicator_name=indicator.name
            ),
            file=unit.where.file,
            row=unit.where.row,
            column="unit",
        )
        for _position, _order, unit, indicator in found
    ]
