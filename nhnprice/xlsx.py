"""Excel workbooks (.xlsx), so that a Grønt hefte table can be used as published.

openpyxl is imported here only, and only when a workbook is read. Cells are
turned into the text a CSV export would hold, exactly: integers as digits, a
number with decimals as the shortest decimal that gives back the stored value
(what Excel shows with enough decimals), so weights stay exact Fractions. The
values of formulas are those Excel stored when it last saved the file.
"""

from __future__ import annotations

import datetime
import io
import math
from decimal import Decimal

from nhnprice.diagnostics import Diagnostic, did_you_mean, error
from nhnprice.sheet import Layout, Sheet, normalise_column
from nhnprice.span import Span


def cell_text(value) -> str:
    """A cell's value as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)  # refused as a weight like any other text
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")  # 0.0027, never 0.00269999...
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    return str(value)


def read_xlsx(path: str, raw: bytes, layout: Layout) -> tuple[Sheet | None, list[Diagnostic]]:
    """The table on one sheet of a workbook: the declared `sheet`, or the first."""
    try:
        import openpyxl
    except ImportError:
        return None, [error("D020", f"{path} is an Excel workbook, and reading one needs openpyxl",
                            Span(path, 1, 1), "install it with `pip install openpyxl`, "
                            "or save the sheet as CSV UTF-8")]
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign zip file
        return None, [error("D001", f"{path} is not a readable Excel workbook ({type(exc).__name__})",
                            Span(path, 1, 1), "open and save it again in Excel, or save the sheet as CSV UTF-8")]
    try:
        names = book.sheetnames
        if layout.sheet is None:
            name = names[0]
        elif layout.sheet in names:
            name = layout.sheet
        else:
            return None, [error("D021", f'{path} has no sheet "{layout.sheet}"', Span(path, 1, 1),
                                did_you_mean(layout.sheet, names) or
                                "sheets: " + ", ".join(f'"{n}"' for n in names))]
        records = []
        for number, values in enumerate(book[name].iter_rows(values_only=True), start=1):
            if layout.last_row is not None and number > layout.last_row:
                break
            records.append((number, tuple(cell_text(v).strip() for v in values)))
    finally:
        book.close()
    header = next((cells for number, cells in records if number == layout.header_row), None)
    if not records:
        return None, [error("D003", f'{path}, sheet "{name}", is empty', Span(path, 1, 1),
                            "the first row must name the columns")]
    if header is None or not any(header):
        return None, [error("D003", f'{path}, sheet "{name}", has no header at row {layout.header_row}',
                            Span(path, layout.header_row, 1),
                            "declare the row that names the columns with `header row N`")]
    width = max(i + 1 for i, cell in enumerate(header) if cell)
    rows = []
    for number, cells in records:
        if number <= layout.header_row or not any(cells):
            continue
        # Excel rows are as wide as the sheet's widest row: trailing empty cells are not ragged rows.
        while len(cells) > width and not cells[-1]:
            cells = cells[:-1]
        rows.append((number, cells + ("",) * (width - len(cells))))
    return Sheet(path, tuple(normalise_column(h) for h in header[:width]), tuple(rows), False, "xlsx",
                 layout.header_row, name), []
