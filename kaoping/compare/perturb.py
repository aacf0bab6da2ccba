"""Uncertainty of ranks and grades when weights and parameters vary within stated ranges.

Monte Carlo in the manner of the OECD/JRC *Handbook on Constructing Composite Indicators* (2008,
§1.7): draw every uncertain weight or threshold uniformly within its range, recompute ranks and
grades, and report each unit's median rank, its 5–95 % rank band and the probability of each grade.

Running the pipeline once per draw would be far too slow, so the run is scored once and each unit's
total is decomposed, from its trail, into contributions per part and per indicator or rule. A draw
re-weights those contributions and then ranks and grades with the scheme's grading rules
(:class:`FastGrader` mirrors :func:`kaoping.core.grading.assign_grades`).

What a weight means here: a range on ``indicators.X.points`` (or ``rules.X.points``) scales that
indicator's (rule's) contribution by drawn / declared points, holding the unit's performance as a share
of full marks fixed; a range on ``parts.X.points`` scales the whole part, its base and deductions
included. This is exact for linear re-weighting (it equals re-running a scheme whose methods are
proportional to their points, such as ``ratio``, up to the rounding of each trail entry). It is
approximate where the trail holds a non-linear step:

* part caps and floors (and the overflow of a floor into the total) are recomputed per draw by
  clamping at the part level, in the part's declared points, before the part's own weight applies;
* a rule's own cap scales with the rule's weight (the capped amount is taken as the rule's
  contribution); cap groups over several rules and 'same matter counted once' keep their corrections
  from the unperturbed run;
* methods that are not proportional to their points (``step_shortfall``, ``pass_fail`` thresholds)
  are scaled as if they were.

Draws use floats; each draw's totals are rounded to the scheme's precision before ranking, as the
pipeline would round its entries. Reported scores of the unperturbed run stay the exact decimals.
"""

from __future__ import annotations

import fnmatch
import math
import random
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from kaoping.compare.stats import median, nearest_rank_percentile
from kaoping.core.errors import InputError, Problem
from kaoping.core.grading import quota_size
from kaoping.core.numbers import to_decimal
from kaoping.core.results import RunResult
from kaoping.core.scheme import Quota, Scheme
from kaoping.core.tomlread import read_toml
from kaoping.locale import _

BOUNDS = ("at_least", "above", "at_most", "below")


@attrs.frozen
class Range:
    """A stated range: ``low``/``high`` in the parameter's own units, or ``pct`` around its value."""

    path: str
    low: Decimal | None = None
    high: Decimal | None = None
    pct: Decimal | None = None
    scheme: str = ""  # when set, the range applies only to this scheme


@attrs.frozen
class Factor:
    """One uncertain quantity of one scheme, resolved from a range: drawn uniformly in [low, high]."""

    path: str
    kind: str  # part | indicator | rule | band | quota_count | quota_share
    target: tuple[str, ...]
    base: float
    low: float
    high: float


def parse_ranges(data: Mapping[str, Any], origin: str = "<ranges>") -> list[Range]:
    """``[[ranges]]`` tables: ``path`` plus ``low`` and ``high``, or ``pct`` (± percent of the value)."""
    problems: list[Problem] = []
    ranges = []
    for key in data:
        if key != "ranges":
            problems.append(Problem(_("unknown key '{key}' (expected [[ranges]])").format(key=key), file=origin))
    for index, table in enumerate(data.get("ranges", []), start=1):
        where = f"ranges[{index}]"
        unknown = set(table) - {"path", "low", "high", "pct", "scheme", "quote", "note"}
        if unknown:
            problems.append(
                Problem(
                    _("{where}: unknown key(s) {items}").format(where=where, items=", ".join(sorted(unknown))),
                    file=origin,
                )
            )
        path = str(table.get("path", ""))
        try:
            low = to_decimal(table["low"]) if "low" in table else None
            high = to_decimal(table["high"]) if "high" in table else None
            pct = to_decimal(table["pct"]) if "pct" in table else None
        except ValueError as error:
            problems.append(Problem(_("{where}: {error}").format(where=where, error=error), file=origin))
            continue
        if not path:
            problems.append(Problem(_("{where}: missing 'path'").format(where=where), file=origin))
        elif (pct is None) == (low is None or high is None) or (pct is not None and (low or high)):
            problems.append(
                Problem(
                    _("{where} ({path}): give either 'low' and 'high', or 'pct'").format(where=where, path=path),
                    file=origin,
                )
            )
        elif low is not None and high is not None and low > high:
            problems.append(
                Problem(
                    _("{where} ({path}): low {low} is above high {high}").format(
                        where=where, path=path, low=low, high=high
                    ),
                    file=origin,
                )
            )
        elif pct is not None and pct < 0:
            problems.append(
                Problem(_("{where} ({path}): pct must not be negative").format(where=where, path=path), file=origin)
            )
        ranges.append(Range(path, low, high, pct, str(table.get("scheme", ""))))
    if problems:
        raise InputError(problems)
    return ranges


