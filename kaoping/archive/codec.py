"""Exact JSON for stored results: Decimals and dates are tagged so they come back as they went in.

``{"$decimal": "12.50"}`` keeps the decimal's text (trailing zeros included) on every database; a float
would not. Tuples come back as lists, which every writer renders the same.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

DECIMAL = "$decimal"
DATE = "$date"


def encode(value: Any) -> Any:
    """A JSON-able copy of ``value`` with Decimals and dates tagged."""
    if isinstance(value, Decimal):
        return {DECIMAL: str(value)}
    if isinstance(value, date):
        return {DATE: value.isoformat()}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [encode(v) for v in items]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def decode(value: Any) -> Any:
    """The inverse of :func:`encode`."""
    if isinstance(value, dict):
        if len(value) == 1 and DECIMAL in value:
            return Decimal(value[DECIMAL])
        if len(value) == 1 and DATE in value:
            return date.fromisoformat(value[DATE])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def canonical(value: Any) -> str:
    """One text per value (sorted keys), for hashes."""
    return json.dumps(encode(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()
