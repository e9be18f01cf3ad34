"""Each member's quarterly invoices as a table, CSV or JSON."""

from __future__ import annotations

from nhnprice.numbers import kroner

#: what `nhnprice invoices --format` offers
FORMATS = ("table", "csv", "json")

#: invoicing in advance: each quarter is invoiced on its first day
QUARTERS = (("Q1", "01-01"), ("Q2", "04-01"), ("Q3", "07-01"), ("Q4", "10-01"))


def render_invoices(result, lines, fmt: str) -> str:
    year = result.graph.year
    if fmt == "json":
        import json

        return json.dumps({"format": "nhnprice.invoices/1", "spec": result.graph.file, "year": year,
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
                writer.writerow([m.group, m.entity, m.name, q, f"{year}-{d}", a])
        return out.getvalue()
    header = ["group", "entity", "name", "year kr"] + [f"{q} {year}-{d}" for q, d in QUARTERS]
    body = [[m.group, m.entity, m.name, kroner(m.year_ore, ",", " ")] + [kroner(a, ",", " ") for a in m.quarters_ore]
            for m in lines]
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
    out = [f"{result.graph.title}: invoiced quarterly in advance", ""]
    for r in [header] + body:
        out.append("  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    return "\n".join(out) + "\n"
