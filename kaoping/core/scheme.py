"""A scheme is data: the parsed, validated form of a locality's scheme TOML.

The file format is documented in ``docs/scheme-format.md``. Every key of the file is declared once, as a
field of the classes below with :func:`~kaoping.core.fields.key` (its kind, default, choices, whether a
deployment may override it, and what it means); one generic reader (:func:`kaoping.core.fields.read`)
reads each table into its class, and the key tables of the format document are generated from the same
declarations. Parsing is strict: an unknown key is an error that names the table it sits in, because a
misspelt cap or threshold would otherwise be ignored silently. Method parameters (everything on an
indicator or rule that is not structural) are kept in ``params`` and checked against the method's
declared parameters when the scheme is bound to the method registry. What relates several keys or items
is checked by hand: the ``_check_*`` functions below and :func:`check_scheme`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

import attrs

from kaoping.core.errors import MissingParameterError, Problem, SchemeError
from kaoping.core.fields import Check, TableReader, derived, key, read
from kaoping.core.numbers import ROUNDING_MODES, to_decimal
from kaoping.core.results import VETO_EFFECTS as VETO_EFFECTS  # re-exported: checks read it here
from kaoping.core.results import Names, Veto, VetoEffect
from kaoping.locale import N_, _

RuleKind = Literal["deduction", "bonus"]
BelowFloor = Literal["stop", "total"]
"""Past a part's floor: ``stop`` (扣完为止, the part stays at its floor) or ``total`` (the excess is taken
from the total)."""
Precedence = Literal["bands_first", "quotas_first"]
OnTie = Literal["exclude", "include", "error"]
Direction = Literal["higher", "lower"]
"""Whether a higher indicator value is better (the default) or worse (a place, a case rate)."""
ShareScope = Literal["all", "group"]
"""The units a share of units is counted among: the whole run, or each ranking group (pool)."""
GradingRequirement = Literal["bands", "quotas", "bands_or_quotas"]

ROUNDINGS = tuple(ROUNDING_MODES)
SHARE_SCOPES: tuple[ShareScope, ...] = ("all", "group")
GRADING_REQUIREMENTS = {"bands", "quotas", "bands_or_quotas"}
PART_REQUIRABLE = ("points", "base", "floor", "cap")


# ---------------------------------------------------------------------------------------------------------
# keys read by hand: each is still declared once below, with ``parse=`` naming its reader


def _read_roster(reader: TableReader, name: str) -> tuple[RosterEntry, ...]:
    """``units = [{ id = "S1-01", name = "组织部" }]``: extra keys become the unit's attributes."""
    roster = []
    for entry in reader.tables(name):
        if "id" not in entry:
            reader.fail(_("each of units needs an 'id'"), name)
            continue
        attributes = {k: str(v) for k, v in entry.items() if k not in {"id", "name"}}
        roster.append(RosterEntry(str(entry["id"]), str(entry.get("name", entry["id"])), attributes))
    return tuple(roster)


def _read_rating_limits(reader: TableReader, name: str) -> tuple[RatingLimit, ...]:
    """``rating_limits = { 优秀 = "20%", 良好 = 5 }``: a share of the units rated, or a number of units."""
    table = reader.get(name, {})
    if not isinstance(table, Mapping):
        reader.fail('rating_limits must be a table of rating level = number of units or share ("20%")', name)
        return ()
    limits = []
    for level, value in table.items():
        share = isinstance(value, str) and value.strip().endswith(("%", "％"))
        try:
            limit = to_decimal(value)
        except ValueError as error:
            reader.fail(f"rating_limits.{level}: {error}", f"{name}.{level}")
            continue
        if limit < 0 or (not share and limit != limit.to_integral_value()):
            reader.fail(
                f'rating_limits.{level}: a whole number of units or a share such as "20%", got {value!r}',
                f"{name}.{level}",
            )
            continue
        limits.append(RatingLimit(str(level), limit, share))
    return tuple(limits)


def _read_joint(reader: TableReader, name: str) -> dict[str, Decimal] | None:
    """``joint = { lead = "0.8", co = "0.2" }``: each role's share, exact."""
    table = reader.get(name)
    if table is None:
        return None
    try:
        return {str(k): to_decimal(v) for k, v in table.items()}
    except (ValueError, AttributeError) as error:
        reader.fail(f"joint: {error}", name)
        return None


