"""Caps and floors on arrays: ``[[caps]]`` over indicators, then the parts closed, then ``[[caps]]`` over parts.

The same corrections as the scheme's order of operations (:mod:`kaoping.core.scoring`) prescribes, each a
correcting trail entry (:func:`kaoping.core.rule_limits.cap_correction`, the entries of
:mod:`kaoping.core.scoring`) written only for the units a limit changes; sums and comparisons are on
integer arrays at the part sums' scale (``CompactTrail.sum_scale``: the precision, or finer where a base,
cap, floor or limit is finer, or where an entry added before the parts close is finer).
"""

from __future__ import annotations

import numpy as np

from kaoping.core.columnar.fixed import INT64_SAFE, decimals
from kaoping.core.columnar.table import ColumnarDataset
from kaoping.core.columnar.trail import CompactTrail
from kaoping.core.numbers import ZERO
from kaoping.core.rule_limits import cap_correction
from kaoping.core.scheme import Scheme
from kaoping.core.scoring import _cap_entry, floor_entries


class Wide(Exception):
    """Raised when a number of the run may leave the int64 range: the run starts again on Python integers."""


def limit_scales(scheme: Scheme) -> list[int]:
    """Decimals of every number that enters a part sum unrounded: bases, caps, floors and cap limits."""
    found = [0]
    for part in scheme.parts:
        found += [decimals(v) for v in (part.base, part.cap, part.floor) if v is not None]
    found += [decimals(r.cap) for r in scheme.rules if r.cap is not None]
    found += [decimals(c.limit(scheme)) for c in scheme.caps]
    return found


def _fits(*bounds: int) -> None:
    """Raise :class:`Wide` unless a sum of numbers each at most the given sizes stays inside int64."""
    if sum(bounds) >= INT64_SAFE:
        raise Wide


def _sum(arrays: list[np.ndarray]) -> np.ndarray:
    """The element-wise sum of arrays of one shape (int64 or Python integers), in their order."""
    total = arrays[0].copy()
    for array in arrays[1:]:
        total += array
    return total


def _above(values: np.ndarray, bound: int) -> np.ndarray:
    """Where ``values`` (int64 or Python integers) pass ``bound``, as a boolean mask."""
    return np.asarray(values > bound, dtype=bool)


def _largest(array: np.ndarray) -> int:
    return int(np.abs(array).max(initial=0)) if len(array) else 0


def cap_indicators(scheme: Scheme, store: CompactTrail) -> None:
    """``[[caps]]`` over indicators: where the combined points of a unit's entries pass the limit, a
    correction in the part of the first capped indicator it has; an enclosing cap sees the capped amount."""
    caps = [c for c in scheme.caps if c.indicators]
    trails = {t.indicator.id: t for t in store.indicators}
    if not caps or not trails:
        return
    part_of = {i.id: i.part for i in scheme.indicators}
    widen = 10 ** (store.sum_scale - store.scale)
    working: dict[str, np.ndarray] = {}  # points at the sum scale, as earlier caps left them
    for cap in caps:
        listed = [i for i in cap.indicators if i in trails]
        if not listed:
            continue
        limit = cap.limit(scheme)
        bound = int(limit.scaleb(store.sum_scale))
        if not store.wide:
            _fits(*(2 * _largest(trails[i].points) * widen for i in listed), 2 * abs(bound))
        for indicator in listed:
            if indicator not in working:
                working[indicator] = trails[indicator].points * widen
        has = np.stack([trails[i].has for i in listed])
        total = _sum([np.where(trails[i].has, working[i], 0) for i in listed])
        first = np.argmax(has, axis=0)
        for unit in np.flatnonzero(has.any(axis=0) & _above(total, bound)).tolist():
            head = listed[int(first[unit])]
            points = store.decimal(int(total[unit]))
            store.tails.setdefault(unit, []).append(cap_correction(cap, part_of[head], points, limit))
            working[head][unit] += bound - int(total[unit])


