"""Results: the explanation trail, per-unit scores and the ranked, graded outcome of a run.

Part scores and totals are *derived* from the trail (never stored beside it), so the trail adds up to the
total exactly by construction; every entry names the plugin that produced it.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from decimal import Decimal
from typing import Any, Literal, get_args

import attrs

from kaoping.core.numbers import ZERO

EntryKind = Literal["base", "indicator", "rule", "veto", "cap", "floor", "overflow", "adjustment"]
"""What a trail entry records: a part's base, an indicator's or rule's points, a veto's deduction, a cap or
floor correction, the overflow of a floor into the total, or a plugin's adjustment."""
ENTRY_KINDS: tuple[EntryKind, ...] = get_args(EntryKind)

VetoEffect = Literal["deduct", "disqualify", "force_grade", "promote", "record"]
"""What a veto does: take points from a part, bar grades, force a grade, promote past the quota, or only
record (with consequences)."""
VETO_EFFECTS: tuple[VetoEffect, ...] = get_args(VetoEffect)


@attrs.define
class TrailEntry:
    """One step of the explanation: which rule gave how many points into which part.

    Treat entries as immutable once added (they are not frozen only because frozen construction is four
    times slower, and a run creates one entry per unit per indicator).

    ``part`` is None for adjustments that sit outside every part (an overflow into the total).
    """

    kind: EntryKind
    rule: str
    label: str
    part: str | None
    points: Decimal
    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    note: str = ""
    plugin: str = "builtin"


ADDING_PLUGIN: ContextVar[str] = ContextVar("kaoping_adding_plugin", default="")
"""The plugin whose hook wrapper the host is running (see ``PluginHost.score``), or "" outside one."""


def named(entry: TrailEntry) -> TrailEntry:
    """``entry`` naming the plugin whose wrapper adds it, when it names none (still says ``builtin``)."""
    plugin = ADDING_PLUGIN.get()
    return attrs.evolve(entry, plugin=plugin) if plugin and entry.plugin == "builtin" else entry


@attrs.define
class UnitScore:
    """The score of one unit: its trail, and the parts and total derived from it."""

    unit: str
    parts_scored: tuple[str, ...]
    trail: list[TrailEntry] = attrs.field(factory=list)

    def add(self, entry: TrailEntry) -> None:
        self.trail.append(named(entry))

    def part_points(self, part: str) -> Decimal:
        return sum((e.points for e in self.trail if e.part == part), ZERO)

    @property
    def parts(self) -> dict[str, Decimal]:
        totals = dict.fromkeys(self.parts_scored, ZERO)
        for entry in self.trail:
            if entry.part is not None:
                totals[entry.part] = totals.get(entry.part, ZERO) + entry.points
        return totals

    @property
    def adjustments(self) -> Decimal:
        return sum((e.points for e in self.trail if e.part is None), ZERO)

    @property
    def total(self) -> Decimal:
        return sum((e.points for e in self.trail), ZERO)

    def indicator_points(self) -> dict[str, Decimal]:
        return {e.rule: e.points for e in self.trail if e.kind == "indicator"}


@attrs.define
class ScoreTable:
    """Scores of every unit of a run, in dataset order."""

    scores: dict[str, UnitScore] = attrs.field(factory=dict)
    notes: list[str] = attrs.field(factory=list)
    warnings: list[str] = attrs.field(factory=list)

    def __getitem__(self, unit: str) -> UnitScore:
        return self.scores[unit]

    def __iter__(self):
        return iter(self.scores.values())

    def __len__(self) -> int:
        return len(self.scores)


@attrs.frozen
class Veto:
    """A veto that applies to a unit: from the vetoes table or found by a plugin's check."""

    unit: str
    area: str
    effect: VetoEffect
    source: str = ""
    note: str = ""
    points: Decimal | None = None
    part: str = ""
    grades: tuple[str, ...] = ()
    grade: str = ""
    from_grades: tuple[str, ...] = ()  # promote: only a unit the bands graded one of these
    plugin: str = ""  # the host fills in the name of the plugin whose check returned it


@attrs.define
class UnitResult:
    """Everything a run says about one unit."""

    unit: str
    name: str
    group: str
    score: UnitScore
    rank: int | None = None
    grade: str = ""
    grade_reason: str = ""
    vetoes: list[Veto] = attrs.field(factory=list)
    consequences: dict[str, Any] = attrs.field(factory=dict)

    @property
    def total(self) -> Decimal:
        return self.score.total

    @property
    def parts(self) -> dict[str, Decimal]:
        return self.score.parts


@attrs.frozen
class Names:
    """The scheme's names of what results refer to by id: what people read, where machines read the ids.

    Each lookup falls back to the id itself, so a result of a part or group the scheme does not name
    still shows something.
    """

    parts: Mapping[str, str] = attrs.field(factory=dict)
    indicators: Mapping[str, str] = attrs.field(factory=dict)
    rules: Mapping[str, str] = attrs.field(factory=dict)
    groups: Mapping[str, str] = attrs.field(factory=dict)
    vetoes: Mapping[str, str] = attrs.field(factory=dict)

    def part(self, part_id: str | None) -> str:
        return self.parts.get(part_id or "", part_id or "")

    def indicator(self, indicator_id: str) -> str:
        return self.indicators.get(indicator_id, indicator_id)

    def rule(self, rule_id: str) -> str:
        """A rule or an indicator (trail entries name either) by its name."""
        return self.rules.get(rule_id) or self.indicators.get(rule_id) or rule_id

    def group(self, group_id: str) -> str:
        return self.groups.get(group_id, group_id)

    def veto(self, area_id: str) -> str:
        return self.vetoes.get(area_id, area_id)


@attrs.define
class RunResult:
    """The outcome of scoring one dataset with one scheme."""

    scheme_id: str
    scheme_name: str
    units: list[UnitResult]
    notes: list[str] = attrs.field(factory=list)
    # Guidelines the data does not follow (「左右」「一般」「原则上」): listed with the source's words, never fatal.
    warnings: list[str] = attrs.field(factory=list)
    plugins: dict[str, str] = attrs.field(factory=dict)
    pools: dict[str, str] = attrs.field(factory=dict)  # group → the pool it is ranked in, where it has one
    names: Names = attrs.field(factory=Names)  # the scheme's names of parts, groups, rules, veto areas

    def by_unit(self) -> dict[str, UnitResult]:
        return {u.unit: u for u in self.units}

    def ranking_sections(self) -> dict[str, list[UnitResult]]:
        """Units by the pool (or group) they are ranked in, in result order: what a ranking table shows."""
        sections: dict[str, list[UnitResult]] = {}
        for result in self.units:
            sections.setdefault(self.pools.get(result.group, result.group), []).append(result)
        return sections

    def groups(self) -> dict[str, list[UnitResult]]:
        grouped: dict[str, list[UnitResult]] = {}
        for result in self.units:
            grouped.setdefault(result.group, []).append(result)
        return grouped
