"""The conformance check ``engines-identical`` compares a plugin's vectorised forms with their row forms.

A plugin method whose vectorised form agrees with its row form passes; one whose vectorised form gives
three times the value where the row form gives twice fails, naming the first differing line. The numbers:
「a: 1.25 × 2 = 2.5」 by the row form, 3.75 by the broken form (test data, not a seed's rule).
"""

from __future__ import annotations

import pytest

from kaoping.core.methods import method
from kaoping.core.pipeline import run
from kaoping.io.dataio import dataset_from_records
from kaoping.testing._checks import ConformanceFailure
from kaoping.testing._determinism import engines_identical
from kaoping.testing._subject import Subject
from tests.core.test_columnar_engine import RowMethodPlugin, double, double_columns
from tests.helpers import host_with, mini_scheme

SCHEME = mini_scheme(indicators=[{"id": "j", "name": "加倍", "part": "p", "method": "test_double", "points": 100}])
RECORDS = {
    "units": [{"unit": u, "name": u, "group": "g"} for u in ("a", "b")],
    "values": [{"unit": "a", "indicator": "j", "value": "1.25"}, {"unit": "b", "indicator": "j", "value": "3"}],
}


def triple_columns(indicator, columns, ctx):
    """A wrong vectorised form of ``test_double``: three times the value."""
    awards = double_columns(indicator, columns, ctx)
    awards.num = awards.num * 3 // 2
    return awards


def subject(vectorised) -> Subject:
    registered = method("test_double", "indicator", vectorised=vectorised)(double.fn)
    test_host = host_with(SCHEME, plugins=(("row_method", RowMethodPlugin(registered)),))
    return Subject("test.mini", lambda: (test_host, test_host.scheme("test.mini")), dataset_from_records(RECORDS))


def test_a_vectorised_form_that_agrees_with_its_row_form_passes():
    engines_identical(subject(double_columns))  # raises ConformanceFailure on any differing byte


def test_a_vectorised_form_that_disagrees_with_its_row_form_fails():
    broken = subject(triple_columns)
    result = run(broken.host, broken.scheme, broken.dataset)
    assert {u.unit: u.total for u in result.units} == {"a": 3.75, "b": 9}  # the broken form scored the run
    with pytest.raises(ConformanceFailure, match="engines-identical"):
        engines_identical(broken)


def test_the_row_forms_give_the_row_forms_points():
    from kaoping.core.columnar.engine import row_forms_only

    broken = subject(triple_columns)
    with row_forms_only():
        result = run(broken.host, broken.scheme, broken.dataset)
    assert {u.unit: u.total for u in result.units} == {"a": 2.5, "b": 6}  # 1.25 × 2, 3 × 2
