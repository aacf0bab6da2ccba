"""The grading kernel on arrays against the row kernel it replaced (``tests/core/grading_oracle.py``).

Hypothesis generates groups (some sharing a pool, some not ranked), totals and a tie-break key drawn from
few values (so ties are common), bands with every bound style, quotas by count and by share under every
rounding mode, both precedences, every ``on_tie`` policy, a quota floor, and vetoes that force, bar and
promote. The ranks, grades, reasons and notes (or the ``on_tie = "error"`` message) must be identical.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaoping.core.errors import InputError
from kaoping.core.grading import competition_ranks, fixed_bounds, grade_arrays, grading_frame, standing
from kaoping.core.numbers import ROUNDING_MODES
from kaoping.core.results import Veto
from kaoping.core.scheme import Band, Grading, Group, Quota, Scheme, Status
from tests.core import grading_oracle as oracle

GRADES = ("优秀", "良好", "合格", "不合格")
AREAS = ("a1", "a2")


def scheme_of(groups: tuple[Group, ...], grading: Grading) -> Scheme:
    return Scheme(
        id="test.grading",
        name="分级",
        locality="",
        total=Decimal(100),
        precision=Decimal("0.1"),
        rounding="half_up",
        source={},
        status=Status(True),
        groups=groups,
        grading=grading,
    )


@st.composite
def bands(draw, grades, scopes):
    found = []
    for k in range(draw(st.integers(0, 3))):
        lower = draw(st.sampled_from(["at_least", "above", None]))
        upper = draw(st.sampled_from(["at_most", "below", None]))
        bounds = {side: Decimal(draw(st.integers(500, 600))) / 10 for side in (lower, upper) if side}
        applies = draw(st.sampled_from([(), *[(s,) for s in scopes]]))
        quote = draw(st.sampled_from(["", "「九十分以上为优秀」"]))
        found.append(Band(f"b{k}", draw(st.sampled_from(grades)), groups=applies, quote=quote, **bounds))
    return tuple(found)


@st.composite
def quotas(draw, grades, scopes):
    found = []
    for k in range(draw(st.integers(0, 2))):
        applies = draw(st.sampled_from([(), *[(s,) for s in scopes]]))
        if draw(st.booleans()):
            chosen = draw(st.lists(st.sampled_from(scopes), unique=True, min_size=1))
            counts = {s: draw(st.integers(0, 4)) for s in chosen}
            quota = Quota(f"q{k}", draw(st.sampled_from(grades)), counts=counts, groups=applies)
        else:
            share = Decimal(draw(st.integers(0, 10))) / 20
            rounding = draw(st.sampled_from(sorted(ROUNDING_MODES)))
            quota = Quota(f"q{k}", draw(st.sampled_from(grades)), share=share, rounding=rounding, groups=applies)
        found.append(quota)
    return tuple(found)


@st.composite
def vetoes_of(draw, unit, grades):
    found = []
    for _k in range(draw(st.integers(0, 2))):
        area = draw(st.sampled_from(AREAS))
        effect = draw(st.sampled_from(["force_grade", "disqualify", "promote", "record"]))
        some = tuple(draw(st.lists(st.sampled_from(grades), unique=True, max_size=2)))
        if effect == "force_grade":
            found.append(Veto(unit, area, "force_grade", grade=draw(st.sampled_from(grades))))
        elif effect == "disqualify":
            found.append(Veto(unit, area, "disqualify", grades=some))
        elif effect == "promote":
            found.append(Veto(unit, area, "promote", grade=draw(st.sampled_from(grades)), from_grades=some))
        else:
            found.append(Veto(unit, area, "record"))
    return found


@st.composite
def cases(draw):
    grades = GRADES[: draw(st.integers(1, 4))]
    count = draw(st.integers(1, 3))
    groups = tuple(
        Group(
            f"g{k}",
            f"组{k}",
            ranked=draw(st.sampled_from([True, True, True, False])),
            pool=draw(st.sampled_from(["", "", "pool"])),
        )
        for k in range(count)
    )
    scopes = [g.id for g in groups] + (["pool"] if any(g.pool for g in groups) else [])
    grading = Grading(
        grades=grades,
        default=draw(st.sampled_from(grades)),
        precedence=draw(st.sampled_from(["bands_first", "quotas_first"])),
        tie_break=draw(st.sampled_from([(), ("key",)])),
        on_tie=draw(st.sampled_from(["exclude", "include", "error"])),
        bands=draw(bands(grades, scopes)),
        quotas=draw(quotas(grades, scopes)),
        quota_floor=draw(st.sampled_from(["", *grades])),
    )
    size = draw(st.integers(0, 24))
    numbers = draw(st.permutations(range(size)))
    units = [f"u{n:02d}" for n in numbers]  # ids not in position order: ties list by id
    unit_groups = [draw(st.sampled_from([g.id for g in groups])) for _u in units]
    few = st.integers(108, 114).map(lambda v: Decimal(v) / 2)  # few distinct totals: ties at quota places
    totals = [draw(st.one_of(few, st.integers(540, 560).map(lambda v: Decimal(v) / 10))) for _u in units]
    keys = [Decimal(draw(st.integers(0, 2))) for _u in units]
    vetoes = [draw(vetoes_of(u, grades)) for u in units]
    return scheme_of(groups, grading), units, unit_groups, totals, keys, vetoes


def oracle_run(scheme, units, groups, totals, tie_keys, vetoes):
    """Ranks and grades by the row kernel; ``("error", message)`` for an on_tie error."""
    ranked_groups = {g.id for g in scheme.groups if g.ranked}
    pools = [oracle.ranking_pool(scheme, g) if g in ranked_groups else None for g in groups]
    keys = [(-t, -k) if scheme.grading.tie_break else (-t,) for t, k in zip(totals, tie_keys, strict=True)]
    ranks = oracle.competition_ranks(pools, keys, units)
    results = [
        SimpleNamespace(unit=u, group=g, rank=r, vetoes=v)
        for u, g, r, v in zip(units, groups, ranks, vetoes, strict=True)
    ]
    subjects = [oracle.grade_subject(scheme, r) for r in results]  # type: ignore[arg-type]
    try:
        outcome = oracle.grade_positions(
            scheme.grading, subjects, totals, keys, pool_order=oracle.pool_order(scheme), names=scheme.names()
        )
    except InputError as error:
        return ranks, ("error", str(error))
    return ranks, (outcome.grades, outcome.reasons, outcome.notes)


def array_run(scheme, units, groups, totals, tie_keys, vetoes):
    """The same through the array kernel, on integers at scale 1 (tenths)."""
    by_position = {p: v for p, v in enumerate(vetoes) if v}
    columns = [np.array([int(-t * 10) for t in totals], dtype=np.int64)]
    if scheme.grading.tie_break:
        columns.append(np.array([int(-k) for k in tie_keys], dtype=np.int64))
    keys = np.stack(columns)[:, None, :] if units else np.zeros((len(columns), 1, 0), dtype=np.int64)
    ranking = grading_frame(scheme, units, groups, None, by_position)
    ranks = [r or None for r in competition_ranks(ranking, keys, standing(ranking, keys))[0].tolist()]
    frame = grading_frame(scheme, units, groups, ranks, by_position)
    fixed = np.array([[int(t * 10) for t in totals]], dtype=np.int64).reshape(1, len(units))
    try:
        outcome = grade_arrays(frame, fixed, keys, fixed_bounds(scheme.grading, 1), explain=True, names=scheme.names())
    except InputError as error:
        return ranks, ("error", str(error))
    return ranks, (outcome.grades(), outcome.reasons, outcome.notes)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_the_array_kernel_grades_as_the_row_kernel(case):
    assert array_run(*case) == oracle_run(*case)


def test_a_batch_grades_each_row_as_alone():
    """Draws graded together in one batch get what each would alone (bands and quota sizes per row)."""
    groups = (Group("g", "组"),)
    grading = Grading(
        grades=("优秀", "合格", "不合格"),
        default="合格",
        bands=(Band("low", "不合格", below=Decimal(60)),),
        quotas=(Quota("top", "优秀", counts={"g": 1}),),
    )
    scheme = scheme_of(groups, grading)
    units = ["a", "b", "c"]
    frame = grading_frame(scheme, units, ["g"] * 3, [1, 2, 3], {})
    totals = np.array([[90.0, 80.0, 55.0], [50.0, 80.0, 90.0]])
    keys = -totals[None]
    band = fixed_bounds(grading, 0)[0][0]
    bounds = [(band, (None, None, None, np.array([60.0, 85.0])))]
    sizes = np.array([1, 2])
    batch = grade_arrays(frame, totals, keys, bounds, quota_sizes=lambda q, p, n: sizes)
    # row 1: c is 不合格 (55 < 60), a takes the one place. Row 2: below 85 makes a and b 不合格, so with
    # bands_first only c can take one of the two places (the other is left unfilled).
    assert batch.grades(0) == ["优秀", "合格", "不合格"]
    assert batch.grades(1) == ["不合格", "不合格", "优秀"]


@pytest.mark.parametrize("policy", ["exclude", "include"])
def test_a_tie_at_the_last_place_in_a_batch(policy):
    # b and c tie at 80 for the last of 2 places: exclude gives it to neither, include to both
    scheme = scheme_of(
        (Group("g", "组"),),
        Grading(
            grades=("优秀", "合格"), default="合格", on_tie=policy, quotas=(Quota("top", "优秀", counts={"g": 2}),)
        ),
    )
    frame = grading_frame(scheme, ["a", "b", "c"], ["g"] * 3, [1, 2, 2], {})
    totals = np.array([[90.0, 80.0, 80.0], [90.0, 80.0, 70.0]])
    batch = grade_arrays(frame, totals, -totals[None], [])
    tied = ["优秀", "合格", "合格"] if policy == "exclude" else ["优秀", "优秀", "优秀"]
    assert batch.grades(0) == tied
    assert batch.grades(1) == ["优秀", "优秀", "合格"]
