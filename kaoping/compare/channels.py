"""A shared vocabulary of channels, so that schemes with different indicator systems read one dataset.

Every scheme measures the same few things under its own names: how far a unit met its targets, what
the public and the leaders and its peers think of it, what it lost in deductions and won in bonuses,
and whether a veto hit it. A *channel map* says, for one scheme, which of its indicators and rules
read which channel. A *channel dataset* is the ordinary canonical dataset whose ``values.indicator``
(or ``events.rule``) holds a channel name instead of a scheme's id. :func:`translate` turns a channel
dataset into the scheme's own ids; rows already keyed by the scheme's ids pass through untouched, so
a native dataset is its own translation.

Channel values are on a 0–100 scale (a percentage of full marks, or of target completion); the map
says how to bring them onto each indicator (see ``docs/compare.md``). What a scheme needs and the
data lacks is reported as a :class:`Gap`, never scored as 0.

Groups come from the data. A map's ``[groups]`` table (data group → scheme group) and ``default_group``
place the data's units in the scheme's groups; a data group the scheme does not know and the map does not
place is a :class:`Gap` listing its units, which that scheme then leaves out.

Channel maps are data files found, in this order: files given explicitly (``--channels``); then beside the
scheme's own TOML file, as ``<scheme file stem>.channels.toml`` or ``channels.toml``: a plugin ships its
map with its scheme.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from kaoping.core.errors import InputError, Problem
from kaoping.core.models import Dataset, EventRow, Unit, ValueRow, VetoRow
from kaoping.core.numbers import divide, to_decimal
from kaoping.core.plugins import PluginHost
from kaoping.core.scheme import Scheme
from kaoping.core.scoring import parts_for, scores_indicator
from kaoping.core.tomlread import read_toml
from kaoping.io.safety import shown_path
from kaoping.locale import _

CHANNELS: dict[str, str] = {
    "target_completion": "目标任务完成",
    "public_survey": "群众满意度测评",
    "leader_rating": "领导评价",
    "peer_rating": "部门互评 / 综合评议",
    "deductions": "扣分",
    "bonuses": "加分",
    "vetoes": "一票否决",
}
VALUE_CHANNELS = ("target_completion", "public_survey", "leader_rating", "peer_rating")
EVENT_CHANNELS = ("deductions", "bonuses")
MODES = ("scaled", "ratio", "as_is")
HUNDRED = Decimal(100)


@attrs.frozen
class IndicatorChannel:
    """How one indicator reads a channel: ``scaled`` (value × scale / 100), ``ratio`` (value against a
    target of 100) or ``as_is`` (the value and item unchanged)."""

    indicator: str
    channel: str
    mode: str = "scaled"
    scale: Decimal | None = None
    item: str = ""  # the item the row gets (a weighted indicator's channel name); empty: the row's own


@attrs.frozen
class ChannelMap:
    scheme: str
    indicators: tuple[IndicatorChannel, ...] = ()
    rules: Mapping[str, str] = attrs.field(factory=dict)  # event channel → the scheme rule it enters as
    veto_areas: Mapping[str, str] = attrs.field(factory=dict)  # data area → scheme area
    origin: str = ""
    groups: Mapping[str, str] = attrs.field(factory=dict)  # data group → scheme group
    default_group: str = ""  # the scheme group of every other data group the scheme does not have

    def scheme_group(self, group: str, known: set[str]) -> str | None:
        """Where a data group's units go in the scheme, or None when the map does not place them."""
        if group in self.groups:
            return self.groups[group]
        if group in known:
            return group
        return self.default_group or None

    def channels_used(self) -> set[str]:
        return {i.channel for i in self.indicators} | set(self.rules)