def _read_counts(reader: TableReader, name: str) -> dict[str, int]:
    """Places per group: whole numbers, none negative (「优秀等次不超过3个」 is a count of units)."""
    counts = {}
    for group_id, value in reader.table_of(name).items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            reader.fail(
                _("counts.{group}: a quota is a whole number of places, 0 or more, got {value!r}").format(
                    group=group_id, value=value
                ),
                f"{name}.{group_id}",
            )
            continue
        counts[str(group_id)] = value
    return counts


def _read_status(reader: TableReader, name: str) -> Status:
    drafts = count_drafts(reader.table)
    if name not in reader.table:
        reader.used.add(name)
        return Status(False, ("status not declared",), drafts)
    return read(Status, reader.inner(reader.table_of(name), name, where=name), drafts=drafts)


def _read_parameters(reader: TableReader, name: str) -> dict[str, Any]:
    parameters = reader.table_of(name)
    parameters.pop("required", None)
    return parameters


def _read_required_parameters(reader: TableReader, name: str) -> tuple[str, ...]:
    parameters = reader.table.get("parameters")
    required = parameters.get("required", []) if isinstance(parameters, Mapping) else []
    if not isinstance(required, list) or not all(isinstance(n, str) for n in required):
        reader.fail("parameters.required must be a list of parameter names")
        return ()
    return tuple(required)


def _unset(reader: TableReader) -> tuple[str, ...]:
    """The numbers a part lists in ``required`` that the scheme as merged still lacks."""
    required = reader.table.get("required", [])
    listed = (required,) if isinstance(required, str) else required if isinstance(required, list) else ()
    return tuple(name for name in listed if name not in reader.table)


# ---------------------------------------------------------------------------------------------------------
# the scheme's tables


@attrs.frozen
class RosterEntry:
    """A unit of a group's roster, where the source lists one."""

    id: str = key("text", N_("the unit's id (the `unit` column of the data)"), required=True, override=False)
    name: str = key("text", N_("the unit's Chinese name (default: its id)"), absent="")
    attributes: Mapping[str, str] = key("params", N_("further keys: the unit's attributes"), factory=dict)


@attrs.frozen
class Group:
    """A sequence (序列 / 系列) inside which units are ranked and quotas are counted."""

    id: str = key("text", N_("the group's id (the `group` column of the units table)"), required=True, override=False)
    name: str = key("text", N_("the group's Chinese name"), absent="")
    ranked: bool = key("bool", N_("false: scored, but given no rank or grade"), default=True)
    parts: tuple[str, ...] | None = key(
        "texts", N_("the parts the group is scored on (absent: every part)"), default=None
    )
    indicators: tuple[str, ...] | None = key(
        "texts", N_("the indicators the group is scored on (absent: every indicator of its parts)"), default=None
    )
    roster: tuple[RosterEntry, ...] = key(
        "items",
        N_('the roster where the source lists one: { id = "S1-01", name = "组织部" }, extra keys are attributes'),
        toml="units",
        default=(),
        item=RosterEntry,
        parse=_read_roster,
    )
    pool: str = key("text", N_("groups sharing a pool are ranked and given quota places together"), default="")
    quote: str = key("doc", N_("the source's words"), default="")

    @property
    def ranking_pool(self) -> str:
        """The id units of this group are ranked under: its ``pool``, or the group itself."""
        return self.pool or self.id


