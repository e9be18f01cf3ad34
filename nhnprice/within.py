"""Distribution inside a payer: each entity's amount on to its sub-entities, by its own key.

"Fordelingen av kostnader mellom helseforetakene innenfor en region bestemmes av
det enkelte regionale helseforetak." A group declared `by rhf_basis then by
helseforetak` pays as before, entity by entity; then every amount an entity
pays (each pool, each share of a pool, its carry-over) is apportioned among the
rows of the key `helseforetak` whose `parent` column names that entity, by
their weights, to the entity unit, with the one largest-remainder routine. The
parts of an amount sum exactly to it, and each is within one unit of its exact
quota. An entity that pays something but has no sub-entity with a weight is an
error (V060), never money that stays with nobody.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from nhnprice.diagnostics import Diagnostic, error
from nhnprice.money import apportion
from nhnprice.record import Record, frozen


@frozen
class WithinBlock(Record):
    """One entity's amount in one pool (and share of it), as its sub-entities pay it."""

    pool: str
    group: str
    parent: str
    parent_amount_ore: int
    leg: int | None
    entities: tuple[str, ...]
    amounts: tuple[int, ...]
    weights: tuple[Fraction | int, ...]


def children(table, parent_column: str) -> dict[str, dict[str, Fraction | int]]:
    """parent -> {sub-entity: weight}, sub-entities in id order."""
    out: dict[str, dict[str, Fraction | int]] = {}
    for ident, row in sorted(zip(table.ids, table.rows)):
        out.setdefault(row[parent_column].strip(), {})[ident] = table.weights[ident]
    return out


def distribute(graph, tables: Mapping, blocks, group) -> tuple[list[WithinBlock], list[Diagnostic]]:
    """Every allocation of `group` in `blocks`, apportioned among its entity's sub-entities."""
    node = graph.datasets[group.within]
    table = tables[group.within]
    below = children(table, node.parent_column)
    mine = [b for b in blocks if b.group == group.id]
    paying = sorted({e for b in mine for e, amount in zip(b.entities, b.amounts) if amount})
    orphans = [e for e in paying if not any(below.get(e, {}).values())]
    if orphans:
        return [], [error("V060", f"{len(orphans)} of `{group.id}`'s payers have no sub-entity with a weight in "
                          f"`{group.within}`: {', '.join(orphans[:5])}" + (" …" if len(orphans) > 5 else ""),
                          group.span, f"add their rows to {table.path}, with `{node.parent_column}` naming them")]
    out = []
    for b in mine:
        for parent, amount in zip(b.entities, b.amounts):
            weights = below.get(parent, {})
            if not weights:
                continue  # pays nothing here (checked above)
            parts = apportion(abs(amount), weights, graph.entity_unit_ore)
            sign = -1 if amount < 0 else 1
            out.append(WithinBlock(b.pool, b.group, parent, amount, b.leg, tuple(parts),
                                   tuple(sign * v for v in parts.values()), tuple(weights.values())))
    return out, []


def totals(result) -> list[tuple[str, str, str, int]]:
    """(group, parent, sub-entity, what it pays in all), in the order the blocks give them."""
    found: dict[tuple[str, str, str], int] = {}
    for b in result.within:
        for entity, amount in zip(b.entities, b.amounts):
            key = (b.group, b.parent, entity)
            found[key] = found.get(key, 0) + amount
    return [(g, p, e, amount) for (g, p, e), amount in found.items()]
