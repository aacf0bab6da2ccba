"""A scheme text prepared for matching, with every position traceable to the original.

Recognisers match a *normalised* copy: NFKC (full-width digits and punctuation), traditional
characters mapped to simplified for the words the patterns use, inline romanisation dropped
(``發(fā)`` → ``发``), spaces removed. Each normalised character remembers the original character it
came from, so a match is reported as a verbatim slice of the original text with its offset there.

Sentences end at 。；;！？ and line breaks; clauses also end at ，, a tab (a table cell; two or more
spaces after text on a line count as one, for tables saved as text) and at enumeration markers
(一是、二是 / (一)(二) / 1. 2. / (1)(2)), which outline-style schemes use in place of sentences.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import attrs

_ROMANISATION = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňɡ]{1,8}\)")
_SENTENCE_END = re.compile(r"[。；;!?！？\n]+")
_CLAUSE_END = re.compile(r"[,，:：\t]+")


@attrs.frozen
class Span:
    """A stretch of the original text: ``text == original[start:end]``."""

    start: int
    end: int
    text: str


class Normalised:
    """The normalised text of one document and the map back to the original."""

    def __init__(self, original: str, traditional: Mapping[str, str]) -> None:
        self.original = original
        self.traditional = traditional
        chars: list[str] = []
        origin: list[int] = []
        skip = {m.start(): m.end() for m in _ROMANISATION.finditer(original)}
        index = 0
        while index < len(original):
            if index in skip and index > 0 and _is_cjk(original[index - 1]):
                index = skip[index]
                continue
            char = original[index]
            cell_gap = _is_cell_gap(original, index, chars)
            for out in unicodedata.normalize("NFKC", char):
                out = traditional.get(out, out)
                if out.isspace() and out != "\n":
                    out = "\t" if char == "\t" or cell_gap else ""
                if out:
                    chars.append(out)
                    origin.append(index)
            index += 1
        self.text = "".join(chars)
        self.origin = origin

    def span(self, start: int, end: int) -> Span:
        """The original text behind normalised positions ``[start, end)``."""
        first = self.origin[start]
        last = self.origin[end - 1] + 1
        return Span(first, last, self.original[first:last])

    def sentences(self) -> list[tuple[int, int]]:
        """Sentence bounds in normalised positions, empty ones dropped."""
        return _pieces(self.text, 0, len(self.text), _SENTENCE_END)


def pieces(text: str, start: int, end: int, enumeration: re.Pattern[str]) -> list[tuple[int, int]]:
    """The pieces of one sentence between enumeration markers (the markers left out)."""
    return _pieces(text, start, end, enumeration)


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause bounds inside one piece: split at commas, colons and tabs (table cells)."""
    return _pieces(text, start, end, _CLAUSE_END)


def _pieces(text: str, start: int, end: int, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    pieces = []
    cut = start
    for match in separator.finditer(text, start, end):
        if match.start() > cut:
            pieces.append((cut, match.start()))
        cut = match.end()
    if end > cut:
        pieces.append((cut, end))
    return [(a, b) for a, b in pieces if text[a:b].strip()]


def _is_cell_gap(original: str, index: int, emitted: list[str]) -> bool:
    """The first of two or more spaces after text on a line: a table flattened into text by spaces."""
    return (
        original[index] in " \u3000"
        and index + 1 < len(original)
        and original[index + 1] in " \u3000"
        and bool(emitted)
        and emitted[-1] not in "\n\t"
        and (index == 0 or original[index - 1] not in " \u3000")
    )


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff"
