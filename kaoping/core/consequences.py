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

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from kaoping.core.numbers import format_points, to_decimal
from kaoping.core.results import ResultColumns, UnitResult
from kaoping.core.scheme import Scheme
from kaoping.locale import N_, _

NUMERIC_KEYS = {"staff_excellent_ratio", "bonus_factor", "award", "withhold"}

# What each consequence key means, as an office writes it (结果运用), for every text people read (the 通报,
# the text report, the one-line summary); keys stay ids in JSON. Keys not listed show as they are; a
# scheme's ``[consequences.labels]`` names a key it introduces and comes first.
CONSEQUENCE_LABELS: dict[str, str] = {
    "staff_excellent_ratio": N_("Staff excellent ratio"),
    "staff_excellent": N_("Staff rated excellent"),
    "team_excellent_ratio": N_("Leadership team excellent ratio"),
    "bonus_factor": N_("Bonus factor"),
    "bonus": N_("Bonus"),
    "bonus_per_head": N_("Bonus per head (yuan)"),
    "bonus_total": N_("Bonus in total (yuan)"),
    "bonus_amount": N_("Bonus of the unit (yuan)"),
    "head_bonus_min": N_("Principal's bonus, at least (yuan)"),
    "team_bonus_min": N_("Team's bonus, at least (yuan)"),
    "team_member_bonus_min": N_("Each team member's bonus, at least (yuan)"),
    "bonus_pool": N_("Bonus pool"),
    "head_factor_min": N_("Principals' bonus, times the average, at least"),
    "team_factor_min": N_("Team members' bonus, times the average, at least"),
    "head_share_min": N_("Principals' share of the bonus, at least"),
    "team_share_min": N_("Team members' share of the bonus, at least"),
    "thirteenth_month_pay": N_("Year-end one-off bonus"),
    "award": N_("Award"),
    "prize": N_("Prize"),
    "reward": N_("Reward"),
    "material_reward": N_("Material reward"),
    "withhold": N_("Share withheld"),
    "commendation": N_("Commendation"),
    "meeting": N_("At the meeting"),
    "sanctions": N_("Sanctions"),
    "single_awards": N_("Single awards"),
    "civil_servant_awards": N_("Civil servant awards"),
    "excellence_priority": N_("Awards and honours"),
    "excellence_barred": N_("Awards and honours"),
    "leader": N_("Principal"),
    "leaders": N_("Leaders"),
    "head": N_("Principal"),
    "leader_rating": N_("Leaders' rating"),
    "staff": N_("Staff"),
    "applies": N_("Applies"),
    "rules": N_("Rules"),
    "required": N_("Required"),
    "progress": N_("Progress against target"),
    "rank_change": N_("Places gained on last year"),
    "last_place_years": N_("Years in last place"),
    "last_place_periods": N_("Periods in last place"),
    "bottom_place": N_("Last place"),
    "lagging": N_("Lagging"),
    "host_item_score": N_("Host item score"),
    "indicator_places": N_("Places by indicator"),
    "single_item_award": N_("Single-item awards"),
    "single_item_prize": N_("Single-item prize"),
    "quarterly_excellent": N_("Quarters rated excellent"),
    "annual_excellent_allowed": N_("May be rated excellent for the year"),
}
# The source's wording and what a deployment must supply: kept in JSON, not consequences people read.
HIDDEN_KEYS = frozenset({"quote", "note", "required"})
# Shares written as percentages (0.2 → 20%).
PERCENT_KEYS = frozenset(
    {"staff_excellent_ratio", "team_excellent_ratio", "head_share_min", "team_share_min", "withhold"}
)


def consequence_label(key: str, labels: Mapping[str, str] | None = None) -> str:
    """A consequence key (``bonus_factor``) as people read it (奖金系数); an unknown key as written."""
    if labels and key in labels:
        return str(labels[key])
    return _(CONSEQUENCE_LABELS[key]) if key in CONSEQUENCE_LABELS else key


def consequence_value(key: str, value: Any, name_of: Callable[[str], str] = str, joiner: str = "、") -> str:
    """A consequence value as a person writes it: 1500 (not 1500.0), 1.10 as the scheme writes it, 20% for a
    share; list items and table entries joined by ``joiner``.

    ``name_of`` turns ids (an indicator's, in a table of places) into names.
    """
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if key in PERCENT_KEYS:
            return f"{format_points(value * 100)}%"
        return format_points(value) if value == value.to_integral_value() else format(value, "f")
    if isinstance(value, (list, tuple)):
        return joiner.join(consequence_value(key, v, name_of, joiner) for v in value if v not in ("", None))
    if isinstance(value, Mapping):
        return joiner.join(f"{name_of(str(k))} {consequence_value(key, v, name_of, joiner)}" for k, v in value.items())
    if value is None:
        return ""
    return str(value)


def consequences_text(consequences: Mapping[str, Any]) -> str:
    """Consequences spelled out for people: 「优秀比例 20%；奖金系数 1.1；处理 通报批评」."""
    parts = []
    for key, value in consequences.items():
        if key in HIDDEN_KEYS:
            continue
        parts.append(f"{consequence_label(key)} {consequence_value(key, value)}".strip())
    return _("; ").join(parts)


def consequences_for(scheme: Scheme, result: UnitResult) -> dict[str, Any]:
    return _merged(scheme, result.grade, result.group, [v.area for v in result.read_vetoes()])


def _merged(scheme: Scheme, grade: str, group: str, veto_areas: Iterable[str]) -> dict[str, Any]:
    table = scheme.consequences
    merged: dict[str, Any] = {}
    layers: list[Mapping[str, Any]] = [
        table.get("grades", {}).get(grade, {}) if grade else {},
        table.get("groups", {}).get(group, {}),
        table.get("group_grades", {}).get(group, {}).get(grade, {}) if grade else {},
    ]
    areas = {area.id: area for area in scheme.vetoes}
    for area_id in dict.fromkeys(veto_areas):
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


def consequence_columns(scheme: Scheme, columns: ResultColumns) -> None:
    """The consequences of a run's arrays, as :func:`apply_consequences` gives each unit: one table per grade
    and group that units hold (a unit's copy is made when someone asks for it), a unit's own where its
    vetoes' areas bring consequences of their own."""
    import numpy as np

    if not scheme.consequences and not any(area.consequences for area in scheme.vetoes):
        return  # every unit's is empty: the one empty table
    width = len(columns.group_ids)
    pairs = columns.grades.astype(np.int64) * width + columns.groups
    held, codes = np.unique(pairs, return_inverse=True)
    columns.consequence_tables = [
        _merged(scheme, columns.grade_labels[pair // width], columns.group_ids[pair % width], ())
        for pair in held.tolist()
    ]
    columns.consequence_codes = codes.astype(np.int32)
    for position, vetoes in columns.vetoes.items():
        if any(area.consequences for area in scheme.vetoes if area.id in {v.area for v in vetoes}):
            columns.consequences[position] = _merged(
                scheme, columns.grade(position), columns.group(position), [v.area for v in vetoes]
            )
