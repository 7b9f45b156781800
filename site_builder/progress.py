"""Progress of a long build: stages report counts; the command decides whether to show them."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[str, int, int | None], None]  # (stage, done, total if known)


def silent(_stage: str, _done: int, _total: int | None) -> None:
    """The default: libraries and tests print nothing."""


class TerminalBar:
    """A one-line bar with counts on a terminal, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO = sys.stderr, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.last_draw = 0.0
        self.drawn = False

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.last_draw < 0.1 and done != total:
            return
        self.last_draw = now
        if total:
            filled = self.width * done // total
            bar = "█" * filled + "·" * (self.width - filled)
            line = f"{stage:>8} {bar} {done}/{total}"
        else:
            line = f"{stage:>8} {done}"
        self.stream.write(f"\r{line:<60}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Erase the bar so the summary line starts clean."""
        if self.drawn:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
