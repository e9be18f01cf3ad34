"""The Excel workbook: a summary like the hearing's tables 2–5, one sheet per
payer group with every entity's amount per pool, the flat fees, and the data
the figures rest on.

Written with XlsxWriter (imported only when this format is asked for):

- amounts are exact decimal kroner (integer øre / 100 as `Decimal`, written as
  their decimal text, never through a float); number formats show them as
  Excel renders numbers for the reader's locale;
- sums a reader would check are formulas that carry their computed value, so
  that the sheet shows its own arithmetic and a preview, pandas or any tool
  that does not recalculate still sees the figures;
- every text from a spec or its data is written as a string, never read as a
  formula (`=`, `+`, `-`, `@` at its start open as text);
- every sheet prints on A4 landscape, one page wide, its header rows
  repeated on every page, with the sheet's name and page number at the foot;
- the same result gives the same bytes: the document's creation date is
  1 January of the spec's year and the parts of the file carry a fixed date.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timezone
from decimal import Decimal

from nhnprice.evaluate import CARRY_OVER
from nhnprice.numbers import MONTHS, count, kroner2
from nhnprice.report import data_notice, status_text
from nhnprice.report.labels import labels
from nhnprice.report.summary import adjusted_amounts, columns, entity_rows, summary_rows
from nhnprice.report.table import adjustment_lines
from nhnprice.within import totals

#: kroner shown as million kroner with one decimal (each trailing comma divides by 1 000)
MILL_FORMAT = '#,##0.0,,'
KRONER_FORMAT = '#,##0.00'
WHOLE_KRONER_FORMAT = '#,##0'
A4 = 9


def kr(ore: int) -> Decimal:
    """Integer øre as exact decimal kroner."""
    return Decimal(ore).scaleb(-2)


def _sheet_title(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, not starting or ending with `'`, unique."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip().strip("'")[:31].strip() or "Ark"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


class _Writer:
    """One workbook's formats and the few ways a cell is written."""

    def __init__(self, wb, L):
        self.L = L
        self.bold = wb.add_format({"bold": True})
        self.head = wb.add_format({"bold": True, "text_wrap": True, "valign": "bottom", "bottom": 1})
        self.head_n = wb.add_format({"bold": True, "text_wrap": True, "valign": "bottom", "bottom": 1,
                                     "align": "right"})
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.note = wb.add_format({"text_wrap": True, "valign": "top", "italic": True})
        self.number = {fmt: wb.add_format({"num_format": fmt}) for fmt in (MILL_FORMAT, KRONER_FORMAT,
                                                                           WHOLE_KRONER_FORMAT)}
        self.bold_number = {fmt: wb.add_format({"num_format": fmt, "bold": True}) for fmt in self.number}

    def text(self, ws, row: int, col: int, value, fmt=None) -> None:
        """Text as text: a name that starts with `=` is a name, not a formula."""
        if value is not None and value != "":
            ws.write_string(row, col, str(value), fmt)

    def header(self, ws, row: int, values: list[str], numeric_from: int) -> None:
        for col, value in enumerate(values):
            self.text(ws, row, col, value, self.head_n if col >= numeric_from else self.head)

    def amount(self, ws, row: int, col: int, ore: int, fmt: str = KRONER_FORMAT, bold: bool = False) -> None:
        ws.write_number(row, col, kr(ore), (self.bold_number if bold else self.number)[fmt])

    def formula(self, ws, row: int, col: int, formula: str, value: int | Decimal, fmt: str = KRONER_FORMAT,
                bold: bool = False) -> None:
        """A formula with the value it computes (øre as kroner, or a count), so that a reader
        that does not recalculate sees the figure too."""
        ws.write_formula(row, col, formula, (self.bold_number if bold else self.number)[fmt], value)

    def print_setup(self, ws, title: str, header_rows: tuple[int, int]) -> None:
        ws.set_landscape()
        ws.set_paper(A4)
        ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as it takes
        ws.repeat_rows(*header_rows)
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        ws.set_footer("&L" + title.replace("&", "&&") + "&R" + self.L["x_page"])


