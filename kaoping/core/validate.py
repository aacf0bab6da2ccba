"""Checks of a dataset against a scheme: every problem, with file, row and column, at once."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable

import attrs

from kaoping.core.errors import Problem
from kaoping.core.labels import value_kind_label
from kaoping.core.methods import percent_allowed
from kaoping.core.models import Dataset, ValueRow, Where
from kaoping.core.numbers import format_points
from kaoping.core.results import Veto
from kaoping.core.scheme import Indicator, Rule, Scheme
from kaoping.core.scoring import parts_for, scores_indicator
from kaoping.locale import _

ANY_AREA = "*"


def with_group_ids(scheme: Scheme, dataset: Dataset) -> Dataset:
    """The dataset with every unit's group given by id, where the data names it by its Chinese name.

    Offices write 街道 as readily as ``street``; everything after loading works with ids. A name two groups
    share, or that no group has, is left as written for validation to report.
    """
    renamed = {u.group: scheme.group_id(u.group) for u in dataset.units}
    if all(text == group_id for text, group_id in renamed.items()):
        return dataset
    units = tuple(attrs.evolve(u, group=renamed[u.group]) for u in dataset.units)
    return attrs.evolve(dataset, units=units)


def validate_dataset(scheme: Scheme, dataset: Dataset) -> list[Problem]:
    """Every problem of ``dataset`` against ``scheme``, causes first.

    A whole table's problem (a required column missing, a column that appears twice) is the cause of a
    problem on every row after it (233 units "without a value" because the 数值 column is misspelt): then
    only the reading problems are reported, the table-wide ones first, and the checks across tables wait
    until the tables read cleanly.
    """
    tablewide = [p for p in dataset.problems if p.row is None]
    if not dataset.units and not dataset.unreadable_units:  # every other row would be "unknown unit"
        tablewide.insert(0, Problem(_("the units table is empty"), file=os.path.basename(dataset.origin)))
    if tablewide:
        return tablewide + _by_place(p for p in dataset.problems if p.row is not None)
    problems: list[Problem] = list(dataset.problems)

    def fail(message: str, where, column: str) -> None:
        problems.append(Problem(message, file=where.file, row=where.row, column=column))

    group_ids = {g.id for g in scheme.groups}
    roster_group = {entry.id: group.id for group, entry in scheme.roster_units()}
    seen_units: Counter[str] = Counter(u.id for u in dataset.units)
    for unit in dataset.units:
        listed = roster_group.get(unit.id)
        if listed is not None and unit.group and unit.group in group_ids and unit.group != listed:
            fail(
                _("unit '{unit}' is on the roster of group '{listed}', not '{group}'").format(
                    unit=unit.id, listed=listed, group=unit.group
                ),
                unit.where,
                "group",
            )
        if seen_units[unit.id] > 1:
            fail(
                _("unit id '{unit}' appears {seen_units} times").format(unit=unit.id, seen_units=seen_units[unit.id]),
                unit.where,
                "unit",
            )
        if not unit.group:
            fail(_("unit '{unit}' has no group").format(unit=unit.id), unit.where, "group")
        elif group_ids and unit.group not in group_ids:
            fail(
                _("unit '{unit}' is in group '{group}', which the scheme does not have (groups: {items})").format(
                    unit=unit.id, group=unit.group, items=", ".join(f"{g.name} ({g.id})" for g in scheme.groups)
                ),
                unit.where,
                "group",
            )
    if not dataset.units:
        problems.append(Problem(_("the units table is empty"), file=os.path.basename(dataset.origin)))
    unit_ids = set(seen_units) | dataset.unreadable_units  # an unreadable unit row is reported once, there
    indicators = scheme.indicator_ids
    # a row for an indicator or rule the unit's group is not scored on would be silently ignored
    known_units = {u.id: u for u in dataset.units if not group_ids or u.group in group_ids}
    scored_parts: dict[str, tuple[str, ...]] = {}  # by group: what a unit is scored on depends on it only
    scored_indicators: dict[str, list[Indicator]] = {}
    for unit in known_units.values():
        if unit.group not in scored_parts:
            parts = scored_parts[unit.group] = parts_for(scheme, unit)
            scored_indicators[unit.group] = [
                i for i in scheme.indicators if scores_indicator(scheme, unit.group, i, parts)
            ]
    scored_ids = {group: {i.id for i in found} for group, found in scored_indicators.items()}
    rule_by_id = {r.id: r for r in scheme.rules}
    columnar = dataset.has_value_columns  # read into columns: checked on arrays, no row is built
    if columnar:
        from kaoping.core.columnar.checks import missing_value_problems, value_row_problems

        problems += value_row_problems(dataset, unit_ids, indicators, known_units, scored_ids)
    else:
        value_keys: Counter[tuple[str, str, str, str]] = Counter(
            (r.unit, r.indicator, r.item, r.period) for r in dataset.values
        )
        for row in dataset.values:
            if row.unit not in unit_ids:
                fail(_("unknown unit '{unit}'").format(unit=row.unit), row.where, "unit")
            if row.indicator not in indicators:
                fail(
                    _("unknown indicator '{indicator}' (the scheme has: {items})").format(
                        indicator=row.indicator, items=", ".join(sorted(indicators))
                    ),
                    row.where,
                    "indicator",
                )
            elif row.unit in known_units:
                unit = known_units[row.unit]
                if row.indicator not in scored_ids[unit.group]:
                    fail(
                        _("unit '{unit}' (group '{group}') is not scored on indicator '{indicator}'").format(
                            unit=unit.id, group=unit.group, indicator=row.indicator
                        ),
                        row.where,
                        "indicator",
                    )
            if value_keys[(row.unit, row.indicator, row.item, row.period)] > 1:
                fail(
                    _("duplicate value for unit '{unit}', indicator '{indicator}'").format(
                        unit=row.unit, indicator=row.indicator
                    )
                    + (_(", item '{item}'").format(item=row.item) if row.item else "")
                    + (_(", period '{period}'").format(period=row.period) if row.period else ""),
                    row.where,
                    "indicator",
                )
    rules = scheme.rule_ids
    for event in dataset.events:
        if event.unit not in unit_ids:
            fail(_("unknown unit '{unit}'").format(unit=event.unit), event.where, "unit")
        if event.rule not in rules:
            fail(_("unknown rule '{rule}'").format(rule=event.rule), event.where, "rule")
        elif (owner := known_units.get(event.unit)) and rule_by_id[event.rule].part not in scored_parts[owner.group]:
            rule = rule_by_id[event.rule]
            fail(
                _(
                    "unit '{unit}' (group '{group}') is not scored on part '{part}', where rule "
                    "'{rule}' ({rule_name}) belongs"
                ).format(unit=event.unit, group=owner.group, part=rule.part, rule=rule.id, rule_name=rule.name),
                event.where,
                "rule",
            )
        if event.count < 0:
            fail(_("a count cannot be negative"), event.where, "count")
    areas = {v.id for v in scheme.vetoes}
    first_veto: dict[tuple[str, str, str, str], Where] = {}
    for veto in dataset.vetoes:
        identity = (veto.unit, veto.area, veto.source, veto.note)
        if identity in first_veto:
            fail(
                _(
                    "the same veto as row {row} (unit {unit!r}, area {area!r}) is entered again; a veto counts "
                    "once per row, so remove the copy (or tell the rows apart by 认定部门 or 备注)"
                ).format(row=first_veto[identity].row, unit=veto.unit, area=veto.area),
                veto.where,
                "area",
            )
        else:
            first_veto[identity] = veto.where
        if veto.unit not in unit_ids:
            fail(_("unknown unit '{unit}'").format(unit=veto.unit), veto.where, "unit")
        if veto.area not in areas and ANY_AREA not in areas:
            fail(
                _("unknown veto area '{area}' (the scheme has: {value})").format(
                    area=veto.area, value=", ".join(sorted(areas)) or "none"
                ),
                veto.where,
                "area",
            )
    checked: set[str] = set()
    checked_units = []
    for unit in dataset.units:
        if (group_ids and unit.group not in group_ids) or unit.id in checked:
            continue
        checked.add(unit.id)
        checked_units.append(unit)
    if columnar:
        problems += missing_value_problems(dataset, checked_units, scored_indicators)
    else:
        values = dataset.values_by_indicator
        for unit in checked_units:
            for indicator in scored_indicators[unit.group]:
                if indicator.optional:
                    continue
                if (
                    unit.id not in values.get(indicator.id, {})
                    and (unit.id, indicator.id) not in dataset.unreadable_values
                ):
                    fail(
                        _("unit '{unit}' has no value for indicator '{indicator}' ({indicator_name})").format(
                            unit=unit.id, indicator=indicator.id, indicator_name=indicator.name
                        ),
                        unit.where,
                        "unit",
                    )
    problems += rating_limit_problems(scheme, dataset)
    problems += percent_problems(scheme, dataset)
    history_keys: Counter[tuple[str, int]] = Counter((h.unit, h.year) for h in dataset.history)
    for past in dataset.history:
        if history_keys[(past.unit, past.year)] > 1:
            fail(
                _("duplicate history for unit '{unit}', year {year}").format(unit=past.unit, year=past.year),
                past.where,
                "year",
            )
    return _by_place(problems)


def _by_place(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.row if p.row is not None else -1))


def missing_number_problems(scheme: Scheme, dataset: Dataset | None = None) -> list[Problem]:
    """Every number the deployment must still set, each named by its dotted key in the overrides.

    The scheme's own gaps (required parameters, parts' required numbers, grading cut-offs) always; an
    indicator's or rule's required numbers when ``dataset`` has rows for the item. Listed all at once, so
    that an office fixes its ``kaoping.toml`` in one go.
    """
    problems = [missing_number_problem(scheme, key, quote) for key, quote in scheme.missing_numbers()]
    if dataset is None:
        return problems
    used = dataset.value_indicators() | {event.rule for event in dataset.events}
    items: list[tuple[str, Indicator | Rule]] = [("indicators", i) for i in scheme.indicators]
    items += [("rules", r) for r in scheme.rules]
    for kind, item in items:
        if item.id not in used:
            continue
        for name in item.required:
            if name not in item.params and getattr(item, name, None) is None:
                problems.append(missing_number_problem(scheme, f"{kind}[{item.id}].{name}", item.quote))
    return problems


def missing_number_problem(scheme: Scheme, key: str, quote: str = "") -> Problem:
    """A number the deployment must set, named by its dotted key in the overrides, with the source's words."""
    reason = _(" (the source gives no number: 「{quote}」)").format(quote=quote) if quote else ""
    return Problem(
        _("{key} is not set{reason}; the deployment's overrides must set it").format(key=key, reason=reason),
        file=scheme.origin or _("scheme {scheme}").format(scheme=scheme.id),
    )


