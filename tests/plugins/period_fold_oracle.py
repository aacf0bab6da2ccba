"""The period fold as it was before the fold on arrays: the oracle the new path is compared with.

Each period's slice is scored by the row engine (``score_dataset`` of tests/core/scoring_oracle.py, the
engine's own oracle) and the monthly ``UnitScore``\\ s are folded
unit by unit, entry by entry, in ``Decimal``: every annual entry is ``divide(points × weight, divisor)``
rounded to the precision, and one ``adjustment`` per part closes the gap to the part's exact aggregate
(the sum of the unrounded shares), rounded once. The test (test_period_arrays.py) runs this and
:func:`kaoping.plugins._common.periods.score_by_period` on the same data and requires the same JSON.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from kaoping.api import (
    ONE,
    ZERO,
    Dataset,
    EventRow,
    InputError,
    MethodRegistry,
    Problem,
    Scheme,
    ScoreTable,
    TrailEntry,
    UnitScore,
    divide,
    parts_for,
    quantize,
)
from kaoping.locale import _
from kaoping.plugins._common.periods import RULE_KINDS, event_period, weights
from tests.core.scoring_oracle import score_dataset


def split_by_period(dataset: Dataset, events: Iterable[EventRow] | None = None) -> dict[str, Dataset]:
    """One dataset per period of the value rows, each with that period's values and events (row by row)."""
    problems: list[Problem] = []
    values: dict[str, list] = defaultdict(list)
    for row in dataset.values:
        if not row.period:
            problems.append(
                Problem(
                    _("a per-period scheme needs a period on every value row"), row.where.file, row.where.row, "period"
                )
            )
            continue
        values[row.period].append(row)
    by_period: dict[str, list[EventRow]] = defaultdict(list)
    for event in dataset.events if events is None else events:
        period = event_period(event)
        if period not in values:
            problems.append(
                Problem(
                    _(
                        "event '{rule}' of unit '{unit}' is dated '{date}', outside the assessed periods ({value})"
                    ).format(
                        rule=event.rule, unit=event.unit, date=event.date, value=", ".join(sorted(values)) or "none"
                    ),
                    event.where.file,
                    event.where.row,
                    "date",
                )
            )
            continue
        by_period[period].append(event)
    if problems:
        raise InputError(problems)
    return {
        period: dataset.evolve(values=tuple(rows), events=tuple(by_period.get(period, ())), vetoes=())
        for period, rows in sorted(values.items())
    }


def score_by_period(
    scheme: Scheme,
    dataset: Dataset,
    methods: MethodRegistry,
    aggregate: str,
    events: Iterable[EventRow] | None = None,
    plugin: str = "builtin",
) -> tuple[ScoreTable, dict[str, ScoreTable]]:
    """The annual score table and the monthly tables it was folded from, on the row engine."""
    slices = split_by_period(dataset, events)
    if not slices:
        raise InputError(_("a per-period scheme needs value rows with a period; the values table has none"))
    monthly = {period: score_dataset(scheme, data, methods) for period, data in slices.items()}
    weight, divisor = weights(list(monthly), aggregate)
    table = ScoreTable({u.id: UnitScore(u.id, parts_for(scheme, u)) for u in dataset.units})
    full_kinds = RULE_KINDS if aggregate == "mean_sum_rules" else frozenset()
    for unit in dataset.units:
        months = {p: t[unit.id] for p, t in monthly.items()}
        fold_unit(scheme, table[unit.id], months, weight, divisor, plugin, full_kinds)
    for period, month_table in monthly.items():
        table.notes.extend(f"{period}: {note}" for note in month_table.notes)
    return table, monthly


def fold_unit(
    scheme: Scheme,
    annual: UnitScore,
    months: dict[str, UnitScore],
    weight: dict[str, Decimal],
    divisor: Decimal = ONE,
    plugin: str = "builtin",
    full_kinds: frozenset[str] = frozenset(),
) -> None:
    """Add every monthly entry × weight ÷ divisor (entries of ``full_kinds``: × weight only), then one
    rounding entry per part where needed."""
    exact: dict[str | None, Decimal] = defaultdict(lambda: ZERO)
    for period, score in months.items():
        w = weight[period]
        if w == ZERO:
            continue
        for entry in score.trail:
            entry_divisor = ONE if entry.kind in full_kinds else divisor
            share = divide(entry.points * w, entry_divisor)
            exact[entry.part] += share
            annual.add(
                TrailEntry(
                    kind=entry.kind,
                    rule=entry.rule,
                    label=f"{period} {entry.label}",
                    part=entry.part,
                    points=quantize(share, scheme.precision, scheme.rounding),
                    inputs={**entry.inputs, "period": period, "monthly_points": entry.points, "divisor": entry_divisor},
                    note=entry.note,
                    plugin=entry.plugin,
                )
            )
    for part, points in exact.items():
        target = quantize(points, scheme.precision, scheme.rounding)
        have = sum((e.points for e in annual.trail if e.part == part), ZERO)
        if have != target:
            annual.add(
                TrailEntry(
                    kind="adjustment",
                    rule=f"{part or 'total'}.period_rounding",
                    label=_("rounding of the period aggregate"),
                    part=part,
                    points=target - have,
                    inputs={"aggregate": target, "rounded_entries": have},
                    note=_("each part equals the aggregate of its period scores, rounded once"),
                    plugin=plugin,
                )
            )
