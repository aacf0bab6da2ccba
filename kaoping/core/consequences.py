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
from decimal import Decimal
from typing import Any

from kaoping.core.numbers import format_points, to_decimal
from kaoping.core.results import UnitResult
from kaoping.core.scheme import Scheme
from kaoping.locale import N_, _

NUMERIC_KEYS = {"staff_excellent_ratio", "bonus_factor", "award", "withhold"}

# What each consequence key means, as an office writes it (结果运用); keys stay ids in JSON.
CONSEQUENCE_LABELS = {
    "staff_excellent_ratio": N_("staff excellent ratio"),
    "team_excellent_ratio": N_("leadership team excellent ratio"),
    "staff_excellent": N_("staff rated excellent"),
    "bonus_factor": N_("bonus factor"),
    "bonus": N_("bonus"),
    "bonus_per_head": N_("bonus per head"),
    "bonus_pool": N_("bonus pool"),
    "bonus_total": N_("total bonus"),
    "award": N_("award"),
    "prize": N_("prize"),
    "reward": N_("reward"),
    "material_reward": N_("material reward"),
    "withhold": N_("withheld"),
    "sanctions": N_("sanctions"),
    "thirteenth_month_pay": N_("thirteenth-month pay"),
    "meeting": N_("meeting"),
    "commendation": N_("commendation"),
    "excellence_priority": N_("priority for excellent ratings"),
    "excellence_barred": N_("barred from excellent ratings"),
    "leader_rating": N_("leader rating"),
    "leader": N_("leader"),
    "leaders": N_("leaders"),
    "head": N_("head of the unit"),
    "staff": N_("staff"),
    "head_factor_min": N_("minimum factor of the head"),
    "team_factor_min": N_("minimum factor of the leadership team"),
    "head_share_min": N_("minimum share of the head"),
    "team_share_min": N_("minimum share of the leadership team"),
    "single_awards": N_("single awards"),
    "civil_servant_awards": N_("civil servant awards"),
    "applies": N_("applies to"),
    "rules": N_("rules"),
    "required": N_("required"),
}


DOC_KEYS = {"quote", "note"}  # the source's wording, kept in JSON, left out of the one-line text


def consequence_label(key: str) -> str:
    """A consequence key (``bonus_factor``) as people read it (奖金系数); an unknown key as written."""
    return _(CONSEQUENCE_LABELS[key]) if key in CONSEQUENCE_LABELS else key


def consequences_text(consequences: Mapping[str, Any]) -> str:
    """Consequences spelled out for people: 「优秀比例 20%；奖金系数 1.1；处理 通报批评」."""
    parts = []
    for key, value in consequences.items():
        if key in DOC_KEYS:
            continue
        parts.append(f"{consequence_label(key)} {_value_text(key, value)}".strip())
    return _("; ").join(parts)


def _value_text(key: str, value: Any) -> str:
    if isinstance(value, Decimal):
        if key.endswith("_ratio") or key.endswith("_share_min"):
            return f"{format_points(value * 100)}%"
        return format_points(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, tuple)):
        return "、".join(_value_text(key, v) for v in value)
    if isinstance(value, Mapping):
        return _("; ").join(f"{consequence_label(str(k))} {_value_text(str(k), v)}" for k, v in value.items())
    return str(value)


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
