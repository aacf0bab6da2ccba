"""The suite proves itself: deliberately broken plugins fail it, each with a message naming the rule.

Each case writes a small plugin and a conformance class into a pytester directory and runs pytest on
it, exactly as a plugin author would.
"""

from __future__ import annotations

import textwrap

import pytest

pytest_plugins = ["pytester"]

# Plugins the inner runs do not need; leaving them out keeps each inner session fast.
QUIET = ("-p", "no:cacheprovider", "-p", "no:benchmark", "-p", "no:hypothesispytest")

BASE = """
from decimal import Decimal

import pytest

from kaoping import hookimpl
from kaoping.io.dataio import dataset_from_records
from kaoping.core.results import TrailEntry, UnitScore, Veto
from kaoping.testing import Capabilities, SchemeConformance

SCHEME = {
    "id": "test.broken",
    "name": "测试方案",
    "total": 100,
    "status": {"complete": True},
    "groups": [{"id": "g", "name": "组"}],
    "parts": [
        {"id": "work", "name": "工作目标", "points": 80},
        {"id": "conduct", "name": "作风建设", "points": 20, "base": 20, "floor": 0},
    ],
    "indicators": [{"id": "target", "name": "目标完成", "part": "work", "method": "direct", "points": 80}],
    "rules": [{"id": "late", "name": "迟到", "part": "conduct", "kind": "deduction", "points": 2}],
    "vetoes": [
        {"id": "safety", "name": "安全生产", "effect": "force_grade", "grade": "不合格"},
        {"id": "order", "name": "综治", "effect": "deduct", "points": 5, "part": "conduct"},
    ],
    "grading": {
        "grades": ["优秀", "合格", "不合格"],
        "default": "合格",
        "bands": [{"id": "low", "grade": "不合格", "below": 60}],
        "quotas": [{"id": "top", "grade": "优秀", "counts": {"g": 2}}],
    },
}
VALUES = {"A": 70, "B": 65, "C": 60, "D": 55, "E": 50, "F": 40}
DATA = {
    "units": [{"unit": u, "name": f"单位{u}", "group": "g"} for u in VALUES],
    "values": [{"unit": u, "indicator": "target", "value": v} for u, v in VALUES.items()],
    "events": [{"unit": "B", "rule": "late", "count": 1}],
}
# A 70+20, B 65+20-2, C 80, D 75, E 70, F 60 (not below 60: 合格); the best two are 优秀.
EXPECTED = [
    {"unit": "A", "total": "90", "rank": 1, "grade": "优秀"},
    {"unit": "B", "total": "83", "rank": 2, "grade": "优秀"},
    {"unit": "C", "total": "80", "rank": 3, "grade": "合格"},
    {"unit": "D", "total": "75", "rank": 4, "grade": "合格"},
    {"unit": "E", "total": "70", "rank": 5, "grade": "合格"},
    {"unit": "F", "total": "60", "rank": 6, "grade": "合格"},
]


class Schemes:
    __version__ = "1.0"

    @hookimpl
    def kaoping_register_schemes(self, register):
        register(SCHEME)


class Base(SchemeConformance):
    broken = None

    @pytest.fixture
    def scheme_id(self):
        return "test.broken"

    @pytest.fixture
    def sample_data(self):
        return dataset_from_records(DATA)

    @pytest.fixture
    def expected_results(self):
        return EXPECTED

    @pytest.fixture
    def entry_points(self):
        return False

    @pytest.fixture
    def plugin_objects(self):
        extra = [("broken", self.broken())] if self.broken else []
        return [("schemes", Schemes()), *extra]
"""


def run_case(pytester: pytest.Pytester, body: str) -> pytest.RunResult:
    pytester.makepyfile(kp_base=BASE)
    pytester.makepyfile(test_case="from kp_base import *\n\n" + textwrap.dedent(body))
    return pytester.runpytest("-rfs", *QUIET)


def failed_tests(result: pytest.RunResult) -> set[str]:
    """The names of the failed tests, from the short summary (``-rf``)."""
    return {
        line.split("::")[-1].split(" ")[0] for line in result.stdout.lines if line.startswith("FAILED test_case.py")
    }


