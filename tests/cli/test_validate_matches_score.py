"""When ``validate`` says ok, ``score`` does not stop on the data: both run every check, including the checks
inside scoring methods. Tried on every built-in sample and on broken variants of each."""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import kaoping.plugins
from kaoping.cli.main import cli


def samples() -> list[tuple[str, Path]]:
    found = []
    for info in pkgutil.iter_modules(kaoping.plugins.__path__):
        module = importlib.import_module(f"kaoping.plugins.{info.name}")
        if getattr(module, "SCHEME_ID", None) and getattr(module, "SAMPLE_DATA", None):
            found.append((module.SCHEME_ID, Path(module.SAMPLE_DATA)))
    return sorted(found)


SAMPLES = samples()


def rewrite_values(folder: Path, change) -> bool:
    """Apply ``change(header, rows)`` to values.csv; False when the sample has no values table."""
    path = folder / "values.csv"
    if not path.exists():
        return False
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    if len(rows) < 2:
        return False
    change(rows[0], rows[1:])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return True


def column(header: list[str], name: str) -> int | None:
    return next((i for i, h in enumerate(header) if h == name or h.endswith(f"({name})")), None)


def set_cell(name: str, text: str):
    def change(header: list[str], rows: list[list[str]]) -> None:
        index = column(header, name)
        if index is None:
            header.append(name)
            index = len(header) - 1
        for row in rows:
            row.extend([""] * (len(header) - len(row)))
        rows[0][index] = text

    return change


VARIANTS = {
    "sample": None,
    "first row dropped": lambda header, rows: rows.pop(0),
    "value negative": set_cell("value", "-7"),
    "item unknown": set_cell("item", "不存在的细项"),
}


@pytest.mark.parametrize(("scheme_id", "sample"), SAMPLES, ids=[s for s, _ in SAMPLES])
def test_validate_ok_means_score_ok(scheme_id: str, sample: Path, tmp_path: Path):
    runner = CliRunner()
    for name, change in VARIANTS.items():
        folder = tmp_path / name.replace(" ", "_")
        shutil.copytree(sample, folder)
        if change is not None and not rewrite_values(folder, change):
            continue
        checked = runner.invoke(cli, ["validate", "--scheme", scheme_id, "--data", str(folder)])
        scored = runner.invoke(cli, ["score", "--scheme", scheme_id, "--data", str(folder), "--format", "json"])
        assert checked.exit_code in (0, 2) and scored.exit_code in (0, 2), (name, checked.output, scored.output)
        if checked.exit_code == 0:
            assert scored.exit_code == 0, (name, scored.output)
        else:
            assert scored.exit_code == 2, (name, checked.output)


def test_validate_reports_a_check_made_inside_a_scoring_method(tmp_path: Path):
    # 赫山 growth ranks: 「在全区排位每前移1位的,每项加0.5分」 (003): a place is a whole number from 1; only the
    # method knows, and validate must say so before score does
    sample = dict(SAMPLES)["hunan.heshan"]
    shutil.copytree(sample, tmp_path / "d")
    with (tmp_path / "d" / "values.csv").open("a", encoding="utf-8") as handle:
        handle.write("T1-01,growth_rank,0,3,财政总收入增长率\n")
    checked = CliRunner().invoke(cli, ["validate", "--scheme", "hunan.heshan", "--data", str(tmp_path / "d")])
    assert checked.exit_code == 2 and "a place in the district is a whole number from 1" in checked.output
