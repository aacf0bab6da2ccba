"""Period scoring: score every month (or quarter) with the core engine, then aggregate to the year.

Schemes such as 「年度考核总分取每月算术平均分」 score a unit once per period and combine the periods.
The engine scores one table at a time, so this helper splits the dataset by period, runs the engine on
each slice, and folds the monthly trails into one annual trail:

* a value row belongs to the period in its ``period`` column; an event to the period of its ``date``
  (its first seven characters, ``YYYY-MM``, for monthly schemes); a row without one is an error;
* the periods of a run are the distinct periods of the value rows; an event outside them is an error
  (a month that was not assessed cannot be scored);
* ``aggregate`` is ``mean`` (each monthly entry weighs 1 / n), ``sum`` (累计: weight 1), ``last``
  (only the last period counts) or ``mean_sum_rules`` (the months' scores are averaged but deductions and
  bonuses, with their caps and floors, count in full: a 20-point penalty costs 20 in the year, not 20 / n);
* each annual entry is the monthly entry times its weight, rounded to the scheme precision, labelled with
  its period; when rounding makes a part differ from the aggregate of its exact monthly part scores
  (rounded once), one ``adjustment`` entry per part closes the gap, so the trail sums exactly to the
  total and every part equals the aggregate of its monthly scores.

Vetoes are annual: they are not passed to the monthly runs (a scheme with a ``deduct`` veto must not use
this helper without deciding which month it hits).
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
    score_dataset,
)
from kaoping.locale import _

AGGREGATES = ("mean", "sum", "last", "mean_sum_rules")
# Trail entries that count in full under ``mean_sum_rules``: events and what limits them in the month.
RULE_KINDS = frozenset({"rule", "cap", "floor", "overflow"})


def event_period(event: EventRow, length: int = 7) -> str:
    """The period of an event: the first ``length`` characters of its date (``YYYY-MM`` by default)."""
    return event.date[:length] if len(event.date) >= length else ""


def split_by_period(dataset: Dataset, events: Iterable[EventRow] | None = None) -> dict[str, Dataset]:
    """One dataset per period of the value rows, each with that period's values and events."""
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


def weights(periods: list[str], aggregate: str) -> tuple[dict[str, Decimal], Decimal]:
    """The weight of each period's scores in the annual score, and the common divisor.

    A period's contribution is ``points × weight ÷ divisor``; keeping the divisor apart (n for a mean)
    lets the exact aggregate be computed without a rounded 1/n.
    """
    if aggregate not in AGGREGATES:
        raise InputError(
            _("period aggregate must be one of {items}, got '{aggregate}'").format(
                items=", ".join(AGGREGATES), aggregate=aggregate
            )
        )
    if aggregate in {"mean", "mean_sum_rules"}:
        return dict.fromkeys(periods, ONE), Decimal(len(periods))
    if aggregate == "sum":
        return dict.fromkeys(periods, ONE), ONE
    return {p: (ONE if p == periods[-1] else ZERO) for p in periods}, ONE


def score_by_period(
    scheme: Scheme,
    dataset: Dataset,
    methods: MethodRegistry,
    aggregate: str,
    events: Iterable[EventRow] | None = None,
    plugin: str = "builtin",
) -> tuple[ScoreTable, dict[str, ScoreTable]]:
    """The annual score table and the monthly tables it was folded from (period → table).

    ``plugin`` names the calling plugin on the rounding entries it adds (provenance).
    """
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


def period_aggregate(scheme: Scheme, default: str = "") -> str:
    """The scheme's ``period_aggregate`` parameter, which every per-period scheme must state."""
    value = str(scheme.parameters.get("period_aggregate", default))
    if value not in AGGREGATES:
        raise InputError(
            _("scheme {scheme}: parameters.period_aggregate must be one of {items}, got '{value}'").format(
                scheme=scheme.id, items=", ".join(AGGREGATES), value=value
            )
        )
    return value
