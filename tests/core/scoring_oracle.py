"""The row engine, kept as the oracle of the engine's differential tests (as grading_oracle.py is for
grading): one ``UnitScore`` per unit, one ``TrailEntry`` per unit per indicator, ``Decimal`` arithmetic.

It was kaoping's scoring engine until the columnar engine (:mod:`kaoping.core.columnar.engine`) took every
run; it shares the rule steps, vetoes, entries and bonus limits with it (:mod:`kaoping.core.scoring`,
:mod:`kaoping.core.rule_limits`) and computes the indicators, the caps over indicators and parts, and the
parts' bases, caps and floors its own way, per unit on decimals. The differential tests run both and
require identical JSON, or the identical problems. Not used by the package.

``scored_by_oracle`` puts it in the engine's place for a block (the built-in ``kaoping_score`` imports the
engine's ``score`` when it runs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal

import pytest

from kaoping.core import progress
from kaoping.core.columnar import engine
from kaoping.core.errors import InputError, split_problems
from kaoping.core.methods import Award, MethodRegistry, ScoringContext
from kaoping.core.models import Dataset
from kaoping.core.numbers import ZERO
from kaoping.core.results import ScoreTable, TrailEntry, UnitScore, Veto
from kaoping.core.rule_limits import cap_correction
from kaoping.core.scheme import Indicator, Scheme
from kaoping.core.scoring import (
    OPTIONAL_NO_DATA,
    _apply_veto_deductions,
    _cap_entry,
    _has_required,
    _score_rules,
    base_entry,
    floor_entries,
    parts_for,
    scores_indicator,
)
from kaoping.locale import _


@contextmanager
def scored_by_oracle() -> Iterator[None]:
    """Score with the row engine instead of the engine for the length of the block."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(engine, "score", score_dataset)
        yield


def score_dataset(
    scheme: Scheme, dataset: Dataset, registry: MethodRegistry, vetoes: Sequence[Veto] = ()
) -> ScoreTable:
    """Score every unit of ``dataset``; raise :class:`InputError` with every problem found."""
    ctx = ScoringContext(scheme=scheme, dataset=dataset)
    table = ScoreTable({u.id: UnitScore(u.id, parts_for(scheme, u)) for u in dataset.units})
    _score_indicators(scheme, dataset, registry, ctx, table)
    cap_indicators(scheme, table)
    _score_rules(scheme, dataset, registry, ctx, table)
    _apply_veto_deductions(scheme, vetoes, ctx, table)
    _close_parts(scheme, ctx, table)
    cap_parts(scheme, table)
    errors, warnings = split_problems(ctx.problems)
    if errors:
        raise InputError(errors)
    table.warnings.extend(str(w) for w in warnings)
    return table


# ---------------------------------------------------------------------------------------------------------


def _score_indicators(
    scheme: Scheme, dataset: Dataset, registry: MethodRegistry, ctx: ScoringContext, table: ScoreTable
) -> None:
    values = dataset.values_by_indicator
    units = dataset.unit_by_id
    by_group: dict[str, list[str]] = defaultdict(list)  # scoring depends on the group only: decide once
    for unit_score in table:
        by_group[units[unit_score.unit].group].append(unit_score.unit)
    parts_of = {group: table[members[0]].parts_scored for group, members in by_group.items()}
    trails = {unit_score.unit: unit_score.trail for unit_score in table}
    plan = [
        (
            indicator,
            [
                unit
                for group, members in by_group.items()
                if scores_indicator(scheme, group, indicator, parts_of[group])
                for unit in members
            ],
        )
        for indicator in scheme.indicators
    ]
    with progress.task(_("units scored, indicator by indicator"), sum(len(units) for _i, units in plan)) as advance:
        for indicator, scored_units in plan:
            _score_indicator(indicator, scored_units, values, registry, ctx, trails)
            advance(len(scored_units))


