"""The period fold on arrays: the year's parts and totals from the months' part sums, trails on demand.

:func:`kaoping.plugins._common.periods.score_by_period` scores each period with the engine; this module
folds the periods into the year without a Python loop over units × periods × entries:

* each period's table gives, per unit and part, the sum of its entries as integers (a columnar run's part
  sums and entries outside every part, at the run's sum scale; a table of the row engine, summed from its
  trails). Under ``mean_sum_rules`` the entries that count in full (rules, caps, floors, overflows) are
  summed apart, from the sparse entries;
* a part's annual points are the aggregate of its monthly sums rounded once: ``round(Σ (A + d·F) / d)`` with
  ``A`` the entries divided by the divisor ``d`` and ``F`` those counted in full, exactly, in integers
  (:func:`~kaoping.core.columnar.fixed.round_div`), for all units at once;
* the trail entries (one per period per monthly entry, each its share rounded, and one ``adjustment`` per
  part where the rounded shares miss the part) are built for one unit when someone reads its trail, from
  that unit's monthly trails (themselves built on demand): a million units × 12 months keep arrays, not
  12 × 40 entries per unit.

The row fold (``tests/plugins/period_fold_oracle.py``) summed the shares as ``Decimal`` divided at 28
significant digits. The two agree wherever the exact aggregate is off a rounding boundary; where it lies on
one and the divisor is not 1, the shares' 28-digit remainders could tip it, so those units (found on the
arrays) are summed the row fold's way, share by share, from their monthly trails.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal

import attrs
import numpy as np

from kaoping.api import ONE, ZERO, Scheme, ScoreTable, TrailEntry, UnitScore, divide, quantize
from kaoping.core.columnar.fixed import INT64_SAFE, decimals, round_div, to_decimal
from kaoping.core.columnar.trail import CompactTrail, CompactUnitScore, TrailOnDemand
from kaoping.core.columnar.values import Codes, ValueColumns, ValueRowsView
from kaoping.core.results import named, parts_of
from kaoping.locale import _

# rounding modes whose boundaries are the half-way points; the others round at every grid point
HALF_MODES = frozenset({"half_up", "half_even"})
# beyond this many precision steps an aggregate is summed the row fold's way (28 digits leave no margin)
LARGE = 10**12


@attrs.define(eq=False)
class Month:
    """One period's scores as the fold reads them: a columnar run's compact trail, or a row engine table."""

    period: str
    weight: Decimal  # 1, or 0 for a period that does not count (``last``: every period but the last)
    store: CompactTrail | None
    table: ScoreTable | None  # the row engine's table (its scores are UnitScores); None on arrays
    notes: list[str]
    warnings: list[str]

    @classmethod
    def of(cls, period: str, weight: Decimal, table: ScoreTable, unit_ids: Sequence[str]) -> Month:
        """The month of ``table``: its compact trail when every unit of the run is scored on arrays (a
        columnar table holds them in the dataset's order, store row = position), else the table."""
        first = next(iter(table), None)
        store = first.store if isinstance(first, CompactUnitScore) else None
        if store is not None and (store.part_sums is None or list(table.scores) != list(unit_ids)):
            store = None
        return cls(period, weight, store, None if store is not None else table, table.notes, table.warnings)

    def score(self, index: int, unit: str, parts: tuple[str, ...]) -> UnitScore:
        """One unit's monthly score: read from the compact trail (built now, kept by nobody), or the table's."""
        if self.store is not None:
            return CompactUnitScore(self.store, index, unit, parts)  # type: ignore[return-value]
        assert self.table is not None
        return self.table[unit]

    def entries(self, index: int, unit: str, parts: tuple[str, ...]) -> list[TrailEntry]:
        score = self.score(index, unit, parts)
        return score.trail_entries() if isinstance(score, CompactUnitScore) else score.trail

    def points(self, index: int, unit: str, parts: tuple[str, ...]) -> list[tuple[str, str | None, Decimal]]:
        """One unit's monthly entries as (kind, part, points), in trail order, without their explanations
        (a columnar month's bases, indicators in scheme order, then its sparse entries, as its trail)."""
        if self.store is None:
            return [(e.kind, e.part, e.points) for e in self.entries(index, unit, parts)]
        store = self.store
        found: list[tuple[str, str | None, Decimal]] = [
            ("base", p.id, p.base) for p in reversed(store.based_parts) if p.id in parts
        ]
        found += [
            ("indicator", t.indicator.part, store.points(int(t.points[index])))
            for t in store.indicators
            if t.has[index]
        ]
        found += [(e.kind, e.part, e.points) for e in store.tails.get(index, ())]
        return found

    def full_table(self, unit_ids: Sequence[str], parts: Sequence[tuple[str, ...]]) -> ScoreTable:
        """The month's score table (for a caller that asks for the monthly tables)."""
        if self.table is not None:
            return self.table
        assert self.store is not None
        store = self.store
        scores = {u: CompactUnitScore(store, i, u, parts[i]) for i, u in enumerate(unit_ids)}
        return ScoreTable(scores, list(self.notes), list(self.warnings))  # type: ignore[arg-type]

    def sums(
        self, part_ids: tuple[str, ...], full_kinds: frozenset[str], unit_ids: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """``(A, F, scale)``: per unit and part (and a last column for entries outside every part), the sum
        of the entries divided by the divisor (A) and of those counted in full (F), as integers at ``scale``."""
        column = {part: j for j, part in enumerate(part_ids)}
        column[None] = len(part_ids)  # type: ignore[index]
        if self.store is None:
            return self._sums_of_trails(column, full_kinds, unit_ids)
        store = self.store
        assert store.part_sums is not None and store.adjustments is not None
        both = np.concatenate([store.part_sums, store.adjustments[:, None]], axis=1)
        full = np.zeros_like(both)
        if full_kinds:
            for unit, entries in store.tails.items():
                for entry in entries:
                    if entry.kind in full_kinds:
                        full[unit, column[entry.part]] += int(entry.points.scaleb(store.sum_scale))  # type: ignore[index]
        return both - full, full, store.sum_scale

    def _sums_of_trails(
        self, column: dict[str, int], full_kinds: frozenset[str], unit_ids: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """The sums of a row engine table, entry by entry (a run the columnar engine did not take)."""
        assert self.table is not None
        trails = [self.table[u].trail for u in unit_ids]
        scale = max((decimals(e.points) for trail in trails for e in trail), default=0)
        shape = (len(unit_ids), len(column))
        spread, full = [[0] * shape[1] for _u in unit_ids], [[0] * shape[1] for _u in unit_ids]
        for position, trail in enumerate(trails):
            for entry in trail:
                into = full if entry.kind in full_kinds else spread
                into[position][column[entry.part]] += int(entry.points.scaleb(scale))  # type: ignore[index]
        return _ints(spread, shape), _ints(full, shape), scale


def _ints(rows: list[list[int]], shape: tuple[int, int]) -> np.ndarray:
    """Python integers as an int64 array when they fit, else an array of Python integers."""
    if all(abs(v) < INT64_SAFE for row in rows for v in row):
        return np.array(rows, dtype=np.int64).reshape(shape)
    return np.array(rows, dtype=object).reshape(shape)


@attrs.define(eq=False)
class PeriodTrail:
    """Everything the annual scores of one run share: the counted months and the year's part sums."""

    scheme: Scheme
    months: list[Month]  # the periods that count (weight 1), in order
    divisor: Decimal
    full_kinds: frozenset[str]
    plugin: str  # names the rounding entries the fold adds
    exponent: int  # the precision's exponent: annual points are integers of 10**exponent
    part_ids: tuple[str, ...]
    part_sums: np.ndarray  # (units, parts): the year's points of each part, integers of 10**exponent
    adjustments: np.ndarray  # (units,): the year's points outside every part, likewise

    def decimal(self, value: int) -> Decimal:
        return to_decimal(int(value), -self.exponent)

    def target(self, index: int, part: str | None) -> Decimal:
        """A part's annual points (None: outside every part): the aggregate of its months, rounded once."""
        if part is None:
            return self.decimal(self.adjustments[index])
        return self.decimal(self.part_sums[index, self.part_ids.index(part)])

    def share(self, kind: str, points: Decimal, weight: Decimal) -> tuple[Decimal, Decimal]:
        """The annual points of a monthly entry of ``kind`` and ``points``, and the divisor they were divided
        by: ``points × weight ÷ divisor`` rounded to the precision (the row fold's arithmetic, in ``Decimal``)."""
        entry_divisor = ONE if kind in self.full_kinds else self.divisor
        share = quantize(divide(points * weight, entry_divisor), self.scheme.precision, self.scheme.rounding)
        return share, entry_divisor


def fold(
    scheme: Scheme,
    unit_ids: Sequence[str],
    parts: Sequence[tuple[str, ...]],
    months: list[Month],
    divisor: Decimal,
    full_kinds: frozenset[str],
    plugin: str,
) -> ScoreTable:
    """The annual table of ``months`` (each a period of the run, weight 0 or 1), on arrays."""
    counted = [m for m in months if m.weight != ZERO]
    if any(m.weight != ONE for m in counted):
        raise ValueError("the period fold on arrays takes weights of 0 or 1")
    part_ids = tuple(p.id for p in scheme.parts)
    exponent = scheme.precision.as_tuple().exponent
    assert isinstance(exponent, int)
    d = int(divisor)
    if d != divisor or d < 1:
        raise ValueError("the period fold on arrays takes a whole divisor")
    found = [m.sums(part_ids, full_kinds, unit_ids) for m in counted]
    scale = max([max(-exponent, 0), *(s for _a, _f, s in found)])
    numerator = _numerator(found, scale, d, (len(unit_ids), len(part_ids) + 1))
    step = d * 10 ** (scale + exponent)  # a precision step of the aggregate, at the numerator's scale
    targets = round_div(numerator, step, scheme.rounding)
    store = PeriodTrail(
        scheme, counted, divisor, full_kinds, plugin, exponent, part_ids, targets[:, :-1], targets[:, -1]
    )
    for index in np.flatnonzero(_tippable(numerator, step, d, scheme.rounding)).tolist():
        _sum_as_decimals(store, index, unit_ids[index], parts[index])
    scores = {u: PeriodUnitScore(store, i, u, parts[i]) for i, u in enumerate(unit_ids)}
    return ScoreTable(scores)  # type: ignore[arg-type]  # PeriodUnitScore reads as UnitScore


def _numerator(found: list[tuple[np.ndarray, np.ndarray, int]], scale: int, d: int, shape: tuple[int, int]):
    """Σ over the months of (A + d·F) at ``scale``: the aggregate times ``d``, exactly."""
    bound = sum(
        (int(np.abs(a).max(initial=0)) + d * int(np.abs(f).max(initial=0))) * 10 ** (scale - s) for a, f, s in found
    )
    wide = bound >= INT64_SAFE or any(a.dtype == object or f.dtype == object for a, f, _s in found)
    total = np.zeros(shape, dtype=object if wide else np.int64)
    for spread, full, own in found:
        widen = 10 ** (scale - own)
        total += (spread.astype(object) if wide else spread) * widen
        total += (full.astype(object) if wide else full) * (widen * d)
    return total


def _tippable(numerator: np.ndarray, step: int, d: int, rounding: str) -> np.ndarray:
    """Units whose aggregate the row fold's 28-digit shares could round the other way: with a divisor that
    has a prime factor other than 2 and 5, one on a rounding boundary; any too large for 28 digits to leave
    a margin. (Divided by 1, 2, 4, 5, 10 … every share terminates: the row fold's sums are exact.)"""
    tippable = np.abs(numerator) >= LARGE * step
    if _coprime_to_ten(d) > 1 and rounding in HALF_MODES:
        tippable |= ((2 * numerator) % step == 0) & (numerator % step != 0)
    elif _coprime_to_ten(d) > 1:
        tippable |= numerator % step == 0
    return np.asarray(tippable.any(axis=1), dtype=bool)


def _coprime_to_ten(d: int) -> int:
    """``d`` without its factors 2 and 5: 1 when every ``p / d`` is a terminating decimal."""
    for prime in (2, 5):
        while d % prime == 0:
            d //= prime
    return d


def _sum_as_decimals(store: PeriodTrail, index: int, unit: str, parts: tuple[str, ...]) -> None:
    """One unit's annual parts summed share by share in ``Decimal``, as the row fold summed them."""
    exact: dict[str | None, Decimal] = {}
    for month in store.months:
        for kind, part, points in month.points(index, unit, parts):
            entry_divisor = ONE if kind in store.full_kinds else store.divisor
            exact[part] = exact.get(part, ZERO) + divide(points * month.weight, entry_divisor)
    scheme = store.scheme
    for part, points in exact.items():
        value = int(quantize(points, scheme.precision, scheme.rounding).scaleb(-store.exponent))
        if part is None:
            store.adjustments[index] = value
        else:
            store.part_sums[index, store.part_ids.index(part)] = value


class PeriodUnitScore(TrailOnDemand):
    """One unit's annual score of a period run; same reading interface as ``UnitScore``.

    Parts and totals come from the fold's arrays; the trail (every period's entries, each its share, then
    the rounding entries) is built from the unit's monthly trails the first time it is read, and from then
    on parts and totals are derived from it, so a ``kaoping_score`` wrapper that adds entries sees a trail
    that still adds up.
    """

    __slots__ = ("_total", "index", "parts_scored", "store", "unit")

    def __init__(self, store: PeriodTrail, index: int, unit: str, parts_scored: tuple[str, ...]) -> None:
        self.store = store
        self.index = index
        self.unit = unit
        self.parts_scored = parts_scored
        self._trail: list[TrailEntry] | None = None
        self._total: Decimal | None = None

    def explained_from(self) -> tuple[tuple[CompactTrail, int], ...]:
        """The months' compact trails (and this unit's row in each) its explanations are rebuilt from: a
        writer announces a block of units to them at once (``read_ahead``)."""
        return tuple((month.store, self.index) for month in self.store.months if month.store is not None)

    def months(self) -> Iterator[tuple[Month, list[TrailEntry]]]:
        """Each counted period and this unit's entries in it."""
        for month in self.store.months:
            yield month, month.entries(self.index, self.unit, self.parts_scored)

    def _build(self) -> list[TrailEntry]:
        store = self.store
        entries: list[TrailEntry] = []
        rounded: dict[str | None, Decimal] = {}
        for month, monthly in self.months():
            period = month.period
            for entry in monthly:
                points, entry_divisor = store.share(entry.kind, entry.points, month.weight)
                rounded[entry.part] = rounded.get(entry.part, ZERO) + points
                entries.append(
                    TrailEntry(
                        kind=entry.kind,
                        rule=entry.rule,
                        label=f"{period} {entry.label}",
                        part=entry.part,
                        points=points,
                        inputs={
                            **entry.inputs,
                            "period": period,
                            "monthly_points": entry.points,
                            "divisor": entry_divisor,
                        },
                        note=entry.note,
                        plugin=entry.plugin,
                    )
                )
        for part, have in rounded.items():
            target = store.target(self.index, part)
            if have != target:
                entries.append(
                    TrailEntry(
                        kind="adjustment",
                        rule=f"{part or 'total'}.period_rounding",
                        label=_("rounding of the period aggregate"),
                        part=part,
                        points=target - have,
                        inputs={"aggregate": target, "rounded_entries": have},
                        note=_("each part equals the aggregate of its period scores, rounded once"),
                        plugin=store.plugin,
                    )
                )
        return entries

    def add(self, entry: TrailEntry) -> None:
        self.trail.append(named(entry))  # a wrapper's entry names its plugin

    # -- parts and totals: from the arrays until the trail is built ----------------------------------------

    def part_points(self, part: str) -> Decimal:
        if self._trail is None:
            return self.store.target(self.index, part) if part in self.parts_scored else ZERO
        return sum((e.points for e in self._trail if e.part == part), ZERO)

    @property
    def parts(self) -> dict[str, Decimal]:
        if self._trail is None:
            return {part: self.store.target(self.index, part) for part in self.parts_scored}
        return parts_of(self._trail, self.parts_scored)

    @property
    def adjustments(self) -> Decimal:
        if self._trail is None:
            return self.store.target(self.index, None)
        return sum((e.points for e in self._trail if e.part is None), ZERO)

    @property
    def total(self) -> Decimal:
        if self._trail is not None:
            return sum((e.points for e in self._trail), ZERO)
        if self._total is None:
            store, index = self.store, self.index
            row = store.part_sums[index]
            total = int(store.adjustments[index])
            for part in self.parts_scored:
                total += int(row[store.part_ids.index(part)])
            self._total = store.decimal(total)
        return self._total

    def indicator_points(self) -> dict[str, Decimal]:
        """Each indicator's annual entry, the last period's where several periods have one (as a trail read
        into a mapping gives it)."""
        if self._trail is not None:
            return {e.rule: e.points for e in self._trail if e.kind == "indicator"}
        store, found = self.store, {}
        for month in store.months:
            monthly = month.score(self.index, self.unit, self.parts_scored).indicator_points()
            for indicator, points in monthly.items():
                found[indicator] = store.share("indicator", points, month.weight)[0]
        return found

    def __repr__(self) -> str:
        return f"PeriodUnitScore({self.unit!r}, total={self.total})"


class MonthlyTables(Mapping[str, ScoreTable]):
    """Period → that period's score table, built when asked for (a columnar month keeps its arrays only)."""

    def __init__(self, months: list[Month], unit_ids: Sequence[str], parts: Sequence[tuple[str, ...]]) -> None:
        self._months = {m.period: m for m in months}
        self._unit_ids = unit_ids
        self._parts = parts

    def __getitem__(self, period: str) -> ScoreTable:
        return self._months[period].full_table(self._unit_ids, self._parts)

    def __iter__(self) -> Iterator[str]:
        return iter(self._months)

    def __len__(self) -> int:
        return len(self._months)


# ---------------------------------------------------------------------------------------------------------
# the values read into columns, cut by period


def split_columns(columns: ValueColumns) -> tuple[dict[str, ValueRowsView], list[int]]:
    """The values of each period as columns of their own (rows in file order; rows are built only if a
    hook reads them), and the positions of the rows that have no period (each a problem for the caller to
    name)."""
    codes = columns.period.codes
    order = np.argsort(codes, kind="stable")  # each period's rows, still in file order
    bounds = np.searchsorted(codes[order], np.arange(len(columns.period.names) + 1))
    found: dict[str, ValueRowsView] = {}
    blank: list[int] = []
    for code, period in enumerate(columns.period.names):
        positions = order[bounds[code] : bounds[code + 1]]
        if not len(positions):
            continue
        if period:
            found[period] = ValueRowsView(_take(columns, positions))
        else:
            blank = positions.tolist()
    return found, sorted(blank)


def _take(columns: ValueColumns, positions: np.ndarray) -> ValueColumns:
    """The rows at ``positions`` (ascending) as columns of their own, texts interned anew."""
    return ValueColumns(
        unit=_codes(columns.unit, positions),
        indicator=_codes(columns.indicator, positions),
        value=columns.value.rows(positions),
        target=columns.target.rows(positions),
        baseline=columns.baseline.rows(positions),
        item=_codes(columns.item, positions),
        period=_codes(columns.period, positions),
        note=_codes(columns.note, positions),
        file=_codes(columns.file, positions),
        row=columns.row[positions],
        percent=columns.percent[positions],
    )


def _codes(column: Codes, positions: np.ndarray) -> Codes:
    """The codes at ``positions``, renumbered as first seen (as a reader interns them)."""
    taken = column.codes[positions]
    if not len(taken):
        return Codes(taken, ("",))
    present, first, inverse = np.unique(taken, return_index=True, return_inverse=True)
    seen = np.argsort(first, kind="stable")
    renumber = np.empty(len(present), dtype=np.int32)
    renumber[seen] = np.arange(len(present), dtype=np.int32)
    names = tuple(column.names[int(c)] for c in present[seen])
    return Codes(renumber[inverse.reshape(-1)].astype(np.int32), names)