def test_a_correct_plugin_passes_with_reasons_for_each_skip(pytester: pytest.Pytester) -> None:
    result = run_case(pytester, "class TestGood(Base):\n    pass\n")
    result.assert_outcomes(passed=22, skipped=4)
    result.stdout.fnmatch_lines(["*SKIPPED*the scheme has no bonus rule (capability 'bonuses' not used)*"])
    result.stdout.fnmatch_lines(["*SKIPPED*the scheme ships no source text*"])
    result.stdout.fnmatch_lines(["*SKIPPED*the scheme or sample is built in memory*"])
    result.stdout.fnmatch_lines(["*SKIPPED*the sample data raises no veto and no plugin found one*"])


def test_a_capability_switched_off_is_skipped_with_its_reason(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class TestNoQuotas(Base):
            @pytest.fixture
            def capabilities(self):
                return Capabilities(quotas="places are assigned by the committee")
        """,
    )
    result.assert_outcomes(passed=21, skipped=5)
    result.stdout.fnmatch_lines(["*SKIPPED*capability 'quotas' switched off: places are assigned by the committee*"])


def test_unsupplied_fixtures_raise_not_implemented(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_case="""
        from kaoping.testing import SchemeConformance

        class TestUnfinished(SchemeConformance):
            pass
        """
    )
    result = pytester.runpytest(*QUIET)
    result.assert_outcomes(errors=26)
    result.stdout.fnmatch_lines(["*NotImplementedError: supply the 'scheme_id' fixture*"])


def test_wrong_expected_results_name_the_unit(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class TestWrongExpected(Base):
            @pytest.fixture
            def expected_results(self):
                return [dict(row, total="91") if row["unit"] == "A" else row for row in EXPECTED]
        """,
    )
    assert failed_tests(result) == {"test_expected_results"}
    result.stdout.fnmatch_lines(["*[[]expected-results[]]*", "*unit A: total 90, expected 91*"])


def test_a_trail_that_does_not_sum_fails(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class TenPointScore(UnitScore):
            @property
            def total(self):
                return super().total.quantize(Decimal("1E1"))

        class RoundsTotalsOutsideTheTrail:
            @hookimpl(wrapper=True)
            def kaoping_score(self):
                table = yield
                for unit, score in table.scores.items():
                    table.scores[unit] = TenPointScore(score.unit, score.parts_scored, score.trail)
                return table

        class TestTrail(Base):
            broken = RoundsTotalsOutsideTheTrail
        """,
    )
    assert "test_trail_sums" in failed_tests(result)
    result.stdout.fnmatch_lines(
        ["*[[]trail-sums[]] the explanation trail must add up to each total:*", "*unit B: the trail adds up to 83*"]
    )


def test_an_ignored_veto_fails(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        from kaoping.api import score_dataset

        class ScoresWithoutVetoes:
            @hookimpl
            def kaoping_score(self, scheme, dataset, methods):
                return score_dataset(scheme, dataset, methods)

        class TestVeto(Base):
            broken = ScoresWithoutVetoes
        """,
    )
    assert failed_tests(result) == {"test_veto_effects"}
    result.stdout.fnmatch_lines(
        [
            "*[[]veto-effects[]] a veto must have the effect its scheme declares:*",
            "*veto area 'order' (effect deduct) on unit *: total went from * (a drop of 0), "
            "the scheme declares a deduction of 5 in part 'conduct' (expected drop 5)*",
        ]
    )


