"""Monte Carlo uncertainty on the fast path: exactness where it is claimed, and hand-computed odds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kaoping.compare.perturb import Model, Range, parse_ranges, resolve, simulate
from kaoping.core.errors import InputError
from kaoping.core.pipeline import run
from kaoping.io.dataio import dataset_from_records
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA
from kaoping.testing import builtin_samples
from tests.helpers import host, host_with, run_scheme


@pytest.fixture(scope="module")
def zhangzhou():
    scheme = host().scheme("fujian.zhangzhou")
    return scheme, run(host(), scheme, SAMPLE_DATA)


SAMPLES = builtin_samples()
EVERY_WEIGHT = [Range(path, pct=Decimal(10)) for path in ("parts.*.points", "indicators.*.points", "rules.*.points")]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.scheme_id)
def test_the_unperturbed_draw_reproduces_the_exact_run(sample):
    """Every built-in sample: the draw at the declared values grades through the engine's own kernel."""
    test_host = host()
    scheme = test_host.scheme(sample.scheme_id, dict(sample.overrides) if sample.overrides else None)
    result = run(test_host, scheme, sample.data)
    factors, skipped = resolve(scheme, EVERY_WEIGHT)
    model = Model(scheme, result, factors)
    totals, ranks, grades = model.evaluate(model.base_values())
    exact = result.by_unit()
    assert len(model.units) == sum(1 for u in result.units if u.rank is not None)
    for position, unit in enumerate(model.units):
        assert totals[position] == float(exact[unit.unit].total), unit.unit
        assert (ranks[position], grades[position]) == (exact[unit.unit].rank, exact[unit.unit].grade), unit.unit
    zero_point_parts = [p.id for p in scheme.parts if p.points == 0]
    for part in zero_point_parts:  # no weight to vary, said so instead of a ZeroDivisionError
        assert any(f"part {part!r} has 0 points" in note for note in skipped), part


def test_zhangzhou_ranks_76_of_its_81_units(zhangzhou):
    scheme, result = zhangzhou
    model = Model(scheme, result, resolve(scheme, EVERY_WEIGHT)[0])
    assert len(model.units) == 76  # the 5 units outside the series are not ranked


def test_a_pct_range_on_a_zero_point_part_is_skipped_with_a_note():
    # hunan.heshan: the 扣分 part 「一票否决及扣分」 has 0 points; ±10 % of nothing is not a weight
    scheme = host().scheme("hunan.heshan")
    zero = [p.id for p in scheme.parts if p.points == 0]
    assert zero
    factors, skipped = resolve(scheme, [Range("parts.*.points", pct=Decimal(10))])
    assert {f.target[0] for f in factors}.isdisjoint(zero)
    assert len([n for n in skipped if "has 0 points" in n]) == len(zero)


LINEAR = {
    "id": "test.linear",
    "name": "线性",
    "total": 100,
    "status": {"complete": True},
    "groups": [{"id": "g", "name": "组"}],
    "parts": [
        {"id": "work", "name": "工作", "points": 80, "cap": 1000},
        {"id": "discipline", "name": "纪律", "points": 20, "base": 20, "floor": 0},
    ],
    "indicators": [
        {"id": "a", "name": "甲", "part": "work", "method": "ratio", "points": 50},
        {"id": "b", "name": "乙", "part": "work", "method": "ratio", "points": 30},
    ],
    "rules": [
        {"id": "extra", "name": "加分", "part": "work", "kind": "bonus", "points": 1},
        {"id": "late", "name": "迟到", "part": "discipline", "kind": "deduction", "points": 5},
    ],
    "grading": {"grades": ["A", "B"], "default": "B", "quotas": [{"id": "top", "grade": "A", "counts": {"g": 1}}]},
}
LINEAR_DATA = {
    "units": [{"unit": u, "name": u, "group": "g"} for u in ("u1", "u2", "u3", "u4")],
    "values": [
        {"unit": u, "indicator": i, "value": v, "target": 100}
        for u, a, b in (("u1", 85, 90), ("u2", 95, 70), ("u3", 60, 100), ("u4", 100, 50))
        for i, v in (("a", a), ("b", b))
    ],
    "events": [
        {"unit": "u1", "rule": "late", "count": 1},
        {"unit": "u2", "rule": "late", "count": 3},
        {"unit": "u3", "rule": "late", "count": 5},
    ],
}


