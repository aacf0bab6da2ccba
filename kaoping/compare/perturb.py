"""Uncertainty of ranks and grades when weights and parameters vary within stated ranges.

Monte Carlo in the manner of the OECD/JRC *Handbook on Constructing Composite Indicators* (2008,
§1.7): draw every uncertain weight or threshold uniformly within its range, recompute ranks and
grades, and report each unit's median rank, its 5–95 % rank band and the probability of each grade.

Running the pipeline once per draw would be far too slow, so the run is scored once and each unit's
total is decomposed, from its trail, into contributions per part and per indicator or rule. A draw
re-weights those contributions, ranks, and grades through the engine's own grading kernel
(:func:`kaoping.core.grading.grade_positions`, which :func:`~kaoping.core.grading.assign_grades` also
calls) with the draw's totals, band bounds and quota sizes.

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
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from kaoping.compare.stats import histogram_median, histogram_percentile
from kaoping.core import progress
from kaoping.core.errors import InputError, Problem
from kaoping.core.grading import (
    Bounds,
    GradeSubject,
    competition_ranks,
    grade_positions,
    grade_subject,
    pool_order,
    quota_scopes,
    quota_size,
    standing_order,
)
from kaoping.core.results import RunResult
from kaoping.core.scheme import Band, Quota, Scheme
from kaoping.core.structure import structure
from kaoping.core.tomlread import read_toml
from kaoping.locale import _

BOUNDS = ("at_least", "above", "at_most", "below")
# the seed of a run given none: reruns agree, and the report names it so a rerun with another can be asked for
DEFAULT_SEED = 20240101


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


@attrs.frozen
class RangeTable:
    """One ``[[ranges]]`` table as written (typed by :func:`kaoping.core.structure.structure`)."""

    path: str
    low: Decimal | None = None
    high: Decimal | None = None
    pct: Decimal | None = None
    scheme: str = ""
    quote: str = ""
    note: str = ""


@attrs.frozen
class RangesFile:
    """A ranges file: ``[[ranges]]`` tables only."""

    ranges: tuple[RangeTable, ...] = ()


def parse_ranges(data: Mapping[str, Any], origin: str = "<ranges>") -> list[Range]:
    """``[[ranges]]`` tables: ``path`` plus ``low`` and ``high``, or ``pct`` (± percent of the value)."""
    problems = [Problem(f"unknown key {key!r} (expected [[ranges]])", file=origin) for key in data if key != "ranges"]
    written, shape = structure({"ranges": data.get("ranges", [])}, RangesFile, origin)
    if written is None:
        raise InputError(problems + shape)
    ranges = []
    for index, table in enumerate(written.ranges, start=1):
        where = f"ranges[{index}]"
        path, low, high, pct = table.path, table.low, table.high, table.pct
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
        ranges.append(Range(path, low, high, pct, table.scheme))
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
        found, notes = _expand(scheme, item)
        skipped += [f"{scheme.id}: {note}" for note in notes]
        if not found and not notes:
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


def _expand(scheme: Scheme, item: Range) -> tuple[list[Factor], list[str]]:
    """The factors a range names, and notes on what it names but cannot vary."""
    pieces = item.path.split(".")
    out: list[Factor] = []
    notes: list[str] = []
    if len(pieces) == 3 and pieces[0] in {"parts", "indicators", "rules"} and pieces[2] == "points":
        kind = pieces[0][:-1]
        collection: Sequence[Any] = {"part": scheme.parts, "indicator": scheme.indicators, "rule": scheme.rules}[kind]
        for element in collection:
            if not fnmatch.fnmatchcase(element.id, pieces[1]):
                continue
            base = element.params.get("points") if kind == "rule" else element.points
            if kind == "part" and base == 0:
                # a part of deductions or bonuses only (0 points) has no weight that could scale it
                notes.append(
                    _("range {path!r}: part {part!r} has 0 points, so it has no weight to vary").format(
                        path=item.path, part=element.id
                    )
                )
                continue
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
    return out, notes


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
    subject: GradeSubject  # what grading needs: group, pool, vetoes


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
        exponent = scheme.precision.as_tuple().exponent if scheme.precision else -2
        self.digits = max(-exponent, 0) if isinstance(exponent, int) else 2
        self.units: list[_Unit] = []
        self.unranked: list[tuple[str, str, str]] = []
        for result_unit in result.units:
            if result_unit.rank is None:
                self.unranked.append((result_unit.unit, result_unit.name, result_unit.group))
                continue
            self.units.append(self._decompose(result_unit, index, rule_ids))
        self.groups: dict[str, list[int]] = {}  # ranking pool → unit positions
        for position, unit in enumerate(self.units):
            self.groups.setdefault(unit.subject.pool, []).append(position)
        self.pool_order = pool_order(scheme)
        self.names = scheme.names()
        self.group_ids = sorted(self.groups, key=lambda g: (self.pool_order.get(g, len(self.pool_order)), g))
        self.subjects = [unit.subject for unit in self.units]
        self._pools: list[str | None] = [s.pool for s in self.subjects]
        self._scopes = quota_scopes(scheme.grading, self.subjects, self.pool_order)
        self._unit_ids = [s.unit for s in self.subjects]
        self._counts = [(i, f.target) for i, f in enumerate(self.factors) if f.kind == "quota_count"]
        self._shares = {f.target[0]: i for i, f in enumerate(self.factors) if f.kind == "quota_share"}

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
        return _Unit(
            result_unit.unit,
            result_unit.name,
            result_unit.group,
            constant,
            tuple(parts),
            indicator_terms,
            grade_subject(self.scheme, result_unit),
        )

    def _touches_rules(self, cap_rule: str, index: Mapping[tuple[str, str], int]) -> bool:
        cap_id = cap_rule.removeprefix("cap:")
        cap = next((c for c in self.scheme.caps if c.id == cap_id), None)
        return cap is not None and any(("rule", r) in index for r in cap.rules)

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
        order = standing_order(keys, self._unit_ids)
        ranks = competition_ranks(self._pools, keys, self._unit_ids, order)
        return totals, [r or 0 for r in ranks], self._grades(values, totals, keys, order)

    def _band_bounds(self, values: Sequence[float]) -> list[tuple[Band, Bounds]]:
        """Each band with its bounds in this draw (drawn where a range varies them, declared otherwise)."""
        drawn = {f.target: values[i] for i, f in enumerate(self.factors) if f.kind == "band"}
        bands = []
        for band in self.scheme.grading.bands:
            bounds = []
            for name in BOUNDS:
                value = getattr(band, name)
                bounds.append(drawn.get((band.id, name), float(value) if value is not None else None))
            bands.append((band, (bounds[0], bounds[1], bounds[2], bounds[3])))
        return bands

    def _quota_sizes(self, values: Sequence[float]) -> Callable[[Quota, str, int], int]:
        """The quota sizes of this draw: drawn counts and shares where a range varies them."""
        counts = {target: round(values[i]) for i, target in self._counts}

        def size(quota: Quota, pool: str, members: int) -> int:
            if (quota.id, pool) in counts:
                return counts[(quota.id, pool)]
            if quota.id in self._shares:
                quota = attrs.evolve(quota, share=Decimal(repr(values[self._shares[quota.id]])))
            return quota_size(quota, pool, members)

        return size

    def _grades(self, values: Sequence[float], totals: list[float], keys: list[tuple], order: list[int]) -> list[str]:
        outcome = grade_positions(
            self.scheme.grading,
            self.subjects,
            totals,
            keys,
            pool_order=self.pool_order,
            bands=self._band_bounds(values),
            quota_sizes=self._quota_sizes(values),
            explain=False,
            scopes=self._scopes,
            order=order,
            names=self.names,  # an on_tie error names the group as the engine's does
        )
        return outcome.grades


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
    seed = DEFAULT_SEED if seed is None else seed
    rng = random.Random(seed)
    size = len(model.units)
    rank_counts: list[dict[int, int]] = [{} for _ in model.units]  # per unit: rank → draws
    grade_index = {g: i for i, g in enumerate(model.grades)}
    grade_counts = [[0] * len(model.grades) for _position in range(size)]
    spans = [(f.low, f.high - f.low, f.kind == "quota_count") for f in factors]
    with progress.task(_("draws of {label}").format(label=label), draws) as advance:
        for _draw in range(draws):
            values = []
            for low, width, whole in spans:
                if whole:
                    values.append(float(rng.randint(math.ceil(low), math.floor(low + width))))
                else:
                    values.append(low + width * rng.random())
            _scores, ranks, grades = model.evaluate(values)
            for position in range(size):
                histogram = rank_counts[position]
                histogram[ranks[position]] = histogram.get(ranks[position], 0) + 1
                if grades[position]:
                    grade_counts[position][grade_index[grades[position]]] += 1
            advance(1)
    exact = result.by_unit()
    units = []
    for position, unit in enumerate(model.units):
        units.append(
            UnitUncertainty(
                unit.unit,
                unit.name,
                unit.group,
                exact[unit.unit].rank,
                exact[unit.unit].grade,
                histogram_median(rank_counts[position]),
                histogram_percentile(rank_counts[position], 0.05),
                histogram_percentile(rank_counts[position], 0.95),
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
