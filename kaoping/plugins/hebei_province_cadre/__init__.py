"""河北省干部实绩考核制度 (Hebei Province, cadre performance appraisal): seed 002, 篇(10).

The source describes mechanisms without numbers. Hook code implements the rules it does state:

* 「重点工作“一票否决”」: a ``key_work`` veto bars the top grade, also inside a band (the core's
  ``disqualify`` effect moves a barred unit to the next grade down);
* 「主要经济指标人均增幅达标评价」: a team below its standard gets a ``per_capita_growth`` veto whose effect is
  the parameter ``growth_shortfall_effect``;
* 「纵向进步幅度,横向进退位次」: each department's progress (value − last year) and rank movement (last
  year's rank from the history table − this year's) are written to its consequences;
* 「对连续两年实绩较差…应予以降免调整」: a cadre (领导干部) poor in two consecutive calendar years is marked
  for review; the rule is about cadres (「选拔任用干部」), not about teams or departments.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import cast

from kaoping.api import Dataset, InputError, RegisterScheme, RunResult, Scheme, UnitResult, Veto, VetoEffect, hookimpl
from kaoping.plugins._common.history import consecutive_years

SCHEME_ID = "hebei.province.cadre"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
PLUGIN = __name__.rsplit(".", 1)[-1]
GROWTH_EFFECTS = ("record", "disqualify")


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


@hookimpl
def kaoping_check_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto] | None:
    """Per-capita growth below its standard becomes a veto with the configured effect."""
    effect = cast(VetoEffect, str(scheme.parameters["growth_shortfall_effect"]))  # checked next
    if effect not in GROWTH_EFFECTS:
        raise InputError(f"growth_shortfall_effect must be one of {', '.join(GROWTH_EFFECTS)}, got {effect!r}")
    vetoes = []
    for unit, rows in sorted(dataset.values_by_indicator.get("per_capita_growth", {}).items()):
        row = rows[0]
        if row.target is not None and row.value < row.target:
            vetoes.append(
                Veto(
                    unit=unit,
                    area="per_capita_growth",
                    effect=effect,
                    source="统计局",
                    note=f"人均增幅 {row.value} 未达标准 {row.target}",
                    grades=(str(scheme.parameters["top_grade"]),) if effect == "disqualify" else (),
                    plugin=PLUGIN,
                )
            )
    return vetoes


def evaluation_year(scheme: Scheme) -> int:
    """The year being evaluated: 「连续两年」 and 「横向进退位次」 compare with the calendar year before it."""
    return int(scheme.parameter("evaluation_year", "「对连续两年实绩较差」「横向进退位次」"))


def _progress(scheme: Scheme, dataset: Dataset, result: UnitResult) -> None:
    rows = dataset.values_by_indicator.get("progress", {}).get(result.unit)
    if rows and rows[0].target is not None:
        result.consequences["progress"] = rows[0].value - rows[0].target
    # 「横向进退位次」: against last year's place only; an older row is not last year's place
    last_year = evaluation_year(scheme) - 1
    previous = next((h for h in dataset.history_by_unit.get(result.unit, []) if h.year == last_year), None)
    if previous is not None and previous.rank is not None and result.rank is not None:
        result.consequences["rank_change"] = previous.rank - result.rank


def _poor_years(scheme: Scheme, dataset: Dataset, result: UnitResult) -> None:
    """「对连续两年实绩较差,经考察确实不称职的应予以降免调整」: consecutive calendar years, cadres only."""
    poor = str(scheme.parameters["poor_grade"])
    years = int(scheme.parameters["poor_years_for_review"])
    if result.grade != poor:
        return
    history = dataset.history_by_unit.get(result.unit, [])
    run = 1 + consecutive_years(history, lambda h: h.grade == poor, evaluation_year(scheme) - 1)
    if run >= years:
        result.consequences["sanctions"] = [
            *result.consequences.get("sanctions", []),
            str(scheme.parameters["review_sanction"]),
        ]


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme, dataset: Dataset) -> Generator[None, RunResult, RunResult]:
    result = yield
    cadre_groups = set(scheme.parameters["cadre_groups"])
    for unit in result.units:
        if unit.group == "departments":
            _progress(scheme, dataset, unit)
        if unit.group in cadre_groups:
            _poor_years(scheme, dataset, unit)
    return result
