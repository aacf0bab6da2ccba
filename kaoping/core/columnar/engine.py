"""The scoring engine: the documented order of operations on arrays, exact to the cent.

The steps (:mod:`kaoping.core.scoring` documents them; the rule steps, vetoes and entries are its shared
functions):

1. every indicator's vectorised method scores all units at once; its exact fractions are rounded to the
   scheme precision in integers; the few units it leaves to the row form are scored by the registered
   row method on their own rows (problems, and quotients decimal arithmetic would round onto a boundary);
   a method without a vectorised form goes through the adapter (every unit to its row form, in one call);
   then ``[[caps]]`` over indicators, on the points arrays;
2. events go through the rule steps (they are sparse: a few per unit at most) into the units' sparse
   entries: exemption, joint split, sign, rounding, same matter once, the bonus limits across units
   (``only_if_deducted``, ``at_most_share``), per-rule and group caps;
3. vetoes that cost points enter their part;
4. per part, on arrays: the base, the part cap, the floor and the overflow into the total, then
   ``[[caps]]`` over several parts; a correcting entry is written only for the units a cap or floor changes
   (:mod:`kaoping.core.columnar.closing`).

Problems are collected, not stopped at: an indicator whose methods report one is scored again by its row
form on every unit's rows, in the order units are listed by group, so the problems have the words and the
order they always had, and the other indicators and the rules are scored on, so that every problem of the
run is listed at once (then :class:`InputError` is raised). Warnings are listed in the table's warnings.

Numbers beyond ``int64`` (a point count past 2⁶² / indicators, a part sum that could leave the range) make
the run start again with every array of Python integers (``dtype=object``): slower, exact, the same
results. A precision coarser than 1 (``1E+1``) is a negative scale: points count tens.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np

from kaoping.core import progress
from kaoping.core.columnar.closing import Wide, cap_indicators, close_parts, limit_scales
from kaoping.core.columnar.core_methods import VECTORISED
from kaoping.core.columnar.fixed import INT64_SAFE, as_ints, on_boundary, round_div
from kaoping.core.columnar.table import ColumnarDataset, IndicatorColumns
from kaoping.core.columnar.trail import CompactTrail, CompactUnitScore, IndicatorTrail, Rebuild
from kaoping.core.columnar.vector import VectorAwards, VectorFn, adapted
from kaoping.core.engine_choice import ENGINE_ENV, engine_setting
from kaoping.core.errors import InputError, split_problems
from kaoping.core.methods import Award, Method, MethodRegistry, ScoringContext
from kaoping.core.models import Dataset
from kaoping.core.results import ScoreTable, Veto
from kaoping.core.scheme import Indicator, Scheme
from kaoping.core.scoring import _apply_veto_deductions, _has_required, _score_rules, scores_indicator
from kaoping.locale import _

__all__ = ["ENGINE_ENV", "all_vectorised", "precision_scale", "row_forms_only", "score", "vectorised_form"]

# set by row_forms_only(): every method goes through the adapter (the conformance check compares)
_ROW_FORMS: ContextVar[bool] = ContextVar("kaoping_row_forms", default=False)


def vectorised_form(method: Method) -> VectorFn | None:
    """A method's vectorised form: its own (``Method.vectorised``), or the core's for a core method."""
    if _ROW_FORMS.get():
        return None
    if method.vectorised is not None:
        return method.vectorised
    if method.plugin == "builtin":
        return VECTORISED.get(method.name)
    return None


@contextmanager
def row_forms_only() -> Iterator[None]:
    """Score with every method's row form through the adapter, for the length of the block: what the
    conformance check ``engines-identical`` compares a plugin's vectorised forms against."""
    token = _ROW_FORMS.set(True)
    try:
        yield
    finally:
        _ROW_FORMS.reset(token)


def all_vectorised(scheme: Scheme, registry: MethodRegistry) -> bool:
    """Whether every indicator method of the scheme has a vectorised form (none goes through the adapter)."""
    for indicator in scheme.indicators:
        found = registry.get(indicator.method)
        if found is None or vectorised_form(found) is None:
            return False
    return True


def precision_scale(scheme: Scheme) -> int:
    """The scale of the scheme precision: ``0.01`` → 2, ``1`` → 0, ``1E+1`` → -1 (points count tens)."""
    exponent = scheme.precision.as_tuple().exponent
    assert isinstance(exponent, int)  # the scheme reader refuses NaN and infinities
    return -exponent


