"""Broken copies of the example plugin: each has one defect an author makes, and the whole suite must fail it.

The example third-party plugin (examples/kaoping-example-local) is copied once per mutant into a temporary
directory, one line or one hook changed the way an author would get it wrong, and the full conformance suite
runs on every copy in one inner session, plus the unmutated copy, which must pass. Each mutant names the
issue-16 defect class it belongs to and the check that must fail with a message naming the defect;
``test_every_mutant_is_caught_by_its_check`` reports every mutant the suite lets through, and the catch
rate is recorded in docs/conformance.md.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import attrs
import pytest

from tests.testing.test_suite_catches_broken_plugins import QUIET

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "kaoping-example-local" / "kaoping_example_local"
SCHEME_LINE = 'threshold = int(scheme.parameters.get("legal_veto_threshold", 2))'
PEOPLE_LINE = (
    "people = sum(event.count for event in events if event.rule == PROSECUTION_RULE and not event.self_reported)"
)
VETO_LINE = 'area.veto(unit, note=f"被追究刑事责任{people}人次(≥{threshold})", source="区效能办(由事件表认定)")'
IMPORT_LINE = "from kaoping.api import Dataset, RegisterScheme, Scheme, Veto, hookimpl"


@attrs.frozen
class Mutant:
    """One defect: ``replace`` (old, new) pairs in the example's ``__init__.py``, code appended to it, and
    files of the copy to append lines to (``sample/units.csv`` → text)."""

    name: str
    defect: str  # the issue-16 class (1–11) or "friction"
    check: str  # the conformance test that must fail
    message: str  # an fnmatch pattern its failure prints
    replace: tuple[tuple[str, str], ...] = ()
    append: str = ""
    files: tuple[tuple[str, str], ...] = ()
    edits: tuple[tuple[str, str, str], ...] = ()  # (file of the copy, old, new)
    warns: bool = False  # caught by a ConformanceWarning in pytest's warnings summary, not by a failure


MUTANTS = [
    # 1 — a cap not applied
    Mutant(
        "contribution_past_the_part_cap",
        "1 cap",
        "test_caps_hold",
        "*part 'innovation' has *, over its cap 100*",
        append='''
        @hookimpl(wrapper=True)
        def kaoping_score(scheme, dataset):
            """「每个项目按完成程度奖励30分」: the district's own count of 突出贡献 projects, added after scoring."""
            table = yield
            for event in dataset.events:
                if event.rule == "contribution":
                    table[event.unit].add(TrailEntry("rule", "district_contribution", "区级突出贡献", "innovation",
                                                     Decimal(30) * event.count, plugin="example_local"))
            return table
        ''',
    ),
    Mutant(
        "visit_deducted_past_the_floor",
        "1 cap",
        "test_caps_hold",
        "*part 'efficiency' has -*, under its floor 0*",
        append='''
        @hookimpl(wrapper=True)
        def kaoping_score(scheme, dataset):
            """「暗访每人次另扣2分」 (district): taken from 效能建设 after the core closed the part at its floor."""
            table = yield
            for event in dataset.events:
                if event.rule == "unannounced_visit":
                    table[event.unit].add(TrailEntry("rule", "visit_extra", "暗访另扣", "efficiency",
                                                     Decimal(-2) * event.count, plugin="example_local"))
            return table
        ''',
    ),
    # 2 — an override that changes nothing
    Mutant(
        "threshold_hard_coded",
        "2 override",
        "test_overrides_matter",
        "*parameter 'legal_veto_threshold' = 2 is never read*",
        replace=((SCHEME_LINE, "threshold = 2  # 「2人次以上」"),),
    ),
    Mutant(
        "threshold_read_from_the_file",
        "2 override",
        "test_overrides_matter",
        "*parameter 'legal_veto_threshold' = 2 is never read*",
        replace=(
            (SCHEME_LINE, "threshold = THRESHOLD"),
            (
                'LEGAL_AREA = "legal"',
                'LEGAL_AREA = "legal"\ntry:\n    import tomllib\n'
                "except ImportError:  # Python 3.10\n    import tomli as tomllib\n"
                'THRESHOLD = tomllib.loads(DERIVED_FILE.read_text(encoding="utf-8"))["parameters"]'
                '["legal_veto_threshold"]',
            ),
        ),
    ),
    # 3 — bad data accepted
    Mutant(
        "rows_of_unknown_units_dropped",
        "3 bad data",
        "test_bad_data_refused",
        "*bad sample unknown_unit: validates and scores, but it is in the bad samples*",
        append='''
        @hookimpl(wrapper=True)
        def kaoping_load_dataset(source, scheme):
            """Rows of units the district does not have are someone else's: quietly left out."""
            dataset = yield
            if dataset is None:
                return dataset
            known = {unit.id for unit in dataset.units}
            return dataset.evolve(events=tuple(e for e in dataset.events if e.unit in known))
        ''',
    ),
    Mutant(
        "missing_value_scored_zero",
        "3 bad data",
        "test_bad_data_refused",
        "*bad sample missing_value: validates and scores, but it is in the bad samples*",
        append='''
        @hookimpl(wrapper=True)
        def kaoping_load_dataset(source, scheme):
            """A unit without a 基本工作目标 score gets 0 (「未报送的按0分计」, the author's guess)."""
            dataset = yield
            if dataset is None:
                return dataset
            have = {row.unit for row in dataset.values if row.indicator == "basic_targets"}
            zeros = tuple(ValueRow(u.id, "basic_targets", Decimal(0)) for u in dataset.units if u.id not in have)
            return dataset.evolve(values=dataset.values + zeros)
        ''',
    ),
    # 4 — crashes on edge data
    Mutant(
        "largest_count_of_no_events",
        "4 edge data",
        "test_edge_data",
        "*crashed:*kaoping_check_vetoes*ValueError*",
        replace=(
            (
                "reported = {(row.unit, row.area) for row in dataset.vetoes}",
                "reported = {(row.unit, row.area) for row in dataset.vetoes}\n"
                "    largest = max(e.count for e in dataset.events if e.rule == PROSECUTION_RULE)  # 本年最多人次",
            ),
        ),
    ),
    Mutant(
        "unit_without_review_rows",
        "4 edge data",
        "test_edge_data",
        "*crashed:*kaoping_validate_dataset*KeyError*",
        append='''
        @hookimpl
        def kaoping_validate_dataset(scheme, dataset):
            """「综合评议」 needs at least two raters per unit."""
            rows = dataset.values_by_indicator["comprehensive_review"]
            return [Problem(f"{u.id}: fewer than two raters") for u in dataset.units if len(rows[u.id]) < 2]
        ''',
    ),
    # 5 — non-determinism one process cannot see
    Mutant(
        "today_in_the_veto_note",
        "5 determinism",
        "test_fresh_process_identical",
        "*differ*",
        replace=((VETO_LINE, VETO_LINE.replace('(≥{threshold})"', '(≥{threshold}),认定于{date.today()}"')),),
        append="from datetime import date\n",
    ),
    Mutant(
        "matters_listed_from_a_set",
        "5 determinism",
        "test_fresh_process_identical",
        "*differ*",
        replace=(
            (
                VETO_LINE,
                'area.veto(unit, note="、".join({e.matter for e in events if e.rule == PROSECUTION_RULE}),'
                ' source="区效能办(由事件表认定)")',
            ),
        ),
    ),
    # 6 — points or vetoes where they do not belong
    Mutant(
        "veto_on_a_unit_id_retyped",
        "6 belong",
        "test_sample_loads",
        "*plugin 'example_local' (hook kaoping_check_vetoes) vetoes unit 'l2-01'*no such unit*",
        replace=((VETO_LINE, VETO_LINE.replace("area.veto(unit,", "area.veto(unit.lower(),")),),
    ),
    Mutant(
        "openness_points_to_every_unit",
        "6 belong",
        "test_points_belong",
        "*unit L9-01 (group non_series)*into part 'innovation', which the group is not scored on*",
        append='''
        @hookimpl(wrapper=True)
        def kaoping_score(scheme, dataset):
            """「政务公开示范单位」 2 points for every unit of the district (区级认定)."""
            table = yield
            for unit in dataset.units:
                table[unit.id].add(TrailEntry("rule", "openness", "政务公开示范", "innovation", Decimal(2),
                                              plugin="example_local"))
            return table
        ''',
        files=(
            ("sample/units.csv", "L9-01,区人大机关,non_series\n"),
            ("sample/values.csv", "L9-01,public_review,250,\n"),
        ),
    ),
    # 7 — ties
    Mutant(
        "tie_broken_by_name",
        "7 ties",
        "test_ties_share_ranks",
        "*",
        append='''
        @hookimpl(wrapper=True)
        def kaoping_apply_results(scheme, dataset):
            """Equal totals are ordered by name so that the list reads well."""
            result = yield
            for group in {u.group for u in result.units}:
                members = sorted((u for u in result.units if u.group == group), key=lambda u: (-u.total, u.name))
                for place, unit in enumerate(members, start=1):
                    unit.rank = place
            return result
        ''',
    ),
    Mutant(
        "dense_ranks",
        "7 ties",
        "test_ties_share_ranks",
        "*",
        append='''
        @hookimpl(wrapper=True)
        def kaoping_apply_results(scheme, dataset):
            """并列 shares a place and the next unit takes the next one (1, 1, 2)."""
            result = yield
            for group in sorted({u.group for u in result.units}):
                totals = sorted({u.total for u in result.units if u.group == group}, reverse=True)
                for unit in result.units:
                    if unit.group == group:
                        unit.rank = totals.index(unit.total) + 1
            return result
        ''',
    ),
    # 8 — input mutated
    Mutant(
        "count_written_into_the_units_table",
        "8 input",
        "test_input_unchanged",
        "*units row * changed attributes*",
        replace=(
            (PEOPLE_LINE, PEOPLE_LINE + '\n        dataset.unit_by_id[unit].attributes["prosecuted"] = str(people)'),
        ),
    ),
    Mutant(
        "rater_rows_trimmed_in_place",
        "8 input",
        "test_input_unchanged",
        "*values row * changed*",
        append='''
        @hookimpl
        def kaoping_validate_dataset(scheme, dataset):
            """Rater names are tidied ("评委1 " → "评委1") before the check, in the rows themselves."""
            for row in dataset.values:
                if row.item and not row.item.startswith("评委:"):
                    object.__setattr__(row, "item", "评委:" + row.item)
            return []
        ''',
    ),
    # 9 — quotes: word for word from the shipped text, and agreeing with the points
    Mutant(
        "quote_paraphrased",
        "9 quotes",
        "test_quotes_in_source",
        "*vetoes[legal]: quote fragment*is not in source.txt*",
        edits=(
            (
                "derived.toml",
                'quote = "一年内被追究刑事责任2人次以上的单位,不得评为优秀(示例)"',
                'quote = "一年内被追究刑事责任两人次及以上的单位不得评优(示例)"',
            ),
        ),
    ),
    Mutant(
        "points_contradict_the_quote",
        "9 quotes",
        "test_quotes_in_source",
        "*rules[unannounced_visit]: points 3, but its quote states 2*",
        edits=(("derived.toml", "points = 2\nquote = ", "points = 3\nquote = "),),
        warns=True,
    ),
    # 10 — a crash is one failure naming the hook and the line
    Mutant(
        "attribute_typo",
        "10 crash",
        "test_sample_loads",
        "*kaoping_check_vetoes*__init__.py:*AttributeError*",
        replace=(("and not event.self_reported", "and not event.selfreported"),),
    ),
    Mutant(
        "share_of_no_events",
        "10 crash",
        "test_sample_loads",
        "*kaoping_check_vetoes*__init__.py:*ZeroDivisionError*",
        replace=((PEOPLE_LINE, PEOPLE_LINE + "\n        share = people / (people - people)"),),
    ),
    # 11 — expected results state vetoes and consequences
    Mutant(
        "threshold_off_by_one",
        "11 expected",
        "test_expected_results",
        "*L2-01*veto*",
        replace=(("if people < threshold or", "if people <= threshold or"),),
    ),
    Mutant(
        "bonus_factor_hard_coded",
        "11 expected",
        "test_expected_results",
        "*bonus_factor*",
        append='''
        @hookimpl(wrapper=True)
        def kaoping_apply_results(scheme, dataset):
            """区里奖金: 优秀 units get 1.2 times the average (the district's figure, typed in here)."""
            result = yield
            for unit in result.units:
                if unit.grade == "优秀":
                    unit.consequences["bonus_factor"] = Decimal("1.2")
            return result
        ''',
    ),
    # authoring friction: a hook that wraps the veto collection is refused at start-up, naming the plugin
    Mutant(
        "veto_hook_as_a_wrapper",
        "friction",
        "test_scheme_validates",
        "*example_local*wraps kaoping_check_vetoes*",
        append='''
        @hookimpl(wrapper=True, specname="kaoping_check_vetoes")
        def drop_city_vetoes(scheme, dataset):
            """The district keeps only its own vetoes: the city's are filtered out of everyone's."""
            found = yield
            return [vetoes for vetoes in found if vetoes]
        ''',
    ),
]

# Authoring routes that must stay green: a copy changed the way the docs say is right.
PASSING = [
    Mutant(
        "threshold_set_by_the_deployment",
        "friction",
        "",
        "",
        replace=((SCHEME_LINE, 'threshold = int(scheme.parameter("legal_veto_threshold", "「2人次以上」"))'),),
        edits=(("derived.toml", "legal_veto_threshold = 2", 'required = ["legal_veto_threshold"]'),),
        files=(("sample/overrides.toml", "[parameters]\nlegal_veto_threshold = 2\n"),),
    ),
]

HEADER = """
import importlib
from pathlib import Path

import pytest

from kaoping.testing import SchemeConformance, read_expected


def conformance_of(package):
    module = importlib.import_module(package)
    sample = Path(module.__file__).with_name("sample")

    class Case(SchemeConformance):
        @pytest.fixture
        def scheme_id(self):
            return "fujian.longwen"

        @pytest.fixture
        def sample_data(self):
            return sample

        @pytest.fixture
        def expected_results(self):
            return read_expected(sample / "expected.csv")

        @pytest.fixture
        def entry_points(self):
            return False

        @pytest.fixture
        def plugin_objects(self):
            return [("example_local", module)]

    return Case
"""

MUTANT_IMPORTS = "from decimal import Decimal\nfrom kaoping.api import Problem, TrailEntry, ValueRow\n"


def build(root: Path, package: str, mutant: Mutant | None) -> None:
    """A copy of the example package named ``package``, with the mutant's defect."""
    target = root / package
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__"))
    if mutant is None:
        return
    init = target / "__init__.py"
    code = init.read_text(encoding="utf-8")
    for old, new in mutant.replace:
        assert old in code, f"{mutant.name}: the example no longer has {old!r}"
        code = code.replace(old, new)
    code = code.replace(IMPORT_LINE, IMPORT_LINE + "\n" + MUTANT_IMPORTS)
    init.write_text(code + textwrap.dedent(mutant.append), encoding="utf-8")
    for name, old, new in mutant.edits:
        text = (target / name).read_text(encoding="utf-8")
        assert old in text, f"{mutant.name}: the example's {name} no longer has {old!r}"
        (target / name).write_text(text.replace(old, new), encoding="utf-8")
    for name, lines in mutant.files:
        with (target / name).open("a", encoding="utf-8") as handle:
            handle.write(lines)


@attrs.frozen
class InnerRun:
    outlines: list[str]


@pytest.fixture(scope="module")
def inner(tmp_path_factory: pytest.TempPathFactory) -> InnerRun:
    """The full suite on every copy, in one pytest process run as an author runs it (cwd = the copies)."""
    root = tmp_path_factory.mktemp("mutants")
    build(root, "unmutated", None)
    classes = ["TestUnmutated = conformance_of('unmutated')"]
    for mutant in [*MUTANTS, *PASSING]:
        build(root, f"mut_{mutant.name}", mutant)
        classes.append(f"Test_{mutant.name} = conformance_of('mut_{mutant.name}')")
    (root / "test_mutants.py").write_text(HEADER + "\n" + "\n".join(classes) + "\n", encoding="utf-8")
    env = dict(os.environ, KAOPING_LANG="en", PYTHONPATH=os.pathsep.join([str(root), *sys.path]))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-rfEs",
            *QUIET,
            "-p",
            "no:randomly",
            "--rootdir",
            str(root),
            "test_mutants.py",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=1500,
    )
    return InnerRun((done.stdout + done.stderr).splitlines())


def failures(result: InnerRun) -> dict[str, dict[str, str]]:
    """class → failed test → its summary line."""
    found: dict[str, dict[str, str]] = {}
    for line in result.outlines:
        matched = re.match(r"(?:FAILED|ERROR) test_mutants\.py::(\w+)::(\w+)", line)
        if matched:
            found.setdefault(matched.group(1), {})[matched.group(2)] = line
    return found


def test_the_unmutated_example_passes(inner: InnerRun) -> None:
    # the inner session must have run at all: an error while collecting would leave no FAILED line to find
    assert not any(
        "error during collection" in line or line.startswith("ERROR test_mutants.py ") for line in inner.outlines
    ), "\n".join(inner.outlines[:60])
    assert "TestUnmutated" not in failures(inner), "\n".join(inner.outlines[-60:])


@pytest.mark.parametrize("variant", PASSING, ids=[m.name for m in PASSING])
def test_the_documented_routes_pass(inner: InnerRun, variant: Mutant) -> None:
    # a threshold left to the deployment (required, no default in the code) and set by the sample's
    # overrides.toml: the pytest route applies that file as `kaoping conformance` does
    assert f"Test_{variant.name}" not in failures(inner), failures(inner).get(f"Test_{variant.name}")


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_every_mutant_is_caught_by_its_check(inner: InnerRun, mutant: Mutant) -> None:
    failed = failures(inner).get(f"Test_{mutant.name}", {})
    if mutant.warns:
        # a quote stating other numbers than the points may still be right: a warning the author reads
        section = warnings_section(inner, f"Test_{mutant.name}::{mutant.check}")
        assert re.search(_pattern(mutant.message), section, re.S), f"{mutant.name}: no {mutant.message!r} warning"
        assert mutant.check not in failed, f"{mutant.name}: a warning, not a failure"
        return
    assert mutant.check in failed, f"{mutant.name} ({mutant.defect}) failed only {sorted(failed)}"
    section = failure_section(inner, f"Test_{mutant.name}.{mutant.check}")
    assert re.search(_pattern(mutant.message), section, re.S), f"{mutant.name}: no {mutant.message!r} in its failure"


def failure_section(result: InnerRun, title: str) -> str:
    """The report of one failed test: from its ``____ Class.test ____`` header to the next header."""
    lines, inside = [], False
    for line in result.outlines:
        if line.startswith("____") or line.startswith("===="):
            inside = f" {title} " in line
            continue
        if inside:
            lines.append(line)
    return "\n".join(lines)


def warnings_section(result: InnerRun, test: str) -> str:
    """pytest's warnings summary from the line naming ``test`` to the next blank line."""
    lines, inside = [], False
    for line in result.outlines:
        if test in line and "warnings summary" not in line:
            inside = True
        elif inside and not line.strip():
            inside = False
        if inside:
            lines.append(line)
    return "\n".join(lines)


def _pattern(glob: str) -> str:
    return ".*?".join(re.escape(part) for part in glob.strip("*").split("*"))


def test_every_defect_class_has_two_mutants() -> None:
    per_class: dict[str, int] = {}
    for mutant in MUTANTS:
        per_class[mutant.defect] = per_class.get(mutant.defect, 0) + 1
    assert {c: n for c, n in per_class.items() if n < 2 and c != "friction"} == {}
