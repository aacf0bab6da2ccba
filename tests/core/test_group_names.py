"""Data may name a group by its id or by the Chinese name the scheme gives it (街道 as well as ``street``)."""

from __future__ import annotations

import pytest

from kaoping.core.errors import InputError
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA
from tests.helpers import D, host, mini_scheme, run_scheme, score

GROUPS = [{"id": "street", "name": "街道"}, {"id": "town", "name": "乡镇"}]
VALUES = [{"unit": "a", "indicator": "i", "value": "80"}, {"unit": "b", "indicator": "i", "value": "90"}]


def test_a_group_named_by_its_chinese_name_is_the_group_of_that_id():
    by_name = {"units": [{"unit": "a", "name": "甲", "group": "街道"}, {"unit": "b", "name": "乙", "group": "乡镇"}]}
    by_id = {"units": [{"unit": "a", "name": "甲", "group": "street"}, {"unit": "b", "name": "乙", "group": "town"}]}
    named = run_scheme(mini_scheme(groups=GROUPS), {**by_name, "values": VALUES})
    ided = run_scheme(mini_scheme(groups=GROUPS), {**by_id, "values": VALUES})
    assert [(u.unit, u.group, u.rank, u.total) for u in named.units] == [
        (u.unit, u.group, u.rank, u.total) for u in ided.units
    ]
    assert {u.unit: u.group for u in named.units} == {"a": "street", "b": "town"}


def test_a_name_two_groups_share_is_not_guessed():
    groups = [{"id": "x", "name": "同名"}, {"id": "y", "name": "同名"}]
    data = {"units": [{"unit": "a", "name": "甲", "group": "同名"}], "values": VALUES[:1]}
    with pytest.raises(InputError, match="unit 'a' is in group '同名', which the scheme does not have"):
        run_scheme(mini_scheme(groups=groups), data)


def test_the_zhangzhou_sample_scores_the_same_with_group_names(tmp_path):
    # 漳州 sample with 序列 written as 第一系列 / 第二系列 … instead of series1 / series2 …
    names = {g.id: g.name for g in host().scheme("fujian.zhangzhou").groups}
    for source in SAMPLE_DATA.iterdir():
        text = source.read_text(encoding="utf-8-sig")
        if source.name == "units.csv":
            lines = text.splitlines()
            rows = [line.rsplit(",", 1) for line in lines[1:]]
            text = "\n".join([lines[0], *(f"{rest},{names.get(group, group)}" for rest, group in rows)]) + "\n"
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    assert "第一系列" in (tmp_path / "units.csv").read_text(encoding="utf-8")
    by_name, by_id = score("fujian.zhangzhou", tmp_path), score("fujian.zhangzhou", SAMPLE_DATA)
    assert [(u.unit, u.group, u.total, u.rank, u.grade) for u in by_name.units] == [
        (u.unit, u.group, u.total, u.rank, u.grade) for u in by_id.units
    ]
    assert by_name.by_unit()["S1-06"].total == D("867.2")
