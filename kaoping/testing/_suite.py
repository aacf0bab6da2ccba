"""Base test classes, one per stage, bundled into :class:`SchemeConformance`.

An author's whole test file::

    import pytest
    from kaoping.testing import SchemeConformance, read_expected
    from my_plugin import SAMPLE_DATA

    class TestMyScheme(SchemeConformance):
        @pytest.fixture
        def scheme_id(self):
            return "zhejiang.example"

        @pytest.fixture
        def sample_data(self):
            return SAMPLE_DATA

        @pytest.fixture
        def expected_results(self):
            return read_expected(SAMPLE_DATA / "expected.csv")

The three fixtures above raise ``NotImplementedError`` until supplied. The others have defaults an
author may override: ``capabilities``, ``lower_is_better``, ``overrides``, ``plugin_objects``,
``entry_points``, ``deployment_config`` and ``county``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from kaoping.core.models import Dataset
from kaoping.locale import _
from kaoping.testing._checks import CHECKS, CheckSkipped
from kaoping.testing._discovery import find_overrides
from kaoping.testing._expected import Expected, read_expected
from kaoping.testing._subject import Capabilities, Subject, deployment_resolver, host_resolver


def run_check(subject: Subject, check_id: str) -> None:
    """Run one check; a check that does not apply becomes a pytest skip carrying its reason."""
    try:
        CHECKS[check_id](subject)
    except CheckSkipped as skipped:
        pytest.skip(str(skipped))


class _Fixtures:
    """The fixtures every stage class uses; the first three must be supplied by the author."""

    @pytest.fixture
    def scheme_id(self) -> str:
        raise NotImplementedError(_("supply the 'scheme_id' fixture: the id of the scheme under test"))

    @pytest.fixture
    def sample_data(self) -> Path | Dataset:
        raise NotImplementedError(_("supply the 'sample_data' fixture: the sample folder (SAMPLE_DATA) or a Dataset"))

    @pytest.fixture
    def expected_results(self) -> Path | Expected | Sequence[Mapping[str, Any]]:
        raise NotImplementedError(
            _("supply the 'expected_results' fixture: expected.csv / expected.json, or records with unit and total")
        )

    @pytest.fixture
    def capabilities(self) -> Capabilities:
        """Detected from the scheme; return ``Capabilities(quotas="why")`` to switch one off."""
        return Capabilities()

    @pytest.fixture
    def lower_is_better(self) -> frozenset[str]:
        """Indicator ids whose value counts against the unit (lowered, not raised, by the completion check)."""
        return frozenset()

    @pytest.fixture
    def overrides(self, sample_data: Path | Dataset) -> Mapping[str, Any] | None:
        """Scheme overrides to apply, shaped like the scheme file (as a deployment's would be).

        By default the sample's own ``overrides.toml`` (:func:`find_overrides`), exactly as
        ``kaoping conformance`` applies it; return ``None`` to score the scheme as registered.
        """
        if isinstance(sample_data, Dataset):
            return None
        return find_overrides(Path(sample_data))

    @pytest.fixture
    def plugin_objects(self) -> Sequence[tuple[str, object]]:
        """Extra plugins to register as ``(name, object)``, beside built-in and installed ones."""
        return ()

    @pytest.fixture
    def entry_points(self) -> bool:
        """Whether installed plugins (entry points in the ``kaoping`` group) are loaded."""
        return True

    @pytest.fixture
    def deployment_config(self) -> Path | None:
        """A deployment ``kaoping.toml``: when given, host and scheme are resolved from it."""
        return None

    @pytest.fixture
    def county(self) -> str | None:
        return None

    @pytest.fixture
    def conformance(
        self,
        scheme_id: str,
        sample_data: Path | Dataset,
        capabilities: Capabilities,
        lower_is_better: frozenset[str],
        overrides: Mapping[str, Any] | None,
        plugin_objects: Sequence[tuple[str, object]],
        entry_points: bool,
        deployment_config: Path | None,
        county: str | None,
    ) -> Subject:
        """The subject under test, built once per class and set of fixture values (its run is cached).

        The cache lives on the concrete test class, so every test method of one class shares the
        scheme run while two classes never see each other's subjects.
        """
        _kaoping_subjects = _subject_cache(type(self))
        key = (
            scheme_id,
            id(sample_data) if isinstance(sample_data, Dataset) else str(sample_data),
            capabilities,
            tuple(sorted(lower_is_better)),
            repr(overrides),
            tuple((name, id(plugin)) for name, plugin in plugin_objects),
            entry_points,
            str(deployment_config),
            county,
        )
        if key not in _kaoping_subjects:
            if deployment_config is not None:
                resolver = deployment_resolver(Path(deployment_config), county, overrides=overrides)
            else:
                resolver = host_resolver(scheme_id, plugin_objects, entry_points, overrides)
            _kaoping_subjects[key] = Subject(
                scheme_id=scheme_id,
                resolver=resolver,
                sample=sample_data if isinstance(sample_data, Dataset) else Path(sample_data),
                capabilities=capabilities,
                lower_is_better=frozenset(lower_is_better),
            )
        return _kaoping_subjects[key]


def _subject_cache(cls: type) -> dict[tuple, Subject]:
    """The per-class cache of subjects (stored in the class's own ``__dict__``, not inherited)."""
    cache = vars(cls).get("_kaoping_subject_cache")
    if cache is None:
        cache = {}
        cls._kaoping_subject_cache = cache  # type: ignore[attr-defined]
    return cache


class LoadingTests(_Fixtures):
    """The scheme parses, its parts add up, the sample validates, misspelt overrides are refused."""

    def test_scheme_validates(self, conformance: Subject) -> None:
        run_check(conformance, "scheme-validates")

    def test_sample_loads(self, conformance: Subject) -> None:
        run_check(conformance, "sample-loads")

    def test_unknown_overrides_fail(self, conformance: Subject) -> None:
        run_check(conformance, "unknown-overrides-fail")


class ScoringTests(_Fixtures):
    """The sample scores as the author expects; trails add up; scores move the right way."""

    def test_expected_results(self, conformance: Subject, expected_results: Any) -> None:
        conformance.expected = read_expected(expected_results)
        run_check(conformance, "expected-results")

    def test_trail_sums(self, conformance: Subject) -> None:
        run_check(conformance, "trail-sums")

    def test_deductions_never_raise(self, conformance: Subject) -> None:
        run_check(conformance, "deductions-never-raise")

    def test_bonuses_never_lower(self, conformance: Subject) -> None:
        run_check(conformance, "bonuses-never-lower")

    def test_completion_never_lowers(self, conformance: Subject) -> None:
        run_check(conformance, "completion-never-lowers")


class VetoTests(_Fixtures):
    """Each declared veto area, and each veto of the sample run, has its declared effect."""

    def test_veto_effects(self, conformance: Subject) -> None:
        run_check(conformance, "veto-effects")

    def test_sample_vetoes_applied(self, conformance: Subject) -> None:
        run_check(conformance, "sample-vetoes-applied")


class ResultTests(_Fixtures):
    """Ranks follow totals, grades follow bands, quotas are never exceeded."""

    def test_ranks_follow_totals(self, conformance: Subject) -> None:
        run_check(conformance, "ranks-follow-totals")

    def test_grades_respect_bands(self, conformance: Subject) -> None:
        run_check(conformance, "grades-respect-bands")

    def test_quotas_respected(self, conformance: Subject) -> None:
        run_check(conformance, "quotas-respected")


class DeterminismTests(_Fixtures):
    """Reruns and reordered rows give byte-identical JSON."""

    def test_rerun_identical(self, conformance: Subject) -> None:
        run_check(conformance, "rerun-identical")

    def test_shuffle_identical(self, conformance: Subject) -> None:
        run_check(conformance, "shuffle-identical")

    def test_engines_identical(self, conformance: Subject) -> None:
        run_check(conformance, "engines-identical")


class ProvenanceTests(_Fixtures):
    """Every trail entry and veto names a registered plugin that has a version."""

    def test_provenance(self, conformance: Subject) -> None:
        run_check(conformance, "provenance")


class RobustnessTests(_Fixtures):
    """What authors get wrong without an expected result: caps under saturation, edge and bad data,
    ties, mutated input, overrides that change nothing, hidden state across processes, misquotes."""

    def test_caps_hold(self, conformance: Subject) -> None:
        run_check(conformance, "caps-hold")

    def test_edge_data(self, conformance: Subject) -> None:
        run_check(conformance, "edge-data")

    def test_bad_data_refused(self, conformance: Subject) -> None:
        run_check(conformance, "bad-data-refused")

    def test_points_belong(self, conformance: Subject) -> None:
        run_check(conformance, "points-belong")

    def test_ties_share_ranks(self, conformance: Subject) -> None:
        run_check(conformance, "ties-share-ranks")

    def test_input_unchanged(self, conformance: Subject) -> None:
        run_check(conformance, "input-unchanged")

    def test_overrides_matter(self, conformance: Subject) -> None:
        run_check(conformance, "overrides-matter")

    def test_fresh_process_identical(self, conformance: Subject) -> None:
        run_check(conformance, "fresh-process-identical")

    def test_quotes_in_source(self, conformance: Subject) -> None:
        run_check(conformance, "quotes-in-source")


class SchemeConformance(
    LoadingTests, ScoringTests, VetoTests, ResultTests, DeterminismTests, ProvenanceTests, RobustnessTests
):
    """Every stage of the suite: subclass it once per scheme and supply the three required fixtures."""