@attrs.frozen
class Part:
    """A budget of points. ``base`` is where a deduction part starts, ``floor`` its minimum,
    ``below_floor`` what happens past it (``stop``: 扣完为止; ``total``: the excess is taken from the
    total), ``cap`` the most a bonus part can reach."""

    id: str = key("text", N_("the part's id"), required=True, override=False)
    name: str = key("text", N_("the part's Chinese name"), absent="")
    points: Decimal = key(
        "number", N_("the part's share of the total"), required=True, requirable=True, minimum=Decimal(0)
    )
    base: Decimal = key(
        "number",
        N_("where the part starts: a deduction part (扣分制) starts at its points"),
        default=Decimal(0),
        requirable=True,
    )
    floor: Decimal | None = key("number", N_("the least the part can fall to"), default=None, requirable=True)
    below_floor: BelowFloor = key(
        "text",
        N_("past the floor: stop (扣完为止, nothing more is lost) or total (the excess is taken from the total)"),
        default="stop",
        choice_error=N_("below_floor must be 'stop' (扣完为止) or 'total' (overflow into the total), got '{value}'"),
    )
    cap: Decimal | None = key(
        "number", N_("the most the part can reach (a bonus part)"), default=None, minimum=Decimal(0), requirable=True
    )
    quote: str = key("doc", N_("the source's words"), default="")
    # numbers the source leaves to the deployment (``required = ["points"]``: a weight set per county);
    # ``unset`` are those the scheme as merged still lacks, demanded before a run
    required: tuple[str, ...] = key(
        "texts",
        N_("numbers the source leaves to the deployment, left out of the file until its overrides set them"),
        default=(),
        choices=PART_REQUIRABLE,
        choice_error=N_("required may list {choices}, got {value!r}"),
    )
    unset: tuple[str, ...] = derived(_unset)


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
    id: str = key(
        "text", N_("the indicator's id (the `indicator` column of the values table)"), required=True, override=False
    )
    name: str = key("text", N_("the indicator's Chinese name"), absent="")
    part: str = key("text", N_("the part it counts in"), required=True)
    method: str = key("text", N_("the scoring method (`kaoping methods` lists them)"), required=True)
    points: Decimal = key("number", N_("the indicator's points"), required=True)
    params: Mapping[str, Any] = key("params", N_("the method's parameters"), factory=dict)
    optional: bool = key("bool", N_("a unit without data scores 0 instead of being an error"), default=False)
    required: tuple[str, ...] = key(
        "texts", N_("parameters the source leaves without a number: the deployment must set them"), default=()
    )
    quote: str = key("doc", N_("the source's words"), default="")
    direction: Direction = key(
        "text",
        N_("higher: a higher value is better; lower: a higher value counts against the unit (a place, a case rate)"),
        default="higher",
        choice_error=N_("direction must be 'higher' or 'lower' (a higher value is better or worse), got {value!r}"),
    )
    rated_by: str = key("text", N_("the organiser (牵头单位) who rates units on this item"), default="")
    rating_limits: tuple[RatingLimit, ...] = key(
        "table",
        N_('at most so many units (5) or such a share of the units rated ("20%") at a rating level'),
        default=(),
        parse=_read_rating_limits,
    )
    value_kind: str = key(
        "text",
        N_(
            "what the value columns hold: ratio, points, amount, count or level, one its method reads (settled from "
            "the method when absent); only a ratio may be written as a percentage"
        ),
        default="",
        choices=("", "ratio", "points", "amount", "count", "level"),
    )


@attrs.frozen
class DeductedShare:
    """A bonus that counts only where more than ``above`` of the units were deducted on ``items``.

    「扣分单位超过…%的，未扣分单位加分」: the bonus rewards doing well on an item most units failed; units are
    counted among those scored on the items' parts, over the whole run (``scope = "all"``) or within the
    unit's ranking group (``scope = "group"``).
    """

    items: tuple[str, ...] = key("texts", N_("the rules or indicators on which units were deducted"), absent=())
    above: Decimal = key("number", N_("the share of units deducted the bonus needs to pass"), required=True)
    scope: ShareScope = key(
        "text",
        N_("the units counted: all of the run, or each ranking group"),
        default="all",
        choice_error=N_("scope must be one of {choices}, got {value!r}"),
    )