def test_linear_reweighting_equals_rerunning_the_pipeline():
    # declared: u1 42.5 + 27 + (20 − 5) = 84.5; u2 47.5 + 21 + 5 = 73.5; u3 30 + 30 + max(20 − 25, 0) = 60;
    # u4 50 + 15 + 20 = 85. With a = 55, b = 27, late = 2 per event:
    # u1 46.75 + 24.3 + 18 = 89.05; u2 52.25 + 18.9 + 14 = 85.15; u3 33 + 27 + 10 = 70 (the floor no
    # longer binds); u4 55 + 13.5 + 20 = 88.5. Ranks u1 u4 u2 u3; only u1 takes the one A.
    base = run_scheme(LINEAR, LINEAR_DATA)
    assert [str(u.total) for u in sorted(base.units, key=lambda u: u.unit)] == ["84.50", "73.50", "60.00", "85.00"]
    overrides = {
        "indicators": [{"id": "a", "points": 55}, {"id": "b", "points": 27}],
        "rules": [{"id": "late", "points": 2}],
    }
    linear_host = host_with(LINEAR)
    reformed = run(linear_host, linear_host.scheme("test.linear", overrides), dataset_from_records(LINEAR_DATA))
    ranges = [
        Range("indicators.a.points", Decimal(40), Decimal(60)),
        Range("indicators.b.points", Decimal(20), Decimal(40)),
        Range("rules.late.points", Decimal(1), Decimal(9)),
    ]
    scheme = linear_host.scheme("test.linear")
    factors, _ = resolve(scheme, ranges)
    model = Model(scheme, base, factors)
    totals, ranks, grades = model.evaluate([55.0, 27.0, 2.0])
    exact = reformed.by_unit()
    fast = {unit.unit: (totals[i], ranks[i], grades[i]) for i, unit in enumerate(model.units)}
    assert fast == {u: (float(r.total), r.rank, r.grade) for u, r in exact.items()}
    assert fast["u3"][0] == 70.0 and fast["u1"] == (89.05, 1, "A")


def test_part_weight_scales_the_whole_part():
    # doubling the discipline part's weight (20 → 40) doubles its score, base and deductions alike:
    # u1 69.5 + 2 · 15 = 99.5; u2 68.5 + 2 · 5 = 78.5; u3 60 + 2 · 0 = 60; u4 65 + 2 · 20 = 105
    base = run_scheme(LINEAR, LINEAR_DATA)
    scheme = host_with(LINEAR).scheme("test.linear")
    factors, _ = resolve(scheme, [Range("parts.discipline.points", Decimal(0), Decimal(40))])
    model = Model(scheme, base, factors)
    totals, _, _ = model.evaluate([40.0])
    by_unit = {unit.unit: totals[i] for i, unit in enumerate(model.units)}
    assert by_unit == {"u1": 99.5, "u2": 78.5, "u3": 60.0, "u4": 105.0}


