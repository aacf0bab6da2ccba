"""Help text wrapped by the width a terminal shows, so that Chinese help lines fit the screen.

click wraps help at spaces and counts characters; Chinese has no spaces between words and each character
takes two columns, so a Chinese paragraph would run past the edge. This formatter wraps by display width
and may break between any two CJK characters (never before closing punctuation such as ，。）」).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import click

_CJK = r"\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef"
_CLOSING = "，。、；：！？）」』》〉】％,.;:!?)"
# a run of spaces, or one CJK character with the closing punctuation after it, or a run of anything else
_TOKENS = re.compile(rf"\s+|[{_CJK}][{re.escape(_CLOSING)}]*|[^\s{_CJK}]+")


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int, indent: str = "", subsequent: str | None = None) -> list[str]:
    """``text`` (one paragraph) in lines no wider than ``width`` columns, indents included."""
    subsequent = indent if subsequent is None else subsequent
    lines: list[str] = []
    line, used, space = indent, display_width(indent), ""
    for token in _TOKENS.findall(text):
        if token.isspace():
            space = " " if "\n" in token else token  # two spaces before click's "[default: …]" stay two
            continue
        piece = (space if line.strip() else "") + token
        if used + display_width(piece) > width and line.strip():
            lines.append(line.rstrip())
            line, used = subsequent + token, display_width(subsequent + token)
        else:
            line, used = line + piece, used + display_width(piece)
        space = ""
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def wrap_paragraphs(text: str, width: int, indent: str = "") -> list[str]:
    """Paragraphs (separated by blank lines) wrapped; a paragraph led by a ``\\b`` line is kept as written."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
        lines = paragraph.splitlines()
        if out:
            out.append("")
        if lines and lines[0].strip() == "\b":
            out += [indent + line for line in lines[1:]]
        else:
            out += wrap(" ".join(line.strip() for line in lines), width, indent)
    return out


class HelpFormatter(click.HelpFormatter):
    """click's formatter with text and definition lists wrapped by display width."""

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write("\n".join(wrap_paragraphs(text, self.width, indent)))
        self.write("\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_width = max((display_width(first) for first, _second in rows), default=0)
        first_col = min(first_width, col_max) + col_spacing
        for first, second in _pairs(rows):
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - 2 - self.current_indent, 10)
            lines = wrap_paragraphs(second, text_width)
            self.write(lines[0] + "\n" if lines else "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n" if line else "\n")


def _pairs(rows: Iterable[tuple[str, ...]]) -> Iterable[tuple[str, str]]:
    for row in rows:
        yield (row[0], row[1] if len(row) > 1 else "")


class Context(click.Context):
    """The context of every kaoping command: help formatted by :class:`HelpFormatter`."""

    formatter_class = HelpFormatter
