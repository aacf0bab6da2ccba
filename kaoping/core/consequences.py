"""Consequences of a grade: staff excellent-ratio (优秀比例), bonus factor, sanctions.

A scheme declares them as data::

    [consequences.grades."优秀"]          # by grade
    staff_excellent_ratio = "20%"
    bonus_factor = "1.10"                 # × the average bonus
    [consequences.groups.non_series]      # by group, for groups that are not graded
    [consequences.group_grades.series2."不合格"]   # a group's extra for one grade
    [[vetoes]] ... consequences = { single_awards = ["优质服务奖"] }   # what a veto area brings

Tables are applied in that order (a unit's veto areas last, each once, in the order of its vetoes); a
later scalar replaces an earlier one, lists are concatenated. A veto area's table is how an award or
sanction decided by a body (an office-entered ``record`` row) reaches the result.
Numbers written as text ("20%") become decimals so that downstream code can compute with them. A
table's ``quote`` is where its keys come from in the source, not a consequence: it stays in the scheme.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kaoping.core.numbers import to_decimal
from kaoping.core.results import UnitResult
from kaoping.core.scheme import Scheme

NUMERIC_KEYS = {"staff_excellent_ratio", "bonus_factor", "award", "withhold"}


def consequences_for(scheme: Scheme, result: UnitResult) -> dict[str, Any]:
    table = scheme.consequences
    merged: dict[str, Any] = {}
    layers: list[Mapping[str, Any]] = [
        table.get("grades", {}).get(result.grade, {}) if result.grade else {},
        table.get("groups", {}).get(result.group, {}),
        table.get("group_grades", {}).get(result.group, {}).get(result.grade, {}) if result.grade else {},
    ]
    areas = {area.id: area for area in scheme.vetoes}
    for area_id in dict.fromkeys(v.area for v in result.vetoes):
        area = areas.get(area_id)
        if area is not None and area.consequences:
            layers.append(area.consequences)
    for layer in layers:
        for key, value in layer.items():
            if key == "quote":
                continue
            if isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key] = merged[key] + list(value)
            else:
                merged[key] = list(value) if isinstance(value, list) else value
    for key in NUMERIC_KEYS & merged.keys():
        merged[key] = to_decimal(merged[key])
    return merged


def apply_consequences(scheme: Scheme, results: list[UnitResult]) -> None:
    for result in results:
        result.consequences = consequences_for(scheme, result)
