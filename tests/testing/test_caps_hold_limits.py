"""caps-hold knows the caps over indicators and parts and the caps written as a share of an item's points."""

from __future__ import annotations

from decimal import Decimal

from kaoping.core.results import TrailEntry
from kaoping.testing._robustness import bound_problems
from tests.core.test_limits import base_scheme, data
from tests.helpers import host_with, run_scheme


def test_a_part_cap_group_passed_after_the_engine_is_reported():
    scheme = base_scheme(caps=[{"id": "soft_cap", "name": "作风加分合计", "parts": ["conduct", "bonus"], "max": 25}])
    result = run_scheme(scheme, data([("B", "award", 4)]))
    bound = host_with(scheme).scheme("test.limits")
    assert bound_problems(bound, result) == []  # the engine held B at 25
    b = next(u for u in result.units if u.unit == "B")
    b.score.add(TrailEntry("adjustment", "late_bonus", "另加", "bonus", Decimal(2), plugin="broken"))
    assert bound_problems(bound, result) == [
        "unit B: cap group 'soft_cap' (conduct、bonus) gives 27, past its maximum 25"
    ]


def test_a_share_cap_on_rules_is_checked_at_its_points():
    # 50% of conduct's 20 points = 10
    scheme = base_scheme(caps=[{"id": "late_cap", "name": "迟到", "rules": ["late"], "share": "50%", "of": "conduct"}])
    result = run_scheme(scheme, data([("A", "late", 7)]))
    bound = host_with(scheme).scheme("test.limits")
    assert bound_problems(bound, result) == []
    a = next(u for u in result.units if u.unit == "A")
    a.score.trail[:] = [e for e in a.score.trail if e.rule != "cap:late_cap"]  # a plugin dropping the cap
    assert bound_problems(bound, result) == ["unit A: cap group 'late_cap' (late) gives -14, past its maximum 10"]
