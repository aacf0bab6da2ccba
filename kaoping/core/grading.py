"""Ranks, grades and quotas, on arrays.

Ranks are competition ranks (1, 2, 2, 4) on the total inside each ranked group, after the scheme's
tie-break keys (parts or indicators, in order). Groups that name the same ``pool`` are ranked and given
quota places together (units scored on different tables but competing for one set of prizes).
Grades come from, in this order:

1. vetoes that force a grade (``force_grade``);
2. absolute bands (thresholds with the source's inclusivity), else the default grade; a unit whose
   band grade a ``disqualify`` veto bars (「不得评为优秀」) takes the next grade down that no veto bars;
3. quotas, best grade first: the best-ranked eligible units of each group, up to the count (or share,
   rounded as the scheme says). With ``precedence = "bands_first"`` a unit whose band is below the
   ``quota_floor`` grade (by default the default grade) cannot take a quota place and the place passes
   down, so that a unit below the pass line never takes a prize above units that passed; a unit disqualified by a veto
   cannot either. When units tied on every key straddle the last place, ``on_tie`` decides: ``exclude``
   (no tied unit takes it; the quota is never exceeded), ``include`` (all take it), or ``error``;
4. promotions outside the quota (``promote`` vetoes, such as a direct 优秀), from any grade or only from
   the band grades the veto's ``from_grades`` lists; a disqualified unit is never promoted.

The kernel works on arrays of a batch of gradings at once: ``totals`` of shape ``(draws, units)`` and
ranking ``keys`` of shape ``(keys, draws, units)``, integers (fixed-point, exact) in the engine and the
rounded totals of each draw in the Monte Carlo path. What does not change between draws (groups, pools,
vetoes, who may take which quota) is a :class:`GradingFrame`, built once. :func:`standing` sorts (one
``np.lexsort`` on pool and keys), :func:`competition_ranks` ranks, :func:`grade_arrays` grades; the engine
(:func:`assign_ranks`, :func:`assign_grades`) and the draws of :mod:`kaoping.compare.perturb` call these same
functions. Reasons and notes are written only when asked for (the engine asks; a draw does not), and then
one text per band, not one per unit, with texts of their own only for the units a veto or quota concerns.

numpy is imported by the functions that use it, so that commands that never grade do not load it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from kaoping.core.errors import InputError
from kaoping.core.numbers import ROUNDING_MODES
from kaoping.core.results import Names, RankedText, ResultColumns, UnitResult, UnitScore, Veto
from kaoping.core.scheme import Band, Grading, Quota, Scheme
from kaoping.locale import _

if TYPE_CHECKING:
    import numpy as np


def sort_key(scheme: Scheme, result: UnitResult) -> tuple:
    """Descending total, then descending tie-break keys (one unit; the engine ranks on arrays)."""
    keys: list[Decimal] = [-result.total]
    indicators = result.score.indicator_points()
    for key in scheme.grading.tie_break:
        value = result.parts.get(key, indicators.get(key, Decimal(0)))
        keys.append(-value)
    return tuple(keys)


def band_for(scheme: Scheme, group_id: str, total: Decimal) -> Band | None:
    """The first band, in file order, that applies to the group and contains the total."""
    group = scheme.group(group_id)
    return next((b for b in scheme.grading.bands if b.applies_to(group, group_id) and b.contains(total)), None)


def ranking_pool(scheme: Scheme, group_id: str) -> str:
    """The id a unit of ``group_id`` is ranked under: the group's pool, or the group."""
    group = scheme.group(group_id)
    return group.ranking_pool if group is not None else group_id


def pool_order(scheme: Scheme) -> dict[str, int]:
    """Each ranking pool's place in the scheme: where its first group is declared."""
    order: dict[str, int] = {}
    for position, declared in enumerate(scheme.groups):
        order.setdefault(declared.ranking_pool, position)
    return order


def quota_size(quota: Quota, group: str, group_size: int) -> int:
    if group in quota.counts:
        return quota.counts[group]
    if quota.share is None:
        return 0
    return int((quota.share * group_size).quantize(Decimal(1), rounding=ROUNDING_MODES[quota.rounding]))


# ---------------------------------------------------------------------------------------------------------
# what grading needs besides the totals and keys


