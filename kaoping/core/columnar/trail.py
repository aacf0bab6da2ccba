"""The compact trail: points in arrays, entries built for one unit when someone reads its trail.

The row engine kept one :class:`TrailEntry` object per unit per indicator. Here an indicator keeps
one int64 array of points (at the scheme's precision) over all units, a mask of the units it gave an entry,
and the means to rebuild a unit's inputs and note (the method's :class:`VectorAwards`, or the row form's
award for the few units it decided). The sparse entries (rules, caps, vetoes, floors, overflows) stay
objects, per unit. Parts and totals come from arrays summed once.

:class:`CompactUnitScore` reads like :class:`~kaoping.core.results.UnitScore`: ``trail`` builds the unit's
entries, in the row engine's order (bases, indicators in scheme order, then the rest), the first time it is
read; from then on parts and totals are derived from that list, so a plugin that adds or changes entries
after scoring (a ``kaoping_score`` wrapper) sees a trail that still adds up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TypeVar

import attrs
import numpy as np

from kaoping.core.columnar.fixed import on_boundary, to_decimal
from kaoping.core.columnar.table import ColumnarDataset, IndicatorColumns
from kaoping.core.columnar.vector import VectorAwards, VectorFn
from kaoping.core.methods import Award, ScoringContext
from kaoping.core.numbers import ZERO
from kaoping.core.results import TrailEntry, named, parts_of
from kaoping.core.scheme import Indicator, Part
from kaoping.core.scoring import OPTIONAL_NO_DATA, base_entry
from kaoping.locale import _

# units whose explanations are rebuilt at once: a unit's trail reads one stretch per indicator, and a writer
# going through the units in order computes each stretch once
STRETCH = 4096
T = TypeVar("T")
# stretches kept per indicator: a writer going through the units in ranked order, not the data's, finds
# the awards of up to 16 × 4,096 units again without running the method again
KEPT_STRETCHES = 16


@attrs.define
class Rebuild:
    """How to rebuild the explanations of an indicator whose method decides each unit from its own rows
    (the core's methods): run it again on the stretch of units asked about, from the value columns, instead
    of keeping the method's inputs for every unit after scoring (a million units × 40 indicators of them
    would be most of a run's memory)."""

    columns: ColumnarDataset
    vector: VectorFn
    ctx: ScoringContext
    scales: tuple[int, int, bool, bool]  # the value and target columns' scales, and whether Python integers
    bounds: np.ndarray  # offsets into the indicator's rows of each stretch of ``STRETCH`` units
    scale: int  # the scheme precision's scale
    size: int = STRETCH  # units per stretch
    # stretch → its awards, their order by unit, and which are usable; the oldest dropped past KEPT_STRETCHES
    _found: dict[int, tuple[VectorAwards, np.ndarray, np.ndarray]] = attrs.field(factory=dict)
    # the block a reader announced (:func:`read_ahead`): unit → its place in the block, the method's awards
    # over the block, and each place's position in them (-1: not decided by this form)
    _ahead: tuple[dict[int, int], VectorAwards, np.ndarray] | None = None

    @classmethod
    def over(
        cls, columns: ColumnarDataset, rows: IndicatorColumns, vector: VectorFn, ctx: ScoringContext, scale: int
    ) -> Rebuild:
        """How a method that decides each unit from that unit's rows alone (``rows``: all of an indicator's
        rows) is run again on a stretch of units: it gives those units' inputs and notes as the run over all
        of them gave them."""
        value, target = rows.value, rows.target
        scales = (value.scale, target.scale, value.ints.dtype == object, target.ints.dtype == object)
        bounds = np.searchsorted(rows.rows_unit, np.arange(0, len(columns) + STRETCH, STRETCH))
        return cls(columns, vector, ctx, scales, bounds, scale, STRETCH)

    def prepare(self, indicator: Indicator, units: np.ndarray | None, place: dict[int, int]) -> None:
        """Run the method once on the rows of ``units`` (ascending; ``place``: unit → its position in them),
        which a reader is about to explain in an order of its own; the stretches stay for other units.
        ``None``: no block any more."""
        self._ahead = None  # the previous block's awards go before this block's are made
        if units is None:
            return
        awards, _, usable = self._decided(indicator, self.columns.rows_of_units(indicator.id, units, self.scales))
        first = np.full(len(units), -1, dtype=np.int64)  # each announced unit's first award (as ``award`` finds)
        positions = np.arange(len(awards.units), dtype=np.int64)
        first[np.searchsorted(units, awards.units)[::-1]] = positions[::-1]
        if len(usable):
            first = np.where(usable[np.maximum(first, 0)], first, -1)
        self._ahead = (place, awards, first)

    def _decided(self, indicator: Indicator, rows: IndicatorColumns) -> tuple[VectorAwards, np.ndarray, np.ndarray]:
        """The method's awards on ``rows``, their order by unit, and which of them it decided (the engine
        gave the rest to the row form)."""
        awards = self.vector(indicator, rows, self.ctx)
        usable = np.ones(len(awards.units), dtype=bool)
        if awards.inexact is not None:
            usable &= ~(awards.inexact & on_boundary(awards.num, awards.den, self.scale))
        return awards, np.argsort(awards.units, kind="stable"), usable

    def award(self, indicator: Indicator, unit: int) -> tuple[VectorAwards, int] | None:
        """The awards of ``unit``'s stretch (or of the block announced) and the unit's position in them; None
        when the vectorised form did not decide the unit (it went to the row form, or it has no rows)."""
        if self._ahead is not None:
            place, announced, decided = self._ahead
            at = place.get(unit)
            if at is not None:
                k = int(decided[at])
                return (announced, k) if k >= 0 else None
        stretch = unit // self.size
        found = self._found.get(stretch)
        if found is None:
            lo, hi = int(self.bounds[stretch]), int(self.bounds[stretch + 1])
            if len(self._found) >= KEPT_STRETCHES:
                del self._found[next(iter(self._found))]
            found = self._found[stretch] = self._decided(
                indicator, self.columns.stretch(indicator.id, lo, hi, self.scales)
            )
        awards, order, usable = found
        at = int(np.searchsorted(awards.units, unit, sorter=order)) if len(order) else 0
        if at == len(order) or awards.units[order[at]] != unit or not usable[order[at]]:
            return None
        return awards, int(order[at])


@attrs.define
class IndicatorTrail:
    """One indicator's points over every unit and how to explain each."""

    indicator: Indicator
    plugin: str
    points: np.ndarray  # int64 at the scheme scale, 0 where no entry
    has: np.ndarray  # bool: the unit has an entry for this indicator
    position: np.ndarray | None  # index into ``awards`` for units the vectorised form decided, else -1
    awards: VectorAwards | None
    by_row_form: dict[int, Award]  # unit index → the award of the row form, for the units it decided
    rebuild: Rebuild | None = None  # instead of ``position`` and ``awards``: the method run again on demand

    def entry(self, unit: int, scale: int) -> TrailEntry:
        indicator = self.indicator
        award = self.by_row_form.get(unit)
        found: tuple[VectorAwards, int] | None = None
        if award is None:
            if self.rebuild is not None:
                found = self.rebuild.award(indicator, unit)
            elif self.position is not None and self.position[unit] >= 0:
                assert self.awards is not None
                found = self.awards, int(self.position[unit])
        if award is not None:
            inputs, note = dict(award.inputs), award.note
        elif found is not None:
            awards, k = found
            inputs, note = awards.inputs(k), awards.note(k)
        else:
            inputs, note = {}, _(OPTIONAL_NO_DATA)
        return TrailEntry(
            "indicator",
            indicator.id,
            indicator.name,
            indicator.part,
            to_decimal(self.points[unit], scale),
            inputs,
            note or indicator.quote,
            self.plugin,
        )


@attrs.define
class CompactTrail:
    """Everything the units of one run share: indicator arrays, part sums, and the sparse entries."""

    scale: int  # the scheme precision's scale: indicator points
    sum_scale: int  # the scale of part sums (the precision, or finer where a cap or base is finer)
    part_ids: tuple[str, ...]
    based_parts: tuple[Part, ...]  # parts with a base, in scheme order
    wide: bool = False  # every array holds Python integers (a number of the run may leave int64)
    indicators: list[IndicatorTrail] = attrs.field(factory=list)
    part_sums: np.ndarray | None = None  # (units, parts) int64 at ``sum_scale``, final
    adjustments: np.ndarray | None = None  # int64 at ``sum_scale``: entries outside every part
    tails: dict[int, list[TrailEntry]] = attrs.field(factory=dict)
    sealed: bool = False  # the engine is done: later additions go to the unit's built trail
    # (units, indicators) points and entry mask, filled as the indicators are scored: one unit's row at once
    matrix: np.ndarray | None = None
    has_matrix: np.ndarray | None = None
    _points: dict[int, Decimal] = attrs.field(factory=dict)  # points repeat: one Decimal per distinct value

    def decimal(self, value: int) -> Decimal:
        return to_decimal(value, self.sum_scale)

    def points(self, value: int) -> Decimal:
        """The decimal of an indicator's points (at the precision), shared between units."""
        found = self._points.get(value)
        if found is None:
            found = self._points[value] = to_decimal(value, self.scale)
        return found

    def keep(self, trail: IndicatorTrail, width: int) -> None:
        """Add an indicator's trail, its points and mask moved into column ``k`` of the (units, ``width``)
        matrices (one copy of the points: the trail reads its column; a unit's row reads all at once)."""
        if self.matrix is None or self.has_matrix is None:
            self.matrix = np.zeros((len(trail.points), width), dtype=object if self.wide else np.int64)
            self.has_matrix = np.zeros((len(trail.points), width), dtype=bool)
        k = len(self.indicators)
        self.matrix[:, k], self.has_matrix[:, k] = trail.points, trail.has
        trail.points, trail.has = self.matrix[:, k], self.has_matrix[:, k]
        self.indicators.append(trail)

    def prepare(self, units: np.ndarray | None) -> None:
        """Get the explanations of ``units`` (ascending) ready at once (:func:`read_ahead`); None lets the
        last block's go."""
        place = {} if units is None else {unit: at for at, unit in enumerate(units.tolist())}
        for trail in self.indicators:
            if trail.rebuild is not None:
                trail.rebuild.prepare(trail.indicator, units, place)

    def seal(self) -> None:
        if self.matrix is not None and self.has_matrix is not None:  # the columns of indicators with entries
            self.matrix = self.matrix[:, : len(self.indicators)]
            self.has_matrix = self.has_matrix[:, : len(self.indicators)]
        self.sealed = True


class TrailOnDemand:
    """A score whose trail is built from arrays the first time it is read, and kept from then on (a
    ``kaoping_score`` wrapper may add to it); a writer reads it through :meth:`trail_entries`, which keeps
    nothing. Subclasses give ``_build`` and set ``_trail`` to None."""

    __slots__ = ("_trail",)
    _trail: list[TrailEntry] | None

    def _build(self) -> list[TrailEntry]:
        raise NotImplementedError

    @property
    def trail(self) -> list[TrailEntry]:
        if self._trail is None:
            self._trail = self._build()
        return self._trail

    @trail.setter
    def trail(self, entries: list[TrailEntry]) -> None:
        self._trail = entries

    def trail_entries(self) -> list[TrailEntry]:
        """The trail, built for a reader that does not keep it (an output written unit by unit): the
        built trail when there is one, else the entries from the arrays, not stored."""
        return self._trail if self._trail is not None else self._build()


class CompactUnitScore(TrailOnDemand):
    """The score of one unit of a columnar run; same reading interface as ``UnitScore``."""

    __slots__ = ("index", "parts_scored", "store", "unit")

    def __init__(self, store: CompactTrail, index: int, unit: str, parts_scored: tuple[str, ...]) -> None:
        self.store = store
        self.index = index
        self.unit = unit
        self.parts_scored = parts_scored
        # totals and indicator points are read from the arrays each time, not kept: a writer going through a
        # million units would otherwise leave a total and a dict of points on every score (grading reads
        # the arrays themselves, ``array_columns``)
        self._trail: list[TrailEntry] | None = None

    def _build(self) -> list[TrailEntry]:
        store, unit = self.store, self.index
        entries = [base_entry(part) for part in reversed(store.based_parts) if part.id in self.parts_scored]
        entries += [trail.entry(unit, store.scale) for trail in store.indicators if trail.has[unit]]
        entries += store.tails.get(unit, [])
        return entries

    def explained_from(self) -> tuple[tuple[CompactTrail, int], ...]:
        """The compact trails (and this unit's row in each) its explanations are rebuilt from."""
        return ((self.store, self.index),)

    def add(self, entry: TrailEntry) -> None:
        entry = named(entry)  # a wrapper's entry names its plugin
        if self.store.sealed or self._trail is not None:
            self.trail.append(entry)
        else:
            self.store.tails.setdefault(self.index, []).append(entry)

    # -- parts and totals: from the arrays until the trail is built ----------------------------------------

    def _from_arrays(self) -> bool:
        return self._trail is None and self.store.part_sums is not None

    def part_points(self, part: str) -> Decimal:
        if self._from_arrays():
            store = self.store
            assert store.part_sums is not None
            if part not in self.parts_scored:
                return ZERO
            return store.decimal(store.part_sums[self.index, store.part_ids.index(part)])
        return sum((e.points for e in self.trail if e.part == part), ZERO)

    @property
    def parts(self) -> dict[str, Decimal]:
        if self._from_arrays():
            return {part: self.part_points(part) for part in self.parts_scored}
        return parts_of(self.trail, self.parts_scored)

    @property
    def adjustments(self) -> Decimal:
        if self._from_arrays():
            assert self.store.adjustments is not None
            return self.store.decimal(self.store.adjustments[self.index])
        return sum((e.points for e in self.trail if e.part is None), ZERO)

    @property
    def total(self) -> Decimal:
        if self._from_arrays():
            return self._array_total()
        return sum((e.points for e in self.trail), ZERO)

    def _array_total(self) -> Decimal:
        store = self.store
        assert store.part_sums is not None and store.adjustments is not None
        row = store.part_sums[self.index]
        total = int(store.adjustments[self.index])
        for part in self.parts_scored:
            total += int(row[store.part_ids.index(part)])
        return store.decimal(total)

    def indicator_points(self) -> dict[str, Decimal]:
        if self._trail is not None:
            return {e.rule: e.points for e in self._trail if e.kind == "indicator"}
        return self._array_indicator_points()

    def _array_indicator_points(self) -> dict[str, Decimal]:
        store, unit = self.store, self.index
        if store.matrix is not None and store.has_matrix is not None:
            values, has = store.matrix[unit].tolist(), store.has_matrix[unit].tolist()
            trails = store.indicators
            found = {trails[k].indicator.id: store.points(values[k]) for k in range(len(trails)) if has[k]}
        else:
            found = {t.indicator.id: store.points(int(t.points[unit])) for t in store.indicators if t.has[unit]}
        for entry in store.tails.get(unit, ()):
            if entry.kind == "indicator":
                found[entry.rule] = entry.points
        return found

    def __repr__(self) -> str:
        return f"CompactUnitScore({self.unit!r}, total={self.total})"


READ_AHEAD = 65_536  # units explained per block by a reader in an order of its own: 40 indicators' awards of
# a block are about 0.25 GB at the benchmark's 40 indicators; fewer units run the methods more often


def read_ahead(items: Iterable[T], score_of: Callable[[T], object], block: int = READ_AHEAD) -> Iterator[T]:
    """``items`` as they come, each block of them announced to the compact trails first.

    A writer goes through the units in ranked order, not the data's; each unit's explanation re-runs its
    indicators' methods on the stretch of units around it (:class:`Rebuild`), so a ranked walk over a
    large run would run every method once per unit. Announced, a block's units are explained from one run
    of each method over the block's rows: every method runs over every unit once in all.
    """
    pending: list[T] = []
    announced: dict[int, CompactTrail] = {}
    try:
        for item in items:
            pending.append(item)
            if len(pending) == block:
                announced.update(_announce(pending, score_of))
                yield from pending
                pending = []
        announced.update(_announce(pending, score_of))
        yield from pending
    finally:
        for store in announced.values():  # the last block's awards are not kept past the walk
            store.prepare(None)


def _announce(items: list[T], score_of: Callable[[T], object]) -> dict[int, CompactTrail]:
    """Announce the units of ``items`` to the compact trails they are explained from; those trails."""
    by_store: dict[int, tuple[CompactTrail, list[int]]] = {}
    for item in items:
        explained_from = getattr(score_of(item), "explained_from", None)
        if explained_from is None:
            continue
        for store, index in explained_from():
            by_store.setdefault(id(store), (store, []))[1].append(index)
    for store, indices in by_store.values():
        store.prepare(np.unique(np.asarray(indices, dtype=np.int64)))
    return {key: store for key, (store, _) in by_store.items()}


def array_columns(
    scores: Sequence[object], tie_break: Sequence[str]
) -> tuple[np.ndarray, int, list[np.ndarray]] | None:
    """Totals and tie-break values of a run's scores straight from the arrays, as integers at the part
    sums' scale: what grading ranks on, without a decimal per unit. None unless every score is a compact
    score of one store whose trail nobody has built (then the scores' own totals are read instead)."""
    if not scores or not isinstance(scores[0], CompactUnitScore):
        return None
    store = scores[0].store
    if store.part_sums is None or store.adjustments is None or store.wide:
        return None  # (Python integers: grading reads the decimals)
    if not all(type(s) is CompactUnitScore and s.store is store and s._trail is None for s in scores):
        return None
    compact: Sequence[CompactUnitScore] = scores  # type: ignore[assignment]
    index = np.fromiter((s.index for s in compact), np.int64, len(compact))
    masks: dict[int, int] = {}
    rows: list[np.ndarray] = []
    for parts in {id(s.parts_scored): s.parts_scored for s in compact}.values():
        masks[id(parts)] = len(rows)
        rows.append(np.isin(np.array(store.part_ids, dtype=object), list(parts)))
    scored = np.array(rows, dtype=bool)[np.fromiter((masks[id(s.parts_scored)] for s in compact), np.int64)]
    sums = store.part_sums[index]
    totals = np.where(scored, sums, 0).sum(axis=1) + store.adjustments[index]
    widen = 10 ** (store.sum_scale - store.scale)
    trails = {t.indicator.id: t for t in store.indicators}
    breaks = []
    for key in tie_break:
        if any(e.kind == "indicator" and e.rule == key for entries in store.tails.values() for e in entries):
            return None  # a plugin's indicator entry: read from the scores
        column = np.zeros(len(index), dtype=np.int64)
        if key in trails:
            trail = trails[key]
            column = np.where(trail.has[index], trail.points[index] * widen, 0)
        if key in store.part_ids:
            j = store.part_ids.index(key)
            column = np.where(scored[:, j], sums[:, j], column)
        breaks.append(column)
    return totals, store.sum_scale, breaks
