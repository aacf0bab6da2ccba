"""Per-partition figures of the Dask engine (``docs/scale.md``): what one partition costs, by stage.

Usage::

    python benchmarks/bench_partition.py 10000 50000 100000     # the per-partition table
    python benchmarks/bench_partition.py --parquet 100000        # the same, the tables read as Parquet
    python benchmarks/bench_partition.py --cluster 100000        # one run on a 2-worker cluster here

For each size, on ``reference_numpy.py``'s CSV folder of the benchmark scheme (40 indicators, 10 groups,
events on a third of the units), two fresh processes:

* the **driver** (what ``kaoping score --engine dask`` does on the machine that runs the command, for a
  run of that many units): read and validate the folder, find the vetoes, pack the partition for a worker
  (``PackedPartition``: the values as the reader's arrays, ``ValueColumns``; the other tables' rows as
  columns of plain values) and pickle it, score (here, in-process: the partition a worker would score),
  apply ranks, grades and quotas; CPU seconds per stage (``time.process_time``) and the peak resident
  memory (``getrusage``); and the pickled size of the rows sent;
* the **worker**: unpickles the packed partition (the values stay arrays; the few other rows are built
  again) and scores it, as a Dask worker does: its CPU seconds and peak resident memory are the
  per-partition figures of a worker; then pickles its scores as a worker sends them back (``WireScores``:
  arrays) and, for comparison, the score table's objects (cloudpickled: how they travelled before);
* the **receiver** (the driver's share of what comes back): unpickles each form into a score table and
  reads every unit's trail, as writing the JSON does (from ``WireScores`` the explanations are rebuilt
  from the rows the driver holds).

``--parquet`` reads the same tables written as Parquet files of text columns (made once beside the CSV
folder). ``--cluster N`` scores N units locally and with ``--engine dask`` on a 2-worker ``LocalCluster``
(processes, one thread each; two partitions of five pools) and checks that the JSON is identical. Figures
are printed, never asserted; on a shared machine a single figure moves by ±20%.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import cloudpickle

sys.path.insert(0, str(Path(__file__).parent))
from bench_scoring import Provider
from reference_numpy import ensure_folder

from kaoping.core.wire_scores import WireScores

MIB = 1024 * 1024


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _host() -> Any:
    from kaoping.core.plugins import PluginHost

    return PluginHost(entry_points=False, plugin_objects=[("bench", Provider())])


def parquet_folder(units: int) -> Path:
    """The CSV folder's tables as Parquet tables of text columns, written once beside it."""
    import csv

    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    source = ensure_folder(units, None)
    target = source.with_name(source.name + "-parquet")
    if not (target / "DONE").exists():
        target.mkdir(exist_ok=True)
        for path in sorted(source.glob("*.csv")):
            with open(path, encoding="utf-8-sig", newline="") as handle:
                header = next(csv.reader(handle))
            table = pacsv.read_csv(
                path, convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()))
            )
            pq.write_table(table, target / f"{path.stem}.parquet")
        (target / "DONE").write_text("")
    return target


def driver(units: int, work: Path, parquet: bool = False) -> dict[str, Any]:
    from kaoping.core.distributed import PackedPartition, Partition
    from kaoping.core.pipeline import gc_paused, load_checked

    gc.disable()
    folder = parquet_folder(units) if parquet else ensure_folder(units, None)
    start = time.process_time()
    host = _host()
    scheme = host.scheme("bench.synthetic")
    figures: dict[str, Any] = {"start_cpu": time.process_time() - start}
    t = time.process_time()
    dataset, _warnings = load_checked(host, scheme, folder)
    figures["read_validate_cpu"] = time.process_time() - t
    figures["rss_after_read_mib"] = _rss_mib()
    with gc_paused():
        t = time.process_time()
        vetoes = host.check_vetoes(scheme, dataset)
        figures["vetoes_cpu"] = time.process_time() - t
        t = time.process_time()
        packed = PackedPartition.of(Partition(("all",), dataset, tuple(vetoes)))
        figures["values_travel_as"] = type(packed.tables["values"]).__name__  # ValueColumns: arrays
        sent = pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL)
        figures["pickle_rows_cpu"] = time.process_time() - t
        del packed
        figures["rows_pickled_mib"] = len(sent) / MIB
        (work / "partition.pickle").write_bytes(sent)
        del sent
        t = time.process_time()
        scores = host.score(scheme, dataset, vetoes)
        figures["score_cpu"] = time.process_time() - t
        t = time.process_time()
        host.apply_results(scheme, scores, dataset, vetoes)
        figures["grade_cpu"] = time.process_time() - t
    figures["peak_mib"] = _peak_mib()
    return figures


