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
from nhnprice.files import MB, Limits, raise_hint
from nhnprice.numbers import ambiguous
from nhnprice.sheet import Layout, Sheet, control_character, control_error, normalise_column
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
        if abs(value) >= 2**53:  # beyond the integers a float holds exactly: refused as a weight
            return repr(value)
        if value.is_integer():
            return str(int(value))
        text = format(Decimal(repr(value)), "f")  # 0.0027, never 0.00269999...
        # A number Excel stored is no guess: 15.221 is written 15.2210, which no one reads as thousands.
        return text + "0" if ambiguous(text) else text
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    return str(value)


#: the longest comment (processing instruction, CDATA section) a workbook's XML may hold: expat
#: takes quadratic time over a long one
LONGEST_COMMENT = 1024 * 1024


def xml_problem(raw: bytes, limits: Limits) -> tuple[str, str] | None:
    """Why the XML inside a workbook must not be parsed (message, hint), or None.

    Checked before openpyxl reads it, in one pass over the unpacked parts: their total
    size (a zip bomb unpacks to gigabytes), a DTD (entities can expand a few bytes into
    gigabytes, or read other files), and a comment so long that parsing it would take
    minutes. Excel writes none of these."""
    import zipfile

    budget = limits.workbook_mb * MB
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = [i for i in archive.infolist() if not i.is_dir()]
            if sum(i.file_size for i in parts) > budget:
                return (f"the workbook unpacks to more than {limits.workbook_mb} MB",
                        raise_hint("NHNPRICE_MAX_WORKBOOK_MB", limits.workbook_mb))
            for info in parts:
                if not info.filename.endswith((".xml", ".rels", ".vml")):
                    continue
                with archive.open(info) as part:
                    problem = _scan_xml(part, info.filename)
                if problem:
                    return problem
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError) as exc:
        return (f"it is a damaged zip file ({exc})" if str(exc) else "it is a damaged zip file",
                "open and save it again in Excel, or save the sheet as CSV UTF-8")
    return None


#: the markup that expat reads as one piece, however long (so that parsing a long one takes
#: quadratic time): where each begins and ends, and what it is called in a message
_ONE_PIECE = ((b"<!--", b"-->", "an XML comment"), (b"<?", b"?>", "a processing instruction"),
              (b"<![CDATA[", b"]]>", "a CDATA section"))


def _scan_xml(part, name: str) -> tuple[str, str] | None:
    """A DTD, or a comment, processing instruction or CDATA section longer than LONGEST_COMMENT,
    in one XML part, read in pieces of a megabyte."""
    hint = "open and save the workbook again in Excel, or save the sheet as CSV UTF-8"
    previous = b""  # the end of the last piece: a marker may straddle two
    carry, inside, length = b"", None, 0  # `inside`: the piece of markup being read, if any
    while chunk := part.read(MB):
        if b"<!DOCTYPE" in previous[-8:] + chunk or b"<!ENTITY" in previous[-7:] + chunk:
            return f"its part {name} declares a DTD (`<!DOCTYPE`), which nhnprice does not read", hint
        previous = chunk
        text, position = carry + chunk, 0
        while True:
            if inside is None:
                found = [(text.find(opening, position), opening, closing, what)
                         for opening, closing, what in _ONE_PIECE]
                found = [f for f in found if f[0] >= 0]
                if not found:
                    carry = text[max(position, len(text) - 8):]
                    break
                start, opening, *inside = min(found)
                length, position = 0, start + len(opening)
            closing, what = inside
            end = text.find(closing, position)
            if end < 0:
                length += max(0, len(text) - 2 - position)
                carry = text[max(position, len(text) - 2):]
                break
            length += end - position
            inside, position = None, end + len(closing)
            if length > LONGEST_COMMENT:
                break
        if length > LONGEST_COMMENT:
            return (f"its part {name} holds {what} longer than {LONGEST_COMMENT // MB} MB, "
                    "which Excel does not write", hint)
    return None


def _records(sheet, layout: Layout, limits: Limits):
    """The rows of a sheet as text, numbered; and a problem that stops reading (a function of the
    path and sheet name that makes its diagnostic), or None."""
    records: list[tuple[int, tuple[str, ...]]] = []
    cells = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if layout.last_row is not None and number > layout.last_row:
            break
        cells += len(values)
        if cells > limits.cells:
            return records, lambda path, name: error(
                "D001", f'{path}, sheet "{name}", has more than {limits.cells} cells, the most a sheet may have',
                Span(path, number, 1), raise_hint("NHNPRICE_MAX_CELLS", limits.cells))
        texts = tuple(cell_text(v).strip() for v in values)
        if control_character("".join(texts)) is not None:
            column, code = next((col, found[2]) for col, text in enumerate(texts, start=1)
                                if (found := control_character(text)) is not None)
            return records, lambda path, name: control_error(path, number, column, code)
        records.append((number, texts))
    return records, None


def read_xlsx(path: str, raw: bytes, layout: Layout,
              limits: Limits | None = None) -> tuple[Sheet | None, list[Diagnostic]]:
    """The table on one sheet of a workbook: the declared `sheet`, or the first."""
    limits = limits or Limits.from_env()
    problem = xml_problem(raw, limits)
    if problem is not None:
        message, hint = problem
        return None, [error("D001", f"{path} is not read: {message}", Span(path, 1, 1), hint)]
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
        records, problem = _records(book[name], layout, limits)
    except Exception as exc:  # XML that openpyxl cannot parse, or a sheet it cannot make sense of
        return None, [error("D001", f"{path} is not a readable Excel workbook: its sheet cannot be read "
                            f"({type(exc).__name__}: {str(exc)[:200]})", Span(path, 1, 1),
                            "open and save it again in Excel, or save the sheet as CSV UTF-8")]
    finally:
        book.close()
    if problem is not None:
        return None, [problem(path, name)]
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