def score(scheme: Scheme, dataset: Dataset, registry: MethodRegistry, vetoes: Sequence[Veto] = ()) -> ScoreTable:
    """Score every unit of ``dataset``; raise :class:`InputError` with every problem found.

    ``KAOPING_ENGINE`` (or ``--engine``) is checked here, so a bad value is refused by every command that
    scores; ``auto`` and ``arrays`` both mean this engine.
    """
    engine_setting()
    dataset = _unique_units(dataset)
    try:
        return _score(scheme, dataset, registry, vetoes, wide=False)
    except Wide:
        return _score(scheme, dataset, registry, vetoes, wide=True)


def _unique_units(dataset: Dataset) -> Dataset:
    """One unit per id (validation reports a repeated id; a direct call may still pass one): listed where the
    id first appears, with the last row's fields, as a table keyed by unit id keeps them."""
    ids = [unit.id for unit in dataset.units]
    if len(set(ids)) == len(ids):
        return dataset
    last = dataset.unit_by_id
    return dataset.evolve(units=tuple(last[unit_id] for unit_id in dict.fromkeys(ids)))


def _score(
    scheme: Scheme, dataset: Dataset, registry: MethodRegistry, vetoes: Sequence[Veto], wide: bool
) -> ScoreTable:
    scale = precision_scale(scheme)
    columns = ColumnarDataset.from_dataset(dataset)
    store = CompactTrail(
        scale=scale,
        sum_scale=max(scale, *limit_scales(scheme)),
        part_ids=tuple(p.id for p in scheme.parts),
        based_parts=tuple(p for p in scheme.parts if p.base),
        wide=wide,
    )
    group_parts = [scheme.group_parts(g) for g in columns.group_ids]
    scores = {
        unit_id: CompactUnitScore(store, index, unit_id, group_parts[columns.groups[index]])
        for index, unit_id in enumerate(columns.unit_ids)
    }
    table = ScoreTable(scores)  # type: ignore[arg-type]  # CompactUnitScore reads as UnitScore
    ctx = ScoringContext(scheme=scheme, dataset=dataset)
    # the order units are listed in by group (groups as they first appear): row forms get units in it
    listing = np.argsort(columns.groups, kind="stable")
    sizes = np.bincount(np.asarray(columns.groups), minlength=len(columns.group_ids))
    scored = {  # units scored on each indicator, for the progress bar
        indicator.id: sum(
            int(sizes[g])
            for g, group_id in enumerate(columns.group_ids)
            if scores_indicator(scheme, group_id, indicator, tuple(group_parts[g]))
        )
        for indicator in scheme.indicators
    }
    with progress.task(_("units scored, indicator by indicator"), sum(scored.values())) as advance:
        for indicator in scheme.indicators:
            trail = _score_indicator(scheme, indicator, columns, group_parts, listing, registry, ctx, wide)
            if trail is not None:
                store.keep(trail, len(scheme.indicators))
            advance(scored[indicator.id])
    errors, _warnings = split_problems(ctx.problems)
    if not errors:
        cap_indicators(scheme, store)
    _score_rules(scheme, dataset, registry, ctx, table)
    _apply_veto_deductions(scheme, vetoes, ctx, table)
    errors, warnings = split_problems(ctx.problems)
    if errors:
        raise InputError(errors)
    close_parts(scheme, columns, group_parts, store)
    store.seal()
    table.warnings.extend(str(w) for w in warnings)
    return table


