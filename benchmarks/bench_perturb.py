"""Monte Carlo uncertainty speed: 10,000 draws over 5,000 units (issue 14: practical on one machine).

Usage: ``python benchmarks/bench_perturb.py [units] [draws]`` (defaults 5000 and 10000). The scheme has
12 indicators in 3 parts, a deduction part with a floor (recomputed per draw), a band and a quota in
each of 2 groups; every indicator's points and every part's weight are drawn, and a band threshold and
a quota count too. Scoring happens once and is timed apart; the uncertainty run is what the target is
about. CPU seconds (user + system, all threads) and the process's peak RSS are printed too.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from decimal import Decimal

from kaoping import hookimpl
from kaoping.compare.perturb import Range, simulate
from kaoping.core.models import Dataset, EventRow, Unit, ValueRow
from kaoping.core.pipeline import run
from kaoping.core.plugins import PluginHost

INDICATORS = 12


def scheme() -> dict:
    indicators = [
        {"id": f"i{i:02d}", "name": f"指标{i}", "part": f"p{i % 3}", "method": "ratio", "points": 25}
        for i in range(INDICATORS)
    ]
    parts = [{"id": f"p{k}", "name": f"部分{k}", "points": 100} for k in range(3)]
    parts.append({"id": "d", "name": "扣分", "points": 100, "base": 100, "floor": 0, "below_floor": "total"})
    return {
        "id": "bench.perturb",
        "name": "基准",
        "total": 400,
        "status": {"complete": True},
        "groups": [{"id": "g0", "name": "组0"}, {"id": "g1", "name": "组1"}],
        "parts": parts,
        "indicators": indicators,
        "rules": [{"id": "late", "name": "迟到", "part": "d", "kind": "deduction", "points": 7}],
        "grading": {
            "grades": ["优秀", "合格", "不合格"],
            "default": "合格",
            "bands": [{"id": "low", "grade": "不合格", "below": 260}],
            "quotas": [{"id": "top", "grade": "优秀", "share": "20%"}],
        },
    }


class Provider:
    @hookimpl
    def kaoping_register_schemes(self, register):
        register(scheme())


def dataset(units: int) -> Dataset:
    rng = random.Random(1)
    unit_rows = tuple(Unit(f"u{n:04d}", f"单位{n}", f"g{n % 2}") for n in range(units))
    values = tuple(
        ValueRow(u.id, f"i{i:02d}", Decimal(rng.randint(500, 1000)) / 10, target=Decimal(100))
        for u in unit_rows
        for i in range(INDICATORS)
    )
    events = tuple(EventRow(u.id, "late", count=rng.randint(0, 18)) for u in unit_rows if rng.random() < 0.6)
    return Dataset(unit_rows, values, events)


def main() -> None:
    if any(not a.isdigit() for a in sys.argv[1:]):
        sys.exit(__doc__)
    units = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    draws = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    host = PluginHost(entry_points=False, plugin_objects=[("bench", Provider())])
    bound = host.scheme("bench.perturb")
    started = time.perf_counter()
    result = run(host, bound, dataset(units))
    scored = time.perf_counter() - started
    ranges = [
        Range("indicators.*.points", pct=Decimal(20)),
        Range("parts.*.points", pct=Decimal(10)),
        Range("grading.bands.low.below", Decimal(250), Decimal(270)),
    ]
    started, cpu = time.perf_counter(), _cpu()
    outcome = simulate("bench", bound, result, ranges, draws=draws, seed=1)
    elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
    print(f"scoring once: {scored:.3f} s for {units} units")
    print(f"uncertainty: {draws} draws × {units} units, {len(outcome.factors)} factors: {elapsed:.2f} s")
    print(f"  ({draws / elapsed:,.0f} draws per second); approximations: {'; '.join(outcome.approximations)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  CPU {cpu:.1f} s for the uncertainty run; peak RSS of the process {peak:,.0f} MiB")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
