"""What a columnar run keeps after scoring: the points, not the methods' arrays.

A core method's explanation inputs are rebuilt on demand by running the method again on the stretch of
units asked about (``trail.Rebuild``). The JSON must be the bytes of the row engine's whatever the stretch
size: with stretches of one or two units, each stretch's columns have their own scales and integer kinds,
and the rebuilt inputs must still read as the run over every unit gave them.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given

from kaoping.core.columnar import trail as trail_module
from kaoping.core.columnar.engine import ENGINE_ENV
from kaoping.core.columnar.trail import CompactUnitScore, read_ahead
from kaoping.core.pipeline import prepare, run
from kaoping.io.report import unit_dict
from kaoping.testing import builtin_samples
from tests.core.test_columnar_engine import (
    GENERATED,
    generated_run,
    method_records,
    method_schemes,
    same_in_both,
)
from tests.helpers import host


@pytest.mark.parametrize("stretch", [1, 2])
@pytest.mark.parametrize("sample", builtin_samples(), ids=lambda s: s.scheme_id)
def test_explanations_rebuilt_by_stretches_give_the_same_json(monkeypatch, sample, stretch):
    monkeypatch.setattr(trail_module, "STRETCH", stretch)
    setup = prepare(sample.scheme_id, overrides=dict(sample.overrides) if sample.overrides else None)
    assert setup.scheme is not None
    assert '"units"' in same_in_both(monkeypatch, lambda: run(setup.host, setup.scheme, sample.data))


@GENERATED
@given(method_schemes(), method_records())
def test_generated_methods_rebuilt_one_unit_at_a_time_give_the_same_json(scheme, records):
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(trail_module, "STRETCH", 1)
        generated_run(scheme, records)


def test_a_run_keeps_no_core_methods_arrays(monkeypatch):
    monkeypatch.setenv(ENGINE_ENV, "arrays")
    sample = next(s for s in builtin_samples() if s.scheme_id == "fujian.zhangzhou")
    result = run(host(), host().scheme("fujian.zhangzhou"), sample.data)
    score = result.units[0].score
    assert isinstance(score, CompactUnitScore)
    store = score.store
    assert store.indicators and all(t.rebuild is not None for t in store.indicators)
    assert all(t.awards is None and t.position is None for t in store.indicators)
    columns = store.indicators[0].rebuild.columns  # type: ignore[union-attr]
    assert columns._columns == {}  # every indicator's cut columns were dropped once it was scored
    assert all(np.shares_memory(t.points, store.matrix) for t in store.indicators)  # one copy of the points
    # explaining a unit runs the method on its stretch only
    assert score.trail and all(list(t.rebuild._found) == [0] for t in store.indicators)  # type: ignore[union-attr]


# -- explanations read in an order of the reader's own (ranked), a block at a time ---------------------------


def explained(result, order, block=None):
    """Each unit's written dict, the units explained in ``order`` (announced a block at a time when
    ``block`` is given, else one after another)."""
    units = [result.units[k] for k in order]
    walk = units if block is None else read_ahead(units, lambda u: u.score, block)
    return {u.unit: json.dumps(unit_dict(u), ensure_ascii=False) for u in walk}


@pytest.mark.parametrize("sample", builtin_samples(), ids=lambda s: s.scheme_id)
def test_units_announced_in_blocks_in_any_order_explain_as_one_by_one(monkeypatch, sample):
    monkeypatch.setattr(trail_module, "STRETCH", 2)  # several stretches even in a sample
    setup = prepare(sample.scheme_id, overrides=dict(sample.overrides) if sample.overrides else None)
    assert setup.scheme is not None
    one_by_one = run(setup.host, setup.scheme, sample.data)
    expected = explained(one_by_one, range(len(one_by_one.units)))
    shuffled = list(np.random.default_rng(7).permutation(len(expected)))
    for block in (1, 3, len(expected)):
        announced = run(setup.host, setup.scheme, sample.data)
        assert explained(announced, shuffled, block) == expected


def test_a_ranked_walk_announced_in_one_block_runs_each_method_once(monkeypatch):
    monkeypatch.setattr(trail_module, "STRETCH", 2)
    sample = next(s for s in builtin_samples() if s.scheme_id == "fujian.zhangzhou")
    result = run(host(), host().scheme("fujian.zhangzhou"), sample.data)
    store = result.units[0].score.store
    runs = []
    real = trail_module.Rebuild._decided
    monkeypatch.setattr(trail_module.Rebuild, "_decided", lambda self, *a: runs.append(1) or real(self, *a))
    reversed_units = list(reversed(range(len(result.units))))
    explained(result, reversed_units, block=len(result.units))
    assert len(runs) == len(store.indicators)  # one run per indicator over the block's rows
    assert all(t.rebuild._found == {} for t in store.indicators)  # type: ignore[union-attr]  # no stretch run
    assert all(t.rebuild._ahead is None for t in store.indicators)  # type: ignore[union-attr]  # nor kept after
    runs.clear()
    explained(result, reversed_units)  # one unit after another: a run per stretch at least
    assert len(runs) >= len(store.indicators) * -(-len(result.units) // 2)
