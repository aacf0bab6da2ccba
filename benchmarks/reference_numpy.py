"""A hand-written numpy reference of the benchmark scheme, checked against kaoping on every unit.

Usage::

    python benchmarks/reference_numpy.py 100000 [--engine auto|arrays] [--folder DIR] [--skip-kaoping]

Writes (once, then reuses) a CSV folder of ``bench_scoring.py``'s synthetic data (40 indicators, 10 groups,
events on a third of the units), then runs, each in a fresh process so CPU time and peak memory are its own:

* the reference: pandas' C parser reads the folder, numpy scores it in integer cents (half up), ranks
  within each group and grades with the band and the 20% quota (ties at the last place excluded);
* kaoping: ``kaoping.core.pipeline.run`` on the same folder (the engine ``KAOPING_ENGINE`` chooses).

It then requires equality on every unit (total to the cent, rank, grade and each indicator's points) and
prints CPU seconds, peak RSS, units per second and the ratio. The reference is written from the scheme's
text, not from kaoping's code: it is the independent check, and the speed a plain array program reaches.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_scoring import INDICATORS, METHODS, Provider

GROUPS = 10
POINTS_CENTS = 2000  # every indicator is worth 20 points
DEDUCTION_CENTS = 200  # rule r: 2 points per event × count
BASE_CENTS = 20000  # part d starts at 200
BAND_BELOW_CENTS = 60000  # 不合格 below 600
QUOTA_SHARE = (1, 5)  # 优秀: 20% of each group, rounded half up
GRADES = ("优秀", "合格", "不合格")


# ---------------------------------------------------------------------------------------------------------
# the data folder


def write_folder(units: int, folder: Path, seed: int = 1) -> None:
    """The CSV folder of ``bench_scoring.synthetic_dataset`` (same generator, same numbers)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    with (
        open(folder / "units.csv", "w", encoding="utf-8") as unit_file,
        open(folder / "values.csv", "w", encoding="utf-8") as value_file,
        open(folder / "events.csv", "w", encoding="utf-8") as event_file,
    ):
        unit_file.write("unit,name,group\n")
        value_file.write("unit,indicator,value,target\n")
        event_file.write("unit,rule,count\n")
        for u in range(units):
            uid = f"u{u}"
            unit_file.write(f"{uid},{uid},g{u % GROUPS}\n")
            lines = []
            for i in range(INDICATORS):
                method = METHODS[i % len(METHODS)]
                if method == "direct":
                    tenths = rng.randint(0, 200)
                    lines.append(f"{uid},i{i:02d},{tenths // 10}.{tenths % 10},\n")
                elif method == "share":
                    total = rng.randint(0, 50)
                    lines.append(f"{uid},i{i:02d},{rng.randint(0, total)},{total}\n")
                else:
                    lines.append(f"{uid},i{i:02d},{rng.randint(0, 120)},100\n")
            value_file.write("".join(lines))
            if u % 3 == 0:
                event_file.write(f"{uid},r,{rng.randint(1, 5)}\n")
    (folder / "DONE").write_text(str(units))


