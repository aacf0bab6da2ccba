"""Giving freed memory back to the system between the stages of a large run.

A million-unit run frees gigabytes between stages (the reader's batches and chunks, the scorer's
per-indicator columns). glibc keeps freed heap memory in its arenas (one per thread that allocated: Arrow's
reader threads have their own) and pyarrow's pool keeps its own, so the process stays as large as its
largest stage for the rest of the run, and the next stage's peak adds to it. Trimming between stages makes
the peak that of the largest stage alone.
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache
from typing import Any


@cache
def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, or None on another C library."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def give_back() -> None:
    """Return freed memory to the system: pyarrow's pool's (when pyarrow is loaded) and the C heap's."""
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
