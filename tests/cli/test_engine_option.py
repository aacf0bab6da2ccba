"""``kaoping score --engine`` and ``[engine]`` in kaoping.toml."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.core import engine_choice
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def deployment(folder: Path, engine: str = "") -> Path:
    config = folder / "kaoping.toml"
    config.write_text(
        f'[counties.zhangzhou]\nscheme = "fujian.zhangzhou"\ndata = "{SAMPLE_DATA.as_posix()}"\n\n[engine]\n{engine}',
        encoding="utf-8",
    )
    return config


def score_json(*args: str) -> str:
    result = invoke("score", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return result.output


def test_each_local_engine_gives_the_same_json_and_the_choice_ends_with_the_command(monkeypatch):
    monkeypatch.delenv(engine_choice.ENGINE_ENV, raising=False)
    default = score_json("--scheme", "fujian.zhangzhou", "--data", str(SAMPLE_DATA))
    for engine in ("auto", "arrays"):
        assert score_json("--scheme", "fujian.zhangzhou", "--data", str(SAMPLE_DATA), "--engine", engine) == default
        assert engine_choice.engine_setting() == "auto"


def test_the_option_wins_over_the_environment_variable(monkeypatch):
    monkeypatch.setenv(engine_choice.ENGINE_ENV, "gpu")
    bad = invoke("score", "--scheme", "fujian.zhangzhou", "--data", str(SAMPLE_DATA))
    assert bad.exit_code == 2 and "KAOPING_ENGINE must be one of auto, arrays, dask" in bad.output
    assert (
        invoke("score", "--scheme", "fujian.zhangzhou", "--data", str(SAMPLE_DATA), "--engine", "arrays").exit_code == 0
    )


def test_the_removed_row_engine_is_refused_with_the_choices(monkeypatch):
    monkeypatch.setenv(engine_choice.ENGINE_ENV, "rows")
    bad = invoke("score", "--scheme", "fujian.zhangzhou", "--data", str(SAMPLE_DATA))
    assert bad.exit_code == 2 and "KAOPING_ENGINE must be one of auto, arrays, dask, got 'rows'" in bad.output
    monkeypatch.delenv(engine_choice.ENGINE_ENV)
    bad = invoke("score", "--scheme", "fujian.zhangzhou", "--data", str(SAMPLE_DATA), "--engine", "rows")
    assert bad.exit_code == 2 and "'rows' is not one of 'auto', 'arrays', 'dask'" in bad.output


def test_engine_settings_are_type_checked_with_their_keys(tmp_path):
    config = deployment(tmp_path, 'scheduler = "10.0.0.5:8786"\nworkers = 0\npartition_units = -1\n')
    result = invoke("score", "--config", str(config), "--engine", "dask")
    assert result.exit_code == 2
    assert "engine.scheduler" in result.output and "tcp://HOST:PORT" in result.output
    assert "engine.workers" in result.output and "engine.partition_units" in result.output
    config = deployment(tmp_path, 'workers = "two"\n')
    result = invoke("score", "--config", str(config), "--engine", "dask")
    assert result.exit_code == 2 and "engine.workers" in result.output


def test_without_dask_installed_the_dask_engine_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if not installed
    result = invoke("score", "--config", str(deployment(tmp_path)), "--engine", "dask")
    assert result.exit_code == 2 and "pip install 'kaoping[dask]'" in result.output


def test_score_on_a_local_cluster_from_the_deployment_gives_the_local_json(tmp_path):
    pytest.importorskip("dask.distributed", reason="the Dask engine needs kaoping[dask]: pip install -e '.[dask]'")
    config = deployment(tmp_path, "workers = 1\npartition_units = 20\n")
    local = score_json("--config", str(config))
    assert score_json("--config", str(config), "--engine", "dask") == local