def percent_problems(scheme: Scheme, dataset: Dataset) -> list[Problem]:
    """A value written as a percentage (``85%``) for an indicator whose value is not a ratio.

    ``85%`` is read as 0.85, which is right for a 完成率 and a silent slip for points, votes or yuan (85 分
    would score 0.85). The kind of value is the indicator's method's (or the scheme's, where the method reads
    either): see ``value_kind`` in docs/plugin-authoring.md.
    """
    if not dataset.percent_cells:
        return []
    by_id = {indicator.id: indicator for indicator in scheme.indicators}
    problems = []
    for row in _rows_with_percent_cells(dataset):
        indicator = by_id.get(row.indicator)
        if indicator is None or percent_allowed(indicator.value_kind):
            continue
        for column in ("value", "target", "baseline"):
            if (row.unit, row.indicator, row.item, row.period, column) in dataset.percent_cells:
                problems.append(
                    Problem(
                        _(
                            "written as a percentage, but indicator '{indicator}' ({name}) reads {kind}, not a "
                            "ratio: write the number without %"
                        ).format(
                            indicator=indicator.id, name=indicator.name, kind=value_kind_label(indicator.value_kind)
                        ),
                        file=row.where.file,
                        row=row.where.row,
                        column=column,
                    )
                )
    return problems


