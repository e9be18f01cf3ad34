"""The JSON report, format `nhnprice.report/1` (documented in docs/report-format.md)."""

from __future__ import annotations

import json

from nhnprice.money import fraction_text
from nhnprice.params import format_value
from nhnprice.report import data_notice

FORMAT = "nhnprice.report/1"
TIE_BREAK = "largest remainder; equal remainders go to the lower id first"


def as_dict(result, entity: str | None = None) -> dict:
    """The whole report as plain data; with `entity`, only that entity's allocations."""
    document = _document(result)
    document["allocations"] = [
        {"pool": a.pool, "group": a.group, "entity": a.entity, "name": a.name, "amount_ore": a.amount_ore}
        for a in result.allocations if entity is None or a.entity == entity
    ]
    return document


def _document(result) -> dict:
    """Everything but the allocations, in the documented field order (allocations: None)."""
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
        "scenario": result.scenario,
        "parameters": [
            {"name": name, "kind": g.parameters[name].kind, "value": _value(g.parameters[name].kind, value),
             "text": format_value(g.parameters[name].kind, value), "overridden": name in result.overridden,
             "description": g.parameters[name].description}
            for name, value in result.parameters.items()
        ],
        "price_adjustment": None if g.price_adjustment is None else {
            "parameter": g.price_adjustment, "factor": fraction_text(result.price_factor),
            "rounding": "each adjusted cost is rounded down to whole øre"},
        "pools": [
            {"id": p.id, "title": node.title, "section": node.section, "reference": node.reference,
             "note": node.note, "cost_before_adjustment_ore": (p.cost_ore if p.cost_before_adjustment_ore is None
                                                                else p.cost_before_adjustment_ore),
             "cost_ore": p.cost_ore, "carry_over_ore": p.carry_over_ore,
             "carry_over_reference": node.carry_over_reference, "collected_ore": p.collected_ore,
             "residual_ore": p.residual_ore}
            for p, node in zip(result.pools, g.pools)
        ],
        "carry_overs": [
            {"group": c.group, "amount_ore": c.amount_ore, "reference": c.reference}
            for c in result.carry_overs
        ],
        "payer_groups": [
            {"group": grp.id, "title": grp.title, "outside_regulation": grp.outside,
             "distribution": ("fee" if grp.pays_fee else "entity" if grp.entity else "key"),
             "key": grp.key, "amount_ore": sum(a.amount_ore for a in result.groups if a.group == grp.id)}
            for grp in groups.values()
        ],
        "groups": [
            {"pool": a.pool, "group": a.group, "amount_ore": a.amount_ore,
             "amount_before_adjustment_ore": a.unadjusted_ore,
             "exact_ore": fraction_text(a.quota), "outside_regulation": groups[a.group].outside}
            for a in result.groups
        ],
        "allocations": None,  # as_dict and render fill these in
        "fees": [
            {"group": f.group, "fee_ore_per_month": f.fee_ore_per_month, "months": 12, "members": f.members,
             "share_ore": f.share_ore, "collected_ore": f.collected_ore, "deviation_ore": f.deviation_ore,
             "margin_ore": f.margin_ore, "solved": f.solved, "carry_over_ore": f.carry_over_ore,
             "members_parameter": f.members_parameter, "register_members": f.register_members,
             "categories": [
                 {"category": c.id, "title": c.title, "members": c.members,
                  "weight": None if c.weight is None else fraction_text(c.weight), "addon_ore": c.addon_ore,
                  "fee_ore_per_month": c.fee_ore_per_month, "collected_ore": c.collected_ore}
                 for c in f.categories]}
            for f in result.fees
        ],
        "data": [
            {"name": name, "kind": node.kind, "path": result.tables[name].path, "column": node.weight_column,
             "id_column": node.id_column, "rows": len(result.tables[name]),
             "format": result.tables[name].format, "sheet": result.tables[name].sheet,
             "notes": list(result.tables[name].notes),
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


def _value(kind: str, value):
    """A parameter's value in JSON: a percent as an exact fraction text (`1/25`), øre and counts as integers."""
    return fraction_text(value) if kind == "percent" else int(value)


class Lines(list):
    """List elements already written as JSON text, one per line."""


def _allocation_lines(result, entity: str | None) -> Lines:
    """The allocation rows as JSON text, written directly: the tens of thousands of rows of a
    real register are most of a report, and the start of a row repeats for every pool and group."""
    text = json.encoder.encode_basestring  # the C routine json.dumps uses for ensure_ascii=False
    starts: dict[tuple[str, str], str] = {}
    lines = Lines()
    add = lines.append
    for a in result.allocations:
        if entity is not None and a.entity != entity:
            continue
        start = starts.get((a.pool, a.group))
        if start is None:
            start = starts[a.pool, a.group] = f'{{"pool": {text(a.pool)}, "group": {text(a.group)}, "entity": '
        add(f'{start}{text(a.entity)}, "name": {text(a.name)}, "amount_ore": {a.amount_ore:d}}}')
    return lines


def dumps(document: dict) -> str:
    """JSON with one top-level field per line and one list element per line.

    Diffable line by line, and written by the C encoder: indenting every level
    would hand the whole report to the pure-Python one, which is many times slower
    for the tens of thousands of allocation rows of a real register.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    fields = []
    for name, value in document.items():
        if isinstance(value, list) and value:
            body = ",\n  ".join(value if isinstance(value, Lines) else map(encode, value))
            fields.append(f"{encode(name)}: [\n  {body}\n ]")
        else:
            fields.append(f"{encode(name)}: {encode(value)}")
    return "{\n " + ",\n ".join(fields) + "\n}\n"


def render(result, entity: str | None = None, **_options) -> str:
    """The report as text; with `entity`, only that entity's allocations."""
    document = _document(result)
    document["allocations"] = _allocation_lines(result, entity)
    return dumps(document)
