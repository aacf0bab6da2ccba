"""Result outputs: JSON (pinned format), CSV and a terminal table (the XLSX and HTML 通报: bulletin*.py).

Every file is written to a temporary file beside the target and renamed into place, so a failed run
never leaves a half-written output. The same inputs give byte-identical JSON.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from kaoping.core.consequences import consequences_text
from kaoping.core.labels import effect_label, input_label, kind_label
from kaoping.core.numbers import format_points, json_number
from kaoping.core.results import Names, RunResult, TrailEntry, UnitResult, Veto
from kaoping.io.safety import csv_cell, terminal_text
from kaoping.io.terminal import display_width as display_width
from kaoping.io.terminal import pad as pad
from kaoping.io.terminal import render_table, wrap_lines
from kaoping.locale import _

FORMATS = ("table", "json", "csv", "xlsx", "html")  # xlsx and html: the bulletin (kaoping.io.bulletin)


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(temp_path)`` and move the temp file onto ``path`` only if it succeeded."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        os.chmod(temp, 0o666 & ~_current_umask())  # mkstemp makes 0600; outputs get the usual permissions
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------------------------------------------------
# JSON


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def entry_dict(entry: TrailEntry) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "rule": entry.rule,
        "label": entry.label,
        "part": entry.part,
        "points": _plain(entry.points),
        "inputs": _plain(dict(entry.inputs)),
        "note": entry.note,
        "plugin": entry.plugin,
    }


def veto_dict(veto: Veto) -> dict[str, Any]:
    out: dict[str, Any] = {"area": veto.area, "effect": veto.effect, "source": veto.source, "note": veto.note}
    if veto.points is not None:
        out["points"] = _plain(veto.points)
    if veto.grades:
        out["grades"] = list(veto.grades)
    if veto.grade:
        out["grade"] = veto.grade
    out["plugin"] = veto.plugin
    return out


def unit_dict(result: UnitResult) -> dict[str, Any]:
    return {
        "unit": result.unit,
        "name": result.name,
        "group": result.group,
        "total": _plain(result.total),
        "rank": result.rank,
        "grade": result.grade,
        "grade_reason": result.grade_reason,
        "parts": _plain(result.parts),
        "indicators": _plain(result.score.indicator_points()),
        "adjustments": _plain(result.score.adjustments),
        "vetoes": [veto_dict(v) for v in result.read_vetoes()],
        "consequences": _plain(result.read_consequences()),
        "explain": [entry_dict(e) for e in trail_entries(result)],
    }


def explained(units: Iterable[UnitResult]) -> Iterator[UnitResult]:
    """``units`` in their order, announced a block at a time to the compact trails their explanations are
    rebuilt from (:func:`~kaoping.core.columnar.trail.read_ahead`): a writer goes through a run in ranked
    order, and each indicator's method then runs once per block of units rather than once per unit."""
    from kaoping.core.columnar.trail import read_ahead  # numpy: only where units are written

    return read_ahead(units, lambda unit: unit.score)


def trail_entries(result: UnitResult) -> list[TrailEntry]:
    """A unit's trail for an output: a columnar run's is built for the unit and not kept, so writing a
    million units' trails one after another holds one unit's entries at a time."""
    entries = getattr(result.score, "trail_entries", None)
    return entries() if entries is not None else result.score.trail


def result_dict(result: RunResult) -> dict[str, Any]:
    return {
        "scheme": result.scheme_id,
        "scheme_name": result.scheme_name,
        "units": [unit_dict(u) for u in explained(result.units)],
        "notes": list(result.notes),
        "warnings": list(result.warnings),
        "plugins": dict(result.plugins),
    }


def to_json(result: RunResult) -> str:
    buffer = io.StringIO()
    write_json(result, buffer)
    return buffer.getvalue()


_UNITS_SLOT = "\x00units\x00"


