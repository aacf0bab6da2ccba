"""The columnar scorer: the row engine's order of operations on arrays, and the choice between the two.

Same steps as :mod:`kaoping.core.scoring` (its docstring lists them), same numbers to the cent:

1. every indicator's vectorised method scores all units at once; its exact fractions are rounded to the
   scheme precision in integers; the few units it leaves to the row form are scored by the registered
   row method on their own rows (problems, and quotients decimal arithmetic would round onto a boundary);
2. events go through the row engine's rule steps (they are sparse: a few per unit at most) into the
   units' sparse entries, with per-rule and group caps and their correcting entries;
3. vetoes that cost points enter their part;
4. per part, on arrays: the base, the part cap, the floor and the overflow into the total; a correcting
   entry is written only for the units a cap or floor changes.

Any problem (an out-of-range value, a missing row) sends the whole run to the row engine, which words and
lists every problem exactly as before; a run with problems stops anyway, so nothing is lost in speed.

``KAOPING_ENGINE`` chooses: ``rows`` (the row engine), ``arrays`` (this engine, with row-based methods
through the adapter), unset or ``auto`` (this engine when every indicator method of the scheme has a
vectorised form, else the row engine).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from kaoping.core import progress
from kaoping.core.columnar.core_methods import VECTORISED
from kaoping.core.columnar.fixed import INT64_SAFE, as_ints, decimals, on_boundary, round_div, scale_of
from kaoping.core.columnar.table import ColumnarDataset
from kaoping.core.columnar.trail import CompactTrail, CompactUnitScore, IndicatorTrail, Rebuild
from kaoping.core.columnar.vector import VectorAwards, VectorFn, adapted
from kaoping.core.engine_choice import ENGINE_ENV, local_engine
from kaoping.core.methods import Method, MethodRegistry, ScoringContext
from kaoping.core.models import Dataset
from kaoping.core.results import ScoreTable, Veto
from kaoping.core.scheme import Indicator, Scheme
from kaoping.core.scoring import (
    _apply_veto_deductions,
    _cap_entry,
    _has_required,
    _score_rules,
    floor_entries,
    score_dataset,
    scores_indicator,
)
from kaoping.locale import _


def engine_setting() -> str:
    """The local engine asked for (``auto`` when unset; under ``dask``, each partition's ``auto``)."""
    return local_engine()


def vectorised_form(method: Method) -> VectorFn | None:
    """A method's vectorised form: its own (``Method.vectorised``), or the core's for a core method."""
    if method.vectorised is not None:
        return method.vectorised
    if method.plugin == "builtin":
        return VECTORISED.get(method.name)
    return None


def uses_cross_unit_limits(scheme: Scheme) -> bool:
    """Limits the row engine applies across units or over several parts (kaoping.core.rule_limits): bonuses
    kept only where others were deducted or for a share of units, caps over indicators, parts or a share of
    an item's points. The columnar engine has no form of them yet, so such a scheme is scored on rows."""
    rules = any(r.only_if_deducted is not None or r.at_most_share is not None for r in scheme.rules)
    caps = any(c.indicators or c.parts or c.share is not None for c in scheme.caps)
    return rules or caps


def uses_arrays(scheme: Scheme, registry: MethodRegistry, setting: str) -> bool:
    """Whether the columnar engine scores this scheme under ``setting``."""
    if setting == "rows" or scale_of(scheme.precision) is None or uses_cross_unit_limits(scheme):
        return False
    if setting == "arrays":
        return True
    for indicator in scheme.indicators:
        found = registry.get(indicator.method)
        if found is None or vectorised_form(found) is None:
            return False
    return True


def score(scheme: Scheme, dataset: Dataset, registry: MethodRegistry, vetoes: Sequence[Veto] = ()) -> ScoreTable:
    """Score with the engine ``KAOPING_ENGINE`` chooses; the same table, to the cent, either way."""
    setting = engine_setting()
    if uses_arrays(scheme, registry, setting):
        table = score_columnar(scheme, dataset, registry, vetoes)
        if table is not None:
            return table
    table = score_dataset(scheme, dataset, registry, vetoes)
    if setting != "rows" and os.environ.get("KAOPING_DEBUG"):
        table.notes.append(f"engine: rows ({ENGINE_ENV}={setting})")
    return table


# ---------------------------------------------------------------------------------------------------------


def score_columnar(
    scheme: Scheme, dataset: Dataset, registry: MethodRegistry, vetoes: Sequence[Veto] = ()
) -> ScoreTable | None:
    """Score on arrays; None when the run has a problem (or numbers beyond int64) for the row engine."""
    scale = scale_of(scheme.precision)
    assert scale is not None
    columns = ColumnarDataset.from_dataset(dataset)
    if len(columns.unit_index) != len(columns):
        return None  # duplicate unit ids: validation's problem, worded by the row engine
    sum_scale = max(scale, *_scales_of_limits(scheme))
    store = CompactTrail(
        scale=scale,
        sum_scale=sum_scale,
        part_ids=tuple(p.id for p in scheme.parts),
        based_parts=tuple(p for p in scheme.parts if p.base),
    )
    group_parts = [scheme.group_parts(g) for g in columns.group_ids]
    scores = {
        unit_id: CompactUnitScore(store, index, unit_id, group_parts[columns.groups[index]])
        for index, unit_id in enumerate(columns.unit_ids)
    }
    table = ScoreTable(scores)  # type: ignore[arg-type]  # CompactUnitScore reads as UnitScore
    ctx = ScoringContext(scheme=scheme, dataset=dataset)
    sizes = np.bincount(np.asarray(columns.groups), minlength=len(columns.group_ids))
    scored = {  # units scored on each indicator, as the row engine counts them for the progress bar
        indicator.id: sum(
            int(sizes[g])
            for g, group_id in enumerate(columns.group_ids)
            if scores_indicator(scheme, group_id, indicator, tuple(group_parts[g]))
        )
        for indicator in scheme.indicators
    }
    with progress.task(_("units scored, indicator by indicator"), sum(scored.values())) as advance:
        for indicator in scheme.indicators:
            trail = _score_indicator(scheme, indicator, columns, group_parts, registry, ctx)
            if ctx.problems or trail is False:
                return None
            if trail is not None and not isinstance(trail, bool):
                store.keep(trail, len(scheme.indicators))
            advance(scored[indicator.id])
    _score_rules(scheme, dataset, registry, ctx, table)
    _apply_veto_deductions(scheme, vetoes, ctx, table)
    if ctx.problems:
        return None
    if not _close_parts(scheme, columns, group_parts, store):
        return None
    store.seal()
    return table


def _scales_of_limits(scheme: Scheme) -> list[int]:
    """Decimals of every number that enters a part sum unrounded: bases, caps and floors."""
    found = [0]
    for part in scheme.parts:
        found += [decimals(v) for v in (part.base, part.cap, part.floor) if v is not None]
    found += [decimals(r.cap) for r in scheme.rules if r.cap is not None]
    found += [decimals(c.max) for c in scheme.caps if c.max is not None]
    return found


def _score_indicator(
    scheme: Scheme,
    indicator: Indicator,
    columns: ColumnarDataset,
    group_parts: list[tuple[str, ...]],
    registry: MethodRegistry,
    ctx: ScoringContext,
) -> IndicatorTrail | bool | None:
    """One indicator's trail; None when it gives no entries; False when the arrays cannot hold it."""
    scored_groups = [
        code
        for code, group in enumerate(columns.group_ids)
        if scores_indicator(scheme, group, indicator, group_parts[code])
    ]
    scored = np.isin(columns.groups, scored_groups)
    rows = columns.indicator(indicator.id)
    present = np.zeros(len(columns), dtype=bool)
    if rows is not None:
        present[rows.units] = True
    present &= scored
    if not _has_required(indicator, ctx, bool(present.any())):
        return None
    missing = scored & ~present
    if missing.any() and not indicator.optional:
        return False  # validation's problem, worded by the row engine
    method = registry.get(indicator.method)
    assert method is not None  # bound schemes only name registered methods
    size = len(columns)
    points = np.zeros(size, dtype=np.int64)
    position = np.full(size, -1, dtype=np.int32)
    by_row_form = {}
    awards: VectorAwards | None = None
    rebuild: Rebuild | None = None
    if rows is not None and present.any():
        vector = vectorised_form(method) or adapted
        if method.vectorised is None and VECTORISED.get(method.name) is vector:
            rebuild = Rebuild.over(columns, rows, vector, ctx, ctx_scale(scheme))
        awards = vector(indicator, rows, ctx)
        rounded = _rounded(awards, scheme, ctx)
        if rounded is None:
            return False
        keep = scored[awards.units]
        if awards.inexact is not None:
            hard = awards.inexact & on_boundary(awards.num, awards.den, ctx_scale(scheme))
            keep &= ~hard
            leftover = np.concatenate([awards.rows_for, awards.units[hard]])
        else:
            leftover = awards.rows_for
        kept = awards.units[keep]
        points[kept] = rounded[keep]
        position[kept] = np.flatnonzero(keep)
        leftover = leftover[scored[leftover]] if len(leftover) else leftover
        if len(leftover):
            found = method.fn(indicator, columns.rows_of(rows, leftover), ctx)
            for unit_id, award in found.items():
                unit = columns.unit_index[unit_id]
                value = ctx.round(award.points)
                points[unit] = int(value.scaleb(ctx_scale(scheme)))
                by_row_form[unit] = award
            if ctx.problems:
                return False
    has = present.copy()
    if indicator.optional:
        has |= missing  # 0 points, with the note that the indicator is optional
    if np.abs(points).max(initial=0) >= INT64_SAFE // max(len(scheme.indicators), 1):
        return False
    plugin = method.plugin or "builtin"
    if rebuild is not None:  # the method runs again for the units explained: keep none of its arrays
        columns.forget(indicator.id)
        return IndicatorTrail(indicator, plugin, points, has, None, None, by_row_form, rebuild)
    return IndicatorTrail(indicator, plugin, points, has, position, awards, by_row_form)


def ctx_scale(scheme: Scheme) -> int:
    scale = scale_of(scheme.precision)
    assert scale is not None
    return scale


def _rounded(awards: VectorAwards, scheme: Scheme, ctx: ScoringContext) -> np.ndarray | None:
    """The awards' exact fractions rounded to the scheme precision, as int64 (None beyond its range)."""
    if len(awards.units) == 0:
        return np.zeros(0, dtype=np.int64)
    rounded = as_ints(round_div(awards.num * 10 ** ctx_scale(scheme), awards.den, scheme.rounding))
    return None if rounded.dtype == object else rounded


def _close_parts(
    scheme: Scheme, columns: ColumnarDataset, group_parts: list[tuple[str, ...]], store: CompactTrail
) -> bool:
    """Part sums from the arrays and the sparse entries, then base, cap, floor and overflow per part."""
    size, widen = len(columns), 10 ** (store.sum_scale - store.scale)
    part_index = {p: j for j, p in enumerate(store.part_ids)}
    sums = np.zeros((size, len(store.part_ids)), dtype=np.int64)
    adjustments = np.zeros(size, dtype=np.int64)
    for trail in store.indicators:
        sums[:, part_index[trail.indicator.part]] += trail.points * widen
    for unit, entries in store.tails.items():
        for entry in entries:
            value = int(entry.points.scaleb(store.sum_scale))
            if store.decimal(value) != entry.points:
                return False  # finer than any limit of the scheme: only a plugin's entry can be
            if entry.part is None:
                adjustments[unit] += value
            else:
                sums[unit, part_index[entry.part]] += value
    for j, part in enumerate(scheme.parts):
        scored = np.isin(columns.groups, [g for g, parts in enumerate(group_parts) if part.id in parts])
        column = sums[:, j]
        if part.base:
            column[scored] += int(part.base.scaleb(store.sum_scale))
        if part.cap is not None:
            limit = int(part.cap.scaleb(store.sum_scale))
            for position in np.flatnonzero(scored & (column > limit)):
                points = store.decimal(column[position])
                entry = _cap_entry(
                    f"{part.id}.cap", part.name, part.id, points, part.cap, part.cap - points, part.quote
                )
                store.tails.setdefault(int(position), []).append(entry)
                column[position] = limit
        if part.floor is not None:
            limit = int(part.floor.scaleb(store.sum_scale))
            for position in np.flatnonzero(scored & (column < limit)):
                entries = floor_entries(part, store.decimal(column[position]))
                store.tails.setdefault(int(position), []).extend(entries)
                for entry in entries[1:]:  # the overflow into the total
                    adjustments[position] += int(entry.points.scaleb(store.sum_scale))
                column[position] = limit
    store.part_sums, store.adjustments = sums, adjustments
    return True