def read_ranges(path: Path) -> list[Range]:
    return parse_ranges(read_toml(path), str(path))


def resolve(scheme: Scheme, ranges: Sequence[Range]) -> tuple[list[Factor], list[str]]:
    """The factors of ``scheme``; ranges for other schemes, or paths it lacks, are listed, not fatal."""
    factors: dict[str, Factor] = {}
    skipped: list[str] = []
    for item in ranges:
        if item.scheme and item.scheme != scheme.id:
            continue
        found = _expand(scheme, item)
        if not found:
            skipped.append(
                _("{scheme}: range '{path}' matches nothing in the scheme").format(scheme=scheme.id, path=item.path)
            )
        for factor in found:
            factors[factor.path] = factor  # a later range for the same quantity replaces an earlier one
    return list(factors.values()), skipped


def _bounds(item: Range, base: Decimal) -> tuple[float, float]:
    if item.pct is not None:
        spread = abs(base) * item.pct / 100
        return float(base - spread), float(base + spread)
    assert item.low is not None and item.high is not None
    return float(item.low), float(item.high)


def _expand(scheme: Scheme, item: Range) -> list[Factor]:
    pieces = item.path.split(".")
    out: list[Factor] = []
    if len(pieces) == 3 and pieces[0] in {"parts", "indicators", "rules"} and pieces[2] == "points":
        kind = pieces[0][:-1]
        collection: Sequence[Any] = {"part": scheme.parts, "indicator": scheme.indicators, "rule": scheme.rules}[kind]
        for element in collection:
            if not fnmatch.fnmatchcase(element.id, pieces[1]):
                continue
            base = element.params.get("points") if kind == "rule" else element.points
            if base is None or not isinstance(base, Decimal) or base == 0:
                if item.pct is None:
                    continue  # a rule priced by a table has no single number to draw around
                base = Decimal(1)
            low, high = _bounds(item, base)
            out.append(Factor(f"{pieces[0]}.{element.id}.points", kind, (element.id,), float(base), low, high))
    elif len(pieces) == 4 and pieces[:2] == ["grading", "bands"] and pieces[3] in BOUNDS:
        for band in scheme.grading.bands:
            value = getattr(band, pieces[3])
            if fnmatch.fnmatchcase(band.id, pieces[2]) and value is not None:
                low, high = _bounds(item, value)
                out.append(
                    Factor(
                        f"grading.bands.{band.id}.{pieces[3]}", "band", (band.id, pieces[3]), float(value), low, high
                    )
                )
    elif len(pieces) == 5 and pieces[:2] == ["grading", "quotas"] and pieces[3] == "counts":
        for quota in scheme.grading.quotas:
            for group, count in quota.counts.items():
                if fnmatch.fnmatchcase(quota.id, pieces[2]) and fnmatch.fnmatchcase(group, pieces[4]):
                    low, high = _bounds(item, Decimal(count))
                    path = f"grading.quotas.{quota.id}.counts.{group}"
                    out.append(Factor(path, "quota_count", (quota.id, group), float(count), low, high))
    elif len(pieces) == 4 and pieces[:2] == ["grading", "quotas"] and pieces[3] == "share":
        for quota in scheme.grading.quotas:
            if fnmatch.fnmatchcase(quota.id, pieces[2]) and quota.share is not None:
                low, high = _bounds(item, quota.share)
                out.append(
                    Factor(
                        f"grading.quotas.{quota.id}.share", "quota_share", (quota.id,), float(quota.share), low, high
                    )
                )
    else:
        raise InputError(
            _(
                "range path '{path}' is not one of: parts.ID.points, indicators.ID.points, "
                "rules.ID.points, grading.bands.ID.(at_least|above|at_most|below), "
                "grading.quotas.ID.counts.GROUP, grading.quotas.ID.share (ID may use * and ?)"
            ).format(path=item.path)
        )
    return out


