"""The input files of a run: their checksums, their bytes, and the changes an accepted appeal makes.

An archive keeps every input file of every revision, so an accepted appeal re-scores exactly the data the
published result came from, with the corrected rows, even when the office's folder has moved on since.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from pathlib import Path

import attrs

from kaoping.core.columns import column_lookup, header_candidates, normalize_header
from kaoping.core.errors import InputError, Problem
from kaoping.io.dataio import decode_text
from kaoping.locale import _

FOLDER = "folder"
FILE = "file"


@attrs.frozen
class InputFile:
    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@attrs.frozen
class Inputs:
    """The files of a data source, and whether it was a folder or a single file (workbook, JSON)."""

    kind: str
    files: tuple[InputFile, ...]

    def by_name(self) -> dict[str, InputFile]:
        return {f.name: f for f in self.files}

    def write(self, folder: Path) -> Path:
        """Write the files into ``folder``; the path to give the loader."""
        for item in self.files:
            (folder / item.name).write_bytes(item.content)
        return folder if self.kind == FOLDER else folder / self.files[0].name


def read_inputs(source: Path) -> Inputs:
    """Every regular, non-hidden file of a data folder (top level), or the one data file."""
    if source.is_dir():
        files = sorted(p for p in source.iterdir() if p.is_file() and not p.name.startswith("."))
        return Inputs(FOLDER, tuple(InputFile(p.name, p.read_bytes()) for p in files))
    if source.is_file():
        return Inputs(FILE, (InputFile(source.name, source.read_bytes()),))
    raise InputError(Problem(_("the data source does not exist"), file=str(source)))


def apply_changes(inputs: Inputs, changes: Iterable[Path]) -> tuple[Inputs, list[str]]:
    """The inputs with each change file applied; a line per change file saying what it changed.

    A change file named after a CSV table (``vetoes.csv``, ``values.csv`` …) holds only the rows to
    change: a row replaces the stored row with the same key (:data:`ROW_KEYS`), or is added; a row whose
    ``change`` (操作) column says ``delete`` (删除) removes it. Two appeals changing different rows of one
    table therefore both stand. Any other file replaces the input file of the same name whole (a
    corrected workbook of a single-file source).
    """
    files = inputs.by_name()
    described: list[str] = []
    for path in changes:
        if not path.is_file():
            raise InputError(Problem(_("the change file does not exist"), file=str(path)))
        table = path.stem.lower()
        if path.suffix.lower() == ".csv" and table in ROW_KEYS and inputs.kind == FOLDER:
            merged, line = merge_rows(files.get(path.name), path, table)
            files[path.name] = merged
            described.append(line)
            continue
        if inputs.kind == FILE and path.name not in files:
            raise InputError(
                Problem(
                    _("the run's data is the single file {name}; give a corrected copy of it").format(
                        name=inputs.files[0].name
                    ),
                    file=str(path),
                )
            )
        new = InputFile(path.name, path.read_bytes())
        described.append((_("{file}: replaced") if path.name in files else _("{file}: added")).format(file=path.name))
        files[path.name] = new
    return Inputs(inputs.kind, tuple(files[name] for name in sorted(files))), described


# The columns that identify a row of each table: a change row with the same key replaces the stored row.
# A change file must have the first two (the first for units); a key column it leaves out is empty.
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "units": ("unit",),
    "values": ("unit", "indicator", "item", "period"),
    "events": ("unit", "rule", "matter", "date", "level", "rank", "role"),
    "vetoes": ("unit", "area"),
    "history": ("unit", "year"),
}
CHANGE_COLUMN = ("change", "操作")
DELETE = ("delete", "删除")


def _read_csv(data: bytes, name: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(decode_text(data, name))))
    return (rows[0], rows[1:]) if rows else ([], [])


def _column_ids(header: list[str], table: str) -> list[str]:
    lookup = column_lookup(table)
    ids = []
    for cell in header:
        candidates = header_candidates(cell)
        found = next((lookup[c] for c in candidates if c in lookup), None)
        if found is not None:
            ids.append(found.id)
        else:
            ids.append(CHANGE_COLUMN[0] if any(c in CHANGE_COLUMN for c in candidates) else normalize_header(cell))
    return ids


def merge_rows(stored: InputFile | None, path: Path, table: str) -> tuple[InputFile, str]:
    """The stored table with the change file's rows applied (see :func:`apply_changes`)."""
    change_header, change_rows = _read_csv(path.read_bytes(), str(path))
    change_ids = _column_ids(change_header, table)
    action_at = next((i for i, c in enumerate(change_ids) if c == CHANGE_COLUMN[0]), None)
    if stored is None:
        header = [h for i, h in enumerate(change_header) if i != action_at]
        ids = [c for i, c in enumerate(change_ids) if i != action_at]
        rows: list[list[str]] = []
    else:
        header, rows = _read_csv(stored.content, stored.name)
        ids = _column_ids(header, table)
    keys = [c for c in ROW_KEYS[table] if c in ids]
    required = ROW_KEYS[table][:2]  # the unit and what it is a row of; other key columns may be left out
    if any(c not in change_ids for c in required):
        raise InputError(
            Problem(
                _("a change of table {table} needs its key columns {keys}").format(
                    table=table, keys=", ".join(required)
                ),
                file=str(path),
            )
        )

    def key_of(row: list[str], columns: list[str]) -> tuple[str, ...]:
        at = [columns.index(c) if c in columns else None for c in keys]
        return tuple(row[i].strip() if i is not None and i < len(row) else "" for i in at)

    position = {key_of(row, ids): index for index, row in enumerate(rows)}
    replaced = added = deleted = 0
    kept: list[list[str] | None] = list(rows)
    for number, change in enumerate(change_rows, start=2):
        key = key_of(change, change_ids)
        action = change[action_at].strip().lower() if action_at is not None and action_at < len(change) else ""
        at = position.get(key)
        if action in DELETE:
            if at is None or kept[at] is None:
                raise InputError(
                    Problem(_("no stored row {key} to delete").format(key=key), file=str(path), row=number)
                )
            kept[at] = None
            deleted += 1
            continue
        if action:
            raise InputError(
                Problem(
                    _("unknown change {action!r} (删除 / delete, or empty)").format(action=action),
                    file=str(path),
                    row=number,
                )
            )
        by_id = dict(zip(change_ids, change, strict=False))
        new_row = [by_id.get(c, "") for c in ids]
        if at is None:
            kept.append(new_row)
            position[key] = len(kept) - 1
            added += 1
        else:
            kept[at] = new_row
            replaced += 1
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(row for row in kept if row is not None)
    merged = InputFile(path.name, buffer.getvalue().encode("utf-8"))
    line = _("{file}: {replaced} row(s) replaced, {added} added, {deleted} deleted").format(
        file=path.name, replaced=replaced, added=added, deleted=deleted
    )
    return merged, line
