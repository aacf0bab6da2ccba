"""Results: the explanation trail, per-unit scores and the ranked, graded outcome of a run.

Part scores and totals are *derived* from the trail (never stored beside it), so the trail adds up to the
total exactly by construction; every entry names the plugin that produced it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableSequence, Sequence
from contextvars import ContextVar
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, get_args, overload

import attrs

from kaoping.core.numbers import ZERO

if TYPE_CHECKING:
    import numpy as np

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


def parts_of(trail: Iterable[TrailEntry], parts_scored: tuple[str, ...]) -> dict[str, Decimal]:
    """Each part's points summed from a trail: every part scored (0 without entries), then any other part an
    entry names; entries outside every part are the adjustments, not a part."""
    totals = dict.fromkeys(parts_scored, ZERO)
    for entry in trail:
        if entry.part is not None:
            totals[entry.part] = totals.get(entry.part, ZERO) + entry.points
    return totals


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
        return parts_of(self.trail, self.parts_scored)

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

    def read_vetoes(self) -> Sequence[Veto]:
        """The vetoes, to read and not to change: a writer's access, which keeps no list for a unit of a
        run's arrays that has none."""
        return self.vetoes

    def read_consequences(self) -> Mapping[str, Any]:
        """The consequences, to read and not to change: a writer's access, which keeps no copy for a unit
        of a run's arrays (:class:`StoredUnitResult`)."""
        return self.consequences


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
    # a list, or a run's arrays read as one (:class:`UnitResults`): either way a sequence of UnitResult
    units: MutableSequence[UnitResult]
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


# ---------------------------------------------------------------------------------------------------------
# a run's results as arrays, a UnitResult built per unit for whoever asks


@attrs.frozen
class RankedText:
    """A grade reason that names the unit's rank (a quota place's: 「优秀 quota: top 3 of … (rank 2)」),
    translated when the unit was graded and written out when read: one per quota and pool, not one text
    per unit holding a place."""

    template: str
    fields: tuple[tuple[str, Any], ...]

    def text(self, rank: int | None) -> str:
        return self.template.format(rank=rank, **dict(self.fields))


