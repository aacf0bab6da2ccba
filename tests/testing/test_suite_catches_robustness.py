"""The robustness checks prove themselves: each broken plugin has one realistic defect, and only the check
made for that defect fails, with a message that tells the author what to fix.
"""

from __future__ import annotations

import textwrap

import pytest

from tests.testing.test_suite_catches_broken_plugins import BASE, QUIET, failed_tests

pytest_plugins = ["pytester"]


def run_case(pytester: pytest.Pytester, body: str, only: str) -> pytest.RunResult:
    """Run the broken plugin through the check under test (and the checks it rests on), not the whole suite."""
    pytester.makepyfile(kp_base=BASE)
    pytester.makepyfile(test_case="from kp_base import *\n\n" + textwrap.dedent(body))
    return pytester.runpytest("-rfs", *QUIET, "-k", f"{only} or test_sample_loads or test_scheme_validates")


def test_a_deduction_past_the_floor_fails_caps_hold(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class DeductsAfterThePartIsClosed:
            # 扣完为止 forgotten: every late event costs 2 more points after the core closed the part
            @hookimpl(wrapper=True)
            def kaoping_score(self, dataset):
                table = yield
                for event in dataset.events:
                    if event.rule == "late":
                        table[event.unit].add(
                            TrailEntry("rule", "late_extra", "迟到加扣", "conduct", Decimal(-2 * event.count),
                                       plugin="broken")
                        )
                return table

        class TestCaps(Base):
            broken = DeductsAfterThePartIsClosed

            @pytest.fixture
            def expected_results(self):
                return [dict(row, total="81") if row["unit"] == "B" else row for row in EXPECTED]
        """,
        only="test_caps_hold",
    )
    assert "test_caps_hold" in failed_tests(result)
    result.stdout.fnmatch_lines(["*[[]caps-hold[]]*", "*part 'conduct' has -*, under its floor 0*"])


def test_a_hard_coded_parameter_fails_overrides_matter(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        SCHEME["parameters"] = {"late_extra_points": 1}

        class HardCodesItsNumber:
            @hookimpl(wrapper=True)
            def kaoping_score(self, dataset):
                table = yield
                for event in dataset.events:
                    if event.rule == "late":
                        table[event.unit].add(
                            TrailEntry("adjustment", "late_extra", "迟到另扣", None, Decimal(-1), plugin="broken")
                        )
                return table

        class TestOverrides(Base):
            broken = HardCodesItsNumber

            @pytest.fixture
            def expected_results(self):
                return [dict(row, total="82") if row["unit"] == "B" else row for row in EXPECTED]
        """,
        only="test_overrides_matter",
    )
    assert failed_tests(result) == {"test_overrides_matter"}
    result.stdout.fnmatch_lines(["*[[]overrides-matter[]]*", "*parameter 'late_extra_points' = 1 is never read*"])


def test_accepting_rows_of_unknown_units_fails_bad_data_refused(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class SilencesUnknownUnits:
            @hookimpl(wrapper=True)
            def kaoping_validate_dataset(self):
                found = yield  # one list of problems per implementation
                return [[p for p in problems if "unit" not in p.message] for problems in found]

        class TestBadData(Base):
            broken = SilencesUnknownUnits
        """,
        only="test_bad_data_refused",
    )
    assert "test_bad_data_refused" in failed_tests(result)
    result.stdout.fnmatch_lines(["*[[]bad-data-refused[]]*", "*for unknown unit*accepted without a problem*"])


def test_a_crash_on_empty_data_fails_edge_data_naming_the_hook(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class AssumesRows:
            @hookimpl
            def kaoping_validate_dataset(self, scheme, dataset):
                best = max(row.value for row in dataset.values)  # empty data: ValueError
                return [] if best else []

        class TestEdge(Base):
            broken = AssumesRows
        """,
        only="test_edge_data",
    )
    assert failed_tests(result) == {"test_edge_data"}
    result.stdout.fnmatch_lines(["*[[]edge-data[]]*", "*crashed:*kaoping_validate_dataset*test_case.py:*ValueError*"])


def test_one_crash_is_one_failure_naming_hook_and_line(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class Crashes:
            @hookimpl
            def kaoping_score(self, scheme, dataset, vetoes, methods):
                return 1 / 0

        class TestCrash(Base):
            broken = Crashes
        """,
        only="test_sample_loads",
    )
    assert failed_tests(result) == {"test_sample_loads"}
    result.stdout.fnmatch_lines(["*kaoping_score*test_case.py:*ZeroDivisionError: division by zero*"])


def test_a_veto_for_an_unknown_unit_is_refused_by_the_host(pytester: pytest.Pytester) -> None:
    # the host refuses the veto (kaoping.core.validate.plugin_veto_problems): the sample does not score, the
    # failure names the plugin, the hook and the unit, and points-belong is skipped pointing to it
    result = run_case(
        pytester,
        """
        class VetoesAGhost:
            @hookimpl
            def kaoping_check_vetoes(self, scheme, dataset):
                return [Veto(unit="ZZ", area="order", effect="deduct", points=Decimal(5), part="conduct",
                             plugin="broken")]

        class TestBelong(Base):
            broken = VetoesAGhost
        """,
        only="test_points_belong",
    )
    assert failed_tests(result) == {"test_sample_loads"}
    result.stdout.fnmatch_lines(
        ["*[[]sample-loads[]]*plugin 'broken' (hook kaoping_check_vetoes) vetoes unit 'ZZ'*no such unit*"]
    )


def test_ties_broken_by_id_fail_ties_share_ranks(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class RanksOneByOne:
            @hookimpl(wrapper=True)
            def kaoping_apply_results(self):
                result = yield
                for position, unit in enumerate(sorted(result.units, key=lambda u: (-u.total, u.unit)), 1):
                    unit.rank = position
                return result

        class TestTies(Base):
            broken = RanksOneByOne
        """,
        only="test_ties_share_ranks",
    )
    assert failed_tests(result) == {"test_ties_share_ranks"}
    result.stdout.fnmatch_lines(["*[[]ties-share-ranks[]]*", "*has rank 2, expected 1*"])


