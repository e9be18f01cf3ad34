"""A checked spec to its allocation graph.

Lowering reads what the checker resolved (`check.Checked`: each share's exact value and text)
and turns surface syntax into the graph's own nodes, a computed share's expression included;
nothing is resolved twice, and the graph holds no syntax tree.
"""

from __future__ import annotations

import os
from fractions import Fraction

import attrs

from nhnprice import nodes as n
from nhnprice.check import Checked, Resolved
from nhnprice.conditions import rule_text
from nhnprice.graph import (Arithmetic, CategoryNode, ColumnSum, DatasetNode, ExpectNode, Expr, Graph, GroupNode, Leg,
                            Number, ParameterNode, ParameterValue, PoolNode, RowCount, SplitRule, Step)


def _legs(shares: tuple[Resolved, ...], group: str | None, steps: tuple[Step, ...], share: Fraction,
          by: str | None = None, among: str | None = None) -> list[Leg]:
    """The root-to-leaf paths of a pool's shares; `by` and `among` hold for everything nested below them."""
    legs: list[Leg] = []
    for resolved in shares:
        entry, value = resolved.entry, resolved.value
        assert value is not None, "lower() needs a spec that passed check()"
        group_id = entry.group.text if entry.group is not None else group
        key = entry.by.text if entry.by else by
        subset = among_name(entry) or among
        here = steps + (Step(value, resolved.text, entry.label, span=entry.span),)
        if resolved.children:
            legs.extend(_legs(resolved.children, group_id, here, share * value, key, subset))
        else:
            legs.append(Leg(group_id, share * value, here, key=key, among=subset, span=entry.span))
    return legs


def _computed_legs(shares: tuple[Resolved, ...]) -> list[Leg]:
    """Legs of a pool whose own shares are computed per run: each relative to its top share."""
    legs: list[Leg] = []
    for top, resolved in enumerate(shares):
        entry = resolved.entry
        here = (Step(Fraction(1), resolved.text, entry.label, span=entry.span),)
        group = entry.group.text if entry.group is not None else None
        key = entry.by.text if entry.by else None
        subset = among_name(entry)
        if resolved.children:
            found = _legs(resolved.children, group, here, Fraction(1), key, subset)
        else:
            found = [Leg(group, Fraction(1), here, key=key, among=subset, span=entry.span)]
        legs.extend(attrs.evolve(leg, top=top) for leg in found)
    return legs


def among_name(entry: n.Entry) -> str | None:
    """The register a share is limited to; `among R where ...` names the register it makes of R."""
    if entry.among is None:
        return None
    if entry.among_where is None:
        return entry.among.text
    return f"{entry.among.text} where {rule_text(_rule(entry.among_where))}"


def _rule(where) -> tuple:
    return tuple(tuple((t.column, t.op, t.value) for t in conj) for conj in where)


def _derived(source: DatasetNode, name: str, title: str | None, where, span) -> DatasetNode:
    """A register made of `source`'s rows that pass `where`: read like it, labelled like it."""
    return attrs.evolve(source, name=name, kind="register", title=title or f"{source.title or source.name} "
                        f"({rule_text(_rule(where))})", weight_column=None, source=source.name, where=_rule(where),
                        provenance_text=f"{source.provenance_text or source.name}; "
                                        f"bare radene der {rule_text(_rule(where))}", span=span)


def _entries(entries):
    for e in entries:
        yield e
        yield from _entries(e.children)


def expression(e: n.Expr) -> Expr:
    """A computed share's expression as the graph's own nodes."""
    if isinstance(e, n.Number):
        return Number(e.value, e.text, span=e.span)
    if isinstance(e, n.ParameterRef):
        return ParameterValue(e.name.text, span=e.span)
    if isinstance(e, n.Aggregate):
        if e.function == "count":
            return RowCount(e.dataset.text, span=e.span)
        return ColumnSum(e.dataset.text, e.column, span=e.span)
    return Arithmetic(e.op, expression(e.left), expression(e.right), span=e.span)


