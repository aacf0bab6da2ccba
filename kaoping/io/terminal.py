"""Text for a terminal: tables and lines that fit :data:`WIDTH` columns, measured as a terminal draws them.

A Chinese character takes two columns (East Asian Width W or F), so widths are measured with
:func:`display_width`, never ``len``. A table wider than the line first wraps its text columns (names,
labels, notes) inside their cells; when even that cannot fit, its columns are split into blocks that each
repeat the key columns (rank and name), one block under the other. Text from data passes
:func:`kaoping.io.safety.terminal_text`, so a name cannot move the cursor or ring the bell.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from kaoping.io.safety import terminal_text

WIDTH = 100
GAP = "  "
MIN_TEXT = 8  # the narrowest a wrapped text column becomes
LONGEST_WORD = 24  # a word (an id, a number) longer than this may be broken inside


def char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def display_width(text: str) -> int:
    return sum(char_width(c) for c in text)


def pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(width - display_width(text), 0)
    return gap + text if right else text + gap


# Chinese punctuation a line may not start with (避头点): the character before it moves down with it
_NO_LINE_START = frozenset("、，。；：？！）》」』】…")


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns; breaks at a space when one is near, else between characters,
    never putting a Chinese comma, stop or closing bracket at the start of a line."""
    width = max(width, 2)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for char in paragraph:
            size = char_width(char)
            if used + size > width:
                space = line.rfind(" ")
                if space > 0:
                    lines.append(line[:space])
                    line = line[space + 1 :]
                elif char in _NO_LINE_START and len(line) > 1:
                    lines.append(line[:-1])
                    line = line[-1]
                else:
                    lines.append(line)
                    line = ""
                used = display_width(line)
            line += char
            used += size
        lines.append(line.rstrip())
    return lines


def wrap_lines(lines: Iterable[str], width: int = WIDTH) -> list[str]:
    """Free text lines wrapped to ``width``; a continuation keeps the line's indent plus two spaces."""
    out: list[str] = []
    for line in lines:
        line = terminal_text(line)
        if display_width(line) <= width:
            out.append(line)
            continue
        indent = len(line) - len(line.lstrip(" "))
        text = line[indent:]
        first = wrap(text, width - indent)[0]
        out.append(" " * indent + first)
        # the rest is wrapped once, at the continuation's width (wrapping it at the first line's width and
        # again would leave a line of one or two characters at each break)
        rest = text[len(first) :].removeprefix(" ")
        continuation = " " * (indent + 2)
        out += [continuation + piece for piece in wrap(rest, width - indent - 2)]
    return out


def _word(text: str) -> int:
    """The widest run a line may not break: a word of narrow characters (Chinese breaks anywhere)."""
    widest = run = 0
    for char in text:
        if char == " " or char_width(char) == 2:
            run = 0
        else:
            run += char_width(char)
            widest = max(widest, run)
    return max(widest, 2 if text else 0)


def _least(cells: list[list[str]], i: int, numeric: set[int]) -> int:
    """The narrowest column ``i`` may be: a number's full width; text down to its longest word (ids are
    not broken) and at least :data:`MIN_TEXT`; a header wraps like text."""
    data = [row[i] for row in cells[1:]]
    if i in numeric:
        own = max((display_width(c) for c in data), default=0)
    else:
        own = max((min(_word(c), LONGEST_WORD) for c in data), default=0)
        own = min(max(own, MIN_TEXT), max((display_width(c) for c in data), default=0))
    head = cells[0][i]
    return max(own, min(_word(head), LONGEST_WORD), min(display_width(head), MIN_TEXT), 1)


def _widths(cells: list[list[str]], columns: Sequence[int], numeric: set[int], budget: int) -> dict[int, int]:
    """Column widths within ``budget``: each as wide as its cells where the line allows, else text columns
    (then headers) give up room, the widest first, down to what they wrap to."""
    widths = {i: max(display_width(row[i]) for row in cells) for i in columns}
    room = budget - len(GAP) * (len(columns) - 1)
    least = {i: _least(cells, i, numeric) for i in columns}
    while sum(widths.values()) > room:
        shrinkable = [i for i in columns if widths[i] > least[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (widths[i], -i))
        others = max((widths[i] for i in shrinkable if i != widest), default=least[widest])
        excess = sum(widths.values()) - room
        widths[widest] = max(least[widest], min(widths[widest] - 1, max(others, widths[widest] - excess)))
    return widths


def _blocks(cells: list[list[str]], numeric: set[int], keys: int, budget: int) -> list[list[int]]:
    """Groups of columns that fit the line, each starting with the key columns."""
    count = len(cells[0])
    key_columns = list(range(min(keys, count)))
    least = {i: _least(cells, i, numeric) for i in range(count)}
    blocks: list[list[int]] = []
    current = list(key_columns)
    for i in range(len(key_columns), count):
        trial = [*current, i]
        used = sum(least[c] for c in trial) + len(GAP) * (len(trial) - 1)
        if used > budget and len(current) > len(key_columns):
            blocks.append(current)
            current = [*key_columns, i]
        else:
            current = trial
    blocks.append(current)
    return blocks


def render_table(
    header: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    numeric: set[int] | None = None,
    width: int = WIDTH,
    keys: int = 2,
) -> str:
    """Aligned columns within ``width``: numbers right-aligned, long text wrapped in its cell."""
    numeric = numeric or set()
    cells = [[terminal_text(str(c)) for c in header]] + [[terminal_text(str(c)) for c in row] for row in rows]
    out: list[str] = []
    for block in _blocks(cells, numeric, keys, width):
        if out:
            out.append("")
        widths = _widths(cells, block, numeric, width)
        for index, row in enumerate(cells):
            wrapped = {i: wrap(row[i], widths[i]) or [""] for i in block}
            height = max(len(lines) for lines in wrapped.values())
            for line in range(height):
                parts = [
                    pad(wrapped[i][line] if line < len(wrapped[i]) else "", widths[i], i in numeric) for i in block
                ]
                out.append(GAP.join(parts).rstrip())
            if index == 0:
                out.append(GAP.join("-" * widths[i] for i in block))
    return "\n".join(out)
