"""A progress bar on stderr, drawn only when stderr is a terminal (never into a pipe or a log file).

The bar is plain ASCII (it survives a GBK console) and at most :data:`WIDTH` columns wide; it redraws at
most every :data:`INTERVAL` seconds, so a fast loop is not slowed by drawing, and appears only once work
has taken :data:`DELAY` seconds, so quick runs leave no trace on the terminal.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from kaoping.io.terminal import WIDTH, display_width

BAR = 30
INTERVAL = 0.1
DELAY = 0.5


class TerminalBar:
    """One line per task: ``label [#####-----]  45%  450/1000``, finished with a newline."""

    def __init__(self, stream: TextIO, label: str, total: int, clock=time.monotonic) -> None:
        self.stream, self.label, self.total, self.clock = stream, label, total, clock
        self.done = 0
        self.started = clock()
        self.drawn_at: float | None = None

    def advance(self, amount: int = 1) -> None:
        self.done = min(self.done + amount, self.total)
        now = self.clock()
        if self.drawn_at is None and now - self.started < DELAY:
            return
        if self.drawn_at is None or now - self.drawn_at >= INTERVAL or self.done == self.total:
            self.draw()
            self.drawn_at = now

    def line(self) -> str:
        share = self.done / self.total
        filled = int(BAR * share)
        tail = f" [{'#' * filled}{'-' * (BAR - filled)}] {share:4.0%} {self.done}/{self.total}"
        room = WIDTH - 1 - len(tail)
        label = self.label
        while display_width(label) > room:
            label = label[:-1]
        return label + tail

    def draw(self) -> None:
        self.stream.write("\r" + self.line())
        self.stream.flush()

    def close(self) -> None:
        if self.drawn_at is None:
            return  # finished before the bar was worth showing
        self.draw()
        self.stream.write("\n")
        self.stream.flush()


class TerminalProgress:
    """The listener the CLI installs: a :class:`TerminalBar` per task on ``stream``."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def start(self, label: str, total: int) -> TerminalBar:
        return TerminalBar(self.stream, label, total)


def terminal_progress(quiet: bool, stream: TextIO | None = None) -> TerminalProgress | None:
    """A listener for ``stream`` (stderr) when it is a terminal and ``--quiet`` is not given, else ``None``."""
    stream = stream or sys.stderr
    if quiet or not getattr(stream, "isatty", lambda: False)():
        return None
    return TerminalProgress(stream)
