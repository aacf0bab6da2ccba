"""A run's results as stored rows, and the :class:`RunResult` rebuilt from them.

The rebuilt result is the same object graph the pipeline produced (trail entries, vetoes, consequences,
exact decimals), so every writer of :mod:`kaoping.io.report` works on a stored run unchanged: its JSON
is byte-identical to the JSON of the run it was recorded from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from kaoping.archive.codec import decode, encode
from kaoping.core.results import RunResult, TrailEntry, UnitResult, UnitScore, Veto
from kaoping.io.report import trail_entries

_VETO_TUPLES = ("grades", "from_grades")


def unit_row(result: UnitResult, position: int) -> dict[str, Any]:
    """The ``unit_results`` row of one unit (without its revision id)."""
    return {
        "unit": result.unit,
        "position": position,
        "name": result.name,
        "group_id": result.group,
        "total": str(result.total),
        "rank": result.rank,
        "grade": result.grade,
        "grade_reason": result.grade_reason,
        "parts_scored": list(result.score.parts_scored),
        "parts": encode(result.parts),
        "vetoes": [encode(attrs.asdict(v, recurse=False)) for v in result.read_vetoes()],
        "consequences": encode(dict(result.read_consequences())),
        "trail": [encode(attrs.asdict(e, recurse=False)) for e in trail_entries(result)],
    }


def unit_result(row: Mapping[Any, Any]) -> UnitResult:
    """The inverse of :func:`unit_row`."""
    trail = [_trail_entry(decode(e)) for e in row["trail"]]
    score = UnitScore(row["unit"], tuple(row["parts_scored"]), trail)
    vetoes = [_veto(decode(v)) for v in row["vetoes"]]
    return UnitResult(
        unit=row["unit"],
        name=row["name"],
        group=row["group_id"],
        score=score,
        rank=row["rank"],
        grade=row["grade"],
        grade_reason=row["grade_reason"],
        vetoes=vetoes,
        consequences=decode(row["consequences"]),
    )


def _trail_entry(fields: dict[str, Any]) -> TrailEntry:
    return TrailEntry(**fields)


def _veto(fields: dict[str, Any]) -> Veto:
    for name in _VETO_TUPLES:
        fields[name] = tuple(fields.get(name, ()))
    return Veto(**fields)


def run_result(revision: Mapping[str, Any], rows: Iterable[Mapping[Any, Any]]) -> RunResult:
    """A stored revision's :class:`RunResult`, units in the order they were recorded.

    ``rows`` are read by column name: plain dicts, or SQLAlchemy's ``RowMapping`` (whose keys may also be
    column objects, hence ``Mapping[Any, Any]``)."""
    units = [unit_result(row) for row in sorted(rows, key=lambda r: r["position"])]
    return RunResult(
        scheme_id=revision["scheme_id"],
        scheme_name=revision["scheme_name"],
        units=units,
        notes=list(revision["notes"]),
        plugins=dict(revision["plugins"]),
        pools=dict(revision["pools"]),
    )


def total_of(row: Mapping[str, Any]) -> Decimal:
    return Decimal(row["total"])
