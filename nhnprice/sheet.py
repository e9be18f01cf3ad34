"""A table as read from a data file (CSV or XLSX), before it is validated: what a declared data
set says about its file, where the table is in it, and what a reader found there. Shared by
readers.py, xlsx.py, data.py and municipalities.py."""

from __future__ import annotations

from typing import Protocol

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