def test_a_score_that_rises_with_deductions_fails(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class CreditsEveryEvent:
            @hookimpl(wrapper=True)
            def kaoping_score(self, dataset):
                table = yield
                for event in dataset.events:
                    table[event.unit].add(
                        TrailEntry("adjustment", "diligence", "每条记录加分", None, Decimal(3), plugin="broken")
                    )
                return table

        class TestMonotonic(Base):
            broken = CreditsEveryEvent

            @pytest.fixture
            def expected_results(self):
                return [dict(row, total="86") if row["unit"] == "B" else row for row in EXPECTED]
        """,
    )
    assert failed_tests(result) == {"test_deductions_never_raise"}
    result.stdout.fnmatch_lines(
        [
            "*[[]deductions-never-raise[]] more deductions must never raise a score:*",
            "*rule 'late' (deduction): one more event for unit A raised its total from 90 to 91*",
        ]
    )


def test_an_exceeded_quota_fails(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class TopThreeExcellent:
            @hookimpl(wrapper=True)
            def kaoping_apply_results(self):
                result = yield
                for unit in result.units:
                    if unit.rank is not None and unit.rank <= 3:
                        unit.grade = "优秀"
                return result

        class TestQuota(Base):
            broken = TopThreeExcellent

            @pytest.fixture
            def expected_results(self):
                return [dict(row, grade="优秀") if row["unit"] == "C" else row for row in EXPECTED]
        """,
    )
    assert "test_quotas_respected" in failed_tests(result)
    result.stdout.fnmatch_lines(
        [
            "*[[]quotas-respected[]] a quota must never be exceeded:*",
            "*quota 'top' (优秀) in group 'g': 3 units hold it (A, B, C), the quota allows 2*",
        ]
    )


def test_a_grade_against_the_bands_fails(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class SixtyIsAFail:
            @hookimpl(wrapper=True)
            def kaoping_apply_results(self):
                result = yield
                for unit in result.units:
                    if unit.total <= 60:
                        unit.grade = "不合格"
                return result

        class TestBands(Base):
            broken = SixtyIsAFail
        """,
    )
    assert "test_grades_respect_bands" in failed_tests(result)
    result.stdout.fnmatch_lines(
        ["*[[]grades-respect-bands[]]*", "*unit F: total 60 falls in the band for '合格', but it has the worse grade*"]
    )


def test_nondeterministic_output_fails(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        import itertools

        RUNS = itertools.count(1)

        class NumbersEachRun:
            @hookimpl(wrapper=True)
            def kaoping_apply_results(self):
                result = yield
                result.notes.append(f"run {next(RUNS)}")
                return result

        class TestDeterminism(Base):
            broken = NumbersEachRun
        """,
    )
    assert {"test_rerun_identical", "test_shuffle_identical"} <= failed_tests(result)
    result.stdout.fnmatch_lines(["*[[]rerun-identical[]] the same host scored the same data differently:*"])


