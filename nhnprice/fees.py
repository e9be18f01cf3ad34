"""Flat fees that follow a register: categories, the fee per category, and solving the unit price.

A plain flat fee is one category (`weight 1`) holding every member. A
differentiated fee has categories defined by thresholds on register columns;
each member falls in the first category whose rule holds. A category's monthly
fee is `unit × weight` (rounded down to the øre) or `base + add-on`. Solving
finds the largest unit (base) in whole kroner whose total `Σ members × fee × 12`
does not exceed the share: never more.
"""

from __future__ import annotations

from fractions import Fraction

from nhnprice import conditions
from nhnprice.adjustment import adjust
from nhnprice.data import Table
from nhnprice.diagnostics import Diagnostic, error
from nhnprice.graph import CategoryNode, GroupNode
from nhnprice.numbers import MONTHS, ORE_PER_KRONE, parse_weight
from nhnprice.record import Record, frozen



@frozen
class CategoryFee(Record):
    id: str
    title: str
    members: int
    fee_ore_per_month: int
    weight: Fraction | None = None
    addon_ore: int | None = None
    stated_fee_ore_per_month: int | None = None  # before the price adjustment of § 17 (None: no adjustment)

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
    needed = conditions.needs([c.rule for c in categories])
    missing = conditions.missing_columns(register, needed)
    if missing:
        header = set(register.rows[0]) if register.rows else set()
        return None, [error("V030", f"register `{register.name}` has no column "
                                    f"{', '.join(f'`{m}`' for m in missing)} for the categories of `{group.id}`",
                            group.fee_span, "columns: " + ", ".join(sorted(header)))]
    problems: list[Diagnostic] = []
    for i, (ident, row) in enumerate(zip(register.ids, register.rows)):
        values, found = conditions.row_values(register, i, ident, row, needed, group.fee_span,
                                              f"the categories of `{group.id}`", "the categories are")
        problems += found
        if values is None:
            continue
        category = next(c for c in categories if conditions.holds(c.rule, values))
        members[category.id].append(ident)
    return (None if problems else members), problems[:10]


def fee_of(category: CategoryNode, unit_ore: int) -> int:
    """A category's monthly fee at a unit price (weights) or base fee (add-ons), in whole øre."""
    if category.weight is not None:
        scaled = unit_ore * category.weight
        return scaled.numerator // scaled.denominator
    return unit_ore + category.addon_ore


def adjusted_fee_of(category: CategoryNode, stated_unit_ore: int, factor: Fraction, fee_unit: int) -> int:
    """§ 17: a category's fee at a stated unit price or base fee, × the factor, rounded to the fee unit;
    with add-ons, the base fee and the add-on are each adjusted and rounded."""
    if category.weight is not None:
        return adjust(fee_of(category, stated_unit_ore), factor, fee_unit)
    return adjust(stated_unit_ore, factor, fee_unit) + adjust(category.addon_ore, factor, fee_unit)


def margin_of(group: GroupNode, share_ore: int) -> int:
    """What a flat-fee group may collect above `share_ore`: its declared margin, an amount or a percent."""
    if group.margin_share is not None:
        return share_ore * group.margin_share.numerator // group.margin_share.denominator
    return group.margin_ore or 0


def collected(categories, counts: dict[str, int], unit_ore: int) -> int:
    return sum(counts[c.id] * fee_of(c, unit_ore) * MONTHS for c in categories)


def solve(categories, counts: dict[str, int], share_ore: int, step: int = ORE_PER_KRONE) -> int | None:
    """The largest unit, in whole `step`s (the fee unit, 1 kr by default), whose total does not exceed
    the share; None when even 0 exceeds it."""
    if collected(categories, counts, 0) > share_ore:
        return None  # the add-ons alone collect more than the share
    per_step = collected(categories, counts, step) - collected(categories, counts, 0)
    if per_step <= 0:
        return 0
    unit = (share_ore - collected(categories, counts, 0)) // per_step * step
    while unit > 0 and collected(categories, counts, unit) > share_ore:  # weights rounded down: step back
        unit -= step
    while collected(categories, counts, unit + step) <= share_ore:  # ... or forward
        unit += step
    return unit
