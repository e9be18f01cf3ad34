"""§ 17: the price adjustment of the payments.

"Norsk helsenett SF kan øke betalingen … tilsvarende forventet prisstigning":
what is adjusted is each payment as the regulation states it, not the costs
split again. So, with the factor `1 + prisjustering`:

- a group's amount as stated (the pool's cost apportioned to the group unit,
  0.1 mill.) is multiplied by the factor and rounded to the group unit again;
- a flat fee, an add-on and a category fee is multiplied by the factor and
  rounded to the fee unit (`rounding fees to 1 kr`, whole kroner by default);
- a solved fee is solved again from the group's adjusted amounts;
- carry-overs settle money actually paid and are not adjusted.

Rounding is to the nearest unit, halves up, as a regulation states amounts:
exact integer arithmetic, never a float. Equal stated amounts stay equal.
Rounding up can make the adjusted payments add up to more than the adjusted
costs; `Adjustment` says by how much, and the evaluator holds that excess
against the margin the spec declares (`adjust prices by P margin AMOUNT`).
"""

from __future__ import annotations

from fractions import Fraction

from nhnprice.record import Record, frozen


def round_to_unit(value: Fraction | int, unit: int) -> int:
    """`value` øre to the nearest whole multiple of `unit` øre; a half goes up (away from zero)."""
    if unit < 1:
        raise ValueError("the rounding unit must be at least 1 øre")
    value = Fraction(value)
    sign = -1 if value < 0 else 1
    units, remainder = divmod(abs(value.numerator), value.denominator * unit)
    if 2 * remainder >= value.denominator * unit:
        units += 1
    return sign * units * unit


def adjust(amount_ore: int, factor: Fraction, unit: int) -> int:
    """A stated amount after the price adjustment: `amount × factor`, to the nearest `unit`, halves up
    (`round_to_unit` in integers only: a sweep adjusts thousands of amounts)."""
    if factor == 1:
        return amount_ore
    whole = factor.denominator * unit
    units, remainder = divmod(abs(amount_ore) * factor.numerator, whole)
    if 2 * remainder >= whole:
        units += 1
    return (-1 if amount_ore < 0 else 1) * units * unit


@frozen
class Adjustment(Record):
    """The adjusted payments against the adjusted costs, for the whole spec.

    `costs_ore` is every pool's cost × the factor (rounded down to whole øre)
    plus every carry-over; `payments_ore` is what is invoiced: each group's
    adjusted amounts, each flat fee's collection, and the carry-overs."""

    factor: Fraction
    parameter: str
    costs_ore: int
    payments_ore: int
    margin_ore: int  # what the spec allows the payments to exceed the costs by

    @property
    def excess_ore(self) -> int:
        """How much the adjusted payments exceed the adjusted costs (0 when they do not)."""
        return max(0, self.payments_ore - self.costs_ore)

    @property
    def within_margin(self) -> bool:
        return self.excess_ore <= self.margin_ore
