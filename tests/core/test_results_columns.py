"""Results as arrays (``ResultColumns``): the same outputs as a list of ``UnitResult``, and a unit built per
reader whose changes are the run's.

The differential tests run every sample, every test dataset and generated datasets twice: once through the
core's results stage (ranks, grades, reasons and consequences on arrays, in ``ResultColumns``), once through
the stage as it was, a ``UnitResult`` per unit ranked and graded by the row kernel of
``tests/core/grading_oracle.py`` and sorted in Python, and require the same pinned JSON.
"""

from __future__ import annotations

import gc
import io
import json
import pickle
import tracemalloc
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from kaoping import hookimpl
from kaoping.core import builtin
from kaoping.core.consequences import apply_consequences
from kaoping.core.errors import KaopingError
from kaoping.core.models import Dataset
from kaoping.core.pipeline import prepare, run
from kaoping.core.plugins import PluginHost
from kaoping.core.results import (
    ResultColumns,
    RunResult,
    ScoreTable,
    StoredUnitResult,
    UnitResult,
    UnitResults,
    UnitScore,
    Veto,
)
from kaoping.core.scheme import Scheme
from kaoping.io.dataio import dataset_from_records
from kaoping.io.report import to_csv, to_json, write_csv, write_json
from kaoping.testing import builtin_samples
from tests.core import grading_oracle as oracle
from tests.core.test_properties import datasets
from tests.helpers import D, mini_scheme, run_scheme

DATA = Path(__file__).parents[1] / "data"


# ---------------------------------------------------------------------------------------------------------
# the results stage as it was: a UnitResult per unit, the row kernel, a Python sort


@hookimpl(trylast=True)
def listed_apply_results(scheme: Scheme, scores: ScoreTable, dataset: Dataset, vetoes: list[Veto]) -> RunResult:
    by_unit: dict[str, list[Veto]] = {}
    for veto in vetoes:
        by_unit.setdefault(veto.unit, []).append(veto)
    results = [
        UnitResult(unit=u.id, name=u.name, group=u.group, score=scores[u.id], vetoes=by_unit.get(u.id, []))
        for u in dataset.units
    ]
    oracle.assign_ranks(scheme, results)
    notes = [*scores.notes, *oracle.assign_grades(scheme, results)]
    apply_consequences(scheme, results)
    place: dict[str, int] = {}
    for position, group in enumerate(scheme.groups):
        place.setdefault(group.ranking_pool, position)
    pool_of = {g.id: g.ranking_pool for g in scheme.groups}

    def key(r: UnitResult) -> tuple:
        return (place.get(pool_of.get(r.group, r.group), len(place)), r.rank is None, r.rank or 0, r.unit)

    return RunResult(
        scheme_id=scheme.id,
        scheme_name=scheme.name,
        units=sorted(results, key=key),
        notes=notes,
        warnings=list(scores.warnings),
        pools={g.id: g.pool for g in scheme.groups if g.pool},
        names=scheme.names(),
    )


def outcome(run_it: Any, listed: bool) -> str:
    try:
        result = run_it()
    except KaopingError as error:
        return f"{type(error).__name__}: {error}"
    assert isinstance(result.units, list) is listed  # the stage the run was meant to go through
    return to_json(result)


def same_as_listed(monkeypatch: pytest.MonkeyPatch, run_it: Any) -> str:
    """The JSON of a run on arrays, required equal to the run's JSON through the listed stage."""
    on_arrays = outcome(run_it, listed=False)
    with monkeypatch.context() as patched:
        patched.setattr(builtin, "kaoping_apply_results", listed_apply_results)  # the next host registers it
        listed = outcome(run_it, listed=True)
    assert on_arrays == listed
    return on_arrays


@pytest.mark.parametrize("sample", builtin_samples(), ids=lambda s: s.scheme_id)
def test_every_builtin_sample_gives_the_json_of_the_listed_results(monkeypatch, sample):
    overrides = dict(sample.overrides) if sample.overrides else None

    def run_it() -> RunResult:
        setup = prepare(sample.scheme_id, overrides=overrides)
        assert setup.scheme is not None
        return run(setup.host, setup.scheme, sample.data)

    assert '"units"' in same_as_listed(monkeypatch, run_it)


