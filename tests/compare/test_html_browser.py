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


# ---------------------------------------------------------------------------------------------------------
# Layout, measured in the browser: a copy of the report gets a small script that writes every chart's box
# and the boxes of its texts into the page, read back with --dump-dom.

MEASURE = """<script>
const charts = [...document.querySelectorAll('svg')].map((svg) => {
  const box = svg.getBoundingClientRect();
  return {
    label: svg.getAttribute('aria-label'),
    box: [box.left, box.top, box.right, box.bottom],
    texts: [...svg.querySelectorAll('text')].map((t) => {
      const r = t.getBoundingClientRect();
      return {text: t.textContent, box: [r.left, r.top, r.right, r.bottom]};
    }),
  };
});
const out = document.createElement('pre');
out.id = 'measured';
out.textContent = JSON.stringify(charts);
document.body.appendChild(out);
</script>"""

LONG_NAME = "某某县人民政府发展和改革委员会国民经济综合科暨价格监督检查所"
LONG_GRADES = ["优秀(一等奖,通报表扬并发放绩效奖金)", "良好(二等奖)", "一般(不发放绩效奖金)"]


def hard_comparison():
    """Ties (three units with identical data share a rank in both variants: identical lines), very long
    names, long variant labels and long grade names (legends), and a note carrying a machine path."""
    from tests.compare.common import synthetic_scheme

    long_grades = synthetic_scheme(
        id="test.long_grades",
        grading={
            "grades": LONG_GRADES,
            "default": LONG_GRADES[1],
            "bands": [
                {"id": "a", "grade": LONG_GRADES[0], "at_least": 85},
                {"id": "c", "grade": LONG_GRADES[2], "below": 65},
            ],
        },
    )
    host = compare_host(long_grades)
    records = channel_dataset_records_with_ties()
    from kaoping.io.dataio import dataset_from_records

    dataset = dataset_from_records(records)
    # the reform cuts target completion from 50 to 20 of the points (and the total to 70): ranks move
    reform = {"total": 70, "parts": [{"id": "work", "points": 20}], "indicators": [{"id": "targets", "points": 20}]}
    specs = [
        VariantSpec(
            "长标签的基准方案(县考评办2024年度)",
            "test.long_grades",
            (),
            ("overrides from /home/clerk/机密/kaoping.toml",),
        ),
        VariantSpec("改革方案:目标完成降为20分后的排名", "test.long_grades", ((reform, "reform"),)),
    ]
    variants = [run_variant(host, spec, dataset, []) for spec in specs]
    comparison = compare_variants(variants)
    base = comparison.variants[0]
    comparison.uncertainty.append(
        simulate(base.label, base.scheme, base.result, [Range("indicators.*.points", pct=Decimal(30))], 100, 1)
    )
    return comparison


def channel_dataset_records_with_ties() -> dict:
    rows = {
        # unit: name, targets (ratio of 100), survey, two peer ratings, deduction
        "A1": (LONG_NAME, "90", "20", ("90", "90"), None),
        "A2": (LONG_NAME + "二", "90", "20", ("90", "90"), None),  # A1–A3: the same data, the same ranks
        "A3": ("第三个并列单位", "90", "20", ("90", "90"), None),
        "B1": ("交通运输局", "60", "29", ("80", "80"), None),
        "B2": ("教育局", "70", "25", ("70", "70"), "3"),
        "B3": ("卫生健康局", "80", "10", ("60", "60"), None),
        "B4": ("财政局", "50", "28", ("50", "90"), None),
        "B5": ("审计局", "100", "5", ("95", "95"), "12"),
    }
    values, events = [], []
    for unit, (_name, targets, survey, peers, deduction) in rows.items():
        values += [
            {"unit": unit, "indicator": "targets", "value": targets, "target": "100"},
            {"unit": unit, "indicator": "survey", "value": survey},
        ]
        values += [{"unit": unit, "indicator": "peer", "value": v, "item": f"r{i}"} for i, v in enumerate(peers)]
        if deduction:
            events.append({"unit": unit, "rule": "penalty", "points": deduction})
    units = [{"unit": u, "name": row[0], "group": "series2"} for u, row in rows.items()]
    return {"units": units, "values": values, "events": events}


@pytest.fixture(scope="module")
def hard_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    html = to_html(hard_comparison())
    folder = tmp_path_factory.mktemp("hard")
    (folder / "report.html").write_text(html, encoding="utf-8")
    return folder / "report.html", html


def measure(page_html: str, folder: Path) -> list[dict]:
    import json

    page = folder / "measured.html"
    page.write_text(page_html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    done = browse(page, folder / "profile", "--dump-dom", "--window-size=1600,1200")
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stdout[-2000:]
    return json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def overlap(a: list[float], b: list[float]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0.5 and height > 0.5 else 0.0


def test_hard_report_names_identical_lines_and_paths(hard_report: tuple[Path, str]):
    _, html = hard_report
    assert "/home/clerk" not in html and "kaoping.toml" in html  # the note stays, the machine's path goes
    # A1–A3 tie on every key: one line for the three of them, its title naming each
    slopes = re.findall(r'<g class="slope" data-units="(\d+)">', html)
    assert "3" in slopes and sum(int(n) for n in slopes) == 8
    assert html.count(LONG_NAME) >= 4  # every long name appears whole, left and right
    assert html.count('class="cutoff"') == 4  # two bands in each of the two panels
    assert html.count('class="axis"') == 4  # x and y titles of each panel


@needs_chromium
def test_no_label_is_cut_or_drawn_over_another(hard_report: tuple[Path, str], tmp_path: Path):
    _, html = hard_report
    charts = measure(html, tmp_path)
    assert len(charts) >= 3
    for chart in charts:
        left, top, right, bottom = chart["box"]
        for text in chart["texts"]:
            x0, y0, x1, y1 = text["box"]
            assert x1 > x0, text  # drawn (fonts present)
            inside = x0 >= left - 0.5 and x1 <= right + 0.5 and y0 >= top - 0.5 and y1 <= bottom + 0.5
            assert inside, (chart["label"], text, chart["box"])
        texts = chart["texts"]
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                assert overlap(a["box"], b["box"]) == 0, (chart["label"], a, b)


@needs_chromium
def test_hard_report_screenshot_shows_the_charts(hard_report: tuple[Path, str], tmp_path: Path):
    page, _ = hard_report
    shot = tmp_path / "hard.png"
    done = browse(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1600,2200")
    assert done.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
