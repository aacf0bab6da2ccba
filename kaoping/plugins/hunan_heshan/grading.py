"""Grade rules of 四、评估等次 that a grading table cannot say, and the consequences that follow.

* 「有上述取消评优资格4种情形中2种及其以上情形的 … 直接认定为“绩效评估不达标单位”」: distinct situations are
  counted through ``parameters.situations`` (veto area → situation number); two or more give the unit a
  ``force_grade`` veto (``parameters.fail_area``) before grading.
* 驻区单位 take only their own sanctions (suggestions to the superior authority) and no per-head bonus.
* 「连续两年」 sanctions come from the ``history`` table: the unit had the same grade in each of the
  previous ``consecutive_years - 1`` years.
"""

from __future__ import annotations

from typing import Any

from kaoping.api import Dataset, RunResult, Scheme, UnitResult, Veto, consequences_for

PLUGIN = "hunan_heshan"


def situation_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto]:
    """A ``force_grade`` veto for each unit with two or more distinct disqualifying situations."""
    params = scheme.parameters
    table: dict[str, str] = params["situations"]
    found: dict[str, set[str]] = {}
    entered: set[str] = set()
    for row in dataset.vetoes:
        if row.area == params["fail_area"]:
            entered.add(row.unit)
        elif row.area in table:
            found.setdefault(row.unit, set()).add(str(table[row.area]))
    area = next(v for v in scheme.vetoes if v.id == params["fail_area"])
    return [
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
    return merged


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
