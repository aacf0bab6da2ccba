"""One dataset through several schemes, or through one scheme and its reforms, side by side.

A comparison always carries its baseline (the first variant), as PolicyEngine's reformed simulations
do: rank shifts, grade transitions, correlations and grade changes are all read against it. Each
variant is an ordinary run through the plugin host, so every number in a comparison is the number
``kaoping score`` gives for that scheme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from kaoping.compare.channels import ChannelMap, Gap, find_channel_map, translate, units_without
from kaoping.compare.perturb import UncertaintyResult
from kaoping.compare.stats import TauB, kendall_tau_b, spearman_rho
from kaoping.core.errors import InputError
from kaoping.core.methods import bind_scheme
from kaoping.core.models import Dataset
from kaoping.core.numbers import ZERO
from kaoping.core.overrides import apply_overrides, parse_blaming
from kaoping.core.pipeline import run
from kaoping.core.plugins import PluginHost
from kaoping.core.results import RunResult, UnitResult
from kaoping.core.scheme import Scheme, parse_scheme
from kaoping.locale import _

ALL = "(all)"


@attrs.frozen
class VariantSpec:
    """A scheme id with override layers applied in order (a deployment's, then a reform's)."""

    label: str
    scheme_id: str
    overrides: tuple[tuple[Mapping[str, Any], str], ...] = ()
    notes: tuple[str, ...] = ()  # said with the variant's output (e.g. which deployment overrides apply)


@attrs.define
class Variant:
    label: str
    scheme: Scheme
    result: RunResult | None
    gaps: tuple[Gap, ...] = ()
    notes: tuple[str, ...] = ()
    dataset: Dataset | None = None
    channel_map: ChannelMap | None = None
    data_groups: Mapping[str, str] = attrs.field(factory=dict)  # unit → its group in the data

    @property
    def excluded(self) -> tuple[str, ...]:
        """Units left out of this variant: the data lacks something the scheme needs for them, or the scheme
        cannot place their group."""
        return tuple(sorted({g.unit for g in self.gaps if g.unit} | {u for g in self.gaps for u in g.units}))

    def data_group(self, unit: str, scheme_group: str) -> str:
        """The unit's group in the data (rows and per-group statistics are by data group)."""
        return self.data_groups.get(unit, scheme_group)


def build_scheme(host: PluginHost, spec: VariantSpec) -> Scheme:
    """The scheme after every override layer, each validated before it is applied."""
    entry = host.schemes.get(spec.scheme_id)
    if entry is None:
        return host.scheme(spec.scheme_id)  # raises the host's error listing the known schemes
    if not spec.overrides:
        return host.scheme(spec.scheme_id)
    data: dict[str, Any] = dict(entry.data)
    blamed = None
    for overrides, origin in spec.overrides:
        if overrides:
            data = apply_overrides(data, dict(overrides), origin)
            blamed = origin
    if data.get("id") != spec.scheme_id:
        raise InputError(_("overrides may not change the scheme id ({label})").format(label=spec.label))
    return parse_blaming(
        lambda d: bind_scheme(parse_scheme(d, origin=entry.origin, plugin=entry.plugin), host.methods),
        data,
        dict(entry.data),
        blamed,
    )


def run_variant(
    host: PluginHost, spec: VariantSpec, dataset: Dataset, channel_maps: Sequence[ChannelMap] = ()
) -> Variant:
    """Translate the dataset for the scheme, leave out what cannot be scored honestly, and run it.

    A scheme-wide gap (no unit has data for a required indicator) leaves the variant without a result;
    a unit-level gap leaves that unit out of the variant. Both are listed, never scored as 0.
    """
    scheme = build_scheme(host, spec)
    channel_map = find_channel_map(host, scheme.id, channel_maps)
    translation = translate(scheme, dataset, channel_map)
    gaps = translation.gaps
    notes = (*spec.notes, *translation.unused)
    variant = Variant(spec.label, scheme, None, gaps, notes, translation.dataset, channel_map, translation.data_groups)
    if any(g.scheme_wide for g in gaps):
        return variant
    data = translation.dataset
    if variant.excluded:
        data = units_without(data, variant.excluded)
    if not data.units:
        return variant  # every unit left out: the gaps say why
    try:
        variant.result = run(host, scheme, data)
    except InputError as error:
        # several schemes run in one comparison: say which one the problem is in
        problems = [
            attrs.evolve(p, message=_("{label}: {message}").format(label=spec.label, message=p.message))
            for p in error.problems
        ]
        raise type(error)(problems) from error
    return variant


# ---------------------------------------------------------------------------------------------------------


@attrs.frozen
class Cell:
    total: Decimal
    rank: int | None
    grade: str
    reason: str
    group: str = ""  # the scheme's group the unit was ranked and graded in