@attrs.define(eq=False)
class ResultColumns:
    """Everything a run says about its units, one array or list per field, in result order.

    Per unit: the id and name (the dataset's strings), the score, and small integer codes: the group (into
    ``group_ids``), the rank (0 for none), the grade (into ``grade_labels``), the grade reason (into
    ``reason_texts``: one text per band, one :class:`RankedText` per quota and pool). Sparse, by position:
    the reasons of their own (a veto's), the vetoes, and the consequences of units whose consequences were
    handed out (to a hook, which may change them); the others' consequences are one table per grade and
    group (``consequence_tables`` by ``consequence_codes``), copied for a unit when it is first asked for.

    :class:`StoredUnitResult` reads and writes one unit's fields here, so a change a hook makes through it
    is the run's.
    """

    unit_ids: list[str]
    unit_names: list[str]
    scores: list[UnitScore]  # a UnitScore or CompactUnitScore per unit
    group_ids: list[str]
    groups: np.ndarray  # int: codes into group_ids
    ranks: np.ndarray  # int64: the rank, 0 for none
    grade_labels: list[str]
    grades: np.ndarray  # int: codes into grade_labels
    reason_texts: list[str | RankedText]
    reasons: np.ndarray  # int: codes into reason_texts
    own_reasons: dict[int, str] = attrs.field(factory=dict)
    vetoes: dict[int, list[Veto]] = attrs.field(factory=dict)
    consequence_tables: list[Mapping[str, Any]] = attrs.field(factory=lambda: [{}])
    consequence_codes: np.ndarray | None = None  # int: codes into consequence_tables; None: every unit's is 0
    consequences: dict[int, dict[str, Any]] = attrs.field(factory=dict)
    own_ranks: dict[int, Any] = attrs.field(factory=dict)  # a rank a hook set that is not a positive int

    def __len__(self) -> int:
        return len(self.unit_ids)

    # -- one field of one unit ------------------------------------------------------------------------------

    def rank(self, index: int) -> int | None:
        if index in self.own_ranks:
            return self.own_ranks[index]  # type: ignore[no-any-return]
        return int(self.ranks[index]) or None

    def set_rank(self, index: int, rank: int | None) -> None:
        self._keep_reason(index)  # a reason that names the rank keeps the rank it was given with
        if isinstance(rank, int) and not isinstance(rank, bool) and 0 < rank < 2**62:
            self.ranks[index] = rank
            self.own_ranks.pop(index, None)
        else:
            self.ranks[index] = 0
            if rank is None:
                self.own_ranks.pop(index, None)
            else:
                self.own_ranks[index] = rank

    def grade(self, index: int) -> str:
        return self.grade_labels[int(self.grades[index])]

    def set_grade(self, index: int, grade: str) -> None:
        if grade not in self.grade_labels:
            self.grade_labels.append(grade)
        self.grades = _coded(self.grades, index, self.grade_labels.index(grade))

    def reason(self, index: int) -> str:
        own = self.own_reasons.get(index)
        if own is not None:
            return own
        text = self.reason_texts[int(self.reasons[index])]
        return text if isinstance(text, str) else text.text(self.rank(index))

    def set_reason(self, index: int, reason: str) -> None:
        self.own_reasons[index] = reason

    def _keep_reason(self, index: int) -> None:
        if index not in self.own_reasons and not isinstance(self.reason_texts[int(self.reasons[index])], str):
            self.own_reasons[index] = self.reason(index)

    def group(self, index: int) -> str:
        return self.group_ids[int(self.groups[index])]

    def set_group(self, index: int, group: str) -> None:
        if group not in self.group_ids:
            self.group_ids.append(group)
        self.groups = _coded(self.groups, index, self.group_ids.index(group))

    def unit_vetoes(self, index: int) -> list[Veto]:
        """The unit's list of vetoes, kept from now on (whoever asked may add to it)."""
        found = self.vetoes.get(index)
        if found is None:
            found = self.vetoes[index] = []
        return found

    def read_vetoes(self, index: int) -> Sequence[Veto]:
        return self.vetoes.get(index, ())

    def unit_consequences(self, index: int) -> dict[str, Any]:
        """The unit's consequences, its own copy kept from now on (whoever asked may change it)."""
        found = self.consequences.get(index)
        if found is None:
            table = self.read_consequences(index)
            found = self.consequences[index] = {k: list(v) if isinstance(v, list) else v for k, v in table.items()}
        return found

    def read_consequences(self, index: int) -> Mapping[str, Any]:
        found = self.consequences.get(index)
        if found is not None:
            return found
        codes = self.consequence_codes
        return self.consequence_tables[0 if codes is None else int(codes[index])]

    # -- the whole run --------------------------------------------------------------------------------------

    def reordered(self, order: np.ndarray) -> ResultColumns:
        """The same results with the units in ``order`` (positions of this one)."""
        place = {int(old): new for new, old in enumerate(order.tolist())} if self._sparse() else {}

        def moved(found: Mapping[int, Any]) -> dict[int, Any]:
            return dict(sorted((place[k], v) for k, v in found.items()))

        ids, names, scores = self.unit_ids, self.unit_names, self.scores
        positions = order.tolist()
        return ResultColumns(
            [ids[k] for k in positions],
            [names[k] for k in positions],
            [scores[k] for k in positions],
            self.group_ids,
            self.groups[order],
            self.ranks[order],
            self.grade_labels,
            self.grades[order],
            self.reason_texts,
            self.reasons[order],
            moved(self.own_reasons),
            moved(self.vetoes),
            self.consequence_tables,
            None if self.consequence_codes is None else self.consequence_codes[order],
            moved(self.consequences),
            moved(self.own_ranks),
        )

    def _sparse(self) -> bool:
        return bool(self.own_reasons or self.vetoes or self.consequences or self.own_ranks)


def _coded(codes: np.ndarray, index: int, code: int) -> np.ndarray:
    """``codes`` with ``code`` at ``index``: the same array, or a wider copy when the code does not fit."""
    import numpy as np

    if code > np.iinfo(codes.dtype).max:
        codes = codes.astype(np.int64)
    codes[index] = code
    return codes


