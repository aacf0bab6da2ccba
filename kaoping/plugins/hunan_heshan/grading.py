"""Grade rules of 四、评估等次 that a grading table cannot say, and the consequences that follow.

* 「有上述取消评优资格4种情形中2种及其以上情形的 … 直接认定为“绩效评估不达标单位”」: distinct situations are
  counted through ``parameters.situations`` (veto area → situation number); two or more give the unit a
  ``force_grade`` veto (``parameters.fail_area``) before grading.
* 驻区单位 take only their own sanctions (suggestions to the superior authority) and no per-head bonus.
* 「连续两年」 sanctions come from the ``history`` table: the unit had the same grade in each of the
  previous ``consecutive_years - 1`` years.
* 「受市级以上通报批评的」 (a situation that disqualifies from 优秀) follows from a ``criticism`` event of a
  市级 or higher level: the veto is derived from the event, so the office enters the criticism once.
* The bonus amounts are multiplied out: 「奖金总额按人均2000元的标准计算」 × the unit's 在岗在编 staff (the
  units-table column ``staff``, when given), 「不低于人均标准1.5倍」 / 「1.2倍」 per person, and for 驻区单位
  「不低于单位奖金总额的25%」 / 「50%」 of the unit's total.
"""

from __future__ import annotations

from typing import Any

from kaoping.api import (
    Dataset,
    InputError,
    Problem,
    RunResult,
    Scheme,
    Unit,
    UnitResult,
    Veto,
    consequences_for,
    to_decimal,
)

PLUGIN = "hunan_heshan"


def criticism_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto]:
    """「受市级以上通报批评的」: a ``criticized`` veto for each unit with a criticism event of a listed level,
    unless the office entered that veto itself (one entry, never two)."""
    params = scheme.parameters
    area = next(v for v in scheme.vetoes if v.id == params["criticism_area"])
    levels = set(params["criticism_levels"])
    entered = {row.unit for row in dataset.vetoes if row.area == area.id}
    criticised: dict[str, list[str]] = {}
    for event in dataset.events:
        if event.rule == params["criticism_rule"] and event.level in levels and event.unit not in entered:
            criticised.setdefault(event.unit, []).append(f"{event.level} {event.date}".strip())
    return [
        Veto(
            unit=unit,
            area=area.id,
            effect=area.effect,
            source="通报批评",
            note=f"受{'、'.join(sorted(set(found)))}通报批评 ({params['criticism_rule']})",
            grades=area.grades,
            plugin=PLUGIN,
        )
        for unit, found in sorted(criticised.items())
    ]


def situation_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto]:
    """The derived ``criticized`` vetoes, and a ``force_grade`` veto for each unit with two or more distinct
    disqualifying situations (entered or derived)."""
    params = scheme.parameters
    table: dict[str, str] = params["situations"]
    found: dict[str, set[str]] = {}
    entered: set[str] = set()
    derived = criticism_vetoes(scheme, dataset)
    reported = [(row.unit, row.area) for row in dataset.vetoes] + [(veto.unit, veto.area) for veto in derived]
    for unit_id, area_id in reported:
        if area_id == params["fail_area"]:
            entered.add(unit_id)
        elif area_id in table:
            found.setdefault(unit_id, set()).add(str(table[area_id]))
    area = next(v for v in scheme.vetoes if v.id == params["fail_area"])
    return derived + [
        Veto(
            unit=unit,
            area=area.id,
            effect="force_grade",
            source="区绩效评估委员会",
            note=f"取消评优资格情形 {', '.join(sorted(kinds))}: {len(kinds)} 种",
            grade=area.grade,
            plugin=PLUGIN,
        )
        for unit, kinds in sorted(found.items())
        if len(kinds) >= int(params["situations_for_fail"]) and unit not in entered
    ]


def consequences(scheme: Scheme, dataset: Dataset, unit: UnitResult) -> dict[str, Any]:
    """The scheme's consequence tables, then stationed-unit sanctions and consecutive-year sanctions."""
    params = scheme.parameters
    merged = consequences_for(scheme, unit)
    stationed = unit.group in params["stationed_groups"]
    if stationed and unit.grade:
        own = scheme.consequences.get("group_grades", {}).get(unit.group, {}).get(unit.grade, {})
        merged["sanctions"] = list(own.get("sanctions", []))
        for key in params["stationed_drop_keys"]:
            merged.pop(key, None)
    extra = params.get("consecutive", {}).get(unit.grade, {})
    if extra and consecutive(scheme, dataset, unit):
        key = "stationed" if stationed else "local"
        merged["consecutive"] = f"连续{params['consecutive_years']}年{unit.grade}"
        merged["sanctions"] = list(merged.get("sanctions", [])) + list(extra.get(key, []))
    bonus_amounts(merged, staff_of(dataset.unit_by_id[unit.unit]))
    return merged


def staff_of(unit: Unit) -> int | None:
    """The unit's 在岗在编 staff: units-table column ``staff`` (a header ``在岗在编人数(staff)`` also counts)."""
    for key, value in unit.attributes.items():
        if (key == "staff" or key.endswith("(staff)")) and value.strip():
            if not value.strip().isdigit():
                raise InputError(
                    Problem("staff must be a whole number of people", unit.where.file, unit.where.row, "staff")
                )
            return int(value.strip())
    return None


def bonus_amounts(merged: dict[str, Any], staff: int | None) -> None:
    """Multiply out the bonus the grade gives: per head × staff, and the minima for the head and the team."""
    if "bonus_per_head" in merged:
        per_head = to_decimal(merged["bonus_per_head"])
        if staff is not None:
            merged["staff"] = staff
            merged["bonus_amount"] = per_head * staff  # 「奖金总额按人均…的标准计算」
        if "head_factor_min" in merged:
            merged["head_bonus_min"] = per_head * to_decimal(merged["head_factor_min"])  # 「不低于人均标准1.5倍」
        if "team_factor_min" in merged:
            merged["team_member_bonus_min"] = per_head * to_decimal(merged["team_factor_min"])
    if "bonus_total" in merged:
        total = to_decimal(merged["bonus_total"])
        if "head_share_min" in merged:
            merged["head_bonus_min"] = total * to_decimal(merged["head_share_min"])  # 「不低于…总额的25%」
        if "team_share_min" in merged:
            merged["team_bonus_min"] = total * to_decimal(merged["team_share_min"])  # 「不低于…总额的50%」


def consecutive(scheme: Scheme, dataset: Dataset, unit: UnitResult) -> bool:
    """True when the history has this grade in each of the previous years the rule needs."""
    rows = dataset.history_by_unit.get(unit.unit, [])
    if not rows:
        return False
    year = scheme.year if scheme.year is not None else max(r.year for r in rows) + 1
    grades = {r.year: r.grade for r in rows}
    needed = int(scheme.parameters["consecutive_years"]) - 1
    return all(grades.get(year - back) == unit.grade for back in range(1, needed + 1))


def adjust_results(scheme: Scheme, dataset: Dataset, result: RunResult) -> None:
    """Recompute consequences with the stationed-unit and consecutive-year rules."""
    for unit in result.units:
        unit.consequences = consequences(scheme, dataset, unit)
