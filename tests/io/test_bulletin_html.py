"""The 通报 as one HTML page: structure read with html.parser; print layout measured in headless Chromium.

The Chromium tests need Debian's ``chromium`` (``apt-get install -y chromium fonts-noto-cjk``); they are
skipped with that reason when it is absent.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaoping.cli.main import cli
from kaoping.io.bulletin_html import to_html
from kaoping.locale import _
from kaoping.plugins.hunan_heshan import SAMPLE_DATA as HESHAN
from tests.io.common import mini_bulletin, sample_bulletin

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium) to check the HTML bulletin"
)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


class Page(HTMLParser):
    """What a reader and a printer get: sections with headings, table headers and rows, charts; and every tag
    and attribute, to prove nothing is fetched or run."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.sections: list[dict[str, list]] = []
        self._stack: list[str] = []
        self._text: list[str] = []
        self.style = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "section":
            self.sections.append({"h1": [], "h2": [], "th": [], "rows": [], "bars": [], "labels": []})
        if tag == "tr" and self.sections:
            self.sections[-1]["rows"].append([])
        if tag == "rect" and self.sections:
            self.sections[-1]["bars"].append(int(dict(attrs)["width"] or 0))
        self._stack.append(tag)
        self._text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._stack.pop()

    def handle_data(self, data: str) -> None:
        self._text.append(data)
        if self._stack and self._stack[-1] == "style":
            self.style += data

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self._text).strip()
        if self.sections:
            section = self.sections[-1]
            if tag in ("h1", "h2", "th"):
                section[tag].append(text)
            elif tag == "td" and section["rows"]:
                section["rows"][-1].append(text)
            elif tag == "div" and section["rows"] and section["rows"][-1] is not None:
                section["rows"][-1].append(text)
            elif tag == "text" and "svg" in self._stack:
                section["labels"].append(text)
        if self._stack:
            self._stack.pop()
        self._text = []


@pytest.fixture(scope="module")
def heshan_html() -> str:
    return to_html(sample_bulletin("hunan.heshan", title="赫山区", year=2013))


def test_one_section_per_group_then_summary_and_notes(heshan_html: str):
    page = Page(heshan_html)
    names = [s["h2"][0] for s in page.sections]
    assert names[:3] == ["乡镇 工业发展型", "乡镇 农业发展型", "街道"]
    assert names[-2:] == [_("Summary"), _("Notes")]
    assert len(names) == 12 + 2  # Heshan's twelve groups
    title = _("{year} evaluation results of {name}").format(year=2013, name="赫山区")
    assert all(s["h1"] == [title] for s in page.sections)  # every printed group starts with the title


def test_tables_have_the_bulletins_columns_and_rows(heshan_html: str):
    street = next(s for s in Page(heshan_html).sections if s["h2"] == ["街道"])
    assert street["th"][:3] == [_("Rank"), _("Unit"), _("Total")]
    assert street["th"][-3:] == [_("Grade"), _("Veto"), _("Use of results")]
    body = [row for row in street["rows"] if row]
    # expected.csv: H-01 赫山街道办事处 814, rank 1, 优秀; totals shown at the precision 0.01
    assert body[0][:3] == ["1", "赫山街道办事处", "814.00"]
    assert len(body) == 4


def test_a_grade_chart_per_group_with_one_bar_per_grade(heshan_html: str):
    sections = Page(heshan_html).sections
    industrial = sections[0]
    # expected.csv, 乡镇 工业发展型: 2 优秀, 4 达标, none 基本达标 or 不达标
    assert industrial["labels"] == ["优秀", "2", "达标", "4", "基本达标", "0", "不达标", "0"]
    widths = industrial["bars"]
    assert widths[1] == 2 * widths[0] and widths[2] == widths[3] == 0


