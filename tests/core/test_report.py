"""Outputs: pinned JSON shape, byte-identical reruns, atomic writes (the XLSX 通报: tests/io/)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from kaoping.core.pipeline import run
from kaoping.io.dataio import load_dataset
from kaoping.io.report import to_csv, to_json, write_atomic
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA
from tests.helpers import host


def sample_result(dataset=None):
    scheme = host().scheme("fujian.zhangzhou")
    return run(host(), scheme, dataset or SAMPLE_DATA)


def test_json_shape_is_pinned():
    data = json.loads(to_json(sample_result()))
    assert data["scheme"] == "fujian.zhangzhou"
    first = data["units"][0]
    assert set(first) >= {
        "unit",
        "name",
        "group",
        "total",
        "rank",
        "grade",
        "parts",
        "vetoes",
        "consequences",
        "explain",
    }
    assert first["unit"] == "S1-06" and first["total"] == 867.2 and first["rank"] == 1 and first["grade"] == "优秀"
    assert sum(e["points"] for e in first["explain"]) == pytest.approx(first["total"])


def test_same_inputs_give_byte_identical_json_whatever_the_row_order():
    dataset = load_dataset(SAMPLE_DATA)
    shuffled_values = list(dataset.values)
    shuffled_events = list(dataset.events)
    shuffled_units = list(dataset.units)
    rng = random.Random(7)
    for rows in (shuffled_values, shuffled_events, shuffled_units):
        rng.shuffle(rows)
    shuffled = dataset.evolve(values=tuple(shuffled_values), events=tuple(shuffled_events), units=tuple(shuffled_units))
    assert to_json(sample_result(dataset)) == to_json(sample_result(dataset)) == to_json(sample_result(shuffled))


def test_csv_summary_has_one_row_per_unit():
    lines = to_csv(sample_result()).splitlines()
    assert lines[0].startswith("group,rank,unit id,unit,total,grade,完成基本工作目标")
    assert lines[1].startswith("第一系列,1,S1-06,")
    assert len(lines) == 1 + 81


def test_failed_write_leaves_nothing_behind(tmp_path: Path):
    target = tmp_path / "out.json"

    def fail(temp: Path) -> None:
        temp.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(target, fail)
    assert list(tmp_path.iterdir()) == []


def test_write_replaces_existing_file_only_on_success(tmp_path: Path):
    target = tmp_path / "out.json"
    target.write_text("old")
    write_atomic(target, lambda temp: temp.write_text("new"))
    assert target.read_text() == "new"


def test_groups_ranked_in_one_pool_share_one_table():
    from kaoping.io.report import to_table
    from tests.helpers import mini_scheme, run_scheme

    groups = [{"id": "x", "name": "甲组", "pool": "all"}, {"id": "y", "name": "乙组", "pool": "all"}]
    data = {
        "units": [{"unit": "a", "name": "甲", "group": "x"}, {"unit": "b", "name": "乙", "group": "y"}],
        "values": [{"unit": "a", "indicator": "i", "value": "80"}, {"unit": "b", "indicator": "i", "value": "90"}],
    }
    result = run_scheme(mini_scheme(groups=groups), data)
    assert [u.unit for u in result.units] == ["b", "a"]  # ranked together: 乙 (90) before 甲 (80)
    table = to_table(result)
    # one table for the pool, with a group column naming each unit's group by its name
    assert "[all]" in table and "[x]" not in table and "group" in table and "乙组" in table
