"""The JSON report, format `nhnprice.report/1` (documented in docs/report-format.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import chain, repeat

from nhnprice.numbers import MONTHS, fraction_text
from nhnprice.params import format_value
from nhnprice.report import data_notice
from nhnprice.report.summary import regulated_totals

FORMAT = "nhnprice.report/1"
TIE_BREAK = "largest remainder; equal remainders go to the lower id first"
ADJUSTMENT_ROUNDING = ("each stated group amount and fee is multiplied by the factor and rounded to its unit, "
                       "halves up; each adjusted cost is rounded down to whole øre")


def as_dict(result, entity: str | None = None) -> dict:
    """The whole report as plain data; with `entity`, only that entity's allocations."""
    document = _document(result)
    document["allocations"] = [
        {"pool": a.pool, "group": a.group, "entity": a.entity, "name": a.name, "amount_ore": a.amount_ore}
        for block in result.blocks if entity is None or entity in block.entities
        for a in block.rows() if entity is None or a.entity == entity
    ]
    return document


def _document(result) -> dict:
    """Everything but the allocations, in the documented field order (allocations: None)."""
    g = result.graph
    groups = g.groups
    regulated, outside = regulated_totals(result)
    carried: dict[str, int] = {}
    for c in result.carry_overs:
        carried[c.group] = carried.get(c.group, 0) + c.amount_ore
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
            "rounding": ADJUSTMENT_ROUNDING, "fee_unit_ore": g.fee_unit_ore,
            **_adjustment(result.adjustment)},
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
             "key": grp.key, "amount_ore": sum(a.amount_ore for a in result.groups if a.group == grp.id),
             "carry_over_ore": carried.get(grp.id, 0)}
            for grp in groups.values()
        ],
        "groups": [
            {"pool": a.pool, "group": a.group, "amount_ore": a.amount_ore,
             "amount_before_adjustment_ore": a.unadjusted_ore,
             "exact_ore": fraction_text(a.quota), "outside_regulation": groups[a.group].outside}
            for a in result.groups
        ],
        "allocations": None,  # as_dict and render fill these in
        "within": [
            {"pool": b.pool, "group": b.group, "parent": b.parent, "entity": e,
             "name": result.tables[g.groups[b.group].within].names.get(e, ""), "amount_ore": amount}
            for b in result.within for e, amount in zip(b.entities, b.amounts)
        ],
        "fees": [
            {"group": f.group, "fee_ore_per_month": f.fee_ore_per_month, "months": MONTHS, "members": f.members,
             "share_ore": f.share_ore, "collected_ore": f.collected_ore, "deviation_ore": f.deviation_ore,
             "stated_fee_ore_per_month": f.stated_fee_ore_per_month,
             "margin_ore": f.margin_ore, "solved": f.solved, "carry_over_ore": f.carry_over_ore,
             "members_parameter": f.members_parameter, "register_members": f.register_members,
             "categories": [
                 {"category": c.id, "title": c.title, "members": c.members,
                  "weight": None if c.weight is None else fraction_text(c.weight), "addon_ore": c.addon_ore,
                  "fee_ore_per_month": c.fee_ore_per_month, "stated_fee_ore_per_month": c.stated_fee_ore_per_month,
                  "collected_ore": c.collected_ore}
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
                   "all_ore": regulated + outside, "carry_over_ore": sum(carried.values()),
                   "cost_ore": sum(p.cost_ore for p in result.pools)},
    }


def _adjustment(adjustment) -> dict:
    """§ 17's payments against its costs; None throughout when the factor is 1 (nothing adjusted)."""
    if adjustment is None:
        return {"costs_ore": None, "payments_ore": None, "excess_ore": None, "margin_ore": None}
    return {"costs_ore": adjustment.costs_ore, "payments_ore": adjustment.payments_ore,
            "excess_ore": adjustment.excess_ore, "margin_ore": adjustment.margin_ore}


def _value(kind: str, value):
    """A parameter's value in JSON: a percent as an exact fraction text (`1/25`), øre and counts as integers."""
    return fraction_text(value) if kind == "percent" else int(value)


def chunks(result, entity: str | None = None, **_options) -> Iterator[bytes]:
    """The report as UTF-8 JSON, piece by piece (a block of allocations at a time), for writing
    as it is made: one top-level field per line and one list element per line, diffable line by
    line. Written by the C encoder, field by field; indenting every level would hand the tens of
    thousands of allocation rows of a real register to the pure-Python one."""
    fields = list(_document(result).items())
    at = [name for name, _ in fields].index("allocations")
    yield b"{\n " + b",\n ".join(_field(name, value) for name, value in fields[:at]) + b",\n "
    yield from _allocations(result, entity)
    yield b",\n " + b",\n ".join(_field(name, value) for name, value in fields[at + 1:]) + b"\n}\n"


def render(result, entity: str | None = None, **options) -> bytes:
    """The report as UTF-8 JSON; with `entity`, only that entity's allocations."""
    return b"".join(chunks(result, entity, **options))


_encode = json.JSONEncoder(ensure_ascii=False).encode


def _field(name: str, value) -> bytes:
    if isinstance(value, list) and value:
        return f"{_encode(name)}: [\n  ".encode() + ",\n  ".join(map(_encode, value)).encode() + b"\n ]"
    return f"{_encode(name)}: {_encode(value)}".encode()


def _allocations(result, entity: str | None) -> Iterator[bytes]:
    """`"allocations": [...]`, a block of rows at a time, each row written directly as text.

    A block's rows share their start (pool and group), and blocks that list the same
    entities (a key's pools, a flat fee's pools) share each entity's id and name, encoded
    once. A block is joined in one pass, without a string per row: the rows of a real
    register are most of a report."""
    text = json.encoder.encode_basestring  # the C routine json.dumps uses for ensure_ascii=False
    # (id of entities, id of names) -> each row's id and name, encoded. Keyed by identity on
    # purpose: the blocks of one key or register share the very same tuple and mapping, while
    # comparing the contents would cost as much as encoding them again. It is safe because the
    # memo lives for this one call only and `result` keeps every block (so every id) alive.
    encoded: dict[tuple[int, int], list[str]] = {}
    yield b'"allocations": ['
    first = True
    for block in result.blocks:
        entities, amounts, names = block.entities, block.amounts, block.names
        if entity is not None:  # only its rows (usually one, or one per leg)
            amounts = [amount for e, amount in zip(entities, amounts) if e == entity]
            if not amounts:
                continue
            middles = [f'{text(entity)}, "name": {text(names.get(entity, ""))}, "amount_ore": '] * len(amounts)
        elif not amounts:
            continue
        else:
            middles = encoded.get((id(entities), id(names)))
            if middles is None:
                middles = encoded[id(entities), id(names)] = [
                    f'{text(e)}, "name": {text(names.get(e, ""))}, "amount_ore": ' for e in entities]
        start = f',\n  {{"pool": {text(block.pool)}, "group": {text(block.group)}, "entity": '
        rows = "".join(chain.from_iterable(zip(repeat(start), middles, map(str, amounts), repeat("}"))))
        yield (rows[1:] if first else rows).encode()  # the first row follows `[` without a comma
        first = False
    yield b"]" if first else b"\n ]"