def _score_indicator(
    indicator: Indicator,
    scored_units: list[str],
    values: dict[str, dict[str, list]],
    registry: MethodRegistry,
    ctx: ScoringContext,
    trails: dict[str, list[TrailEntry]],
) -> None:
    rows = values.get(indicator.id, {})
    present = {unit: rows[unit] for unit in scored_units if unit in rows}
    if not _has_required(indicator, ctx, bool(present)):
        return
    method = registry.get(indicator.method)
    assert method is not None  # bound schemes only name registered methods
    awards = method.fn(indicator, present, ctx) if present else {}
    # the innermost loop of a run (units × indicators): names bound once, entries built inline
    round_points, plugin = ctx.round, method.plugin or "builtin"
    indicator_id, name, part, quote = indicator.id, indicator.name, indicator.part, indicator.quote
    for unit in scored_units:
        award = awards.get(unit)
        if award is None:
            if unit not in present:
                if indicator.optional:
                    award = Award(ZERO, note=_(OPTIONAL_NO_DATA))
                else:
                    ctx.problem(
                        _("unit '{unit}' has no value for indicator '{indicator}' ({indicator_name})").format(
                            unit=unit, indicator=indicator.id, indicator_name=indicator.name
                        ),
                        column="indicator",
                    )
                    continue
            else:
                continue  # the method reported a problem for this unit
        trails[unit].append(
            TrailEntry(
                "indicator",
                indicator_id,
                name,
                part,
                round_points(award.points),
                dict(award.inputs),
                award.note or quote,
                plugin,
            )
        )


def _close_parts(scheme: Scheme, ctx: ScoringContext, table: ScoreTable) -> None:
    for score in table:
        for part in scheme.parts:
            if part.id not in score.parts_scored:
                continue
            if part.base:
                score.trail.insert(0, base_entry(part))
            points = score.part_points(part.id)
            if part.cap is not None and points > part.cap:
                score.add(
                    _cap_entry(f"{part.id}.cap", part.name, part.id, points, part.cap, part.cap - points, part.quote)
                )
                points = part.cap
            if part.floor is not None and points < part.floor:
                for entry in floor_entries(part, points):
                    score.add(entry)


def cap_indicators(scheme: Scheme, table: ScoreTable) -> None:
    """``[[caps]]`` over indicators: the combined output of their methods never passes the limit."""
    caps = [c for c in scheme.caps if c.indicators]
    if not caps:
        return
    part_of = {i.id: i.part for i in scheme.indicators}
    for score in table:
        by_item: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for entry in score.trail:
            if entry.kind == "indicator":
                by_item[entry.rule] += entry.points
        for cap in caps:
            scored = [i for i in cap.indicators if i in by_item]
            points = sum((by_item[i] for i in scored), ZERO)
            limit = cap.limit(scheme)
            if scored and points > limit:
                score.add(cap_correction(cap, part_of[scored[0]], points, limit))
                by_item[scored[0]] += limit - points  # an enclosing cap sees the capped amount


def cap_parts(scheme: Scheme, table: ScoreTable) -> None:
    """``[[caps]]`` over parts (after each part's own cap and floor): the excess is taken from the listed
    parts from the last one back, each down to its floor (or 0), so no part leaves its own bounds."""
    caps = [c for c in scheme.caps if c.parts]
    if not caps:
        return
    floors = {p.id: p.floor if p.floor is not None else ZERO for p in scheme.parts}
    for score in table:
        for cap in caps:
            scored = [p for p in cap.parts if p in score.parts_scored]
            points = sum((score.part_points(p) for p in scored), ZERO)
            limit = cap.limit(scheme)
            excess = points - limit
            for part in reversed(scored):
                if excess <= 0:
                    break
                taken = min(excess, max(score.part_points(part) - floors[part], ZERO))
                if taken:
                    score.add(cap_correction(cap, part, points, limit, -taken))
                    excess -= taken
