"""The figures every report shows, computed once: the hearing's tables 2–5 as
rows, and one entity's lines. Renderers only format what is here.
"""

from __future__ import annotations

from nhnprice.diagnostics import did_you_mean
from nhnprice.evaluate import CARRY_OVER
from nhnprice.graph import GroupNode
from nhnprice.record import Record, frozen


@frozen
class SummaryRow(Record):
    """One row of the summary: a section heading, a pool, a pool's carry-over, a section sum or the total."""

    kind: str  # "section" | "pool" | "carry" | "sum" | "total"
    label: str
    cost_ore: int | None = None  # after the price adjustment
    amounts: tuple[int | None, ...] = ()  # per group of `columns()`; None: no share
    pools: tuple[str, ...] = ()
    before_ore: int | None = None  # the cost before the price adjustment (None: not adjusted)
    before_amounts: tuple[int | None, ...] | None = None  # the amounts as stated, before § 17 (None: not adjusted)


def columns(result) -> list[GroupNode]:
    """The payer groups, in declaration order: the summary's amount columns."""
    return list(result.graph.groups.values())


def summary_rows(result, sum_label: str, total_label: str, carry_label: str = "carry-over") -> list[SummaryRow]:
    """Pools by section, each pool's carry-over, a sum per section of more than one pool, the total."""
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
    rows.append(row("total", total_label, list(result.graph.pools)))
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