def write_json(result: RunResult, out: TextIO) -> None:
    """The pinned JSON of ``result``, written unit by unit (the same bytes as one ``json.dumps`` of
    :func:`result_dict` with ``indent=2``): a unit's dict, trail included, is built, written and dropped."""
    shell = {
        "scheme": result.scheme_id,
        "scheme_name": result.scheme_name,
        "units": _UNITS_SLOT,
        "notes": list(result.notes),
        "warnings": list(result.warnings),
        "plugins": dict(result.plugins),
    }
    text = json.dumps(shell, ensure_ascii=False, indent=2)
    head, _slot, tail = text.partition(json.dumps(_UNITS_SLOT, ensure_ascii=False))
    out.write(head)
    if not result.units:
        out.write("[]")
    for position, unit in enumerate(explained(result.units)):
        out.write("[\n    " if position == 0 else ",\n    ")
        out.write(json.dumps(unit_dict(unit), ensure_ascii=False, indent=2).replace("\n", "\n    "))
    if result.units:
        out.write("\n  ]")
    out.write(tail + "\n")


# ---------------------------------------------------------------------------------------------------------
# CSV


def part_ids(result: RunResult) -> list[str]:
    seen: dict[str, None] = {}
    for unit in result.units:
        for part in unit.parts:
            seen.setdefault(part, None)
    return list(seen)


def summary_rows(result: RunResult) -> tuple[list[str], list[list[Any]]]:
    """Ranked summary rows; numbers stay Decimals so each writer renders them exactly.

    Headers are in the chosen language; groups, parts and veto areas are shown by the scheme's names.
    """
    header, rows = summary_lines(result)
    return header, list(rows)


def summary_lines(result: RunResult) -> tuple[list[str], Iterator[list[Any]]]:
    """The summary's header and its rows, one unit at a time (:func:`summary_rows` as a stream)."""
    parts = part_ids(result)
    names = result.names
    header = [
        _("group"),
        _("rank"),
        _("unit id"),
        _("unit"),
        _("total"),
        _("grade"),
        *(names.part(p) for p in parts),
        _("adjustments"),
        _("vetoes"),
        _("grade reason"),
        _("consequences"),
    ]
    return header, (_summary_row(u, parts, names) for u in result.units)


def _summary_row(u: UnitResult, parts: list[str], names: Names) -> list[Any]:
    return [
        names.group(u.group),
        u.rank,
        u.unit,
        u.name,
        u.total,
        u.grade,
        *(u.parts.get(p) for p in parts),
        u.score.adjustments,
        "; ".join(veto_text(v, names) for v in u.read_vetoes()),
        u.grade_reason,
        consequences_text(u.read_consequences()),
    ]


def veto_text(veto: Veto, names: Names) -> str:
    """A veto as people read it: the area's name and what it does (扣分, 取消评优资格, 定为等次…)."""
    return _("{area} ({effect})").format(area=names.veto(veto.area), effect=effect_label(veto.effect))


def _text(value: Any) -> str:
    if value is None:
        return ""
    return format_points(value) if isinstance(value, Decimal) else str(value)


def to_csv(result: RunResult) -> str:
    buffer = io.StringIO()
    write_csv(result, buffer)
    return buffer.getvalue()


def write_csv(result: RunResult, out: TextIO) -> None:
    """The ranked summary as CSV, written unit by unit (the same text as :func:`to_csv`)."""
    header, rows = summary_lines(result)
    out.write(csv_text([header]))
    for row in rows:
        out.write(csv_text([[_csv_text(v) for v in row]]))


def csv_text(rows: Iterable[list[str]]) -> str:
    """CSV lines ending in LF, with every cell holding a CR or LF quoted.

    The csv module quotes only the characters of its line terminator, so with ``"\n"`` a name holding a
    lone CR would go out bare and split its row in Excel; rows are written with ``"\r\n"`` (which quotes
    both) and end in LF. NUL is dropped, as in XLSX: spreadsheet programs end a cell at it, and the csv
    writer of Python 3.10 cannot write it at all.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = []
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([cell.replace("\x00", "") for cell in row])
        lines.append(buffer.getvalue()[:-2] + "\n")
    return "".join(lines)


def _csv_text(value: Any) -> str:
    """A cell's text; text from the data (names, notes, reasons) can never run as a formula."""
    return _text(value) if isinstance(value, Decimal) else csv_cell(_text(value))


# ---------------------------------------------------------------------------------------------------------
# terminal


