"""Rows out of the files users have: CSV as Norwegian spreadsheets save it, and XLSX.

`read_rows(path, layout)` returns a `Sheet`: the header cells, the data rows
with the row number an editor (or Excel) shows, and how the numbers are
written. It never raises for a bad file; every problem is a diagnostic naming
the file (and the row, where there is one).

CSV: comma, semicolon or tab as delimiter (whichever the header row has most
of), quoted fields, CRLF or LF line ends, UTF-8 with or without a byte-order
mark. A file in Windows-1252 (Latin-1) is refused with a message that says so,
unless the data set declares `encoding "cp1252"`. The format is taken from the
file's content, not its name: an XLSX file is read as one (`nhnprice.xlsx`,
which imports openpyxl only then).
"""

from __future__ import annotations

import csv
import io
from array import array
from collections.abc import Iterable, Sequence
from types import MappingProxyType

from nhnprice.diagnostics import Diagnostic, error
from nhnprice.files import Limits, Unreadable, raise_hint, read_bytes
from nhnprice.sheet import Layout, Sheet, control_character, control_error, normalise_column
from nhnprice.span import Span
from nhnprice.xlsx import read_xlsx

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format (.xls)
ENCODINGS = MappingProxyType({"utf-8": "utf-8-sig", "utf8": "utf-8-sig", "cp1252": "cp1252",
                              "windows-1252": "cp1252", "latin-1": "latin-1", "latin1": "latin-1",
                              "iso-8859-1": "latin-1"})


def read_rows(path: str, layout: Layout = Layout(), raw: bytes | None = None,
              limits: Limits | None = None) -> tuple[Sheet | None, list[Diagnostic]]:
    """The table in `path` (or in `raw`, its content already read), or None and the reasons it cannot be
    read; `limits` bound what is read (files.py)."""
    limits = limits or Limits.from_env()
    if raw is None:
        try:
            raw = read_bytes(path, limits.file_mb)
        except Unreadable as exc:
            return None, [error("D002", exc.message, hint=exc.hint)]
    if raw.startswith(ZIP_MAGIC):
        return read_xlsx(path, raw, layout, limits)
    if raw.startswith(OLE_MAGIC):
        return None, [error("D001", f"{path} is in the old Excel format (.xls), which nhnprice does not read",
                            Span(path, 1, 1), "save it as an Excel workbook (.xlsx) or as CSV UTF-8")]
    text, found = decode(raw, path, layout.encoding)
    if text is None:
        return None, found
    control = control_character(text)
    if control is not None:
        return None, [control_error(path, *control)]
    if _cells(text) > limits.cells:
        return None, [error("D001", f"{path} has more than {limits.cells} cells, the most a data file may have",
                            Span(path, 1, 1), raise_hint("NHNPRICE_MAX_CELLS", limits.cells))]
    # the csv module reads lines decoded a piece at a time: a StringIO of the whole text would hold
    # it again at four bytes a character
    return _csv_sheet(text, path, layout, io.TextIOWrapper(io.BytesIO(raw), _codec(layout.encoding), newline=""))


def _codec(encoding: str | None) -> str:
    return ENCODINGS.get((encoding or "utf-8").lower(), "utf-8-sig")


def _cells(text: str) -> int:
    """About how many cells a CSV text holds (its rows times the fields of its first row, counted
    without reading it): a file of millions of one-character rows is refused before it is split."""
    first = text[: text.find("\n")] if "\n" in text else text
    return (text.count("\n") + 1) * (max(first.count(d) for d in (",", ";", "\t")) + 1)


def _binary(raw: bytes) -> bool:
    """NUL bytes or many control characters at the start: what no text file has (one stray control
    character is a text file's problem, found by `control_character` with its row and column)."""
    head = raw[:4096]
    return b"\x00" in head or sum(1 for b in head if b < 0x20 and b not in (0x09, 0x0A, 0x0D)) > 8


def decode(raw: bytes, path: str, encoding: str | None = None) -> tuple[str | None, list[Diagnostic]]:
    """Text of a CSV file: UTF-8 (BOM or not), or the encoding the data set declares."""
    if _binary(raw):
        return None, [error("D001", f"{path} is a binary file, not CSV text", Span(path, 1, 1),
                            "export the data as CSV UTF-8 or as an Excel workbook (.xlsx)")]
    codec = _codec(encoding)
    try:
        return raw.decode(codec), []
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1: exc.start].decode(codec, errors="replace")) + 1
        byte = raw[exc.start]
    span = Span(path, row, col)
    if codec == "utf-8-sig":
        try:
            raw.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            char = bytes([byte]).decode("cp1252")
            return None, [error(
                "D001", f"{path} is not UTF-8 text: byte 0x{byte:02x} at row {row} looks like `{char}` "
                "in Windows-1252 (Latin-1)", span,
                'save the file as CSV UTF-8, or declare `encoding "cp1252"` in the data set '
                "(`--encoding cp1252` for `nhnprice data check`)")]
    return None, [error("D001", f"{path} is not {encoding or 'UTF-8'} text: byte 0x{byte:02x} at row {row} "
                        "cannot be read", span, "save the file as CSV UTF-8")]


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _leading_lines(text: str, count: int) -> list[str]:
    """The first `count` lines of `text` as `text.splitlines()` has them (all, when there are
    fewer), without splitting the whole of a large file."""
    size = 4096
    while True:
        lines = text[:size].splitlines()
        if size >= len(text):
            return lines
        if len(lines) > count:  # the last line may be cut short; the ones before it are whole
            return lines[:count]
        size *= 4


