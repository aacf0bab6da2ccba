"""Data checks: each unit is scored on its own 个性考评项目 table only.

Every 股、室、中心、大队 has its own 70-point table (「(二)个性考评项目(70分)」), held in its own part; the core
scores a unit only on its group's parts and would silently pass over an event or value of another
unit's table. Such a row is a data-entry mistake (a deduction booked on the wrong unit), so it is
reported with its file, row and column instead. A unit placed in another unit's group would be scored
on the wrong table, so the roster is checked as well.
"""

from __future__ import annotations

from kaoping.core.errors import Problem
from kaoping.core.models import Dataset
from kaoping.core.scheme import Scheme
from kaoping.core.scoring import parts_for, scores_indicator


def own_table_problems(scheme: Scheme, dataset: Dataset) -> list[Problem]:
    problems: list[Problem] = []
    units = dataset.unit_by_id
    part_names = {p.id: p.name for p in scheme.parts}
    rules = {r.id: r for r in scheme.rules}
    indicators = {i.id: i for i in scheme.indicators}
    roster_group = {entry.id: group.id for group, entry in scheme.roster_units()}
    for unit in dataset.units:
        expected = roster_group.get(unit.id)
        if expected is not None and scheme.group(unit.group) is not None and unit.group != expected:
            problems.append(
                Problem(
                    f"unit {unit.id!r} ({unit.name}) is on the roster of group {expected!r}, not {unit.group!r}: "
                    f"it would be scored on another unit's 个性考评项目",
                    file=unit.where.file,
                    row=unit.where.row,
                    column="group",
                )
            )
    for event in dataset.events:
        unit = units.get(event.unit)
        rule = rules.get(event.rule)
        if unit is None or rule is None or scheme.group(unit.group) is None:
            continue  # reported by the core
        if rule.part not in parts_for(scheme, unit):
            problems.append(
                Problem(
                    f"rule {rule.id!r} ({rule.name}) belongs to {part_names.get(rule.part, rule.part)}; "
                    f"unit {unit.id!r} ({unit.name}) is not scored on it",
                    file=event.where.file,
                    row=event.where.row,
                    column="rule",
                )
            )
    for row in dataset.values:
        unit = units.get(row.unit)
        indicator = indicators.get(row.indicator)
        if unit is None or indicator is None or scheme.group(unit.group) is None:
            continue
        if not scores_indicator(scheme, unit.group, indicator, parts_for(scheme, unit)):
            problems.append(
                Problem(
                    f"indicator {indicator.id!r} ({indicator.name}) belongs to "
                    f"{part_names.get(indicator.part, indicator.part)}; unit {unit.id!r} ({unit.name}) "
                    f"is not scored on it",
                    file=row.where.file,
                    row=row.where.row,
                    column="indicator",
                )
            )
    return problems