def _score_indicator(
    scheme: Scheme,
    indicator: Indicator,
    columns: ColumnarDataset,
    group_parts: list[tuple[str, ...]],
    listing: np.ndarray,
    registry: MethodRegistry,
    ctx: ScoringContext,
    wide: bool,
) -> IndicatorTrail | None:
    """One indicator's trail (None when it gives no entries); its problems go to ``ctx``."""
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
    method = registry.get(indicator.method)
    assert method is not None  # bound schemes only name registered methods
    scale = precision_scale(scheme)
    size = len(columns)
    points = np.zeros(size, dtype=object if wide else np.int64)
    decided = np.zeros(size, dtype=bool)
    position = np.full(size, -1, dtype=np.int32)
    by_row_form: dict[int, Award] = {}
    awards: VectorAwards | None = None
    rebuild: Rebuild | None = None
    if rows is not None and present.any():
        before = len(ctx.problems)
        vector = vectorised_form(method) or adapted
        if method.vectorised is None and VECTORISED.get(method.name) is vector:
            rebuild = Rebuild.over(columns, rows, vector, ctx, max(scale, 0))
        awards = vector(indicator, rows, ctx)
        rounded = _rounded(awards, scheme, wide)
        keep = scored[awards.units]
        if awards.inexact is not None:
            hard = awards.inexact & on_boundary(awards.num, awards.den, max(scale, 0))
            keep &= ~hard
            leftover = np.concatenate([awards.rows_for, awards.units[hard]])
        else:
            leftover = awards.rows_for
        kept = awards.units[keep]
        points[kept] = rounded[keep]
        decided[kept] = True
        position[kept] = np.flatnonzero(keep)
        leftover = leftover[scored[leftover]] if len(leftover) else leftover
        if len(leftover):
            _by_row_form(indicator, method, columns, rows, leftover, listing, ctx, points, decided, by_row_form)
        if len(ctx.problems) > before:
            # the row form words the problems: on every unit's rows in one call, as the adapter calls it
            del ctx.problems[before:]
            awards, rebuild, by_row_form = None, None, {}
            points[:], decided[:], position[:] = 0, False, -1
            every = np.flatnonzero(present)
            _by_row_form(indicator, method, columns, rows, every, listing, ctx, points, decided, by_row_form)
    missing = scored & ~present
    if missing.any() and not indicator.optional:
        for unit in listing[missing[listing]].tolist():
            ctx.problem(
                _("unit '{unit}' has no value for indicator '{indicator}' ({indicator_name})").format(
                    unit=columns.unit_ids[unit], indicator=indicator.id, indicator_name=indicator.name
                ),
                column="indicator",
            )
    has = decided | missing if indicator.optional else decided
    if not wide and np.abs(points).max(initial=0) >= INT64_SAFE // max(len(scheme.indicators), 1):
        raise Wide
    plugin = method.plugin or "builtin"
    if rebuild is not None:  # the method runs again for the units explained: keep none of its arrays
        columns.forget(indicator.id)
        return IndicatorTrail(indicator, plugin, points, has, None, None, by_row_form, rebuild)
    return IndicatorTrail(indicator, plugin, points, has, position, awards, by_row_form)


def _by_row_form(
    indicator: Indicator,
    method: Method,
    columns: ColumnarDataset,
    rows: IndicatorColumns,
    units: np.ndarray,
    listing: np.ndarray,
    ctx: ScoringContext,
    points: np.ndarray,
    decided: np.ndarray,
    by_row_form: dict[int, Award],
) -> None:
    """Score ``units`` with the method's row form on their own rows (one call, units listed by group), into
    ``points`` at the precision; a unit the row form gives no award (it reported a problem) gets no entry."""
    wanted = np.zeros(len(columns), dtype=bool)
    wanted[units] = True
    found = columns.rows_of(rows, units)
    ordered = {columns.unit_ids[u]: found[columns.unit_ids[u]] for u in listing[wanted[listing]].tolist()}
    scale = precision_scale(ctx.scheme)
    for unit_id, award in method.fn(indicator, ordered, ctx).items():
        unit = columns.unit_index[unit_id]
        value = int(ctx.round(award.points).scaleb(scale))
        if points.dtype != object and abs(value) >= INT64_SAFE:
            raise Wide
        points[unit] = value
        decided[unit] = True
        by_row_form[unit] = award


def _rounded(awards: VectorAwards, scheme: Scheme, wide: bool) -> np.ndarray:
    """The awards' exact fractions rounded to the scheme precision: int64, or Python integers when ``wide``
    (raises :class:`Wide` when they do not fit int64 and the run is not wide yet)."""
    if len(awards.units) == 0:
        return np.zeros(0, dtype=object if wide else np.int64)
    scale = precision_scale(scheme)
    num, den = awards.num, awards.den
    if wide:
        num = np.asarray(num).astype(object)
        den = np.asarray(den).astype(object) if isinstance(den, np.ndarray) else int(den)
    elif num.dtype != object and np.abs(num).max(initial=0) >= INT64_SAFE // (2 * 10 ** max(scale, 0)):
        raise Wide  # the methods' own bound: the rounding doubles the numerator at the precision
    elif scale < 0 and int(np.max(np.abs(den), initial=0)) >= INT64_SAFE // 10 ** (-scale):
        raise Wide
    if scale >= 0:
        rounded = round_div(num * 10**scale, den, scheme.rounding)
    else:
        rounded = round_div(num, den * 10 ** (-scale), scheme.rounding)
    if wide:
        return np.asarray(rounded).astype(object)
    rounded = as_ints(rounded)
    if rounded.dtype == object:
        raise Wide
    return rounded