def _csv_sheet(text: str, path: str, layout: Layout,
               source: Iterable[str] | None = None) -> tuple[Sheet | None, list[Diagnostic]]:
    """The sheet of a CSV text; `source`, when given, yields the same text's lines."""
    if not text.strip():
        return None, [error("D003", f"{path} is empty", Span(path, 1, 1), "the first row must name the columns")]
    lines = _leading_lines(text, layout.header_row)
    if layout.header_row > len(lines):
        return None, [error("D003", f"{path} has {len(lines)} rows, no header row {layout.header_row}",
                            Span(path, 1, 1), "`header row N` counts rows as an editor does, from 1")]
    delimiter = _delimiter(lines[layout.header_row - 1])
    plain = _plain_csv(text, delimiter, layout)
    if plain is not None:
        header, rows = plain
        return Sheet(path, tuple(normalise_column(h) for h in header), rows, delimiter == ";", "csv",
                     layout.header_row), []
    reader = csv.reader(source if source is not None else io.StringIO(text, newline=""), delimiter=delimiter)
    rows = PackedRows() if PackedRows.SEPARATOR not in text else []
    header = None
    try:
        while True:
            start = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            if layout.last_row is not None and start > layout.last_row:
                break
            if start == layout.header_row and header is None:
                header = fields
            elif start > layout.header_row:
                rows.append((start, fields))
    except csv.Error as exc:
        return None, [error("D001", f"{path} is not well-formed CSV: {exc}", Span(path, reader.line_num, 1),
                            "a quoted field must end with a quote")]
    if header is None or not any(f.strip() for f in header):
        return None, [error("D003", f"{path} has no header at row {layout.header_row}",
                            Span(path, layout.header_row, 1), "the header row names the columns")]
    rows = rows if isinstance(rows, PackedRows) else tuple((n, tuple(f)) for n, f in rows if "".join(f).strip())
    return Sheet(path, tuple(normalise_column(h) for h in header), rows, delimiter == ";", "csv",
                 layout.header_row), []


def _plain_csv(text: str, delimiter: str, layout: Layout) -> tuple[list[str], PackedRows] | None:
    """The header and rows of a CSV text with no quotes and no carriage returns, in which every line
    is a row and every delimiter separates two fields, as the csv module would read them but a
    whole file at a time (a million rows in a fraction of the time); None for any other text."""
    sep = PackedRows.SEPARATOR
    if '"' in text or "\r" in text or sep in text:
        return None
    lines = text.replace(delimiter, sep).split("\n")
    if lines[-1] == "":
        lines.pop()
    first = layout.header_row  # the header's row number; lines[first] is the row after it
    if first > len(lines) or not lines[first - 1].replace(sep, "").strip():
        return None
    header = lines[first - 1].split(sep)
    rows = PackedRows()
    last = len(lines) if layout.last_row is None else min(layout.last_row, len(lines))
    rows.lines = lines[first:last]
    if all(map(str.strip, rows.lines)):  # no blank row: the row numbers follow each other
        rows.numbers = range(first + 1, max(last, first) + 1)
    else:
        kept = [(number, line) for number, line in enumerate(rows.lines, start=first + 1) if line.strip()]
        rows.numbers = array("q", (number for number, _ in kept))
        rows.lines = [line for _, line in kept]
    return header, rows


class PackedRows(Sequence):
    """A sheet's data rows as `(row number, fields)` pairs, each row kept as one string (its
    fields joined by the unit separator) and split when read: a million rows of seven fields
    are then a million strings, not seven million. A row of blanks is left out as it is added.
    Used when no field can hold the separator (the file does not contain it)."""

    __slots__ = ("numbers", "lines")
    SEPARATOR = "\x1f"

    def __init__(self):
        self.numbers: Sequence[int] = array("q")
        self.lines: list[str] = []

    def append(self, row: tuple[int, Sequence[str]]) -> None:
        line = self.SEPARATOR.join(row[1])
        if line.strip():  # the separator is whitespace to `strip`: a row of blank fields is blank
            self.numbers.append(row[0])
            self.lines.append(line)

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self)[index]
        return self.numbers[index], tuple(self.lines[index].split(self.SEPARATOR))

    def __iter__(self):
        sep = self.SEPARATOR
        for number, line in zip(self.numbers, self.lines):
            yield number, tuple(line.split(sep))

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    __hash__ = None
