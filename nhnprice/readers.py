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
from fractions import Fraction
from types import MappingProxyType

from nhnprice.diagnostics import Diagnostic, error
from nhnprice.numbers import without_spaces
from nhnprice.sheet import Layout, Sheet, normalise_column
from nhnprice.span import Span
from nhnprice.xlsx import read_xlsx

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format (.xls)
ENCODINGS = MappingProxyType({"utf-8": "utf-8-sig", "utf8": "utf-8-sig", "cp1252": "cp1252",
                              "windows-1252": "cp1252", "latin-1": "latin-1", "latin1": "latin-1",
                              "iso-8859-1": "latin-1"})


def parse_weight(text: str, decimal_comma: bool) -> Fraction | None:
    """`1 234,5`, `1234.5` or `0,0027` -> an exact Fraction; None when it is not a finite number.

    Thousands may be separated by a space, a no-break space or a narrow no-break
    space; the decimal mark is a point, or a comma (always in a `;` file, and in
    any file when the value has a comma and no point).
    """
    cleaned = without_spaces(text.strip())
    if decimal_comma or ("," in cleaned and "." not in cleaned):
        cleaned = cleaned.replace(",", ".")
    if not cleaned or not all(c.isdigit() or c in ".-+" for c in cleaned):
        return None  # also `nan`, `inf`, `1e5`, `12 %`
    try:
        return Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        return None


def read_rows(path: str, layout: Layout = Layout(), raw: bytes | None = None) -> tuple[Sheet | None, list[Diagnostic]]:
    """The table in `path` (or in `raw`, its content already read), or None and the reasons it cannot be read."""
    if raw is None:
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            return None, [error("D002", f"no such data file: {path}")]
        except IsADirectoryError:
            return None, [error("D002", f"{path} is a folder, not a data file")]
        except OSError as exc:
            return None, [error("D002", f"cannot read {path}: {exc.strerror}")]
    if raw.startswith(ZIP_MAGIC):
        return read_xlsx(path, raw, layout)
    if raw.startswith(OLE_MAGIC):
        return None, [error("D001", f"{path} is in the old Excel format (.xls), which nhnprice does not read",
                            Span(path, 1, 1), "save it as an Excel workbook (.xlsx) or as CSV UTF-8")]
    text, found = decode(raw, path, layout.encoding)
    if text is None:
        return None, found
    return _csv_sheet(text, path, layout)


def _binary(raw: bytes) -> bool:
    """NUL bytes, or control characters that no text file has."""
    if b"\x00" in raw:
        return True
    controls = sum(1 for b in raw[:4096] if b < 0x20 and b not in (0x09, 0x0A, 0x0D, 0x0C))
    return controls > 0


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
