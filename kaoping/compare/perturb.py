"""Uncertainty of ranks and grades when weights and parameters vary within stated ranges.

Monte Carlo in the manner of the OECD/JRC *Handbook on Constructing Composite Indicators* (2008,
§1.7): draw every uncertain weight or threshold uniformly within its range, recompute ranks and
grades, and report each unit's median rank, its 5–95 % rank band and the probability of each grade.

Running the pipeline once per draw would be far too slow, so the run is scored once and each unit's
total is decomposed, from its trail, into contributions per part and per indicator or rule, held in
arrays over the units. A batch of draws re-weights those contributions for all its draws at once, and
ranks and grades through the engine's own kernel (:func:`kaoping.core.grading.standing`,
:func:`~kaoping.core.grading.competition_ranks` and :func:`~kaoping.core.grading.grade_arrays`, which
:func:`~kaoping.core.grading.assign_grades` also calls) with the draws' totals, band bounds and quota
sizes: no result object is built per draw.

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

Draws use floats; each draw's totals are rounded to the scheme's precision (as whole numbers of it)
before ranking, as the pipeline would round its entries. Reported scores of the unperturbed run stay the
exact decimals.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from kaoping.compare.stats import RankHistograms
from kaoping.core import progress
from kaoping.core.errors import InputError, Problem
from kaoping.core.grading import Bounds, competition_ranks, grade_arrays, grading_frame, quota_size, standing
from kaoping.core.results import RunResult, Veto
from kaoping.core.scheme import Band, Quota, Scheme
from kaoping.core.structure import structure
from kaoping.core.tomlread import read_toml
from kaoping.locale import _

if TYPE_CHECKING:
    import numpy as np

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
    fixed_parts: Mapping[str, float]  # tie-break: the score of each part no factor touches
    vetoes: tuple[Veto, ...]


@attrs.frozen
class _PartArrays:
    """One part over every ranked unit: what a draw re-weights, clamps and adds."""

    id: str
    present: np.ndarray  # bool: the unit's part is drawn (else it is in the unit's constant)
    fixed: np.ndarray  # what no factor touches
    factors: np.ndarray  # the factors with a contribution in this part
    terms: np.ndarray  # (factors, units): contributions at the declared values
    weight: int
    declared: float
    cap: float | None
    floor: float | None
    overflow: bool


@attrs.frozen
class _TieBreak:
    item: str
    part: bool  # a part's score; else an indicator's points
    points: np.ndarray  # the part's fixed score, or the indicator's points at the declared values
    factor: int  # the indicator's factor, or -1
    weight: int  # the factor of the weight of the indicator's part, or -1
    declared: float  # that part's declared points
    weighted: np.ndarray  # bool: the unit's part is drawn, so its weight scales the indicator


class Model:
    """A run decomposed for fast re-weighting; :meth:`evaluate_batch` ranks and grades many draws at once,
    on arrays, through the engine's own kernel (:func:`kaoping.core.grading.grade_arrays`)."""

    def __init__(self, scheme: Scheme, result: RunResult, factors: Sequence[Factor]) -> None:
        import numpy as np

        self.scheme = scheme
        self.factors = list(factors)
        self.approximations: set[str] = set()
        index = {
            (f.kind, f.target[0]): i for i, f in enumerate(self.factors) if f.kind in {"part", "indicator", "rule"}
        }
        self._bases = np.array([f.base for f in self.factors], dtype=float)
        rule_ids = scheme.rule_ids
        self.grades = list(scheme.grading.grades)
        exponent = scheme.precision.as_tuple().exponent if scheme.precision else -2
        self.digits = max(-exponent, 0) if isinstance(exponent, int) else 2
        self.units: list[_Unit] = []
        self.unranked: list[tuple[str, str, str]] = []
        for result_unit in result.units:
            if result_unit.rank is None:
                self.unranked.append((result_unit.unit, result_unit.name, result_unit.group))
                continue
            self.units.append(self._decompose(result_unit, index, rule_ids))
        self.names = scheme.names()
        self.frame = grading_frame(
            scheme,
            [u.unit for u in self.units],
            [u.group for u in self.units],
            [1] * len(self.units),  # every unit here is ranked
            {position: u.vetoes for position, u in enumerate(self.units) if u.vetoes},
        )
        self._constant = np.array([u.constant for u in self.units], dtype=float)
        self._parts = self._part_arrays()
        self._tie_break = [self._tie_break_terms(item) for item in scheme.grading.tie_break]
        self._counts = [(i, f.target) for i, f in enumerate(self.factors) if f.kind == "quota_count"]
        self._shares = {f.target[0]: i for i, f in enumerate(self.factors) if f.kind == "quota_share"}
        self._band_factors = {f.target: i for i, f in enumerate(self.factors) if f.kind == "band"}
        self.labels: tuple[str, ...] = tuple(self.grades)  # what grade codes stand for (set by each draw)

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
        fixed_parts: dict[str, float] = {}
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
                fixed_parts[part_id] = total
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
            fixed_parts,
            tuple(result_unit.read_vetoes()),
        )

    def _touches_rules(self, cap_rule: str, index: Mapping[tuple[str, str], int]) -> bool:
        cap_id = cap_rule.removeprefix("cap:")
        cap = next((c for c in self.scheme.caps if c.id == cap_id), None)
        return cap is not None and any(("rule", r) in index for r in cap.rules)

    def _part_arrays(self) -> list[_PartArrays]:
        """The drawn parts as arrays over the units, in scheme order."""
        import numpy as np

        size, count = len(self.units), len(self.factors)
        found = []
        for declared in self.scheme.parts:
            present = np.zeros(size, dtype=bool)
            fixed = np.zeros(size)
            terms = np.zeros((count, size))
            sample: _Part | None = None
            for position, unit in enumerate(self.units):
                part = dict(unit.parts).get(declared.id)
                if part is None:
                    continue
                sample = part
                present[position] = True
                fixed[position] = part.fixed
                for factor, points in part.terms:
                    terms[factor, position] += points
            if sample is None:
                continue
            used = np.flatnonzero(terms.any(axis=1))
            found.append(
                _PartArrays(
                    declared.id,
                    present,
                    fixed,
                    used,
                    terms[used],
                    sample.weight,
                    sample.declared,
                    sample.cap,
                    sample.floor,
                    sample.overflow,
                )
            )
        return found

    def _tie_break_terms(self, item: str) -> _TieBreak:
        """A tie-break key over the units: a part's score (drawn, or fixed where no factor touches it), or
        an indicator's points with the factor and part weight that scale them in a draw."""
        import numpy as np

        size = len(self.units)
        if any(item == p.id for p in self.scheme.parts):
            fixed = np.array([u.fixed_parts.get(item, 0.0) for u in self.units])
            return _TieBreak(item, True, fixed, -1, -1, 1.0, np.zeros(size, dtype=bool))
        points = np.array([u.indicator_terms[item][2] if item in u.indicator_terms else 0.0 for u in self.units])
        factor = next((u.indicator_terms[item][1] for u in self.units if item in u.indicator_terms), -1)
        indicator = next((i for i in self.scheme.indicators if i.id == item), None)
        drawn = next((p for p in self._parts if indicator is not None and p.id == indicator.part), None)
        if drawn is None or drawn.weight < 0:
            return _TieBreak(item, False, points, factor, -1, 1.0, np.zeros(size, dtype=bool))
        return _TieBreak(item, False, points, factor, drawn.weight, drawn.declared, drawn.present)

    # -- draws ---------------------------------------------------------------------------------------

    def base_values(self) -> list[float]:
        return [float(b) for b in self._bases]

    def totals_batch(self, values: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Each draw's totals (``(draws, units)``, unrounded) and the drawn parts' scores (for tie-breaks)."""
        import numpy as np

        batch = values.shape[0]
        scale = values / self._bases if len(self._bases) else values
        totals = np.broadcast_to(self._constant, (batch, len(self.units))).copy()
        scores: dict[str, np.ndarray] = {}
        for part in self._parts:
            # einsum, not @: the inner dimension is a few factors, which BLAS handles with more overhead than work
            raw = part.fixed + np.einsum("bf,fn->bn", scale[:, part.factors], part.terms)
            overflow = np.zeros_like(raw)
            if part.cap is not None:
                raw = np.minimum(raw, part.cap)
            if part.floor is not None:
                if part.overflow:
                    overflow = np.minimum(raw - part.floor, 0.0)
                raw = np.maximum(raw, part.floor)
            if part.weight >= 0:
                weight = (values[:, part.weight] / part.declared)[:, None]
                raw, overflow = raw * weight, overflow * weight
            totals += np.where(part.present, raw + overflow, 0.0)
            scores[part.id] = np.where(part.present, raw, np.nan)
        return totals, scores

    def evaluate_batch(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Totals (rounded to the scheme precision), competition ranks and grade codes (into
        :attr:`labels`) of a batch of draws, ``values`` ``(draws, factors)``: all on arrays."""

        try:
            return self._evaluate(values)
        except InputError:
            if len(values) == 1:
                raise
            for row in range(len(values)):  # the error of the first draw that has one, as one by one would
                self._evaluate(values[row : row + 1])
            raise

    def _evaluate(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        import numpy as np

        unit = 10.0**self.digits
        raw, scores = self.totals_batch(values)
        fixed = np.rint(raw * unit)  # the draw's totals at the scheme precision, as whole numbers of it
        keys = [-fixed]
        for tie in self._tie_break:
            if tie.part:
                drawn = scores.get(tie.item)
                value = tie.points + 0 * raw if drawn is None else np.where(np.isnan(drawn), tie.points, drawn)
            else:
                value = tie.points * (values[:, [tie.factor]] / self._bases[tie.factor] if tie.factor >= 0 else 1.0)
                if tie.weight >= 0:
                    value = np.where(tie.weighted, value * (values[:, [tie.weight]] / tie.declared), value)
                value = value + 0 * raw
            keys.append(-np.rint(value * unit))
        stacked = np.stack(keys)
        order = standing(self.frame, stacked)
        ranks = competition_ranks(self.frame, stacked, order)
        totals = fixed / unit
        graded = grade_arrays(
            self.frame,
            totals,
            stacked,
            self._band_bounds(values),
            order=order,
            quota_sizes=self._quota_sizes(values),
            names=self.names,  # an on_tie error names the group as the engine's does
        )
        self.labels = graded.labels
        return totals, ranks, graded.codes

    def evaluate(self, values: Sequence[float]) -> tuple[list[float], list[int], list[str]]:
        """Totals, competition ranks within groups, and grades of the ranked units for one draw."""
        import numpy as np

        totals, ranks, codes = self.evaluate_batch(np.array([values], dtype=float).reshape(1, len(self.factors)))
        return totals[0].tolist(), ranks[0].tolist(), [self.labels[c] for c in codes[0].tolist()]

    def _band_bounds(self, values: np.ndarray) -> list[tuple[Band, Bounds]]:
        """Each band with its bounds in these draws (drawn where a range varies them, declared otherwise)."""
        bands = []
        for band in self.scheme.grading.bands:
            bounds: list[Any] = []
            for name in BOUNDS:
                value = getattr(band, name)
                drawn = self._band_factors.get((band.id, name))
                bounds.append(values[:, drawn] if drawn is not None else float(value) if value is not None else None)
            bands.append((band, (bounds[0], bounds[1], bounds[2], bounds[3])))
        return bands

    def _quota_sizes(self, values: np.ndarray) -> Callable[[Quota, str, int], Any]:
        """The quota sizes of these draws: drawn counts and shares where a range varies them."""
        import numpy as np

        counts = {target: np.rint(values[:, i]).astype(np.int64) for i, target in self._counts}

        def size(quota: Quota, pool: str, members: int) -> Any:
            if (quota.id, pool) in counts:
                return counts[(quota.id, pool)]
            if quota.id in self._shares:
                drawn = values[:, self._shares[quota.id]].tolist()
                return np.array([quota_size(attrs.evolve(quota, share=Decimal(repr(v))), pool, members) for v in drawn])
            return quota_size(quota, pool, members)

        return size


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


# cells (draws × units) of one batch of draws: a few dozen arrays of this size are alive at once
BATCH_CELLS = 1 << 19


def simulate(
    label: str,
    scheme: Scheme,
    result: RunResult,
    ranges: Sequence[Range],
    draws: int = 1000,
    seed: int | None = None,
) -> UncertaintyResult:
    """Draw every factor uniformly and independently ``draws`` times; summarise ranks and grades.

    The draws are evaluated in batches on arrays (:meth:`Model.evaluate_batch`); the values drawn do not
    depend on the batch size (one generator, drawn in order), so a seed gives the same result everywhere.
    """
    import time

    import numpy as np

    started = time.perf_counter()
    if draws < 1:
        raise InputError(_("--draws must be at least 1"))
    factors, skipped = resolve(scheme, ranges)
    model = Model(scheme, result, factors)
    seed = DEFAULT_SEED if seed is None else seed
    rng = np.random.Generator(np.random.PCG64(seed))
    size = len(model.units)
    pool_sizes = np.bincount(model.frame.pools, minlength=len(model.frame.pool_ids))
    histograms = RankHistograms(size, most=pool_sizes[model.frame.pools])
    grade_counts = np.zeros((size, len(model.grades)), dtype=np.int64)
    low = np.array([f.low for f in factors], dtype=float)
    width = np.array([f.high - f.low for f in factors], dtype=float)
    whole = np.array([f.kind == "quota_count" for f in factors], dtype=bool)
    first = np.array([math.ceil(f.low) for f in factors], dtype=float)
    choices = np.array([max(math.floor(f.high) - math.ceil(f.low) + 1, 1) for f in factors], dtype=float)
    batch = max(1, min(draws, BATCH_CELLS // max(size, 1)))
    with progress.task(_("draws of {label}").format(label=label), draws) as advance:
        done = 0
        while done < draws:
            count = min(batch, draws - done)
            uniform = rng.random((count, len(factors)))
            values = np.where(whole, first + np.floor(uniform * choices), low + width * uniform)
            _totals, ranks, codes = model.evaluate_batch(values)
            histograms.add(ranks)
            for grade in range(len(model.grades)):
                grade_counts[:, grade] += (codes == grade).sum(axis=0)
            done += count
            advance(count)
    exact = result.by_unit()
    medians = histograms.median().tolist() if size else []
    p05 = histograms.percentile(0.05).tolist() if size else []
    p95 = histograms.percentile(0.95).tolist() if size else []
    shares = (grade_counts / draws).tolist()
    units = []
    for position, unit in enumerate(model.units):
        units.append(
            UnitUncertainty(
                unit.unit,
                unit.name,
                unit.group,
                exact[unit.unit].rank,
                exact[unit.unit].grade,
                medians[position],
                p05[position],
                p95[position],
                dict(zip(model.grades, shares[position], strict=True)),
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
