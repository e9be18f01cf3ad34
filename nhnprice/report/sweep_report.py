"""A sweep's rows (one evaluation per value of the swept parameter, or per point of a grid of
two) as a table, CSV or JSON: a column per swept parameter, then the figures."""

from __future__ import annotations

from nhnprice.numbers import count, kroner2, mill
from nhnprice.report import safe_text
from nhnprice.report.labels import labels
from nhnprice.report.table import grid

#: what `nhnprice sweep --format` offers
FORMATS = ("table", "csv", "json")


def render_sweep(graph, names: list[str], rows: list[dict], fmt: str, lang: str = "nb") -> str:
    fee_groups = [g for g in graph.groups.values() if g.pays_fee]

    first = (["value"] if len(names) == 1 else []) + names
    columns = first + [c for c in rows[0] if c not in first and c != "ok"] if rows else first
    if fmt == "json":
        import json

        return json.dumps({"format": "nhnprice.sweep/1", "spec": graph.file, "parameter": names[0],
                           "parameters": names, "solved": [g.id for g in fee_groups if g.fee_solve], "rows": rows},
                          ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.DictWriter(out, first + ["ok"] + columns[len(first):], lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows({k: safe_text(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows)
        return out.getvalue()
    L = labels(lang)
    header = list(names)
    for g in fee_groups:
        header += [L["s_fee"].format(group=g.title) + (" " + L["s_solved"] if g.fee_solve else ""), L["s_members"],
                   L["s_collected"], L["s_deviation"]]
    header += [L["s_mill"].format(group=g.title) for g in graph.groups.values()]
    body = []
    for row in rows:
        if not row["ok"]:
            body.append([row[n] for n in names] + [L["s_error"]])
            continue
        cells = [row[n] for n in names]
        for g in fee_groups:
            cells += [kroner2(row[f"{g.id}.fee_ore_per_month"]), count(row[f"{g.id}.members"]),
                      kroner2(row[f"{g.id}.collected_ore"]), kroner2(row[f"{g.id}.deviation_ore"])]
        cells += [mill(row[f"{g}.amount_ore"]) for g in graph.groups]
        body.append(cells)
    return "\n".join([graph.title, L["s_title"].format(name=" × ".join(names)), ""] + grid(header, body)) + "\n"