@attrs.frozen
class Rule:
    """An event-driven deduction (扣分) or bonus (加分) rule."""

    id: str = key("text", N_("the rule's id (the `rule` column of the events table)"), required=True, override=False)
    name: str = key("text", N_("the rule's Chinese name"), absent="")
    part: str = key("text", N_("the part it counts in"), required=True)
    kind: RuleKind = key(
        "text",
        N_("deduction (negative) or bonus"),
        required=True,
        choice_error=N_("kind must be 'deduction' or 'bonus', got '{value}'"),
    )
    method: str = key("text", N_("the pricing method of its events"), default="per_event")
    params: Mapping[str, Any] = key("params", N_("the method's parameters"), factory=dict)
    cap: Decimal | None = key(
        "number", N_("the most this rule can add or take per unit"), default=None, minimum=Decimal(0)
    )
    same_matter: str = key(
        "text",
        N_("a scope name: events of rules sharing it and the same matter count once, at the highest"),
        default="",
    )
    self_report_exempt: bool = key("bool", N_("an event with self_reported = 是 is exempt"), default=False)
    joint: Mapping[str, Decimal] | None = key(
        "table", N_('shares by role: { lead = "0.8", co = "0.2" }'), default=None, parse=_read_joint
    )
    required: tuple[str, ...] = key("texts", N_('parameters the source does not give, e.g. ["points"]'), default=())
    quote: str = key("doc", N_("the source's words"), default="")
    only_if_deducted: DeductedShare | None = key(
        "item",
        N_("bonus rules: the bonus counts only where more than a share of units lost points"),
        default=None,
        item=DeductedShare,
    )
    at_most_share: Decimal | None = key(
        "number", N_("bonus rules: at most this share of units keep the bonus (加分单位不超过)"), default=None
    )
    share_scope: ShareScope = key(
        "text",
        N_("the units at_most_share counts: all of the run, or each ranking group"),
        default="all",
        choice_error=N_("share_scope must be one of {choices}, got {value!r}"),
    )

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

    id: str = key("text", N_("the cap's id"), required=True, override=False)
    name: str = key("text", N_("the cap's Chinese name"), absent="")
    rules: tuple[str, ...] = key("texts", N_("the rules whose combined points it caps"), default=())
    max: Decimal | None = key("number", N_("the limit in points"), default=None, minimum=Decimal(0))
    quote: str = key("doc", N_("the source's words"), default="")
    indicators: tuple[str, ...] = key("texts", N_("the indicators whose combined points it caps"), default=())
    parts: tuple[str, ...] = key("texts", N_("the parts whose combined points it caps"), default=())
    share: Decimal | None = key("number", N_("the limit as a share of the points of `of`"), default=None)
    of: str = key("text", N_("the indicator, part or rule whose points `share` is a share of"), default="")

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

    id: str = key(
        "text", N_('the area (the `area` column of the vetoes table; "*" any other)'), required=True, override=False
    )
    name: str = key("text", N_("the area's Chinese name"), absent="")
    effect: VetoEffect = key(
        "text",
        N_("what a veto in the area does"),
        required=True,
        choice_error=N_("effect must be one of {sorted}, got '{value}'"),
    )
    points: Decimal | None = key("number", N_("deduct: the points taken"), default=None)
    part: str = key("text", N_("deduct: the part they are taken from"), default="")
    grades: tuple[str, ...] = key("texts", N_("disqualify: the grades the unit cannot receive"), default=())
    grade: str = key("text", N_("force_grade, promote: the grade the unit gets"), default="")
    from_grades: tuple[str, ...] = key("texts", N_("promote: only a unit the bands graded one of these"), default=())
    consequences: Mapping[str, Any] = key(
        "table", N_("merged into the consequences of every unit with a veto in the area"), factory=dict
    )  # merged into the unit's consequences
    quote: str = key("doc", N_("the source's words"), default="")

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

    id: str = key("text", N_("the band's id"), required=True, override=False)
    grade: str = key("text", N_("the grade a total in the band gets"), required=True)
    at_least: Decimal | None = key("number", N_("total ≥ this (以上)"), default=None)
    above: Decimal | None = key("number", N_("total > this"), default=None)
    at_most: Decimal | None = key("number", N_("total ≤ this (以下)"), default=None)
    below: Decimal | None = key("number", N_("total < this (不含)"), default=None)
    groups: tuple[str, ...] = key(
        "texts", N_("the groups or pools the band applies to (empty: every group)"), default=()
    )
    quote: str = key("doc", N_("the source's words"), default="")

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

    id: str = key("text", N_("the quota's id"), required=True, override=False)
    grade: str = key("text", N_("the grade its places give"), required=True)
    counts: Mapping[str, int] = key(
        "table", N_("places per group or pool: { group = n }, whole numbers"), factory=dict, parse=_read_counts
    )
    share: Decimal | None = key(
        "number", N_('places as a share of the group ("25%"), at most 1'), default=None, minimum=Decimal(0)
    )
    rounding: str = key("text", N_("how share × units is rounded"), default="half_up", choices=ROUNDINGS)
    groups: tuple[str, ...] = key("texts", N_("the groups or pools a share applies to"), default=())
    quote: str = key("doc", N_("the source's words"), default="")


