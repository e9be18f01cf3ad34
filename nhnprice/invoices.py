"""Invoice schedules: each member's year, invoiced quarterly in advance, exact to the øre."""

from __future__ import annotations

from nhnprice.money import apportion
from nhnprice.numbers import fraction_text
from nhnprice.record import Record, frozen

QUARTERS = 4


@frozen
class MemberSchedule(Record):
    group: str
    entity: str
    name: str
    year_ore: int
    quarters_ore: tuple[int, ...]


def quarters(year_ore: int) -> tuple[int, ...]:
    """A year's amount in four quarterly parts that sum to it exactly; a credit (negative) is split the same way."""
    sign = -1 if year_ore < 0 else 1
    parts = apportion(abs(year_ore), {q: 1 for q in range(QUARTERS)})
    return tuple(sign * parts[q] for q in range(QUARTERS))


def adjusted_fees(result) -> list[dict]:
    """§ 17: each flat fee (per category) as stated, the factor, and the adjusted fee that is invoiced."""
    out = []
    for f in result.fees if result.price_factor != 1 else ():
        for c in f.categories or (None,):
            out.append({"group": f.group, "category": c.id if c else None,
                        "stated_fee_ore_per_month": c.stated_fee_ore_per_month if c else f.stated_fee_ore_per_month,
                        "factor": fraction_text(result.price_factor),
                        "fee_ore_per_month": c.fee_ore_per_month if c else f.fee_ore_per_month})
    return out


def schedule(result, groups: set[str] | None = None) -> list[MemberSchedule]:
    """Every entity's year per payer group (all pools and carry-overs), split into quarters."""
    totals: dict[tuple[str, str], int] = {}
    names: dict[tuple[str, str], str] = {}
    for a in result.allocations:
        if groups is not None and a.group not in groups:
            continue
        key = (a.group, a.entity)
        totals[key] = totals.get(key, 0) + a.amount_ore
        names.setdefault(key, a.name)
    return [MemberSchedule(group, entity, names[(group, entity)], total, quarters(total))
            for (group, entity), total in totals.items()]
