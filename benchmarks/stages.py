"""Where a folder → results run of the benchmark scheme spends its CPU and memory, stage by stage.

Usage::

    python benchmarks/stages.py 1000000 [--engine arrays]

Runs the stages of ``kaoping.core.pipeline.run`` (with its hand-backs of freed memory between them) one
after the other on ``reference_numpy.py``'s folder (written there once) and prints, after each, the CPU
seconds it took, the RSS then and the peak RSS so far (``/proc/self/status``), so that memory is measured
where it goes rather than guessed.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from reference_numpy import Provider, ensure_folder


def _rss() -> tuple[float, float]:
    """Current and peak resident memory, MiB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found.get("VmRSS", 0.0), found.get("VmHWM", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("units", type=int, nargs="?", default=100_000)
    parser.add_argument("--engine", default="arrays", choices=("auto", "arrays"))
    args = parser.parse_args()
    folder = ensure_folder(args.units, None)
    os.environ["KAOPING_ENGINE"] = args.engine
    gc.disable()
    from kaoping.core import limits, memory
    from kaoping.core.pipeline import checked, with_group_ids
    from kaoping.core.plugins import PluginHost

    size = (folder / "values.csv").stat().st_size
    limits.configure(limits.Limits(rows=max(5_000_000, size // 8), file_mb=max(512, size // 2**20 + 1)))
    host = PluginHost(entry_points=False, plugin_objects=[("bench", Provider())])
    scheme = host.scheme("bench.synthetic")
    last = 0.0

    def stage(name: str) -> None:
        nonlocal last
        now = time.process_time()
        rss, peak = _rss()
        print(f"{name:<34} CPU {now - last:7.2f} s   RSS {rss:8,.0f} MiB   peak {peak:8,.0f} MiB", flush=True)
        last = now

    stage("start-up")
    dataset = with_group_ids(scheme, host.load_dataset(folder, scheme))
    memory.give_back()
    stage("read")
    checked(host.validate(scheme, dataset))
    memory.give_back()
    stage("validate")
    vetoes = host.check_vetoes(scheme, dataset)
    scores = host.score(scheme, dataset, vetoes)
    memory.give_back()
    stage("score")
    result = host.apply_results(scheme, scores, dataset, vetoes)
    stage("ranks, grades, consequences")
    trail = result.units[len(result.units) // 2].score.trail
    stage(f"explain one unit ({len(trail)} entries)")
    print(f"total CPU {time.process_time():.2f} s (process), peak RSS {_rss()[1]:,.0f} MiB")
    os._exit(0)


if __name__ == "__main__":
    main()