def close_parts(
    scheme: Scheme, columns: ColumnarDataset, group_parts: list[tuple[str, ...]], store: CompactTrail
) -> None:
    """Part sums from the arrays and the sparse entries, then base, cap, floor and overflow per part, then
    ``[[caps]]`` over parts; the sums and totals are left in ``store``."""
    entries = [e for tail in store.tails.values() for e in tail]
    store.sum_scale = max([store.sum_scale, *(decimals(e.points) for e in entries)])
    size, widen = len(columns), 10 ** (store.sum_scale - store.scale)
    if not store.wide:
        limits = [v for p in scheme.parts for v in (p.base, p.cap, p.floor) if v is not None]
        limits += [c.limit(scheme) for c in scheme.caps]
        _fits(
            sum(_largest(t.points) for t in store.indicators) * widen,
            sum(abs(int(e.points.scaleb(store.sum_scale))) for e in entries),
            4 * sum(abs(int(v.scaleb(store.sum_scale))) for v in limits),
        )
    kind = object if store.wide else np.int64
    part_index = {p: j for j, p in enumerate(store.part_ids)}
    sums = np.zeros((size, len(store.part_ids)), dtype=kind)
    adjustments = np.zeros(size, dtype=kind)
    for trail in store.indicators:
        sums[:, part_index[trail.indicator.part]] += trail.points * widen
    for unit, tail in store.tails.items():
        for entry in tail:
            value = int(entry.points.scaleb(store.sum_scale))
            if entry.part is None:
                adjustments[unit] += value
            else:
                sums[unit, part_index[entry.part]] += value
    scored_by_part = {
        part.id: np.isin(columns.groups, [g for g, parts in enumerate(group_parts) if part.id in parts])
        for part in scheme.parts
    }
    for j, part in enumerate(scheme.parts):
        scored = scored_by_part[part.id]
        column = sums[:, j]
        if part.base:
            column[scored] += int(part.base.scaleb(store.sum_scale))
        if part.cap is not None:
            limit = int(part.cap.scaleb(store.sum_scale))
            for position in np.flatnonzero(scored & (column > limit)).tolist():
                points = store.decimal(int(column[position]))
                entry = _cap_entry(
                    f"{part.id}.cap", part.name, part.id, points, part.cap, part.cap - points, part.quote
                )
                store.tails.setdefault(position, []).append(entry)
                column[position] = limit
        if part.floor is not None:
            limit = int(part.floor.scaleb(store.sum_scale))
            for position in np.flatnonzero(scored & (column < limit)).tolist():
                found = floor_entries(part, store.decimal(int(column[position])))
                store.tails.setdefault(position, []).extend(found)
                for entry in found[1:]:  # the overflow into the total
                    adjustments[position] += int(entry.points.scaleb(store.sum_scale))
                column[position] = limit
    _cap_parts(scheme, store, sums, scored_by_part)
    store.part_sums, store.adjustments = sums, adjustments


def _cap_parts(scheme: Scheme, store: CompactTrail, sums: np.ndarray, scored_by_part: dict[str, np.ndarray]) -> None:
    """``[[caps]]`` over parts (after each part's own cap and floor): the excess is taken from the listed
    parts from the last one back, each down to its floor (or 0), so no part leaves its own bounds."""
    floors = {p.id: int((p.floor if p.floor is not None else ZERO).scaleb(store.sum_scale)) for p in scheme.parts}
    part_index = {p: j for j, p in enumerate(store.part_ids)}
    for cap in (c for c in scheme.caps if c.parts):
        limit = cap.limit(scheme)
        bound = int(limit.scaleb(store.sum_scale))
        total = _sum([np.where(scored_by_part[p], sums[:, part_index[p]], 0) for p in cap.parts])
        for unit in np.flatnonzero(_above(total, bound)).tolist():
            points = store.decimal(int(total[unit]))
            excess = int(total[unit]) - bound
            for part in reversed([p for p in cap.parts if scored_by_part[p][unit]]):
                if excess <= 0:
                    break
                j = part_index[part]
                taken = min(excess, max(int(sums[unit, j]) - floors[part], 0))
                if taken:
                    correction = -store.decimal(taken)
                    store.tails.setdefault(unit, []).append(cap_correction(cap, part, points, limit, correction))
                    sums[unit, j] -= taken
                    excess -= taken
