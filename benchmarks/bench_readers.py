"""Reading a large ``values.xlsx``: the workbook readers side by side, and kaoping's two ways of reading it.

Usage::

    python benchmarks/bench_readers.py [UNITS ...] [--readers NAME,NAME] [--folder DIR]

For each number of units (default 2,500: 100,000 value rows of the benchmark's 40 indicators) writes once a
data folder with ``units.csv`` and ``values.xlsx`` (written by XlsxWriter as Excel writes: shared strings,
numbers as numbers, the ``target`` cell left empty where the benchmark has none), then runs each reader in a
fresh process and prints its CPU seconds (user + system of the whole process, interpreter start included)
and peak RSS:

* ``openpyxl-readonly``: ``load_workbook(read_only=True, data_only=True)``, ``iter_rows(values_only=True)``
  (what kaoping uses);
* ``openpyxl-normal``: the same without ``read_only`` (every cell an object, the whole sheet in memory);
* ``calamine``: python-calamine (a compiled reader, ``pip install python-calamine``), skipped if absent;
* ``kaoping-rows``: ``load_dataset(folder, columnar=False)``: a ``ValueRow`` per row;
* ``kaoping-columns-openpyxl``: ``load_dataset(folder)``: the sheet read straight into columns by
  openpyxl (:mod:`kaoping.io.xlsxvalues`, python-calamine turned off);
* ``kaoping-columns``: the same, by python-calamine where it is installed (the default then);
* ``csv-columns``: the same rows as ``values.csv``, read into columns, for scale;
* ``json-rows``, ``json-columns``: the same rows as ``values.json`` (a list of objects, numbers as JSON
  numbers), read row by row and into columns (:mod:`kaoping.io.jsonvalues`).

A sheet holds at most 1,048,576 rows: 26,000 units of 40 indicators is the largest values sheet there is.
Figures go to ``docs/engine.md`` ("Reading workbooks into columns"), never into tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_scoring import INDICATORS, METHODS

READERS = (
    "openpyxl-readonly",
    "openpyxl-normal",
    "calamine",
    "kaoping-rows",
    "kaoping-columns-openpyxl",
    "kaoping-columns",
    "csv-columns",
    "json-rows",
    "json-columns",
)


def write_folder(units: int, folder: Path, seed: int = 1) -> None:
    """``reference_numpy.write_folder``'s numbers, the values as a workbook (and as a CSV file beside it)."""
    import xlsxwriter

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "csv").mkdir(exist_ok=True)
    (folder / "json").mkdir(exist_ok=True)
    records = []
    rng = random.Random(seed)
    workbook = xlsxwriter.Workbook(str(folder / "values.xlsx"))
    sheet = workbook.add_worksheet("values")
    sheet.write_row(0, 0, ["unit", "indicator", "value", "target"])
    lines = ["unit,indicator,value,target\n"]
    row = 1
    for u in range(units):
        uid = f"u{u}"
        for i in range(INDICATORS):
            method = METHODS[i % len(METHODS)]
            indicator = f"i{i:02d}"
            if method == "direct":
                tenths = rng.randint(0, 200)
                value, target = tenths / 10, None
                text = f"{tenths // 10}.{tenths % 10}"
            elif method == "share":
                total = rng.randint(0, 50)
                value, target = rng.randint(0, total), total
                text = str(value)
            else:
                value, target = rng.randint(0, 120), 100
                text = str(value)
            sheet.write_string(row, 0, uid)
            sheet.write_string(row, 1, indicator)
            sheet.write_number(row, 2, value)
            if target is not None:
                sheet.write_number(row, 3, target)
            lines.append(f"{uid},{indicator},{text},{'' if target is None else target}\n")
            record = {"unit": uid, "indicator": indicator, "value": value}
            records.append(record if target is None else {**record, "target": target})
            row += 1
    workbook.close()
    units_text = "unit,name,group\n" + "".join(f"u{u},u{u},g{u % 10}\n" for u in range(units))
    (folder / "units.csv").write_text(units_text, encoding="utf-8")
    (folder / "csv" / "units.csv").write_text(units_text, encoding="utf-8")
    (folder / "csv" / "values.csv").write_text("".join(lines), encoding="utf-8")
    (folder / "json" / "units.csv").write_text(units_text, encoding="utf-8")
    (folder / "json" / "values.json").write_text(json.dumps(records), encoding="utf-8")
    (folder / "DONE").write_text(str(units))


def ensure_folder(units: int, folder: Path | None) -> Path:
    folder = folder or Path(tempfile.gettempdir()) / f"kaoping-bench-xlsx-{units}"
    if not (folder / "DONE").exists():
        # in a process of its own: a child inherits its parent's peak RSS, which writing would inflate
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, str(units), "--write", "--folder", str(folder)], check=True)
        print(f"wrote {folder} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return folder


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def read(reader: str, folder: Path) -> int:
    """Read the values with ``reader``; the number of rows (or cells) it gave, so nothing is skipped."""
    path = folder / "values.xlsx"
    if reader.startswith("openpyxl"):
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=reader.endswith("readonly"), data_only=True)
        count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
        return count
    if reader == "calamine":
        from python_calamine import CalamineWorkbook

        return sum(1 for _row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())
    from kaoping.core import limits
    from kaoping.io import xlsxvalues
    from kaoping.io.dataio import load_dataset

    limits.configure(limits.Limits(rows=2_000_000, xlsx_mb=1024, file_mb=1024))  # a full sheet: about 150 MB
    if reader == "kaoping-columns-openpyxl":
        xlsxvalues.CALAMINE = False
    if reader == "csv-columns":
        return len(load_dataset(folder / "csv").values)
    if reader.startswith("json"):
        return len(load_dataset(folder / "json", columnar=reader == "json-columns").values)
    dataset = load_dataset(folder, columnar=reader != "kaoping-rows")
    return len(dataset.values) if reader == "kaoping-rows" else len(dataset.value_columns)


def child(reader: str, folder: Path) -> None:
    count = read(reader, folder)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"rows": count, "cpu": _cpu(), "rss_mib": usage.ru_maxrss / 1024}))
    sys.stdout.flush()
    os._exit(0)  # skip tearing down the rows: not part of reading


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("units", nargs="*", type=int, default=[2_500])
    parser.add_argument("--readers", default=",".join(READERS))
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--write", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.write:
        write_folder(options.units[0], options.folder)
        return
    if options.child:
        child(options.child, options.folder)
        return
    print("| units | value rows | reader | CPU s | peak RSS MiB |")
    print("|---|---|---|---|---|")
    for units in options.units:
        folder = ensure_folder(units, options.folder)
        for reader in options.readers.split(","):
            command = [sys.executable, __file__, "--child", reader, "--folder", str(folder)]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                last = (done.stderr.strip().splitlines() or ["failed"])[-1]
                print(f"| {units:,} | {units * INDICATORS:,} | {reader} | – ({last}) | – |")
                continue
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            print(
                f"| {units:,} | {figures['rows']:,} | {reader} | {figures['cpu']:.2f} | {figures['rss_mib']:,.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
