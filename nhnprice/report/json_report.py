"""The JSON report, format `nhnprice.report/1` (documented in docs/report-format.md)."""

from __future__ import annotations

import json

from nhnprice.money import fraction_text
from nhnprice.report import data_notice

FORMAT = "nhnprice.report/1"
TIE_BREAK = "largest remainder; equal remainders go to the lower id first"


def as_dict(result) -> dict:
    g = result.graph
    groups = g.groups
    regulated = sum(a.amount_ore for a in result.groups if not groups[a.group].outside)
    outside = sum(a.amount_ore for a in result.groups if groups[a.group].outside)
    return {
        "format": FORMAT,
        "spec": {"file": g.file, "title": g.title, "year": g.year, "source": g.source},
        "rounding": {"group_unit_ore": g.group_unit_ore, "entity_unit_ore": g.entity_unit_ore,
                     "method": TIE_BREAK},
        "notices": data_notice(result),
        "pools": [
            {"id": p.id, "title": node.title, "section": node.section, "reference": node.reference,
             "note": node.note, "cost_ore": p.cost_ore, "collected_ore": p.collected_ore,
             "residual_ore": p.residual_ore}
            for p, node in zip(result.pools, g.pools)
        ],
        "payer_groups": [
            {"group": grp.id, "title": grp.title, "outside_regulation": grp.outside,
             "distribution": ("fee" if grp.fee_ore is not None else "entity" if grp.entity else "key"),
             "key": grp.key, "amount_ore": sum(a.amount_ore for a in result.groups if a.group == grp.id)}
            for grp in groups.values()
        ],
        "groups": [
            {"pool": a.pool, "group": a.group, "amount_ore": a.amount_ore,
             "exact_ore": fraction_text(a.quota), "outside_regulation": groups[a.group].outside}
            for a in result.groups
        ],
        "allocations": [
            {"pool": a.pool, "group": a.group, "entity": a.entity, "name": a.name, "amount_ore": a.amount_ore}
            for a in result.allocations
        ],
        "fees": [
            {"group": f.group, "fee_ore_per_month": f.fee_ore_per_month, "months": 12, "members": f.members,
             "share_ore": f.share_ore, "collected_ore": f.collected_ore, "deviation_ore": f.deviation_ore,
             "margin_ore": f.margin_ore, "solved": f.solved}
            for f in result.fees
        ],
        "data": [
            {"name": name, "kind": node.kind, "path": result.tables[name].path, "column": node.weight_column,
             "id_column": node.id_column, "rows": len(result.tables[name]),
             "provenance": {"status": node.provenance, "text": node.provenance_text, "date": node.date}}
            for name, node in g.datasets.items()
        ],
        "checks": [
            {"description": c.description, "label": c.label, "expected_ore": c.expected_ore,
             "actual_ore": c.actual_ore, "ok": c.ok}
            for c in result.checks
        ],
        "totals": {"regulated_ore": regulated, "outside_regulation_ore": outside,
                   "all_ore": regulated + outside,
                   "cost_ore": sum(p.cost_ore for p in result.pools)},
    }


def render(result, entity: str | None = None, **_options) -> str:
    report = as_dict(result)
    if entity is not None:  # the same report, with only this entity's allocations
        report["allocations"] = [a for a in report["allocations"] if a["entity"] == entity]
    return json.dumps(report, ensure_ascii=False, indent=1) + "\n"