@attrs.frozen
class QuotaScope:
    """One quota as far as it is settled before the totals: the pools it fills (in scheme order) with how
    many units of each it counts, and which units could ever take a place (ranked, not barred, not forced)."""

    quota: Quota
    pools: tuple[tuple[int, int], ...]  # (pool code, units counted)
    candidate: np.ndarray  # bool, by position


@attrs.frozen
class GradingFrame:
    """The units as grading sees them, by position: groups, pools, vetoes. Built once per run; the
    Monte Carlo draws keep one for all their draws.

    Vetoes are few, so they stay objects, by position; everything per unit is an array.
    """

    grading: Grading
    units: Sequence[str]
    group_ids: tuple[str, ...]
    pool_ids: tuple[str, ...]
    groups: np.ndarray  # group code by position
    pools: np.ndarray  # pool code by position (the group's pool, or the group)
    graded: np.ndarray  # bool: the group is ranked, so the unit gets a grade
    ranked: np.ndarray  # bool: the unit has a rank, so it can take a quota place
    ranks: np.ndarray  # int: the rank for a quota's reason (0: none)
    unit_order: np.ndarray  # the place of each unit id in sorted order: the last key of a listing
    segment: np.ndarray  # pool code × 2 (+1 when unranked): the first sort key
    listing: np.ndarray  # positions by segment, then unit id: the order ties keep
    forced: Mapping[int, Veto]  # the worst ``force_grade`` veto of a unit
    barring: Mapping[int, tuple[Veto, ...]]  # the ``disqualify`` vetoes of a unit
    promotions: tuple[tuple[int, Veto], ...]  # ``promote`` vetoes, by position then in order
    pool_order: Mapping[str, int]
    scopes: tuple[QuotaScope, ...] = ()
    bounds: Mapping[int, tuple[int, int]] = attrs.field(factory=dict)  # segment → (start, end) in sorted order
    segment_start: np.ndarray | None = None  # by sorted place: where its segment starts

    def __len__(self) -> int:
        return len(self.units)

    def barred(self, position: int) -> frozenset[str]:
        return frozenset(g for v in self.barring.get(position, ()) for g in v.grades)


