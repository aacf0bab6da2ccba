"""落后单位 and consecutive last places: readings of rules the source names without a definition.

- 「對考核落后單位全縣通報批評,責成其主要領導向縣委、縣政府寫出書面檢查,直至給予組織處理和紀律處分」: who is
  落后 is not stated. Reading: the last ``lagging_last_places[口]`` units of each 口 by total, units
  tied with the last designated place included (equal scores, equal treatment); never a prize holder,
  nor a unit ranked first.
- 「考核連續(xù)處于末位的,分別實施警示誡勉談話」: the number of periods is not stated. Reading: a unit at the
  last place of its 口 now and in the ``last_place_periods − 1`` periods before (``history`` rows, whose
  ``year`` numbers the periods) is called to the talk. A history row is a last place when its rank is the
  worst rank of that period among the units now in the same 口.
"""

from __future__ import annotations

from kaoping.api import Dataset, MissingParameterError, RunResult, Scheme, UnitResult
from kaoping.plugins._common.history import last_place_runs

PRIZES = ("一等奖", "二等奖", "三等奖")
LAGGING_SANCTIONS = ["全县通报批评", "责成主要领导向县委、县政府写出书面检查", "直至给予组织处理和纪律处分"]
TALK = "警示诫勉谈话"


def required_readings(scheme: Scheme, dataset: Dataset) -> None:
    """Stop before scoring when a reading the source leaves open is used but not set."""
    lagging = scheme.parameters.get("lagging_last_places", {})
    groups = sorted({u.group for u in dataset.units})
    unset = [g for g in groups if int(lagging.get(g, -1)) < 0]
    if unset:
        raise MissingParameterError(
            f"{scheme.id}: set parameters.lagging_last_places for {', '.join(unset)} (how many last places of each "
            "口 are 落后单位; 「對考核落后單位全縣通報批評」 gives no definition; 0 = none)"
        )
    if dataset.history:
        missing = [k for k in ("last_place_periods", "evaluation_year") if int(scheme.parameters.get(k, 0)) <= 0]
        if missing:
            raise MissingParameterError(
                f"{scheme.id}: the data has history rows but parameters {', '.join(missing)} are not set "
                "(「考核連續(xù)處于末位的」 does not say how many periods)"
            )


def _by_group(result: RunResult) -> dict[str, list[UnitResult]]:
    groups: dict[str, list[UnitResult]] = {}
    for unit in result.units:
        if unit.rank is not None:
            groups.setdefault(unit.group, []).append(unit)
    return groups


def apply_lagging(scheme: Scheme, result: RunResult) -> None:
    counts = scheme.parameters.get("lagging_last_places", {})
    for group, members in _by_group(result).items():
        wanted = int(counts.get(group, 0))
        if wanted <= 0:
            continue
        ascending = sorted(members, key=lambda u: u.total)
        boundary = ascending[min(wanted, len(ascending)) - 1].total
        for unit in members:
            if unit.total <= boundary and unit.rank != 1 and unit.grade not in PRIZES:
                unit.consequences["lagging"] = True
                unit.consequences["sanctions"] = [*unit.consequences.get("sanctions", []), *LAGGING_SANCTIONS]


def apply_last_place(scheme: Scheme, dataset: Dataset, result: RunResult) -> None:
    if not dataset.history:
        result.notes.append("连续处于末位: no history rows, so consecutive last places were not evaluated")
        return
    needed = int(scheme.parameters["last_place_periods"])
    units = result.by_unit()
    for unit_id, run in last_place_runs(result, dataset.history, int(scheme.parameters["evaluation_year"])).items():
        unit = units[unit_id]
        unit.consequences["last_place_periods"] = run
        if run >= needed:
            unit.consequences["sanctions"] = [*unit.consequences.get("sanctions", []), TALK]
