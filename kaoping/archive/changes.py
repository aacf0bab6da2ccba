"""What changed between two revisions of a run: per unit, its total, rank, grade and consequences.

An accepted appeal can move others too: a corrected score passes a quota place from one unit to another,
so every unit is compared, not only the one that appealed.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import attrs

from kaoping.archive.codec import encode
from kaoping.core.numbers import format_points
from kaoping.core.results import RunResult
from kaoping.io.report import render_table
from kaoping.io.safety import terminal_text
from kaoping.locale import _

FIELDS = ("total", "rank", "grade")
CONSEQUENCES = "consequences"


@attrs.frozen
class UnitChange:
    unit: str
    name: str
    field: str  # one of FIELDS, or CONSEQUENCES with the consequence key in ``key``
    before: Any
    after: Any
    key: str = ""

    @property
    def what(self) -> str:
        return f"{_(self.field)}: {self.key}" if self.key else _(self.field)


def result_changes(before: RunResult, after: RunResult) -> list[UnitChange]:
    """Every unit whose total, rank, grade or consequences differ, in the order of ``after``."""
    old = before.by_unit()
    changes: list[UnitChange] = []
    for unit in after.units:
        previous = old.get(unit.unit)
        for field in FIELDS:
            was = getattr(previous, field) if previous is not None else None
            now = getattr(unit, field)
            if encode(was) != encode(now):
                changes.append(UnitChange(unit.unit, unit.name, field, was, now))
        was_consequences = previous.read_consequences() if previous is not None else {}
        consequences = unit.read_consequences()
        for key in sorted({*was_consequences, *consequences}):
            was, now = was_consequences.get(key), consequences.get(key)
            if encode(was) != encode(now):
                changes.append(UnitChange(unit.unit, unit.name, CONSEQUENCES, was, now, key))
    gone = [u for u in before.units if u.unit not in after.by_unit()]
    changes += [UnitChange(u.unit, u.name, "unit", u.unit, None) for u in gone]
    return changes


def moved_units(changes: list[UnitChange]) -> list[str]:
    """Units whose rank, grade or consequences changed (a total alone does not move a unit)."""
    seen: dict[str, None] = {}
    for change in changes:
        if change.field != "total":
            seen.setdefault(change.unit, None)
    return list(seen)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, (dict, list)):
        return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)
    return format_points(value) if isinstance(value, Decimal) else str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format_points(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def change_line(change: UnitChange) -> str:
    """One change as a line of the bulletin's notes: ``泉交河镇 (T1-01) grade: 达标 → 优秀``."""
    return _("{name} ({unit}) {what}: {before} → {after}").format(
        name=change.name, unit=change.unit, what=change.what, before=_shown(change.before), after=_shown(change.after)
    )


def changes_text(changes: list[UnitChange], title: str) -> str:
    """A table of the changes under ``title``; one line saying nothing changed when there are none."""
    if not changes:
        return f"{title}\n  " + _("no unit's total, rank, grade or consequences changed") + "\n"
    header = [_("unit"), _("name"), _("what"), _("before"), _("after")]
    rows = [
        [
            terminal_text(c.unit),
            terminal_text(c.name),
            c.what,
            terminal_text(_shown(c.before)),
            terminal_text(_shown(c.after)),
        ]
        for c in changes
    ]
    return f"{title}\n{render_table(header, rows)}\n"
