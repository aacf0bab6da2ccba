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

Channel maps are data files found, in this order: files given explicitly (``--channels``); beside the
scheme's own TOML file, as ``<scheme file stem>.channels.toml`` or ``channels.toml`` (so a plugin ships
its map with its scheme); and ``<scheme id>.toml`` in this package's ``channel_maps/`` folder (maps for
built-in schemes whose plugins do not ship one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from kaoping.core.errors import InputError, Problem
from kaoping.core.models import Dataset, EventRow, ValueRow, VetoRow
from kaoping.core.numbers import divide, to_decimal
from kaoping.core.plugins import PluginHost
from kaoping.core.scheme import Scheme
from kaoping.core.scoring import parts_for, scores_indicator
from kaoping.core.tomlread import read_toml

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
BUILTIN_MAPS = Path(__file__).with_name("channel_maps")
HUNDRED = Decimal(100)


@attrs.frozen
class IndicatorChannel:
    """How one indicator reads a channel: ``scaled`` (value × scale / 100), ``ratio`` (value against a
    target of 100) or ``as_is`` (the value and item unchanged)."""

    indicator: str
    channel: str
    mode: str = "scaled"
    scale: Decimal | None = None


@attrs.frozen
class ChannelMap:
    scheme: str
    indicators: tuple[IndicatorChannel, ...] = ()
    rules: Mapping[str, str] = attrs.field(factory=dict)  # event channel → the scheme rule it enters as
    veto_areas: Mapping[str, str] = attrs.field(factory=dict)  # data area → scheme area
    origin: str = ""

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

    def __str__(self) -> str:
        who = f"unit {self.unit}" if self.unit else "every unit"
        via = f" (channel {self.channel})" if self.channel else ""
        return f"{self.scheme}: {who} lacks {self.item}{via}: {self.reason}"


@attrs.frozen
class Translation:
    dataset: Dataset
    gaps: tuple[Gap, ...] = ()
    unused: tuple[str, ...] = ()  # data the scheme does not read, said once per kind


def parse_channel_map(data: Mapping[str, Any], origin: str = "<channels>") -> ChannelMap:
    """Parse a channel map file; unknown keys and unknown channel names are errors."""
    problems: list[Problem] = []

    def fail(message: str) -> None:
        problems.append(Problem(message, file=origin))

    for key in data:
        if key not in {"scheme", "channels", "veto_areas", "quote", "note"}:
            fail(f"unknown key {key!r} (expected scheme, channels, veto_areas)")
    scheme_id = str(data.get("scheme", ""))
    if not scheme_id:
        fail("missing 'scheme' (the scheme id this map is for)")
    indicators: list[IndicatorChannel] = []
    rules: dict[str, str] = {}
    for item_id, spec in dict(data.get("channels", {})).items():
        table = {"channel": spec} if isinstance(spec, str) else dict(spec)
        channel = str(table.pop("channel", ""))
        if channel not in CHANNELS:
            fail(f"channels.{item_id}: unknown channel {channel!r} (known: {', '.join(CHANNELS)})")
            continue
        if channel in EVENT_CHANNELS:
            if table:
                fail(f"channels.{item_id}: a rule mapping takes only 'channel'")
            if channel in rules:
                fail(f"channel {channel!r} is mapped to both {rules[channel]!r} and {item_id!r}")
            rules[channel] = str(item_id)
            continue
        if channel == "vetoes":
            fail(f"channels.{item_id}: vetoes are read from the vetoes table; map areas under [veto_areas]")
            continue
        mode = str(table.pop("mode", ""))
        if mode and mode not in MODES:
            fail(f"channels.{item_id}: mode must be one of {', '.join(MODES)}, got {mode!r}")
        scale = table.pop("scale", None)
        table.pop("quote", None)
        table.pop("note", None)
        for key in table:
            fail(f"channels.{item_id}: unknown key {key!r} (expected channel, mode, scale)")
        try:
            scale_value = to_decimal(scale) if scale is not None else None
        except ValueError as error:
            fail(f"channels.{item_id}.scale: {error}")
            scale_value = None
        indicators.append(IndicatorChannel(str(item_id), channel, mode, scale_value))
    veto_areas = {str(k): str(v) for k, v in dict(data.get("veto_areas", {})).items()}
    if problems:
        raise InputError(problems)
    return ChannelMap(scheme_id, tuple(indicators), rules, veto_areas, origin)


def read_channel_map(path: Path) -> ChannelMap:
    return parse_channel_map(read_toml(path), str(path))


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
    builtin = BUILTIN_MAPS / f"{scheme_id}.toml"
    if builtin.is_file():
        return read_channel_map(builtin)
    return None


def check_map(scheme: Scheme, channel_map: ChannelMap) -> None:
    """A map may name only the scheme's indicators and rules."""
    problems = []
    for item in channel_map.indicators:
        if item.indicator not in scheme.indicator_ids:
            problems.append(Problem(f"names indicator {item.indicator!r}, which scheme {scheme.id} does not have"))
    for channel, rule in channel_map.rules.items():
        if rule not in scheme.rule_ids:
            problems.append(Problem(f"maps {channel} to rule {rule!r}, which scheme {scheme.id} does not have"))
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
    """The dataset in the scheme's own ids, with what the scheme needs and the data lacks."""
    if channel_map is not None:
        check_map(scheme, channel_map)
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
            if mode == "scaled":
                value = divide(row.value * scale, HUNDRED)
                values.append(attrs.evolve(row, indicator=item.indicator, value=value))
            elif mode == "ratio":
                values.append(attrs.evolve(row, indicator=item.indicator, target=row.target or HUNDRED))
            else:
                values.append(attrs.evolve(row, indicator=item.indicator))
    rule_ids = scheme.rule_ids
    event_rules = dict(channel_map.rules) if channel_map else {}
    events: list[EventRow] = []
    for event in dataset.events:
        if event.rule in rule_ids:
            events.append(event)
        elif event.rule in event_rules:
            events.append(attrs.evolve(event, rule=event_rules[event.rule]))
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
    translated = dataset.evolve(values=tuple(values), events=tuple(events), vetoes=tuple(vetoes))
    gaps = _gaps(scheme, translated, channel_map, set(dataset.values_by_indicator))
    notes = tuple(f"{scheme.id} does not read {kind}: {', '.join(sorted(ids))}" for kind, ids in sorted(unused.items()))
    return Translation(translated, tuple(gaps), notes)


def _gaps(scheme: Scheme, dataset: Dataset, channel_map: ChannelMap | None, present: set[str]) -> list[Gap]:
    channel_of = {i.indicator: i.channel for i in channel_map.indicators} if channel_map else {}
    values = dataset.values_by_indicator
    gaps: list[Gap] = []
    for indicator in scheme.indicators:
        if indicator.optional:
            continue
        needing = [u.id for u in dataset.units if scores_indicator(scheme, u.group, indicator, parts_for(scheme, u))]
        if not needing:
            continue
        rows = values.get(indicator.id, {})
        missing = [u for u in needing if u not in rows]
        channel = channel_of.get(indicator.id, "")
        label = f"indicator {indicator.id} ({indicator.name})"
        if len(missing) == len(needing):
            if channel and channel not in present:
                reason = f"the data has no {channel} rows"
            elif not channel:
                reason = "no channel map names it and the data has no rows for it"
            else:
                reason = "the data has no rows for it"
            gaps.append(Gap(scheme.id, label, channel, "", reason))
        else:
            gaps.extend(Gap(scheme.id, label, channel, u, "no value for this unit") for u in missing)
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
