"""The HTML report in a real headless browser: it loads offline, logs no console error, draws its charts.

Needs Debian's ``chromium`` (``apt-get install -y chromium``); skipped with that reason when absent.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from decimal import Decimal
from pathlib import Path

import pytest

from kaoping.compare.engine import VariantSpec, compare_variants, run_variant
from kaoping.compare.html import to_html
from kaoping.compare.perturb import Range, simulate
from tests.compare.common import channel_dataset, compare_host, synthetic_map

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium) to check the HTML report"
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-logging=stderr",
    "--v=0",
]
CONSOLE = re.compile(r":CONSOLE(?::|\()\d*\)?\]? ?(.*)")


def browse(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    host = compare_host()
    dataset = channel_dataset()
    reform = {"grading": {"quotas": [{"id": "excellent", "counts": {"series2": 2}}]}}
    specs = [
        VariantSpec("zz", "fujian.zhangzhou"),
        VariantSpec("zz-reform", "fujian.zhangzhou", ((reform, "reform"),)),
        VariantSpec("syn", "test.synthetic"),
    ]
    comparison = compare_variants([run_variant(host, spec, dataset, [synthetic_map()]) for spec in specs])
    zz = comparison.variants[0]
    comparison.uncertainty.append(
        simulate("zz", zz.scheme, zz.result, [Range("indicators.*.points", pct=Decimal(20))], draws=200, seed=1)
    )
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(to_html(comparison), encoding="utf-8")
    return path


def test_report_is_self_contained(report: Path):
    text = report.read_text(encoding="utf-8")
    assert "<script" not in text and "<link" not in text and "@import" not in text
    assert re.findall(r"https?://[^\"' )]+", text) == ["http://www.w3.org/2000/svg"] * text.count("<svg")


@needs_chromium
def test_console_capture_catches_errors(tmp_path: Path):
    """A control: a page with a failing script shows up, so the clean result below means something."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom'); missing();</script>", encoding="utf-8")
    found = console_messages(browse(page, tmp_path / "profile", "--dump-dom").stderr)
    assert any("boom" in line for line in found) and any("missing is not defined" in line for line in found)


@needs_chromium
def test_report_loads_without_console_errors_and_renders_charts(report: Path, tmp_path: Path):
    done = browse(report, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_messages(done.stderr) == []
    dom = done.stdout
    assert dom.count("<svg") == 4  # distribution, a slope chart per pair, the uncertainty bands
    assert dom.count('class="slope"') == 12  # six units in each of two pairs
    assert 'class="bar"' in dom and 'class="band"' in dom
    assert "Kendall tau-b" in dom and "0.6000" in dom


@needs_chromium
def test_screenshot(report: Path, tmp_path: Path):
    shot = tmp_path / "report.png"
    done = browse(report, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2400")
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000  # a blank 1280 × 2400 page compresses to a few kilobytes
    colours = pixel_colours(data)
    # the charts' own colours are on screen: rank-up and rank-down lines, and the histogram bars
    for colour in ((0x1A, 0x7F, 0x37), (0xCF, 0x22, 0x2E), (0x09, 0x69, 0xDA)):
        assert colours.get(colour, 0) > 50, colour


def pixel_colours(png: bytes) -> dict[tuple[int, int, int], int]:
    """Count the RGB colours of an 8-bit, non-interlaced PNG (what chromium writes), without Pillow."""
    position, chunks, header = 8, [], b""
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        body = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour_type in (2, 6)
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    counts: dict[tuple[int, int, int], int] = {}
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + predictor) & 0xFF
        for i in range(0, stride, channels):
            key = (line[i], line[i + 1], line[i + 2])
            counts[key] = counts.get(key, 0) + 1
        previous = line
    return counts