def _rows_with_percent_cells(dataset: Dataset) -> Iterable[ValueRow]:
    """The value rows that may hold a percentage: from the columns' marks when the values were read into
    columns (no other row is built), else every row."""
    if not dataset.has_value_columns:
        return dataset.values
    import numpy as np

    columns = dataset.value_columns
    return [columns.row_at(p) for p in np.flatnonzero(columns.percent).tolist()]


def rating_limit_problems(scheme: Scheme, dataset: Dataset) -> list[Problem]:
    """An organiser rated more units at a level than its item's ``rating_limits`` allow.

    The ratings are input, not points to correct: the organiser must re-rate, so each excess is an error
    naming the item, the rater, the level, the units and the limit, located at the first row of the level.
    """
    problems: list[Problem] = []
    if not any(indicator.rating_limits for indicator in scheme.indicators):
        return problems  # the rows are not needed (nor built, where the values were read into columns)
    values = dataset.values_by_indicator
    for indicator in scheme.indicators:
        if not indicator.rating_limits:
            continue
        rows = values.get(indicator.id, {})
        for limit in indicator.rating_limits:
            given = [
                (unit, next(r for r in unit_rows if r.item == limit.level and r.value > 0))
                for unit, unit_rows in sorted(rows.items())
                if any(r.item == limit.level and r.value > 0 for r in unit_rows)
            ]
            allowed = limit.allowed(len(rows))
            if len(given) <= allowed:
                continue
            of = (
                _("{share}% of {rated} units rated").format(share=format_points(limit.limit * 100), rated=len(rows))
                if limit.share
                else _("a number of units")
            )
            rater = _(", rated by {rater}").format(rater=indicator.rated_by) if indicator.rated_by else ""
            first = given[0][1].where
            problems.append(
                Problem(
                    _(
                        "indicators[{item}] ({name}){rater}: {count} units rated {level} ({units}), "
                        "at most {allowed} allowed ({of})"
                    ).format(
                        item=indicator.id,
                        name=indicator.name,
                        rater=rater,
                        count=len(given),
                        level=limit.level,
                        units="、".join(unit for unit, _row in given),
                        allowed=allowed,
                        of=of,
                    ),
                    file=first.file,
                    row=first.row,
                    column="item",
                )
            )
    return problems