def lower(checked: Checked) -> Graph:
    """Build the allocation graph of a spec that `check.analyse` found no errors in."""
    spec = checked.spec
    settings = spec.settings()
    base = os.path.dirname(spec.file)
    datasets = {
        d.name.text: DatasetNode(
            d.name.text, d.kind, d.title, os.path.normpath(os.path.join(base, d.file)), d.file, d.id_column,
            d.name_column, d.weight_column, d.entities,
            d.provenance.status if d.provenance else None,
            d.provenance.text if d.provenance else None, d.date, sheet=d.sheet,
            header_row=d.header_row or 1, last_row=d.last_row, encoding=d.encoding, numbering=d.numbering,
            parent_column=d.parent_column,
            splits=tuple(SplitRule(s.old, s.method, tuple((p.id, p.share.value if p.share else None)
                                                          for p in s.parts), span=s.span)
                         for s in d.splits),
            span=d.file_span or d.span)
        for d in spec.of_type(n.Dataset) if d.source is None
    }
    for d in spec.of_type(n.Dataset):
        if d.source is not None:
            datasets[d.name.text] = _derived(datasets[d.source.text], d.name.text, d.title, d.where, d.span)
    for _, p in spec.pools():
        for e in _entries(p.entries):
            if e.among_where is not None and among_name(e) not in datasets:
                datasets[among_name(e)] = _derived(datasets[e.among.text], among_name(e), None, e.among_where,
                                                   e.span)
    groups: dict[str, GroupNode] = {}
    for g in spec.of_type(n.Group):
        fee = g.fee
        margin = g.margin
        groups[g.name.text] = GroupNode(
            g.name.text, g.title or g.name.text,
            key=g.by.text if g.by else None,
            fee_ore=int(fee.amount.ore) if fee and fee.amount is not None else None,
            fee_solve=fee is not None and fee.amount is None and fee.parameter is None,
            fee_parameter=fee.parameter.text if fee and fee.parameter else None,
            members_parameter=g.members.text if g.members else None,
            carry_over_ore=int(g.carry_over.amount.ore) if g.carry_over else 0,
            carry_over_reference=g.carry_over.reference if g.carry_over else None,
            categories=tuple(
                CategoryNode(c.name.text, c.title or c.name.text, c.weight,
                             int(c.addon.ore) if c.addon is not None else None,
                             None if c.rule is None else
                             tuple(tuple((t.column, t.op, t.value) for t in conj) for conj in c.rule),
                             span=c.span)
                for c in g.categories),
            fee_register=fee.register.text if fee else None,
            margin_ore=int(margin.amount.ore) if margin and margin.amount else None,
            margin_share=margin.percent if margin else None,
            excess_carried_over=g.excess is not None,
            excess_reference=g.excess.reference if g.excess else None,
            outside=g.outside, entity=g.entity, span=g.name.span, within=g.within.text if g.within else None,
            fee_span=fee.span if fee else None)
    parameters = {
        p.name.text: ParameterNode(
            p.name.text, p.kind,
            None if p.count_of else int(p.value.ore) if p.kind == "amount" else
            int(p.value) if p.kind == "count" else p.value,
            count_of=p.count_of.text if p.count_of else None, description=p.description, span=p.span)
        for p in spec.of_type(n.Parameter)
    }
    pools = []
    for section, p in spec.pools():
        computed = any(e.share.kind == "computed" for e in p.entries)
        shares = checked.shares[p.name.text]
        legs = _computed_legs(shares) if computed else _legs(shares, None, (), Fraction(1))
        legs = [leg if leg.key or groups[leg.group].key is None else attrs.evolve(leg, key=groups[leg.group].key)
                for leg in legs]
        cost = parameters[p.cost_parameter.text].default if p.cost_parameter is not None else int(p.cost.ore)
        pools.append(PoolNode(
            p.name.text, p.title or p.name.text, cost, tuple(legs), cost_parameter=p.cost_parameter and p.cost_parameter.text,
            reference=p.reference or (section.heading if section else None),
            section=section.heading if section else None,
            section_title=section.title if section else None,
            note=p.note, carry_over_ore=int(p.carry_over.amount.ore) if p.carry_over else 0,
            carry_over_reference=p.carry_over.reference if p.carry_over else None,
            computed=tuple((e.share.kind, e.share.value, e.share.expr and expression(e.share.expr))
                           for e in p.entries) if computed else None,
            span=p.name.span))
    expectations = []
    for section, e in spec.expectations():
        if e.pools:
            pool_ids = tuple(p.text for p in e.pools)
        elif section is not None:
            pool_ids = tuple(p.name.text for p in section.items if isinstance(p, n.Pool))
        else:
            pool_ids = tuple(p.id for p in pools)
        expectations.append(ExpectNode(e.group.text if e.group else None, int(e.amount.ore), pool_ids,
                                       e.label, more=tuple(g.text for g in e.more), fee=e.fee,
                                       category=e.category.text if e.category else None, span=e.span))
    adjust = spec.of_type(n.Adjust)
    rounding = {k: int(settings[k].value.ore) if k in settings else default
                for k, default in (("rounding_groups", 1), ("rounding_entities", 1), ("rounding_fees", 100))}
    margin = adjust[0].margin if adjust else None
    return Graph(
        file=spec.file,
        title=settings["title"].value if "title" in settings else os.path.basename(spec.file),
        year=settings["year"].value,
        source=settings["source"].value if "source" in settings else None,
        group_unit_ore=rounding["rounding_groups"],
        entity_unit_ore=rounding["rounding_entities"],
        datasets=datasets, groups=groups, pools=tuple(pools), expectations=tuple(expectations),
        parameters=parameters, price_adjustment=adjust[0].parameter.text if adjust else None,
        fee_unit_ore=rounding["rounding_fees"],
        adjustment_margin_ore=int(margin.amount.ore) if margin and margin.amount else None,
        adjustment_margin_share=margin.percent if margin else None, adjustment_span=adjust[0].span if adjust else None)