def test_output_that_depends_on_row_order_fails(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class ListsUnitsInFileOrder:
            @hookimpl(wrapper=True)
            def kaoping_apply_results(self, dataset):
                result = yield
                result.notes.append("units: " + ", ".join(u.id for u in dataset.units))
                return result

        class TestOrder(Base):
            broken = ListsUnitsInFileOrder
        """,
    )
    assert failed_tests(result) == {"test_shuffle_identical"}
    result.stdout.fnmatch_lines(["*[[]shuffle-identical[]] the result depends on row order (reversed rows)*"])


def test_misattributed_vetoes_and_unknown_plugins_fail(pytester: pytest.Pytester) -> None:
    # An unnamed veto is named by the host; one that names another plugin is a provenance failure.
    result = run_case(
        pytester,
        """
        SCHEME["vetoes"] = [*SCHEME["vetoes"], {"id": "local", "name": "本地记录", "effect": "record"}]

        class ForgetsItsName:
            @hookimpl
            def kaoping_check_vetoes(self, scheme, dataset):
                return [Veto(unit="F", area="local", effect="record", plugin="builtin")]

            # a plain scorer (the host names what a wrapper adds, not what a scorer of its own builds)
            @hookimpl(tryfirst=True)
            def kaoping_score(self, scheme, dataset, vetoes, methods):
                from kaoping.api import score_dataset

                table = score_dataset(scheme, dataset, methods, vetoes)
                table["A"].add(TrailEntry("adjustment", "ghost", "幽灵", None, Decimal(0), plugin="ghost"))
                table["B"].add(TrailEntry("adjustment", "unsigned", "未署名", None, Decimal(0)))
                return table

        class TestProvenance(Base):
            broken = ForgetsItsName
        """,
    )
    # ('local' is declared: a veto in an undeclared area is refused by the host before any check, see
    # test_suite_catches_robustness.py)
    assert failed_tests(result) == {"test_provenance"}
    result.stdout.fnmatch_lines(
        [
            "*[[]provenance[]] every result must name the plugin that produced it:*",
            "*unit A: trail entry 'ghost' names plugin 'ghost', which is not registered*",
            "*plugin 'broken' returned a veto 'local' for unit F that names plugin 'builtin'*",
            "*unit B: trail entry 'unsigned' (adjustment, 0) says plugin 'builtin', but the core engine does not*",
        ]
    )


def test_a_plugin_veto_without_its_effect_fails(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class ForcesButIsOverruled:
            @hookimpl
            def kaoping_check_vetoes(self, scheme, dataset):
                return [Veto(unit="A", area="safety", effect="force_grade", grade="不合格", plugin="broken")]

            @hookimpl(wrapper=True)
            def kaoping_apply_results(self):
                result = yield
                result.by_unit()["A"].grade = "优秀"
                return result

        class TestSampleVetoes(Base):
            broken = ForcesButIsOverruled

            @pytest.fixture
            def expected_results(self):
                return EXPECTED
        """,
    )
    assert "test_sample_vetoes_applied" in failed_tests(result)
    result.stdout.fnmatch_lines(
        [
            "*[[]sample-vetoes-applied[]]*",
            "*unit A: veto 'safety' from plugin 'broken' (effect force_grade): grade '优秀'*",
        ]
    )


def test_a_scheme_whose_parts_do_not_add_up_fails_validation(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class Short:
            __version__ = "1.0"

            @hookimpl
            def kaoping_register_schemes(self, register):
                register(dict(SCHEME, id="test.short", total=110))

        class TestShort(Base):
            broken = Short

            @pytest.fixture
            def scheme_id(self):
                return "test.short"
        """,
    )
    assert "test_scheme_validates" in failed_tests(result)
    result.stdout.fnmatch_lines(
        ["*[[]scheme-validates[]] SchemeError*parts add up to 100, but the scheme's total is 110*"]
    )


def test_a_sample_that_needs_deployment_numbers_fails_once_and_the_overrides_fixture_fixes_it(
    pytester: pytest.Pytester,
) -> None:
    result = run_case(
        pytester,
        """
        OPEN = dict(SCHEME, id="test.open", rules=[*SCHEME["rules"], {
            "id": "visit", "name": "暗访", "part": "conduct", "kind": "deduction", "required": ["points"],
        }])
        OPEN_DATA = dict(DATA, events=[*DATA["events"], {"unit": "F", "rule": "visit"}])

        class OpenScheme:
            __version__ = "1.0"

            @hookimpl
            def kaoping_register_schemes(self, register):
                register(OPEN)

        class TestWithoutNumbers(Base):
            broken = OpenScheme

            @pytest.fixture
            def scheme_id(self):
                return "test.open"

            @pytest.fixture
            def sample_data(self):
                return dataset_from_records(OPEN_DATA)

        class TestWithNumbers(TestWithoutNumbers):
            @pytest.fixture
            def overrides(self):
                return {"rules": [{"id": "visit", "points": 1}]}

            @pytest.fixture
            def expected_results(self):
                return [dict(row, total="59", grade="不合格") if row["unit"] == "F" else row for row in EXPECTED]
        """,
    )
    assert failed_tests(result) == {"test_sample_loads"}
    result.stdout.fnmatch_lines(
        [
            "*[[]sample-loads[]] the sample does not score: InputError*'visit' is used by the data*",
            "*is scored with them from overrides.toml in the sample folder, or the overrides fixture*",
        ]
    )
    result.stdout.fnmatch_lines(["*SKIPPED*the sample does not score (see sample-loads)*"])
    assert "TestWithNumbers::test_sample_loads" not in result.stdout.str()