# ---------------------------------------------------------------------------------------------------------
# the decomposed model


@attrs.frozen
class _Part:
    weight: int  # factor index of the part's weight, or -1
    declared: float  # the part's declared points (the weight's denominator)
    fixed: float
    terms: tuple[tuple[int, float], ...]  # (factor index, contribution at the declared value)
    cap: float | None
    floor: float | None
    overflow: bool


@attrs.frozen
class _Unit:
    unit: str
    name: str
    group: str
    constant: float  # parts no factor touches, and adjustments outside every part
    parts: tuple[tuple[str, _Part], ...]
    indicator_terms: Mapping[str, tuple[str, int, float]]  # tie-break: indicator → (part, factor, points)
    forced: str
    disqualified: frozenset[str]
    promotions: tuple[tuple[str, tuple[str, ...]], ...]  # (grade, band grades it may start from)
    pool: str  # the ranking pool: the group's pool, or the group


class Model:
    """A run decomposed for fast re-weighting; :meth:`evaluate` ranks and grades one draw."""

    def __init__(self, scheme: Scheme, result: RunResult, factors: Sequence[Factor]) -> None:
        self.scheme = scheme
        self.factors = list(factors)
        self.approximations: set[str] = set()
        index = {
            (f.kind, f.target[0]): i for i, f in enumerate(self.factors) if f.kind in {"part", "indicator", "rule"}
        }
        self._bases = [f.base for f in self.factors]
        rule_ids = scheme.rule_ids
        grading = scheme.grading
        self.grades = list(grading.grades)
        self.order = {g: i for i, g in enumerate(self.grades)}
        self.digits = max(-scheme.precision.as_tuple().exponent, 0) if scheme.precision else 2
        self.units: list[_Unit] = []
        self.unranked: list[tuple[str, str, str]] = []
        for result_unit in result.units:
            if result_unit.rank is None:
                self.unranked.append((result_unit.unit, result_unit.name, result_unit.group))
                continue
            self.units.append(self._decompose(result_unit, index, rule_ids))
        self.groups: dict[str, list[int]] = {}  # ranking pool → unit positions
        for position, unit in enumerate(self.units):
            self.groups.setdefault(unit.pool, []).append(position)
        pool_order: dict[str, int] = {}
        for place, declared in enumerate(scheme.groups):
            pool_order.setdefault(declared.ranking_pool, place)
        self.group_ids = sorted(self.groups, key=lambda g: (pool_order.get(g, len(pool_order)), g))
        self._quota_plan = self._plan_quotas()

    def _decompose(self, result_unit: Any, index: Mapping[tuple[str, str], int], rule_ids: set[str]) -> _Unit:
        by_part: dict[str, list[Any]] = {}
        constant = 0.0
        for entry in result_unit.score.trail:
            if entry.part is None:
                if entry.kind == "overflow":
                    continue  # recomputed from the part's floor
                constant += float(entry.points)
                continue
            by_part.setdefault(entry.part, []).append(entry)
        parts = []
        indicator_terms: dict[str, tuple[str, int, float]] = {}
        for part_id in result_unit.score.parts_scored:
            part = self.scheme.part(part_id)
            fixed = 0.0
            terms: dict[int, float] = {}
            for entry in by_part.get(part_id, []):
                points = float(entry.points)
                if entry.kind in {"floor"} or (entry.kind == "cap" and entry.rule == f"{part_id}.cap"):
                    continue  # recomputed
                factor = -1
                if entry.kind == "indicator":
                    factor = index.get(("indicator", entry.rule), -1)
                    indicator_terms[entry.rule] = (part_id, factor, points)
                elif entry.kind == "rule" or (entry.kind == "cap" and entry.rule in rule_ids):
                    factor = index.get(("rule", entry.rule), -1)
                    if entry.kind == "cap" and factor >= 0:
                        self.approximations.add(_("a rule's own cap scales with the rule's weight"))
                elif entry.kind == "cap" and factor < 0 and self._touches_rules(entry.rule, index):
                    self.approximations.add(_("cap groups over several rules keep their unperturbed correction"))
                if factor < 0:
                    fixed += points
                else:
                    terms[factor] = terms.get(factor, 0.0) + points
            weight = index.get(("part", part_id), -1)
            has_clamp = part.cap is not None or part.floor is not None
            if weight < 0 and not terms:
                total = fixed
                if part.cap is not None and total > float(part.cap):
                    total = float(part.cap)
                if part.floor is not None and total < float(part.floor):
                    if part.below_floor == "total":
                        constant += total - float(part.floor)
                    total = float(part.floor)
                constant += total
                continue
            if has_clamp and (terms or weight >= 0):
                self.approximations.add(_("part caps and floors are re-applied per draw at the part level"))
            parts.append(
                (
                    part_id,
                    _Part(
                        weight,
                        float(part.points),
                        fixed,
                        tuple(terms.items()),
                        float(part.cap) if part.cap is not None else None,
                        float(part.floor) if part.floor is not None else None,
                        part.below_floor == "total",
                    ),
                )
            )
        forced = [v for v in result_unit.vetoes if v.effect == "force_grade"]
        worst = max(forced, key=lambda v: self.order[v.grade]).grade if forced else ""
        disqualified = frozenset(g for v in result_unit.vetoes if v.effect == "disqualify" for g in v.grades)
        promotions = tuple((v.grade, v.from_grades) for v in result_unit.vetoes if v.effect == "promote")
        declared_group = self.scheme.group(result_unit.group)
        return _Unit(
            result_unit.unit,
            result_unit.name,
            result_unit.group,
            constant,
            tuple(parts),
            indicator_terms,
            worst,
            disqualified,
            promotions,
            declared_group.ranking_pool if declared_group is not None else result_unit.group,
        )

    def _touches_rules(self, cap_rule: str, index: Mapping[tuple[str, str], int]) -> bool:
        cap_id = cap_rule.removeprefix("cap:")
        cap = next((c for c in self.scheme.caps if c.id == cap_id), None)
        return cap is not None and any(("rule", r) in index for r in cap.rules)

    def _pool_members_named(self, pool: str, names: Sequence[str]) -> bool:
        return any(self.units[p].group in names for p in self.groups[pool])

    def _plan_quotas(self) -> list[tuple[int, Quota, list[str], int, int]]:
        """Per quota the groups it fills, with factor indexes for a drawn share or count (-1: fixed)."""
        plan = []
        for position, quota in enumerate(self.scheme.grading.quotas):
            groups = []
            for group in self.group_ids:
                if quota.groups and group not in quota.groups and not self._pool_members_named(group, quota.groups):
                    continue
                if quota.counts and not quota.share and group not in quota.counts:
                    continue
                groups.append(group)
            share_factor = next(
                (i for i, f in enumerate(self.factors) if f.kind == "quota_share" and f.target == (quota.id,)), -1
            )
            plan.append((position, quota, groups, share_factor, 0))
        return plan

    # -- one draw ------------------------------------------------------------------------------------

    def base_values(self) -> list[float]:
        return list(self._bases)

    def totals(self, values: Sequence[float]) -> tuple[list[float], list[dict[str, float]]]:
        """Each ranked unit's total (rounded to the scheme precision) and its part scores."""
        digits = self.digits
        totals = []
        parts_out = []
        need_parts = bool(self.scheme.grading.tie_break)
        for unit in self.units:
            total = unit.constant
            part_scores: dict[str, float] = {}
            for part_id, part in unit.parts:
                raw = part.fixed
                for factor, points in part.terms:
                    raw += points * values[factor] / self._bases[factor]
                overflow = 0.0
                if part.cap is not None and raw > part.cap:
                    raw = part.cap
                if part.floor is not None and raw < part.floor:
                    if part.overflow:
                        overflow = raw - part.floor
                    raw = part.floor
                if part.weight >= 0:
                    scale = values[part.weight] / part.declared
                    raw *= scale
                    overflow *= scale
                total += raw + overflow
                part_scores[part_id] = raw
            totals.append(round(total, digits))
            if need_parts:
                parts_out.append(part_scores)
        return totals, parts_out

    def _keys(self, values: Sequence[float], totals: list[float], parts: list[dict[str, float]]) -> list[tuple]:
        tie_break = self.scheme.grading.tie_break
        if not tie_break:
            return [(-t,) for t in totals]
        keys = []
        for position, unit in enumerate(self.units):
            key = [-totals[position]]
            for item in tie_break:
                if item in parts[position]:
                    key.append(-round(parts[position][item], self.digits))
                elif item in unit.indicator_terms:
                    part_id, factor, points = unit.indicator_terms[item]
                    if factor >= 0:
                        points = points * values[factor] / self._bases[factor]
                    part = dict(unit.parts).get(part_id)
                    if part is not None and part.weight >= 0:
                        points *= values[part.weight] / part.declared
                    key.append(-round(points, self.digits))
                else:
                    key.append(-0.0)
            keys.append(tuple(key))
        return keys

    def evaluate(self, values: Sequence[float]) -> tuple[list[float], list[int], list[str]]:
        """Totals, competition ranks within groups, and grades of the ranked units for one draw."""
        totals, parts = self.totals(values)
        keys = self._keys(values, totals, parts)
        ranks = [0] * len(self.units)
        ordered: dict[str, list[int]] = {}
        for group in self.group_ids:
            members = sorted(self.groups[group], key=lambda p: (keys[p], self.units[p].unit))
            ordered[group] = members
            previous = None
            rank = 0
            for place, member in enumerate(members, start=1):
                if keys[member] != previous:
                    rank, previous = place, keys[member]
                ranks[member] = rank
        return totals, ranks, self._grades(values, totals, keys, ordered)

    def _band_bounds(self, values: Sequence[float]) -> list[tuple[str, tuple[str, ...], list[float | None]]]:
        drawn = {f.target: values[i] for i, f in enumerate(self.factors) if f.kind == "band"}
        bands = []
        for band in self.scheme.grading.bands:
            bounds: list[float | None] = []
            for name in BOUNDS:
                value = getattr(band, name)
                bounds.append(drawn.get((band.id, name), float(value) if value is not None else None))
            bands.append((band.grade, band.groups, bounds))
        return bands

    def _grades(
        self, values: Sequence[float], totals: list[float], keys: list[tuple], ordered: Mapping[str, list[int]]
    ) -> list[str]:
        grading = self.scheme.grading
        if not self.grades:
            return [""] * len(self.units)
        order = self.order
        default_position = order.get(grading.default, len(order))
        bands = self._band_bounds(values)
        grades = []
        for position, unit in enumerate(self.units):
            if unit.forced:
                grades.append(unit.forced)
                continue
            total = totals[position]
            grade = grading.default
            for band_grade, band_groups, (at_least, above, at_most, below) in bands:
                if band_groups and unit.group not in band_groups and unit.pool not in band_groups:
                    continue
                if (
                    (at_least is None or total >= at_least)
                    and (above is None or total > above)
                    and (at_most is None or total <= at_most)
                    and (below is None or total < below)
                ):
                    grade = band_grade
                    break
            if grade in unit.disqualified and grade in order:
                grade = next((g for g in self.grades[order[grade] + 1 :] if g not in unit.disqualified), grade)
            grades.append(grade)
        band_grades = list(grades)
        counts = {f.target: values[i] for i, f in enumerate(self.factors) if f.kind == "quota_count"}
        for _key, quota, groups, share_factor, _rest in self._quota_plan:
            quota_position = order[quota.grade]
            for group in groups:
                members = ordered[group]
                if (quota.id, group) in counts:
                    size = round(counts[(quota.id, group)])
                elif share_factor >= 0:
                    share = Decimal(repr(values[share_factor]))
                    size = quota_size(attrs.evolve(quota, share=share), group, len(members))
                else:
                    size = quota_size(quota, group, len(members))
                if size <= 0:
                    continue
                eligible = []
                for member in members:
                    unit = self.units[member]
                    if quota.groups and unit.group not in quota.groups and unit.pool not in quota.groups:
                        continue
                    if quota.grade in unit.disqualified or unit.forced:
                        continue
                    if grading.precedence == "bands_first" and order.get(band_grades[member], 0) > default_position:
                        continue
                    if order.get(grades[member], len(order)) <= quota_position:
                        continue
                    eligible.append(member)
                chosen = eligible[:size]
                if len(eligible) > size:
                    boundary = keys[eligible[size - 1]]
                    if keys[eligible[size]] == boundary:
                        if grading.on_tie == "include":
                            chosen = chosen + [m for m in eligible[size:] if keys[m] == boundary]
                        else:
                            chosen = [m for m in chosen if keys[m] != boundary]
                for member in chosen:
                    grades[member] = quota.grade
        for position, unit in enumerate(self.units):
            for grade, from_grades in unit.promotions:
                if from_grades and band_grades[position] not in from_grades:
                    continue
                if order[grade] < order.get(grades[position], len(order)) and grade not in unit.disqualified:
                    grades[position] = grade
        return grades


