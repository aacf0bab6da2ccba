"""A partition's score table as it travels back from a worker: arrays, and the few entries that are objects.

A worker's score table (:class:`~kaoping.core.results.ScoreTable` of
:class:`~kaoping.core.columnar.trail.CompactUnitScore`) keeps, besides its points, the means to explain
each unit: the value columns of its partition and the context it was scored in (``Rebuild``), or a
method's awards with closures over its columns. Pickled, that was 3.7 KB per unit and the driver spent
about a second unpickling every 100,000 units (``docs/scale.md``). What travels instead
(:class:`WireScores`) is what the driver cannot rebuild: the points of every indicator and the entry mask
(one matrix each, in their narrowest integer type), part sums, adjustments, the sparse entries (rules,
caps, floors, vetoes, the row form's awards), and per indicator how it was explained. The driver already
holds the partition's rows, so it explains a unit the way the local engine does: by running the
vectorised method again, on the stretch of units asked about for a core method (``Rebuild``), or on the
partition's units for a plugin's form, the first time a unit of that indicator is explained.

A unit whose trail was built on the worker (a ``kaoping_score`` wrapper added an entry after scoring), or
whose score is not a compact one (a wrapper replaced it), travels as its objects.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from kaoping.core.columnar.trail import CompactTrail, CompactUnitScore, IndicatorTrail, Rebuild
from kaoping.core.results import ScoreTable, TrailEntry
from kaoping.core.scheme import Indicator, Part, Scheme

if TYPE_CHECKING:
    from kaoping.core.columnar.table import ColumnarDataset
    from kaoping.core.columnar.vector import VectorAwards
    from kaoping.core.methods import Award, MethodRegistry, ScoringContext
    from kaoping.core.models import Dataset


@attrs.frozen
class WireIndicator:
    """How one indicator's entries are explained: by the row form's awards (``by_row_form``, sparse), and
    for the other units by running the method again (``rebuild``: a core method, the stretch's scales and
    row bounds; ``position``: a plugin's vectorised form, each unit's place in its awards; neither: no unit
    is explained by the arrays)."""

    indicator: str
    plugin: str
    by_row_form: dict[int, Award]
    rebuild: tuple[tuple[int, int, bool, bool], np.ndarray, int, int] | None  # scales, bounds, scale, size
    position: np.ndarray | None


@attrs.frozen
class WireStore:
    """A :class:`CompactTrail` without what the driver rebuilds itself."""

    scale: int
    sum_scale: int
    part_ids: tuple[str, ...]
    based_parts: tuple[Part, ...]
    wide: bool
    points: np.ndarray  # (units, indicators), narrowed; Python integers when ``wide``
    has: np.ndarray  # the entry mask, packed eight units to a byte (``np.packbits``)
    part_sums: np.ndarray | None
    adjustments: np.ndarray | None
    tails: dict[int, list[TrailEntry]]
    indicators: tuple[WireIndicator, ...]


@attrs.frozen
class WireScores:
    """A partition's score table as arrays: what a worker sends back instead of the table's objects."""

    units: tuple[str, ...]  # unit ids in the table's order
    index: np.ndarray  # each unit's index in the store (-1: its score travels in ``objects``)
    parts: np.ndarray  # each unit's parts scored, as a code into ``part_sets``
    part_sets: tuple[tuple[str, ...], ...]
    store: WireStore | None
    built: dict[int, list[TrailEntry]]  # position in ``units`` → the trail built on the worker
    objects: dict[int, Any]  # position in ``units`` → a score that is not a compact one, as is
    notes: list[str]
    warnings: list[str]

    @classmethod
    def of(cls, table: ScoreTable) -> WireScores:
        scores: list[Any] = list(table.scores.values())
        stores = {id(s.store): s.store for s in scores if type(s) is CompactUnitScore}
        store = next(iter(stores.values())) if len(stores) == 1 else None
        index = np.full(len(scores), -1, dtype=np.int64)
        part_code: dict[tuple[str, ...], int] = {}
        parts = np.zeros(len(scores), dtype=np.int64)
        built: dict[int, list[TrailEntry]] = {}
        objects: dict[int, Any] = {}
        for position, score in enumerate(scores):
            if store is None or type(score) is not CompactUnitScore or score.store is not store:
                objects[position] = score
                continue
            index[position] = score.index
            parts[position] = part_code.setdefault(score.parts_scored, len(part_code))
            if score._trail is not None:
                built[position] = score._trail
        return cls(
            tuple(table.scores),
            narrowed(index),
            narrowed(parts),
            tuple(part_code),
            None if store is None else _wire_store(store),
            built,
            objects,
            list(table.notes),
            list(table.warnings),
        )

    def table(self, scheme: Scheme, dataset: Dataset, methods: MethodRegistry) -> ScoreTable:
        """The score table again, on the machine that holds the partition's ``dataset`` (as it was sent)."""
        store = None if self.store is None else _store(self.store, Source(scheme, dataset, methods))
        index, parts = self.index.tolist(), self.parts.tolist()
        scores: dict[str, Any] = {}
        for position, unit in enumerate(self.units):
            if position in self.objects:
                scores[unit] = self.objects[position]
                continue
            assert store is not None
            score = CompactUnitScore(store, index[position], unit, self.part_sets[parts[position]])
            if position in self.built:
                score.trail = self.built[position]
            scores[unit] = score
        return ScoreTable(scores=scores, notes=list(self.notes), warnings=list(self.warnings))


