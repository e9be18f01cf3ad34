"""What changed between two evaluated results: everything that changes what someone pays.

Per payer group, pool, pool and group, and entity; each flat fee per member
per month (per category of a differentiated fee) and its member count; every
carry-over; and what rounding left unallocated in each pool. Two results are
identical only when none of these changed.

`diff(old, new)` takes two results, however they were made (two years' specs,
a spec and the same spec with other data or parameters), and lines up what
each pays by id. Every change is exact integer øre; the percentage is an
exact fraction of the old amount (None when the old amount is zero). Rows
come largest movers first: by the size of the change, then by id.
"""

from __future__ import annotations

from fractions import Fraction
from types import MappingProxyType

from nhnprice.evaluate import Result
from nhnprice.record import Record, frozen


@frozen
class Change(Record):
    key: tuple[str, ...]  # (group,), (pool,), (pool, group) or (group, entity)
    label: str
    old_ore: int | None  # None: not in the old result
    new_ore: int | None  # None: not in the new result
    unit: str = "ore"  # "ore", or "count" for member counts

    @property
    def change_ore(self) -> int:
        return (self.new_ore or 0) - (self.old_ore or 0)

    @property
    def ratio(self) -> Fraction | None:
        """The change as a fraction of the old amount; None when there was no old amount."""
        return Fraction(self.change_ore, self.old_ore) if self.old_ore else None


@frozen
class Diff(Record):
    old: str
    new: str
    old_title: str
    new_title: str
    groups: tuple[Change, ...]
    pools: tuple[Change, ...]
    cells: tuple[Change, ...]
    entities: tuple[Change, ...] | None  # None: not asked for
    totals: tuple[Change, ...]
    fees: tuple[Change, ...] = ()  # (group,) or (group, category): the fee per member per month
    members: tuple[Change, ...] = ()  # (group,) or (group, category): how many pay the fee
    carry_overs: tuple[Change, ...] = ()  # (pool,) or (group,): a carry-over
    residuals: tuple[Change, ...] = ()  # (pool,): what rounding left unallocated (negative: above the cost)

    @property
    def identical(self) -> bool:
        """Nothing anyone pays changed: no amount, fee, member count, carry-over or residual."""
        rows = (self.groups + self.pools + self.cells + self.totals + (self.entities or ()) + self.fees
                + self.members + self.carry_overs + self.residuals)
        return all(r.change_ore == 0 and (r.old_ore is None) == (r.new_ore is None) for r in rows)

    def changed(self, rows: tuple[Change, ...]) -> tuple[Change, ...]:
        return tuple(r for r in rows if r.change_ore or (r.old_ore is None) != (r.new_ore is None))


def _by_size(changes: list[Change]) -> tuple[Change, ...]:
    return tuple(sorted(changes, key=lambda c: (-abs(c.change_ore), c.key)))


def _line_up(old: dict, new: dict, labels: dict, unit: str = "ore") -> tuple[Change, ...]:
    keys = list(dict.fromkeys(list(old) + list(new)))
    return _by_size([Change(k, labels.get(k, " / ".join(k)), old.get(k), new.get(k), unit) for k in keys])


def _payables(result: Result) -> tuple[dict, dict, dict, dict, dict]:
    """Fees per member per month, member counts, carry-overs and residuals, by key; and their labels."""
    g = result.graph
    fees, members, labels = {}, {}, {}
    for f in result.fees:
        title = g.groups[f.group].title
        fees[(f.group,)], members[(f.group,)], labels[(f.group,)] = f.fee_ore_per_month, f.members, title
        for c in f.categories:
            key = (f.group, c.id)
            fees[key], members[key], labels[key] = c.fee_ore_per_month, c.members, f"{title} / {c.title}"
    carry = {(p.id,): p.carry_over_ore for p in result.pools if p.carry_over_ore}
    carry.update({(c.group,): c.amount_ore for c in result.carry_overs})
    residuals = {(p.id,): p.residual_ore for p in result.pools}
    return fees, members, carry, residuals, labels


def _titles(result: Result) -> dict[tuple[str, ...], str]:
    g = result.graph
    out: dict[tuple[str, ...], str] = {(gid,): grp.title for gid, grp in g.groups.items()}
    out.update({(p.id,): p.title for p in g.pools})
    for p in g.pools:
        for gid in p.group_shares():
            out[(p.id, gid)] = f"{p.title} / {g.groups[gid].title}"
    return out


def _amounts(result: Result) -> dict[str, dict]:
    groups = result.graph.groups
    per_group: dict = {}
    cells: dict = {}
    for a in result.groups:
        per_group[(a.group,)] = per_group.get((a.group,), 0) + a.amount_ore
        cells[(a.pool, a.group)] = a.amount_ore
    regulated = sum(a.amount_ore for a in result.groups if not groups[a.group].outside)
    outside = sum(a.amount_ore for a in result.groups if groups[a.group].outside)
    return {
        "groups": per_group, "cells": cells,
        "pools": {(p.id,): p.cost_ore for p in result.pools},
        "totals": {("regulated",): regulated, ("outside_regulation",): outside,
                   ("cost",): sum(p.cost_ore for p in result.pools)},
    }


def entity_amounts(result: Result) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], str]]:
    """What each entity pays in all, per payer group, and its name."""
    totals: dict[tuple[str, str], int] = {}
    names: dict[tuple[str, str], str] = {}
    for a in result.allocations:
        key = (a.group, a.entity)
        totals[key] = totals.get(key, 0) + a.amount_ore
        if a.name:
            names.setdefault(key, f"{a.entity} {a.name}")
    return totals, names


TOTAL_LABELS = MappingProxyType({("regulated",): "regulated", ("outside_regulation",): "outside_regulation", ("cost",): "cost"})


def diff(old: Result, new: Result, entities: bool = False, old_name: str | None = None,
         new_name: str | None = None) -> Diff:
    """Line up two results by id; entities only when asked (they can be many).

    `old_name` and `new_name` say what was compared (default: the spec files),
    e.g. `specs/2024.nhp (prisjustering=4%)` for a scenario."""
    a, b = _amounts(old), _amounts(new)
    labels = {**_titles(old), **_titles(new), **TOTAL_LABELS}
    entity_rows = None
    if entities:
        old_e, old_names = entity_amounts(old)
        new_e, new_names = entity_amounts(new)
        entity_rows = _line_up(old_e, new_e, {**old_names, **new_names})
    old_fees, old_members, old_carry, old_residuals, fee_labels = _payables(old)
    new_fees, new_members, new_carry, new_residuals, new_labels = _payables(new)
    labels.update({**fee_labels, **new_labels})
    return Diff(old_name or old.graph.file, new_name or new.graph.file, old.graph.title, new.graph.title,
                _line_up(a["groups"], b["groups"], labels), _line_up(a["pools"], b["pools"], labels),
                _line_up(a["cells"], b["cells"], labels), entity_rows,
                tuple(Change(k, labels[k], a["totals"][k], b["totals"][k]) for k in TOTAL_LABELS),
                fees=_line_up(old_fees, new_fees, labels),
                members=_line_up(old_members, new_members, labels, "count"),
                carry_overs=_line_up(old_carry, new_carry, labels),
                residuals=_line_up(old_residuals, new_residuals, labels))
