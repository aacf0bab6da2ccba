"""A partition's scores travel back as arrays (``WireScores``) and make the same results on the driver.

Each built-in sample is scored with every score table sent through ``WireScores`` and plain ``pickle`` (what a
worker sends back: no closure, no value column, no dataset), then graded and written as JSON; the JSON, every
unit's trail with its inputs and notes included, must be the local run's byte for byte. The explanations are
rebuilt on the receiving side from the rows it holds, by the core's methods (a stretch of units) and by the
plugins' vectorised forms (the partition's units), so every sample exercises both.
"""

from __future__ import annotations

import pickle
from decimal import Decimal
from typing import Any

import pytest

from kaoping.core.distributed import coupling
from kaoping.core.pipeline import prepare, run
from kaoping.core.results import ScoreTable, TrailEntry, UnitScore
from kaoping.core.wire_scores import LaterAwards, LaterRebuild, WireScores
from kaoping.io.report import to_json
from kaoping.testing import builtin_samples

SAMPLES = builtin_samples()


def split_by_pool(sample: Any) -> bool:
    """Whether the Dask engine scores the sample's scheme by partitions (it refuses a plugin that scores the
    scheme itself, such as the per-period plugins, whose tables therefore never travel)."""
    setup = prepare(sample.scheme_id, overrides=dict(sample.overrides) if sample.overrides else None)
    assert setup.scheme is not None
    return not coupling(setup.host, setup.scheme)


def sent_back(table: ScoreTable, scheme: Any, dataset: Any, methods: Any) -> ScoreTable:
    data = pickle.dumps(WireScores.of(table), protocol=pickle.HIGHEST_PROTOCOL)
    for kind in (b"ColumnarDataset", b"ValueColumns", b"ScoringContext", b"Dataset\x94"):
        assert kind not in data, kind  # nothing the receiving side rebuilds from its own rows
    return pickle.loads(data).table(scheme, dataset, methods)


def through_the_wire(monkeypatch: pytest.MonkeyPatch, host: Any) -> dict[str, int]:
    """Make ``host.score`` send every table through the wire; count the explanations rebuilt each way."""
    score = host.score
    counts = {"rebuilt": 0, "awards": 0}

    def scored_and_sent(scheme: Any, dataset: Any, vetoes: Any) -> ScoreTable:
        table = sent_back(score(scheme, dataset, vetoes), scheme, dataset, host.methods)
        for unit in table:
            trails = getattr(getattr(unit, "store", None), "indicators", [])
            counts["rebuilt"] += sum(isinstance(t.rebuild, LaterRebuild) for t in trails)
            counts["awards"] += sum(isinstance(t.awards, LaterAwards) for t in trails)
            break
        return table

    monkeypatch.setattr(host, "score", scored_and_sent)
    return counts


@pytest.mark.parametrize("sample", [s for s in SAMPLES if split_by_pool(s)], ids=lambda s: s.scheme_id)
def test_every_sample_gives_the_same_json_when_its_scores_travel_as_arrays(monkeypatch, sample):
    setup = prepare(sample.scheme_id, overrides=dict(sample.overrides) if sample.overrides else None)
    assert setup.scheme is not None
    local = to_json(run(setup.host, setup.scheme, sample.data))
    through_the_wire(monkeypatch, setup.host)
    assert to_json(run(setup.host, setup.scheme, sample.data)) == local


def test_both_ways_of_explaining_a_unit_are_used_by_the_samples(monkeypatch):
    # the core's methods run again on a stretch (Rebuild); a plugin's vectorised form on the partition
    found = {"rebuilt": 0, "awards": 0}
    for scheme_id in ("fujian.zhangzhou", "liaoning.province", "jiangsu.nantong"):
        sample = next(s for s in SAMPLES if s.scheme_id == scheme_id)
        setup = prepare(scheme_id, overrides=dict(sample.overrides) if sample.overrides else None)
        assert setup.scheme is not None
        with monkeypatch.context() as patch:
            counts = through_the_wire(patch, setup.host)
            run(setup.host, setup.scheme, sample.data)
        found = {key: found[key] + counts[key] for key in found}
    assert found["rebuilt"] > 0 and found["awards"] > 0


def test_a_trail_built_on_the_worker_and_a_replaced_score_travel_as_they_are():
    # a kaoping_score wrapper may add an entry after scoring (the unit's trail is then built) or put a
    # score of its own in the table: both arrive as the worker left them
    sample = next(s for s in SAMPLES if s.scheme_id == "fujian.zhangzhou")
    setup = prepare(sample.scheme_id)
    assert setup.scheme is not None
    from kaoping.core.pipeline import load_and_validate

    dataset = load_and_validate(setup.host, setup.scheme, sample.data)
    table = setup.host.score(setup.scheme, dataset, [])
    first, second, *others = list(table.scores)
    extra = TrailEntry("rule", "wrapper", "另加", None, Decimal("1.5"), {}, "", "test")
    table.scores[first].add(extra)
    table.scores[first].trail  # noqa: B018  # built: later additions go to it
    table.scores[first].add(TrailEntry("rule", "wrapper2", "再加", None, Decimal("0.25"), {}, "", "test"))
    replaced = UnitScore(second, ("x",), [TrailEntry("rule", "own", "自评", None, Decimal("7"), {}, "", "test")])
    table.scores[second] = replaced
    expected = {unit: (score.total, score.parts, [e.rule for e in score.trail]) for unit, score in table.scores.items()}
    back = sent_back(table, setup.scheme, dataset, setup.host.methods)
    assert list(back.scores) == [first, second, *others]
    assert {unit: (s.total, s.parts, [e.rule for e in s.trail]) for unit, s in back.scores.items()} == expected
    assert back.scores[first].trail[-2:][0].rule == "wrapper" and back.scores[first].total == expected[first][0]
    assert back.scores[second] == replaced