@attrs.frozen
class Grading:
    grades: tuple[str, ...] = key("texts", N_("the grades, best first"), default=())
    default: str = key("text", N_("the grade of a unit no band or quota grades"), default="")
    precedence: Precedence = key(
        "text",
        N_("bands_first: a unit whose band is below the default cannot take a quota place; quotas_first"),
        default="bands_first",
        choice_error=N_("precedence must be 'bands_first' or 'quotas_first', got '{value}'"),
    )
    tie_break: tuple[str, ...] = key("texts", N_("parts or indicators compared after the total"), default=())
    on_tie: OnTie = key(
        "text",
        N_("units tied across the last quota place"),
        default="exclude",
        choice_error=N_("on_tie must be 'exclude', 'include' or 'error', got '{value}'"),
    )
    bands: tuple[Band, ...] = key("items", N_("absolute grade thresholds"), default=(), item=Band, label="grading band")
    quotas: tuple[Quota, ...] = key("items", N_("places per group"), default=(), item=Quota, label="grading quota")
    required: tuple[str, ...] = key(
        "texts",
        N_("cut-offs the source leaves out, supplied by the deployment"),
        default=(),
        choices=("bands", "quotas", "bands_or_quotas"),
        choice_error=N_("required may list {sorted}, got '{value}'"),
    )
    required_grades: tuple[str, ...] = key("texts", N_("grades a band or a quota with places must give"), default=())
    quota_floor: str = key(
        "text", N_("bands_first: the lowest band grade that may take a quota place (default: `default`)"), default=""
    )
    quote: str = key("doc", N_("the source's words"), default="")

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


@attrs.frozen
class Status:
    complete: bool = key("bool", N_("true when every rule of the source is implemented"), absent=False)
    missing: tuple[str, ...] = key("texts", N_("what is not implemented"), default=())
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
    for name in ("groups", "parts", "indicators", "rules", "caps", "vetoes"):
        items = data.get(name, [])
        count += (
            sum(1 for item in items if isinstance(item, Mapping) and "draft" in item) if isinstance(items, list) else 0
        )
    grading = data.get("grading", {})
    for name in ("bands", "quotas"):
        items = grading.get(name, []) if isinstance(grading, Mapping) else []
        count += (
            sum(1 for item in items if isinstance(item, Mapping) and "draft" in item) if isinstance(items, list) else 0
        )
    lists = data.get("draft", {})
    if isinstance(lists, Mapping):
        count += sum(len(v) for v in lists.values() if isinstance(v, list))
    return count


@attrs.frozen
class Scheme:
    id: str = key(
        "text", N_("`<province>.<locality>[.<organ>]`, as in the localities catalogue"), required=True, override=False
    )
    name: str = key("text", N_("the scheme's Chinese name"), required=True)
    locality: str = key("text", N_("the place"), absent="")
    total: Decimal = key("number", N_("full marks; the parts' points add up to it"), required=True)
    precision: Decimal = key(
        "number", N_("every trail entry is rounded to this precision when it is created"), absent=Decimal("0.01")
    )
    rounding: str = key(
        "text",
        N_("how trail entries are rounded"),
        absent="half_up",
        choices=ROUNDINGS,
        choice_error=N_("rounding must be one of {sorted}, got '{value}'"),
    )
    source: Mapping[str, str] = key("table", N_("where the rules are: file, section"), absent={})
    status: Status = key(
        "item", N_("complete = true, or complete = false with missing = [...]"), item=Status, parse=_read_status
    )
    year: int | None = key("whole", N_("the year evaluated"), default=None)
    unit_kind: str = key("text", N_("what is evaluated"), default="")
    parameters: Mapping[str, Any] = key(
        "table", N_("numbers and switches read by the plugin's hook code"), factory=dict, parse=_read_parameters
    )
    # Parameters the source leaves without a number (``[parameters] required``): no default; a run that needs
    # one stops with MissingParameterError until the deployment's overrides set it.
    required_parameters: tuple[str, ...] = key(
        "texts",
        N_("parameters the source gives no number for: the deployment's overrides add them"),
        toml="parameters.required",
        default=(),
        parse=_read_required_parameters,
    )
    groups: tuple[Group, ...] = key(
        "items", N_("sequences (序列) units are ranked in"), default=(), item=Group, label="group"
    )
    parts: tuple[Part, ...] = key("items", N_("budgets of points"), default=(), item=Part, label="part")
    indicators: tuple[Indicator, ...] = key(
        "items", N_("scored from the values table"), default=(), item=Indicator, label="indicator"
    )
    rules: tuple[Rule, ...] = key(
        "items", N_("deductions and bonuses from the events table"), default=(), item=Rule, label="rule"
    )
    caps: tuple[CapGroup, ...] = key(
        "items", N_("caps over several rules, indicators or parts"), default=(), item=CapGroup, label="cap"
    )
    vetoes: tuple[VetoArea, ...] = key(
        "items", N_("one-vote veto areas (一票否决)"), default=(), item=VetoArea, label="veto"
    )
    grading: Grading = key("item", N_("grades, bands and quotas"), default=Grading(), item=Grading)
    consequences: Mapping[str, Any] = key("table", N_("what each grade, group or group's grade brings"), factory=dict)
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
# reading: one generic reader over the declarations above, then the checks that relate keys


