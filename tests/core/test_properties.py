"""Properties that must hold for any data: deductions never raise a total, trails sum, order is irrelevant."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.core.pipeline import run
from kaoping.io.dataio import dataset_from_records
from kaoping.io.report import to_json
from tests.helpers import host

SCHEME = "fujian.zhangzhou"
DEDUCTION_RULES = ["criminal", "party_discipline", "meeting_absent", "task_harm", "complaint_false", "office_late"]
BONUS_RULES = ["contribution", "convenience_measure", "swift_action", "research_adopted", "advanced_unit"]

decimal_text = st.decimals(min_value=0, max_value=450, places=1).map(str)


@st.composite
def datasets(draw):
    count = draw(st.integers(min_value=1, max_value=6))
    units, values, events = [], [], []
    for i in range(count):
        uid = f"U{i}"
        units.append({"unit": uid, "name": uid, "group": draw(st.sampled_from(["series1", "series2", "series3"]))})
        values.append({"unit": uid, "indicator": "basic_targets", "value": draw(decimal_text)})
        values.append(
            {
                "unit": uid,
                "indicator": "public_review",
                "value": str(draw(st.decimals(min_value=0, max_value=300, places=1))),
            }
        )
        values.append(
            {
                "unit": uid,
                "indicator": "comprehensive_review",
                "item": "r1",
                "value": str(draw(st.decimals(min_value=0, max_value=50, places=2))),
            }
        )
        for _ in range(draw(st.integers(min_value=0, max_value=4))):
            rule = draw(st.sampled_from(DEDUCTION_RULES + BONUS_RULES))
            event = {
                "unit": uid,
                "rule": rule,
                "count": draw(st.integers(min_value=0, max_value=9)),
                "rank": draw(st.sampled_from(["科级以上", "科级以下"])),
                "level": draw(st.sampled_from(["市", "省", "国家"])),
                "matter": draw(st.sampled_from(["", "m1", "m2"])),
                "role": draw(st.sampled_from(["", "lead", "co"])) if rule in BONUS_RULES else "",
            }
            events.append(event)
    return {"units": units, "values": values, "events": events}


def score(records):
    return run(host(), host().scheme(SCHEME), dataset_from_records(records))


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(datasets())
def test_trail_always_sums_to_the_total(records):
    for result in score(records).units:
        assert sum(e.points for e in result.score.trail) == result.total
        assert sum(result.parts.values()) + result.score.adjustments == result.total


@FAST
@given(datasets(), st.data())
def test_one_more_deduction_event_never_raises_a_total(records, data):
    before = {u.unit: u.total for u in score(records).units}
    target = data.draw(st.sampled_from(records["units"]))["unit"]
    rule = data.draw(st.sampled_from(DEDUCTION_RULES))
    more = {**records, "events": [*records["events"], {"unit": target, "rule": rule, "rank": "科级以下"}]}
    after = {u.unit: u.total for u in score(more).units}
    assert after[target] <= before[target]
    assert all(after[u] == before[u] for u in before if u != target)


@FAST
@given(datasets(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_row_order(records, rng):
    shuffled = {table: list(rows) for table, rows in records.items()}
    for rows in shuffled.values():
        rng.shuffle(rows)
    assert to_json(score(records)) == to_json(score(shuffled))