def _wire_store(store: CompactTrail) -> WireStore:
    trails = store.indicators
    size = len(store.adjustments) if store.adjustments is not None else 0
    if trails:
        points = np.stack([t.points for t in trails], axis=1)
        has = np.stack([t.has for t in trails], axis=1)
        size = len(points)
    else:
        points = np.zeros((size, 0), dtype=object if store.wide else np.int64)
        has = np.zeros((size, 0), dtype=bool)
    return WireStore(
        store.scale,
        store.sum_scale,
        store.part_ids,
        store.based_parts,
        store.wide,
        points if store.wide else narrowed(points),
        np.packbits(has, axis=None),
        store.part_sums,
        store.adjustments,
        store.tails,
        tuple(_wire_indicator(t) for t in trails),
    )


def _wire_indicator(trail: IndicatorTrail) -> WireIndicator:
    rebuild = None
    if trail.rebuild is not None:
        found = trail.rebuild
        rebuild = (found.scales, found.bounds, found.scale, found.size)
    position = None
    if trail.rebuild is None and trail.awards is not None and trail.position is not None:
        if (trail.position >= 0).any():
            position = narrowed(trail.position)
    return WireIndicator(trail.indicator.id, trail.plugin, trail.by_row_form, rebuild, position)


class Source:
    """The partition's rows on the driver, made into columns the first time a unit is explained."""

    def __init__(self, scheme: Scheme, dataset: Dataset, methods: MethodRegistry) -> None:
        from kaoping.core.columnar.engine import _unique_units

        self.scheme = scheme
        self.dataset = _unique_units(dataset)  # the dataset the worker scored
        self.methods = methods

    @cached_property
    def columns(self) -> ColumnarDataset:
        from kaoping.core.columnar.table import ColumnarDataset

        return ColumnarDataset.from_dataset(self.dataset)

    def context(self) -> ScoringContext:
        from kaoping.core.methods import ScoringContext

        return ScoringContext(scheme=self.scheme, dataset=self.dataset)


class LaterRebuild:
    """A core method's :class:`Rebuild`, made when a unit of its indicator is first explained."""

    def __init__(self, source: Source, found: tuple[tuple[int, int, bool, bool], np.ndarray, int, int]) -> None:
        self.source = source
        self.found = found
        self._rebuild: Rebuild | None = None

    def rebuild(self, indicator: Indicator) -> Rebuild:
        if self._rebuild is None:
            from kaoping.core.columnar.core_methods import VECTORISED

            method = self.source.methods.get(indicator.method)
            assert method is not None
            scales, bounds, scale, size = self.found
            vector = VECTORISED[method.name]
            source = self.source
            self._rebuild = Rebuild(source.columns, vector, source.context(), scales, bounds, scale, size)
        return self._rebuild

    def award(self, indicator: Indicator, unit: int) -> tuple[VectorAwards, int] | None:
        return self.rebuild(indicator).award(indicator, unit)

    def prepare(self, indicator: Indicator, units: np.ndarray | None, place: dict[int, int]) -> None:
        """A block of units a writer is about to explain (``read_ahead``): as :meth:`Rebuild.prepare`."""
        if units is not None or self._rebuild is not None:
            self.rebuild(indicator).prepare(indicator, units, place)


class LaterAwards:
    """A plugin's vectorised awards for the partition, computed when a unit of its indicator is first
    explained (the method run again on the partition's units, as the worker ran it)."""

    def __init__(self, source: Source, indicator: Indicator) -> None:
        self.source = source
        self.indicator = indicator
        self._awards: VectorAwards | None = None

    def _found(self) -> VectorAwards:
        if self._awards is None:
            from kaoping.core.columnar.engine import vectorised_form

            method = self.source.methods.get(self.indicator.method)
            assert method is not None
            vector = vectorised_form(method)
            rows = self.source.columns.indicator(self.indicator.id)
            assert vector is not None and rows is not None
            self._awards = vector(self.indicator, rows, self.source.context())
        return self._awards

    def inputs(self, k: int) -> dict[str, Any]:
        return self._found().inputs(k)

    def note(self, k: int) -> str:
        return self._found().note(k)


def _store(wire: WireStore, source: Source) -> CompactTrail:
    store = CompactTrail(
        scale=wire.scale,
        sum_scale=wire.sum_scale,
        part_ids=wire.part_ids,
        based_parts=wire.based_parts,
        wide=wire.wide,
    )
    size, width = wire.points.shape
    store.matrix = wire.points if wire.wide else wire.points.astype(np.int64)
    store.has_matrix = np.unpackbits(wire.has, count=size * width).astype(bool).reshape(size, width)
    by_id = {indicator.id: indicator for indicator in source.scheme.indicators}
    for k, sent in enumerate(wire.indicators):
        indicator = by_id[sent.indicator]
        rebuild: Any = None if sent.rebuild is None else LaterRebuild(source, sent.rebuild)
        position = None if sent.position is None else sent.position.astype(np.int32)
        awards: Any = None if position is None else LaterAwards(source, indicator)
        trail = IndicatorTrail(
            indicator,
            sent.plugin,
            store.matrix[:, k],
            store.has_matrix[:, k],
            position,
            awards,
            sent.by_row_form,
            rebuild,
        )
        store.indicators.append(trail)
    store.part_sums = wire.part_sums
    store.adjustments = wire.adjustments
    store.tails = wire.tails
    store.sealed = True
    return store


def narrowed(array: np.ndarray) -> np.ndarray:
    """The integers of ``array`` in the smallest signed or unsigned type that holds them."""
    if not array.size:
        return array
    low, high = int(array.min()), int(array.max())
    for dtype in (np.uint8, np.int8, np.uint16, np.int16, np.uint32, np.int32):
        info = np.iinfo(dtype)
        if info.min <= low and high <= info.max:
            return array.astype(dtype)
    return array
