"""Drafting a scheme file from a published scheme text (``kaoping new-plugin --from-text``).

Rule-based and deterministic: the recognisers are regular expressions in ``patterns.toml``; nothing is
downloaded and no model is used. The draft is a starting point for an author, never a finished scheme:
every drafted item carries ``draft = {...}`` until the author has checked it against the source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kaoping.io.draft.drafting import DraftNames, draft_scheme
from kaoping.io.draft.reading import read_scheme_text
from kaoping.io.draft.recognise import Candidate, Patterns, Reading, load_patterns, read_candidates
from kaoping.io.draft.tomlwrite import dumps

__all__ = [
    "Candidate",
    "DraftNames",
    "Patterns",
    "Reading",
    "draft_from_text",
    "draft_scheme",
    "dumps",
    "load_patterns",
    "read_candidates",
    "read_scheme_text",
]


def draft_from_text(text: str, names: DraftNames, patterns: Path | None = None) -> dict[str, Any]:
    """The scheme mapping drafted from a scheme text."""
    reading = read_candidates(text, load_patterns(patterns) if patterns else None)
    return draft_scheme(reading, names)