@attrs.frozen
class Gap:
    """Something a scheme needs that the data does not give. ``unit`` is empty when no unit has it."""

    scheme: str
    item: str
    channel: str
    unit: str = ""
    reason: str = ""
    units: tuple[str, ...] = ()  # a data group the scheme cannot place: its units, all left out

    @property
    def scheme_wide(self) -> bool:
        """No unit can be scored: the variant has no result."""
        return not self.unit and not self.units

    def __str__(self) -> str:
        if self.units:
            return _("{scheme}: {item} ({count} units: {items}): {reason}").format(
                scheme=self.scheme,
                item=self.item,
                count=len(self.units),
                items=", ".join(self.units),
                reason=self.reason,
            )
        who = _("unit {unit}").format(unit=self.unit) if self.unit else _("every unit")
        via = _(" (channel {channel})").format(channel=self.channel) if self.channel else ""
        return _("{scheme}: {who} lacks {item}{via}: {reason}").format(
            scheme=self.scheme, who=who, item=self.item, via=via, reason=self.reason
        )


@attrs.frozen
class Translation:
    dataset: Dataset
    gaps: tuple[Gap, ...] = ()
    unused: tuple[str, ...] = ()  # data the scheme does not read, said once per kind
    data_groups: Mapping[str, str] = attrs.field(factory=dict)  # unit → its group in the data


def parse_channel_map(data: Mapping[str, Any], origin: str = "<channels>") -> ChannelMap:
    """Parse a channel map file; unknown keys and unknown channel names are errors."""
    problems: list[Problem] = []

    def fail(message: str) -> None:
        problems.append(Problem(message, file=origin))

    for key in data:
        if key not in {"scheme", "channels", "veto_areas", "groups", "default_group", "quote", "note"}:
            fail(
                _("unknown key '{key}' (expected scheme, channels, groups, default_group, veto_areas)").format(key=key)
            )
    scheme_id = str(data.get("scheme", ""))
    if not scheme_id:
        fail(_("missing 'scheme' (the scheme id this map is for)"))
    indicators: list[IndicatorChannel] = []
    rules: dict[str, str] = {}
    for item_id, spec in dict(data.get("channels", {})).items():
        # an indicator may read several channels (a weighted indicator's items): an array of tables
        specs = list(spec) if isinstance(spec, list) else [spec]
        if not specs:
            fail(_("channels.{item_id}: an empty list").format(item_id=item_id))
        for entry in specs:
            parsed = _parse_entry(str(item_id), entry, len(specs) > 1, rules, fail)
            if parsed is not None:
                indicators.append(parsed)
    veto_areas = {str(k): str(v) for k, v in dict(data.get("veto_areas", {})).items()}
    groups: dict[str, str] = {}
    for data_group, spec in dict(data.get("groups", {})).items():
        table = {"group": spec} if isinstance(spec, str) else dict(spec)
        target = str(table.pop("group", ""))
        table.pop("quote", None)
        table.pop("note", None)
        if not target:
            fail(
                _("groups.{data_group}: give the scheme's group id (a string, or a table with 'group')").format(
                    data_group=data_group
                )
            )
        for key in table:
            fail(
                _("groups.{data_group}: unknown key '{key}' (expected group, quote, note)").format(
                    data_group=data_group, key=key
                )
            )
        groups[str(data_group)] = target
    default_group = str(data.get("default_group", ""))
    if problems:
        raise InputError(problems)
    return ChannelMap(scheme_id, tuple(indicators), rules, veto_areas, origin, groups, default_group)