@pytest.mark.parametrize("folder", sorted(p for p in DATA.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_every_test_dataset_gives_the_json_of_the_listed_results(monkeypatch, folder):
    def run_it() -> RunResult:
        host = PluginHost(entry_points=False)
        return run(host, host.scheme("fujian.zhangzhou"), folder)

    same_as_listed(monkeypatch, run_it)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_generated_datasets_give_the_json_of_the_listed_results(records):
    def run_it() -> RunResult:
        host = PluginHost(entry_points=False)
        return run(host, host.scheme("fujian.zhangzhou"), dataset_from_records(records))

    with pytest.MonkeyPatch.context() as monkeypatch:
        same_as_listed(monkeypatch, run_it)


# ---------------------------------------------------------------------------------------------------------
# a small graded scheme: bands, a quota of one 优秀, consequences by grade and by veto area

GRADING = {
    "grades": ["优秀", "良好", "合格", "不合格"],
    "default": "合格",
    "bands": [{"id": "good", "grade": "良好", "at_least": 80}, {"id": "fail", "grade": "不合格", "below": 60}],
    "quotas": [{"id": "top", "grade": "优秀", "counts": {"g": 1}}],
}
AREAS = [{"id": "service", "name": "优质服务奖", "effect": "record", "consequences": {"awards": ["优质服务奖"]}}]
CONSEQUENCES = {"grades": {"良好": {"award": 3000}, "优秀": {"award": 5000, "sanctions": []}}}
TOTALS = {"a": "95", "b": "85", "c": "70", "d": "50"}


def graded(*plugins: tuple[str, object], vetoes: tuple[dict[str, str], ...] = ()) -> RunResult:
    scheme = mini_scheme(grading=GRADING, vetoes=AREAS, consequences=CONSEQUENCES)
    data = {
        "units": [{"unit": u, "name": f"单位{u}", "group": "g"} for u in TOTALS],
        "values": [{"unit": u, "indicator": "i", "value": t} for u, t in TOTALS.items()],
        "vetoes": list(vetoes),
    }
    return run_scheme(scheme, data, plugins=plugins)


def test_results_are_arrays_read_as_units():
    result = graded(vetoes=({"unit": "b", "area": "service"},))
    assert isinstance(result.units, UnitResults) and result.units.in_columns()
    columns = result.units.columns
    assert isinstance(columns, ResultColumns)
    # a: 95, the one 优秀 place; b: 85 ≥ 80 良好; c: 70 the default 合格; d: 50 < 60 不合格
    assert [(u.unit, u.rank, u.grade, u.total) for u in result.units] == [
        ("a", 1, "优秀", D(95)),
        ("b", 2, "良好", D(85)),
        ("c", 3, "合格", D(70)),
        ("d", 4, "不合格", D(50)),
    ]
    assert list(columns.ranks) == [1, 2, 3, 4]
    assert {columns.grade_labels[g] for g in columns.grades.tolist()} == {"优秀", "良好", "合格", "不合格"}
    # one text per band, the default and "not graded", one quota text; no unit has a text of its own
    assert len(columns.reason_texts) == 2 + 2 + 1 and columns.own_reasons == {}
    assert columns.vetoes == {1: [v for v in result.units[1].read_vetoes()]} and len(columns.vetoes[1]) == 1
    # consequences: one table per grade held; b's own, with its area's award added to its grade's
    assert result.units[0].read_consequences() == {"award": D(5000), "sanctions": []}
    assert result.units[1].read_consequences() == {"award": D(3000), "awards": ["优质服务奖"]}
    assert result.units[2].read_consequences() == {}
    assert set(columns.consequences) == {1}
    assert isinstance(result.units[0], StoredUnitResult) and isinstance(result.units[0], UnitResult)
    assert result.units[-1].unit == "d" and [u.unit for u in result.units[1:3]] == ["b", "c"]


class Adjusts:
    """A deployment's results hook: changes grades, reasons, ranks, consequences and vetoes, adds a note."""

    @hookimpl(wrapper=True)
    def kaoping_apply_results(self) -> Generator[None, RunResult, RunResult]:
        result = yield
        units = result.by_unit()
        units["a"].rank = 7
        units["c"].grade, units["c"].grade_reason = "良好", "申诉改定"
        units["a"].consequences["sanctions"].append("通报")  # a list inside the grade's table: a's own copy
        units["b"].consequences = {"meeting": "大会表彰"}
        for unit in result.units:
            if unit.unit == "d":
                unit.vetoes.append(Veto("d", "service", "record", source="办公室"))
                unit.consequences["awards"] = ["优质服务奖"]
        result.notes.append("申诉复核")
        return result


def test_a_hooks_changes_through_the_units_it_is_given_are_the_runs():
    plain = graded()
    result = graded(("adjusts", Adjusts()))
    a, b, c, d = result.units
    assert (a.rank, a.grade, a.grade_reason) == (7, "优秀", plain.units[0].grade_reason)
    assert (c.grade, c.grade_reason) == ("良好", "申诉改定")
    assert a.consequences == {"award": D(5000), "sanctions": ["通报"]}
    assert b.consequences == {"meeting": "大会表彰"}
    assert [v.area for v in d.vetoes] == ["service"] and d.consequences == {"awards": ["优质服务奖"]}
    assert result.notes[-1] == "申诉复核"
    # the grade's table itself is untouched: another unit of the same grade still reads it as it was
    assert graded().units[0].consequences == {"award": D(5000), "sanctions": []}
    written = to_json(result)
    assert '"rank": 7' in written and '"申诉改定"' in written and '"通报"' in written and '"大会表彰"' in written
    assert "优质服务奖" in to_csv(result)


def test_a_quota_reason_keeps_the_rank_it_was_given_with():
    plain = graded()
    result = graded(("adjusts", Adjusts()))
    assert plain.units[0].grade_reason == result.units[0].grade_reason  # given at rank 1
    assert "1" in result.units[0].grade_reason and "7" not in result.units[0].grade_reason


class Reorders:
    """A hook that changes the sequence itself: reversed, one unit dropped, a unit of its own appended."""

    @hookimpl(wrapper=True)
    def kaoping_apply_results(self) -> Generator[None, RunResult, RunResult]:
        result = yield
        result.units.sort(key=lambda u: u.unit, reverse=True)
        result.units.remove(next(u for u in result.units if u.unit == "c"))
        result.units.append(UnitResult("e", "单位e", "g", UnitScore("e", ("p",)), grade="合格"))
        result.units[0].grade = "良好"
        return result


def test_a_hook_may_sort_remove_and_append_units():
    result = graded(("reorders", Reorders()))
    assert isinstance(result.units, UnitResults) and not result.units.in_columns()
    assert [(u.unit, u.grade) for u in result.units] == [("d", "良好"), ("b", "良好"), ("a", "优秀"), ("e", "合格")]
    assert result.units.columns.grade(3) == "良好"  # d's grade, set through the listed unit, is in the arrays
    assert [u["unit"] for u in json.loads(to_json(result))["units"]] == ["d", "b", "a", "e"]


def test_a_unit_pickles_and_copies_as_a_plain_unit_result():
    unit = graded(vetoes=({"unit": "a", "area": "service"},)).units[0]
    back = pickle.loads(pickle.dumps(unit))
    assert type(back) is UnitResult
    assert (back.unit, back.rank, back.grade, back.grade_reason) == (
        unit.unit,
        unit.rank,
        unit.grade,
        unit.grade_reason,
    )
    assert back.consequences == unit.read_consequences() and back.vetoes == list(unit.read_vetoes())
    assert unit == unit and unit != graded().units[1] and unit.plain().score is unit.score


class Sink(io.TextIOBase):
    """An output that keeps nothing of what is written to it."""

    def write(self, text: str) -> int:
        return len(text)


def test_writing_a_run_keeps_no_unit_object_and_no_copy_per_unit():
    units = {f"u{k:04d}": str(40 + k % 60) for k in range(1500)}
    scheme = mini_scheme(grading={**GRADING, "quotas": []}, consequences=CONSEQUENCES)
    data = {
        "units": [{"unit": u, "name": u, "group": "g"} for u in units],
        "values": [{"unit": u, "indicator": "i", "value": t} for u, t in units.items()],
    }
    result = run_scheme(scheme, data)
    sink = Sink()
    gc.collect()
    tracemalloc.start()
    try:
        write_json(result, sink)
        write_csv(result, sink)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert not any(isinstance(o, UnitResult) for o in gc.get_objects())
    # nor a total, a dict of points or of consequences per unit (300 bytes a unit and more): what is kept
    # is what a first read keeps for good (the explanations' inputs of a stretch of units), not per unit
    assert kept < 100 * len(units), kept
    columns = result.units.columns
    assert columns.consequences == {} and columns.vetoes == {} and columns.own_reasons == {}
    assert len(columns.consequence_tables) == 3  # one per grade held (良好, 合格, 不合格), not one per unit
    assert to_json(result).count('"award": 3000') == sum(1 for t in units.values() if int(t) >= 80)


def test_grades_and_groups_a_hook_sets_beyond_the_codes_width_widen_the_codes():
    result = graded()
    columns = result.units.columns
    assert columns.grades.dtype.itemsize == 1  # four grades and "": one byte a unit
    for k in range(300):
        result.units[k % 4].grade = f"等次{k}"
        result.units[k % 4].group = f"组{k}"
    assert [(u.grade, u.group) for u in result.units] == [(f"等次{k}", f"组{k}") for k in range(296, 300)]
    assert columns.grades.dtype.itemsize > 1 and columns.groups.dtype.itemsize > 1