def _cell(row: int, col: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return xl_rowcol_to_cell(row, col)


def _column(col: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(col)


def _lean_sheet():
    """A worksheet class for our cells, which are plain: numbers, shared strings and formulas with a
    numeric value, each with a cell format or none. It writes formulas as given (ours use only SUM,
    +, - and *, none of the newer Excel functions XlsxWriter renames by trying some thirty regular
    expressions on every formula) and writes such a cell's XML in one step; anything else goes
    through XlsxWriter's own code. Most of a workbook of 10 000 rows' time went to these two."""
    from xlsxwriter.utility import xl_rowcol_to_cell_fast
    from xlsxwriter.worksheet import Worksheet

    class LeanSheet(Worksheet):
        def _prepare_formula(self, formula, expand_future_functions=False):
            return formula.lstrip("=")

        def _write_cell(self, row, col, cell):
            kind = type(cell).__name__
            fmt = cell.format
            if kind not in ("Number", "String", "Formula") or (
                    kind == "Formula" and not isinstance(cell.value, (int, Decimal))) or (
                    fmt is None and (row in self.row_info or col in self.col_info
                                     and self.col_info[col].column_format is not None)):
                return super()._write_cell(row, col, cell)
            style = "" if fmt is None else f' s="{fmt._get_xf_index()}"'
            ref = xl_rowcol_to_cell_fast(row, col)
            if kind == "Number":
                self.fh.write(f'<c r="{ref}"{style}><v>{cell.number:.16G}</v></c>')
            elif kind == "String":  # the index of a shared string
                self.fh.write(f'<c r="{ref}"{style} t="s"><v>{cell.string}</v></c>')
            else:  # our formulas hold no character XML escapes
                self.fh.write(f'<c r="{ref}"{style}><f>{cell.formula}</f><v>{cell.value:.16G}</v></c>')

    return LeanSheet


def render(result, lang: str = "nb", **_options) -> bytes:
    import xlsxwriter

    L = labels(lang)
    g = result.graph
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    wb.set_properties({"title": g.title, "author": "nhnprice", "comments": f"{L['generated']} {g.file}",
                       "created": datetime(g.year or 2000, 1, 1, tzinfo=timezone.utc)})
    w = _Writer(wb, L)
    taken: set[str] = set()
    sheet = _lean_sheet()

    def add(title: str):
        return wb.add_worksheet(_sheet_title(title, taken), worksheet_class=sheet)

    _summary(add(L["summary"]), result, w)
    fees = {f.group: f for f in result.fees}
    titles = [(p.id, p.title) for p in g.pools] + [(CARRY_OVER, L["carry"])]
    by_group = {group: (entities, names, rows)
                for group, entities, names, rows in entity_rows(result, [pid for pid, _ in titles])}
    for group in columns(result):
        if group.id in by_group:
            _group_sheet(add(group.title), titles, group, by_group[group.id], fees.get(group.id), w)
    if result.fees:
        _fees(add(L["fees"]), result, w)
    if result.within:
        _within(add(L["within"]), result, w)
    if result.adjustment is not None:
        _adjustment(add(L["adj_sheet"]), result, w)
    _provenance(add(L["data"]), result, w)
    wb.close()
    return out.getvalue()


def _summary(ws, result, w: _Writer) -> None:
    L = w.L
    g = result.graph
    groups = columns(result)
    adjusted = result.price_factor != 1
    w.text(ws, 0, 0, g.title, w.title)
    w.text(ws, 1, 0, f"{L['unit']}. {L['generated']} {g.file}.")
    header_row = 2
    first_amount = 2 if adjusted else 1
    w.header(ws, header_row, [L["pool"]] + ([L["before"]] if adjusted else []) + [L["cost"]]
             + [grp.title + (" *" if grp.outside else "") for grp in groups], 1)
    pool_rows: list[int] = []
    section_rows: list[int] = []
    row = header_row
    for r in summary_rows(result, L["sum"], L["total"], L["carry"]):
        row += 1
        if r.kind == "section":
            w.text(ws, row, 0, r.label, w.bold)
            section_rows = []
            continue
        w.text(ws, row, 0, ("    " if r.kind in ("carry", "carry_group") else "") + r.label,
               w.bold if r.kind in ("sum", "total") else None)
        values = ([r.before_ore] if adjusted else []) + [r.cost_ore] + list(r.amounts)
        for col, value in enumerate(values, start=1):
            if value is None:
                continue
            if r.kind == "pool":
                w.amount(ws, row, col, value, MILL_FORMAT)
            elif r.kind in ("carry", "carry_group"):
                w.amount(ws, row, col, value, KRONER_FORMAT)
            else:  # sums are formulas over the pool rows they add up
                cells = section_rows if r.kind == "sum" else pool_rows
                w.formula(ws, row, col, "=" + "+".join(_cell(n, col) for n in cells), kr(value), MILL_FORMAT,
                          bold=True)
        if r.kind == "pool":
            pool_rows.append(row)
            section_rows.append(row)
        elif r.kind == "carry_group":  # the total counts a group's own carry-over (a pool's is in its amounts)
            pool_rows.append(row)
    row += 1
    if any(grp.outside for grp in groups):
        row += 1
        w.text(ws, row, 0, f"* {L['outside']}")
    notice = data_notice(result, L)
    if notice:
        row += 2
        w.text(ws, row, 0, L["notice"])
        for line in notice:
            row += 1
            w.text(ws, row, 0, f"- {line}")
    ws.freeze_panes(header_row + 1, 1)
    ws.set_column(0, 0, 40)
    ws.set_column(1, first_amount, 14)
    ws.set_column(first_amount + 1, first_amount + len(groups), 16)
    ws.set_row(header_row, 45)
    w.print_setup(ws, L["summary"], (header_row, header_row))


def _group_sheet(ws, titles, group, found, fee, w: _Writer) -> None:
    """One row per entity: its amount in every pool (legs summed) and a total formula; sums at the
    bottom; for a flat-fee group, a note on why its sum is what the fee collects, not its share.
    `found`: the group's entities, names and rows of amounts per pool of `titles` (`entity_rows`)."""
    L = w.L
    entities, entity_names, rows = found
    present = [i for i in range(len(titles)) if any(row[i] is not None for row in rows)]
    pools = [titles[i] for i in present]
    amounts = {e: [row[i] or 0 for i in present] for e, row in zip(entities, rows)}
    names = dict(zip(entities, entity_names))
    w.header(ws, 0, [L["entity_id"], L["name"]] + [title for _, title in pools] + [L["sum"]], 2)
    first, last = 1, len(amounts)
    total_col = len(pools) + 2
    column_sums = [0] * len(pools)
    before_total = _column(total_col - 1)
    for r, entity in enumerate(sorted(amounts), start=first):
        w.text(ws, r, 0, entity)  # text: `0301` keeps its zero
        w.text(ws, r, 1, names[entity])
        for i, ore in enumerate(amounts[entity]):
            w.amount(ws, r, i + 2, ore)
            column_sums[i] += ore
        w.formula(ws, r, total_col, f"=SUM(C{r + 1}:{before_total}{r + 1})", kr(sum(amounts[entity])))
    sum_row = last + 1
    w.text(ws, sum_row, 0, L["sum"], w.bold)
    for col, ore in enumerate(column_sums + [sum(column_sums)], start=2):
        letter = _column(col)
        w.formula(ws, sum_row, col, f"=SUM({letter}{first + 1}:{letter}{last + 1})", kr(ore), bold=True)
    if fee is not None:
        note = L["fee_sheet_note"].format(
            fee=kroner2(fee.fee_ore_per_month), members=count(fee.members), collected=kroner2(fee.collected_ore),
            share=kroner2(fee.share_ore), deviation=kroner2(fee.deviation_ore), summary=L["summary"])
        ws.merge_range(sum_row + 2, 0, sum_row + 2, min(total_col, 7), "", w.note)
        ws.write_string(sum_row + 2, 0, note, w.note)
        ws.set_row(sum_row + 2, 75)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, last, total_col)
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 32)
    ws.set_column(2, total_col, 18)
    ws.set_row(0, 45)
    w.print_setup(ws, group.title, (0, 0))


