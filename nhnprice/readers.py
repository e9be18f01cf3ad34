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
    return _csv_sheet(text, path, layout)


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
    codec = ENCODINGS.get((encoding or "utf-8").lower(), "utf-8-sig")
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


def _csv_sheet(text: str, path: str, layout: Layout) -> tuple[Sheet | None, list[Diagnostic]]:
    if not text.strip():
        return None, [error("D003", f"{path} is empty", Span(path, 1, 1), "the first row must name the columns")]
    lines = text.splitlines()
    if layout.header_row > len(lines):
        return None, [error("D003", f"{path} has {len(lines)} rows, no header row {layout.header_row}",
                            Span(path, 1, 1), "`header row N` counts rows as an editor does, from 1")]
    delimiter = _delimiter(lines[layout.header_row - 1])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, tuple[str, ...]]] = []
    try:
        while True:
            start = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            if layout.last_row is not None and start > layout.last_row:
                break
            records.append((start, tuple(fields)))
    except csv.Error as exc:
        return None, [error("D001", f"{path} is not well-formed CSV: {exc}", Span(path, reader.line_num, 1),
                            "a quoted field must end with a quote")]
    header = next((fields for number, fields in records if number == layout.header_row), None)
    if header is None or not any(f.strip() for f in header):
        return None, [error("D003", f"{path} has no header at row {layout.header_row}",
                            Span(path, layout.header_row, 1), "the header row names the columns")]
    rows = tuple((number, fields) for number, fields in records
                 if number > layout.header_row and any(f.strip() for f in fields))
    return Sheet(path, tuple(normalise_column(h) for h in header), rows, delimiter == ";", "csv",
                 layout.header_row), []
