"""Why does this entity pay what it pays? One line per pool, group and leg.

`explain(result, entity)` takes an evaluated result (however it was made:
with other data, or with parameters set for a scenario) and rebuilds, for
each amount the entity pays, the path from the pool's cost to the invoice
line: the group's exact share and its rounding to the regulation's unit,
each nested share on the way with the rule's § reference, the key weight and
the key total, the exact quota (a fraction of øre), and the adjustment the
largest-remainder rounding made. Nothing is recomputed by another method:
the quotas are the exact values `money.apportion` rounds, and the amounts
are read from the result.
"""

from __future__ import annotations

from fractions import Fraction

from nhnprice.evaluate import CARRY_OVER, MONTHS, Result
from nhnprice.money import exact_quota
from nhnprice.numbers import fraction_text
from nhnprice.record import Record, frozen


@frozen
class Split(Record):
    """One share on the way from the pool to the leg, as the spec writes it."""

    share: Fraction
    text: str
    label: str | None
    line: int | None


@frozen
class Source(Record):
    """A data set an amount was computed from, and where it comes from."""

    name: str
    kind: str
    title: str | None
    path: str
    rows: int
    status: str | None
    text: str | None
    date: str | None


@frozen
class Line(Record):
    pool: str
    pool_title: str
    reference: str | None
    cost_ore: int  # after the price adjustment of § 17
    group: str
    group_title: str
    how: str  # "key" | "fee" | "entity" | "carry"
    group_share: Fraction  # the group's exact share of the pool
    group_quota: Fraction  # cost × share, exact øre (the cost as stated, before § 17)
    group_amount_ore: int  # rounded to the group unit (after § 17, when there is a price adjustment)
    splits: tuple[Split, ...] = ()
    leg_amount_ore: int | None = None  # the part of the group amount this leg distributes
    leg_quota: Fraction | None = None  # its exact value before rounding to the entity unit
    key: str | None = None
    among: str | None = None
    weight: Fraction | int | None = None
    weight_total: Fraction | int | None = None
    entities: int | None = None  # how many entities share the leg
    fee_ore_per_month: int | None = None
    fee_share_ore: int | None = None  # the fee group's share over all pools
    quota: Fraction = Fraction(0)  # the entity's exact amount, øre
    amount_ore: int = 0
    cost_before_adjustment_ore: int | None = None  # None: no price adjustment
    price_factor: Fraction = Fraction(1)
    carry_over_ore: int = 0  # the pool's (or, for "carry", the group's) carry-over
    carry_over_reference: str | None = None
    group_stated_ore: int | None = None  # the group's amount as stated, before § 17 (None: no adjustment)
    fee_stated_ore_per_month: int | None = None  # the flat fee as stated, before § 17
    within: str | None = None  # `then by KEY`: the key the entity distributes this amount on by
    parent_name: str | None = None  # for a sub-entity's line: the name of the entity it belongs to

    @property
    def group_rounding_ore(self) -> Fraction:
        """What rounding the group's exact quota to the group unit added (to its stated amount)."""
        return (self.group_amount_ore if self.group_stated_ore is None else self.group_stated_ore) - self.group_quota

    @property
    def group_adjusted_exact(self) -> Fraction | None:
        """§ 17: the stated amount × the factor, before it is rounded again (None: no adjustment)."""
        return None if self.group_stated_ore is None else self.group_stated_ore * self.price_factor

    @property
    def adjustment_ore(self) -> Fraction:
        """What rounding to whole units added to (or took from) the exact quota."""
        return self.amount_ore - self.quota


@frozen
class Explanation(Record):
    entity: str
    name: str
    spec: str
    title: str
    year: int
    group_unit_ore: int
    entity_unit_ore: int
    lines: tuple[Line, ...]
    sources: tuple[Source, ...]

    @property
    def total_ore(self) -> int:
        return sum(line.amount_ore for line in self.lines)


class NotAPayer(LookupError):
    """The entity pays nothing (in the pool asked for)."""


