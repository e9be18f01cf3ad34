"""Progress on a terminal: one status line on standard error, rewritten in place.

Shown only when standard error is a terminal, and only once a run has taken
longer than `delay` seconds, so that quick runs, pipes, files and CI logs
never see it. The line is erased when the work is done.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

CLEAR = "\r\x1b[2K"


class Progress:
    """Call with a message (and optionally `done`, `total`) as work advances; use as a context manager."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None, delay: float = 0.5):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self.delay = delay
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, message: str, done: int | None = None, total: int | None = None) -> None:
        if not self.enabled or time.monotonic() - self.started < self.delay:
            return
        text = message + (f" ({done}/{total})" if total else "")
        import shutil

        width = shutil.get_terminal_size((80, 20)).columns - 1
        self.stream.write(CLEAR + text[:width])
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write(CLEAR)
            self.stream.flush()
            self.shown = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def quiet(_message: str, done: int | None = None, total: int | None = None) -> None:
    """The progress callback of library calls that nobody watches."""


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