def to_table(result: RunResult) -> str:
    """One ranking table per group, or per pool of groups ranked together (then with a group column);
    each shows the parts its units are scored on, by name."""
    names = result.names
    out = [terminal_text(f"{result.scheme_name} ({result.scheme_id})")]
    for section, units in result.ranking_sections().items():
        parts = [p for p in part_ids(result) if any(p in u.parts for u in units)]
        pooled = len({u.group for u in units}) > 1
        header = [
            _("rank"),
            _("unit"),
            *([_("group")] if pooled else []),
            _("total"),
            _("grade"),
            *(names.part(p) for p in parts),
        ]
        rows = [
            [
                _text(u.rank),
                terminal_text(u.name),
                *([terminal_text(names.group(u.group))] if pooled else []),
                _text(u.total),
                terminal_text(u.grade),
                *(_text(u.parts.get(p)) for p in parts),
            ]
            for u in units
        ]
        first_part = 5 if pooled else 4
        numeric = {0, first_part - 2, *range(first_part, first_part + len(parts))}
        out += ["", terminal_text(f"[{names.group(section)}]"), render_table(header, rows, numeric)]
    if result.notes:
        out += ["", _("notes:"), *(terminal_text(f"  - {n}") for n in result.notes)]
    if result.warnings:
        out += ["", _("warnings:"), *(f"  - {terminal_text(w)}" for w in result.warnings)]
    return fit_lines(out)


def explain_text(unit: UnitResult, names: Names | None = None) -> str:
    """The trail of one unit, entry by entry, with running part totals, ending in the total.

    Parts, groups, rules and veto areas are named as the scheme names them (``names``, from the result).
    """
    names = names or Names()
    rank = unit.rank if unit.rank is not None else "-"
    lines = [
        _("{name} ({unit}), group {group}: total {total}, rank {rank}, grade {grade}").format(
            name=unit.name,
            unit=unit.unit,
            group=names.group(unit.group),
            total=format_points(unit.total),
            rank=rank,
            grade=unit.grade or "-",
        )
    ]
    if unit.grade_reason:
        lines.append(_("  grade: {reason}").format(reason=unit.grade_reason))
    rows = []
    for e in unit.score.trail:
        inputs = ", ".join(
            f"{input_label(k)}={_short(names.veto(v) if k == 'area' else v)}" for k, v in e.inputs.items()
        )
        part = names.part(e.part) if e.part else _("(total)")
        note = e.note
        if e.plugin and e.plugin != "builtin":  # which plugin gave the point, when not the core engine
            note = "; ".join(filter(None, (note, _("by plugin {plugin}").format(plugin=e.plugin))))
        rows.append([part, kind_label(e.kind), e.label or names.rule(e.rule), _signed(e.points), inputs, note])
    header = [_("part"), _("kind"), _("item"), _("points"), _("inputs"), _("note")]
    lines.append(render_table(header, rows, {3}))
    shown = ", ".join(f"{names.part(p)} {format_points(v)}" for p, v in unit.parts.items())
    lines.append(_("parts: {parts}").format(parts=shown))
    if unit.score.adjustments:
        lines.append(_("adjustments outside parts: {points}").format(points=_signed(unit.score.adjustments)))
    lines.append(_("total: {total}").format(total=format_points(unit.total)))
    for veto in unit.read_vetoes():
        lines.append(
            _("veto: {area} ({effect}), confirmed by {source}").format(
                area=names.veto(veto.area), effect=effect_label(veto.effect), source=veto.source or "?"
            )
        )
    consequences = unit.read_consequences()
    if consequences:
        lines.append(_("consequences: {consequences}").format(consequences=consequences_text(consequences)))
    return fit_lines(lines)


def fit_lines(blocks: list[str]) -> str:
    """Blocks of terminal text (tables included) as lines that fit the terminal, data text made safe."""
    return "\n".join(wrap_lines("\n".join(blocks).split("\n"))) + "\n"


def _signed(value: Decimal) -> str:
    text = format_points(value)
    return text if text.startswith("-") or text == "0" else f"+{text}"


def _short(value: Any) -> str:
    if isinstance(value, Decimal):
        return format_points(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in value.items()) + "}"
    return str(value)
