"""Which numbers of a scheme text a scheme file uses, and which are still untranscribed.

A number is *used* when it lies inside the place in the text of some item's ``quote`` (the quote, or
its fragments, normalised as the drafting normalises, wherever the wording occurs). The ``[draft]``
lists do not count as use: a number only listed there is still to be transcribed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from kaoping.io.draft.evaluation import locate
from kaoping.io.draft.numerals import find_numbers
from kaoping.io.draft.recognise import Patterns, load_patterns
from kaoping.io.draft.text import Normalised


@attrs.frozen
class NumberUse:
    """One number of the text: where it is, and the scheme item that quotes it (empty: untranscribed)."""

    offset: int
    line: int
    number: str
    used_by: str
    sentence: str


def number_uses(scheme: Mapping[str, Any], text: str, patterns: Patterns | None = None) -> list[NumberUse]:
    """Every number of ``text`` in order, with the item of ``scheme`` whose quote covers it."""
    patterns = patterns or load_patterns()
    norm = Normalised(text, patterns.traditional)
    located = locate(scheme, norm)
    uses = []
    for start, end in norm.sentences():
        sentence = norm.span(start, end).text
        for number in find_numbers(norm.text, start, end):
            span = norm.span(number.start, number.end)
            used_by = next(
                (item.path for item in located if any(a <= span.start and span.end <= b for a, b in item.spans)), ""
            )
            line = text.count("\n", 0, span.start) + 1
            uses.append(NumberUse(span.start, line, span.text, used_by, sentence))
    return uses
