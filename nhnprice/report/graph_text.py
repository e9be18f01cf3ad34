"""The allocation graph as text (`nhnprice check --dump graph`): what the compiler made of a
spec, before any data is read, one line per node, each with the spec line it came from."""

from __future__ import annotations

from fractions import Fraction

from nhnprice.graph import Expr, Graph, GroupNode, Leg, PoolNode, expr_text
from nhnprice.numbers import fraction_text


def _at(node) -> str:
    return f"  (line {node.span.line})" if node.span is not None else ""


def _group(g: GroupNode) -> str:
    fee = "solve" if g.fee_solve else g.fee_parameter if g.fee_parameter else f"{g.fee_ore} øre"
    how = (f"by {g.key}" + (f" then by {g.within}" if g.within else "") if g.key else
           f"fee {fee} per member per month from {g.fee_register}"
           if g.pays_fee else f"entity {g.entity[0]}" if g.entity else "")
    extra = [f"members {g.members_parameter}"] if g.members_parameter else []
    extra += [f"margin {g.margin_ore} øre"] if g.margin_ore is not None else []
    extra += [f"margin {fraction_text(g.margin_share)}"] if g.margin_share is not None else []
    extra += ["excess carried over"] if g.excess_carried_over else []
    extra += [f"carry-over {g.carry_over_ore} øre"] if g.carry_over_ore else []
    extra += ["outside regulation"] if g.outside else []
    lines = [f"  {g.id} {g.title!r}: {', '.join([how] + extra)}{_at(g)}"]
    for c in g.categories:
        price = f"weight {fraction_text(c.weight)}" if c.weight is not None else f"add-on {c.addon_ore} øre"
        rule = "when " + _rule(c.rule) if c.rule else "otherwise"
        lines.append(f"    category {c.id}: {price} {rule}{_at(c)}")
    return "\n".join(lines)


def _rule(rule) -> str:
    def value(v) -> str:
        return ("yes" if v else "no") if isinstance(v, bool) else repr(v) if isinstance(v, str) else fraction_text(v)

    return " or ".join(" and ".join(f"{col} {op} {value(v)}" for col, op, v in conj) for conj in rule)


def _leg(leg: Leg) -> str:
    path = " of ".join(f"{s.text}" for s in reversed(leg.steps))
    where = (f" by {leg.key}" if leg.key else "") + (f" among {leg.among}" if leg.among else "")
    return f"    -> {leg.group} {fraction_text(leg.share)} ({path}){where}{_at(leg)}"


def _top_share(kind: str, value: Fraction | None, expr: Expr | None) -> str:
    """A pool's own share when some are computed: the graph's expression, or the fixed value."""
    if expr is not None:
        return f"{kind} {expr_text(expr)}{_at(expr)}"
    return f"{kind} {fraction_text(value)}" if value is not None else kind


def _pool(p: PoolNode) -> str:
    extra = f", carry-over {p.carry_over_ore} øre" if p.carry_over_ore else ""
    cost = f"parameter {p.cost_parameter}" if p.cost_parameter else f"{p.cost_ore} øre"
    lines = [f"  {p.id} {p.title!r}: cost {cost}{extra}"
             + (f" [{p.reference}]" if p.reference else "") + _at(p)]
    if p.computed:
        lines += [f"    computed share {i}: {_top_share(kind, value, expr)}" for i, (kind, value, expr)
                  in enumerate(p.computed)]
    lines += [_leg(leg) for leg in p.legs]
    return "\n".join(lines)


def _margin(graph: Graph) -> str:
    """§ 17's margin and the unit adjusted fees are rounded to."""
    margin = (f", margin {graph.adjustment_margin_ore} øre" if graph.adjustment_margin_ore is not None else
              f", margin {fraction_text(graph.adjustment_margin_share)}" if graph.adjustment_margin_share is not None
              else "")
    return f"{margin}, fees rounded to {graph.fee_unit_ore} øre"


def render(graph: Graph) -> str:
    out = [f"graph of {graph.file}: {graph.title!r}, year {graph.year}, groups rounded to "
           f"{graph.group_unit_ore} øre, entities to {graph.entity_unit_ore} øre"]
    if graph.parameters:
        out.append("parameters")
        for p in graph.parameters.values():
            value = f"count({p.count_of})" if p.count_of else fraction_text(p.default)
            adjusts = " (adjusts prices" + _margin(graph) + ")" if p.name == graph.price_adjustment else ""
            out.append(f"  {p.name}: {p.kind} = {value}{adjusts}{_at(p)}")
    out.append("datasets")
    for d in graph.datasets.values():
        if d.source is not None:
            out.append(f"  {d.kind} {d.name}: the rows of {d.source} where {_rule(d.where)}{_at(d)}")
            continue
        columns = ", ".join(f"{what} {col}" for what, col in
                            (("id", d.id_column), ("name", d.name_column), ("weight", d.weight_column),
                             ("parent", d.parent_column)) if col)
        out.append(f"  {d.kind} {d.name}: {d.path} ({columns}; {d.entities or 'entities'}, "
                   f"{d.provenance or 'no provenance'}){_at(d)}")
    out.append("groups")
    out += [_group(g) for g in graph.groups.values()]
    out.append("pools")
    out += [_pool(p) for p in graph.pools]
    if graph.expectations:
        out.append("expectations")
        out += [f"  {e.describe()}: {e.amount_ore} øre{_at(e)}" for e in graph.expectations]
    return "\n".join(out) + "\n"