def worker(work: Path) -> dict[str, Any]:
    """A worker's share: receive the partition's rows, score them; CPU and peak memory of this process."""
    gc.disable()
    host = _host()
    scheme = host.scheme("bench.synthetic")
    base_cpu, base_peak = time.process_time(), _peak_mib()
    t = time.process_time()
    packed = pickle.loads((work / "partition.pickle").read_bytes())
    dataset, vetoes = packed.dataset(), list(packed.vetoes)
    del packed
    unpickle = time.process_time() - t
    t = time.process_time()
    scores = host.score(scheme, dataset, vetoes)
    score = time.process_time() - t
    figures = {
        "start_cpu": base_cpu,
        "start_peak_mib": base_peak,
        "unpickle_cpu": unpickle,
        "score_cpu": score,
    }
    t = time.process_time()
    back = pickle.dumps(WireScores.of(scores), protocol=pickle.HIGHEST_PROTOCOL)  # what a worker sends back
    figures["pickle_scores_cpu"] = time.process_time() - t
    figures["scores_pickled_mib"] = len(back) / MIB
    (work / "scores.pickle").write_bytes(back)
    del back
    t = time.process_time()
    objects = cloudpickle.dumps(scores)  # the score table itself, as it travelled before WireScores
    figures["pickle_table_cpu"] = time.process_time() - t
    figures["table_pickled_mib"] = len(objects) / MIB
    (work / "table.pickle").write_bytes(objects)
    figures["peak_mib"] = _peak_mib()
    return figures


def receive(units: int, work: Path, parquet: bool = False) -> dict[str, Any]:
    """The driver's share of what comes back: unpickle a partition's scores and make them a score table
    (``WireScores``), then read every unit's trail as writing the JSON does (explanations rebuilt from the
    rows the driver holds); against unpickling the score table as objects (the form before)."""
    from kaoping.core.pipeline import load_checked

    gc.disable()
    host = _host()
    scheme = host.scheme("bench.synthetic")
    folder = parquet_folder(units) if parquet else ensure_folder(units, None)
    dataset, _warnings = load_checked(host, scheme, folder)
    figures: dict[str, Any] = {}
    t = time.process_time()
    wire = pickle.loads((work / "scores.pickle").read_bytes())
    table = wire.table(scheme, dataset, host.methods)
    figures["unpickle_scores_cpu"] = time.process_time() - t
    t = time.process_time()
    entries = sum(len(score.trail_entries()) for score in table)
    figures["explain_every_unit_cpu"] = time.process_time() - t
    del table, wire
    t = time.process_time()
    objects = pickle.loads((work / "table.pickle").read_bytes())
    figures["unpickle_table_cpu"] = time.process_time() - t
    t = time.process_time()
    assert entries == sum(len(score.trail_entries()) for score in objects)
    figures["explain_every_unit_from_table_cpu"] = time.process_time() - t
    return figures


def in_child(kind: str, units: int, work: Path, parquet: bool = False) -> dict[str, Any]:
    out = work / f"{kind}.json"
    command = [sys.executable, __file__, "--child", kind, str(units), "--work", str(work)]
    command += ["--parquet"] if parquet else []
    subprocess.run(command, check=True)
    return json.loads(out.read_text())


