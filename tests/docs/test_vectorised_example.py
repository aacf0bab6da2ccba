"""The vectorised method example of docs/plugin-authoring.md runs, on arrays, with the row form's results.

The example's code block is read from the document and executed as written, so the document cannot drift
from the API: its method is registered by a plugin, scored by the row engine of the tests (tests/core/scoring_oracle.py)
and by the engine (``arrays`` and ``auto``), and the JSON must be identical, with the points computed by
hand below.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kaoping import hookimpl
from kaoping.core.columnar import engine as columnar_engine
from kaoping.core.columnar.engine import ENGINE_ENV, all_vectorised
from kaoping.core.columnar.trail import CompactUnitScore
from kaoping.core.errors import KaopingError
from kaoping.core.pipeline import run
from kaoping.io.dataio import dataset_from_records
from kaoping.io.report import to_json
from tests.core.scoring_oracle import score_dataset as oracle_score
from tests.helpers import host_with, mini_scheme

DOC = Path(__file__).parents[2] / "docs" / "plugin-authoring.md"


def example() -> dict[str, Any]:
    text = DOC.read_text(encoding="utf-8")
    after = text.index("A rate-to-last-year method with its explanation from the row form")
    code = re.search(r"```python\n(.*?)```", text[after:], re.S)
    assert code is not None
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), str(DOC), "exec"), namespace)  # the document's own example, as written
    return namespace


class KeptUp:
    def __init__(self, registered: Any) -> None:
        self.registered = registered

    @hookimpl
    def kaoping_register_methods(self, register):
        register(self.registered)


def test_the_documented_vectorised_example_scores_on_arrays_as_on_rows(monkeypatch):
    kept_up = example()["kept_up"]
    scheme = mini_scheme(indicators=[{"id": "i", "name": "保持增长", "part": "p", "method": "kept_up", "points": 100}])
    test_host = host_with(scheme, plugins=(("kept_up", KeptUp(kept_up)),))
    bound = test_host.scheme("test.mini")
    assert all_vectorised(bound, test_host.methods)
    # a: 12 ≥ 10 keeps up → 100; b: 9.5 < 10 → 0; c: 10 = 10.0 keeps up → 100
    records = {
        "units": [{"unit": u, "name": u, "group": "g"} for u in "abc"],
        "values": [
            {"unit": "a", "indicator": "i", "value": "12", "baseline": "10"},
            {"unit": "b", "indicator": "i", "value": "9.5", "baseline": "10"},
            {"unit": "c", "indicator": "i", "value": "10", "baseline": "10.0"},
        ],
    }
    outcomes = {}
    for engine in ("oracle", "arrays", "auto"):
        with monkeypatch.context() as patched:
            patched.setenv(ENGINE_ENV, "auto" if engine == "oracle" else engine)
            if engine == "oracle":
                patched.setattr(columnar_engine, "score", oracle_score)
            result = run(test_host, bound, dataset_from_records(records))
        assert isinstance(result.units[0].score, CompactUnitScore) is (engine != "oracle")
        outcomes[engine] = to_json(result)
        assert {u.unit: str(u.total) for u in result.units} == {"a": "100.00", "b": "0.00", "c": "100.00"}
    assert outcomes["arrays"] == outcomes["oracle"] == outcomes["auto"]
    assert '"note": "below last year"' in outcomes["arrays"]


def test_the_documented_example_leaves_a_unit_without_last_year_to_the_row_form(monkeypatch):
    kept_up = example()["kept_up"]
    scheme = mini_scheme(indicators=[{"id": "i", "name": "保持增长", "part": "p", "method": "kept_up", "points": 100}])
    test_host = host_with(scheme, plugins=(("kept_up", KeptUp(kept_up)),))
    records = {
        "units": [{"unit": "a", "name": "a", "group": "g"}],
        "values": [{"unit": "a", "indicator": "i", "value": "12"}],
    }
    failures = []
    for scorer in (oracle_score, columnar_engine.score):
        with monkeypatch.context() as patched, pytest.raises(KaopingError) as raised:
            patched.setattr(columnar_engine, "score", scorer)
            run(test_host, test_host.scheme("test.mini"), dataset_from_records(records))
        failures.append(str(raised.value))
    assert failures[0] == failures[1] and "last year's value" in failures[0]
