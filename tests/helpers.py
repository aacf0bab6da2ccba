"""Shared helpers for tests: score a scheme on records or on a folder, with optional overrides."""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

from kaoping import hookimpl
from kaoping.core.pipeline import run
from kaoping.core.plugins import PluginHost
from kaoping.core.results import RunResult
from kaoping.io.dataio import dataset_from_records

_HOST: PluginHost | None = None


def host() -> PluginHost:
    """One plugin host per test session (built-in plugins only, no entry points)."""
    global _HOST
    if _HOST is None:
        _HOST = PluginHost(entry_points=False)
    return _HOST


def score(
    scheme_id: str, data: dict[str, list[dict[str, Any]]] | Path, overrides: dict[str, Any] | None = None
) -> RunResult:
    scheme = host().scheme(scheme_id, overrides)
    source = data if isinstance(data, Path) else dataset_from_records(data)
    return run(host(), scheme, source)


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


class SchemeProvider:
    """A throwaway plugin that registers scheme mappings, for tests of the core."""

    def __init__(self, *schemes: dict[str, Any]) -> None:
        self.schemes = schemes

    @hookimpl
    def kaoping_register_schemes(self, register: Any) -> None:
        for scheme in self.schemes:
            register(scheme)


def host_with(*schemes: dict[str, Any], plugins: tuple[tuple[str, object], ...] = ()) -> PluginHost:
    return PluginHost(entry_points=False, plugin_objects=[("test_schemes", SchemeProvider(*schemes)), *plugins])


def run_scheme(
    scheme: dict[str, Any], data: dict[str, list[dict[str, Any]]], plugins: tuple[tuple[str, object], ...] = ()
) -> RunResult:
    """Score records with a scheme given as a mapping (the TOML structure)."""
    test_host = host_with(scheme, plugins=plugins)
    return run(test_host, test_host.scheme(scheme["id"]), dataset_from_records(data))


def mini_scheme(**changes: Any) -> dict[str, Any]:
    """A small valid scheme: one 100-point part with one direct indicator, one group, no grading."""
    scheme: dict[str, Any] = {
        "id": "test.mini",
        "name": "测试方案",
        "total": 100,
        "status": {"complete": True},
        "groups": [{"id": "g", "name": "组"}],
        "parts": [{"id": "p", "name": "部分", "points": 100}],
        "indicators": [{"id": "i", "name": "指标", "part": "p", "method": "direct", "points": 100}],
    }
    scheme.update(changes)
    return scheme


def table_rows(text: str, row_starts_at: str) -> list[dict[str, str]]:
    """The rows of the first table ``render_table`` drew in ``text``, as {header: cell text}.

    The terminal table wraps long cells over several lines, interleaved with the other columns, so a
    label cannot be found in the raw output. Cells are read back by display column (a Chinese character
    is two wide); a row starts on each line where the column ``row_starts_at`` (one that never wraps) is
    filled, and a cell's lines are joined again (with the space a break between words took out).
    """
    from kaoping.io.terminal import char_width

    def columns(line: str) -> list[str]:  # one display column per entry; a wide character fills two
        out: list[str] = []
        for char in line:
            out += [char] + [""] * (char_width(char) - 1)
        return out

    lines = text.split("\n")
    rule = next(i for i, line in enumerate(lines) if line and set(line) <= {"-", " "} and "--" in line)
    spans, start = [], 0
    for dashes in lines[rule].split(" "):
        if dashes:
            spans.append((start, start + len(dashes)))
        start += len(dashes) + 1
    spans = [s for s in spans if s[1] > s[0]]
    header_cells = columns(lines[rule - 1])
    headers = ["".join(header_cells[a:b]).strip() for a, b in spans]
    marker = headers.index(row_starts_at)
    rows: list[dict[str, list[str]]] = []
    for line in lines[rule + 1 :]:
        cells = columns(line)
        gaps = [c for (_a, b), (a2, _b) in itertools.pairwise(spans) for c in cells[b:a2]]
        if not line.strip() or any(c != " " for c in gaps):
            break  # the table ends: text runs across the column gaps
        texts = ["".join(cells[a:b]).strip() for a, b in spans]
        if texts[marker] or not rows:
            rows.append({h: [] for h in headers})
        for header, cell in zip(headers, texts, strict=True):
            if cell:
                rows[-1][header].append(cell)

    def joined(parts: list[str]) -> str:
        text = ""
        for part in parts:
            narrow = text and char_width(text[-1]) == 1 and char_width(part[0]) == 1
            text += (" " if narrow else "") + part
        return text

    return [{header: joined(parts) for header, parts in row.items()} for row in rows]