def test_band_threshold_odds_by_hand(zhangzhou):
    # 不合格 is total < below. S2-14 has 699.9, S2-18 has 700. With below uniform in [699, 701]:
    # P(S2-14 不合格) = P(below > 699.9) = 1.1 / 2 = 0.55; P(S2-18 不合格) = P(below > 700) = 0.5.
    scheme, result = zhangzhou
    ranges = [Range("grading.bands.unqualified.below", Decimal(699), Decimal(701))]
    outcome = simulate("zz", scheme, result, ranges, draws=4000, seed=3)
    units = {u.unit: u for u in outcome.units}
    assert units["S2-14"].grade_probability["不合格"] == pytest.approx(0.55, abs=0.03)
    assert units["S2-18"].grade_probability["不合格"] == pytest.approx(0.5, abs=0.03)
    assert units["S2-03"].grade_probability == {"优秀": 1.0, "合格": 0.0, "不合格": 0.0}
    assert (units["S2-14"].median_rank, units["S2-14"].p05, units["S2-14"].p95) == (44, 44, 44)


def test_quota_count_odds_by_hand(zhangzhou):
    # series 1 count drawn from {4, 5, 6}: rank 5 (S1-12) is 优秀 for 5 and 6 (P = 2/3), rank 6 (S1-15)
    # only for 6 (P = 1/3), rank 4 (S1-03) always.
    scheme, result = zhangzhou
    ranges = [Range("grading.quotas.excellent.counts.series1", Decimal(4), Decimal(6))]
    outcome = simulate("zz", scheme, result, ranges, draws=3000, seed=5)
    units = {u.unit: u for u in outcome.units}
    assert units["S1-03"].grade_probability["优秀"] == 1.0
    assert units["S1-12"].grade_probability["优秀"] == pytest.approx(2 / 3, abs=0.03)
    assert units["S1-15"].grade_probability["优秀"] == pytest.approx(1 / 3, abs=0.03)


def test_seeded_runs_repeat_and_summaries_are_consistent(zhangzhou):
    scheme, result = zhangzhou
    ranges = parse_ranges(
        {
            "ranges": [
                {"path": "parts.review.points", "low": 300, "high": 400},
                {"path": "indicators.*.points", "pct": 10},
            ]
        }
    )
    first = simulate("zz", scheme, result, ranges, draws=500, seed=11)
    again = simulate("zz", scheme, result, ranges, draws=500, seed=11)
    assert first.units == again.units
    for unit in first.units:
        if unit.rank is None:
            assert unit.grade_probability == {} and unit.median_rank is None
            continue
        assert sum(unit.grade_probability.values()) == pytest.approx(1.0)
        assert unit.p05 <= unit.median_rank <= unit.p95
    assert [f.path for f in first.factors] == [
        "parts.review.points",
        "indicators.basic_targets.points",
        "indicators.public_review.points",
        "indicators.comprehensive_review.points",
    ]


def test_range_errors_and_unmatched_paths(zhangzhou):
    with pytest.raises(InputError) as error:
        parse_ranges({"ranges": [{"path": "parts.x.points"}, {"path": "a.b", "low": 2, "high": 1}], "extra": 1})
    text = str(error.value)
    assert "either 'low' and 'high', or 'pct'" in text and "low 2 is above high 1" in text and "'extra'" in text
    scheme, _ = zhangzhou
    factors, skipped = resolve(scheme, [Range("indicators.nope.points", pct=Decimal(5))])
    assert factors == [] and "matches nothing" in skipped[0]
    with pytest.raises(InputError, match="is not one of"):
        resolve(scheme, [Range("grading.default", pct=Decimal(5))])
    assert resolve(scheme, [Range("parts.review.points", pct=Decimal(5), scheme="other.scheme")]) == ([], [])


TIED = {
    **LINEAR,
    "grading": {
        "grades": ["A", "B"],
        "default": "B",
        "on_tie": "error",
        "quotas": [{"id": "top", "grade": "A", "counts": {"g": 1}}],
    },
}
# u1 and u2 both 40 + 30 + 20 = 90; u3 45 + 30 + 20 = 95 leads: one A place is no tie, two places are
TIED_DATA = {
    "units": [{"unit": u, "name": u, "group": "g"} for u in ("u1", "u2", "u3")],
    "values": [
        {"unit": u, "indicator": i, "value": v, "target": 100}
        for u, a in (("u1", 80), ("u2", 80), ("u3", 90))
        for i, v in (("a", a), ("b", 100))
    ],
    "events": [],
}


