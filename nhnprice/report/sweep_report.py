"""A sweep's rows (one evaluation per value of the swept parameter) as a table, CSV or JSON."""

from __future__ import annotations

from nhnprice.numbers import kroner, mill

#: what `nhnprice sweep --format` offers
FORMATS = ("table", "csv", "json")


def render_sweep(graph, name: str, rows: list[dict], fmt: str) -> str:
    fee_groups = [g for g in graph.groups.values() if g.pays_fee]

    columns = ["value"] + [c for c in rows[0] if c not in ("value", "ok")] if rows else ["value"]
    if fmt == "json":
        import json

        return json.dumps({"format": "nhnprice.sweep/1", "spec": graph.file, "parameter": name,
                           "solved": [g.id for g in fee_groups if g.fee_solve], "rows": rows},
                          ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.DictWriter(out, ["value", "ok"] + columns[1:], lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    header = [name]
    for g in fee_groups:
        header += [f"{g.id}: fee kr/month" + (" (solved)" if g.fee_solve else ""), "members",
                   "collected kr", "deviation kr"]
    header += [f"{g} mill." for g in graph.groups]
    body = []
    for row in rows:
        if not row["ok"]:
            body.append([row["value"], "error: see above"])
            continue
        cells = [row["value"]]
        for g in fee_groups:
            cells += [kroner(row[f"{g.id}.fee_ore_per_month"], ",", " "), kroner(row[f"{g.id}.members"] * 100, ",", " "),
                      kroner(row[f"{g.id}.collected_ore"], ",", " "), kroner(row[f"{g.id}.deviation_ore"], ",", " ")]
        cells += [mill(row[f"{g}.amount_ore"]) for g in graph.groups]
        body.append(cells)
    widths = [max(len(r[i]) for r in [header] + body if i < len(r)) for i in range(len(header))]
    lines = [graph.title, f"sweep over {name}", ""]
    for r in [header] + body:
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    return "\n".join(lines) + "\n"