class StoredUnitResult(UnitResult):
    """One unit of a run's :class:`ResultColumns`, read like (and an instance of) :class:`UnitResult`.

    Built when asked for and not kept: every field reads from the arrays and every assignment writes to
    them, so a hook's ``unit.grade = …`` is the run's, and so is a change to ``unit.consequences`` or
    ``unit.vetoes`` (the dict or list handed out is the unit's own from then on). Pickled or copied, it
    becomes a plain :class:`UnitResult`.
    """

    __slots__ = ("_columns", "_index")
    _columns: ResultColumns
    _index: int

    def __init__(self, columns: ResultColumns, index: int) -> None:
        object.__setattr__(self, "_columns", columns)
        object.__setattr__(self, "_index", index)

    unit = property(  # type: ignore[assignment]
        lambda self: self._columns.unit_ids[self._index],
        lambda self, value: self._columns.unit_ids.__setitem__(self._index, value),
    )
    name = property(  # type: ignore[assignment]
        lambda self: self._columns.unit_names[self._index],
        lambda self, value: self._columns.unit_names.__setitem__(self._index, value),
    )
    group = property(  # type: ignore[assignment]
        lambda self: self._columns.group(self._index),
        lambda self, value: self._columns.set_group(self._index, value),
    )
    score = property(  # type: ignore[assignment]
        lambda self: self._columns.scores[self._index],
        lambda self, value: self._columns.scores.__setitem__(self._index, value),
    )
    rank = property(  # type: ignore[assignment]
        lambda self: self._columns.rank(self._index),
        lambda self, value: self._columns.set_rank(self._index, value),
    )
    grade = property(  # type: ignore[assignment]
        lambda self: self._columns.grade(self._index),
        lambda self, value: self._columns.set_grade(self._index, value),
    )
    grade_reason = property(  # type: ignore[assignment]
        lambda self: self._columns.reason(self._index),
        lambda self, value: self._columns.set_reason(self._index, value),
    )
    vetoes = property(  # type: ignore[assignment]
        lambda self: self._columns.unit_vetoes(self._index),
        lambda self, value: self._columns.vetoes.__setitem__(self._index, value),
    )
    consequences = property(  # type: ignore[assignment]
        lambda self: self._columns.unit_consequences(self._index),
        lambda self, value: self._columns.consequences.__setitem__(self._index, value),
    )

    def read_vetoes(self) -> Sequence[Veto]:
        return self._columns.read_vetoes(self._index)

    def read_consequences(self) -> Mapping[str, Any]:
        return self._columns.read_consequences(self._index)

    def plain(self) -> UnitResult:
        """A :class:`UnitResult` of its own with this unit's fields (its own copies of the lists)."""
        return UnitResult(
            self.unit,
            self.name,
            self.group,
            self.score,
            self.rank,
            self.grade,
            self.grade_reason,
            list(self.read_vetoes()),
            {k: list(v) if isinstance(v, list) else v for k, v in self.read_consequences().items()},
        )

    def __reduce__(self) -> tuple[Callable[..., UnitResult], tuple[Any, ...]]:
        plain = self.plain()
        return UnitResult, tuple(getattr(plain, a.name) for a in attrs.fields(UnitResult))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, StoredUnitResult):
            if other._columns is self._columns:
                return other._index == self._index
            return self.plain() == other.plain()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"StoredUnitResult({self.unit!r}, rank={self.rank}, grade={self.grade!r}, total={self.total})"


class UnitResults(MutableSequence[UnitResult]):
    """A run's units as a sequence of :class:`UnitResult`, over its :class:`ResultColumns`: each unit is
    built when read (:class:`StoredUnitResult`) and dropped after, so a million units hold their arrays
    and no object each.

    It changes like a list: the first change to the sequence itself (sort, append, remove…) turns it into
    a list of the units built once (whose fields still read and write the arrays) and it goes on as that
    list; :meth:`in_columns` then says no, and writers read the units one by one.
    """

    __slots__ = ("_listed", "columns")

    def __init__(self, columns: ResultColumns) -> None:
        self.columns = columns
        self._listed: list[UnitResult] | None = None

    def in_columns(self) -> bool:
        """True while the sequence is the columns' units in their order (nothing inserted, moved, removed)."""
        return self._listed is None

    def _list(self) -> list[UnitResult]:
        if self._listed is None:
            self._listed = [StoredUnitResult(self.columns, k) for k in range(len(self.columns))]
        return self._listed

    def __len__(self) -> int:
        return len(self.columns) if self._listed is None else len(self._listed)

    @overload
    def __getitem__(self, index: int) -> UnitResult: ...

    @overload
    def __getitem__(self, index: slice) -> list[UnitResult]: ...

    def __getitem__(self, index: int | slice) -> UnitResult | list[UnitResult]:
        if self._listed is not None:
            return self._listed[index]
        size = len(self.columns)
        if isinstance(index, slice):
            return [StoredUnitResult(self.columns, k) for k in range(*index.indices(size))]
        position = operator.index(index)
        position = position + size if position < 0 else position
        if not 0 <= position < size:
            raise IndexError("unit index out of range")
        return StoredUnitResult(self.columns, position)

    def __iter__(self) -> Iterator[UnitResult]:
        if self._listed is not None:
            return iter(self._listed)
        columns = self.columns
        return (StoredUnitResult(columns, k) for k in range(len(columns)))

    def __setitem__(self, index: Any, value: Any) -> None:
        self._list()[index] = value

    def __delitem__(self, index: int | slice) -> None:
        del self._list()[index]

    def insert(self, index: int, value: UnitResult) -> None:
        self._list().insert(index, value)

    def sort(self, *, key: Callable[[UnitResult], Any] | None = None, reverse: bool = False) -> None:
        self._list().sort(key=key, reverse=reverse)  # type: ignore[arg-type]

    def copy(self) -> list[UnitResult]:
        return list(self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, UnitResults)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other: Iterable[UnitResult]) -> list[UnitResult]:
        return [*self, *other]

    def __repr__(self) -> str:
        return f"UnitResults({len(self)} units)"
