"""The target sheet (目标任务书) and the key-target share check.

「對招商引資、奶畜、蔬菜、果業(yè)產(chǎn)業(yè)化等重點目標,加大目標分值,一般每項都占到目標基分的3%-5%左右」: a unit's
sheet lists its targets with their points; each key target should carry about ``key_target_min_share``
to ``key_target_max_share`` of the base (the scheme total, 200). 「一般…左右」 makes it a guideline: a
target outside the range is a warning quoting the source, never an error. The sheet is entered
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
    warning,
)
from kaoping.locale import _
from kaoping.plugins._common.vectorised import lazy_form

SHEET = "target_sheet"


@method(
    "jingyang_target_sheet",
    "indicator",
    value_kind="points",
    vectorised=lazy_form("kaoping.plugins.shaanxi_jingyang.columns", "target_sheet_columns"),
    doc="The target sheet: item = target, value = its points on the sheet; scores 0 (checked, not scored).",
)
def target_sheet(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    awards = {}
    for unit, unit_rows in rows.items():
        sheet = {row.item: row.value for row in sorted(unit_rows, key=lambda r: r.item)}
        awards[unit] = Award(ZERO, {"targets": len(sheet), "sheet_points": sum(sheet.values(), ZERO)})
    return awards


@method(
    "jingyang_key_work",
    "indicator",
    value_kind="points",
    vectorised=lazy_form("kaoping.plugins.shaanxi_jingyang.columns", "key_work_columns"),
    doc="The key-work assessment (重点工作考核): item = period, value = score; scores 0 (ranked, not scored).",
)
def key_work(indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext) -> dict[str, Award]:
    return {unit: Award(ZERO, {"periods": len(unit_rows)}) for unit, unit_rows in rows.items()}


def key_target_problems(scheme: Scheme, dataset: Dataset) -> list[Problem]:
    """A key target outside about [min share, max share] × the base is a warning; a nameless row an error."""
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
                warning(
                    _(
                        "unit {unit!r}: key target {target!r} carries {points} points; 「一般每項都占到目標基分的"
                        "3%-5%左右」 suggests about {low} to {high} of the {base}-point base"
                    ).format(
                        unit=row.unit,
                        target=row.item,
                        points=format_points(row.value),
                        low=format_points(low),
                        high=format_points(high),
                        base=format_points(scheme.total),
                    ),
                    row.where.file,
                    row.where.row,
                    "value",
                )
            )
    return problems
