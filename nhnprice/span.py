"""Source positions. Every node and diagnostic carries one; equality ignores it."""

from __future__ import annotations

from nhnprice.record import Record, frozen


@frozen
class Span(Record):
    """A region of a file: 1-based line and column, end exclusive.

    For data files `line` is the row number as an editor shows it (the header
    is row 1) and `col` the 1-based column of the field.
    """

    file: str
    line: int
    col: int
    end_line: int | None = None
    end_col: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    @property
    def width(self) -> int:
        if self.end_line == self.line and self.end_col is not None:
            return max(1, self.end_col - self.col)
        return 1
