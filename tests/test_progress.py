"""Progress: a status line on a terminal, nothing when piped."""

from __future__ import annotations

import io

from conftest import SPEC_2024
from nhnprice.pipeline import run
from nhnprice.progress import CLEAR, Progress
from test_cli import nhnprice


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_the_steps_and_the_line_is_erased_at_the_end():
    screen = Terminal()
    with Progress(screen, delay=0) as progress:
        result, _ = run(str(SPEC_2024), progress=progress)
    assert result is not None
    shown = screen.getvalue()
    assert "compiling" in shown and "reading kommunehelse (1/5)" in shown and "evaluating" in shown
    assert shown.endswith(CLEAR)


def test_a_pipe_or_a_quick_run_sees_nothing():
    piped = io.StringIO()
    with Progress(piped, delay=0) as progress:
        progress("evaluating", 1, 2)
    assert piped.getvalue() == ""
    screen = Terminal()
    with Progress(screen, delay=60) as progress:  # a run shorter than the delay
        progress("evaluating", 1, 2)
    assert screen.getvalue() == ""


def test_the_command_writes_no_progress_into_a_pipe():
    proc = nhnprice("report", str(SPEC_2024))
    assert proc.returncode == 0 and proc.stderr == ""
