"""The core's own behaviour, registered through the same hooks third-party plugins use.

Each implementation here runs last (``trylast``) among first-result hooks, so a plugin can take over a
stage for its scheme by returning a result, or wrap the stage to adjust it.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from kaoping import hookimpl
from kaoping.core.consequences import apply_consequences
from kaoping.core.errors import Problem
from kaoping.core.grading import assign_grades, assign_ranks
from kaoping.core.methods import Method, MethodRegistry
from kaoping.core.models import Dataset
from kaoping.core.primitives import core_methods
from kaoping.core.results import RunResult, ScoreTable, UnitResult, Veto
from kaoping.core.scheme import Scheme
from kaoping.core.validate import ANY_AREA, validate_dataset


@hookimpl
def kaoping_register_methods(register: Callable[[Method], None]) -> None:
    for method in core_methods():
        register(method)


@hookimpl
def kaoping_validate_dataset(scheme: Scheme, dataset: Dataset) -> list[Problem]:
    return validate_dataset(scheme, dataset)


@hookimpl
def kaoping_check_vetoes(scheme: Scheme, dataset: Dataset) -> list[Veto]:
    """Vetoes reported in the data, with the effect the scheme declares for their area."""
    areas = {area.id: area for area in scheme.vetoes}
    vetoes = []
    for row in dataset.vetoes:
        area = areas.get(row.area) or areas.get(ANY_AREA)
        if area is None:
            continue  # validation reports unknown areas
        veto = area.veto(row.unit, note=row.note, source=row.source)
        vetoes.append(veto if area.id == row.area else attrs.evolve(veto, area=row.area))  # under the any-area entry
    return vetoes


@hookimpl(trylast=True)
def kaoping_score(scheme: Scheme, dataset: Dataset, vetoes: list[Veto], methods: MethodRegistry) -> ScoreTable:
    from kaoping.core.columnar.engine import score  # numpy is imported by the commands that score

    return score(scheme, dataset, methods, vetoes)


@hookimpl(trylast=True)
def kaoping_apply_results(scheme: Scheme, scores: ScoreTable, dataset: Dataset, vetoes: list[Veto]) -> RunResult:
    by_unit: dict[str, list[Veto]] = {}
    for veto in vetoes:
        by_unit.setdefault(veto.unit, []).append(veto)
    results = [
        UnitResult(unit=u.id, name=u.name, group=u.group, score=scores[u.id], vetoes=by_unit.get(u.id, []))
        for u in dataset.units
    ]
    assign_ranks(scheme, results)
    notes = list(scores.notes)
    notes += assign_grades(scheme, results)
    apply_consequences(scheme, results)
    pools = {g.id: g.pool for g in scheme.groups if g.pool}
    return RunResult(
        scheme_id=scheme.id,
        scheme_name=scheme.name,
        units=order_results(scheme, results),
        notes=notes,
        warnings=list(scores.warnings),
        pools=pools,
        names=scheme.names(),
    )


def order_results(scheme: Scheme, results: list[UnitResult]) -> list[UnitResult]:
    """Scheme group order (a pool where its first group stands), then rank, then unit id: the order every
    output uses."""
    place: dict[str, int] = {}
    for position, group in enumerate(scheme.groups):
        place.setdefault(group.ranking_pool, position)
    pool_of = {g.id: g.ranking_pool for g in scheme.groups}

    def key(r: UnitResult) -> tuple:
        return (place.get(pool_of.get(r.group, r.group), len(place)), r.rank is None, r.rank or 0, r.unit)

    return sorted(results, key=key)
