"""Township growth-rank bonus (主要指标增长率排位加分) as a scoring method.

One value row per key indicator: ``item`` names the indicator, ``value`` is this year's place in the
district and ``baseline`` last year's. Moving up earns ``per_place`` per place, at most
``max_per_indicator`` per indicator; keeping first place earns ``kept_first`` instead (the two are
exclusive for one indicator). The township-wide cap of 10 is the ``growth`` part's cap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from kaoping.api import ZERO, Award, Indicator, Param, ScoringContext, ValueRow, method
from kaoping.plugins._common.vectorised import lazy_form


@method(
    "heshan_rank_move",
    "indicator",
    value_kind="level",
    vectorised=lazy_form("kaoping.plugins.hunan_heshan.columns", "rank_move_columns"),
    params=[
        Param("per_place", required=True, doc="points per place moved up (每前移1位)"),
        Param("max_per_indicator", required=True, doc="most points per indicator (最高加分不超过)"),
        Param("kept_first", required=True, doc="points for keeping first place (保持全区第一位)"),
    ],
    doc="Σ over key indicators of min(per_place × places moved up, max) or kept_first when first both years.",
)
def heshan_rank_move(
    indicator: Indicator, rows: Mapping[str, Sequence[ValueRow]], ctx: ScoringContext
) -> dict[str, Award]:
    per_place = Decimal(str(indicator.params["per_place"]))
    most = Decimal(str(indicator.params["max_per_indicator"]))
    kept_first = Decimal(str(indicator.params["kept_first"]))
    awards: dict[str, Award] = {}
    for unit, unit_rows in rows.items():
        total = ZERO
        inputs: dict[str, str] = {}
        for row in sorted(unit_rows, key=lambda r: r.item):
            if row.baseline is None:
                ctx.problem(f"indicator {indicator.id!r} needs last year's place in the baseline column", row.where)
                continue
            if row.value < 1 or row.baseline < 1 or row.value != row.value.to_integral_value():
                ctx.problem(f"indicator {indicator.id!r}: a place in the district is a whole number from 1", row.where)
                continue
            if row.value == 1 and row.baseline == 1:
                points = kept_first
            else:
                points = min(per_place * max(row.baseline - row.value, ZERO), most)
            inputs[row.item or str(len(inputs))] = f"{row.baseline}→{row.value}: {points}"
            total += points
        awards[unit] = Award(ctx.round(total), inputs)
    return awards