# ---------------------------------------------------------------------------------------------------------


@attrs.frozen
class UnitUncertainty:
    unit: str
    name: str
    group: str
    rank: int | None
    grade: str
    median_rank: float | None
    p05: int | None
    p95: int | None
    grade_probability: Mapping[str, float]


@attrs.frozen
class UncertaintyResult:
    label: str
    scheme: str
    draws: int
    seed: int | None
    factors: tuple[Factor, ...]
    grades: tuple[str, ...]
    units: tuple[UnitUncertainty, ...]
    approximations: tuple[str, ...]
    skipped: tuple[str, ...]
    seconds: float = 0.0


def simulate(
    label: str,
    scheme: Scheme,
    result: RunResult,
    ranges: Sequence[Range],
    draws: int = 1000,
    seed: int | None = None,
) -> UncertaintyResult:
    """Draw every factor uniformly and independently ``draws`` times; summarise ranks and grades."""
    import time

    started = time.perf_counter()
    if draws < 1:
        raise InputError(_("--draws must be at least 1"))
    factors, skipped = resolve(scheme, ranges)
    model = Model(scheme, result, factors)
    rng = random.Random(seed)
    size = len(model.units)
    rank_counts = [[0] * (len(model.groups[u.group]) + 1) for u in model.units]
    grade_index = {g: i for i, g in enumerate(model.grades)}
    grade_counts = [[0] * len(model.grades) for _position in range(size)]
    spans = [(f.low, f.high - f.low, f.kind == "quota_count") for f in factors]
    for _draw in range(draws):
        values = []
        for low, width, whole in spans:
            if whole:
                values.append(float(rng.randint(math.ceil(low), math.floor(low + width))))
            else:
                values.append(low + width * rng.random())
        _totals, ranks, grades = model.evaluate(values)
        for position in range(size):
            rank_counts[position][ranks[position]] += 1
            if grades[position]:
                grade_counts[position][grade_index[grades[position]]] += 1
    exact = result.by_unit()
    units = []
    for position, unit in enumerate(model.units):
        ranks_sorted = [r for r, count in enumerate(rank_counts[position]) for _copy in range(count)]
        units.append(
            UnitUncertainty(
                unit.unit,
                unit.name,
                unit.group,
                exact[unit.unit].rank,
                exact[unit.unit].grade,
                median(ranks_sorted),
                nearest_rank_percentile(ranks_sorted, 0.05),
                nearest_rank_percentile(ranks_sorted, 0.95),
                {g: grade_counts[position][i] / draws for i, g in enumerate(model.grades)},
            )
        )
    for unit_id, name, group in model.unranked:
        units.append(UnitUncertainty(unit_id, name, group, None, exact[unit_id].grade, None, None, None, {}))
    return UncertaintyResult(
        label,
        scheme.id,
        draws,
        seed,
        tuple(factors),
        tuple(model.grades),
        tuple(units),
        tuple(sorted(model.approximations)),
        tuple(skipped),
        time.perf_counter() - started,
    )
