"""The figures every report shows, computed once: the hearing's tables 2–5 as
rows, and one entity's lines. Renderers only format what is here.
"""

from __future__ import annotations

import attrs

from nhnprice.diagnostics import did_you_mean
from nhnprice.evaluate import CARRY_OVER
from nhnprice.graph import GroupNode
from nhnprice.numbers import mill, mill_exact
from nhnprice.record import Record, frozen


@frozen
class SummaryRow(Record):
    """One row of the summary: a section heading, a pool, a pool's carry-over, a section sum or the total."""

    kind: str  # "section" | "pool" | "carry" (a pool's) | "sum" | "carry_group" (a group's) | "total"
    label: str
    cost_ore: int | None = None  # after the price adjustment
    amounts: tuple[int | None, ...] = ()  # per group of `columns()`; None: no share
    pools: tuple[str, ...] = ()
    before_ore: int | None = None  # the cost before the price adjustment (None: not adjusted)
    before_amounts: tuple[int | None, ...] | None = None  # the amounts as stated, before § 17 (None: not adjusted)


def mill_text(kind: str, ore: int | None) -> str:
    """A summary figure in mill. kroner: one decimal, as the regulation states amounts; a carry-over,
    usually small and odd, with as many decimals as it takes to be exact; nothing for None."""
    if ore is None:
        return ""
    return mill_exact(ore) if kind in ("carry", "carry_group") else mill(ore)


def columns(result) -> list[GroupNode]:
    """The payer groups, in declaration order: the summary's amount columns."""
    return list(result.graph.groups.values())


def summary_rows(result, sum_label: str, total_label: str, carry_label: str = "carry-over") -> list[SummaryRow]:
    """Pools by section, each pool's carry-over, a sum per section of more than one pool, the groups'
    own carry-overs (§ 17: earlier years' deviations), and the total, which counts them too."""
    groups = columns(result)
    amount = {(a.pool, a.group): a.amount_ore for a in result.groups}
    stated = {(a.pool, a.group): a.unadjusted_ore for a in result.groups}
    evaluated = {p.id: p for p in result.pools}
    adjusted = result.price_factor != 1

    def per_group(pools: list, amounts: dict) -> tuple[int | None, ...]:
        values = []
        for grp in groups:
            found = [amounts[(p.id, grp.id)] for p in pools if (p.id, grp.id) in amounts]
            values.append(sum(found) if found else None)
        return tuple(values)

    def row(kind: str, label: str, pools: list) -> SummaryRow:
        return SummaryRow(kind, label, sum(evaluated[p.id].cost_ore for p in pools), per_group(pools, amount),
                          tuple(p.id for p in pools), sum(p.cost_ore for p in pools) if adjusted else None,
                          per_group(pools, stated) if adjusted else None)

    sections: dict[str | None, list] = {}
    for p in result.graph.pools:
        sections.setdefault(p.section, []).append(p)
    rows: list[SummaryRow] = []
    for heading, pools in sections.items():
        if heading is not None:
            rows.append(SummaryRow("section", f"{heading} {pools[0].section_title or ''}".strip()))
        for p in pools:
            rows.append(row("pool", p.title, [p]))
            if evaluated[p.id].carry_over_ore:  # the groups' amounts above include their share of it
                rows.append(SummaryRow("carry", f"{carry_label}: {p.carry_over_reference or ''}".rstrip(": "),
                                       evaluated[p.id].carry_over_ore, (None,) * len(groups), (p.id,)))
        if heading is not None and len(pools) > 1:
            rows.append(row("sum", f"{sum_label} {heading}", pools))
    carried = {grp.id: 0 for grp in groups}
    for c in result.carry_overs:
        carried[c.group] += c.amount_ore
        rows.append(SummaryRow("carry_group", f"{carry_label}: {c.reference}".rstrip(": "), None,
                               tuple(c.amount_ore if grp.id == c.group else None for grp in groups)))
    total = row("total", total_label, list(result.graph.pools))
    amounts = tuple(None if v is None and not carried[grp.id] else (v or 0) + carried[grp.id]
                    for v, grp in zip(total.amounts, groups))
    rows.append(attrs.evolve(total, amounts=amounts))
    return rows


def amount_cells(row: SummaryRow, show) -> list[str]:
    """A row's amounts as text by `show`; after a price adjustment, `stated → adjusted` (88,3 → 91,8)."""
    if row.before_amounts is None:
        return ["" if v is None else show(v) for v in row.amounts]
    return ["" if v is None else f"{show(b)} → {show(v)}" for b, v in zip(row.before_amounts, row.amounts)]


@frozen
class AdjustedAmount(Record):
    """One payment before and after § 17: a group's amount in a pool, or a flat fee per member per month."""

    what: str  # the pool's title, or the fee's (category's) title
    group: str  # the payer group's title
    stated_ore: int
    adjusted_ore: int
    per_month: bool = False  # a fee per member per month (else a group's amount in a year)


