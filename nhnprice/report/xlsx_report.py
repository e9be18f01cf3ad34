"""The Excel workbook: a summary like the hearing's tables 2–5, one sheet per
payer group with every entity's amount per pool, the flat fees, and the data
the figures rest on.

Amounts are written as exact decimal kroner (integer øre / 100 as `Decimal`,
never a float computed here); number formats show NOK with Norwegian-style
grouping as Excel renders it for the reader's locale. Sums a reader would
check are formulas, so that the sheet shows its own arithmetic. openpyxl is
imported only when this format is asked for.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal

from nhnprice.evaluate import CARRY_OVER
from nhnprice.numbers import MONTHS
from nhnprice.report import data_notice
from nhnprice.report.labels import labels
from nhnprice.report.summary import columns, summary_rows

#: kroner shown as million kroner with one decimal (each trailing comma divides by 1 000)
MILL_FORMAT = '#,##0.0,,'
KRONER_FORMAT = '#,##0.00'
WHOLE_KRONER_FORMAT = '#,##0'


def kr(ore: int) -> Decimal:
    """Integer øre as exact decimal kroner."""
    return Decimal(ore).scaleb(-2)


def _sheet_title(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Ark"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def _header(ws, row: int, values: list[str], bold) -> None:
    for col, value in enumerate(values, start=1):
        ws.cell(row=row, column=col, value=value).font = bold


def _widths(ws, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def render(result, lang: str = "nb", **_options) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    L = labels(lang)
    bold = Font(bold=True)
    wb = Workbook()
    taken: set[str] = set()
    summary = wb.active
    summary.title = _sheet_title(L["summary"], taken)
    _summary(summary, result, L, bold)
    for group in columns(result):
        rows = [a for a in result.allocations if a.group == group.id]
        if rows:
            _group_sheet(wb.create_sheet(_sheet_title(group.title, taken)), result, group, rows, L, bold)
    if result.fees:
        _fees(wb.create_sheet(_sheet_title(L["fees"], taken)), result, L, bold)
    _provenance(wb.create_sheet(_sheet_title(L["data"], taken)), result, L, bold)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _summary(ws, result, L, bold) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    g = result.graph
    groups = columns(result)
    ws.append([g.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"{L['unit']}. {L['generated']} {g.file}."])
    adjusted = result.price_factor != 1
    header_row = 3
    _header(ws, header_row, [L["pool"]] + ([L["before"]] if adjusted else []) + [L["cost"]]
            + [grp.title + (" *" if grp.outside else "") for grp in groups], bold)
    pool_rows: list[int] = []
    section_rows: list[int] = []
    for r in summary_rows(result, L["sum"], L["total"], L["carry"]):
        row = ws.max_row + 1
        if r.kind == "section":
            ws.cell(row=row, column=1, value=r.label).font = bold
            section_rows = []
            continue
        ws.cell(row=row, column=1, value=r.label)
        values = ([r.before_ore] if adjusted else []) + [r.cost_ore] + list(r.amounts)
        for i, value in enumerate(values, start=2):
            if value is None:
                continue
            letter = get_column_letter(i)
            cell = ws.cell(row=row, column=i)
            if r.kind in ("pool", "carry"):
                cell.value = kr(value)
            else:  # sums are formulas over the pool rows they add up
                cells = section_rows if r.kind == "sum" else pool_rows
                cell.value = "=" + "+".join(f"{letter}{n}" for n in cells)
                cell.font = bold
            cell.number_format = MILL_FORMAT if r.kind != "carry" else KRONER_FORMAT
        if r.kind == "pool":
            pool_rows.append(row)
            section_rows.append(row)
        elif r.kind != "carry":
            ws.cell(row=row, column=1).font = bold
    if any(grp.outside for grp in groups):
        ws.append([])
        ws.append([f"* {L['outside']}"])
    notice = data_notice(result)
    if notice:
        ws.append([])
        ws.append([L["notice"]])
        for line in notice:
            ws.append([f"- {line}"])
    ws.freeze_panes = ws.cell(row=header_row + 1, column=2)
    _widths(ws, [40] + [14] * (2 if adjusted else 1) + [16] * len(groups))


def _group_sheet(ws, result, group, rows, L, bold) -> None:
    """One row per entity: its amount in every pool (legs summed) and a total formula; sums at the bottom."""
    from openpyxl.utils import get_column_letter

    titles = [(p.id, p.title) for p in result.graph.pools] + [(CARRY_OVER, L["carry"])]
    present = {a.pool for a in rows}
    pools = [(pid, title) for pid, title in titles if pid in present]
    index = {pid: i for i, (pid, _) in enumerate(pools)}
    amounts: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for a in rows:
        amounts.setdefault(a.entity, [0] * len(pools))[index[a.pool]] += a.amount_ore
        names[a.entity] = names.get(a.entity) or a.name
    _header(ws, 1, [L["entity_id"], L["name"]] + [title for _, title in pools] + [L["sum"]], bold)
    first, last = 2, len(amounts) + 1
    total_col = len(pools) + 3
    total_letter = get_column_letter(total_col)
    for r, entity in enumerate(sorted(amounts), start=first):
        ws.cell(row=r, column=1, value=entity)  # text: `0301` keeps its zero
        ws.cell(row=r, column=2, value=names[entity])
        for i, ore in enumerate(amounts[entity], start=3):
            ws.cell(row=r, column=i, value=kr(ore)).number_format = KRONER_FORMAT
        cell = ws.cell(row=r, column=total_col,
                       value=f"=SUM(C{r}:{get_column_letter(total_col - 1)}{r})")
        cell.number_format = KRONER_FORMAT
    sum_row = last + 1
    ws.cell(row=sum_row, column=1, value=L["sum"]).font = bold
    for col in range(3, total_col + 1):
        letter = get_column_letter(col)
        cell = ws.cell(row=sum_row, column=col, value=f"=SUM({letter}{first}:{letter}{last})")
        cell.number_format, cell.font = KRONER_FORMAT, bold
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{total_letter}{last}"
    _widths(ws, [12, 32] + [18] * (len(pools) + 1))


def _fees(ws, result, L, bold) -> None:
    _header(ws, 1, [L["group"], L["fee_per_month"], L["months"], L["members"], L["collected"], L["share"],
                    L["deviation"], L["margin"]], bold)
    for f in result.fees:
        r = ws.max_row + 1
        if not f.categories:
            ws.append([result.graph.groups[f.group].title, kr(f.fee_ore_per_month), MONTHS, f.members,
                       f"=B{r}*C{r}*D{r}", kr(f.share_ore), f"=F{r}-E{r}", kr(f.margin_ore)])
        else:  # a differentiated fee: the group collects what its categories collect
            first, last = r + 1, r + len(f.categories)
            ws.append([result.graph.groups[f.group].title, None, None, f"=SUM(D{first}:D{last})",
                       f"=SUM(E{first}:E{last})", kr(f.share_ore), f"=F{r}-E{r}", kr(f.margin_ore)])
            for i, c in enumerate(f.categories, start=first):
                ws.append([f"  {c.title}", kr(c.fee_ore_per_month), MONTHS, c.members, f"=B{i}*C{i}*D{i}"])
        for row in range(r, ws.max_row + 1):
            for col in "BEFGH":
                ws[f"{col}{row}"].number_format = KRONER_FORMAT
            ws[f"D{row}"].number_format = WHOLE_KRONER_FORMAT
    ws.freeze_panes = "B2"
    _widths(ws, [28, 20, 10, 12, 20, 20, 16, 14])


def _provenance(ws, result, L, bold) -> None:
    g = result.graph
    _header(ws, 1, [L["dataset"], L["kind"], L["path"], L["rows"], L["column"], L["status"], L["provenance"],
                    L["date"]], bold)
    for name, node in g.datasets.items():
        table = result.tables[name]
        path = table.path + (f' "{table.sheet}"' if table.sheet else "")
        ws.append([name, node.kind, path, len(table), node.weight_column, node.provenance or "unlabelled",
                   node.provenance_text, node.date])
        for note in table.notes:  # what was done to the data on reading, e.g. renumbering
            ws.append(["", "", note])
    ws.append([])
    ws.append([L["spec"], g.file])
    ws.append(["title", g.title])
    ws.append(["year", g.year])
    ws.append(["source", g.source])
    ws.freeze_panes = "A2"
    _widths(ws, [20, 10, 40, 8, 24, 12, 80, 12])
