"""The Dask engine gives the local engine's results, byte for byte in the pinned JSON, on a 2-worker cluster.

Every built-in sample that can be split is scored locally and on the cluster with every ranking pool in a
partition of its own (and packed into one); a generated dataset of several pools, with a pool of two
groups, a per-pool quota and a per-pool bonus share, is scored with pools packed into partitions. The
schemes that couple units across pools are refused with the reason. The cluster runs worker processes,
so everything a worker receives and returns travels as it would between machines.
"""

from __future__ import annotations

import pickle
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kaoping.core import distributed, engine_choice
from kaoping.core.distributed import PackedPartition, WireValues, coupling, partition, score_distributed
from kaoping.core.engine_choice import ENGINE_ENV, EngineSettings, chosen_engine
from kaoping.core.errors import InputError, KaopingError
from kaoping.core.pipeline import load_and_validate, prepare, run
from kaoping.core.validate import with_group_ids
from kaoping.io.dataio import dataset_from_records
from kaoping.io.report import to_json
from kaoping.testing import builtin_samples
from tests.helpers import host, host_with

dask_distributed = pytest.importorskip(
    "dask.distributed", reason="the Dask engine needs kaoping[dask]: pip install -e '.[dask]'"
)

DATA = Path(__file__).parents[1] / "data"
SAMPLES = builtin_samples()


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Two worker processes with one thread each: what a 2-core CI machine runs in a couple of seconds."""
    with (
        dask_distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        dask_distributed.Client(cluster) as made,
    ):
        yield made


def outcome(score: Any) -> str:
    try:
        return to_json(score())
    except KaopingError as error:
        return f"{type(error).__name__}: {error}"


def on_dask(client: Any, score: Any, partition_units: int = 1) -> str:
    """The outcome of ``score`` under ``--engine dask`` with at most ``partition_units`` units per partition
    (1: every pool a partition of its own, whatever its size)."""
    engine_choice.configure(EngineSettings(partition_units=partition_units))
    try:
        with distributed.using_client(client), chosen_engine("dask"):
            return outcome(score)
    finally:
        engine_choice.configure(None)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.scheme_id)
def test_every_builtin_sample_scores_the_same_on_dask_or_is_refused_with_the_reason(client, sample):
    setup = prepare(sample.scheme_id, overrides=dict(sample.overrides) if sample.overrides else None)
    assert setup.scheme is not None
    scheme = setup.scheme
    local = outcome(lambda: run(setup.host, scheme, sample.data))
    reasons = coupling(setup.host, scheme)
    split = on_dask(client, lambda: run(setup.host, scheme, sample.data))
    if reasons:
        assert split.startswith("InputError: --engine dask scores each ranking pool on its own")
        assert all(reason in split for reason in reasons)
        return
    assert '"units"' in local
    assert split == local
    assert on_dask(client, lambda: run(setup.host, scheme, sample.data), partition_units=10**6) == local


def test_the_samples_that_are_refused_are_the_ones_whose_plugins_score_themselves():
    refused = set()
    for sample in SAMPLES:
        setup = prepare(sample.scheme_id, overrides=dict(sample.overrides) if sample.overrides else None)
        assert setup.scheme is not None
        if coupling(setup.host, setup.scheme):
            refused.add(sample.scheme_id)
    assert refused == {"shandong.weihai.e_monitoring", "sichuan.qianwei.aic", "xinjiang.qinghe.jiwei"}


def test_samples_with_several_pools_are_split_into_several_partitions():
    for scheme_id, pools in (("fujian.zhangzhou", 4), ("hunan.heshan", 12), ("xinjiang.yili", 2)):
        sample = next(s for s in SAMPLES if s.scheme_id == scheme_id)
        setup = prepare(scheme_id, overrides=dict(sample.overrides) if sample.overrides else None)
        assert setup.scheme is not None
        dataset = load_and_validate(setup.host, setup.scheme, sample.data)
        assert len(partition(setup.scheme, dataset, [], 1)) == pools
        assert len(partition(setup.scheme, dataset, [], 10**6)) == 1


@pytest.mark.parametrize("folder", sorted(p for p in DATA.iterdir() if p.is_dir()), ids=lambda p: p.name)
def test_every_test_dataset_scores_or_fails_the_same_on_dask(client, folder):
    # a partition whose scoring meets a problem hands the run back: the problems are listed as locally
    scheme = host().scheme("fujian.zhangzhou")
    assert on_dask(client, lambda: run(host(), scheme, folder)) == outcome(lambda: run(host(), scheme, folder))


# ---------------------------------------------------------------------------------------------------------
# a generated dataset of several pools

POOLED: dict[str, Any] = {
    "id": "test.pooled",
    "name": "多池测试",
    "total": 100,
    "status": {"complete": True},
    "groups": [
        {"id": "a", "name": "甲组"},
        {"id": "b1", "name": "乙一组", "pool": "b"},
        {"id": "c", "name": "丙组"},
        {"id": "b2", "name": "乙二组", "pool": "b"},
        {"id": "d", "name": "丁组"},
        {"id": "e", "name": "戊组", "ranked": False},
    ],
    "parts": [
        {"id": "work", "name": "工作目标", "points": 80},
        {"id": "conduct", "name": "作风建设", "points": 15, "base": 15, "floor": 0},
        {"id": "bonus", "name": "加分", "points": 5},
    ],
    "indicators": [
        {"id": "i1", "name": "目标一", "part": "work", "method": "direct", "points": 40},
        {"id": "i2", "name": "目标二", "part": "work", "method": "ratio", "points": 40},
    ],
    "rules": [
        {"id": "late", "name": "迟到", "part": "conduct", "kind": "deduction", "points": "1.5"},
        {
            "id": "award",
            "name": "获表彰",
            "part": "bonus",
            "kind": "bonus",
            "points": 1,
            "at_most_share": "30%",
            "share_scope": "group",
        },
    ],
    "grading": {
        "grades": ["优秀", "良好", "合格", "不合格"],
        "default": "合格",
        "bands": [{"id": "low", "grade": "不合格", "below": 50}],
        "quotas": [
            {"id": "best", "grade": "优秀", "share": "15%", "rounding": "half_up"},
            {"id": "good", "grade": "良好", "share": "25%"},
        ],
        "on_tie": "include",
    },
}


def pooled_records(units: int, seed: int) -> dict[str, list[dict[str, Any]]]:
    """Units over the six groups with coarse values, so that totals tie and quotas meet ties."""
    rng = random.Random(seed)
    groups = [g["id"] for g in POOLED["groups"]]
    records: dict[str, list[dict[str, Any]]] = {"units": [], "values": [], "events": []}
    for k in range(units):
        unit = f"u{k:04d}"
        records["units"].append({"unit": unit, "name": f"单位{k}", "group": rng.choice(groups)})
        records["values"].append({"unit": unit, "indicator": "i1", "value": rng.choice(["20", "30.5", "40"])})
        target = rng.choice([80, 100])
        records["values"].append({"unit": unit, "indicator": "i2", "value": rng.randint(40, 110), "target": target})
        if rng.random() < 0.4:
            records["events"].append({"unit": unit, "rule": rng.choice(["late", "award"]), "count": rng.randint(1, 4)})
    return records


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_generated_dataset_of_several_pools_scores_the_same_on_dask(client, seed):
    test_host = host_with(POOLED)
    scheme = test_host.scheme("test.pooled")
    dataset = dataset_from_records(pooled_records(400, seed))
    local = outcome(lambda: run(test_host, scheme, dataset))
    assert '"rank"' in local and "优秀" in local
    parts = partition(scheme, with_group_ids(scheme, dataset), [], 150)
    assert len(parts) >= 3 and all(len(set(p.pools)) == len(p.pools) for p in parts)
    assert [pool for p in parts for pool in p.pools] == ["a", "b", "c", "d", "e"]  # the scheme's pool order
    assert on_dask(client, lambda: run(test_host, scheme, dataset), partition_units=150) == local
    assert on_dask(client, lambda: run(test_host, scheme, dataset)) == local


def test_every_unit_of_a_pool_is_in_one_partition_and_small_pools_are_packed():
    test_host = host_with(POOLED)
    scheme = test_host.scheme("test.pooled")
    dataset = dataset_from_records(pooled_records(300, 5))
    for most in (1, 60, 120, 10**6):
        parts = partition(scheme, dataset, [], most)
        seen: dict[str, int] = {}
        for index, part in enumerate(parts):
            units = {u.id for u in part.dataset.units}
            assert {row.unit for row in part.dataset.values} <= units
            assert {row.unit for row in part.dataset.events} <= units
            for unit in part.dataset.units:
                pool = scheme.group(unit.group).ranking_pool
                assert seen.setdefault(pool, index) == index  # a pool never spans two partitions
            if len(part.pools) > 1:
                assert len(part.dataset.units) <= most
        assert sum(len(p.dataset.units) for p in parts) == 300
        assert sum(len(p.dataset.values) for p in parts) == len(dataset.values)
    assert len(partition(scheme, dataset, [], 1)) == 5
    assert len(partition(scheme, dataset, [], 10**6)) == 1


# ---------------------------------------------------------------------------------------------------------
# what cannot be split


def test_a_bonus_share_over_the_whole_run_is_refused_with_the_reason():
    rules = [dict(r, share_scope="all") if r["id"] == "award" else r for r in POOLED["rules"]]
    test_host = host_with(dict(POOLED, rules=rules))
    scheme = test_host.scheme("test.pooled")
    dataset = dataset_from_records(pooled_records(50, 1))
    engine_choice.configure(EngineSettings(partition_units=1))
    try:
        with chosen_engine("dask"), pytest.raises(InputError) as raised:
            run(test_host, scheme, dataset)
    finally:
        engine_choice.configure(None)
    message = str(raised.value)
    assert "couples units across pools" in message
    assert '获表彰 gives its bonus to at most a share of all units of the run (share_scope = "all")' in message
    assert "--engine auto" in message


def test_a_bonus_kept_only_where_the_whole_run_was_deducted_is_refused():
    rules = [
        *POOLED["rules"],
        {
            "id": "clean",
            "name": "无迟到加分",
            "part": "bonus",
            "kind": "bonus",
            "points": 1,
            "only_if_deducted": {"items": ["late"], "above": "30%"},
        },
    ]
    test_host = host_with(dict(POOLED, rules=rules))
    reasons = coupling(test_host, test_host.scheme("test.pooled"))
    assert reasons == [
        'rule 无迟到加分 keeps its bonus only where enough units of the whole run were deducted (scope = "all")'
    ]


def test_the_refusal_is_an_input_error_before_any_cluster_is_started(monkeypatch):
    # no client and no scheduler: a refused scheme never reaches the cluster
    sample = next(s for s in SAMPLES if s.scheme_id == "sichuan.qianwei.aic")
    setup = prepare(sample.scheme_id)
    assert setup.scheme is not None
    dataset = load_and_validate(setup.host, setup.scheme, sample.data)
    with pytest.raises(InputError, match="plugin sichuan_qianwei_aic scores the scheme itself"):
        score_distributed(setup.host, setup.scheme, dataset, [])


def test_the_environment_variable_chooses_dask_too(client, monkeypatch):
    sample = next(s for s in SAMPLES if s.scheme_id == "fujian.zhangzhou")
    setup = prepare(sample.scheme_id)
    assert setup.scheme is not None
    scheme = setup.scheme
    local = outcome(lambda: run(setup.host, scheme, sample.data))
    monkeypatch.setenv(ENGINE_ENV, "dask")
    with distributed.using_client(client):
        assert outcome(lambda: run(setup.host, scheme, sample.data)) == local


def test_problems_met_while_scoring_partitions_are_listed_as_the_local_engine_lists_them(client):
    # 「总数为 0」: a share of a zero total, with on_zero = "error", is a problem the method reports while
    # scoring (not while validating); two such units in different pools are listed together, as locally
    scheme_map = dict(POOLED, indicators=[POOLED["indicators"][0], SHARE_OR_ERROR])
    test_host = host_with(scheme_map)
    scheme = test_host.scheme("test.pooled")
    records = pooled_records(60, 1)
    shares = [row for row in records["values"] if row["indicator"] == "i2"]
    for k, row in enumerate(shares):
        row["value"], row["target"] = (0, 0) if k in (3, 40) else (1, 2)
    pools = {scheme.group(records["units"][k]["group"]).ranking_pool for k in (3, 40)}
    assert len(pools) == 2
    dataset = dataset_from_records(records)
    local = outcome(lambda: run(test_host, scheme, dataset))
    assert local.startswith("InputError") and local.count("i2") == 2
    assert on_dask(client, lambda: run(test_host, scheme, dataset)) == local


SHARE_OR_ERROR = {"id": "i2", "name": "目标二", "part": "work", "method": "share", "points": 40, "on_zero": "error"}


def test_rows_travel_to_a_worker_exactly():
    # a Decimal goes as its exact text: its digits and exponent come back as written
    records = {
        "units": [
            {"unit": "a", "name": "甲", "group": "a", "职务(post)": "科长"},
            {"unit": "b", "name": "乙", "group": "c"},
        ],
        "values": [
            {"unit": "a", "indicator": "i1", "value": "12.50", "target": "1E+2"},
            {"unit": "b", "indicator": "i1", "value": "-0.00", "item": "满意", "note": "备注"},
        ],
        "events": [{"unit": "a", "rule": "late", "count": 2, "quantity": "3.125", "self_reported": "是"}],
        "history": [{"unit": "b", "year": 2023, "total": "88.8", "rank": 1, "grade": "优秀"}],
        "vetoes": [{"unit": "a", "area": "safety", "source": "应急局"}],
    }
    dataset = dataset_from_records(records)
    part = partition(host_with(POOLED).scheme("test.pooled"), dataset, [], 10**6)[0]
    back = pickle.loads(pickle.dumps(PackedPartition.of(part))).dataset()
    for table in ("units", "values", "events", "vetoes", "history"):
        assert getattr(back, table) == getattr(dataset, table), table
    assert [str(row.value) for row in back.values] == ["12.50", "-0.00"]
    assert str(back.values[0].target) == "1E+2"
    assert back.units[0].attributes == {"post": "科长"}
    assert back.values[1].where == dataset.values[1].where and back.values[1].where.file == "<records>#values"


# ---------------------------------------------------------------------------------------------------------
# values read into columns travel as columns


def write_folder(records: dict[str, list[dict[str, Any]]], folder: Path, parquet: bool = False) -> Path:
    """The records as a data folder of CSV tables (or of Parquet tables of text columns)."""
    folder.mkdir()
    for table, rows in records.items():
        headers = list(dict.fromkeys(key for row in rows for key in row))
        columns = {h: ["" if row.get(h) is None else str(row[h]) for row in rows] for h in headers}
        if parquet:
            pa = pytest.importorskip("pyarrow")
            pq = pytest.importorskip("pyarrow.parquet")
            pq.write_table(pa.table(columns), folder / f"{table}.parquet")
            continue
        lines = [",".join(headers), *(",".join(cells) for cells in zip(*columns.values(), strict=True))]
        (folder / f"{table}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def with_exact_numbers(records: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    # numbers the arrays cannot give back as written (-0.00, 1E+2) travel beside them
    records["values"][1]["target"] = "1E+2"
    records["values"][-2]["value"] = "-0.00"
    return records


def test_value_columns_travel_to_a_worker_as_columns_and_come_back_as_the_same_rows(tmp_path):
    from kaoping.core.columnar.values import ValueRowsView

    test_host = host_with(POOLED)
    scheme = test_host.scheme("test.pooled")
    folder = write_folder(with_exact_numbers(pooled_records(300, 7)), tmp_path / "data")
    dataset = load_and_validate(test_host, scheme, folder)
    assert isinstance(dataset.values, ValueRowsView) and not dataset.values.materialised
    parts = partition(scheme, dataset, [], 120)
    assert len(parts) >= 2
    sent = [PackedPartition.of(part) for part in parts]
    assert all(isinstance(packed.tables["values"], WireValues) for packed in sent)
    for packed, part in zip(sent, parts, strict=True):
        wire = packed.tables["values"].fields
        assert wire["unit"][0] == "codes" and len(wire["unit"][2]) == len(part.dataset.units)  # its own ids only
        assert wire["unit"][1].dtype.itemsize == 1  # a partition of at most 120 units: a byte per code
        assert wire["item"][0] == "one" and wire["baseline"] == ("absent",)  # empty columns cost nothing
    back = [pickle.loads(pickle.dumps(packed)).dataset() for packed in sent]
    rows = load_and_validate(test_host, scheme, folder).values
    for part, arrived in zip(parts, back, strict=True):
        units = {unit.id for unit in part.dataset.units}
        assert tuple(arrived.values) == tuple(row for row in rows if row.unit in units)
    assert sum(len(arrived.values) for arrived in back) == len(rows)
    assert any(str(row.target) == "1E+2" for arrived in back for row in arrived.values)
    assert any(str(row.value) == "-0.00" for arrived in back for row in arrived.values)


@pytest.mark.parametrize("parquet", [False, True], ids=["csv", "parquet"])
def test_a_folder_read_into_columns_scores_the_same_on_dask(client, tmp_path, parquet):
    test_host = host_with(POOLED)
    scheme = test_host.scheme("test.pooled")
    folder = write_folder(with_exact_numbers(pooled_records(400, 11)), tmp_path / "data", parquet=parquet)
    local = outcome(lambda: run(test_host, scheme, folder))
    assert '"rank"' in local and "优秀" in local
    assert on_dask(client, lambda: run(test_host, scheme, folder), partition_units=150) == local
