"""The summary as Markdown tables, to paste into a hearing note or a wiki."""

from __future__ import annotations

from nhnprice.numbers import kroner2, mill, mill_exact
from nhnprice.report import data_notice
from nhnprice.report.labels import labels
from nhnprice.report.summary import columns, entity_lines, summary_rows
from nhnprice.report.table import fee_lines, parameter_lines


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    escape = [[c.replace("|", "\\|") for c in r] for r in [header] + rows]
    lines = ["| " + " | ".join(escape[0]) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    return lines + ["| " + " | ".join(r) + " |" for r in escape[1:]]


def render(result, lang: str = "nb", entity: str | None = None, **_options) -> str:
    L = labels(lang)
    g = result.graph
    out = [f"# {g.title}", ""]
    notice = data_notice(result)
    if notice:
        out += [f"> {L['notice']}", ">"] + [f"> - {n}" for n in notice] + [""]
    if entity is not None:
        name, lines = entity_lines(result, entity, L["carry"])
        out += [f"## {L['entity']} {entity} {name}".rstrip(), "", f"{L['entity_unit']}.", ""]
        rows = [[line.pool_title, g.groups[line.group].title, kroner2(line.amount_ore)] for line in lines]
        rows.append([f"**{L['entity_total']}**", "", f"**{kroner2(sum(x.amount_ore for x in lines))}**"])
        return "\n".join(out + _table([L["pool"], L["group"], L["amount_kr"]], rows)) + "\n"
    groups = columns(result)
    adjusted = result.price_factor != 1
    header = [L["pool"]] + ([L["before"]] if adjusted else []) + [L["cost"]] + \
        [grp.title + (" *" if grp.outside else "") for grp in groups]
    rows = []
    for r in summary_rows(result, L["sum"], L["total"], L["carry"]):
        if r.kind == "section":
            rows.append([f"**{r.label}**"] + [""] * (len(header) - 1))
            continue
        before = [mill(r.before_ore) if r.before_ore is not None else ""] if adjusted else []
        cost = mill_exact(r.cost_ore) if r.kind == "carry" else mill(r.cost_ore)
        cells = before + [cost] + ["" if v is None else mill(v) for v in r.amounts]
        if r.kind in ("sum", "total"):
            rows.append([f"**{r.label}**"] + [f"**{c}**" if c else "" for c in cells])
        else:
            rows.append([("  " if r.kind == "carry" else "") + r.label] + cells)
    out += [f"{L['unit']}.", ""] + parameter_lines(result, L) + _table(header, rows)
    if any(grp.outside for grp in groups):
        out += ["", f"\\* {L['outside']}"]
    if result.fees:
        out += ["", f"## {L['fees']}", ""]
        out += [("  " * (depth - 1)) + "- " + text for depth, text in fee_lines(result, L)]
    return "\n".join(out) + "\n"
