"""Each member's quarterly invoices as a table, CSV or JSON."""

from __future__ import annotations

from nhnprice.invoices import adjusted_fees
from nhnprice.numbers import format_number, kroner2
from nhnprice.report import safe_text
from nhnprice.report.labels import labels
from nhnprice.report.table import grid

#: what `nhnprice invoices --format` offers
FORMATS = ("table", "csv", "json")

#: invoicing in advance: each quarter is invoiced on its first day
QUARTERS = (("Q1", "01-01"), ("Q2", "04-01"), ("Q3", "07-01"), ("Q4", "10-01"))


def empty_reason(groups, lang: str = "nb") -> str:
    """Why there is no invoice: no member of the groups asked for (or of any group) pays anything."""
    L = labels(lang)
    return L["i_empty_groups"].format(groups=", ".join(groups)) if groups else L["i_empty"]


def adjustment_lines(result, L) -> list[str]:
    """§ 17: each flat fee as stated, the factor and the fee invoiced (`1 570 kr × 1,04 = 1 633 kr`)."""
    factor = format_number(result.price_factor).replace(".", ",")
    return [L["i_adjusted"].format(group=a["group"] + (f" / {a['category']}" if a["category"] else ""),
                                   stated=kroner2(a["stated_fee_ore_per_month"]), factor=factor,
                                   fee=kroner2(a["fee_ore_per_month"]))
            for a in adjusted_fees(result)]


def render_invoices(result, lines, fmt: str, lang: str = "nb", reason: str | None = None) -> str:
    """`reason`: why `lines` is empty, said in the table (a CSV or JSON stays as it is)."""
    year = result.graph.year
    if fmt == "json":
        import json

        return json.dumps({"format": "nhnprice.invoices/1", "spec": result.graph.file, "year": year,
                           "price_adjustment": adjusted_fees(result),
                           "invoices": [{"group": m.group, "entity": m.entity, "name": m.name,
                                         "year_ore": m.year_ore,
                                         "quarters": [{"quarter": q, "due": f"{year}-{d}", "amount_ore": a}
                                                      for (q, d), a in zip(QUARTERS, m.quarters_ore)]}
                                        for m in lines]}, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["group", "entity", "name", "quarter", "due", "amount_ore"])
        for m in lines:
            for (q, d), a in zip(QUARTERS, m.quarters_ore):
                writer.writerow([m.group, safe_text(m.entity), safe_text(m.name), q, f"{year}-{d}", a])
        return out.getvalue()
    L = labels(lang)
    header = [L["i_group"], L["i_entity"], L["i_name"], L["i_year"]] + \
        [L["i_quarter"].format(n=n, due=f"{year}-{d}") for n, (_, d) in enumerate(QUARTERS, start=1)]
    body = [[m.group, m.entity, m.name, kroner2(m.year_ore)] + [kroner2(a) for a in m.quarters_ore] for m in lines]
    if reason:
        body = [[reason]]
    return "\n".join([L["i_title"].format(title=result.graph.title)] + adjustment_lines(result, L) + [""]
                     + grid(header, body, wrap_from=99, text_columns=3)) + "\n"
