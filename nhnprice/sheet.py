"""A table as read from a data file (CSV or XLSX), before it is validated: what a declared data
set says about its file, where the table is in it, and what a reader found there; and the
control characters no value of one may hold (found with their row and column). Shared by
readers.py, xlsx.py, data.py and municipalities.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from nhnprice.diagnostics import Diagnostic, error
from nhnprice.record import Record, frozen
from nhnprice.span import Span


class Declared(Protocol):
    """What `load` reads of a declared data set: the graph's `DatasetNode` is one, and so is
    the description `nhnprice data check` makes of a file without a spec."""

    name: str
    kind: str  # key | register
    path: str
    id_column: str
    name_column: str | None
    weight_column: str | None
    entities: str | None
    sheet: str | None
    header_row: int
    last_row: int | None
    encoding: str | None
    numbering: int | None  # the year whose municipality numbers the file uses
    splits: tuple  # municipalities.SplitRule: where a split municipality's figure goes
    parent_column: str | None  # a key's column naming the entity each row belongs to (`then by`)
    span: Span | None


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
    rows: Sequence[tuple[int, tuple[str, ...]]]  # a tuple, or readers.PackedRows for CSV
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