def _parse_entry(item_id: str, spec: Any, several: bool, rules: dict[str, str], fail: Any) -> IndicatorChannel | None:
    """One entry of ``[channels]``: an indicator reading a value channel, or a rule an event channel enters as."""
    if not isinstance(spec, str | Mapping):
        fail(_("channels.{item_id}: expected a channel name or a table").format(item_id=item_id))
        return None
    table = {"channel": spec} if isinstance(spec, str) else dict(spec)
    channel = str(table.pop("channel", ""))
    table.pop("quote", None)
    table.pop("note", None)
    if channel not in CHANNELS:
        fail(
            _("channels.{item_id}: unknown channel '{channel}' (known: {items})").format(
                item_id=item_id, channel=channel, items=", ".join(CHANNELS)
            )
        )
        return None
    if channel in EVENT_CHANNELS:
        if table or several:
            fail(
                _("channels.{item_id}: a rule mapping takes only 'channel' (and 'quote', 'note')").format(
                    item_id=item_id
                )
            )
        if channel in rules:
            fail(
                _("channel '{channel}' is mapped to both '{rules}' and '{item_id}'").format(
                    channel=channel, rules=rules[channel], item_id=item_id
                )
            )
        rules[channel] = item_id
        return None
    if channel == "vetoes":
        fail(
            _("channels.{item_id}: vetoes are read from the vetoes table; map areas under [veto_areas]").format(
                item_id=item_id
            )
        )
        return None
    mode = str(table.pop("mode", ""))
    if mode and mode not in MODES:
        fail(
            _("channels.{item_id}: mode must be one of {items}, got '{mode}'").format(
                item_id=item_id, items=", ".join(MODES), mode=mode
            )
        )
    scale = table.pop("scale", None)
    item = str(table.pop("item", ""))
    if several and not item:
        fail(
            _("channels.{item_id}: an indicator reading several channels needs an 'item' for each").format(
                item_id=item_id
            )
        )
    for key in table:
        fail(
            _("channels.{item_id}: unknown key '{key}' (expected channel, mode, scale, item, quote, note)").format(
                item_id=item_id, key=key
            )
        )
    try:
        scale_value = to_decimal(scale) if scale is not None else None
    except ValueError as error:
        fail(_("channels.{item_id}.scale: {error}").format(item_id=item_id, error=error))
        scale_value = None
    return IndicatorChannel(item_id, channel, mode, scale_value, item)


def read_channel_map(path: Path) -> ChannelMap:
    return parse_channel_map(read_toml(path), shown_path(path))


def find_channel_map(host: PluginHost, scheme_id: str, explicit: Sequence[ChannelMap] = ()) -> ChannelMap | None:
    """The map for ``scheme_id``: an explicit one, one shipped beside the scheme file, or a built-in one."""
    for channel_map in explicit:
        if channel_map.scheme == scheme_id:
            return channel_map
    entry = host.schemes.get(scheme_id)
    if entry is not None and not entry.origin.endswith("<dict>"):
        scheme_file = Path(entry.origin)
        for beside in (
            scheme_file.with_name(f"{scheme_file.stem}.channels.toml"),
            scheme_file.with_name("channels.toml"),
        ):
            if beside.is_file():
                found = read_channel_map(beside)
                if found.scheme == scheme_id:
                    return found
    return None


def check_map(scheme: Scheme, channel_map: ChannelMap) -> None:
    """A map may name only the scheme's indicators, rules and groups."""
    problems = []
    for item in channel_map.indicators:
        if item.indicator not in scheme.indicator_ids:
            problems.append(
                Problem(
                    _("names indicator '{indicator}', which scheme {scheme} does not have").format(
                        indicator=item.indicator, scheme=scheme.id
                    )
                )
            )
    for channel, rule in channel_map.rules.items():
        if rule not in scheme.rule_ids:
            problems.append(
                Problem(
                    _("maps {channel} to rule '{rule}', which scheme {scheme} does not have").format(
                        channel=channel, rule=rule, scheme=scheme.id
                    )
                )
            )
    known = {g.id for g in scheme.groups}
    targets = [(f"groups.{k}", v) for k, v in channel_map.groups.items()]
    if channel_map.default_group:
        targets.append(("default_group", channel_map.default_group))
    for where, group in targets:
        if group not in known:
            problems.append(
                Problem(
                    _("{where} names group '{group}', which scheme {scheme} does not have").format(
                        where=where, group=group, scheme=scheme.id
                    )
                )
            )
    if problems:
        raise InputError([attrs.evolve(p, file=channel_map.origin) for p in problems])


