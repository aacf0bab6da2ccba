"""Writing a drafted scheme as TOML an author can read and edit.

The standard library reads TOML but does not write it, and the drafts need only a small, fixed shape:
scalars, tables, arrays of tables, inline tables inside them. Keys come out in the order given, so a
draft reads like the published text: parts, then rules, vetoes, grading, and the ``[draft]`` lists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def dumps(data: Mapping[str, Any], header: str = "") -> str:
    """``data`` as TOML text, prefixed by the comment lines of ``header``."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    if lines:
        lines.append("")
    _table(lines, data, ())
    return "\n".join(lines).rstrip() + "\n"


def _table(lines: list[str], data: Mapping[str, Any], path: tuple[str, ...]) -> None:
    nested: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, Mapping) and not _inline(value, path):
            nested.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            nested.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in nested:
        full = (*path, key)
        name = ".".join(_key(k) for k in full)
        if isinstance(value, list):
            for item in value:
                lines.extend(["", f"[[{name}]]"])
                _table(lines, item, full)
        else:
            lines.extend(["", f"[{name}]"])
            _table(lines, value, full)


def _inline(value: Mapping[str, Any], path: tuple[str, ...]) -> bool:
    """Small mappings inside an item (``draft``, ``joint``, ``counts``) are written inline."""
    return bool(path) and all(not isinstance(v, (Mapping, list)) or _flat_list(v) for v in value.values())


def _flat_list(value: Any) -> bool:
    return isinstance(value, list) and not any(isinstance(v, Mapping) for v in value)


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")