def ensure_folder(units: int, folder: Path | None) -> Path:
    folder = folder or Path(tempfile.gettempdir()) / f"kaoping-bench-{units}"
    if not (folder / "DONE").exists():
        start = time.perf_counter()
        write_folder(units, folder)
        print(f"wrote {folder} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return folder


# ---------------------------------------------------------------------------------------------------------
# the reference


def half_up_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den rounded half away from zero, for num ≥ 0 and den > 0 (四舍五入), in integers."""
    return (2 * num + den) // (2 * den)


def reference(folder: Path) -> dict[str, np.ndarray]:
    """Score the folder with pandas + numpy; every number an integer number of cents."""
    import pandas as pd

    units = pd.read_csv(folder / "units.csv", dtype={"unit": str, "name": str, "group": str})
    values = pd.read_csv(folder / "values.csv", dtype={"unit": str, "indicator": str})
    events = pd.read_csv(folder / "events.csv", dtype={"unit": str, "rule": str})
    unit_ids = units["unit"].to_numpy()
    n = len(unit_ids)
    unit_code = pd.Index(unit_ids)
    group = pd.Categorical(units["group"], categories=[f"g{k}" for k in range(GROUPS)]).codes
    row_unit = unit_code.get_indexer(values["unit"])
    row_indicator = pd.Categorical(values["indicator"], categories=[f"i{i:02d}" for i in range(INDICATORS)]).codes
    assert (row_unit >= 0).all() and (row_indicator >= 0).all()
    # values: tenths for direct (one decimal), whole numbers elsewhere; checked exact
    tenths = np.rint(values["value"].to_numpy() * 10).astype(np.int64)
    assert np.array_equal(tenths, values["value"].to_numpy() * 10)
    target = values["target"].fillna(-1).to_numpy().astype(np.int64)
    value = np.zeros((n, INDICATORS), dtype=np.int64)
    goal = np.zeros((n, INDICATORS), dtype=np.int64)
    value[row_unit, row_indicator] = tenths
    goal[row_unit, row_indicator] = target

    cents = np.zeros((n, INDICATORS), dtype=np.int64)
    for i in range(INDICATORS):
        method, v10, t = METHODS[i % len(METHODS)], value[:, i], goal[:, i]
        if method == "direct":  # 直接评分: the value is the points
            cents[:, i] = v10 * 10
        elif method == "ratio":  # points × min(value / target, 1)
            cents[:, i] = half_up_div(POINTS_CENTS * np.minimum(v10, t * 10), t * 10)
        elif method == "share":  # points × count / total; a total of 0 earns full points
            zero = t == 0
            cents[:, i] = np.where(zero, POINTS_CENTS, half_up_div(POINTS_CENTS * v10, np.where(zero, 1, t) * 10))
        else:  # pass_fail: full points at or above the row's target
            cents[:, i] = np.where(v10 >= t * 10, POINTS_CENTS, 0)
    counts = np.zeros(n, dtype=np.int64)
    np.add.at(counts, unit_code.get_indexer(events["unit"]), events["count"].to_numpy())
    deduction_part = np.maximum(BASE_CENTS - DEDUCTION_CENTS * counts, 0)  # base 200, floor 0 (扣完为止)
    total = cents.sum(axis=1) + deduction_part

    # competition ranks within each group, total descending
    order = np.lexsort((unit_ids.astype(str), -total, group))
    rank = np.zeros(n, dtype=np.int64)
    sorted_group, sorted_total = group[order], total[order]
    starts = np.r_[True, (sorted_group[1:] != sorted_group[:-1])]
    first_of_group = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    new_value = starts | np.r_[True, sorted_total[1:] != sorted_total[:-1]]
    first_of_value = np.maximum.accumulate(np.where(new_value, np.arange(n), 0))
    rank[order] = first_of_value - first_of_group + 1

    # grades: the band, then 20% of each group (rounded half up) among units not below the band
    grade = np.where(total < BAND_BELOW_CENTS, 2, 1)
    for g in range(GROUPS):
        members = order[sorted_group == g]
        size = half_up_div(np.int64(len(members) * QUOTA_SHARE[0]), np.int64(QUOTA_SHARE[1]))
        eligible = members[grade[members] == 1]
        if size <= 0:
            continue
        chosen = eligible[:size]
        if len(eligible) > size and total[eligible[size]] == total[eligible[size - 1]]:
            chosen = chosen[total[chosen] != total[eligible[size - 1]]]  # on_tie = exclude
        grade[chosen] = 0
    return {"unit": unit_ids.astype(str), "total": total, "rank": rank, "grade": grade, "indicators": cents}


# ---------------------------------------------------------------------------------------------------------
# kaoping


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def kaoping_arrays(folder: Path) -> dict[str, Any]:
    """Run kaoping's pipeline on the folder (its results, not yet arrays)."""
    from kaoping.core import limits
    from kaoping.core.pipeline import run
    from kaoping.core.plugins import PluginHost

    # a million units is 40 million value rows in a file of about 0.8 GB: above the default limits, as a
    # deployment of that size raises them in kaoping.toml
    size = (folder / "values.csv").stat().st_size
    limits.configure(limits.Limits(rows=max(5_000_000, size // 8), file_mb=max(512, size // 2**20 + 1)))
    host = PluginHost(entry_points=False, plugin_objects=[("bench", Provider())])
    scheme = host.scheme("bench.synthetic")
    return {"result": run(host, scheme, folder)}


def _kaoping_numbers(result: Any) -> dict[str, np.ndarray]:
    """kaoping's results as the reference's arrays."""
    units = sorted(result.units, key=lambda r: int(r.unit[1:]))
    grade_code = {g: k for k, g in enumerate(GRADES)}
    indicator_ids = [f"i{i:02d}" for i in range(INDICATORS)]
    cents = np.zeros((len(units), INDICATORS), dtype=np.int64)
    for row, unit in enumerate(units):
        points = unit.score.indicator_points()
        cents[row] = [int(points[i].scaleb(2)) for i in indicator_ids]
    return {
        "unit": np.array([u.unit for u in units]),
        "total": np.array([int(u.total.scaleb(2)) for u in units], dtype=np.int64),
        "rank": np.array([u.rank for u in units], dtype=np.int64),
        "grade": np.array([grade_code[u.grade] for u in units], dtype=np.int64),
        "indicators": cents,
    }


def child(kind: str, folder: Path, out: Path) -> None:
    """Compute one side in this process and save its arrays with its CPU time and peak RSS.

    The CPU time is the whole process's (interpreter start, imports, plugin host, reading, scoring,
    ranking, grading) up to the results in memory; turning kaoping's results into the comparison's arrays
    is done after the measurement, with the collector paused, as a caller that writes them would.
    """
    gc.disable()  # as kaoping's own pipeline does around a run: both sides alike
    started = time.perf_counter()
    arrays = reference(folder) if kind == "reference" else kaoping_arrays(folder)
    measure = {
        "cpu": _cpu(),
        "wall": time.perf_counter() - started,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if kind == "kaoping":
        arrays = _kaoping_numbers(arrays["result"])
    np.savez(out, **arrays)
    out.with_suffix(".json").write_text(json.dumps(measure))
    os._exit(0)  # skip tearing down millions of objects: not part of any run


def run_child(kind: str, folder: Path, work: Path, engine: str) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    out = work / f"{kind}.npz"
    env = {**os.environ, "KAOPING_ENGINE": engine}
    command = [sys.executable, __file__, "--child", kind, "--folder", str(folder), "--out", str(out)]
    subprocess.run(command, check=True, env=env)
    with np.load(out) as saved:
        arrays = {k: saved[k] for k in saved.files}
    return arrays, json.loads(out.with_suffix(".json").read_text())


def compare(ours: dict[str, np.ndarray], theirs: dict[str, np.ndarray]) -> list[str]:
    problems = []
    if not np.array_equal(ours["unit"], theirs["unit"]):
        return ["the units differ"]
    for key in ("total", "rank", "grade", "indicators"):
        differ = ours[key] != theirs[key]
        if differ.ndim == 2:
            differ = differ.any(axis=1)
        if differ.any():
            first = ours["unit"][np.flatnonzero(differ)[0]]
            problems.append(f"{key}: {int(differ.sum())} units differ (first: {first})")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("units", type=int, nargs="?", default=10_000)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--engine", default="auto", choices=("auto", "arrays"))
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--child", choices=("reference", "kaoping"), help=argparse.SUPPRESS)
    parser.add_argument("--skip-kaoping", action="store_true", help="time the reference alone")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.out)
        return
    folder = ensure_folder(args.units, args.folder)
    with tempfile.TemporaryDirectory() as work:
        ref, ref_measure = run_child("reference", folder, Path(work), args.engine)
        lines = [("numpy reference", ref_measure)]
        if not args.skip_kaoping:
            ours, our_measure = run_child("kaoping", folder, Path(work), args.engine)
            lines.append((f"kaoping (engine {args.engine})", our_measure))
            problems = compare(ours, ref)
    units = len(ref["unit"])
    print(f"{units:,} units × {INDICATORS} indicators, folder → results ({folder})")
    for label, measure in lines:
        print(
            f"  {label:<26} CPU {measure['cpu']:8.2f} s  wall {measure['wall']:8.2f} s  "
            f"{units / measure['cpu']:>10,.0f} units/CPU s  peak RSS {measure['rss_mib']:8,.0f} MiB"
        )
    if args.skip_kaoping:
        return
    print(
        f"  ratio kaoping / reference: CPU {our_measure['cpu'] / ref_measure['cpu']:.1f}×, "
        f"peak RSS {our_measure['rss_mib'] / ref_measure['rss_mib']:.1f}×"
    )
    if problems:
        print("  NOT EQUAL: " + "; ".join(problems))
        sys.exit(1)
    print("  equal on every unit: totals to the cent, ranks, grades and all 40 indicators' points")


if __name__ == "__main__":
    main()
