"""Re-make the screenshots of the 通报 in 使用手册.md from the bundled Heshan sample.

    python docs/zh/make_images.py            # writes docs/zh/images/*.png

Needs LibreOffice (the workbook is printed to PDF as a clerk would print it), poppler-utils (pdftoppm,
pdftotext) and Chromium (the HTML page), with Chinese fonts:

    apt-get install -y libreoffice-calc-nogui poppler-utils chromium fonts-noto-cjk

The images show the labels in the current language (Simplified Chinese unless KAOPING_LANG says otherwise).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kaoping.core.pipeline import prepare, run
from kaoping.io.bulletin import build_bulletin
from kaoping.io.bulletin_html import to_html
from kaoping.io.bulletin_xlsx import write_bulletin_xlsx
from kaoping.locale import _
from kaoping.plugins.hunan_heshan import SAMPLE_DATA

IMAGES = Path(__file__).with_name("images")
RESOLUTION = "50"  # dots per inch: a readable page in about 60 KB


def main() -> int:
    tools = {name: shutil.which(name) for name in ("soffice", "pdftoppm", "pdftotext", "chromium")}
    missing = [name for name, path in tools.items() if path is None]
    if missing:
        print(f"missing: {', '.join(missing)} (see this script's docstring)", file=sys.stderr)
        return 2
    setup = prepare(scheme_id="hunan.heshan")
    assert setup.scheme is not None
    result = run(setup.host, setup.scheme, SAMPLE_DATA)
    bulletin = build_bulletin(result, setup.scheme, title="赫山区", year=2013)
    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        book = work / "tongbao.xlsx"
        write_bulletin_xlsx(bulletin, book)
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(book)],
            check=True,
            capture_output=True,
        )
        pdf = work / "tongbao.pdf"
        page_image(pdf, 1, IMAGES / "tongbao-xlsx-group.png")
        page_image(pdf, page_with(pdf, _("Grades by series")), IMAGES / "tongbao-xlsx-summary.png")
        page_image(pdf, page_with(pdf, _("How these results were computed")), IMAGES / "tongbao-xlsx-notes.png")
        page = work / "tongbao.html"
        page.write_text(to_html(bulletin), encoding="utf-8")
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                f"--user-data-dir={work / 'profile'}",
                "--hide-scrollbars",
                "--window-size=1100,760",
                "--force-device-scale-factor=0.8",
                f"--screenshot={IMAGES / 'tongbao-html.png'}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
    for image in sorted(IMAGES.glob("*.png")):
        print(f"{image.relative_to(Path.cwd()) if image.is_relative_to(Path.cwd()) else image}", image.stat().st_size)
    return 0


def page_with(pdf: Path, text: str) -> int:
    """The first page of ``pdf`` showing ``text``."""
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True)
    for number, content in enumerate(pages.stdout.split("\f"), start=1):
        if text in content:
            return number
    raise SystemExit(f"no page of {pdf.name} shows {text!r}")


def page_image(pdf: Path, number: int, target: Path) -> None:
    pages = ["-f", str(number), "-l", str(number)]
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", RESOLUTION, *pages, "-singlefile", str(pdf), str(stem)], check=True)


if __name__ == "__main__":
    sys.exit(main())