def explain(result: Result, entity: str, pool: str | None = None, rows=None) -> Explanation:
    """Every line `entity` pays (in `pool` only, when given), with the path that leads to it.
    `rows`: the entity's allocations, when the caller has them already (a page for every entity)."""
    g = result.graph
    pools = {p.id: p for p in g.pools}
    group_amounts = {(a.pool, a.group): a for a in result.groups}
    fees = {f.group: f for f in result.fees}
    mine = [a for a in (result.allocations if rows is None else rows)
            if a.entity == entity and (pool is None or a.pool == pool)]
    if not mine and any(entity in b.entities for b in result.within):
        return _explain_within(result, entity, pool)
    if not mine:
        where = f" in `{pool}`" if pool else ""
        raise NotAPayer(f"`{entity}` pays nothing{where} in {g.file}")
    lines: list[Line] = []
    used: list[str] = []
    evaluated = {p.id: p for p in result.pools}
    for a in mine:
        grp = g.groups[a.group]
        if a.pool == CARRY_OVER:
            lines.append(_carry_line(result, a, grp))
            used += [grp.key] if grp.key else []
            continue
        node = pools[a.pool]
        ga = group_amounts[(a.pool, a.group)]
        share = node.group_shares()[a.group]
        pool_result = evaluated[a.pool]
        stated_cost = pool_result.cost_before_adjustment_ore
        quota = ga.quota if stated_cost is None else (stated_cost + pool_result.carry_over_ore) * share
        common = dict(pool=a.pool, pool_title=node.title, reference=node.reference, cost_ore=pool_result.cost_ore,
                      group=a.group, group_title=grp.title, group_share=share, group_quota=quota,
                      group_amount_ore=ga.amount_ore, amount_ore=a.amount_ore, group_stated_ore=ga.before_adjustment_ore,
                      within=grp.within,
                      cost_before_adjustment_ore=pool_result.cost_before_adjustment_ore,
                      price_factor=result.price_factor, carry_over_ore=pool_result.carry_over_ore,
                      carry_over_reference=node.carry_over_reference)
        if a.leg is not None:
            leg = node.legs[a.leg]
            leg_amount = next(x for x in result.legs if x.pool == a.pool and x.leg == a.leg)
            table = result.tables[leg.key]
            weight = table.weights[entity]
            lines.append(Line(
                how="key", splits=tuple(Split(s.share, s.text, s.label, s.span.line if s.span else None)
                                        for s in leg.steps),
                leg_amount_ore=leg_amount.amount_ore, leg_quota=exact_quota(ga.amount_ore, leg.share, share),
                key=leg.key, among=leg.among, weight=weight, weight_total=leg_amount.weight_sum,
                entities=leg_amount.entities,
                quota=exact_quota(leg_amount.amount_ore, weight, leg_amount.weight_sum), **common))
            used += [leg.key] + ([leg.among] if leg.among else [])
        elif grp.pays_fee:
            fee = fees[a.group]
            per_pool = {x.pool: x.amount_ore for x in result.groups if x.group == a.group}
            lines.append(Line(
                how="fee", fee_ore_per_month=fee.fee_ore_per_month, fee_share_ore=fee.share_ore,
                fee_stated_ore_per_month=fee.stated_fee_ore_per_month,
                entities=fee.members,
                quota=exact_quota(fee.fee_ore_per_month * MONTHS, per_pool[a.pool], sum(per_pool.values())),
                **common))
            used.append(grp.fee_register)
        else:
            lines.append(Line(how="entity", quota=Fraction(ga.amount_ore), **common))
    sources = []
    for name in dict.fromkeys(used):
        node, table = g.datasets[name], result.tables[name]
        sources.append(Source(name, node.kind, node.title, table.path, len(table), node.provenance,
                              node.provenance_text, node.date))
    return Explanation(entity, mine[0].name, g.file, g.title, g.year, g.group_unit_ore, g.entity_unit_ore,
                       tuple(lines), tuple(sources))


