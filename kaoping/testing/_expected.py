"""Expected results an author writes by hand: per unit its total, and optionally rank and grade.

Two file forms are read, so that an evaluation office can keep the sheet it already checks by hand:

``expected.csv``
    a header row with ``unit`` and ``total`` and, optionally, ``rank`` and ``grade``; any other column
    (``name``, ``calculation``, ``note``) is documentation and ignored. An empty ``rank`` means unranked.
``expected.json``
    ``{"units": [{"unit": "S1-01", "total": "867.20", "rank": 1, "grade": "优秀"}]}`` or the bare list.
    Write totals as strings so no float ever touches them.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from kaoping.core.errors import InputError, Problem
from kaoping.locale import _

EXPECTED_FILES = ("expected.csv", "expected.json")


@attrs.frozen
class ExpectedUnit:
    """What the author computed for one unit; ``None`` fields are not checked."""

    unit: str
    total: Decimal
    rank: int | None = None
    grade: str | None = None
    check_rank: bool = False
    vetoes: tuple[str, ...] | None = None  # veto area ids, when the file has a ``vetoes`` column
    consequences: Mapping[str, str] | None = None  # key → value as written, from a ``consequences`` column


@attrs.frozen
class Expected:
    """The author's expected results for one sample, with where they came from (for messages)."""

    units: tuple[ExpectedUnit, ...]
    origin: str = "<expected>"

    def by_unit(self) -> dict[str, ExpectedUnit]:
        return {u.unit: u for u in self.units}


def _decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, float):
        raise InputError(
            Problem(_("total '{value}' is a float; write it as a string or an integer").format(value=value), file=where)
        )
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise InputError(Problem(_("total '{value}' is not a number").format(value=value), file=where)) from None


def _unit(record: Mapping[str, Any], columns: Iterable[str], where: str) -> ExpectedUnit:
    columns = set(columns)
    if "unit" not in record or "total" not in record:
        raise InputError(Problem(_("each expected row needs 'unit' and 'total'"), file=where))
    rank_text = str(record.get("rank") or "").strip() if "rank" in columns else ""
    grade = record.get("grade") if "grade" in columns else None
    return ExpectedUnit(
        unit=str(record["unit"]).strip(),
        total=_decimal(record["total"], where),
        rank=int(rank_text) if rank_text else None,
        grade=None if grade is None else str(grade).strip(),
        check_rank="rank" in columns,
        vetoes=_list(record.get("vetoes")) if "vetoes" in columns else None,
        consequences=_pairs(record.get("consequences"), where) if "consequences" in columns else None,
    )


def _list(value: Any) -> tuple[str, ...]:
    """``safety; legal`` (also 、 or ,) → sorted area ids; a JSON list as it is."""
    items = value if isinstance(value, list) else re.split(r"[;；,，、]", str(value or ""))
    return tuple(sorted(str(item).strip() for item in items if str(item).strip()))


def _pairs(value: Any, where: str) -> dict[str, str]:
    """``staff_excellent_ratio=0.2; criticized=true`` → {key: text}; a JSON object as it is."""
    if isinstance(value, Mapping):
        return {str(k): _text(v) for k, v in value.items()}
    pairs = {}
    for item in filter(None, (part.strip() for part in re.split(r"[;；]", str(value or "")))):
        key, sep, text = item.partition("=")
        if not sep:
            raise InputError(Problem(f"consequence {item!r} is not key=value", file=where))
        pairs[key.strip()] = text.strip()
    return pairs


def _text(value: Any) -> str:
    """A consequence value as written in expected files (true/false, numbers without exponent)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def read_expected(source: Path | str | Expected | Iterable[Mapping[str, Any]]) -> Expected:
    """Read expected results from ``expected.csv`` / ``expected.json``, a folder holding one, or records."""
    if isinstance(source, Expected):
        return source
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.is_dir():
            found = find_expected(path)
            if found is None:
                raise InputError(
                    Problem(_("no {items} in this folder").format(items=" or ".join(EXPECTED_FILES)), file=str(path))
                )
            path = found
        if path.suffix.lower() == ".json":
            data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
            records = data["units"] if isinstance(data, dict) else data
            return Expected(tuple(_unit(r, r.keys(), str(path)) for r in records), str(path))
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            return Expected(tuple(_unit(row, columns, str(path)) for row in reader), str(path))
    records = list(source)
    return Expected(tuple(_unit(r, r.keys(), "<records>") for r in records), "<records>")


def find_expected(sample: Path) -> Path | None:
    """The expected-results file of a sample: inside a sample folder, or beside a sample file."""
    folder = sample if sample.is_dir() else sample.parent
    for name in EXPECTED_FILES:
        if (folder / name).is_file():
            return folder / name
    return None