def test_a_hook_that_edits_its_input_fails_input_unchanged(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class RoundsValuesInPlace:
            @hookimpl(wrapper=True)
            def kaoping_score(self, dataset):
                for row in dataset.values:
                    row.value = row.value.quantize(Decimal(1))
                    row.note = "已取整"
                return (yield)

        class TestInput(Base):
            broken = RoundsValuesInPlace
        """,
        only="test_input_unchanged",
    )
    assert "test_input_unchanged" in failed_tests(result)
    result.stdout.fnmatch_lines(["*[[]input-unchanged[]]*", "*values row 1 (unit A) changed note: '' → '已取整'*"])


def test_todays_date_in_a_result_fails_fresh_process_identical(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        kp_dated="""
        import datetime
        from decimal import Decimal

        from kaoping import hookimpl
        from kaoping.core.results import TrailEntry

        class StampsToday:
            @hookimpl(wrapper=True)
            def kaoping_score(self):
                table = yield
                for score in table:
                    score.add(TrailEntry("adjustment", "stamp", "评分日期", None, Decimal(0),
                                         note=datetime.date.today().isoformat(), plugin="dated"))
                return table
        """
    )
    sample = pytester.mkdir("sample")
    (sample / "units.csv").write_text(
        "unit,name,group\n" + "".join(f"{u},单位{u},g\n" for u in "ABCDEF"), encoding="utf-8"
    )
    (sample / "values.csv").write_text(
        "unit,indicator,value\n"
        + "".join(f"{u},target,{v}\n" for u, v in zip("ABCDEF", (70, 65, 60, 55, 50, 40), strict=True)),
        encoding="utf-8",
    )
    (sample / "events.csv").write_text("unit,rule,count\nB,late,1\n", encoding="utf-8")
    result = run_case(
        pytester,
        """
        from kp_dated import StampsToday
        from pathlib import Path

        class TestClock(Base):
            @pytest.fixture
            def sample_data(self):
                return Path("sample").resolve()

            @pytest.fixture
            def plugin_objects(self):
                return [("schemes", Schemes()), ("dated", StampsToday())]
        """,
        only="test_fresh_process_identical",
    )
    assert "test_fresh_process_identical" in failed_tests(result)
    result.stdout.fnmatch_lines(["*[[]fresh-process-identical[]]*clock at 2041-07-15*"])


def test_expected_vetoes_and_consequences_are_checked(pytester: pytest.Pytester) -> None:
    result = run_case(
        pytester,
        """
        class TestExpectedVetoes(Base):
            @pytest.fixture
            def expected_results(self):
                return [dict(row, vetoes="safety" if row["unit"] == "A" else "", consequences="")
                        for row in EXPECTED]
        """,
        only="test_expected_results",
    )
    assert failed_tests(result) == {"test_expected_results"}
    result.stdout.fnmatch_lines(["*unit A: vetoes [[][]], expected [[]'safety'[]]*"])


def test_a_missing_consequence_is_reported_for_every_unit(pytester: pytest.Pytester) -> None:
    # each unit's consequences are compared after the previous unit's; every unit is reported, none skipped
    result = run_case(
        pytester,
        """
        class TestExpectedConsequences(Base):
            @pytest.fixture
            def expected_results(self):
                return [dict(row, consequences="bonus=1") for row in EXPECTED]
        """,
        only="test_expected_results",
    )
    assert failed_tests(result) == {"test_expected_results"}
    result.stdout.fnmatch_lines(["*unit A: consequence bonus = '', expected '1'*"])
    result.stdout.fnmatch_lines(["*unit B: consequence bonus = '', expected '1'*"])


def test_a_misquoted_rule_fails_quotes_in_source(pytester: pytest.Pytester) -> None:
    pytester.path.joinpath("source.txt").write_text("三、考核办法。上班迟到的，每次扣2分。", encoding="gb18030")
    pytester.path.joinpath("scheme.toml").write_text(
        """
id = "test.quoted"
name = "引文方案"
total = 100
[source]
text = "source.txt"
[status]
complete = true
[[groups]]
id = "g"
name = "组"
[[parts]]
id = "conduct"
name = "作风建设"
points = 100
base = 100
floor = 0
[[rules]]
id = "late"
name = "迟到"
part = "conduct"
kind = "deduction"
points = 3
quote = "上班迟到的，每次扣3分"
""",
        encoding="utf-8",
    )
    result = run_case(
        pytester,
        """
        from pathlib import Path

        class QuotedSchemes:
            __version__ = "1.0"

            @hookimpl
            def kaoping_register_schemes(self, register):
                register(Path("scheme.toml").resolve())

        class TestQuotes(Base):
            @pytest.fixture
            def scheme_id(self):
                return "test.quoted"

            @pytest.fixture
            def plugin_objects(self):
                return [("quoted", QuotedSchemes())]
        """,
        only="test_quotes_in_source",
    )
    assert "test_quotes_in_source" in failed_tests(result)
    result.stdout.fnmatch_lines(
        ["*[[]quotes-in-source[]]*", "*quote fragment '上班迟到的，每次扣3分' is not in source.txt*"]
    )