def _explain_within(result: Result, entity: str, pool: str | None) -> Explanation:
    """A sub-entity (`then by`): each amount of its entity's, and its part of it by the entity's own key."""
    g = result.graph
    titles = {p.id: p for p in g.pools}
    lines, used = [], []
    for b in result.within:
        if entity not in b.entities or (pool is not None and b.pool != pool):
            continue
        grp = g.groups[b.group]
        i = b.entities.index(entity)
        node = titles.get(b.pool)
        total = sum(b.weights)
        lines.append(Line(
            pool=b.pool, pool_title=node.title if node else CARRY_OVER, reference=node.reference if node else None,
            cost_ore=0, group=b.group, group_title=grp.title, how="within", group_share=Fraction(1),
            group_quota=Fraction(b.parent_amount_ore), group_amount_ore=b.parent_amount_ore,
            leg_amount_ore=b.parent_amount_ore, key=grp.within, among=b.parent, weight=b.weights[i],
            weight_total=total, entities=len(b.entities), amount_ore=b.amounts[i],
            parent_name=result.tables[grp.key].names.get(b.parent),
            quota=exact_quota(b.parent_amount_ore, b.weights[i], total), price_factor=result.price_factor))
        used += [grp.key, grp.within]
    if not lines:
        raise NotAPayer(f"`{entity}` pays nothing{f' in `{pool}`' if pool else ''} in {g.file}")
    sources = []
    for name in dict.fromkeys(used):
        node, table = g.datasets[name], result.tables[name]
        sources.append(Source(name, node.kind, node.title, table.path, len(table), node.provenance,
                              node.provenance_text, node.date))
    name = result.tables[g.groups[lines[0].group].within].names.get(entity, "")
    return Explanation(entity, name, g.file, g.title, g.year, g.group_unit_ore, g.entity_unit_ore,
                       tuple(lines), tuple(sources))


def _carry_line(result: Result, a, grp) -> Line:
    """A group's carry-over, distributed by its key like its amounts (or paid whole by a single entity)."""
    common = dict(pool=CARRY_OVER, pool_title=CARRY_OVER, reference=grp.carry_over_reference, cost_ore=0,
                  group=a.group, group_title=grp.title, group_share=Fraction(1),
                  group_quota=Fraction(grp.carry_over_ore), group_amount_ore=grp.carry_over_ore,
                  amount_ore=a.amount_ore, carry_over_ore=grp.carry_over_ore,
                  carry_over_reference=grp.carry_over_reference, price_factor=result.price_factor)
    if grp.entity is not None or grp.key is None:
        return Line(how="carry", quota=Fraction(a.amount_ore), **common)
    table = result.tables[grp.key]
    total = sum(table.weights.values())
    weight = table.weights[a.entity]
    sign = -1 if grp.carry_over_ore < 0 else 1
    return Line(how="carry", key=grp.key, weight=weight, weight_total=total, entities=len(table.weights),
                leg_amount_ore=grp.carry_over_ore,
                quota=sign * exact_quota(abs(grp.carry_over_ore), weight, total), **common)


def as_dict(e: Explanation) -> dict:
    """The explanation for machines (`--format json`): money in øre, exact values as `n/d` text."""
    return {
        "format": "nhnprice.explain/1",
        "spec": {"file": e.spec, "title": e.title, "year": e.year},
        "entity": e.entity, "name": e.name, "total_ore": e.total_ore,
        "rounding": {"group_unit_ore": e.group_unit_ore, "entity_unit_ore": e.entity_unit_ore},
        "lines": [
            {"pool": x.pool, "pool_title": x.pool_title, "reference": x.reference, "cost_ore": x.cost_ore,
             "cost_before_adjustment_ore": x.cost_before_adjustment_ore,
             "price_factor": fraction_text(x.price_factor), "carry_over_ore": x.carry_over_ore,
             "carry_over_reference": x.carry_over_reference,
             "group": x.group, "group_title": x.group_title, "distribution": x.how,
             "group_share": fraction_text(x.group_share), "group_exact_ore": fraction_text(x.group_quota),
             "group_amount_ore": x.group_amount_ore, "group_rounding_ore": fraction_text(x.group_rounding_ore),
             "group_stated_ore": x.group_stated_ore, "group_adjusted_exact_ore": fraction_text(x.group_adjusted_exact),
             "fee_stated_ore_per_month": x.fee_stated_ore_per_month, "within": x.within,
             "splits": [{"share": fraction_text(s.share), "as_written": s.text, "label": s.label, "line": s.line}
                        for s in x.splits],
             "leg_amount_ore": x.leg_amount_ore, "leg_exact_ore": fraction_text(x.leg_quota),
             "key": x.key, "among": x.among, "weight": fraction_text(x.weight),
             "weight_total": fraction_text(x.weight_total), "entities": x.entities,
             "fee_ore_per_month": x.fee_ore_per_month, "fee_share_ore": x.fee_share_ore,
             "exact_ore": fraction_text(x.quota), "amount_ore": x.amount_ore,
             "adjustment_ore": fraction_text(x.adjustment_ore)}
            for x in e.lines
        ],
        "data": [
            {"name": s.name, "kind": s.kind, "title": s.title, "path": s.path, "rows": s.rows,
             "provenance": {"status": s.status, "text": s.text, "date": s.date}}
            for s in e.sources
        ],
    }
