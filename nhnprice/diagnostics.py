"""Diagnostics as data: collected by every pass, rendered once at the edge.

A diagnostic names a place (`file:line:col`, or `file:row:col` for data), says
what is wrong and, where we can, how to fix it. Three renderings: `human`
(source line and caret), `gnu` (one line each, for editors and grep) and
`json`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

from nhnprice.files import Unreadable, read_bytes
from nhnprice.record import Record, frozen
from nhnprice.span import Span

#: the renderings: with source line and caret, one line each, JSON
FORMATS = ("human", "gnu", "json")

ERROR = "error"
WARNING = "warning"
NOTE = "note"

SHOWN_FILE_MB = 64  # a file larger than this has no source line shown
SHOWN_WIDTH = 160  # the most characters of a source line shown
PER_LINE = 10  # the most diagnostics shown for one line (`limit_per_line`)
#: what a terminal must not be sent raw: C0 and C1 control characters, DEL, and the line and
#: paragraph separators (tabs are shown as spaces first)
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@frozen
class Diagnostic(Record):
    severity: str
    code: str
    message: str
    span: Span | None = None
    hint: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def error(code: str, message: str, span: Span | None = None, hint: str | None = None,
          notes: Iterable[str] = ()) -> Diagnostic:
    return Diagnostic(ERROR, code, message, span, hint, tuple(notes))


def warning(code: str, message: str, span: Span | None = None, hint: str | None = None,
            notes: Iterable[str] = ()) -> Diagnostic:
    return Diagnostic(WARNING, code, message, span, hint, tuple(notes))


class DiagnosticError(Exception):
    """Raised at a pass boundary when it cannot go on; carries what it found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("; ".join(d.message for d in self.diagnostics))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


#: exit statuses of a command: all is well, problems in a spec or its data, wrong usage
EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def exit_status(diagnostics: Iterable[Diagnostic]) -> int:
    """What a command that found `diagnostics` should exit with: 2 for wrong usage (a wrong --set,
    --data, --group or sweep range), whatever else was found; 1 for any other error (a scenario
    file that cannot be read, U006, is a broken input file, like a broken data file); else 0."""
    errors = [d for d in diagnostics if d.is_error]
    if any(d.code.startswith("U") and d.code != "U006" for d in errors):
        return EXIT_USAGE
    return EXIT_ERRORS if errors else EXIT_OK


def unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Each diagnostic once (by code and message), in the order first found: a sweep finds the same
    problem with every value."""
    seen, out = set(), []
    for d in diagnostics:
        if (d.code, d.message) not in seen:
            seen.add((d.code, d.message))
            out.append(d)
    return out


def sort_key(d: Diagnostic):
    s = d.span
    return (s.file, s.line, s.col) if s else ("", 0, 0)


def file_lines(path: str) -> tuple[str, ...]:
    """The lines of a text file as it is on disk now, counted as the parser and the CSV reader count
    them (see `text_lines`); none for a workbook, a binary, a missing or an oversized file."""
    try:
        raw = read_bytes(path, SHOWN_FILE_MB)
    except Unreadable:
        return ()
    if b"\x00" in raw or raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return ()  # a workbook or a binary file: no line to show
    return text_lines(raw.decode("utf-8-sig", errors="replace"))


def text_lines(text: str) -> tuple[str, ...]:
    """Lines as the parser and the CSV reader count them: only line feeds and carriage returns end a
    line (not form feeds, U+0085 or U+2028, which `str.splitlines` also splits at)."""
    return tuple(text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"))


class SourceLines:
    """The lines diagnostics point into: from `sources` (file name -> text, such as an editor's
    unsaved buffer) where it has the file, otherwise from disk, each file read once."""

    def __init__(self, sources: Mapping[str, str] | None = None):
        self._sources = sources or {}
        self._read: dict[str, tuple[str, ...]] = {}

    def line(self, span: Span) -> str | None:
        lines = self._read.get(span.file)
        if lines is None:
            text = self._sources.get(span.file)
            lines = file_lines(span.file) if text is None else text_lines(text)
            self._read[span.file] = lines
        if 1 <= span.line <= len(lines):
            return lines[span.line - 1]
        return None


def source_line(span: Span, sources: Mapping[str, str] | None = None) -> str | None:
    """The line `span` points at (see SourceLines)."""
    return SourceLines(sources).line(span)


def shown_line(line: str, col: int, width: int) -> tuple[str, int, int]:
    """A source line as a terminal may show it, with the column and width of the caret in it: control
    characters (an escape sequence would be run by the terminal) as `�`, tabs as a space, and a long
    line cut to the stretch around the column."""
    shown = _UNSHOWN.sub("\ufffd", line.replace("\t", " "))
    if len(shown) > SHOWN_WIDTH:
        start = max(0, min(col - 1 - SHOWN_WIDTH // 3, len(shown) - SHOWN_WIDTH))
        end = start + SHOWN_WIDTH
        shown = ("…" if start else "") + shown[start:end] + ("…" if end < len(shown) else "")
        col = col - start + (1 if start else 0)
    width = min(width, max(1, len(shown) - col + 1))
    return shown, col, width


def _visible(text: str) -> str:
    """Text from a file (a sheet's name, a value) as a terminal may be sent it: control characters
    (an escape sequence would be run by the terminal) as `�`; line ends and tabs kept."""
    return _UNSHOWN.sub(lambda m: m.group() if m.group() in "\n\t" else "\ufffd", text)


def _cut(text: str, most: int = 4 * SHOWN_WIDTH) -> str:
    """A note or hint of readable length: one listing thousands of shares is cut, and says so."""
    return text if len(text) <= most else f"{text[:most]}… ({len(text) - most} more characters)"


def limit_per_line(diagnostics: Iterable[Diagnostic], most: int = PER_LINE) -> list[Diagnostic]:
    """At most `most` diagnostics for one line of one file, then a note for the rest: thousands of
    problems on one line (a file that is one long line) would otherwise bury everything else."""
    out: list[Diagnostic] = []
    counts: dict[tuple[str, int], int] = {}
    last: dict[tuple[str, int], int] = {}  # where in `out` the last one shown for a line is
    for d in diagnostics:
        place = (d.span.file, d.span.line) if d.span is not None else None
        if place is not None:
            counts[place] = counts.get(place, 0) + 1
            if counts[place] > most:
                continue
            last[place] = len(out)
        out.append(d)
    for place in sorted((p for p in counts if counts[p] > most), key=last.get, reverse=True):
        file, line = place
        out.insert(last[place] + 1, Diagnostic(
            NOTE, "N001", f"{counts[place] - most} more problems on this line are not shown", Span(file, line, 1),
            f"at most {most} are shown for one line; NHNPRICE_MAX_PER_LINE={most * 10} shows more"))
    return out


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None


def render_human(diagnostics: Iterable[Diagnostic], color: bool = False,
                 sources: Mapping[str, str] | None = None) -> str:
    """Each diagnostic with its source line and a caret; `sources` maps file names to their text
    where it is not (or not yet) what is on disk, as for text compiled with `compile_text`."""
    lines = SourceLines(sources)
    out: list[str] = []
    for d in diagnostics:
        where = f"{d.span}: " if d.span else ""
        sev = d.severity
        if color:
            sev = {"error": "\x1b[1;31merror\x1b[0m", "warning": "\x1b[1;33mwarning\x1b[0m"}.get(sev, sev)
        out.append(f"{where}{sev}: {_visible(d.message)} [{d.code}]")
        line = lines.line(d.span) if d.span else None
        if line is not None:
            number = str(d.span.line)
            pad = " " * len(number)
            shown, col, width = shown_line(line, d.span.col, d.span.width)
            out.append(f" {number} | {shown}")
            out.append(f" {pad} | {' ' * (col - 1)}{'^' * width}")
        for note in d.notes:
            out.append(f"  = note: {_visible(_cut(note))}")
        if d.hint:
            out.append(f"  = hint: {_visible(_cut(d.hint))}")
        out.append("")
    return "\n".join(out)


def render_gnu(diagnostics: Iterable[Diagnostic]) -> str:
    return "\n".join(
        f"{(str(d.span) + ': ') if d.span else ''}{d.severity}: {d.message}" for d in diagnostics
    )


def render_json(diagnostics: Iterable[Diagnostic]) -> str:
    def one(d: Diagnostic) -> dict:
        s = d.span
        return {
            "severity": d.severity,
            "code": d.code,
            "message": d.message,
            "file": s.file if s else None,
            "line": s.line if s else None,
            "column": s.col if s else None,
            "hint": d.hint,
            "notes": list(d.notes),
        }

    return json.dumps({"diagnostics": [one(d) for d in diagnostics]}, ensure_ascii=False, indent=2)