def per_partition(sizes: list[int], parquet: bool = False) -> None:
    print(
        "| units | read + validate | pack + pickle | score | grade | driver peak | rows sent | worker: unpack + score "
        "| worker peak | scores back: table → arrays | pickle on the worker | unpickle on the driver "
        "| explain every unit on the driver |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for units in sizes:
        if parquet:
            parquet_folder(units)
        else:
            ensure_folder(units, None)
        with tempfile.TemporaryDirectory() as name:
            work = Path(name)
            d = in_child("driver", units, work, parquet)
            w = in_child("worker", units, work)
            r = in_child("receive", units, work, parquet)
        print(
            f"| {units:,} | {d['read_validate_cpu']:.1f} s | {d['pickle_rows_cpu']:.1f} s | {d['score_cpu']:.1f} s "
            f"| {d['grade_cpu']:.1f} s | {d['peak_mib']:,.0f} MiB | {d['rows_pickled_mib']:,.0f} MiB "
            f"| {w['unpickle_cpu']:.1f} + {w['score_cpu']:.1f} s | {w['peak_mib']:,.0f} MiB "
            f"| {w['table_pickled_mib']:,.0f} → {w['scores_pickled_mib']:,.1f} MiB "
            f"| {w['pickle_table_cpu']:.2f} → {w['pickle_scores_cpu']:.2f} s "
            f"| {r['unpickle_table_cpu']:.2f} → {r['unpickle_scores_cpu']:.2f} s "
            f"| {r['explain_every_unit_from_table_cpu']:.1f} → {r['explain_every_unit_cpu']:.1f} s |",
            flush=True,
        )
        print(f"  driver {json.dumps(d)}\n  worker {json.dumps(w)}\n  receive {json.dumps(r)}", file=sys.stderr)


def on_cluster(units: int) -> None:
    """Score ``units`` locally and on a 2-worker LocalCluster; the JSON must be identical."""
    from dask.distributed import Client, LocalCluster

    from kaoping.core import distributed, engine_choice
    from kaoping.core.engine_choice import EngineSettings, chosen_engine
    from kaoping.core.pipeline import run
    from kaoping.io.report import to_json

    folder = ensure_folder(units, None)
    host = _host()
    scheme = host.scheme("bench.synthetic")
    t, c = time.perf_counter(), time.process_time()
    local = to_json(run(host, scheme, folder))
    print(f"local: {time.perf_counter() - t:.1f} s wall, {time.process_time() - c:.1f} s CPU")
    t = time.perf_counter()
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        print(f"cluster started in {time.perf_counter() - t:.1f} s")
        engine_choice.configure(EngineSettings(partition_units=units // 2))
        t, c = time.perf_counter(), time.process_time()
        with distributed.using_client(client), chosen_engine("dask"):
            on_dask = to_json(run(host, scheme, folder))
        print(f"dask, 2 workers: {time.perf_counter() - t:.1f} s wall, {time.process_time() - c:.1f} s CPU here")
    print("identical JSON" if on_dask == local else "THE JSON DIFFERS")
    if on_dask != local:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("units", type=int, nargs="*", default=[10_000, 50_000, 100_000])
    parser.add_argument("--cluster", type=int, metavar="UNITS")
    parser.add_argument("--parquet", action="store_true", help="read the folder's tables as Parquet files")
    parser.add_argument("--child", choices=("driver", "worker", "receive"), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child == "driver":
            figures = driver(args.units[0], args.work, args.parquet)
        elif args.child == "worker":
            figures = worker(args.work)
        else:
            figures = receive(args.units[0], args.work, args.parquet)
        (args.work / f"{args.child}.json").write_text(json.dumps(figures))
        os._exit(0)  # skip tearing down millions of objects: not part of any run
    if args.cluster:
        on_cluster(args.cluster)
        return
    per_partition(args.units, args.parquet)


if __name__ == "__main__":
    main()
