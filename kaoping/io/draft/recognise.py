"""Finding rule candidates in a scheme text with the recognisers of ``patterns.toml``.

Each sentence is cut into pieces at enumeration markers; every recogniser runs on every piece. One
written number belongs to at most one candidate: where several recognisers read the same number
(「最高加5分」 is a bonus and a cap), the more confident reading wins, then the one listed first.
Modifiers (hedges, 同一事项就高, 主办/联办 shares, self-reporting exemptions) mark the candidates of their
piece. Numbers no candidate used are returned too, with their sentence, so none is lost.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from kaoping.core.tomlread import read_toml
from kaoping.io.draft.numerals import NUMBER, Number, find_numbers, is_percent, to_decimal
from kaoping.io.draft.text import Normalised, Span, clauses, pieces

PATTERNS_FILE = Path(__file__).with_name("patterns.toml")
_CONNECTOR = re.compile(r"^(?:每|扣|减|加|奖|最高|最多|累计|合计|少|差|的|并|且|其中|超过|不超过|否则|经|未|以|按|得)")
_NAME_TRIM = re.compile(r"^(?:凡|如|若|其中|以上|被|在|因|发现|即)+|(?:的|者|时|后|,|，)+$")


@attrs.frozen
class Recogniser:
    id: str
    kind: str
    confidence: Decimal
    regex: re.Pattern[str]
    scope: str = "piece"
    bound: str = ""
    subkind: str = ""


@attrs.frozen
class Modifier:
    id: str
    effect: str
    regex: re.Pattern[str]


@attrs.frozen
class Patterns:
    recognisers: tuple[Recogniser, ...]
    modifiers: tuple[Modifier, ...]
    enumeration: re.Pattern[str]
    traditional: dict[str, str]


@attrs.frozen
class Candidate:
    """One reading of the text: a kind of rule, its number, its verbatim quote and where it stands."""

    kind: str
    recogniser: str
    quote: Span
    confidence: Decimal
    sentence: int
    value: Decimal | None = None
    percent: bool = False
    number: Span | None = None
    low: Decimal | None = None
    name: str = ""
    grade: str = ""
    per: str = ""
    bound: str = ""
    subkind: str = ""
    guideline: bool = False
    same_matter: bool = False
    self_report_exempt: bool = False
    joint: tuple[tuple[str, Decimal], ...] = ()
    disqualify: str = ""


@attrs.frozen
class Unplaced:
    """A sentence with numbers that no candidate used."""

    sentence: Span
    numbers: tuple[str, ...]
    hint: str


@attrs.frozen
class Reading:
    """Everything recognised in one text."""

    candidates: tuple[Candidate, ...]
    unplaced: tuple[Unplaced, ...]
    numbers: tuple[Span, ...]


def load_patterns(path: Path = PATTERNS_FILE) -> Patterns:
    """Read a recogniser file; its placeholders and {NUM} are expanded into each pattern."""
    data = read_toml(path)
    placeholders = {"NUM": NUMBER, **{k: f"(?:{v})" for k, v in data.get("placeholders", {}).items()}}

    def compile_(pattern: str) -> re.Pattern[str]:
        for key, value in placeholders.items():
            pattern = pattern.replace("{" + key + "}", value)
        return re.compile(pattern)

    recognisers = tuple(
        Recogniser(
            id=str(r["id"]),
            kind=str(r["kind"]),
            confidence=Decimal(str(r["confidence"])),
            regex=compile_(str(r["pattern"])),
            scope="clause" if str(r["pattern"]).endswith("$") else "piece",
            bound=str(r.get("bound", "")),
            subkind=str(r.get("subkind", "")),
        )
        for r in data.get("recognisers", [])
    )
    modifiers = tuple(
        Modifier(str(m["id"]), str(m["effect"]), compile_(str(m["pattern"]))) for m in data.get("modifiers", [])
    )
    pairs = str(data.get("traditional", {}).get("pairs", ""))
    traditional = {pairs[i]: pairs[i + 1] for i in range(0, len(pairs) - 1, 2)}
    enumeration = compile_(str(data.get("structure", {}).get("enumeration", r"(?!)")))
    return Patterns(recognisers, modifiers, enumeration, traditional)


def read_candidates(text: str, patterns: Patterns | None = None) -> Reading:
    """Every candidate rule in ``text``, and every number no candidate used."""
    patterns = patterns or load_patterns()
    norm = Normalised(text, patterns.traditional)
    candidates: list[Candidate] = []
    unplaced: list[Unplaced] = []
    all_numbers: list[Span] = []
    for index, (start, end) in enumerate(norm.sentences()):
        claimed: set[int] = set()
        for piece_start, piece_end in pieces(norm.text, start, end, patterns.enumeration):
            found = _read_piece(norm, piece_start, piece_end, index, patterns, claimed)
            candidates.extend(found)
        numbers = find_numbers(norm.text, start, end)
        all_numbers.extend(norm.span(n.start, n.end) for n in numbers)
        left = [n for n in numbers if not claimed.intersection(range(n.start, n.end))]
        if left:
            unplaced.append(Unplaced(norm.span(start, end), tuple(n.text for n in left), _hint(norm.text, left)))
    return Reading(tuple(candidates), tuple(unplaced), tuple(all_numbers))


class _Shifted:
    """A match inside a clause, with positions in the whole normalised text."""

    def __init__(self, match: re.Match[str], shift: int) -> None:
        self._match = match
        self._shift = shift

    def group(self, name: str | int = 0) -> str:
        return self._match.group(name)

    def groupdict(self) -> dict[str, Any]:
        return self._match.groupdict()

    def start(self, name: str | int = 0) -> int:
        return self._match.start(name) + self._shift

    def end(self, name: str | int = 0) -> int:
        return self._match.end(name) + self._shift


@attrs.frozen
class _Match:
    recogniser: Recogniser
    match: _Shifted
    order: int


def _read_piece(
    norm: Normalised, start: int, end: int, sentence: int, patterns: Patterns, claimed: set[int]
) -> list[Candidate]:
    text = norm.text
    piece_clauses = clauses(text, start, end)
    matches: list[_Match] = []
    for order, recogniser in enumerate(patterns.recognisers):
        scopes = piece_clauses if recogniser.scope == "clause" else [(start, end)]
        for scope_start, scope_end in scopes:
            sub = text[scope_start:scope_end]
            for found in recogniser.regex.finditer(sub):
                matches.append(_Match(recogniser, _Shifted(found, scope_start), order))
    matches.sort(key=lambda m: (-m.recogniser.confidence, m.order, m.match.start()))
    modifiers = _modifiers(text[start:end], patterns.modifiers)
    taken_spans: list[tuple[int, int, str]] = []
    candidates = []
    for item in matches:
        match, recogniser = item.match, item.recogniser
        positions = _number_positions(match)
        if positions:
            if claimed.intersection(positions):
                continue
        elif any(a < match.end() and match.start() < b and k == recogniser.kind for a, b, k in taken_spans):
            continue
        try:
            candidate = _candidate(norm, piece_clauses, recogniser, match, sentence, modifiers)
        except (ValueError, KeyError):  # a pattern matched something that is not a number after all
            continue
        claimed.update(positions)
        taken_spans.append((match.start(), match.end(), recogniser.kind))
        candidates.append(candidate)
    candidates.sort(key=lambda c: c.quote.start if c.number is None else c.number.start)
    return candidates


def _number_positions(match: _Shifted) -> set[int]:
    positions: set[int] = set()
    for name in ("amount", "low", "high", "second", "third"):
        if match.groupdict().get(name) is not None:
            positions.update(range(match.start(name), match.end(name)))
    return positions


def _modifiers(piece: str, modifiers: tuple[Modifier, ...]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for modifier in modifiers:
        match = modifier.regex.search(piece)
        if match is None:
            continue
        groups = match.groupdict()
        if modifier.effect in {"joint_lead", "joint_co"} and groups.get("amount"):
            found[modifier.effect] = to_decimal(groups["amount"]) / 100
        elif modifier.effect == "disqualify":
            found["disqualify"] = groups.get("grade") or ""
        else:
            found[modifier.effect] = True
    return found


def _candidate(
    norm: Normalised,
    piece_clauses: list[tuple[int, int]],
    recogniser: Recogniser,
    match: _Shifted,
    sentence: int,
    modifiers: dict[str, Any],
) -> Candidate:
    groups = match.groupdict()
    value = number = None
    percent = False
    if groups.get("amount"):
        value = to_decimal(groups["amount"])
        percent = is_percent(groups["amount"]) or groups["amount"].endswith("‰")
        number = norm.span(match.start("amount"), match.end("amount"))
    low = None
    if groups.get("low"):
        low = to_decimal(groups["low"])
    elif groups.get("high") and value is not None:
        value = min(value, to_decimal(groups["high"]))  # 89分至80分 and 80-89分 both start at 80
    quote_start, quote_end, name_end = _quote_bounds(
        norm.text, piece_clauses, match.start(), match.end(), short_head=recogniser.kind not in {"band", "quota"}
    )
    roles = (("lead", "joint_lead"), ("co", "joint_co"))
    joint = tuple((role, modifiers[key]) for role, key in roles if key in modifiers)
    name = _NAME_TRIM.sub("", groups["name"]) if groups.get("name") else _name(norm.text[quote_start:name_end])
    return Candidate(
        kind=recogniser.kind,
        recogniser=recogniser.id,
        quote=norm.span(quote_start, quote_end),
        confidence=recogniser.confidence,
        sentence=sentence,
        value=value,
        percent=percent,
        number=number,
        low=low,
        name=name,
        grade=groups.get("grade") or "",
        per=groups.get("per") or "",
        bound=recogniser.bound,
        subkind=recogniser.subkind,
        guideline=bool(modifiers.get("guideline")) or recogniser.kind == "guideline",
        same_matter=bool(modifiers.get("same_matter")),
        self_report_exempt=bool(modifiers.get("self_report_exempt")),
        joint=joint if len(joint) == 2 else (),
        disqualify=str(modifiers.get("disqualify", "")),
    )


def _quote_bounds(
    text: str, piece_clauses: list[tuple[int, int]], start: int, end: int, short_head: bool
) -> tuple[int, int, int]:
    """The clauses holding the match, one more before when the match's clause only continues it.

    A clause continues the one before when it opens with a connector (每次、扣、最高 …) or, for rules, when
    little stands before the match (「没有的扣10分」 names its subject in the clause before).
    """
    first = next((i for i, (a, b) in enumerate(piece_clauses) if a <= start < b), 0)
    last = next((i for i, (a, b) in enumerate(piece_clauses) if a < end <= b), len(piece_clauses) - 1)
    last = max(first, last)
    clause_start = piece_clauses[first][0]
    head = text[clause_start:start]
    if first > 0 and ((short_head and len(head) < 4) or _CONNECTOR.match(text, clause_start)):
        first -= 1
    quote_start = max(piece_clauses[first][0], end - 80)
    return quote_start, piece_clauses[last][1], start


def _name(text: str) -> str:
    text = re.split(r"[,，:：]", text)[-1] if len(re.split(r"[,，:：]", text)[-1]) >= 2 else text
    return _NAME_TRIM.sub("", text.strip()).strip("()（）、 ")[:24]


def _hint(text: str, numbers: list[Number]) -> str:
    """What the unused numbers look like: dates, document numbers, percentages, points, counts."""
    units = {text[n.end : n.end + 1] for n in numbers}
    years = all(1900 <= n.value <= 2100 or text[n.end : n.end + 1] in "年月日号-" for n in numbers)
    if years or units <= set("年月日号]〕"):
        return "date_or_reference"
    if any(n.percent for n in numbers):
        return "percentage"
    if "分" in units:
        return "points"
    return "count"