@attrs.frozen
class UnitRow:
    unit: str
    name: str
    group: str
    cells: tuple[Cell | None, ...]  # one per variant; None: not scored in that variant

    def shift(self, index: int) -> int | None:
        """Places gained against the baseline (positive: moved up)."""
        base, other = self.cells[0], self.cells[index]
        if base is None or other is None or base.rank is None or other.rank is None:
            return None
        return base.rank - other.rank


@attrs.frozen
class TrailDiff:
    rule: str
    label: str
    part: str
    kind: str
    before: Decimal
    after: Decimal

    @property
    def delta(self) -> Decimal:
        return self.after - self.before


@attrs.frozen
class ChannelDiff:
    """Points a unit draws from one channel under each scheme, also as a share of each scheme's total,
    because schemes with different full marks are compared on the same data."""

    channel: str
    before: Decimal
    after: Decimal
    before_share: Decimal
    after_share: Decimal


@attrs.frozen
class GradeChange:
    unit: str
    name: str
    group: str
    before: Cell
    after: Cell
    diffs: tuple[TrailDiff, ...]
    channels: tuple[ChannelDiff, ...] = ()
    cause: str = ""

    @property
    def own_trail_unchanged(self) -> bool:
        return not self.diffs


@attrs.frozen
class Correlation:
    group: str
    tau: TauB
    spearman: float | None


@attrs.frozen
class Pair:
    """The baseline against one other variant."""

    base: str
    other: str
    grades: tuple[str, ...]
    transitions: Mapping[tuple[str, str], int]
    correlations: tuple[Correlation, ...]
    changes: tuple[GradeChange, ...]


@attrs.define
class Comparison:
    variants: list[Variant]
    rows: list[UnitRow]
    pairs: list[Pair]
    uncertainty: list[UncertaintyResult] = attrs.field(factory=list)  # one per perturbed variant

    @property
    def labels(self) -> list[str]:
        return [v.label for v in self.variants]

    @property
    def gaps(self) -> list[Gap]:
        return [g for v in self.variants for g in v.gaps]

    def tau_matrix(self) -> dict[tuple[str, str], float | None]:
        """Kendall's tau-b on totals between every two scored variants, over units ranked in both."""
        scored = [(v.label, v.result.by_unit()) for v in self.variants if v.result is not None]
        matrix: dict[tuple[str, str], float | None] = {}
        for i, (label_a, a) in enumerate(scored):
            for label_b, b in scored[i + 1 :]:
                units = [u for u in a if u in b and a[u].rank is not None and b[u].rank is not None]
                value = kendall_tau_b([a[u].total for u in units], [b[u].total for u in units]).value
                matrix[(label_a, label_b)] = matrix[(label_b, label_a)] = value
        return matrix


def compare_variants(variants: Sequence[Variant]) -> Comparison:
    """Side-by-side rows, and for each variant after the first its pair statistics against the first."""
    if len(variants) < 2:
        raise InputError(_("a comparison needs at least two schemes or reforms"))
    scored = [v.result.by_unit() if v.result else {} for v in variants]
    order: dict[str, tuple[str, str]] = {}
    for variant in variants:
        source = variant.result.units if variant.result else []
        for unit in source:
            order.setdefault(unit.unit, (unit.name, variant.data_group(unit.unit, unit.group)))
    for variant in variants:
        for data_unit in variant.dataset.units if variant.dataset else ():
            order.setdefault(data_unit.id, (data_unit.name, variant.data_group(data_unit.id, data_unit.group)))
    rows = [
        UnitRow(unit, name, group, tuple(_cell(s.get(unit)) for s in scored)) for unit, (name, group) in order.items()
    ]
    pairs = [
        _pair(variants[0], variant, scored[0], scored[index])
        for index, variant in enumerate(variants[1:], start=1)
        if variants[0].result is not None and variant.result is not None
    ]
    return Comparison(list(variants), rows, pairs)


def _cell(result: UnitResult | None) -> Cell | None:
    return None if result is None else _cell_of(result)


def _cell_of(result: UnitResult) -> Cell:
    return Cell(result.total, result.rank, result.grade, result.grade_reason, result.group)


