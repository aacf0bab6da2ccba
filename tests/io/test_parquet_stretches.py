"""Parquet results are built a stretch of units at a time: the tables are those of one stretch of all."""

from __future__ import annotations

import pytest

from kaoping.io import parquet
from kaoping.plugins.fujian_zhangzhou import SAMPLE_DATA
from tests.helpers import score

pa = pytest.importorskip("pyarrow", reason="Parquet needs pyarrow: pip install -e '.[dask]'")


def test_tables_built_in_stretches_are_the_tables_built_at_once(monkeypatch):
    result = score("fujian.zhangzhou", SAMPLE_DATA)
    monkeypatch.setattr(parquet, "STRETCH", len(result.units))
    whole = parquet.result_tables(result)
    monkeypatch.setattr(parquet, "STRETCH", 7)  # the sample's units in many stretches, the last one short
    stretched = parquet.result_tables(result)
    assert len(result.units) % 7 and stretched[0].column("unit").num_chunks > 1
    for once, in_stretches in zip(whole, stretched, strict=True):
        assert in_stretches.schema == once.schema
        assert in_stretches.combine_chunks().equals(once.combine_chunks())
    assert stretched[0].num_rows == len(result.units)
    assert stretched[1].num_rows == sum(len(u.score.indicator_points()) for u in result.units)


def test_a_result_without_units_writes_empty_tables():
    result = score("fujian.zhangzhou", SAMPLE_DATA)
    del result.units[:]
    results, points = parquet.result_tables(result)
    assert (results.num_rows, points.num_rows) == (0, 0)
    assert str(results.schema.field("total").type) == "decimal128(1, 0)"
