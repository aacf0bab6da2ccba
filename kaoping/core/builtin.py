"""The core's own behaviour, registered through the same hooks third-party plugins use.

Each implementation here runs last (``trylast``) among first-result hooks, so a plugin can take over a
stage for its scheme by returning a result, or wrap the stage to adjust it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from kaoping import hookimpl
from kaoping.core.consequences import consequence_columns
from kaoping.core.errors import Problem
from kaoping.core.grading import grade_results
from kaoping.core.methods import Method, MethodRegistry
from kaoping.core.models import Dataset
from kaoping.core.primitives import core_methods
from kaoping.core.results import ResultColumns, RunResult, ScoreTable, UnitResults, Veto
from kaoping.core.scheme import Scheme
from kaoping.core.validate import ANY_AREA, validate_dataset

if TYPE_CHECKING:
    import numpy as np


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
    """Ranks, grades and consequences on arrays (:class:`ResultColumns`, in the outputs' order); the hooks
    that wrap this one read and change the units through the :class:`UnitResult` each is given."""
    by_unit: dict[str, list[Veto]] = {}
    for veto in vetoes:
        by_unit.setdefault(veto.unit, []).append(veto)
    units = dataset.units
    ids = [u.id for u in units]
    vetoed = {k: by_unit[unit] for k, unit in enumerate(ids) if unit in by_unit} if by_unit else {}
    columns, graded_notes = grade_results(
        scheme, ids, [u.name for u in units], [u.group for u in units], [scores[unit] for unit in ids], vetoed
    )
    consequence_columns(scheme, columns)
    pools = {g.id: g.pool for g in scheme.groups if g.pool}
    return RunResult(
        scheme_id=scheme.id,
        scheme_name=scheme.name,
        units=UnitResults(columns.reordered(result_order(scheme, columns))),
        notes=[*scores.notes, *graded_notes],
        warnings=list(scores.warnings),
        pools=pools,
        names=scheme.names(),
    )


def result_order(scheme: Scheme, columns: ResultColumns) -> np.ndarray:
    """Positions in the order every output uses: scheme group order (a pool where its first group stands),
    then rank (unranked last), then unit id."""
    import numpy as np

    place: dict[str, int] = {}
    for position, group in enumerate(scheme.groups):
        place.setdefault(group.ranking_pool, position)
    pool_of = {g.id: g.ranking_pool for g in scheme.groups}
    group_place = np.array([place.get(pool_of.get(g, g), len(place)) for g in columns.group_ids], dtype=np.int64)
    ranks = columns.ranks
    ids = np.array(columns.unit_ids, dtype=str) if len(columns) else np.zeros(0, dtype=str)
    return np.lexsort((ids, ranks, ranks == 0, group_place[columns.groups]))
