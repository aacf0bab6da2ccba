"""Scoring throughput: synthetic units × 40 indicators (plus events), through the whole pipeline.

Usage: ``python benchmarks/bench_scoring.py 1000 100000``. Prints units per second for each stage and
the process's peak resident memory. Each size runs in a fresh subprocess so peak memory is per size.
"""

from __future__ import annotations

import random
import resource
import subprocess
import sys
import time
from decimal import Decimal

from kaoping import hookimpl
from kaoping.core.models import Dataset, EventRow, Unit, ValueRow
from kaoping.core.pipeline import gc_paused, run
from kaoping.core.plugins import PluginHost

INDICATORS = 40
METHODS = ["direct", "ratio", "share", "pass_fail"]


def synthetic_scheme() -> dict:
    indicators = []
    for i in range(INDICATORS):
        method = METHODS[i % len(METHODS)]
        extra = {"on_zero": "full"} if method == "share" else {"threshold": 60} if method == "pass_fail" else {}
        indicators.append(
            {"id": f"i{i:02d}", "name": f"指标{i}", "part": f"p{i % 4}", "method": method, "points": 20, **extra}
        )
    parts = [{"id": f"p{k}", "name": f"部分{k}", "points": 200} for k in range(4)]
    parts.append({"id": "d", "name": "扣分", "points": 200, "base": 200, "floor": 0})
    return {
        "id": "bench.synthetic",
        "name": "基准",
        "total": 1000,
        "status": {"complete": True},
        "groups": [{"id": f"g{k}", "name": f"组{k}"} for k in range(10)],
        "parts": parts,
        "indicators": indicators,
        "rules": [{"id": "r", "name": "扣分", "part": "d", "kind": "deduction", "points": 2}],
        "grading": {
            "grades": ["优秀", "合格", "不合格"],
            "default": "合格",
            "bands": [{"id": "f", "grade": "不合格", "below": 600}],
            "quotas": [{"id": "q", "grade": "优秀", "share": "20%"}],
        },
    }


class Provider:
    @hookimpl
    def kaoping_register_schemes(self, register):
        register(synthetic_scheme())


def synthetic_dataset(units: int, seed: int = 1) -> Dataset:
    rng = random.Random(seed)
    unit_rows, values, events = [], [], []
    for u in range(units):
        uid = f"u{u}"
        unit_rows.append(Unit(uid, uid, f"g{u % 10}"))
        for i in range(INDICATORS):
            method = METHODS[i % len(METHODS)]
            if method == "direct":
                values.append(ValueRow(uid, f"i{i:02d}", Decimal(rng.randint(0, 200)) / 10))
            elif method == "share":
                total = rng.randint(0, 50)
                values.append(ValueRow(uid, f"i{i:02d}", Decimal(rng.randint(0, total)), Decimal(total)))
            else:
                values.append(ValueRow(uid, f"i{i:02d}", Decimal(rng.randint(0, 120)), Decimal(100)))
        if u % 3 == 0:
            events.append(EventRow(uid, "r", count=rng.randint(1, 5)))
    return Dataset(tuple(unit_rows), tuple(values), tuple(events))


def measure(units: int) -> None:
    host = PluginHost(entry_points=False, plugin_objects=[("bench", Provider())])
    scheme = host.scheme("bench.synthetic")
    start = time.perf_counter()
    with gc_paused():
        dataset = synthetic_dataset(units)
    built = time.perf_counter()
    result = run(host, scheme, dataset)
    scored = time.perf_counter()
    assert len(result.units) == units
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{units:>9,} units × {INDICATORS} indicators: build {built - start:6.2f} s, "
        f"validate+score+grade {scored - built:6.2f} s = {units / (scored - built):10,.0f} units/s, "
        f"peak RSS {peak_mib:,.0f} MiB"
    )


if __name__ == "__main__":
    if any(not a.isdigit() for a in sys.argv[1:]):
        sys.exit(__doc__)
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 100_000]
    if len(sizes) == 1:
        measure(sizes[0])
    else:
        for size in sizes:
            subprocess.run([sys.executable, __file__, str(size)], check=True)