TABLE_CLASSES = (Scheme, Status, Group, Part, Indicator, Rule, DeductedShare, CapGroup, VetoArea, Grading, Band, Quota)
"""The classes a scheme file's tables are read into (their key tables are in ``docs/scheme-format.md``)."""


def parse_scheme(data: Mapping[str, Any], origin: str = "<scheme>", plugin: str = "") -> Scheme:
    """Build a :class:`Scheme` from a TOML mapping; raise :class:`SchemeError` listing every problem."""
    scheme, problems = read_scheme(data, origin, plugin)
    if problems:
        raise SchemeError(problems)
    return scheme


def read_scheme(data: Mapping[str, Any], origin: str = "<scheme>", plugin: str = "") -> tuple[Scheme, list[Problem]]:
    """A :class:`Scheme` and every problem found in it (the scheme is only usable when there are none)."""
    problems: list[Problem] = []
    top = TableReader(data, "scheme", problems, origin)
    scheme = read(Scheme, top, CHECKS, raw=dict(top.table), plugin=plugin, origin=origin)
    if scheme.status.complete and scheme.status.drafts:
        top.fail(f"status.complete is true, but {scheme.status.drafts} drafted items are not checked (keys 'draft')")
    problems.extend(check_scheme(scheme, origin))
    return scheme, problems


def _check_deducted_share(reader: TableReader, condition: DeductedShare) -> None:
    if not condition.items:
        reader.fail("needs 'items': the rules or indicators on which units were deducted")


def _check_rule(reader: TableReader, rule: Rule) -> None:
    if rule.kind != "bonus" and (rule.only_if_deducted or rule.at_most_share is not None):
        reader.fail("only_if_deducted and at_most_share apply to a bonus rule only")


def _check_cap(reader: TableReader, cap: CapGroup) -> None:
    if (cap.max is None) == (cap.share is None):
        reader.fail("needs 'max' (points) or 'share' with 'of' (a share of an item's points), not both")
    if cap.share is not None and not cap.of:
        reader.fail("'share' needs 'of': the indicator, part or rule whose points it is a share of")
    if sum(bool(kind) for kind in (cap.rules, cap.indicators, cap.parts)) != 1:
        reader.fail("names 'rules', 'indicators' or 'parts' (one of them) to cap")


def _check_veto(reader: TableReader, veto: VetoArea) -> None:
    if veto.from_grades and veto.effect != "promote":
        reader.fail(_("'from_grades' applies to a 'promote' veto only"))
    if veto.effect == "deduct" and (veto.points is None or not veto.part):
        reader.fail(_("a 'deduct' veto needs 'points' and 'part'"))
    if veto.effect in {"force_grade", "promote"} and not veto.grade:
        reader.fail(_("a '{effect}' veto needs 'grade'").format(effect=veto.effect))
    if veto.effect == "disqualify" and not veto.grades:
        reader.fail(_("a 'disqualify' veto needs 'grades' (the grades it bars)"))


def _check_quota(reader: TableReader, quota: Quota) -> None:
    if quota.share is not None and quota.share > 1:
        reader.fail(
            _("share: a share of the group is at most 1 (100%), got {value}").format(value=quota.share), "share"
        )


CHECKS: dict[type, Check] = {
    DeductedShare: _check_deducted_share,
    Rule: _check_rule,
    CapGroup: _check_cap,
    VetoArea: _check_veto,
    Quota: _check_quota,
}


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
    for tie_key in scheme.grading.tie_break:
        if tie_key not in part_ids and tie_key not in scheme.indicator_ids:
            fail(_("grading.tie_break names '{key}', which is neither a part nor an indicator").format(key=tie_key))
    return problems
