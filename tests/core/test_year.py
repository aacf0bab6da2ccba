"""The evaluated year: ``--year`` over the county's ``year`` over the scheme's; ``[archive] url``."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaoping.core.config import load_deployment
from kaoping.core.errors import InputError
from kaoping.core.models import Dataset, HistoryRow
from kaoping.core.pipeline import history_warnings, prepare
from kaoping.core.procedure import evaluation_year


def _config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "kaoping.toml"
    path.write_text(f'{extra}\n[counties.heshan]\nscheme = "hunan.heshan"\nyear = 2014\n', encoding="utf-8")
    return path


def test_year_option_over_county_over_scheme(tmp_path: Path):
    assert prepare(scheme_id="hunan.heshan").scheme.year == 2013  # scheme.toml: year = 2013
    config = _config(tmp_path)
    assert prepare(config=config).scheme.year == 2014
    assert prepare(config=config, year=2015).scheme.year == 2015


def test_a_plugin_evaluation_year_parameter_follows_the_year():
    scheme = prepare(scheme_id="anon.county_political_performance", year=2018).scheme
    assert scheme.parameters["evaluation_year"] == 2018 and evaluation_year(scheme) == 2018


def test_archive_url_and_bad_keys_are_read(tmp_path: Path):
    deployment = load_deployment(_config(tmp_path, '[archive]\nurl = "sqlite:///x.db"'))
    assert deployment.archive_url == "sqlite:///x.db" and deployment.counties["heshan"].year == 2014
    with pytest.raises(InputError, match="archive: unknown key 'path'"):
        load_deployment(_config(tmp_path, '[archive]\npath = "x.db"'))
    path = tmp_path / "bad.toml"
    path.write_text('[counties.heshan]\nscheme = "hunan.heshan"\nyear = "2014年"\n', encoding="utf-8")
    with pytest.raises(InputError, match="key counties.heshan.year: expected a whole number"):
        load_deployment(path)


def test_history_rules_warn_without_last_year_and_name_the_rule():
    scheme = prepare(scheme_id="hunan.heshan", year=2014).scheme
    [warning] = history_warnings(scheme, Dataset())
    assert "no results of 2013" in warning and "连续两年基本达标、不达标的处理" in warning
    # 2012 alone does not help a 2014 run; 2013 does
    assert history_warnings(scheme, Dataset(history=(HistoryRow("T1-01", 2012),)))
    assert history_warnings(scheme, Dataset(history=(HistoryRow("T1-01", 2013),))) == []
    # a scheme without history rules never warns
    assert history_warnings(prepare(scheme_id="fujian.zhangzhou", year=2014).scheme, Dataset()) == []


def test_a_run_says_when_its_year_is_not_the_scheme_files():
    from kaoping.core.pipeline import run
    from kaoping.plugins.hunan_heshan import SAMPLE_DATA

    setup = prepare(scheme_id="hunan.heshan", year=2014)
    notes = run(setup.host, setup.scheme, SAMPLE_DATA).notes
    assert notes[0] == "evaluated year 2014 (the scheme file says 2013)"
    # the sample's history holds 2012 only: a 2014 run lacks 2013 and says so
    assert notes[1].startswith("warning: no results of 2013")
    same = prepare(scheme_id="hunan.heshan")
    assert not any("evaluated year" in n for n in run(same.host, same.scheme, SAMPLE_DATA).notes)
