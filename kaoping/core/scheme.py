"""A scheme is data: the parsed, validated form of a locality's scheme TOML.

The file format is documented in ``docs/scheme-format.md``. Parsing is strict: an unknown key is an error
that names the table it sits in, because a misspelt cap or threshold would otherwise be ignored silently.
Method parameters (everything on an indicator or rule that is not structural) are kept in ``params`` and
checked against the method's declared parameters when the scheme is bound to the method registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal, cast, get_args

import attrs

from kaoping.core.errors import MissingParameterError, Problem, SchemeError
from kaoping.core.numbers import ROUNDING_MODES, to_decimal
from kaoping.core.results import VETO_EFFECTS, Names, Veto, VetoEffect
from kaoping.locale import _

RuleKind = Literal["deduction", "bonus"]
BelowFloor = Literal["stop", "total"]
"""Past a part's floor: ``stop`` (扣完为止, the part stays at its floor) or ``total`` (the excess is taken
from the total)."""
Precedence = Literal["bands_first", "quotas_first"]
OnTie = Literal["exclude", "include", "error"]
Direction = Literal["higher", "lower"]
"""Whether a higher indicator value is better (the default) or worse (a place, a case rate)."""

_DOC_KEYS = {"quote", "source", "note", "reading", "draft"}


@attrs.frozen
class RosterEntry:
    id: str
    name: str
    attributes: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class Group:
    """A sequence (序列 / 系列) inside which units are ranked and quotas are counted."""

    id: str
    name: str
    ranked: bool = True
    parts: tuple[str, ...] | None = None  # None: scored on every part
    indicators: tuple[str, ...] | None = None  # None: every indicator of its parts
    roster: tuple[RosterEntry, ...] = ()
    pool: str = ""  # groups sharing a pool are ranked and given quota places together
    quote: str = ""

    @property
    def ranking_pool(self) -> str:
        """The id units of this group are ranked under: its ``pool``, or the group itself."""
        return self.pool or self.id


@attrs.frozen
class Part:
    """A budget of points. ``base`` is where a deduction part starts, ``floor`` its minimum,
    ``below_floor`` what happens past it (``stop``: 扣完为止; ``total``: the excess is taken from the
    total), ``cap`` the most a bonus part can reach."""

    id: str
    name: str
    points: Decimal
    base: Decimal = Decimal(0)
    floor: Decimal | None = None
    below_floor: BelowFloor = "stop"
    cap: Decimal | None = None
    quote: str = ""
    # numbers the source leaves to the deployment (``required = ["points"]``: a weight set per county);
    # ``unset`` are those the scheme as merged still lacks, demanded before a run
    required: tuple[str, ...] = ()
    unset: tuple[str, ...] = ()


@attrs.frozen
class RatingLimit:
    """At most ``limit`` units (a count) or ``limit`` of the units rated (a share) may get ``level``.

    An organiser (牵头单位) rating units on its item may give 优秀 to, say, no more than 20% of them: a check
    on the input ratings (rows of the indicator whose ``item`` is the level), not a correction of points.
    """

    level: str
    limit: Decimal
    share: bool  # True: a share of the units rated on the item; False: a number of units

    def allowed(self, rated: int) -> int:
        """How many of ``rated`` units may get the level (a share is rounded down: 「不超过」)."""
        if not self.share:
            return int(self.limit)
        return int((self.limit * rated).to_integral_value(rounding="ROUND_FLOOR"))


@attrs.frozen
class Indicator:
    id: str
    name: str
    part: str
    method: str
    points: Decimal
    params: Mapping[str, Any] = attrs.field(factory=dict)
    optional: bool = False
    required: tuple[str, ...] = ()
    quote: str = ""
    direction: Direction = "higher"  # "lower": a higher value counts against the unit (a place, a case rate)
    rated_by: str = ""  # the organiser who rates units on this item, named by rating-limit problems
    rating_limits: tuple[RatingLimit, ...] = ()
    # what the value columns hold (kaoping.core.methods.ValueKind): stated where the method reads either,
    # settled from the method when the scheme is bound; only a "ratio" may be written as a percentage
    value_kind: str = ""


@attrs.frozen
class DeductedShare:
    """A bonus that counts only where more than ``above`` of the units were deducted on ``items``.

    「扣分单位超过…%的，未扣分单位加分」: the bonus rewards doing well on an item most units failed; units are
    counted among those scored on the items' parts, over the whole run (``scope = "all"``) or within the
    unit's ranking group (``scope = "group"``).
    """

    items: tuple[str, ...]
    above: Decimal
    scope: str = "all"


@attrs.frozen
class Rule:
    """An event-driven deduction (扣分) or bonus (加分) rule."""

    id: str
    name: str
    part: str
    kind: RuleKind
    method: str = "per_event"
    params: Mapping[str, Any] = attrs.field(factory=dict)
    cap: Decimal | None = None
    same_matter: str = ""
    self_report_exempt: bool = False
    joint: Mapping[str, Decimal] | None = None
    required: tuple[str, ...] = ()
    quote: str = ""
    only_if_deducted: DeductedShare | None = None  # bonus rules: counts only where many units lost points
    at_most_share: Decimal | None = None  # bonus rules: at most this share of units keep a bonus 「加分单位不超过」
    share_scope: str = "all"  # "all" units of the run, or each ranking "group", for at_most_share

    @property
    def sign(self) -> int:
        return -1 if self.kind == "deduction" else 1


@attrs.frozen
class CapGroup:
    """A cap over the combined points of several rules, indicators (a method's output) or parts.

    The limit is ``max`` points, or ``share`` of the points of the item ``of`` (an indicator, part or rule
    id: 「扣分不超过该项分值的50%」). Rules are capped in either direction (a deduction total's size); the
    points of indicators and parts are capped from above.
    """

    id: str
    name: str
    rules: tuple[str, ...] = ()
    max: Decimal | None = None
    quote: str = ""
    indicators: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    share: Decimal | None = None
    of: str = ""

    def limit(self, scheme: Scheme) -> Decimal:
        """The cap in points: ``max``, or ``share`` × the points of the item ``of``."""
        if self.max is not None:
            return self.max
        assert self.share is not None  # parsing demands max or share
        return self.share * scheme.item_points(self.of)


@attrs.frozen
class VetoArea:
    """What a veto in one area does: ``deduct`` points from a part, ``disqualify`` from grades,
    ``force_grade``, or ``promote`` to a grade outside the quota (only from the band grades listed
    in ``from_grades``, when given: 「评定为“达标单位”等次的…直接评为“优秀单位”」)."""

    id: str
    name: str
    effect: VetoEffect
    points: Decimal | None = None
    part: str = ""
    grades: tuple[str, ...] = ()
    grade: str = ""
    from_grades: tuple[str, ...] = ()
    consequences: Mapping[str, Any] = attrs.field(factory=dict)  # merged into the unit's consequences
    quote: str = ""

    def veto(self, unit: str, *, note: str = "", source: str = "") -> Veto:
        """A veto of ``unit`` in this area, with the effect, points, part and grades the scheme declares.

        ``note`` says why (the area's quote when left empty); ``source`` who reported it. A deployment
        that overrides the area changes every veto a plugin builds this way, without touching its code.
        """
        return Veto(
            unit=unit,
            area=self.id,
            effect=self.effect,
            source=source,
            note=note or self.quote,
            points=self.points,
            part=self.part,
            grades=self.grades,
            grade=self.grade,
            from_grades=self.from_grades,
        )


@attrs.frozen
class Band:
    """An absolute grade threshold; exactly one bound style per side, with the source's inclusivity."""

    id: str
    grade: str
    at_least: Decimal | None = None
    above: Decimal | None = None
    at_most: Decimal | None = None
    below: Decimal | None = None
    groups: tuple[str, ...] = ()  # groups (or pools) the band applies to; empty: every group
    quote: str = ""

    def applies_to(self, group: Group | None, group_id: str) -> bool:
        if not self.groups:
            return True
        return group_id in self.groups or (group is not None and group.pool in self.groups)

    def contains(self, total: Decimal) -> bool:
        return (
            (self.at_least is None or total >= self.at_least)
            and (self.above is None or total > self.above)
            and (self.at_most is None or total <= self.at_most)
            and (self.below is None or total < self.below)
        )


@attrs.frozen
class Quota:
    """The best ``counts[group]`` (or ``share`` of the group) units get ``grade``."""

    id: str
    grade: str
    counts: Mapping[str, int] = attrs.field(factory=dict)
    share: Decimal | None = None
    rounding: str = "half_up"
    groups: tuple[str, ...] = ()
    quote: str = ""


@attrs.frozen
class Grading:
    grades: tuple[str, ...] = ()
    default: str = ""
    precedence: Precedence = "bands_first"
    tie_break: tuple[str, ...] = ()
    on_tie: OnTie = "exclude"
    bands: tuple[Band, ...] = ()
    quotas: tuple[Quota, ...] = ()
    required: tuple[str, ...] = ()  # "bands", "quotas" or "bands_or_quotas": cut-offs the source omits
    required_grades: tuple[str, ...] = ()  # grades a band or a non-empty quota must give
    quota_floor: str = ""  # bands_first: the lowest band grade that may take a quota place (default: `default`)
    quote: str = ""

    def missing(self) -> list[str]:
        """What of ``required`` and ``required_grades`` a run still lacks (the deployment must supply it)."""
        have = {"bands": bool(self.bands), "quotas": bool(self.quotas)}
        have["bands_or_quotas"] = have["bands"] or have["quotas"]
        phrase = {
            "bands": "grading.bands",
            "quotas": "grading.quotas",
            "bands_or_quotas": _("grading.bands or grading.quotas"),
        }
        missing = [phrase[need] for need in self.required if not have.get(need, True)]
        given = {b.grade for b in self.bands}
        given |= {q.grade for q in self.quotas if q.share or any(q.counts.values())}
        ungiven = [grade for grade in self.required_grades if grade not in given]
        if ungiven:
            missing.append(_("a grading band or quota (with places) for {grades}").format(grades="、".join(ungiven)))
        return missing


GRADING_REQUIREMENTS = {"bands", "quotas", "bands_or_quotas"}


@attrs.frozen
class Status:
    complete: bool
    missing: tuple[str, ...] = ()
    drafts: int = 0

    @property
    def label(self) -> str:
        if self.drafts:
            return "draft"
        return "complete" if self.complete else "partial"


def count_drafts(data: Mapping[str, Any]) -> int:
    """Items drafted from a text and not yet checked (a ``draft`` key), plus the ``[draft]`` lists' entries.

    ``kaoping new-plugin --from-text`` marks what it drafted; an author removes each mark once the item is
    checked against the source, so a count above zero means the scheme is still a draft.
    """
    count = 0
    for key in ("groups", "parts", "indicators", "rules", "caps", "vetoes"):
        count += sum(1 for item in data.get(key, []) if isinstance(item, Mapping) and "draft" in item)
    grading = data.get("grading", {})
    for key in ("bands", "quotas"):
        count += sum(1 for item in grading.get(key, []) if isinstance(item, Mapping) and "draft" in item)
    lists = data.get("draft", {})
    if isinstance(lists, Mapping):
        count += sum(len(v) for v in lists.values() if isinstance(v, list))
    return count


@attrs.frozen
class Scheme:
    id: str
    name: str
    locality: str
    total: Decimal
    precision: Decimal
    rounding: str
    source: Mapping[str, str]
    status: Status
    year: int | None = None
    unit_kind: str = ""
    parameters: Mapping[str, Any] = attrs.field(factory=dict)
    # Parameters the source leaves without a number (``[parameters] required``): no default; a run that needs
    # one stops with MissingParameterError until the deployment's overrides set it.
    required_parameters: tuple[str, ...] = ()
    groups: tuple[Group, ...] = ()
    parts: tuple[Part, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    rules: tuple[Rule, ...] = ()
    caps: tuple[CapGroup, ...] = ()
    vetoes: tuple[VetoArea, ...] = ()
    grading: Grading = Grading()
    consequences: Mapping[str, Any] = attrs.field(factory=dict)
    raw: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
    plugin: str = ""
    origin: str = ""  # the scheme file, named by problems found after parsing

    def part(self, part_id: str) -> Part:
        return next(p for p in self.parts if p.id == part_id)

    def parameter(self, name: str, why: str = "") -> Any:
        """A ``[parameters]`` value; a required one the deployment has not set stops the run.

        ``why`` names the rule that needs it (a short quote), so that the office sees what the number is for.
        """
        if name in self.parameters:
            return self.parameters[name]
        reason = f" ({why})" if why else ""
        if name in self.required_parameters:
            raise MissingParameterError(
                Problem(
                    _(
                        "{scheme}: parameter {name} is required{reason}: the source gives no number; "
                        "set parameters.{name} in the deployment's overrides"
                    ).format(scheme=self.id, name=name, reason=reason),
                    file=self.origin,
                )
            )
        raise SchemeError(
            Problem(_("{scheme}: parameter {name} is not declared").format(scheme=self.id, name=name), file=self.origin)
        )

    def missing_parameters(self) -> list[str]:
        """The required parameters the deployment has not set yet."""
        return [name for name in self.required_parameters if name not in self.parameters]

    def missing_numbers(self) -> list[tuple[str, str]]:
        """Every number the source leaves to the deployment that is still unset: ``(dotted key, quote)``.

        Required parameters, parts' required numbers (a weight per county) and grading cut-offs; an
        indicator's or rule's own required numbers are demanded only when the data uses the item.
        """
        found = [(f"parameters.{name}", "") for name in self.missing_parameters()]
        found += [(f"parts[{part.id}].{name}", part.quote) for part in self.parts for name in part.unset]
        found += [(need, self.grading.quote) for need in self.grading.missing()]
        return found

    def item_points(self, item_id: str) -> Decimal:
        """The points of an indicator, a part, or a rule (its ``points`` parameter), by id."""
        items: tuple[Indicator | Part, ...] = (*self.indicators, *self.parts)
        for item in items:
            if item.id == item_id:
                return item.points
        rule = next(r for r in self.rules if r.id == item_id)
        return to_decimal(rule.params.get("points", 0))

    @cached_property
    def groups_by_id(self) -> dict[str, Group]:
        return {g.id: g for g in self.groups}

    def group(self, group_id: str) -> Group | None:
        return self.groups_by_id.get(group_id)

    def group_parts(self, group_id: str) -> tuple[str, ...]:
        """The parts units of a group are scored on: the group's restriction, or every part."""
        group = self.group(group_id)
        if group is not None and group.parts is not None:
            return group.parts
        return tuple(p.id for p in self.parts)

    @property
    def indicator_ids(self) -> set[str]:
        return {i.id for i in self.indicators}

    @property
    def rule_ids(self) -> set[str]:
        return {r.id for r in self.rules}

    def names(self) -> Names:
        """The Chinese names people read in place of ids (results carry them to every output)."""
        return Names(
            parts={p.id: p.name or p.id for p in self.parts},
            indicators={i.id: i.name or i.id for i in self.indicators},
            rules={r.id: r.name or r.id for r in self.rules},
            groups={g.id: g.name or g.id for g in self.groups},
            vetoes={v.id: v.name or v.id for v in self.vetoes},
        )

    def group_id(self, text: str) -> str:
        """The id of the group ``text`` names by id or by its Chinese name (街道 as well as ``street``)."""
        if any(g.id == text for g in self.groups):
            return text
        by_name = [g.id for g in self.groups if g.name and g.name == text]
        return by_name[0] if len(by_name) == 1 else text

    def roster_units(self) -> list[tuple[Group, RosterEntry]]:
        return [(group, entry) for group in self.groups for entry in group.roster]


# ---------------------------------------------------------------------------------------------------------
# parsing


class _Reader:
    """Reads one TOML table, recording problems instead of stopping at the first.

    Every value is type-checked as it is read (text is text, a truth value is ``true`` or ``false`` and
    not the text ``"false"``, a number is a number), and a problem names its dotted key (``rules[x].cap``)
    so that an override that caused it can be named in the deployment file.
    """

    def __init__(
        self, table: Mapping[str, Any], where: str, problems: list[Problem], origin: str, key: str = ""
    ) -> None:
        self.table = table if isinstance(table, Mapping) else {}
        self.where = where
        self.problems = problems
        self.origin = origin
        self.key = key
        self.used: set[str] = set()
        if not isinstance(table, Mapping):
            self._fail(_("expected a table, got {value!r}").format(value=table))

    def _fail(self, message: str, key: str = "") -> None:
        dotted = ".".join(filter(None, (self.key, key)))
        self.problems.append(
            Problem(_("{where}: {message}").format(where=self.where, message=message), file=self.origin, key=dotted)
        )

    def get(self, key: str, default: Any = None) -> Any:
        self.used.add(key)
        return self.table.get(key, default)

    def text(self, key: str, default: str | None = None) -> str:
        value = self.get(key, default)
        if value is None:
            self._fail(_("missing required key {key!r}").format(key=key), key)
            return ""
        if not isinstance(value, str):
            self._fail(_("{key}: expected text, got {value!r}").format(key=key, value=value), key)
            return str(value)
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            self._fail(
                _("{key}: expected true or false (without quotes), got {value!r}").format(key=key, value=value), key
            )
            return default
        return value

    def whole(self, key: str) -> int | None:
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self._fail(_("{key}: expected a whole number, got {value!r}").format(key=key, value=value), key)
            return None
        return value

    def table_of(self, key: str) -> dict[str, Any]:
        value = self.get(key, {})
        if not isinstance(value, Mapping):
            self._fail(_("{key}: expected a table, got {value!r}").format(key=key, value=value), key)
            return {}
        return dict(value)

    def tables(self, key: str) -> list[Mapping[str, Any]]:
        value = self.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
            self._fail(
                _("{key}: expected a list of tables ([[{key}]]), got {value!r}").format(key=key, value=value), key
            )
            return []
        return value

    def number(
        self, key: str, default: Decimal | None = None, required: bool = False, minimum: Decimal | None = None
    ) -> Decimal | None:
        value = self.get(key)
        if value is None:
            if required:
                self._fail(_("missing required key {key!r}").format(key=key), key)
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            self._fail(_("{key}: expected a number, got {value!r}").format(key=key, value=value), key)
            return default
        try:
            number = to_decimal(value)
        except ValueError as error:
            self._fail(f"{key}: {error}", key)
            return default
        if minimum is not None and number < minimum:
            self._fail(
                _("{key}: must be at least {minimum}, got {value}").format(key=key, minimum=minimum, value=value), key
            )
        return number

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.get(key, [])
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self._fail(_("{key}: expected a list of text, got {value!r}").format(key=key, value=value), key)
            return tuple(str(v) for v in value) if isinstance(value, list) else ()
        return tuple(value)

    def rest(self) -> dict[str, Any]:
        """Keys not read structurally: method parameters for indicators and rules."""
        return {k: v for k, v in self.table.items() if k not in self.used and k not in _DOC_KEYS}

    def check_no_rest(self) -> None:
        for key in self.rest():
            self._fail(_("unknown key {key!r}").format(key=key), key)


def parse_scheme(data: Mapping[str, Any], origin: str = "<scheme>", plugin: str = "") -> Scheme:
    """Build a :class:`Scheme` from a TOML mapping; raise :class:`SchemeError` listing every problem."""
    scheme, problems = read_scheme(data, origin, plugin)
    if problems:
        raise SchemeError(problems)
    return scheme


def read_scheme(data: Mapping[str, Any], origin: str = "<scheme>", plugin: str = "") -> tuple[Scheme, list[Problem]]:
    """A :class:`Scheme` and every problem found in it (the scheme is only usable when there are none)."""
    problems: list[Problem] = []
    top = _Reader(data, "scheme", problems, origin)
    scheme_id = top.text("id")
    precision = top.number("precision", Decimal("0.01")) or Decimal("0.01")
    rounding = top.text("rounding", "half_up")
    if rounding not in ROUNDING_MODES:
        top._fail(
            _("rounding must be one of {value}, got '{rounding}'").format(
                value=sorted(ROUNDING_MODES), rounding=rounding
            )
        )
        rounding = "half_up"
    if "status" in top.table:
        status_reader = _Reader(top.table_of("status"), "status", problems, origin, "status")
        status = Status(status_reader.flag("complete", False), status_reader.strings("missing"), count_drafts(data))
        status_reader.check_no_rest()
    else:
        top.used.add("status")
        status = Status(False, ("status not declared",), count_drafts(data))
    if status.complete and status.drafts:
        top._fail(f"status.complete is true, but {status.drafts} drafted items are not checked (keys 'draft')")

    groups = tuple(_parse_group(g, problems, origin) for g in top.tables("groups"))
    parts = tuple(_parse_part(p, problems, origin) for p in top.tables("parts"))
    indicators = tuple(_parse_indicator(i, problems, origin) for i in top.tables("indicators"))
    rules = tuple(_parse_rule(r, problems, origin) for r in top.tables("rules"))
    caps = tuple(_parse_cap(c, problems, origin) for c in top.tables("caps"))
    vetoes = tuple(_parse_veto(v, problems, origin) for v in top.tables("vetoes"))
    grading = _parse_grading(top.table_of("grading"), problems, origin)
    year = top.whole("year")
    parameters = dict(top.table_of("parameters"))
    required_parameters = parameters.pop("required", [])
    if not isinstance(required_parameters, list) or not all(isinstance(n, str) for n in required_parameters):
        top._fail("parameters.required must be a list of parameter names")
        required_parameters = []
    scheme = Scheme(
        id=scheme_id,
        name=top.text("name"),
        locality=top.text("locality", ""),
        total=top.number("total", Decimal(0), required=True) or Decimal(0),
        precision=precision,
        rounding=rounding,
        source=top.table_of("source"),
        status=status,
        year=year,
        unit_kind=top.text("unit_kind", ""),
        parameters=parameters,
        required_parameters=tuple(required_parameters),
        groups=groups,
        parts=parts,
        indicators=indicators,
        rules=rules,
        caps=caps,
        vetoes=vetoes,
        grading=grading,
        consequences=top.table_of("consequences"),
        raw=dict(data),
        plugin=plugin,
        origin=origin,
    )
    top.check_no_rest()
    problems.extend(check_scheme(scheme, origin))
    return scheme, problems


def _parse_group(table: Mapping[str, Any], problems: list[Problem], origin: str) -> Group:
    r = _Reader(table, f"group {_item_id(table)!r}", problems, origin, f"groups[{_item_id(table)}]")
    roster = []
    for entry in r.tables("units"):
        if "id" not in entry:
            r._fail(_("each of units needs an 'id'"), "units")
            continue
        attributes = {k: str(v) for k, v in entry.items() if k not in {"id", "name"}}
        roster.append(RosterEntry(str(entry["id"]), str(entry.get("name", entry["id"])), attributes))
    group = Group(
        id=r.text("id"),
        name=r.text("name", ""),
        ranked=r.flag("ranked", True),
        parts=r.strings("parts") if "parts" in r.table else None,
        indicators=r.strings("indicators") if "indicators" in r.table else None,
        roster=tuple(roster),
        pool=r.text("pool", ""),
        quote=str(table.get("quote", "")),
    )
    r.check_no_rest()
    return group


PART_REQUIRABLE = ("points", "base", "floor", "cap")


def _parse_part(table: Mapping[str, Any], problems: list[Problem], origin: str) -> Part:
    r = _Reader(table, f"part {_item_id(table)!r}", problems, origin, f"parts[{_item_id(table)}]")
    required = r.strings("required")
    for name in required:
        if name not in PART_REQUIRABLE:
            r._fail(f"required may list {', '.join(PART_REQUIRABLE)}, got {name!r}")
    part = Part(
        id=r.text("id"),
        name=r.text("name", ""),
        points=r.number("points", required="points" not in required, minimum=Decimal(0)) or Decimal(0),
        base=r.number("base", Decimal(0)) or Decimal(0),
        floor=r.number("floor"),
        below_floor=cast(BelowFloor, r.text("below_floor", "stop")),  # checked below
        cap=r.number("cap", minimum=Decimal(0)),
        quote=str(table.get("quote", "")),
        required=required,
        unset=tuple(name for name in required if name not in table),
    )
    if part.below_floor not in {"stop", "total"}:
        r._fail(
            _("below_floor must be 'stop' (扣完为止) or 'total' (overflow into the total), got '{below_floor}'").format(
                below_floor=part.below_floor
            )
        )
    r.check_no_rest()
    return part


def _parse_indicator(table: Mapping[str, Any], problems: list[Problem], origin: str) -> Indicator:
    r = _Reader(table, f"indicator {_item_id(table)!r}", problems, origin, f"indicators[{_item_id(table)}]")
    return Indicator(
        id=r.text("id"),
        name=r.text("name", ""),
        part=r.text("part"),
        method=r.text("method"),
        points=r.number("points", required=True) or Decimal(0),
        optional=r.flag("optional", False),
        required=r.strings("required"),
        quote=str(table.get("quote", "")),
        direction=_direction(r),
        rated_by=r.text("rated_by", ""),
        rating_limits=_rating_limits(r),
        value_kind=r.text("value_kind", ""),
        params=r.rest(),
    )


def _direction(r: _Reader) -> Direction:
    value = r.text("direction", "higher")
    if value not in get_args(Direction):
        r._fail(f"direction must be 'higher' or 'lower' (a higher value is better or worse), got {value!r}")
        return "higher"
    return cast(Direction, value)


def _rating_limits(r: _Reader) -> tuple[RatingLimit, ...]:
    """``rating_limits = { 优秀 = "20%", 良好 = 5 }``: a share of the units rated, or a number of units."""
    table = r.get("rating_limits", {})
    if not isinstance(table, Mapping):
        r._fail('rating_limits must be a table of rating level = number of units or share ("20%")')
        return ()
    limits = []
    for level, value in table.items():
        share = isinstance(value, str) and value.strip().endswith(("%", "％"))
        try:
            limit = to_decimal(value)
        except ValueError as error:
            r._fail(f"rating_limits.{level}: {error}")
            continue
        if limit < 0 or (not share and limit != limit.to_integral_value()):
            r._fail(f'rating_limits.{level}: a whole number of units or a share such as "20%", got {value!r}')
            continue
        limits.append(RatingLimit(str(level), limit, share))
    return tuple(limits)


def _parse_rule(table: Mapping[str, Any], problems: list[Problem], origin: str) -> Rule:
    r = _Reader(table, f"rule {_item_id(table)!r}", problems, origin, f"rules[{_item_id(table)}]")
    joint_table = r.get("joint")
    joint = None
    if joint_table is not None:
        try:
            joint = {str(k): to_decimal(v) for k, v in joint_table.items()}
        except (ValueError, AttributeError) as error:
            r._fail(f"joint: {error}", "joint")
    rule = Rule(
        id=r.text("id"),
        name=r.text("name", ""),
        part=r.text("part"),
        kind=cast(RuleKind, r.text("kind")),  # checked below
        method=r.text("method", "per_event"),
        cap=r.number("cap", minimum=Decimal(0)),
        same_matter=r.text("same_matter", ""),
        self_report_exempt=r.flag("self_report_exempt", False),
        joint=joint,
        required=r.strings("required"),
        quote=str(table.get("quote", "")),
        only_if_deducted=_deducted_share(r),
        at_most_share=r.number("at_most_share"),
        share_scope=r.text("share_scope", "all"),
        params=r.rest(),
    )
    if rule.kind not in {"deduction", "bonus"}:
        r._fail(_("kind must be 'deduction' or 'bonus', got '{kind}'").format(kind=rule.kind))
    if rule.kind != "bonus" and (rule.only_if_deducted or rule.at_most_share is not None):
        r._fail("only_if_deducted and at_most_share apply to a bonus rule only")
    if rule.share_scope not in SHARE_SCOPES:
        r._fail(f"share_scope must be one of {', '.join(SHARE_SCOPES)}, got {rule.share_scope!r}")
    return rule


SHARE_SCOPES = ("all", "group")


def _deducted_share(r: _Reader) -> DeductedShare | None:
    """``only_if_deducted = { items = ["late"], above = "30%", scope = "group" }``."""
    table = r.get("only_if_deducted")
    if table is None:
        return None
    inner = _Reader(table if isinstance(table, Mapping) else {}, f"{r.where}.only_if_deducted", r.problems, r.origin)
    condition = DeductedShare(
        items=inner.strings("items"),
        above=inner.number("above", required=True) or Decimal(0),
        scope=inner.text("scope", "all"),
    )
    if not condition.items:
        inner._fail("needs 'items': the rules or indicators on which units were deducted")
    if condition.scope not in SHARE_SCOPES:
        inner._fail(f"scope must be one of {', '.join(SHARE_SCOPES)}, got {condition.scope!r}")
    inner.check_no_rest()
    return condition


def _parse_cap(table: Mapping[str, Any], problems: list[Problem], origin: str) -> CapGroup:
    r = _Reader(table, f"cap {_item_id(table)!r}", problems, origin, f"caps[{_item_id(table)}]")
    cap = CapGroup(
        id=r.text("id"),
        name=r.text("name", ""),
        rules=r.strings("rules"),
        max=r.number("max", minimum=Decimal(0)),
        quote=str(table.get("quote", "")),
        indicators=r.strings("indicators"),
        parts=r.strings("parts"),
        share=r.number("share"),
        of=r.text("of", ""),
    )
    if (cap.max is None) == (cap.share is None):
        r._fail("needs 'max' (points) or 'share' with 'of' (a share of an item's points), not both")
    if cap.share is not None and not cap.of:
        r._fail("'share' needs 'of': the indicator, part or rule whose points it is a share of")
    if sum(bool(kind) for kind in (cap.rules, cap.indicators, cap.parts)) != 1:
        r._fail("names 'rules', 'indicators' or 'parts' (one of them) to cap")
    r.check_no_rest()
    return cap


def _parse_veto(table: Mapping[str, Any], problems: list[Problem], origin: str) -> VetoArea:
    r = _Reader(table, f"veto {_item_id(table)!r}", problems, origin, f"vetoes[{_item_id(table)}]")
    veto = VetoArea(
        id=r.text("id"),
        name=r.text("name", ""),
        effect=cast(VetoEffect, r.text("effect")),  # checked below
        points=r.number("points"),
        part=r.text("part", ""),
        grades=r.strings("grades"),
        grade=r.text("grade", ""),
        from_grades=r.strings("from_grades"),
        consequences=r.table_of("consequences"),
        quote=str(table.get("quote", "")),
    )
    if veto.from_grades and veto.effect != "promote":
        r._fail(_("'from_grades' applies to a 'promote' veto only"))
    if veto.effect not in VETO_EFFECTS:
        r._fail(
            _("effect must be one of {value}, got '{effect}'").format(value=sorted(VETO_EFFECTS), effect=veto.effect)
        )
    if veto.effect == "deduct" and (veto.points is None or not veto.part):
        r._fail(_("a 'deduct' veto needs 'points' and 'part'"))
    if veto.effect in {"force_grade", "promote"} and not veto.grade:
        r._fail(_("a '{effect}' veto needs 'grade'").format(effect=veto.effect))
    if veto.effect == "disqualify" and not veto.grades:
        r._fail(_("a 'disqualify' veto needs 'grades' (the grades it bars)"))
    r.check_no_rest()
    return veto


def _parse_grading(table: Mapping[str, Any], problems: list[Problem], origin: str) -> Grading:
    r = _Reader(table, "grading", problems, origin, "grading")
    bands = []
    for band_table in r.tables("bands"):
        band_id = _item_id(band_table)
        b = _Reader(band_table, f"grading band {band_id!r}", problems, origin, f"grading.bands[{band_id}]")
        bands.append(
            Band(
                id=b.text("id"),
                grade=b.text("grade"),
                at_least=b.number("at_least"),
                above=b.number("above"),
                at_most=b.number("at_most"),
                below=b.number("below"),
                groups=b.strings("groups"),
                quote=str(band_table.get("quote", "")),
            )
        )
        b.check_no_rest()
    quotas = []
    for quota_table in r.tables("quotas"):
        quota_id = _item_id(quota_table)
        q = _Reader(quota_table, f"grading quota {quota_id!r}", problems, origin, f"grading.quotas[{quota_id}]")
        counts = _quota_counts(q)
        quotas.append(
            Quota(
                id=q.text("id"),
                grade=q.text("grade"),
                counts=counts,
                share=_share(q),
                rounding=q.text("rounding", "half_up"),
                groups=q.strings("groups"),
                quote=str(quota_table.get("quote", "")),
            )
        )
        q.check_no_rest()
    grading = Grading(
        grades=r.strings("grades"),
        default=r.text("default", ""),
        precedence=cast(Precedence, r.text("precedence", "bands_first")),  # checked in _check_grading
        tie_break=r.strings("tie_break"),
        on_tie=cast(OnTie, r.text("on_tie", "exclude")),  # checked in _check_grading
        bands=tuple(bands),
        quotas=tuple(quotas),
        required=r.strings("required"),
        required_grades=r.strings("required_grades"),
        quota_floor=r.text("quota_floor", ""),
        quote=str(table.get("quote", "")),
    )
    for need in grading.required:
        if need not in GRADING_REQUIREMENTS:
            r._fail(_("required may list {value}, got '{need}'").format(value=sorted(GRADING_REQUIREMENTS), need=need))
    r.check_no_rest()
    return grading


def _item_id(table: Any) -> str:
    return str(table.get("id", "?")) if isinstance(table, Mapping) else "?"


def _quota_counts(q: _Reader) -> dict[str, int]:
    """Places per group: whole numbers, none negative (「优秀等次不超过3个」 is a count of units)."""
    counts = {}
    for group_id, value in q.table_of("counts").items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            q._fail(
                _("counts.{group}: a quota is a whole number of places, 0 or more, got {value!r}").format(
                    group=group_id, value=value
                ),
                f"counts.{group_id}",
            )
            continue
        counts[str(group_id)] = value
    return counts


def _share(q: _Reader) -> Decimal | None:
    share = q.number("share", minimum=Decimal(0))
    if share is not None and share > 1:
        q._fail(_("share: a share of the group is at most 1 (100%), got {value}").format(value=share), "share")
    return share


# ---------------------------------------------------------------------------------------------------------
# consistency


def scoring_scopes(scheme: Scheme) -> list[tuple[str, tuple[Part, ...], tuple[Indicator, ...]]]:
    """The sets of parts and indicators units are scored on, each with a label for messages.

    Without group restrictions there is one scope: every part and indicator. A group that lists its
    ``parts`` or ``indicators`` is a scope of its own (its parts must still add up to the total and its
    indicators to their parts); groups without restrictions share the scheme-wide scope. An unranked
    group is not checked: it may be scored on a subset only (漳州's units 「不列入各系列考评」 take part in
    the public review alone).
    """
    restricted = [g for g in scheme.groups if g.parts is not None or g.indicators is not None]
    scopes: list[tuple[str, tuple[Part, ...], tuple[Indicator, ...]]] = []
    if len(restricted) < len(scheme.groups) or not scheme.groups:
        scopes.append(("", scheme.parts, scheme.indicators))
    for group in restricted:
        if not group.ranked:
            continue
        part_ids = set(scheme.group_parts(group.id))
        parts = tuple(p for p in scheme.parts if p.id in part_ids)
        indicators = tuple(
            i
            for i in scheme.indicators
            if i.part in part_ids and (group.indicators is None or i.id in group.indicators)
        )
        scopes.append((_("group '{group}': ").format(group=group.id), parts, indicators))
    return scopes


def check_scheme(scheme: Scheme, origin: str = "<scheme>") -> list[Problem]:
    """Structural checks: ids unique and resolvable, parts add up to the total, grades declared."""
    problems: list[Problem] = []

    def fail(message: str) -> None:
        problems.append(Problem(message, file=origin))

    for kind, items in (
        ("group", scheme.groups),
        ("part", scheme.parts),
        ("indicator", scheme.indicators),
        ("rule", scheme.rules),
        ("cap", scheme.caps),
        ("veto", scheme.vetoes),
    ):
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                fail(_("{kind} id '{item}' is declared twice").format(kind=kind, item=item.id))
            seen.add(item.id)
    part_ids = {p.id for p in scheme.parts}
    for scope, parts, indicators in scoring_scopes(scheme):
        parts_sum = sum((p.points for p in parts), Decimal(0))
        weights_unset = any("points" in p.unset for p in parts)  # checked once the deployment sets them
        if parts and parts_sum != scheme.total and not weights_unset:
            fail(
                _("{scope}parts add up to {parts_sum}, but the scheme's total is {total}").format(
                    scope=scope, parts_sum=parts_sum, total=scheme.total
                )
            )
        for part in parts:
            if part.unset:
                continue
            in_part = [i for i in indicators if i.part == part.id]
            indicator_sum = sum((i.points for i in in_part), Decimal(0))
            has_rules = any(r.part == part.id for r in scheme.rules)
            if in_part and not has_rules and part.base == 0 and indicator_sum != part.points:
                fail(
                    _(
                        "{scope}indicators of part '{part}' add up to {indicator_sum}, but the part has {points} points"
                    ).format(scope=scope, part=part.id, indicator_sum=indicator_sum, points=part.points)
                )
            elif indicator_sum + part.base > part.points and part.cap is None:
                fail(
                    _("{scope}indicators of part '{part}' add up to {value}, above its {points} points").format(
                        scope=scope, part=part.id, value=indicator_sum + part.base, points=part.points
                    )
                )
    scored_items: list[Indicator | Rule] = [*scheme.indicators, *scheme.rules]
    for scored in scored_items:
        if scored.part not in part_ids:
            fail(
                _("{value} '{item}' names part '{part}', which is not declared").format(
                    value=type(scored).__name__.lower(), item=scored.id, part=scored.part
                )
            )
    rule_ids = scheme.rule_ids
    for cap in scheme.caps:
        for kind, names, known in (
            ("rule", cap.rules, rule_ids),
            ("indicator", cap.indicators, scheme.indicator_ids),
            ("part", cap.parts, part_ids),
        ):
            for name in names:
                if name not in known:
                    fail(f"cap {cap.id!r} names {kind} {name!r}, which is not declared")
        if cap.of and cap.of not in scheme.indicator_ids | part_ids | rule_ids:
            fail(f"cap {cap.id!r}: 'of' names {cap.of!r}, which is no indicator, part or rule")
    for rule in scheme.rules:
        for deducted_id in rule.only_if_deducted.items if rule.only_if_deducted else ():
            if deducted_id not in rule_ids and deducted_id not in scheme.indicator_ids:
                fail(f"rule {rule.id!r}: only_if_deducted names {deducted_id!r}, which is no rule or indicator")
    for veto in scheme.vetoes:
        if veto.part and veto.part not in part_ids:
            fail(_("veto '{veto}' names part '{part}', which is not declared").format(veto=veto.id, part=veto.part))
    group_ids = {g.id for g in scheme.groups}
    for group in scheme.groups:
        for part_id in group.parts or ():
            if part_id not in part_ids:
                fail(
                    _("group '{group}' names part '{part_id}', which is not declared").format(
                        group=group.id, part_id=part_id
                    )
                )
        for indicator_id in group.indicators or ():
            if indicator_id not in scheme.indicator_ids:
                fail(
                    _("group '{group}' names indicator '{indicator_id}', which is not declared").format(
                        group=group.id, indicator_id=indicator_id
                    )
                )
    grades = set(scheme.grading.grades)
    named = [b.grade for b in scheme.grading.bands] + [q.grade for q in scheme.grading.quotas]
    named += [v.grade for v in scheme.vetoes if v.grade] + [g for v in scheme.vetoes for g in v.grades]
    named += [g for v in scheme.vetoes for g in v.from_grades] + list(scheme.grading.required_grades)
    if scheme.grading.default:
        named.append(scheme.grading.default)
    if scheme.grading.quota_floor:
        named.append(scheme.grading.quota_floor)
    for grade in named:
        if grade not in grades:
            fail(_("grade '{grade}' is used but not listed in grading.grades").format(grade=grade))
    pool_ids = {g.pool for g in scheme.groups if g.pool}
    for group in scheme.groups:
        if group.pool and group.pool in group_ids and group.pool != group.id:
            fail(
                _("group '{group}': pool '{pool}' is also a group id; name pools apart from groups").format(
                    group=group.id, pool=group.pool
                )
            )
    for quota in scheme.grading.quotas:
        for group_id in (*quota.counts, *quota.groups):
            if group_id not in group_ids and group_id not in pool_ids:
                fail(
                    _("quota '{quota}' names group '{group_id}', which is neither a group nor a pool").format(
                        quota=quota.id, group_id=group_id
                    )
                )
        if quota.share is None and not quota.counts:
            fail(_("quota '{quota}' needs 'counts' per group or a 'share'").format(quota=quota.id))
    for band in scheme.grading.bands:
        for group_id in band.groups:
            if group_id not in group_ids and group_id not in pool_ids:
                fail(
                    _("band '{band}' names group '{group_id}', which is neither a group nor a pool").format(
                        band=band.id, group_id=group_id
                    )
                )
    for key in scheme.grading.tie_break:
        if key not in part_ids and key not in scheme.indicator_ids:
            fail(_("grading.tie_break names '{key}', which is neither a part nor an indicator").format(key=key))
    if scheme.grading.precedence not in {"bands_first", "quotas_first"}:
        fail(_("grading.precedence must be 'bands_first' or 'quotas_first'"))
    if scheme.grading.on_tie not in {"exclude", "include", "error"}:
        fail(_("grading.on_tie must be 'exclude', 'include' or 'error'"))
    return problems