def plugin_veto_problems(scheme: Scheme, dataset: Dataset, vetoes: Iterable[Veto]) -> list[Problem]:
    """Vetoes a plugin's ``kaoping_check_vetoes`` returns that name a unit outside the units table or an area
    the scheme does not declare in ``[[vetoes]]``.

    Such a veto would be applied to nobody, or with an effect and consequences nobody declared: the host
    refuses it, naming the plugin and the hook, instead of dropping it. Vetoes read from the data's vetoes
    table are located by row in :func:`validate_dataset`.
    """
    units = {unit.id for unit in dataset.units}
    areas = {area.id for area in scheme.vetoes}
    problems = []
    for veto in vetoes:
        hook = _("plugin {plugin!r} (hook kaoping_check_vetoes)").format(plugin=veto.plugin)
        if veto.unit not in units:
            problems.append(
                Problem(
                    _("{hook} vetoes unit {unit!r} in area {area!r}; the units table has no such unit").format(
                        hook=hook, unit=veto.unit, area=veto.area
                    )
                )
            )
        if veto.area not in areas and ANY_AREA not in areas:
            problems.append(
                Problem(
                    _(
                        "{hook} vetoes unit {unit!r} in area {area!r}, which the scheme does not declare; "
                        "declare it in [[vetoes]] with its effect and quote (the scheme has: {value})"
                    ).format(hook=hook, unit=veto.unit, area=veto.area, value=", ".join(sorted(areas)) or "none")
                )
            )
    return problems