def test_on_tie_error_stops_a_draw_exactly_as_it_stops_the_engine():
    base = run_scheme(TIED, TIED_DATA)
    assert [(u.unit, str(u.total), u.grade) for u in base.units] == [
        ("u3", "95.00", "A"),
        ("u1", "90.00", "B"),
        ("u2", "90.00", "B"),
    ]
    tied_host = host_with(TIED)
    two_places = {"grading": {"quotas": [{"id": "top", "counts": {"g": 2}}]}}
    with pytest.raises(InputError) as engine:
        run(tied_host, tied_host.scheme("test.linear", two_places), dataset_from_records(TIED_DATA))
    scheme = tied_host.scheme("test.linear")
    factors, _ = resolve(scheme, [Range("grading.quotas.top.counts.g", Decimal(1), Decimal(2))])
    model = Model(scheme, base, factors)
    assert model.evaluate([1.0])[2] == ["A", "B", "B"]
    with pytest.raises(InputError) as draw:
        model.evaluate([2.0])
    assert str(draw.value) == str(engine.value)
    assert "units u1, u2 tie for the last A place" in str(draw.value)


def test_a_batch_of_draws_is_each_draw_evaluated_alone(zhangzhou):
    """Draws evaluated together (one array per batch) give each draw what it gives alone: totals, ranks
    and grades, with drawn band bounds, quota counts and weights all varying across the batch."""
    import numpy as np

    scheme, result = zhangzhou
    ranges = [
        *EVERY_WEIGHT,
        Range("grading.bands.unqualified.below", Decimal(690), Decimal(710)),
        Range("grading.quotas.excellent.counts.series1", Decimal(3), Decimal(7)),
    ]
    model = Model(scheme, result, resolve(scheme, ranges)[0])
    rng = np.random.default_rng(5)
    low = np.array([f.low for f in model.factors])
    high = np.array([f.high for f in model.factors])
    values = low + (high - low) * rng.random((40, len(model.factors)))
    whole = np.array([f.kind == "quota_count" for f in model.factors])
    values[:, whole] = np.rint(values[:, whole])
    totals, ranks, codes = model.evaluate_batch(values)
    for row in range(len(values)):
        alone = model.evaluate(values[row].tolist())
        assert totals[row].tolist() == alone[0]
        assert ranks[row].tolist() == alone[1]
        assert [model.labels[c] for c in codes[row].tolist()] == alone[2]


def test_the_batch_size_does_not_change_the_outcome(zhangzhou, monkeypatch):
    from kaoping.compare import perturb

    scheme, result = zhangzhou
    ranges = [Range("indicators.*.points", pct=Decimal(10)), Range("parts.review.points", Decimal(300), Decimal(400))]
    together = simulate("zz", scheme, result, ranges, draws=300, seed=2)
    monkeypatch.setattr(perturb, "BATCH_CELLS", 76 * 7)  # batches of 7 draws
    apart = simulate("zz", scheme, result, ranges, draws=300, seed=2)
    assert apart.units == together.units
    assert len({u.median_rank for u in apart.units if u.rank is not None}) > 1


def test_an_on_tie_error_in_a_batch_is_the_first_tied_draws():
    import numpy as np

    base = run_scheme(TIED, TIED_DATA)
    tied_host = host_with(TIED)
    scheme = tied_host.scheme("test.linear")
    factors, _ = resolve(scheme, [Range("grading.quotas.top.counts.g", Decimal(1), Decimal(2))])
    model = Model(scheme, base, factors)
    assert model.evaluate_batch(np.array([[1.0], [1.0]]))[2].tolist() == [[0, 1, 1], [0, 1, 1]]
    with pytest.raises(InputError, match="units u1, u2 tie for the last A place"):
        model.evaluate_batch(np.array([[1.0], [2.0], [1.0]]))
