"""JSON and CSV results written unit by unit are the bytes of the whole-result writers, and a columnar
run's trails are not kept while they are written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kaoping.cli.main import cli
from kaoping.core.columnar import engine as columnar_engine
from kaoping.core.columnar.engine import ENGINE_ENV
from kaoping.core.columnar.trail import CompactUnitScore
from kaoping.core.pipeline import prepare, run
from kaoping.io.report import _csv_text, csv_text, result_dict, summary_rows, to_csv, to_json, write_csv, write_json
from kaoping.testing import builtin_samples
from tests.core.scoring_oracle import score_dataset as oracle_score


def whole_json(result) -> str:
    """The JSON as one ``json.dumps`` of the whole result: what the writer wrote before it streamed."""
    return json.dumps(result_dict(result), ensure_ascii=False, indent=2) + "\n"


def whole_csv(result) -> str:
    header, rows = summary_rows(result)
    return csv_text([header, *([_csv_text(v) for v in row] for row in rows)])


@pytest.mark.parametrize("engine", ["oracle", "arrays"])  # the oracle's scores are UnitScore objects
@pytest.mark.parametrize("sample", builtin_samples(), ids=lambda s: s.scheme_id)
def test_streamed_outputs_are_the_bytes_of_the_whole_result(monkeypatch, sample, engine):
    monkeypatch.setenv(ENGINE_ENV, "auto" if engine == "oracle" else engine)
    if engine == "oracle":
        monkeypatch.setattr(columnar_engine, "score", oracle_score)
    setup = prepare(sample.scheme_id, overrides=dict(sample.overrides) if sample.overrides else None)
    assert setup.scheme is not None
    result = run(setup.host, setup.scheme, sample.data)
    stream = io.StringIO()
    write_json(result, stream)
    assert stream.getvalue() == to_json(result)
    assert to_json(result) == whole_json(result)
    stream = io.StringIO()
    write_csv(result, stream)
    assert stream.getvalue() == to_csv(result) == whole_csv(result)


def test_an_empty_result_streams_as_an_empty_list():
    from kaoping.core.results import RunResult

    empty = RunResult("s", "方案", [], notes=["一"], warnings=[])
    assert to_json(empty) == whole_json(empty)
    assert '"units": []' in to_json(empty)


def test_writing_a_columnar_result_keeps_no_trail(monkeypatch):
    monkeypatch.setenv(ENGINE_ENV, "arrays")
    sample = next(s for s in builtin_samples() if s.scheme_id == "fujian.zhangzhou")
    setup = prepare(sample.scheme_id)
    assert setup.scheme is not None
    result = run(setup.host, setup.scheme, sample.data)
    write_json(result, io.StringIO())
    assert all(isinstance(u.score, CompactUnitScore) and u.score._trail is None for u in result.units)


def test_score_writes_the_streamed_json_to_the_file(tmp_path: Path):
    from click.testing import CliRunner

    sample = next(s for s in builtin_samples() if s.scheme_id == "fujian.zhangzhou")
    target = tmp_path / "result.json"
    args = ["score", "--scheme", "fujian.zhangzhou", "--data", str(sample.data), "--format", "json", "-o", str(target)]
    outcome = CliRunner().invoke(cli, args)
    assert outcome.exit_code == 0, outcome.output
    printed = CliRunner().invoke(cli, args[:-2])
    assert target.read_text(encoding="utf-8") == printed.output
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