def adjusted_amounts(result) -> list[AdjustedAmount]:
    """Every stated payment with its adjusted amount, in the order of the pools, then the fees."""
    if result.price_factor == 1:
        return []
    g = result.graph
    titles = {p.id: p.title for p in g.pools}
    out = [AdjustedAmount(titles[a.pool], g.groups[a.group].title, a.unadjusted_ore, a.amount_ore)
           for a in result.groups]
    for f in result.fees:
        title = g.groups[f.group].title
        if not f.categories:
            out.append(AdjustedAmount(title, title, f.stated_fee_ore_per_month, f.fee_ore_per_month, True))
        out += [AdjustedAmount(c.title, title, c.stated_fee_ore_per_month, c.fee_ore_per_month, True)
                for c in f.categories]
    return out


def regulated_totals(result) -> tuple[int, int]:
    """What the groups inside the regulation pay in all, and those outside it: every pool's amount
    and every group's own carry-over."""
    outside = {gid for gid, grp in result.graph.groups.items() if grp.outside}
    amounts = [(a.group, a.amount_ore) for a in result.groups] + [(c.group, c.amount_ore) for c in result.carry_overs]
    return (sum(ore for gid, ore in amounts if gid not in outside), sum(ore for gid, ore in amounts if gid in outside))


def entity_rows(result, pool_ids: list[str]):
    """Per payer group (in the order the blocks name them): (group, its entities, their names, and per
    entity its amount in each of `pool_ids`, legs summed, None where it pays nothing there).

    Built column by column from the result's blocks, without an object per allocation: the blocks of
    a group's pools usually list the same entities (one register), whose amounts are then added a
    whole column at a time."""
    index = {pid: i for i, pid in enumerate(pool_ids)}
    groups: dict[str, tuple] = {}
    for block in result.blocks:
        found = groups.get(block.group)
        if found is None:
            found = groups[block.group] = (block.entities, list(block.entities), {}, [None] * len(pool_ids), {})
        first, entities, position, columns, name_maps = found
        name_maps[id(block.names)] = block.names
        i = index[block.pool]
        if columns[i] is None:
            columns[i] = [None] * len(entities)
        column = columns[i]
        if block.entities is first:  # the group's register: a whole column at once
            column[:len(first)] = [amount if c is None else c + amount for c, amount in zip(column, block.amounts)]
            continue
        if not position:
            position.update((e, j) for j, e in enumerate(entities))
        for e, amount in zip(block.entities, block.amounts):
            j = position.get(e)
            if j is None:
                j = position[e] = len(entities)
                entities.append(e)
                for c in columns:
                    if c is not None:
                        c.append(None)
            column[j] = amount if column[j] is None else column[j] + amount
    out = []
    for group, (_, entities, _, columns, name_maps) in groups.items():
        n = len(entities)
        maps = list(name_maps.values())
        names = [next((m[e] for m in maps if m.get(e)), "") for e in entities] if len(maps) > 1 else \
            [maps[0].get(e, "") for e in entities]
        filled = [c if c is not None else [None] * n for c in columns]
        out.append((group, entities, names, list(zip(*filled)) if filled else [()] * n))
    return out


@frozen
class EntityLine(Record):
    pool: str
    pool_title: str
    group: str
    amount_ore: int


def entity_lines(result, entity: str, carry_label: str = "carry-over") -> tuple[str, list[EntityLine]]:
    """What one entity pays, per pool and group (its legs summed; a carry-over as its own line); its name."""
    titles = {p.id: p.title for p in result.graph.pools}
    titles[CARRY_OVER] = carry_label
    totals: dict[tuple[str, str], int] = {}
    name = ""
    for a in result.allocations:
        if a.entity == entity:
            totals[(a.pool, a.group)] = totals.get((a.pool, a.group), 0) + a.amount_ore
            name = name or a.name
    return name, [EntityLine(pool, titles[pool], group, ore) for (pool, group), ore in totals.items()]


def entity_ids(result) -> dict[str, str]:
    """Every paying entity's id and name, in the order they first appear."""
    out: dict[str, str] = {}
    for a in result.allocations:
        if a.entity not in out or not out[a.entity]:
            out[a.entity] = a.name
    for b in result.within:  # sub-entities (`then by`) pay too
        names = result.tables[result.graph.groups[b.group].within].names
        for entity in b.entities:
            out.setdefault(entity, names.get(entity, ""))
    return out


class UnknownEntity(LookupError):
    """No paying entity has this id or name; the message says what was meant, when it can."""


def resolve_entity(result, text: str) -> str:
    """An entity id from an id (`0301`) or a unique name (`Oslo`, any case)."""
    ids = entity_ids(result)
    if text in ids:
        return text
    by_name = [i for i, name in ids.items() if name.casefold() == text.casefold()]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        raise UnknownEntity(f"`{text}` names {len(by_name)} entities: use one of the ids "
                            + ", ".join(by_name[:5]))
    hint = did_you_mean(text, list(ids) + [n for n in ids.values() if n])
    raise UnknownEntity(f"no entity `{text}` pays anything in this spec" + (f"; {hint}" if hint else ""))
