"""落后单位 and the key-work talks: readings of rules the source names without a definition.

- 「對考核落后單位全縣通報批評,責成其主要領導向縣委、縣政府寫出書面檢查,直至給予組織處理和紀律處分」: who is
  落后 is not stated. Reading: the last ``lagging_last_places[口]`` units of each 口 by total, units
  tied with the last designated place included (equal scores, equal treatment); never a prize holder,
  nor a unit ranked first.
- 「制定出臺了重點工作考核實施辦法,對重點工作考核連續(xù)處于末位的,分別實施警示誡勉談話」: the ranking is the
  重点工作考核 (the periodic key-work assessment entered as ``key_work`` rows: item = period, value = the
  unit's key-work score), not the annual total; 「分別」 gives two measures by degree: a unit last of its 口
  in ``warning_talk_periods`` consecutive periods gets a 警示谈话, in ``admonition_talk_periods`` a 诫勉谈话.
  The number of periods is not stated: both are required when key-work rows are entered.
"""

from __future__ import annotations

from decimal import Decimal

from kaoping.api import Dataset, MissingParameterError, RunResult, Scheme, UnitResult
from kaoping.locale import _

PRIZES = ("一等奖", "二等奖", "三等奖")
LAGGING_SANCTIONS = ["全县通报批评", "责成主要领导向县委、县政府写出书面检查", "直至给予组织处理和纪律处分"]
KEY_WORK = "key_work"
WARNING_TALK = "警示谈话"
ADMONITION_TALK = "诫勉谈话"
LAGGING_WHY = "「對考核落后單位全縣通報批評」 gives no definition of 落后"
TALK_WHY = "「對重點工作考核連續(xù)處于末位的,分別實施警示誡勉談話」 does not say how many periods"


def required_readings(scheme: Scheme, dataset: Dataset) -> None:
    """Stop before scoring when a reading the source leaves open is used but not set, for every 口 in the data."""
    lagging = scheme.parameter("lagging_last_places", LAGGING_WHY)
    groups = sorted({u.group for u in dataset.units})
    unset = [g for g in groups if g not in lagging]
    if unset:
        raise MissingParameterError(
            _(
                "{scheme}: set parameters.lagging_last_places for {groups} (how many last places of each 口 are "
                "落后单位; 「對考核落后單位全縣通報批評」 gives no definition; 0 = none)"
            ).format(scheme=scheme.id, groups=", ".join(unset))
        )
    if dataset.values_by_indicator.get(KEY_WORK):
        talk_periods(scheme)


def talk_periods(scheme: Scheme) -> tuple[int, int]:
    """(periods for a 警示谈话, periods for a 诫勉谈话): both required once key-work rows are entered."""
    warning = int(scheme.parameter("warning_talk_periods", TALK_WHY))
    admonition = int(scheme.parameter("admonition_talk_periods", TALK_WHY))
    return warning, admonition


def _by_group(result: RunResult) -> dict[str, list[UnitResult]]:
    groups: dict[str, list[UnitResult]] = {}
    for unit in result.units:
        if unit.rank is not None:
            groups.setdefault(unit.group, []).append(unit)
    return groups


def apply_lagging(scheme: Scheme, result: RunResult) -> None:
    counts = scheme.parameter("lagging_last_places", LAGGING_WHY)
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


def key_work_streaks(dataset: Dataset, group_of: dict[str, str]) -> dict[str, int]:
    """Each unit's longest run of consecutive key-work periods at the last place of its 口.

    Periods are the ``item`` labels (sorted: write them "2008-03"), taken per 口 from every row entered for
    it; a unit without a row in a period breaks its run. In a period where all of a 口's units tie, or only
    one reported, nobody is last. Units tied at the lowest score are all last.
    """
    scores: dict[str, dict[str, dict[str, Decimal]]] = {}
    for unit, rows in dataset.values_by_indicator.get(KEY_WORK, {}).items():
        group = group_of.get(unit)
        if group is None:
            continue
        for row in rows:
            scores.setdefault(group, {}).setdefault(row.item, {})[unit] = row.value
    streaks: dict[str, int] = {}
    for periods in scores.values():
        current: dict[str, int] = {}
        for period in sorted(periods):
            by_unit = periods[period]
            lowest = min(by_unit.values())
            last = {u for u, v in by_unit.items() if v == lowest} if len(set(by_unit.values())) > 1 else set()
            for unit in {u for p in periods.values() for u in p}:
                current[unit] = current.get(unit, 0) + 1 if unit in last else 0
                streaks[unit] = max(streaks.get(unit, 0), current[unit])
    return streaks


def apply_key_work_talks(scheme: Scheme, dataset: Dataset, result: RunResult) -> None:
    """「分別實施警示誡勉談話」: the more serious talk a unit's longest run of last places reaches."""
    if not dataset.values_by_indicator.get(KEY_WORK):
        result.notes.append(_("重点工作考核: no key_work rows, so consecutive last places were not evaluated"))
        return
    warning, admonition = talk_periods(scheme)
    streaks = key_work_streaks(dataset, {u.id: u.group for u in dataset.units})
    for unit in result.units:
        run = streaks.get(unit.unit, 0)
        if run <= 0:
            continue
        unit.consequences["key_work_last_periods"] = run
        talk = ADMONITION_TALK if run >= admonition else WARNING_TALK if run >= warning else None
        if talk is not None:
            unit.consequences["sanctions"] = [*unit.consequences.get("sanctions", []), talk]