def _mode_for(scheme: Scheme, item: IndicatorChannel) -> tuple[str, Decimal]:
    indicator = next(i for i in scheme.indicators if i.id == item.indicator)
    if item.mode:
        mode = item.mode
    elif indicator.method in {"direct", "mean"}:
        mode = "scaled"
    elif indicator.method == "ratio":
        mode = "ratio"
    else:
        mode = "as_is"
    scale = item.scale
    if scale is None:
        scale = (indicator.params.get("scale") or indicator.points) if indicator.method == "mean" else indicator.points
    return mode, to_decimal(scale)


def translate(scheme: Scheme, dataset: Dataset, channel_map: ChannelMap | None) -> Translation:
    """The dataset in the scheme's own ids and groups, with what the scheme needs and the data lacks."""
    if channel_map is not None:
        check_map(scheme, channel_map)
    units, data_groups, unplaced = _place_units(scheme, dataset, channel_map)
    by_channel: dict[str, list[IndicatorChannel]] = {}
    for item in channel_map.indicators if channel_map else ():
        by_channel.setdefault(item.channel, []).append(item)
    indicator_ids = scheme.indicator_ids
    native = {(r.unit, r.indicator) for r in dataset.values if r.indicator in indicator_ids}
    values: list[ValueRow] = []
    unused: dict[str, set[str]] = {}
    for row in dataset.values:
        if row.indicator in indicator_ids:
            values.append(row)
            continue
        targets = by_channel.get(row.indicator)
        if not targets:
            unused.setdefault("values", set()).add(row.indicator)
            continue
        for item in targets:
            if (row.unit, item.indicator) in native:
                continue  # a native row for the indicator wins over the channel
            mode, scale = _mode_for(scheme, item)
            changes: dict[str, Any] = {"indicator": item.indicator}
            if item.item:
                changes["item"] = item.item
            if mode == "scaled":
                changes["value"] = divide(row.value * scale, HUNDRED)
            elif mode == "ratio":
                changes["target"] = row.target or HUNDRED
            values.append(attrs.evolve(row, **changes))
    rule_ids = scheme.rule_ids
    event_rules = dict(channel_map.rules) if channel_map else {}
    events: list[EventRow] = []
    unread_points: set[str] = set()
    for event in dataset.events:
        if event.rule in rule_ids:
            events.append(event)
        elif event.rule in event_rules:
            rule = next(r for r in scheme.rules if r.id == event_rules[event.rule])
            if event.points is not None and rule.method != "discretionary":
                unread_points.add(f"{event.rule} → {rule.id} ({rule.method})")
            events.append(attrs.evolve(event, rule=rule.id))
        else:
            unused.setdefault("events", set()).add(event.rule)
    areas = {v.id for v in scheme.vetoes}
    veto_map = dict(channel_map.veto_areas) if channel_map else {}
    vetoes: list[VetoRow] = []
    for veto in dataset.vetoes:
        area = veto_map.get(veto.area, veto.area)
        if area in areas or "*" in areas:
            vetoes.append(attrs.evolve(veto, area=area))
        else:
            unused.setdefault("vetoes", set()).add(veto.area)
    translated = dataset.evolve(units=units, values=tuple(values), events=tuple(events), vetoes=tuple(vetoes))
    placed = units_without(translated, [u for gap in unplaced for u in gap.units])
    gaps = [*unplaced, *_gaps(scheme, placed, channel_map, set(dataset.values_by_indicator))]
    notes = [
        _("{scheme} does not read {kind}: {items}").format(scheme=scheme.id, kind=kind, items=", ".join(sorted(ids)))
        for kind, ids in sorted(unused.items())
    ]
    notes += [
        _("{scheme} prices {how} events by its own rule: the events' assessed points are not read").format(
            scheme=scheme.id, how=how
        )
        for how in sorted(unread_points)
    ]
    moved = sorted({(data_groups[u.id], u.group) for u in units if data_groups[u.id] != u.group})
    if moved:
        notes.append(
            _("{scheme} ranks and grades within its own groups: ").format(scheme=scheme.id)
            + ", ".join(_("data group {a} → {b}").format(a=a, b=b) for a, b in moved)
        )
    return Translation(translated, tuple(gaps), tuple(notes), data_groups)


