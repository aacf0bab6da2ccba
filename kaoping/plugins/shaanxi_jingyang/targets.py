"""The target sheet (目标任务书) and the key-target share check.

「對招商引資、奶畜、蔬菜、果業(yè)產(chǎn)業(yè)化等重點目標,加大目標分值,一般每項都占到目標基分的3%-5%左右」: a unit's
sheet lists its targets with their points; each key target must carry between ``key_target_min_share``
and ``key_target_max_share`` of the base (the scheme total, 200), bounds included. The sheet is entered
as values rows of the 0-point indicator ``target_sheet`` (item = target, value = its points), so it is
checked where it is entered and shown in the trail, but scores nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kaoping.api import (
    ZERO,
    Award,
    Dataset,
    Indicator,
    Problem,
    Scheme,
    ScoringContext,
    ValueRow,
    format_points,
    method,
    to_decimal,
)

SHEET = "target_sheet"


@method(
    "jingyang_target_sheet",
    "indicator",
    doc="The target sheet: item = target, value = its points on the sheet; scores 0 (checked, not scored).",
)
def target_sheet(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    awards = {}
    for unit, unit_rows in rows.items():
        sheet = {row.item: row.value for row in sorted(unit_rows, key=lambda r: r.item)}
        awards[unit] = Award(ZERO, {"targets": len(sheet), "sheet_points": sum(sheet.values(), ZERO)})
    return awards


def key_target_problems(scheme: Scheme, dataset: Dataset) -> list[Problem]:
    """Each key target on a sheet must carry [min share, max share] × the base; every breach is reported."""
    params = scheme.parameters
    keys = set(params.get("key_targets", ()))
    low = scheme.total * to_decimal(params["key_target_min_share"])
    high = scheme.total * to_decimal(params["key_target_max_share"])
    problems = []
    for row in dataset.values:
        if row.indicator != SHEET:
            continue
        if not row.item:
            problems.append(
                Problem("a target sheet row must name its target (item)", row.where.file, row.where.row, "item")
            )
        elif row.item in keys and not low <= row.value <= high:
            problems.append(
                Problem(
                    f"unit {row.unit!r}: key target {row.item!r} carries {format_points(row.value)} points; "
                    f"「一般每項都占到目標基分的3%-5%左右」 asks for {format_points(low)} to {format_points(high)} "
                    f"of the {format_points(scheme.total)}-point base",
                    row.where.file,
                    row.where.row,
                    "value",
                )
            )
    return problems
