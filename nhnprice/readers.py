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
import re
from fractions import Fraction

from nhnprice.diagnostics import Diagnostic, error
from nhnprice.files import Limits, Unreadable, read_bytes
from nhnprice.record import Record, frozen
from nhnprice.span import Span

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format (.xls)
ENCODINGS = {"utf-8": "utf-8-sig", "utf8": "utf-8-sig", "cp1252": "cp1252", "windows-1252": "cp1252",
             "latin-1": "latin-1", "latin1": "latin-1", "iso-8859-1": "latin-1"}
_SPACES = (" ", "\u00a0", "\u202f")


@frozen
class Layout(Record):
    """Where the table is in the file: the data set's `sheet`, `header row`, `last row`, `encoding`."""

    sheet: str | None = None
    header_row: int = 1
    last_row: int | None = None
    encoding: str | None = None


@frozen
class Sheet(Record):
    """What a reader found: header cells and `(row number, cells)` pairs, empty rows left out."""

    path: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    decimal_comma: bool  # `;`-separated CSV writes decimals with a comma
    format: str  # csv | xlsx
    header_row: int = 1
    sheet: str | None = None

    def where(self, row: int) -> str:
        """`row 5` for CSV, `sheet "Tabell", row 5` for XLSX: for messages."""
        return f'sheet "{self.sheet}", row {row}' if self.sheet else f"row {row}"


def normalise_column(text: str) -> str:
    """Header cells compared with whitespace collapsed: Excel headers often wrap over lines."""
    return " ".join(text.split())


#: a number as a data file may write it: ASCII digits, thousands grouped by threes with a space
#: (also no-break or narrow no-break), one decimal mark (point or comma)
_NUMBER = re.compile("[+-]?(?:[0-9]+|[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+)(?:[.,][0-9]+)?")
#: `717.710`, `1,500`: one mark followed by three digits may group thousands or mark decimals ...
_AMBIGUOUS = re.compile("[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}")
#: ... except a comma in a `;` file, which writes decimals with a comma (and thousands with a space)
_AMBIGUOUS_POINT = re.compile("[+-]?[1-9][0-9]{0,2}[.][0-9]{3}")


def parse_weight(text: str, decimal_comma: bool = False) -> Fraction | None:
    """`1 234,5`, `1234.5` or `0,0027` -> an exact Fraction; None when it is not a number that can
    be read without a guess (`number_problem` says why).

    Thousands may be separated by a space, a no-break space or a narrow no-break
    space, in groups of three; the decimal mark is a point or a comma. One mark
    followed by three digits (`717.710`) may be either, and is refused, but for a
    comma in a file that writes decimals with one (`decimal_comma`: a `;` file).
    """
    cleaned = text.strip()
    if not _NUMBER.fullmatch(cleaned) or ambiguous(cleaned, decimal_comma):
        return None
    for space in _SPACES:
        cleaned = cleaned.replace(space, "")
    return Fraction(cleaned.replace(",", "."))


def ambiguous(text: str, decimal_comma: bool = False) -> bool:
    """Whether a number's one separator may be a thousands separator or a decimal mark (`717.710`)."""
    return (_AMBIGUOUS_POINT if decimal_comma else _AMBIGUOUS).fullmatch(text.strip()) is not None


def number_problem(text: str, decimal_comma: bool = False) -> tuple[str, str]:
    """Why `text` is not read as a number, and what to write instead: for messages."""
    word = text.strip()
    shown = f"`{word}`"
    if not word:
        return "is empty", "write a number, 0 for none"
    if word.lower().lstrip("+-") in ("nan", "inf", "infinity", "#num!", "#div/0!", "#value!", "#ref!"):
        return f"is {shown}, not a finite number", "write the number itself, not an error value"
    if any(c.isdigit() and not c.isascii() for c in word):
        return (f"is {shown}, written with digits other than 0–9",
                "write the number with the digits 0–9 (a spreadsheet or keyboard may have used another script)")
    if ambiguous(word, decimal_comma):
        whole, fraction = re.split("[.,]", word.lstrip("+-"))
        decimals = f"{whole},{fraction.rstrip('0') or '0'}"
        return (f"is {shown}, which may mean {whole} {fraction} (thousands) or {decimals} (decimals)",
                f"write {whole} {fraction} or {whole}{fraction} for thousands, {decimals} for decimals")
    if re.fullmatch("[+-]?[0-9.,]*[0-9][eE][+-]?[0-9]+", word):
        return f"is {shown}, written with an exponent", "write the number out in full, e.g. 1500000 for 1.5e6"
    if "." in word and "," in word or word.count(".") > 1 or word.count(",") > 1:
        return (f"is {shown}, with more than one separator",
                "write thousands with a space (1 234 567) or not at all, and one decimal mark (1234,5)")
    if any(space in word for space in _SPACES) and re.fullmatch("[0-9+ \u00a0\u202f.,-]+", word):
        return f"is {shown}, not grouped in threes", "group thousands in threes (1 234 567), or not at all"
    return f"is {shown}, not a number", "write a number such as 15221, 15 221 or 0,0027"


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
        from nhnprice.xlsx import read_xlsx

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
    return _csv_sheet(text, path, layout)


def _binary(raw: bytes) -> bool:
    """NUL bytes or many control characters at the start: what no text file has (one stray control
    character is a text file's problem, found by `control_character` with its row and column)."""
    head = raw[:4096]
    return b"\x00" in head or sum(1 for b in head if b < 0x20 and b not in (0x09, 0x0A, 0x0D)) > 8


#: characters no value of a key or register has: C0 and C1 controls but tab and line ends, DEL,
#: and the line and paragraph separators (they end lines for some programs and not others)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def control_character(text: str) -> tuple[int, int, str] | None:
    """The first control character in `text`: (row, column, U+XXXX), rows counted by `\\n`."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    start = found.start()
    line_start = text.rfind("\n", 0, start) + 1
    return text.count("\n", 0, start) + 1, start - line_start + 1, f"U+{ord(found.group()):04X}"


def control_error(path: str, row: int, col: int, code: str) -> Diagnostic:
    return error("D017", f"{path} has the control character {code} at row {row}, column {col}",
                 Span(path, row, col), "remove it: no id, name or number has one (it may come from a copy "
                 "and paste, or from a file that is not a table)")


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
