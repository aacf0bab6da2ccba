"""Hand-computed tests of the period helper (kaoping/plugins/_common/periods.py), through the Weihai scheme
(seed 002_f0b00884609f5575.txt, 篇(4)), whose months are 100-point sheets."""

from __future__ import annotations

import pytest

from kaoping.core.errors import InputError
from kaoping.core.numbers import ONE
from kaoping.plugins._common.periods import weights
from tests.helpers import D, score

SCHEME = "shandong.weihai.e_monitoring"


def months(*early: tuple[int, int]) -> list[dict]:
    return [
        {"unit": "A", "indicator": "early_completion", "value": v, "target": t, "period": f"2015-{m:02d}"}
        for m, (v, t) in enumerate(early, start=1)
    ]


def run(values, overrides=None):
    units = [{"unit": "A", "name": "甲", "group": "approval"}]
    return score(SCHEME, {"units": units, "values": values}, overrides).units[0]


def test_last_period_only():
    # period_aggregate = "last": Jan 85 + 15 × 0/1 = 85; Feb 100 → 100
    got = run(months((0, 1), (1, 1)), {"parameters": {"period_aggregate": "last"}})
    assert got.total == D(100)
    assert {e.inputs["period"] for e in got.score.trail} == {"2015-02"}


def test_mean_of_thirds_rounds_once_per_part():
    # early (15 × 1/3 + 15 × 2/3 + 15 × 0/3) / 3 = (5 + 10 + 0) / 3 = 5.00 exactly; other parts full
    got = run(months((1, 3), (2, 3), (0, 3)))
    assert got.parts["early"] == D(5)
    assert got.total == D(90)


def test_weights():
    assert weights(["a", "b"], "mean") == ({"a": ONE, "b": ONE}, D(2))
    assert weights(["a", "b"], "last") == ({"a": D(0), "b": ONE}, ONE)
    with pytest.raises(InputError, match="period aggregate"):
        weights(["a"], "median")


def test_unknown_aggregate_parameter_is_an_error():
    with pytest.raises(InputError, match="period_aggregate"):
        run(months((1, 1)), {"parameters": {"period_aggregate": "median"}})
