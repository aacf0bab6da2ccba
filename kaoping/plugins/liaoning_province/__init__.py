"""辽宁省对各市政府绩效评估 (Liaoning Province, city governments): seed 000_9aaf459fe1a17da7.txt.

The indicators, their tiers and classes, the top-three 综合奖 and the office-entered 单项工作优胜奖 are data
in ``scheme.toml``. Hook code holds what a table cannot say:

- the four class methods, each weighted by its indicator's tier (``methods``);
- before scoring, a refusal to score an indicator whose tier weight the deployment has not set (the source
  gives none: 「分別確定不同的基礎分權重」), and a check that an indicator used for one city is used for all
  (the year's list, 「每年確定的指標一般為30項左右」, is the indicators present in the data);
- after grading, each city's place on every single indicator (「按職能對各市政府的單項工作進行打分,排列順序」)
  and its 单项工作优胜奖 as entered by the office (the criterion 「單項工作突出」 is not stated).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Generator
from decimal import Decimal
from pathlib import Path

from kaoping.api import Dataset, Method, MissingParameterError, Problem, RegisterScheme, RunResult, Scheme, hookimpl
from kaoping.plugins.liaoning_province.methods import METHODS, tier_weight

SCHEME_ID = "liaoning.province"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
AWARD_AREA = "single_item_award"


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


@hookimpl
def kaoping_register_methods(register: Callable[[Method], None]) -> None:
    for found in METHODS:
        register(found)


@hookimpl
def kaoping_validate_dataset(scheme: Scheme, dataset: Dataset) -> list[Problem] | None:
    """Tier weights set for every indicator in use; every indicator in use has rows for every city."""
    used = dataset.values_by_indicator
    unset = [
        f"{i.id} ({i.params.get('tier')})"
        for i in scheme.indicators
        if i.id in used and "tier" in i.params and tier_weight(scheme, str(i.params["tier"])) is None
    ]
    if unset:
        raise MissingParameterError(
            f"{SCHEME_ID}: set parameters.tier_weights (the base weight of each tier, 「分別確定不同的基礎分權重」; "
            f"the source gives no number) for the tiers of: {', '.join(unset)}"
        )
    problems = []
    cities = sorted(u.id for u in dataset.units)
    for indicator in scheme.indicators:
        rows = used.get(indicator.id)
        if not rows:
            continue
        for city in cities:
            if city not in rows:
                problems.append(
                    Problem(
                        f"indicator {indicator.id!r} ({indicator.name}) is in this year's data but city {city!r} has "
                        "no row for it; every city is scored on the same indicators",
                        column="indicator",
                    )
                )
    return problems


def indicator_places(result: RunResult, used: Collection[str]) -> dict[str, dict[str, int]]:
    """Competition places (1, 2, 2, 4) of the cities on the points of each indicator in use, best first."""
    points: dict[str, dict[str, Decimal]] = {}
    for unit in result.units:
        for indicator, value in unit.score.indicator_points().items():
            if indicator in used:
                points.setdefault(indicator, {})[unit.unit] = value
    places: dict[str, dict[str, int]] = {}
    for indicator, by_unit in points.items():
        ordered = sorted(by_unit.values(), reverse=True)
        for unit_id, value in by_unit.items():
            places.setdefault(unit_id, {})[indicator] = ordered.index(value) + 1
    return places


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme, dataset: Dataset) -> Generator[None, RunResult, RunResult]:
    result = yield
    places = indicator_places(result, dataset.values_by_indicator)
    prize = scheme.parameters.get("single_item_prize", "")
    for unit in result.units:
        unit.consequences["indicator_places"] = {k: places[unit.unit][k] for k in sorted(places.get(unit.unit, {}))}
        awards = sorted(v.note or v.source or AWARD_AREA for v in unit.vetoes if v.area == AWARD_AREA)
        if awards:
            unit.consequences["single_item_award"] = awards
            unit.consequences["single_item_prize"] = prize
    return result
