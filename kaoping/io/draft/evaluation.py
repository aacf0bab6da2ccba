"""How close a draft comes to a scheme written by hand from the same text: recall and precision.

A hand-written scheme's *quoted numbers* are its items whose ``quote`` holds a number. Each quote is
located in the source (its fragments, normalised as the drafting normalises, wherever they occur: a
rule worded the same way in two sections is the same rule). A draft candidate *matches* a quote when
the number it read lies inside one of the quote's places (or, for a candidate without a number, such
as 一票否决 or 扣完为止, when their places overlap). The stretch of text a scheme covers runs from the
first place of its first quote to the first place of its last.

- recall: the share of the scheme's quoted numbers matched by some candidate;
- precision: the share of candidates, in the stretch of the text the scheme's quotes cover, that match
  one of the quotes of any hand-written scheme of that text. This undercounts: a real rule the
  hand-written scheme left out counts against the draft (docs/drafting.md has a hand-judged sample).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from kaoping.core.tomlread import read_toml
from kaoping.io.draft.numerals import find_numbers
from kaoping.io.draft.reading import read_scheme_text
from kaoping.io.draft.recognise import Candidate, Patterns, Reading, load_patterns, read_candidates
from kaoping.io.draft.text import Normalised

SEPARATORS = re.compile(r"…|\.\.\.|「|」|“|”|;|；")


@attrs.frozen
class Located:
    """A hand-written item's quote and where it stands in the source (original offsets)."""

    path: str
    quote: str
    spans: tuple[tuple[int, int], ...]
    numbered: bool
    first: tuple[tuple[int, int], ...] = ()


@attrs.frozen
class Score:
    scheme: str
    quoted: int
    found: int
    candidates: int
    real: int
    missed: tuple[Located, ...] = ()

    @property
    def recall(self) -> float:
        return self.found / self.quoted if self.quoted else 0.0

    @property
    def precision(self) -> float:
        return self.real / self.candidates if self.candidates else 0.0


def quotes(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every ``quote`` in a scheme mapping, with the path of the item it belongs to."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "quote" and isinstance(value, str):
                yield path, value
            elif key != "draft":
                yield from quotes(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            label = value.get("id", index) if isinstance(value, Mapping) else index
            yield from quotes(value, f"{path}[{label}]")


def locate(scheme: Mapping[str, Any], norm: Normalised) -> list[Located]:
    """The scheme's quotes found in the text, once each (the same quote on two items counts once)."""
    located: dict[str, Located] = {}
    traditional = norm.traditional
    for path, quote in quotes(scheme):
        key = Normalised(quote, traditional).text
        if key in located:
            continue
        spans = []
        first = []
        whole = key.replace("\n", "")
        fragments = [quote] if len(whole) >= 4 and whole in norm.text else SEPARATORS.split(quote)
        previous_ends: list[int] = []
        for fragment in fragments:
            wanted = Normalised(fragment, traditional).text.replace("\n", "")
            if not wanted:
                continue
            if len(wanted) < 4:  # 「“绩效评估基本达标单位”10%」: a short fragment counts right after the last
                ends = []
                for end in previous_ends:
                    at = norm.text.find(wanted, end, end + 2 + len(wanted))
                    if at >= 0:
                        span = norm.span(at, at + len(wanted))
                        spans.append((span.start, span.end))
                        ends.append(at + len(wanted))
                previous_ends = ends
                continue
            at = norm.text.find(wanted)
            if at >= 0:
                span = norm.span(at, at + len(wanted))
                first.append((span.start, span.end))
            previous_ends = []
            while at >= 0:
                span = norm.span(at, at + len(wanted))
                spans.append((span.start, span.end))
                previous_ends.append(at + len(wanted))
                at = norm.text.find(wanted, at + 1)
        if spans:
            numbered = bool(find_numbers(key))
            located[key] = Located(path, quote, tuple(spans), numbered, tuple(first))
    return list(located.values())


def matches(candidate: Candidate, item: Located) -> bool:
    if candidate.number is not None:
        return any(a <= candidate.number.start and candidate.number.end <= b for a, b in item.spans)
    return any(a < candidate.quote.end and candidate.quote.start < b for a, b in item.spans)


def score(name: str, reading: Reading, own: Sequence[Located], every: Sequence[Located]) -> Score:
    """Recall of ``own`` quoted numbers; precision over the candidates inside ``own``'s stretch of text."""
    numbered = [item for item in own if item.numbered]
    found = [item for item in numbered if any(matches(c, item) for c in reading.candidates)]
    starts = [a for item in own for a, _ in item.first]
    ends = [b for item in own for _, b in item.first]
    if not starts:
        return Score(name, len(numbered), 0, 0, 0, tuple(numbered))
    low, high = min(starts), max(ends)
    inside = [c for c in reading.candidates if low <= c.quote.start and c.quote.end <= high]
    real = [c for c in inside if any(matches(c, item) for item in every)]
    missed = tuple(item for item in numbered if item not in found)
    return Score(name, len(numbered), len(found), len(inside), len(real), missed)


@attrs.frozen
class SeedScores:
    """The draft of one source text, scored against every hand-written scheme of that text."""

    seed: str
    schemes: tuple[Score, ...]
    candidates: int
    real: int
    unplaced: int

    @property
    def precision(self) -> float:
        return self.real / self.candidates if self.candidates else 0.0


def evaluate(seeds: Path, scheme_files: Sequence[Path], patterns: Patterns | None = None) -> list[SeedScores]:
    """Draft every seed some scheme quotes, and score each scheme (by ``[source] file``) against it."""
    patterns = patterns or load_patterns()
    by_seed: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for path in scheme_files:
        data = read_toml(path)
        seed = str(data.get("source", {}).get("file", ""))
        if (seeds / seed).is_file():
            by_seed.setdefault(seed, []).append((str(data["id"]), data))
    results = []
    for seed, schemes in sorted(by_seed.items()):
        text = read_scheme_text(seeds / seed)
        reading = read_candidates(text, patterns)
        norm = Normalised(text, patterns.traditional)
        located = {scheme_id: locate(data, norm) for scheme_id, data in schemes}
        every = [item for items in located.values() for item in items]
        scores = tuple(score(scheme_id, reading, located[scheme_id], every) for scheme_id, _ in sorted(schemes))
        real = sum(1 for c in reading.candidates if any(matches(c, item) for item in every))
        results.append(SeedScores(seed, scores, len(reading.candidates), real, len(reading.unplaced)))
    return results