def _fees(ws, result, w: _Writer) -> None:
    L = w.L
    w.header(ws, 0, [L["group"], L["fee_per_month"], L["months"], L["members"], L["collected"], L["share"],
                     L["deviation"], L["margin"]], 1)
    row = 0
    for f in result.fees:
        row += 1
        r = row + 1  # Excel's row number
        w.text(ws, row, 0, result.graph.groups[f.group].title)
        if not f.categories:
            w.amount(ws, row, 1, f.fee_ore_per_month)
            ws.write_number(row, 2, MONTHS)
            ws.write_number(row, 3, f.members, w.number[WHOLE_KRONER_FORMAT])
            w.formula(ws, row, 4, f"=B{r}*C{r}*D{r}", kr(f.collected_ore))
        else:  # a differentiated fee: the group collects what its categories collect
            first, last = r + 1, r + len(f.categories)
            w.formula(ws, row, 3, f"=SUM(D{first}:D{last})", f.members, WHOLE_KRONER_FORMAT)
            w.formula(ws, row, 4, f"=SUM(E{first}:E{last})", kr(f.collected_ore))
        w.amount(ws, row, 5, f.share_ore)
        w.formula(ws, row, 6, f"=F{r}-E{r}", kr(f.deviation_ore))
        w.amount(ws, row, 7, f.margin_ore)
        for c in f.categories:
            row += 1
            w.text(ws, row, 0, f"  {c.title}")
            w.amount(ws, row, 1, c.fee_ore_per_month)
            ws.write_number(row, 2, MONTHS)
            ws.write_number(row, 3, c.members, w.number[WHOLE_KRONER_FORMAT])
            w.formula(ws, row, 4, f"=B{row + 1}*C{row + 1}*D{row + 1}", kr(c.collected_ore))
    ws.freeze_panes(1, 1)
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, 20)
    ws.set_column(2, 3, 12)
    ws.set_column(4, 7, 18)
    ws.set_row(0, 30)
    w.print_setup(ws, L["fees"], (0, 0))