def _place_units(
    scheme: Scheme, dataset: Dataset, channel_map: ChannelMap | None
) -> tuple[tuple[Unit, ...], dict[str, str], list[Gap]]:
    """Each unit in the scheme's group the map places its data group in; unplaced data groups are gaps."""
    known = {g.id for g in scheme.groups}
    data_groups = {u.id: u.group for u in dataset.units}
    units: list[Unit] = []
    unplaced: dict[str, list[str]] = {}
    for unit in dataset.units:
        if channel_map is not None:
            target = channel_map.scheme_group(unit.group, known)
        else:
            target = unit.group if unit.group in known or not known else None
        if target is None:
            unplaced.setdefault(unit.group, []).append(unit.id)
            target = unit.group
        units.append(unit if target == unit.group else attrs.evolve(unit, group=target))
    where = (
        _("its channel map ({origin}) neither maps it under [groups] nor sets default_group").format(
            origin=channel_map.origin
        )
        if channel_map is not None
        else _("no channel map places it")
    )
    gaps = [
        Gap(
            scheme.id,
            _("group {group}").format(group=group),
            "",
            "",
            _("the scheme has no group '{group}' and {where} (scheme groups: {items})").format(
                group=group, where=where, items=", ".join(sorted(known))
            ),
            tuple(members),
        )
        for group, members in unplaced.items()
    ]
    return tuple(units), data_groups, gaps


def _gaps(scheme: Scheme, dataset: Dataset, channel_map: ChannelMap | None, present: set[str]) -> list[Gap]:
    entries: dict[str, list[IndicatorChannel]] = {}
    for entry in channel_map.indicators if channel_map else ():
        entries.setdefault(entry.indicator, []).append(entry)
    values = dataset.values_by_indicator
    gaps: list[Gap] = []
    for indicator in scheme.indicators:
        if indicator.optional:
            continue
        needing = [u.id for u in dataset.units if scores_indicator(scheme, u.group, indicator, parts_for(scheme, u))]
        if not needing:
            continue
        rows = values.get(indicator.id, {})
        label = _("indicator {indicator} ({name})").format(indicator=indicator.id, name=indicator.name)
        mapped = entries.get(indicator.id, [])
        # an indicator reading several channels (items) needs each of them
        needs = (
            [(e.channel, e.item) for e in mapped] if len(mapped) > 1 else [(mapped[0].channel, "")] if mapped else []
        )
        needs = needs or [("", "")]
        for channel, item in needs:
            has = {u for u, unit_rows in rows.items() if not item or any(r.item == item for r in unit_rows)}
            missing = [u for u in needing if u not in has]
            what = _("{label} item {item}").format(label=label, item=item) if item else label
            if len(missing) == len(needing):
                if channel and channel not in present:
                    reason = _("the data has no {channel} rows").format(channel=channel)
                elif not channel:
                    reason = _("no channel map names it and the data has no rows for it")
                else:
                    reason = _("the data has no rows for it")
                gaps.append(Gap(scheme.id, what, channel, "", reason))
            else:
                gaps.extend(Gap(scheme.id, what, channel, u, _("no value for this unit")) for u in missing)
    return gaps


def units_without(dataset: Dataset, units: Iterable[str]) -> Dataset:
    """The dataset without some units and every row about them."""
    drop = set(units)
    return dataset.evolve(
        units=tuple(u for u in dataset.units if u.id not in drop),
        values=tuple(r for r in dataset.values if r.unit not in drop),
        events=tuple(r for r in dataset.events if r.unit not in drop),
        vetoes=tuple(r for r in dataset.vetoes if r.unit not in drop),
        history=tuple(r for r in dataset.history if r.unit not in drop),
    )
