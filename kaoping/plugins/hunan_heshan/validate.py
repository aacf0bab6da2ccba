"""Data checks: the growth-rank bonus is for 乡镇(街道) only.

「乡镇(街道)反映工作成绩的主要指标增长率 … 每项加0.5分」 applies to townships and sub-districts; a growth-rank
row for a district or stationed unit is a data error, reported rather than scored.
"""

from __future__ import annotations

from kaoping.api import Dataset, Problem, Scheme


def township_only_problems(scheme: Scheme, dataset: Dataset) -> list[Problem]:
    params = scheme.parameters
    townships = set(params["township_groups"])
    group_of = {u.id: u.group for u in dataset.units}
    problems = []
    for row in dataset.values:
        if row.indicator in params["township_only_indicators"] and group_of.get(row.unit) not in townships:
            problems.append(
                Problem(
                    f"indicator {row.indicator!r} applies to 乡镇(街道) only; unit {row.unit!r} is not one",
                    file=row.where.file,
                    row=row.where.row,
                    column="indicator",
                )
            )
    return problems