def _pair(base: Variant, other: Variant, a: dict[str, UnitResult], b: dict[str, UnitResult]) -> Pair:
    grades = _grade_order(base.scheme, other.scheme)
    transitions: dict[tuple[str, str], int] = {}
    common = [u for u in a if u in b]
    for unit in common:
        if a[unit].rank is None or b[unit].rank is None:
            continue
        key = (a[unit].grade, b[unit].grade)
        transitions[key] = transitions.get(key, 0) + 1
    ranked = [u for u in common if a[u].rank is not None and b[u].rank is not None]
    correlations = [
        Correlation(
            ALL,
            kendall_tau_b([a[u].total for u in ranked], [b[u].total for u in ranked]),
            spearman_rho([a[u].total for u in ranked], [b[u].total for u in ranked]),
        )
    ]
    # per data group: a scheme may rank several data groups together, so its ranks compare within a data group
    group_of = {u: base.data_group(u, a[u].group) for u in ranked}
    groups = sorted(set(group_of.values()), key=lambda g: _group_position(base.scheme, g))
    if len(groups) > 1:
        for group in groups:
            members = [u for u in ranked if group_of[u] == group]
            xs = [-(a[u].rank or 0) for u in members]
            ys = [-(b[u].rank or 0) for u in members]
            correlations.append(Correlation(group, kendall_tau_b(xs, ys), spearman_rho(xs, ys)))
    changes = []
    for unit in common:
        if a[unit].grade == b[unit].grade:
            continue
        diffs = tuple(trail_diff(a[unit], b[unit]))
        channels: tuple[ChannelDiff, ...] = ()
        if base.scheme.id != other.scheme.id:
            channels = tuple(channel_diff(base, a[unit], other, b[unit]))
        changes.append(
            GradeChange(
                unit,
                a[unit].name,
                base.data_group(unit, a[unit].group),
                _cell_of(a[unit]),
                _cell_of(b[unit]),
                diffs,
                channels,
                _cause(base, other, diffs),
            )
        )
    return Pair(base.label, other.label, grades, transitions, tuple(correlations), tuple(changes))


def _cause(base: Variant, other: Variant, diffs: Sequence[TrailDiff]) -> str:
    if base.scheme.id != other.scheme.id:
        return _("different schemes: the points come from other indicators and rules (see the channels)")
    if diffs:
        return _("its own points differ: the trail entries below")
    if base.scheme.grading != other.scheme.grading:
        return _("its own trail is unchanged; the grading rules (bands, quotas, tie-breaks) differ")
    return _("its own trail is unchanged; other units' totals moved the quota boundary")


def channel_of(variant: Variant, kind: str, rule: str, part: str) -> str:
    """The shared channel a trail entry belongs to, or ``other: <part>`` (bases, caps, floors)."""
    channel_map = variant.channel_map
    if channel_map is not None:
        if kind == "indicator":
            channels = list(dict.fromkeys(i.channel for i in channel_map.indicators if i.indicator == rule))
            if channels:
                return "+".join(channels)  # one trail entry from several channels (a weighted indicator)
        if kind == "rule":
            for channel, mapped in channel_map.rules.items():
                if mapped == rule:
                    return channel
            rule_kind = next((r.kind for r in variant.scheme.rules if r.id == rule), "")
            return "deductions" if rule_kind == "deduction" else "bonuses"
    if kind == "veto":
        return _("vetoes")
    return _("other: {part}").format(part=part or _("total"))


def channel_diff(base: Variant, a: UnitResult, other: Variant, b: UnitResult) -> list[ChannelDiff]:
    def profile(variant: Variant, result: UnitResult) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for entry in result.score.trail:
            channel = channel_of(variant, entry.kind, entry.rule, entry.part or "")
            out[channel] = out.get(channel, ZERO) + entry.points
        return out

    before, after = profile(base, a), profile(other, b)
    full_a, full_b = base.scheme.total or Decimal(1), other.scheme.total or Decimal(1)
    diffs = []
    for channel in dict.fromkeys([*before, *after]):
        x, y = before.get(channel, ZERO), after.get(channel, ZERO)
        diffs.append(
            ChannelDiff(
                channel,
                x,
                y,
                (x * 100 / full_a).quantize(Decimal("0.01")),
                (y * 100 / full_b).quantize(Decimal("0.01")),
            )
        )
    diffs.sort(key=lambda d: (-abs(d.after_share - d.before_share), d.channel))
    return diffs


def _group_position(scheme: Scheme, group: str) -> tuple[int, str]:
    ids = [g.id for g in scheme.groups]
    return (ids.index(group) if group in ids else len(ids), group)


def _grade_order(a: Scheme, b: Scheme) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for grade in (*a.grading.grades, *b.grading.grades):
        seen.setdefault(grade, None)
    return tuple(seen)


def trail_diff(a: UnitResult, b: UnitResult) -> list[TrailDiff]:
    """Trail entries whose points differ, summed per (kind, rule): the rules that made the difference."""

    def summed(result: UnitResult) -> dict[tuple[str, str], tuple[str, str, Decimal]]:
        out: dict[tuple[str, str], tuple[str, str, Decimal]] = {}
        for entry in result.score.trail:
            key = (entry.kind, entry.rule)
            label, part, points = out.get(key, (entry.label, entry.part or "", ZERO))
            out[key] = (label, part, points + entry.points)
        return out

    before, after = summed(a), summed(b)
    diffs = []
    for key in dict.fromkeys([*before, *after]):
        label, part, old = before.get(key, (None, None, ZERO))
        new_label, new_part, new = after.get(key, (label, part, ZERO))
        if old != new:
            diffs.append(TrailDiff(key[1], str(label or new_label), str(part or new_part), key[0], old, new))
    diffs.sort(key=lambda d: (-abs(d.delta), d.rule))
    return diffs