def _list_sheet(ws, w: _Writer, title: str, widths: list[int]) -> None:
    """A sheet of one header row and plain rows: the header stays in view, on screen and on paper."""
    ws.freeze_panes(1, 0)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    w.print_setup(ws, title, (0, 0))


def _within(ws, result, w: _Writer) -> None:
    """What each sub-entity of a `then by` group pays, in all."""
    L = w.L
    w.header(ws, 0, [L["group"], L["within_parent"], L["entity_id"], L["name"], L["amount_kr"]], 4)
    for row, (group, parent, entity, amount) in enumerate(totals(result), start=1):
        grp = result.graph.groups[group]
        for col, value in enumerate([grp.title, parent, entity, result.tables[grp.within].names.get(entity, "")]):
            w.text(ws, row, col, value)
        w.amount(ws, row, 4, amount)
    _list_sheet(ws, w, L["within"], [28, 14, 14, 40, 18])


def _adjustment(ws, result, w: _Writer) -> None:
    """§ 17: every stated payment, the factor and the adjusted payment (a value, not a formula: it is
    rounded to the unit the regulation states it in), then the payments against the costs."""
    L = w.L
    w.header(ws, 0, [L["pool"], L["group"], L["adj_stated"], L["adj_factor"], L["adj_adjusted"]], 2)
    factor = Decimal(result.price_factor.numerator) / Decimal(result.price_factor.denominator)
    row = 0
    for row, a in enumerate(adjusted_amounts(result), start=1):
        w.text(ws, row, 0, a.what + (f" ({L['adj_per_month']})" if a.per_month else ""))
        w.text(ws, row, 1, a.group)
        w.amount(ws, row, 2, a.stated_ore)
        ws.write_number(row, 3, factor)
        w.amount(ws, row, 4, a.adjusted_ore)
    for line in adjustment_lines(result, L):
        row += 2
        w.text(ws, row, 0, line)
    _list_sheet(ws, w, L["adj_sheet"], [40, 28, 20, 10, 20])


def _provenance(ws, result, w: _Writer) -> None:
    L = w.L
    g = result.graph
    w.header(ws, 0, [L["dataset"], L["kind"], L["path"], L["rows"].capitalize(), L["column"], L["status"],
                     L["provenance"], L["date"]], 99)
    row = 0
    for name, node in g.datasets.items():
        table = result.tables[name]
        path = table.path + (f' "{table.sheet}"' if table.sheet else "")
        row += 1
        for col, value in enumerate([name, L.get("kind_" + node.kind, node.kind), path]):
            w.text(ws, row, col, value)
        ws.write_number(row, 3, len(table))
        for col, value in enumerate([node.weight_column, status_text(node.provenance, L), node.provenance_text,
                                     node.date], start=4):
            w.text(ws, row, col, value)
        for note in table.notes:  # what was done to the data on reading, e.g. renumbering
            row += 1
            w.text(ws, row, 2, note)
    row += 1
    for label, value in ((L["spec"], g.file), (L["title"], g.title), (L["year"], g.year), (L["source"], g.source)):
        row += 1
        w.text(ws, row, 0, label)
        w.text(ws, row, 1, value)
    ws.freeze_panes(1, 0)
    for col, width in enumerate([20, 10, 40, 8, 24, 12, 80, 12]):
        ws.set_column(col, col, width)
    w.print_setup(ws, L["data"], (0, 0))
