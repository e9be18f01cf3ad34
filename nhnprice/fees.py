"""Flat fees that follow a register: categories, the fee per category, and solving the unit price.

A plain flat fee is one category (`weight 1`) holding every member. A
differentiated fee has categories defined by thresholds on register columns;
each member falls in the first category whose rule holds. A category's monthly
fee is `unit × weight` (rounded down to the øre) or `base + add-on`. Solving
finds the largest unit (base) in whole kroner whose total `Σ members × fee × 12`
does not exceed the share: never more.
"""

from __future__ import annotations

import operator
from fractions import Fraction
from types import MappingProxyType

from nhnprice.data import Table
from nhnprice.diagnostics import Diagnostic, error
from nhnprice.graph import CategoryNode, GroupNode
from nhnprice.numbers import MONTHS, ORE_PER_KRONE, parse_weight
from nhnprice.record import Record, frozen
from nhnprice.span import Span

_OPS = MappingProxyType({">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt})


@frozen
class CategoryFee(Record):
    id: str
    title: str
    members: int
    fee_ore_per_month: int
    weight: Fraction | None = None
    addon_ore: int | None = None

    @property
    def collected_ore(self) -> int:
        return self.fee_ore_per_month * MONTHS * self.members


def categories_of(group: GroupNode) -> tuple[CategoryNode, ...]:
    """The group's categories; a plain fee is one category of weight 1."""
    return group.categories or (CategoryNode("all", group.title, Fraction(1), None, None),)


def assign_cached(group: GroupNode, register: Table, memo: dict | None
                  ) -> tuple[dict[str, list[str]] | None, list[Diagnostic]]:
    """`assign`, remembered in `memo` (owned by the caller) for the same group and register: a
    sweep evaluates one compiled graph against the same data many times, and a register is
    never modified. Without a memo, `assign` itself."""
    if memo is None:
        return assign(group, register)
    hit = memo.get(group.id)
    if hit is not None and hit[0] is group and hit[1] is register:
        return hit[2]
    found = assign(group, register)
    memo[group.id] = (group, register, found)
    return found


def assign(group: GroupNode, register: Table) -> tuple[dict[str, list[str]] | None, list[Diagnostic]]:
    """Each category's members, in register order: the first category whose rule holds."""
    categories = categories_of(group)
    members: dict[str, list[str]] = {c.id: [] for c in categories}
    if not group.categories:
        members["all"] = list(register.ids)
        return members, []
    columns = {col for c in categories if c.rule for conj in c.rule for col, _, _ in conj}
    header = set(register.rows[0]) if register.rows else columns
    missing = sorted(columns - header)
    if missing:
        return None, [error("V030", f"register `{register.name}` has no column "
                                    f"{', '.join(f'`{m}`' for m in missing)} for the categories of `{group.id}`",
                            group.fee_span, "columns: " + ", ".join(sorted(header)))]

    problems: list[Diagnostic] = []
    for i, (ident, row) in enumerate(zip(register.ids, register.rows)):
        values = {}
        for col in columns:
            value = parse_weight(row[col], register.decimal_comma)
            if value is None:
                where, notes = group.fee_span, []
                if register.lines:  # the register's row; the spec's categories in a note
                    where = Span(register.path, register.lines[i], 1)
                    notes = [f'sheet "{register.sheet}", row {register.lines[i]}'] if register.sheet else []
                    notes += [f"the categories are declared at {group.fee_span}"] if group.fee_span else []
                problems.append(error(
                    "V031", f"the `{col}` of `{ident}` is not a number: `{row[col].strip()}`", where,
                    f"the categories of `{group.id}` compare `{col}` with numbers; write it as 12 or 12,5", notes))
            values[col] = value
        if any(v is None for v in values.values()):
            continue
        category = next(c for c in categories if c.rule is None or any(
            all(_OPS[op](values[col], limit) for col, op, limit in conj) for conj in c.rule))
        members[category.id].append(ident)
    return (None if problems else members), problems[:10]


def fee_of(category: CategoryNode, unit_ore: int) -> int:
    """A category's monthly fee at a unit price (weights) or base fee (add-ons), in whole øre."""
    if category.weight is not None:
        scaled = unit_ore * category.weight
        return scaled.numerator // scaled.denominator
    return unit_ore + category.addon_ore


def collected(categories, counts: dict[str, int], unit_ore: int) -> int:
    return sum(counts[c.id] * fee_of(c, unit_ore) * MONTHS for c in categories)


def solve(categories, counts: dict[str, int], share_ore: int) -> int | None:
    """The largest whole-krone unit whose total does not exceed the share; None when even 0 exceeds it."""
    if collected(categories, counts, 0) > share_ore:
        return None  # the add-ons alone collect more than the share
    per_krone = collected(categories, counts, ORE_PER_KRONE) - collected(categories, counts, 0)
    if per_krone <= 0:
        return 0
    unit = (share_ore - collected(categories, counts, 0)) // per_krone * ORE_PER_KRONE
    while unit > 0 and collected(categories, counts, unit) > share_ore:  # weights rounded down: step back
        unit -= ORE_PER_KRONE
    while collected(categories, counts, unit + ORE_PER_KRONE) <= share_ore:  # ... or forward
        unit += ORE_PER_KRONE
    return unit
