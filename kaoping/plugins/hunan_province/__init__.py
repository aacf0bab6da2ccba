"""湖南省8件实事考核 (Hunan Province): seed 000_9aaf459fe1a17da7.txt, report by 湖南省人事厅.

The scheme is an all-or-nothing conjunction: a unit is 达标 only when every indicator it was given meets
its 实施标准 (「有一項不達標的」 → 不达标). A table cannot say "any failed row forces the grade", so this
hook turns each unit with a failed indicator row into a ``force_grade`` veto of area
``indicator_not_met``, whose effect the scheme declares.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from kaoping import hookimpl
from kaoping.core.errors import InputError
from kaoping.core.models import Dataset
from kaoping.core.results import Veto
from kaoping.core.scheme import Scheme

SCHEME_ID = "hunan.province"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
AREA = "indicator_not_met"


@hookimpl
def kaoping_register_schemes(register: Callable[[Path], None]) -> None:
    register(SCHEME_FILE)


def _met(value: Decimal, unit: str, item: str) -> bool:
    """A row is a certified pass (1) or fail (0); anything else is a data error."""
    if value not in (Decimal(0), Decimal(1)):
        raise InputError(f"hunan.province: unit {unit} indicator {item!r}: value must be 1 (达标) or 0, got {value}")
    return value == 1


@hookimpl
def kaoping_check_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto] | None:
    if scheme.id != SCHEME_ID:
        return None
    area = next(a for a in scheme.vetoes if a.id == AREA)
    failed: dict[str, list[str]] = {}
    for row in dataset.values:
        if row.indicator == "task" and not _met(row.value, row.unit, row.item):
            failed.setdefault(row.unit, []).append(row.item)
    return [
        Veto(
            unit=u,
            area=AREA,
            effect=area.effect,
            source="考核办",
            note=f"不达标指标: {'、'.join(items)}",
            points=area.points,
            part=area.part,
            grades=area.grades,
            grade=area.grade,
            plugin=SCHEME_ID,
        )
        for u, items in failed.items()
    ]
