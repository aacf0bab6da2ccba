"""湖南省8件实事考核 (Hunan Province): seed 000_9aaf459fe1a17da7.txt, report by 湖南省人事厅.

The scheme is an all-or-nothing conjunction: a unit is 达标 only when every indicator it was given meets
its 实施标准 (「有一項不達標的」 → 不达标). A table cannot say "any failed row forces the grade", so this
hook turns each unit with a failed indicator row into a ``force_grade`` veto of area
``indicator_not_met``, whose effect the scheme declares.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from kaoping.api import Dataset, InputError, Problem, RegisterScheme, Scheme, Veto, hookimpl

SCHEME_ID = "hunan.province"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
# The plugin's name (its module's short name): the provenance every veto it returns must carry.
PLUGIN = "hunan_province"
AREA = "indicator_not_met"
INDICATOR = "task"
FLAGS = (Decimal(0), Decimal(1))


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


@hookimpl
def kaoping_check_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto] | None:
    """One ``indicator_not_met`` veto per unit with a failed indicator row, naming the failed indicators.

    A row is a certified pass (1) or fail (0) 「由統(tǒng)計部門依法獨立評估和認定」; anything else would make the
    conjunction meaningless, so every such row is reported at once and the run stops.
    """
    area = next(a for a in scheme.vetoes if a.id == AREA)
    failed: dict[str, list[str]] = {}
    problems: list[Problem] = []
    for row in sorted((r for r in dataset.values if r.indicator == INDICATOR), key=lambda r: (r.unit, r.item)):
        if row.value not in FLAGS:
            problems.append(
                Problem(
                    f"unit {row.unit} indicator {row.item!r}: value must be 1 (达标) or 0 (不达标), got {row.value}",
                    file=row.where.file,
                    row=row.where.row,
                    column="value",
                )
            )
        elif row.value == 0:
            failed.setdefault(row.unit, []).append(row.item)
    if problems:
        raise InputError(problems)
    return [
        Veto(
            unit=unit,
            area=AREA,
            effect=area.effect,
            source="考核办",
            note=f"不达标指标: {'、'.join(items)}",
            grade=area.grade,
            plugin=PLUGIN,
        )
        for unit, items in sorted(failed.items())
    ]
