"""Progress of long work (draws, units scored, rows written), told to whoever listens.

The engine and the writers call :func:`task` around a long loop and ``advance`` as they go; nothing is
drawn unless a listener is installed with :func:`listening` (the CLI installs a bar on stderr when stderr
is a terminal and ``--quiet`` is not given). Without a listener ``advance`` is a no-op costing one call,
and loops call it in steps, not per row, where rows are many.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol


class Task(Protocol):
    def advance(self, amount: int = 1) -> None: ...

    def close(self) -> None: ...


class Listener(Protocol):
    def start(self, label: str, total: int) -> Task: ...


_listener: ContextVar[Listener | None] = ContextVar("kaoping_progress", default=None)


def _nothing(amount: int = 1) -> None:
    return None


@contextmanager
def task(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """``with task("draws", n) as advance: ... advance(1)``; silent when nobody listens."""
    listener = _listener.get()
    if listener is None or total <= 0:
        yield _nothing
        return
    started = listener.start(label, total)
    try:
        yield started.advance
    finally:
        started.close()


@contextmanager
def listening(listener: Listener | None) -> Iterator[None]:
    """Install ``listener`` for the work done inside the block (``None``: silence)."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
