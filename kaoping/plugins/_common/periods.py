"""Period scoring: score every month (or quarter) with the core engine, then aggregate to the year.

Schemes such as 「年度考核总分取每月算术平均分」 score a unit once per period and combine the periods.
The engine scores one table at a time, so this helper splits the dataset by period, runs the engine on
each slice (on arrays wherever the scheme allows), and folds the months into the year on arrays
(:mod:`kaoping.plugins._common.period_arrays`), each unit's annual trail built when it is read:

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
from collections.abc import Iterable, Mapping, Sequence
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
    ValueRow,
    parts_for,
)
from kaoping.locale import _

AGGREGATES = ("mean", "sum", "last", "mean_sum_rules")
# Trail entries that count in full under ``mean_sum_rules``: events and what limits them in the month.
RULE_KINDS = frozenset({"rule", "cap", "floor", "overflow"})


def event_period(event: EventRow, length: int = 7) -> str:
    """The period of an event: the first ``length`` characters of its date (``YYYY-MM`` by default)."""
    return event.date[:length] if len(event.date) >= length else ""


def split_by_period(dataset: Dataset, events: Iterable[EventRow] | None = None) -> dict[str, Dataset]:
    """One dataset per period of the value rows, each with that period's values and events.

    Values read into columns are cut into one set of columns per period (no row is built); values given
    as rows are split row by row.
    """
    problems: list[Problem] = []
    no_period = _("a per-period scheme needs a period on every value row")
    values: Mapping[str, Sequence[ValueRow]] = {}
    if dataset.has_value_columns:
        from kaoping.plugins._common.period_arrays import split_columns

        columns = dataset.value_columns
        values, blank = split_columns(columns)
        for position in blank:
            where = columns.where(position)
            problems.append(Problem(no_period, where.file, where.row, "period"))
    else:
        rows: dict[str, list[ValueRow]] = defaultdict(list)
        for row in dataset.values:
            if not row.period:
                problems.append(Problem(no_period, row.where.file, row.where.row, "period"))
                continue
            rows[row.period].append(row)
        values = {period: tuple(found) for period, found in rows.items()}
    by_period_events: dict[str, list[EventRow]] = defaultdict(list)
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
        by_period_events[period].append(event)
    if problems:
        raise InputError(problems)
    return {
        period: dataset.evolve(values=found, events=tuple(by_period_events.get(period, ())), vetoes=())
        for period, found in sorted(values.items())
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
) -> tuple[ScoreTable, Mapping[str, ScoreTable]]:
    """The annual score table and the monthly tables it was folded from (period → table).

    Each period is scored by the engine the run chose (``kaoping.core.columnar.engine.score``: on arrays
    wherever the scheme allows) and the periods are folded on arrays
    (:mod:`kaoping.plugins._common.period_arrays`); a unit's annual trail is built when it is read.
    ``plugin`` names the calling plugin on the rounding entries the fold adds (provenance).
    """
    from kaoping.core.columnar.engine import score
    from kaoping.plugins._common.period_arrays import Month, MonthlyTables, fold

    slices = split_by_period(dataset, events)
    if not slices:
        raise InputError(_("a per-period scheme needs value rows with a period; the values table has none"))
    weight, divisor = weights(list(slices), aggregate)
    unit_ids = [u.id for u in dataset.units]
    parts = [parts_for(scheme, u) for u in dataset.units]
    months = []
    for period, data in slices.items():  # one month at a time: a month keeps its arrays, not its table
        months.append(Month.of(period, weight[period], score(scheme, data, methods), unit_ids))
    full_kinds = RULE_KINDS if aggregate == "mean_sum_rules" else frozenset()
    table = fold(scheme, unit_ids, parts, months, divisor, full_kinds, plugin)
    for month in months:
        table.notes.extend(f"{month.period}: {note}" for note in month.notes)
    return table, MonthlyTables(months, unit_ids, parts)


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
