"""The summary as Markdown tables, to paste into a hearing note or a wiki."""

from __future__ import annotations

from nhnprice.numbers import kroner2
from nhnprice.report import data_notice
from nhnprice.report.labels import labels
from nhnprice.report.summary import amount_cells, columns, entity_lines, mill_text, summary_rows
from nhnprice.report.table import adjustment_lines, fee_lines, parameter_lines, residual_lines, within_lines


#: what Markdown would read as markup, in text from a spec or its data
_MARKUP = "\\`*_[]<>|#"


def md(text: str) -> str:
    """Text shown as written: `*`, `_`, `|`, `<` and the like escaped with a backslash."""
    return "".join("\\" + c if c in _MARKUP else c for c in text)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Cells are Markdown already (text through `md`, figures as they are)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    return lines + ["| " + " | ".join(r) + " |" for r in rows]


def render(result, lang: str = "nb", entity: str | None = None, **_options) -> str:
    L = labels(lang)
    g = result.graph
    out = [f"# {md(g.title)}", ""]
    notice = data_notice(result, L)
    if notice:
        out += [f"> {md(L['notice'])}", ">"] + [f"> - {md(n)}" for n in notice] + [""]
    if entity is not None:
        name, lines = entity_lines(result, entity, L["carry"])
        out += [f"## {md(L['entity'])} {md(entity)} {md(name)}".rstrip(), "", f"{L['entity_unit']}.", ""]
        rows = [[md(line.pool_title), md(g.groups[line.group].title), kroner2(line.amount_ore)] for line in lines]
        rows.append([f"**{md(L['entity_total'])}**", "", f"**{kroner2(sum(x.amount_ore for x in lines))}**"])
        return "\n".join(out + _table([L["pool"], L["group"], L["amount_kr"]], rows)) + "\n"
    groups = columns(result)
    adjusted = result.price_factor != 1
    header = [L["pool"]] + ([L["before"]] if adjusted else []) + [L["cost"]] + \
        [md(grp.title) + (" \\*" if grp.outside else "") for grp in groups]
    rows = []
    for r in summary_rows(result, L["sum"], L["total"], L["carry"]):
        if r.kind == "section":
            rows.append([f"**{md(r.label)}**"] + [""] * (len(header) - 1))
            continue
        before = [mill_text(r.kind, r.before_ore)] if adjusted else []
        cost = mill_text(r.kind, r.cost_ore)
        cells = before + [cost] + amount_cells(r, lambda v, kind=r.kind: mill_text(kind, v))
        if r.kind in ("sum", "total"):
            rows.append([f"**{md(r.label)}**"] + [f"**{c}**" if c else "" for c in cells])
        else:
            rows.append([("  " if r.kind in ("carry", "carry_group") else "") + md(r.label)] + cells)
    out += [f"{L['unit']}.", ""] + [md(line) for line in parameter_lines(result, L)] + _table(header, rows)
    if any(grp.outside for grp in groups):
        out += ["", f"\\* {L['outside']}"]
    extra = residual_lines(result, L) + adjustment_lines(result, L)
    out += [""] + [f"- {line}" for line in extra] if extra else []
    within = within_lines(result, L)
    if within:
        out += ["", f"## {within[0]}", ""] + [("  " if line.startswith("    ") else "") + "- " + line.strip()
                                               for line in within[1:]]
    if result.fees:
        out += ["", f"## {L['fees']}", ""]
        out += [("  " * (depth - 1)) + "- " + md(text) for depth, text in fee_lines(result, L)]
    return "\n".join(out) + "\n"