def grading_frame(
    scheme: Scheme,
    units: Sequence[str],
    groups: Sequence[str],
    ranks: Sequence[int | None] | None,
    vetoes: Mapping[int, Sequence[Veto]],
) -> GradingFrame:
    """The frame of units given by position: their ids, groups, ranks (None: not ranked; ``ranks=None``
    takes every unit of a ranked group as ranked, for ranking itself) and vetoes (only units with any)."""
    import numpy as np

    grading = scheme.grading
    interned: dict[str, int] = {}
    group_codes = np.fromiter((interned.setdefault(g, len(interned)) for g in groups), np.int64, len(groups))
    group_ids = tuple(interned)
    declared = [scheme.group(g) for g in group_ids]
    pool_index: dict[str, int] = {}
    pool_of_group = np.array(
        [pool_index.setdefault(ranking_pool(scheme, g), len(pool_index)) for g in group_ids], dtype=np.int64
    )
    graded_group = np.array([d is None or d.ranked for d in declared], dtype=bool)
    pools = pool_of_group[group_codes] if len(groups) else np.zeros(0, dtype=np.int64)
    graded = graded_group[group_codes] if len(groups) else np.zeros(0, dtype=bool)
    if ranks is None:
        ranked, rank_array = graded.copy(), np.zeros(len(units), dtype=np.int64)
    else:
        ranked = np.fromiter((r is not None for r in ranks), bool, len(ranks))
        rank_array = np.fromiter((r or 0 for r in ranks), np.int64, len(ranks))
    order_of = {grade: position for position, grade in enumerate(grading.grades)}
    forced: dict[int, Veto] = {}
    barring: dict[int, tuple[Veto, ...]] = {}
    promotions: list[tuple[int, Veto]] = []
    for position in sorted(vetoes):
        found = vetoes[position]
        forcing = [v for v in found if v.effect == "force_grade"]
        if forcing:
            forced[position] = max(forcing, key=lambda v: order_of[v.grade])
        bars = tuple(v for v in found if v.effect == "disqualify")
        if bars:
            barring[position] = bars
        promotions += [(position, v) for v in found if v.effect == "promote"]
    unit_order = np.empty(len(units), dtype=np.int64)
    unit_order[np.argsort(np.array(units, dtype=str), kind="stable")] = np.arange(len(units))
    segment = pools * 2 + ~ranked
    listing = np.lexsort((unit_order, segment))
    frame = GradingFrame(
        grading,
        units,
        group_ids,
        tuple(pool_index),
        group_codes,
        pools,
        graded,
        ranked,
        rank_array,
        unit_order,
        segment,
        listing,
        forced,
        barring,
        tuple(promotions),
        pool_order(scheme),
    )
    ordered = np.sort(segment)
    change = np.ones(len(ordered), dtype=bool)
    change[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(change)
    ends = np.append(starts[1:], len(ordered)) if len(starts) else starts
    bounds = {int(ordered[s]): (int(s), int(e)) for s, e in zip(starts, ends, strict=True)}
    segment_start = np.maximum.accumulate(np.where(change, np.arange(len(ordered)), 0)) if len(ordered) else ordered
    return attrs.evolve(frame, scopes=_quota_scopes(frame), bounds=bounds, segment_start=segment_start)


def _quota_scopes(frame: GradingFrame) -> tuple[QuotaScope, ...]:
    import numpy as np

    scopes = []
    group_ids, pool_ids = np.array(frame.group_ids, dtype=object), np.array(frame.pool_ids, dtype=object)
    for quota in frame.grading.quotas:
        counted = frame.ranked.copy()
        if quota.groups:
            in_groups = np.isin(group_ids, list(quota.groups))[frame.groups]
            counted &= in_groups | np.isin(pool_ids, list(quota.groups))[frame.pools]
        if quota.counts and not quota.share:
            counted &= np.isin(pool_ids, list(quota.counts))[frame.pools]
        candidate = counted.copy()
        candidate[list(frame.forced)] = False
        candidate[[p for p in frame.barring if quota.grade in frame.barred(p)]] = False
        sizes = np.bincount(frame.pools[counted], minlength=len(pool_ids))
        order = frame.pool_order
        pools = sorted(
            (int(code) for code in np.flatnonzero(sizes)),
            key=lambda c: (order.get(frame.pool_ids[c], len(order)), frame.pool_ids[c]),
        )
        scopes.append(QuotaScope(quota, tuple((code, int(sizes[code])) for code in pools), candidate))
    return tuple(scopes)


# ---------------------------------------------------------------------------------------------------------
# the kernel: standing, ranks, grades of a batch


def standing(frame: GradingFrame, keys: np.ndarray) -> np.ndarray:
    """Positions best first, per grading of the batch: by pool (ranked units first), then ``keys`` (shape
    ``(keys, batch, units)``, lower first), then unit id, only for a stable listing of ties. Each pool's
    units are one stretch of the result, at the same places in every row (``frame.bounds``).

    The units are taken in the frame's listing order (pool, then unit id) and sorted stably, so the unit id
    needs no sort key of its own; a single integer key and the pool are folded into one integer when they
    fit, which one stable ``argsort`` sorts several times faster than ``np.lexsort`` sorts the columns.
    """
    import numpy as np

    listing = frame.listing
    batch = keys.shape[1]
    listed = keys[:, :, listing]
    segment = frame.segment[listing]
    if len(keys) == 1 and listed.size:
        composite = _folded(listed[0], segment)
        if composite is not None:
            return listing[np.argsort(composite, axis=-1, kind="stable")]
    columns = [*listed[::-1], np.broadcast_to(segment, (batch, len(frame)))]
    return listing[np.lexsort(columns, axis=-1)]


def _folded(key: np.ndarray, segment: np.ndarray) -> np.ndarray | None:
    """``segment`` then ``key`` as one int64 (``None`` unless the key is whole numbers and both fit)."""
    import numpy as np

    if key.dtype == object:
        return None
    if key.dtype.kind == "f":
        if not np.isfinite(key).all() or np.abs(key).max() >= 2**52 or (key != np.rint(key)).any():
            return None
        key = key.astype(np.int64)
    low, high = int(key.min()), int(key.max())
    span = high - low + 1
    if span * (int(segment.max()) + 1) >= 2**62:
        return None
    return (key - low) + segment * span


def competition_ranks(frame: GradingFrame, keys: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Competition ranks (1, 2, 2, 4) within each pool on ``keys`` (ties are equal keys); 0 for a unit
    that is not ranked. ``order`` is :func:`standing`'s."""
    import numpy as np

    batch, size = order.shape
    ranks = np.zeros((batch, size), dtype=np.int64)
    if size == 0:
        return ranks
    ordered = np.take_along_axis(keys, np.broadcast_to(order, keys.shape), axis=2)
    starts = np.zeros((batch, size), dtype=bool)
    starts[:, 1:] = (ordered[:, :, 1:] != ordered[:, :, :-1]).any(axis=0)
    assert frame.segment_start is not None
    starts |= frame.segment_start == np.arange(size)
    run_start = np.maximum.accumulate(np.where(starts, np.arange(size), 0), axis=1)
    np.put_along_axis(ranks, order, run_start - frame.segment_start + 1, axis=1)
    ranks[:, ~frame.ranked] = 0
    return ranks


Bound = Any
"""A band bound in the numbers of the totals: a number, one per grading of the batch (an array), or None."""
Bounds = tuple[Bound, Bound, Bound, Bound]
"""A band's ``at_least``, ``above``, ``at_most`` and ``below``."""
QuotaSizes = Callable[[Quota, str, int], Any]
"""The places of a quota in a pool of so many counted units: an int, or one per grading of the batch."""


@attrs.frozen
class Graded:
    """A batch of gradings: grade codes ``(batch, units)`` into ``labels`` (``""`` for no grade), and for
    a single grading with ``explain``, the reasons and the notes.

    A reason is a code per unit into ``reason_texts`` (one text per band, the default grade, not graded;
    one :class:`RankedText` per quota and pool, which names the unit's rank among ``ranks``), or a text
    of its own in ``own_reasons`` for the few units a veto concerns.
    """

    codes: np.ndarray
    labels: tuple[str, ...]
    notes: list[str]
    reason_codes: np.ndarray | None = None
    reason_texts: tuple[str | RankedText, ...] = ()
    own_reasons: Mapping[int, str] = attrs.field(factory=dict)
    ranks: np.ndarray | None = None  # the ranks a RankedText names (0: none)

    def grades(self, row: int = 0) -> list[str]:
        labels = self.labels
        return [labels[c] for c in self.codes[row].tolist()]

    @property
    def reasons(self) -> list[str]:
        """The reason of every unit, as texts (empty without ``explain``)."""
        if self.reason_codes is None:
            return []
        texts, own = self.reason_texts, self.own_reasons
        ranks = self.ranks.tolist() if self.ranks is not None else [0] * len(self.reason_codes)
        found = []
        for position, code in enumerate(self.reason_codes.tolist()):
            text = own.get(position)
            if text is None:
                listed = texts[code]
                text = listed if isinstance(listed, str) else listed.text(ranks[position] or None)
            found.append(text)
        return found


def fixed_bounds(grading: Grading, scale: int) -> list[tuple[Band, Bounds]]:
    """The bands' bounds as integers at ``scale`` (which must hold every bound's decimals exactly)."""
    return [
        (band, tuple(None if v is None else int(v.scaleb(scale)) for v in _declared(band)))  # type: ignore[misc]
        for band in grading.bands
    ]


def _declared(band: Band) -> tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]:
    return (band.at_least, band.above, band.at_most, band.below)


def grade_arrays(
    frame: GradingFrame,
    totals: np.ndarray,
    keys: np.ndarray,
    bands: Sequence[tuple[Band, Bounds]],
    *,
    order: np.ndarray | None = None,
    quota_sizes: QuotaSizes = quota_size,
    explain: bool = False,
    names: Names | None = None,
) -> Graded:
    """Grade a batch: forced grades, bands, bars, quotas (with ``on_tie``), promotions.

    ``totals`` ``(batch, units)`` compare with ``bands``' bounds (same numbers: integers at one scale in
    the engine, each draw's rounded totals and drawn bounds in the Monte Carlo path). ``keys`` order units
    within a pool, lower first (ties are equal keys). ``explain`` (a batch of one) writes the reasons and
    the notes on ties and unfilled quotas; ``names`` shows veto areas and groups by the scheme's names.
    An ``on_tie = "error"`` tie raises :class:`InputError` naming the tied units, whatever ``explain``.
    """
    import numpy as np

    grading = frame.grading
    batch, size = totals.shape
    rows = np.arange(batch)[:, None]
    count = len(grading.grades)
    empty = count  # the code of "" (no grade)
    labels = [*grading.grades, ""]
    for label in (grading.default, *(b.grade for b, _b in bands), *(v.grade for v in frame.forced.values())):
        if label not in labels:
            labels.append(label)
    code_of = {label: code for code, label in enumerate(labels)}
    # a grade's place for "at this grade or better": its order, or after every grade ("" and unlisted)
    place_of = np.minimum(np.arange(len(labels)), count)
    notes: list[str] = []
    if not grading.grades:
        codes = np.full((batch, size), empty, dtype=np.int64)
        return Graded(codes, tuple(labels), notes, np.zeros(size, dtype=np.int64), ("",), {}, frame.ranks)
    order_of = {grade: position for position, grade in enumerate(grading.grades)}

    # 1-2. forced grades, bands, bars ------------------------------------------------------------------
    band_index = np.full((batch, size), -1, dtype=np.int64)
    for j, (band, (at_least, above, at_most, below)) in enumerate(bands):
        hit = band_index < 0
        if band.groups:
            applies = np.isin(np.array(frame.group_ids, dtype=object), list(band.groups))[frame.groups]
            applies |= np.isin(np.array(frame.pool_ids, dtype=object), list(band.groups))[frame.pools]
            hit &= applies
        for bound, compare in ((at_least, np.greater_equal), (above, np.greater), (at_most, np.less_equal)):
            if bound is not None:
                hit &= compare(totals, _column(bound))
        if below is not None:
            hit &= totals < _column(below)
        band_index[hit] = j
    band_codes = np.array([code_of[b.grade] for b, _b in bands] or [0])
    grades = np.where(band_index >= 0, band_codes[np.maximum(band_index, 0)], code_of[grading.default])
    ungraded = ~frame.graded
    forced = list(frame.forced)
    for position, veto in frame.forced.items():
        grades[:, position] = code_of[veto.grade]
    barred_notes: dict[int, str] = {}
    for position in frame.barring:
        if position in frame.forced or ungraded[position]:
            continue
        barred = frame.barred(position)
        moved = np.arange(len(labels))
        for grade in grading.grades:
            if grade in barred:
                below_grades = [g for g in grading.grades[order_of[grade] + 1 :] if g not in barred]
                moved[code_of[grade]] = code_of[below_grades[0]] if below_grades else code_of[grade]
        before = grades[:, position].copy()
        grades[:, position] = moved[before]
        if explain and before[0] < count and labels[before[0]] in barred:
            barred_notes[position] = _bar_note(frame, position, labels[before[0]], labels[moved[before[0]]], names)
    grades[:, ungraded] = empty
    band_grades = grades.copy()  # the band grade after bars; no band grade where forced or not graded
    band_grades[:, forced] = -1
    band_grades[:, ungraded] = -1
    # bands_first: a band below the quota floor takes no quota place ("" and unlisted grades count as 0)
    floor = order_of.get(grading.quota_floor or grading.default, count)
    band_place = np.where(band_grades >= 0, np.where(band_grades < count, band_grades, 0), 0)
    below_floor = (band_place > floor) if grading.precedence == "bands_first" else np.zeros_like(grades, bool)
    reason_codes = band_index.copy() if explain else None

    # 3. quotas, best grade first ------------------------------------------------------------------------
    if order is None:
        order = standing(frame, keys)
    quota_places: list[tuple[np.ndarray, RankedText]] = []  # who took a place, and the reason, in order
    for scope in frame.scopes:
        quota = scope.quota
        place = order_of[quota.grade]
        for pool, counted in scope.pools:
            pool_id = frame.pool_ids[pool]
            places = np.broadcast_to(np.asarray(quota_sizes(quota, pool_id, counted), dtype=np.int64), (batch,))
            if not (places > 0).any():
                continue
            start, end = frame.bounds[pool * 2]
            members = order[:, start:end]
            current = grades[rows, members]
            eligible = scope.candidate[members] & ~below_floor[rows, members] & (place_of[current] > place)
            eligible &= (places > 0)[:, None]
            taken = np.cumsum(eligible, axis=1)
            chosen = eligible & (taken <= places[:, None])
            over = np.flatnonzero(taken[:, -1] > places)
            if len(over):
                chosen[over] = _decide_ties(
                    frame, quota, pool_id, keys, members[over], eligible[over], taken[over], places[over],
                    chosen[over], over, notes if explain else None, names,
                )  # fmt: skip
            grades[rows, members] = np.where(chosen, place, current)
            if explain:
                filled = int(chosen[0].sum())
                reason = RankedText(
                    _("{grade} quota: top {size} of {group} (rank {rank})"),
                    (("grade", quota.grade), ("size", int(places[0])), ("group", _group(names, pool_id))),
                )
                quota_places.append((members[0][chosen[0]], reason))
                if filled < places[0]:
                    notes.append(
                        _("group {group}: {filled} of {size} {grade} places filled").format(
                            group=_group(names, pool_id), filled=filled, size=int(places[0]), grade=quota.grade
                        )
                    )

    # 4. promotions outside the quota --------------------------------------------------------------------
    promoted: dict[int, str] = {}
    for position, veto in frame.promotions:
        if veto.grade in frame.barred(position):
            continue
        moves = order_of[veto.grade] < place_of[grades[:, position]]
        if veto.from_grades:
            from_codes = [code_of[g] for g in veto.from_grades if g in code_of]
            moves &= np.isin(band_grades[:, position], from_codes)
        grades[moves, position] = order_of[veto.grade]
        if explain and moves[0]:
            promoted[position] = _("{area}: promoted to {grade} outside the quota").format(
                area=_area(names, veto.area), grade=veto.grade
            )

    if not explain:
        return Graded(grades, tuple(labels), notes)
    assert reason_codes is not None
    codes, texts, own = _reasons(frame, bands, reason_codes[0], names)
    for position, text in barred_notes.items():
        own[position] = texts[codes[position]] + text  # type: ignore[operator]  # a band's text: a str
    for taken, reason in quota_places:
        codes[taken] = len(texts)
        texts.append(reason)
        for position in taken.tolist():
            own.pop(position, None)
    own.update(promoted)
    return Graded(grades, tuple(labels), notes, codes, tuple(texts), own, frame.ranks)


def _column(bound: Bound) -> Any:
    """A bound against ``(batch, units)`` totals: a number as it is, one per grading as a column."""
    import numpy as np

    return bound[:, None] if isinstance(bound, np.ndarray) and bound.ndim == 1 else bound


def _decide_ties(
    frame: GradingFrame,
    quota: Quota,
    pool: str,
    keys: np.ndarray,
    members: np.ndarray,
    eligible: np.ndarray,
    taken: np.ndarray,
    places: np.ndarray,
    chosen: np.ndarray,
    rows: np.ndarray,
    notes: list[str] | None,
    names: Names | None,
) -> np.ndarray:
    """The gradings whose eligible units outnumber the places: decide a tie at the last place."""
    import numpy as np

    grading = frame.grading
    last = np.argmax(eligible & (taken == places[:, None]), axis=1)  # the place of the last place's unit
    boundary = keys[:, rows, members[np.arange(len(members)), last]]  # (keys, gradings)
    tied = eligible & (keys[:, rows[:, None], members] == boundary[:, :, None]).all(axis=0)
    tied_out = tied & (taken > places[:, None])
    ties = tied_out.any(axis=1)
    if not ties.any():
        return chosen
    first = int(np.flatnonzero(ties)[0])
    listed = ", ".join(frame.units[p] for p in members[first][tied[first]].tolist())
    if grading.on_tie == "error":
        raise InputError(
            _(
                "group {group_id}: units {names} tie for the last {grade} place; break the tie "
                "in the data or set grading.on_tie"
            ).format(group_id=_group(names, pool), names=listed, grade=quota.grade)
        )
    if grading.on_tie == "exclude":
        chosen = np.where(ties[:, None], chosen & ~tied, chosen)
        text = _("group {group}: {names} tie for the last {grade} place; none takes it (on_tie = exclude)")
    else:
        chosen = np.where(ties[:, None], chosen | tied, chosen)
        text = _("group {group}: {names} tie for the last {grade} place; all take it (on_tie = include)")
    if notes is not None:
        notes.append(text.format(group=_group(names, pool), names=listed, grade=quota.grade))
    return chosen


def _reasons(
    frame: GradingFrame, bands: Sequence[tuple[Band, Bounds]], band_index: np.ndarray, names: Names | None
) -> tuple[np.ndarray, list[str | RankedText], dict[int, str]]:
    """The reason of each unit: its band's (one text per band), the default grade's, not graded (codes into
    the texts), or its forcing veto's (a text of its own)."""
    import numpy as np

    texts: list[str | RankedText] = [
        _("score band for {grade}").format(grade=band.grade)
        + (_(": {quote}").format(quote=band.quote) if band.quote else "")
        for band, _bounds in bands
    ]
    texts.append(_("default grade"))  # band index -1
    texts.append(_("not graded: the group is not ranked"))
    codes = np.where(band_index >= 0, band_index, len(bands))
    codes[~frame.graded] = len(bands) + 1
    own = {
        position: _("veto {area}: forced to {grade}").format(area=_area(names, veto.area), grade=veto.grade)
        for position, veto in sorted(frame.forced.items())
        if frame.graded[position]
    }
    return codes, texts, own


def _bar_note(frame: GradingFrame, position: int, previous: str, grade: str, names: Names | None) -> str:
    """What a ``disqualify`` veto did to a band grade: moved it down, or could not (no allowed grade below).

    A bar is on the grade, not only on a quota place: a unit barred from 优秀 whose score falls in the
    优秀 band is graded 良好 (or lower, when that is barred too). With no allowed grade below, the grade stays
    and the reason says so, so that the conflict is visible rather than silently resolved.
    """
    vetoes = frame.barring.get(position, ())
    areas = "、".join(_area(names, a) for a in sorted({v.area for v in vetoes if previous in v.grades}))
    if grade == previous:
        return _("; {areas} bars {grade} but no lower grade is allowed").format(areas=areas, grade=previous)
    return _("; veto {areas}: barred from {previous}, graded {grade}").format(
        areas=areas, previous=previous, grade=grade
    )


def _area(names: Names | None, area: str) -> str:
    return names.veto(area) if names is not None else area


def _group(names: Names | None, group: str) -> str:
    return names.group(group) if names is not None else group


# ---------------------------------------------------------------------------------------------------------
# the engine: exact totals and keys of a run's results, as integers


def _fixed_columns(scheme: Scheme, scores: Sequence[UnitScore]) -> tuple[np.ndarray, int, np.ndarray]:
    """The totals as integers at one scale (which holds every band bound too), that scale, and the
    ranking keys ``(keys, 1, units)``, lower first: exact, whatever the decimals."""
    import numpy as np

    from kaoping.core.columnar.trail import array_columns

    found = array_columns(scores, scheme.grading.tie_break)
    if found is not None:
        totals, scale, breaks = found
    else:
        totals_dec = [s.total for s in scores]
        indicators = [s.indicator_points() for s in scores] if scheme.grading.tie_break else []
        parts = [s.parts for s in scores] if scheme.grading.tie_break else []
        scale = max((_decimals(v) for v in totals_dec), default=0)
        totals = _ints(totals_dec, scale)
        breaks = []
        for key in scheme.grading.tie_break:
            values = [p.get(key, i.get(key, Decimal(0))) for p, i in zip(parts, indicators, strict=True)]
            breaks.append(_ints(values, max((_decimals(v) for v in values), default=0)))
    bound_scale = max((_decimals(v) for b in scheme.grading.bands for v in _declared(b) if v is not None), default=0)
    if bound_scale > scale:
        totals = _ints([Decimal(int(v)).scaleb(-scale) for v in totals.tolist()], bound_scale)
        scale = bound_scale
    keys = np.stack([_ordinal(-totals), *(_ordinal(-b) for b in breaks)])[:, None, :]
    return totals[None, :], scale, keys


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def _ints(values: Sequence[Decimal], scale: int) -> np.ndarray:
    """Decimals as integers at ``scale``: int64 when they fit, else Python ints (exact either way)."""
    import numpy as np

    ints = [int(v.scaleb(scale)) for v in values]
    if all(-(2**62) < i < 2**62 for i in ints):
        return np.array(ints, dtype=np.int64)
    return np.array(ints, dtype=object)


def _ordinal(values: np.ndarray) -> np.ndarray:
    """Values as they are for sorting when int64; beyond int64, their dense ranks (same order and ties)."""
    import numpy as np

    if values.dtype != object:
        return values
    return np.unique(values, return_inverse=True)[1].astype(np.int64)


def _ranks(scheme: Scheme, frame: GradingFrame, keys: np.ndarray) -> np.ndarray:
    return competition_ranks(frame, keys, standing(frame, keys))[0]


def _grade(scheme: Scheme, frame: GradingFrame, totals: np.ndarray, scale: int, keys: np.ndarray) -> Graded:
    bands = fixed_bounds(scheme.grading, scale)
    return grade_arrays(frame, totals, keys, bands, explain=True, names=scheme.names())


def grade_results(
    scheme: Scheme,
    units: Sequence[str],
    names: Sequence[str],
    groups: Sequence[str],
    scores: Sequence[UnitScore],
    vetoes: Mapping[int, list[Veto]],
) -> tuple[ResultColumns, list[str]]:
    """Rank and grade a run's units (given by position, ``vetoes`` only for units with any) into
    :class:`ResultColumns`, in the order given, and the notes about ties and unfilled quotas.

    What :func:`assign_ranks` and :func:`assign_grades` do to a list of results, on arrays: no object per unit
    (the ids, names and scores are the caller's, referred to)."""
    import numpy as np

    size = len(units)
    frame = grading_frame(scheme, units, groups, None, vetoes)
    if size:
        totals, scale, keys = _fixed_columns(scheme, scores)
        ranks = _ranks(scheme, frame, keys)
    else:
        ranks = np.zeros(0, dtype=np.int64)
    notes: list[str] = []
    labels: list[str] = [""]
    grades = np.zeros(size, dtype=np.int64)
    texts: list[str | RankedText] = [""]
    reasons = np.zeros(size, dtype=np.int64)
    own: dict[int, str] = {}
    if scheme.grading.grades and size:
        # ranked as the frame took them (every unit of a ranked group); now with the ranks a reason names
        frame = attrs.evolve(frame, ranks=ranks)
        outcome = _grade(scheme, frame, totals, scale, keys)
        labels, grades, notes = list(outcome.labels), outcome.codes[0], outcome.notes
        assert outcome.reason_codes is not None
        texts, reasons, own = list(outcome.reason_texts), outcome.reason_codes, dict(outcome.own_reasons)
    columns = ResultColumns(
        list(units),
        list(names),
        list(scores),
        list(frame.group_ids),
        _narrow(frame.groups),
        ranks,
        labels,
        _narrow(grades),
        texts,
        _narrow(reasons),
        own,
        {position: found for position, found in vetoes.items() if found},
    )
    return columns, notes


def _narrow(codes: np.ndarray) -> np.ndarray:
    """Codes into a small table in the narrowest integers that hold them."""
    import numpy as np

    top = int(codes.max()) if len(codes) else 0
    for kind in (np.int8, np.int16, np.int32):
        if top <= np.iinfo(kind).max:
            return codes.astype(kind)
    return codes


def assign_ranks(scheme: Scheme, results: Sequence[UnitResult]) -> None:
    """Competition ranks within each ranked group (or pool); unranked groups get ``None``."""
    if not results:
        return
    frame = _results_frame(scheme, results, ranking=True)
    _totals, _scale, keys = _fixed_columns(scheme, [r.score for r in results])
    for result, rank in zip(results, _ranks(scheme, frame, keys).tolist(), strict=True):
        result.rank = rank or None


def assign_grades(scheme: Scheme, results: Sequence[UnitResult]) -> list[str]:
    """Set each result's grade and reason; return notes about ties and unfilled quotas."""
    if not scheme.grading.grades or not results:
        return []
    frame = _results_frame(scheme, results, ranking=False)
    totals, scale, keys = _fixed_columns(scheme, [r.score for r in results])
    outcome = _grade(scheme, frame, totals, scale, keys)
    for result, grade, reason in zip(results, outcome.grades(), outcome.reasons, strict=True):
        result.grade, result.grade_reason = grade, reason
    return outcome.notes


def _results_frame(scheme: Scheme, results: Sequence[UnitResult], *, ranking: bool) -> GradingFrame:
    vetoes = {position: r.vetoes for position, r in enumerate(results) if r.vetoes}
    ranks = None if ranking else [r.rank for r in results]
    return grading_frame(scheme, [r.unit for r in results], [r.group for r in results], ranks, vetoes)
