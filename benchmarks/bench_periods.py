"""A per-period run: Qinghe's monthly scheme on generated units × months, folder → results → JSON.

Usage: ``python benchmarks/bench_periods.py [units] [--months 12] [--folder DIR]``. Writes a CSV folder in
the shape of ``xinjiang.qinghe.jiwei``'s sample (cadres and teams rated each month by three raters, 30 / 40 /
30; county units with one monthly score; talks, 约谈, in a few months), then, in a fresh process, scores it
with kaoping's pipeline (the sample's test grading bands, scaled to the months) and writes the JSON report
(every unit's annual trail, one entry per month). Prints the CPU seconds and peak RSS of the process after
the results and after the JSON, and a SHA-256 of the JSON, so that two versions of kaoping can be checked
to give the same bytes (run the script with ``PYTHONPATH`` pointing at the other version's tree).
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
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

SCHEME = "xinjiang.qinghe.jiwei"
RATERS = ("自评", "民主测评", "领导点评")


def write_folder(folder: Path, units: int, months: int, seed: int = 1) -> None:
    """units.csv, values.csv and events.csv of ``units`` units over ``months`` months of 2015."""
    rng = random.Random(seed)
    periods = [f"2015-{m:02d}" for m in range(1, months + 1)]
    folder.mkdir(parents=True, exist_ok=True)
    with (
        (folder / "units.csv").open("w", newline="", encoding="utf-8") as units_file,
        (folder / "values.csv").open("w", newline="", encoding="utf-8") as values_file,
        (folder / "events.csv").open("w", newline="", encoding="utf-8") as events_file,
    ):
        unit_rows, value_rows, event_rows = csv.writer(units_file), csv.writer(values_file), csv.writer(events_file)
        unit_rows.writerow(["unit", "name", "group"])
        value_rows.writerow(["unit", "indicator", "value", "item", "period"])
        event_rows.writerow(["unit", "rule", "count", "date", "note"])
        for u in range(units):
            kind = "county_units" if u % 10 == 9 else "teams" if u % 10 == 8 else "cadres"
            uid = f"Q{u:07d}"
            unit_rows.writerow([uid, f"单位{u}", kind])
            level = rng.randint(60, 95)
            for period in periods:
                if kind == "county_units":
                    value_rows.writerow([uid, "county_assessment", rng.randint(level, 100), "", period])
                else:
                    for rater in RATERS:
                        value = f"{rng.randint(level, 99)}.{rng.randint(0, 9)}" if rng.random() < 0.3 else ""
                        value_rows.writerow([uid, "three_ratings", value or rng.randint(level, 100), rater, period])
                if rng.random() < 0.04:
                    rule = "accountability_talk" if kind == "county_units" else "talk"
                    event_rows.writerow([uid, rule, 1, f"{period}-20", "末位约谈"])


def grading(months: int) -> dict[str, Any]:
    """The sample's test bands (优秀 from 90 a month, 良好 from 80), for ``months`` months."""
    return {
        "grading": {
            "grades": ["优秀", "良好", "一般"],
            "default": "一般",
            "bands": [
                {"id": "a", "grade": "优秀", "at_least": 90 * months},
                {"id": "b", "grade": "良好", "at_least": 80 * months, "below": 90 * months},
            ],
        }
    }


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(folder: Path, months: int, out: Path, write: bool = True) -> None:
    """Score the folder and write its JSON in this process; save the measurements beside ``out``."""
    gc.disable()  # as kaoping's pipeline does around a run
    started = time.perf_counter()
    from kaoping.core import limits
    from kaoping.core.pipeline import run
    from kaoping.core.plugins import PluginHost
    from kaoping.io.report import write_json

    size = (folder / "values.csv").stat().st_size
    limits.configure(limits.Limits(rows=max(5_000_000, size // 8), file_mb=max(512, size // 2**20 + 1)))
    host = PluginHost(entry_points=False)
    result = run(host, host.scheme(SCHEME, grading(months)), folder)
    scored = {"cpu": _cpu(), "wall": time.perf_counter() - started, "rss_mib": _rss_mib()}
    if write:
        with out.open("w", encoding="utf-8") as json_file:
            write_json(result, json_file)
    else:  # the results' totals, ranks and grades only
        out.write_text("".join(f"{u.unit},{u.total},{u.rank},{u.grade}\n" for u in result.units), encoding="utf-8")
    written = {"cpu": _cpu(), "wall": time.perf_counter() - started, "rss_mib": _rss_mib()}
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    import kaoping

    report = {"results": scored, "json": written, "sha256": digest, "kaoping": str(Path(kaoping.__file__).parent)}
    out.with_suffix(".measure.json").write_text(json.dumps(report))
    os._exit(0)  # skip tearing down the run's objects: not part of any run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("units", type=int, nargs="?", default=20_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--folder", type=Path, help="where to write (or reuse) the generated folder")
    parser.add_argument("--no-json", action="store_true", help="hash the totals, ranks and grades instead of the JSON")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.folder, args.months, args.child, write=not args.no_json)
        return
    with tempfile.TemporaryDirectory(prefix="kaoping-periods-") as work:
        folder = args.folder or Path(work) / "data"
        if not (folder / "values.csv").exists():
            write_folder(folder, args.units, args.months)
        out = Path(work) / "result.json"
        command = [sys.executable, __file__, "--child", str(out), "--folder", str(folder), "--months", str(args.months)]
        command += ["--no-json"] if args.no_json else []
        subprocess.run(command, check=True)
        report = json.loads(out.with_suffix(".measure.json").read_text())
    engine = os.environ.get("KAOPING_ENGINE", "auto")
    print(f"{args.units:,} units × {args.months} months, KAOPING_ENGINE={engine}, kaoping from {report['kaoping']}")
    written = "totals, ranks and grades written" if args.no_json else "JSON written"
    for stage, label in (("results", "folder → results"), ("json", f"… → {written}")):
        figures = report[stage]
        cpu, wall, rss = figures["cpu"], figures["wall"], figures["rss_mib"]
        print(f"  {label}: {cpu:.2f} CPU s, {wall:.2f} s wall, peak RSS {rss:.0f} MiB")
    print(f"  {'totals' if args.no_json else 'JSON'} sha256 {report['sha256']}")


if __name__ == "__main__":
    main()