def test_the_page_is_self_contained_and_escapes_text(tmp_path: Path):
    groups = [{"id": "g", "name": "<b>组</b>"}]
    units = [{"unit": "a", "name": "<script>alert(1)</script>&甲", "group": "g"}]
    text = to_html(mini_bulletin(groups, units, {"a": "90"}))
    page = Page(text)
    assert not [tag for tag, _attrs in page.tags if tag in ("script", "link", "img", "iframe", "object")]
    assert not [a for _tag, attrs in page.tags for k, a in attrs.items() if k in ("src", "href")]
    assert "<script>alert" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;&amp;甲" in text
    assert page.sections[0]["h2"] == ["<b>组</b>"]  # read back as text, not as markup
    assert "url(" not in page.style and "@import" not in page.style


def test_print_css_asks_for_a4_landscape_repeated_headers_and_a_page_per_group(heshan_html: str):
    style = Page(heshan_html).style
    assert re.search(r"@page\s*{\s*size:\s*A4 landscape", style)
    assert "thead { display: table-header-group; }" in style
    assert "section { break-before: page;" in style
    assert "counter(pages)" in style


def test_score_writes_html_to_a_file_or_stdout(tmp_path: Path):
    args = ["score", "--scheme", "hunan.heshan", "--data", str(HESHAN), "--format", "html", "--year", "2013"]
    shown = CliRunner().invoke(cli, args)
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("<!DOCTYPE html>")
    out = tmp_path / "通报.html"
    written = CliRunner().invoke(cli, [*args, "-o", str(out)])
    assert written.exit_code == 0, written.output
    assert out.read_text(encoding="utf-8") == shown.output


# ---------------------------------------------------------------------------------------------------------
# in Chromium

# Runs after layout, in a copy of the page (the page itself has no script): measures boxes at the width of
# an A4 landscape page's printable area and writes the findings into the DOM for --dump-dom.
PROBE = """
<script>
const sheet = document.documentElement.clientWidth;
const found = {width: sheet, tables: [], cut: []};
for (const table of document.querySelectorAll("table")) {
  found.tables.push(Math.round(table.getBoundingClientRect().width));
}
for (const cell of document.querySelectorAll("th, td, svg text")) {
  if (cell.scrollWidth > cell.clientWidth + 1 && cell.tagName !== "text") found.cut.push(cell.textContent);
  const box = cell.getBoundingClientRect();
  if (box.right > sheet + 1) found.cut.push(cell.textContent);
}
document.body.insertAdjacentHTML("beforeend", "<pre id='probe'>" + JSON.stringify(found) + "</pre>");
</script>
"""
A4_LANDSCAPE_PRINTABLE_PX = 1047  # (297 mm − 20 mm margins) at 96 px per inch


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@needs_chromium
def test_every_table_fits_the_width_of_an_a4_landscape_page(heshan_html: str, tmp_path: Path):
    page = tmp_path / "probe.html"
    page.write_text(heshan_html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    done = chromium(
        f"--window-size={A4_LANDSCAPE_PRINTABLE_PX},800",
        "--virtual-time-budget=3000",
        "--dump-dom",
        page.as_uri(),
        profile=tmp_path / "profile",
    )
    match = re.search(r"<pre id=\"probe\">(.*?)</pre>", done.stdout)
    assert match, done.stderr[-2000:]
    found = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert found["tables"] and max(found["tables"]) <= found["width"]
    assert found["cut"] == []


@needs_chromium
def test_printing_gives_a4_landscape_pages_a_group_per_page(heshan_html: str, tmp_path: Path):
    page = tmp_path / "通报.html"
    page.write_text(heshan_html, encoding="utf-8")
    pdf = tmp_path / "通报.pdf"
    done = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri(), profile=tmp_path / "profile")
    assert pdf.exists(), done.stderr[-2000:]
    data = pdf.read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes and all(float(w) > float(h) for w, h in boxes)  # landscape
    assert all(abs(float(w) - 841.9) < 1 and abs(float(h) - 595.3) < 1 for w, h in boxes)  # A4: 297 × 210 mm
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 12 + 2  # a new page for each group, the summary and the notes
