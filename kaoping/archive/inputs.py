"""The input files of a run: their checksums, their bytes, and the changes an accepted appeal makes.

An archive keeps every input file of every revision, so an accepted appeal re-scores exactly the data the
published result came from, with the corrected rows, even when the office's folder has moved on since.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable
from pathlib import Path

import attrs

from kaoping.core.errors import InputError, Problem

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
    raise InputError(Problem("the data source does not exist", file=str(source)))


def apply_changes(inputs: Inputs, changes: Iterable[Path]) -> tuple[Inputs, list[str]]:
    """Replace (or add) the input file of the same name by each change file; say what changed in each.

    A change file is a corrected copy of one input table (``values.csv``, ``vetoes.csv`` …) or of the
    whole workbook of a single-file source.
    """
    files = inputs.by_name()
    described: list[str] = []
    for path in changes:
        if not path.is_file():
            raise InputError(Problem("the change file does not exist", file=str(path)))
        if inputs.kind == FILE and path.name not in files:
            raise InputError(
                Problem(
                    f"the run's data is the single file {inputs.files[0].name}; give a corrected copy of it",
                    file=str(path),
                )
            )
        new = InputFile(path.name, path.read_bytes())
        old = files.get(path.name)
        described.append(describe_change(old, new))
        files[path.name] = new
    return Inputs(inputs.kind, tuple(files[name] for name in sorted(files))), described


def describe_change(old: InputFile | None, new: InputFile) -> str:
    if old is None:
        return f"{new.name}: added"
    if old.content == new.content:
        return f"{new.name}: unchanged"
    try:
        before = old.content.decode("utf-8-sig").splitlines()
        after = new.content.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        return f"{new.name}: replaced"
    removed = sum(1 for line in difflib.ndiff(before, after) if line.startswith("- "))
    added = sum(1 for line in difflib.ndiff(before, after) if line.startswith("+ "))
    return f"{new.name}: {removed} row(s) replaced by {added}"
