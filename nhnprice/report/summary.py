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


def columns(result) -> list[GroupNode]:
    """The payer groups, in declaration order: the summary's amount columns."""
    return list(result.graph.groups.values())


def summary_rows(result, sum_label: str, total_label: str, carry_label: str = "carry-over") -> list[SummaryRow]:
    """Pools by section, each pool's carry-over, a sum per section of more than one pool, the total."""
    groups = columns(result)
    amount = {(a.pool, a.group): a.amount_ore for a in result.groups}
    evaluated = {p.id: p for p in result.pools}
    adjusted = result.price_factor != 1

    def row(kind: str, label: str, pools: list) -> SummaryRow:
        values = []
        for grp in groups:
            found = [amount[(p.id, grp.id)] for p in pools if (p.id, grp.id) in amount]
            values.append(sum(found) if found else None)
        return SummaryRow(kind, label, sum(evaluated[p.id].cost_ore for p in pools), tuple(values),
                          tuple(p.id for p in pools), sum(p.cost_ore for p in pools) if adjusted else None)

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
