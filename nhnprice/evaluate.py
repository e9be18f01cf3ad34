"""Graph + data -> exact amounts per pool, payer group and entity.

Per pool: the cost is apportioned among the payer groups by their exact
shares, in the spec's group rounding unit (0.1 mill. for the regulation); a
group's amount is apportioned among its legs, and each leg among the entities
of its key (limited to a register with `among`), to the entity unit (1 øre).
A flat-fee group collects fee × 12 × members; collecting more than its share
is an error unless the group declares a margin, or that the excess is carried
over into a later year's payment (`excess carried over`). Every split goes through
`money.apportion`, so every part sums exactly to its whole.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from fractions import Fraction

import attrs

from nhnprice import fees
from nhnprice.adjustment import Adjustment, adjust
from nhnprice import shares as computed_shares
from nhnprice.data import Table
from nhnprice.diagnostics import Diagnostic, error
from nhnprice.graph import Graph, GroupNode, Leg, PoolNode
from nhnprice.money import ZeroWeights, apportion, apportion_equal_columns, apportion_parts, integer_weights
from nhnprice.numbers import MONTHS, kroner, percent_text
from nhnprice.params import parameter_values
from nhnprice.record import Record, frozen
from nhnprice.span import Span
from nhnprice.within import distribute

CARRY_OVER = "carry-over"  # the pool id of a group's carry-over in allocations


@frozen
class GroupAmount(Record):
    pool: str
    group: str
    amount_ore: int  # after the price adjustment of § 17, when there is one
    quota: Fraction  # the exact, unrounded amount (adjusted: the stated amount × the factor)
    before_adjustment_ore: int | None = None  # the amount as stated, before § 17 (None: no adjustment)

    @property
    def unadjusted_ore(self) -> int:
        return self.amount_ore if self.before_adjustment_ore is None else self.before_adjustment_ore


@frozen
class CarryOverAmount(Record):
    """A group's carry-over: an earlier deviation added to (or taken from) what it pays."""

    group: str
    amount_ore: int
    reference: str


@attrs.define(repr=False, eq=False)  # not frozen: a report builds tens of thousands, and frozen slots fill twice as slowly
class Allocation(Record):
    """What one entity pays of one pool (or of its group's carry-over). Never changed once made."""

    pool: str
    group: str
    entity: str
    name: str
    amount_ore: int
    leg: int | None = None  # index into the pool's legs; None for a fee or a single entity


@frozen
class AllocationBlock(Record):
    """The allocations of one pool, group and leg, as columns: the entities in order and what each pays.

    A report of thousands of members then makes no object per row; `Result.allocations`
    makes the rows when a caller wants them one by one."""

    pool: str
    group: str
    entities: tuple[str, ...]
    amounts: tuple[int, ...]
    names: Mapping[str, str]  # entity -> name; an entity it does not list has no name ("")
    leg: int | None = None  # as in Allocation

    def rows(self) -> list[Allocation]:
        names, pool, group, leg = self.names, self.pool, self.group, self.leg
        return [Allocation(pool, group, entity, names.get(entity, ""), amount, leg)
                for entity, amount in zip(self.entities, self.amounts)]


@frozen
class LegAmount(Record):
    pool: str
    group: str
    leg: int  # index into the pool's legs
    amount_ore: int
    entities: int  # how many entities it was spread over
    weight_sum: Fraction | int


@frozen
class FeeResult(Record):
    group: str
    fee_ore_per_month: int
    members: int
    share_ore: int
    collected_ore: int
    margin_ore: int
    solved: bool = False
    carry_over_ore: int = 0  # included in share_ore
    members_parameter: str | None = None  # the parameter that counted the members, if any
    register_members: int | None = None  # how many the register lists
    categories: tuple = ()  # fees.CategoryFee per category of a differentiated fee
    stated_fee_ore_per_month: int | None = None  # the fee before the price adjustment (None: no adjustment)

    @property
    def deviation_ore(self) -> int:
        """Share minus collected: positive when the fee collects less than the share."""
        return self.share_ore - self.collected_ore


@frozen
class CheckResult(Record):
    description: str
    label: str | None
    expected_ore: int
    actual_ore: int
    span: Span | None = attrs.field(default=None, eq=False, repr=False)
    unit: str = "mill"  # how the figures are stated: "mill" (amounts), "kr" (a fee per member per month)

    @property
    def ok(self) -> bool:
        return self.expected_ore == self.actual_ore


@frozen
class PoolResult(Record):
    id: str
    cost_ore: int  # after the price adjustment
    collected_ore: int  # what the groups' amounts add up to
    cost_before_adjustment_ore: int | None = None  # None: no price adjustment
    carry_over_ore: int = 0

    @property
    def residual_ore(self) -> int:
        """Left unallocated by rounding group amounts to the group unit (never negative)."""
        return self.cost_ore + self.carry_over_ore - self.collected_ore


@frozen
class Result(Record):
    graph: Graph
    tables: dict[str, Table]
    pools: tuple[PoolResult, ...]
    groups: tuple[GroupAmount, ...]
    legs: tuple[LegAmount, ...]
    blocks: tuple[AllocationBlock, ...]  # the allocations, block by block (see `allocations`)
    fees: tuple[FeeResult, ...]
    checks: tuple[CheckResult, ...]
    parameters: dict[str, Fraction | int] = attrs.Factory(dict)
    overridden: frozenset[str] = frozenset()  # the parameters this run set
    carry_overs: tuple[CarryOverAmount, ...] = ()
    price_factor: Fraction = Fraction(1)
    scenario: str | None = None  # the name of the scenario file the run used
    adjustment: Adjustment | None = None  # § 17: adjusted payments against adjusted costs (None: factor 1)
    within: tuple = ()  # within.WithinBlock: each entity's amounts on to its sub-entities (`then by`)

    @functools.cached_property
    def allocations(self) -> tuple[Allocation, ...]:
        """What each entity pays, row by row: pool by pool, group by group, leg by leg, entities in
        id order; then the carry-overs and the flat-fee members (docs/report-format.md)."""
        return tuple(row for block in self.blocks for row in block.rows())

    @property
    def allocation_count(self) -> int:
        return sum(len(block.entities) for block in self.blocks)

    def group_amount(self, pool: str, group: str) -> int:
        return sum(g.amount_ore for g in self.groups if g.pool == pool and g.group == group)


class _Evaluator:
    def __init__(self, graph: Graph, tables: Mapping[str, Table], params: Mapping[str, Fraction | int],
                 entities: bool = True, memo: dict | None = None):
        self.graph = graph
        self.memo = memo
        self.entities = entities
        self.tables = tables
        self.params = params
        self.factor = Fraction(1)
        if graph.price_adjustment is not None:
            self.factor = 1 + Fraction(params[graph.price_adjustment])
        self.out: list[Diagnostic] = []
        self.blocks: list[AllocationBlock] = []
        self.legs: list[LegAmount] = []
        self.carry_overs: list[CarryOverAmount] = []
        self._ordered_memo: dict[tuple[str, str | None], tuple[dict[str, int], tuple[str, ...], Fraction | int]] = {}

    def run(self) -> Result | None:
        pools, groups = self.amounts()
        for group in self.graph.groups.values():
            if group.carry_over_ore and not group.pays_fee:
                self.group_carry_over(group, groups)
        fees = [self.fee(g, groups) for g in self.graph.groups.values() if g.pays_fee]
        within_blocks = []
        for group in self.graph.groups.values():
            if group.within is not None and self.entities and not self.out:
                found, problems = distribute(self.graph, self.tables, self.blocks, group)
                within_blocks += found
                self.out += problems
        checks = [self.expectation(e, groups, fees) for e in self.graph.expectations]
        adjustment = self.adjustment(pools, groups, fees) if self.factor != 1 and not self.out else None
        if self.out:
            return None
        return Result(self.graph, dict(self.tables), tuple(pools), tuple(groups), tuple(self.legs),
                      tuple(self.blocks), tuple(f for f in fees if f is not None), tuple(checks),
                      dict(self.params), carry_overs=tuple(self.carry_overs), price_factor=self.factor,
                      adjustment=adjustment, within=tuple(within_blocks))

    def amounts(self) -> tuple[list[PoolResult], list[GroupAmount]]:
        """Every pool's figures and its groups' amounts (a pool with a problem has none)."""
        pools, groups = [], []
        for pool in self.graph.pools:
            if pool.cost_parameter is not None:  # `cost NAME`: this run's value of the parameter
                pool = attrs.evolve(pool, cost_ore=int(self.params[pool.cost_parameter]))
                if pool.cost_ore < 0:
                    self.out.append(error("V022", f"`{pool.id}` would cost {kroner(pool.cost_ore)} kr: "
                                          f"parameter `{pool.cost_parameter}` is negative", pool.span,
                                          "a cost cannot be below zero"))
                    continue
            cost = self.adjusted(pool.cost_ore)
            amounts = self.pool(pool, cost)
            groups.extend(amounts)
            pools.append(PoolResult(pool.id, cost, sum(a.amount_ore for a in amounts),
                                    pool.cost_ore if self.factor != 1 else None, pool.carry_over_ore))
        return pools, groups

    def adjusted(self, cost: int) -> int:
        """§ 17: the cost scaled by the price adjustment, rounded down to whole øre (never more than due)."""
        scaled = cost * self.factor
        return scaled.numerator // scaled.denominator

    def adjustment(self, pools: list[PoolResult], amounts: list[GroupAmount],
                   fee_results: list[FeeResult | None]) -> Adjustment:
        """§ 17: everything invoiced after the adjustment against the adjusted costs; an excess beyond
        the declared margin (of the `adjust` statement, and of the flat-fee groups) is an error."""
        groups = self.graph.groups
        carried = sum(g.carry_over_ore for g in groups.values())
        costs = sum(p.cost_ore + p.carry_over_ore for p in pools) + carried
        payments = (sum(a.amount_ore for a in amounts if not groups[a.group].pays_fee)
                    + sum(g.carry_over_ore for g in groups.values() if not g.pays_fee)
                    + sum(f.collected_ore for f in fee_results if f is not None))
        margin = self.graph.adjustment_margin_ore or 0
        if self.graph.adjustment_margin_share is not None:
            share = self.graph.adjustment_margin_share
            margin = max(0, costs) * share.numerator // share.denominator
        margin += sum(f.margin_ore for f in fee_results if f is not None)
        found = Adjustment(self.factor, self.graph.price_adjustment, costs, payments, margin)
        # what a fee collects beyond its share and margin, where the group carries its excess over, is
        # settled in a later year's payment: declared, so it does not count against the margin here
        carried = sum(max(0, f.collected_ore - f.share_ore - f.margin_ore) for f in fee_results
                      if f is not None and groups[f.group].excess_carried_over)
        if found.excess_ore > found.margin_ore + carried:
            self.out.append(error(
                "V050", f"adjusted by § 17, the payments come to {kroner(payments)} kr, "
                f"{kroner(found.excess_ore)} kr more than the adjusted costs of {kroner(costs)} kr",
                self.graph.adjustment_span,
                "each stated amount is rounded to the nearest unit after the adjustment, and rounding up "
                "can pass the costs; declare the margin the regulation allows "
                f"(`adjust prices by {self.graph.price_adjustment} margin 0.1 mill`)",
                notes=[f"the declared margin is {kroner(margin)} kr"]))
        return found

    def pool(self, pool: PoolNode, cost: int) -> list[GroupAmount]:
        legs = pool.legs
        if pool.computed is not None:
            legs = self.computed_legs(pool)
            if legs is None:
                return []
        shares = pool.group_shares(legs)
        to_share = pool.cost_ore + pool.carry_over_ore
        if to_share < 0:
            self.out.append(error("V020", f"the carry-over of `{pool.id}` is larger than its cost", pool.span,
                                  f"{kroner(pool.cost_ore)} kr cost and {kroner(pool.carry_over_ore)} kr carried "
                                  "over leave a negative amount; carry the rest into a later year"))
            return []
        unit = self.graph.group_unit_ore
        stated = apportion(to_share, shares, unit)
        if self.factor == 1:
            amounts, quotas, before = stated, {g: to_share * share for g, share in shares.items()}, None
        else:  # § 17: each stated amount × the factor, rounded again; the carry-over's part is not adjusted
            of_cost = apportion(pool.cost_ore, shares, unit) if pool.carry_over_ore else stated
            num, den = self.factor.numerator, self.factor.denominator  # one Fraction per group: sweeps make many
            quotas = {g: Fraction(of_cost[g] * num + (stated[g] - of_cost[g]) * den, den) for g in shares}
            amounts = {g: adjust(of_cost[g], self.factor, unit) + stated[g] - of_cost[g] for g in shares}
            before = stated
            negative = sorted(g for g, amount in amounts.items() if amount < 0)
            if negative:
                self.out.append(error(
                    "V021", f"adjusted by § 17, `{negative[0]}`'s amount in `{pool.id}` is below zero", pool.span,
                    "its part of the carry-over is larger than its adjusted amount; carry the rest into a "
                    "later year"))
                return []
        out = []
        for group_id, share in shares.items():
            amount = amounts[group_id]
            out.append(GroupAmount(pool.id, group_id, amount, quotas[group_id],
                                   before[group_id] if before is not None else None))
            group = self.graph.groups[group_id]
            if group.pays_fee:
                continue  # members pay a flat fee: see fee()
            if group.entity is not None:
                if self.entities:
                    self.blocks.append(self._single(pool.id, group, amount))
                continue
            legs_here = {i: leg for i, leg in enumerate(legs) if leg.group == group_id}
            if not self.entities:  # the data's refusals still count; the amounts are not needed
                for i, leg in legs_here.items():
                    self.leg(pool, i, leg, amount)
                continue
            leg_amounts = apportion(amount, {i: leg.share for i, leg in legs_here.items()},
                                    self.graph.entity_unit_ore)
            for i, leg in legs_here.items():
                self.leg(pool, i, leg, leg_amounts[i])
        return out

    def computed_legs(self, pool: PoolNode) -> tuple[Leg, ...] | None:
        """The legs of a pool with computed shares, for this run's parameters and data; None on a problem."""
        try:
            values, outside = computed_shares.computed_values(pool.computed, self.params, self.tables)
        except computed_shares.Problem as exc:
            self.out.append(error("V042", f"cannot compute this share of `{pool.id}`: {exc}", exc.expr.span,
                                  exc.hint))
            return None
        if outside is not None:
            value, expr = outside
            self.out.append(error(
                "V040", f"this share of `{pool.id}` comes to {percent_text(value)}, outside 0–100 %",
                expr.span, "a share must stay between 0 % and 100 % for every value of its parameters "
                "and data", notes=[f"with {computed_shares.inputs(expr, self.params, self.tables)}"]))
            return None
        resolved, problem = computed_shares.fill(pool.computed, values)
        if problem:
            self.out.append(error("V041", f"the shares of `{pool.id}` come to {problem}, not 100 %", pool.span,
                                  "the computed shares and the fixed ones must add up to exactly 100 %; "
                                  "end the split with `rest` to take what is left",
                                  notes=[f"with {computed_shares.inputs_of(pool.computed, self.params, self.tables)}"]))
            return None
        return tuple(attrs.evolve(leg, share=resolved[leg.top] * leg.share) for leg in pool.legs)

    def leg(self, pool: PoolNode, index: int, leg: Leg, amount: int) -> None:
        table = self.tables[leg.key]
        weights = table.weights
        if leg.among is not None:
            register = self.tables[leg.among]
            members = set(register.ids)
            unknown = sorted(members - weights.keys())
            if unknown:
                count = f"1 entity of register `{leg.among}` is" if len(unknown) == 1 else \
                    f"{len(unknown)} entities of register `{leg.among}` are"
                self.out.append(error(
                    "V001", f"{count} not in key `{leg.key}`: {', '.join(unknown[:5])}"
                    f"{' …' if len(unknown) > 5 else ''}", self.graph.datasets[leg.among].span,
                    "a register used with `among` may only list entities of the key"))
            weights = {k: w for k, w in weights.items() if k in members}
            if not weights:
                why = "is empty" if not members else f"has no entity of key `{leg.key}`"
                self.out.append(error(
                    "V002", f"nobody to pay this share of `{pool.id}`: register `{leg.among}` {why}", leg.span,
                    f"{_describe_leg(leg)} would be lost; add members to `{leg.among}` or drop the share"))
                return
        if not self.entities:  # group figures only: the same refusals, no entity rows
            if amount and not any(weights.values()):
                self._zero_weights(pool, leg)
            return
        ordered, ids, weight_total = self._ordered(leg, weights)
        try:
            parts = apportion_parts(amount, ordered, self.graph.entity_unit_ore)  # in the order of `ids`
        except ZeroWeights:
            self._zero_weights(pool, leg)
            return
        left = amount - sum(parts)
        if left:  # cannot happen: legs are apportioned in entity units
            raise AssertionError(f"{left} øre of {pool.id} lost to entity rounding")
        self.legs.append(LegAmount(pool.id, leg.group, index, amount, len(parts), weight_total))
        self.blocks.append(AllocationBlock(pool.id, leg.group, ids, tuple(parts), table.names, index))

    def _ordered(self, leg: Leg, weights: Mapping[str, Fraction | int]
                 ) -> tuple[dict[str, int], tuple[str, ...], Fraction | int]:
        """The weights in id order, scaled to integers with the same ratios, the ids, and the weights'
        total: worked out once per key (and register) however many pools share by it."""
        memo = self._ordered_memo.get((leg.key, leg.among))
        if memo is None:
            ordered = integer_weights(_in_id_order(weights))
            memo = self._ordered_memo[leg.key, leg.among] = (ordered, tuple(ordered), sum(weights.values()))
        return memo

    @staticmethod
    def _single(pool: str, group: GroupNode, amount: int) -> AllocationBlock:
        """The one row of a single-entity group."""
        ident, name = group.entity
        return AllocationBlock(pool, group.id, (ident,), (amount,), {ident: name or group.title})

    def _zero_weights(self, pool: PoolNode, leg: Leg) -> None:
        self.out.append(error("V003", f"every weight of key `{leg.key}` is zero among the entities "
                              f"that pay this share of `{pool.id}`", leg.span,
                              "a share cannot be distributed by weights that are all zero"))

    def group_carry_over(self, group: GroupNode, amounts: list[GroupAmount]) -> None:
        """A key or single-entity group's carry-over, distributed like its amounts, as pool `carry-over`."""
        amount = group.carry_over_ore
        pays = sum(a.amount_ore for a in amounts if a.group == group.id)
        if pays + amount < 0:
            self.out.append(error("V023", f"the carry-over credit of `{group.id}` is larger than what it pays",
                                  group.span, f"{kroner(-amount)} kr credited against {kroner(pays)} kr would "
                                  "give its members negative invoices; carry the rest into a later year"))
            return
        self.carry_overs.append(CarryOverAmount(group.id, amount, group.carry_over_reference or ""))
        sign = -1 if amount < 0 else 1
        if not self.entities:
            return
        if group.entity is not None:
            self.blocks.append(self._single(CARRY_OVER, group, amount))
            return
        table = self.tables[group.key]
        parts = apportion(abs(amount), dict(sorted(table.weights.items())), self.graph.entity_unit_ore)
        self.blocks.append(AllocationBlock(CARRY_OVER, group.id, tuple(parts),
                                           tuple(sign * part for part in parts.values()), table.names))

    def fee(self, group: GroupNode, amounts: list[GroupAmount]) -> FeeResult | None:
        register = self.tables[group.fee_register]
        per_pool = {a.pool: a.amount_ore for a in amounts if a.group == group.id}
        share = sum(per_pool.values()) + group.carry_over_ore
        stated_share = sum(a.unadjusted_ore for a in amounts if a.group == group.id) + group.carry_over_ore
        if group.carry_over_ore:
            self.carry_overs.append(CarryOverAmount(group.id, group.carry_over_ore,
                                                    group.carry_over_reference or ""))
        if not per_pool:
            self.out.append(error("V011", f"`{group.id}` pays a flat fee but has no share of any pool",
                                  group.span, f"give `{group.id}` a share in a pool, or remove the group"))
            return None
        assigned, problems = fees.assign_cached(group, register, self.memo)
        if assigned is None:
            self.out.extend(problems)
            return None
        counts = {c: len(ids) for c, ids in assigned.items()}
        if group.members_parameter is not None:
            counts = {"all": int(self.params[group.members_parameter])}
        members = sum(counts.values())
        if members == 0 and share:
            counted = f"parameter `{group.members_parameter}` is 0" if group.members_parameter else \
                f"register `{group.fee_register}` is empty"
            self.out.append(error(
                "V012", f"nobody pays `{group.id}`'s flat fee: {counted}",
                group.fee_span, f"its share of {kroner(share)} kr would go uncollected; "
                "a flat-fee group needs members"))
            return None
        if share < 0:
            self.out.append(error("V013", f"`{group.id}`'s carry-over is larger than its share", group.span,
                                  f"its share would be {kroner(share)} kr; carry the rest into a later year"))
            return None
        categories = fees.categories_of(group)
        adjusted = self.factor != 1
        fee_unit = self.graph.fee_unit_ore
        stated_unit = unit = group.fee_ore
        if group.fee_parameter is not None:  # `fee NAME`: this run's value of the parameter
            stated_unit = unit = int(self.params[group.fee_parameter])
            if unit < 0:
                self.out.append(error("V015", f"`{group.id}`'s fee would be {kroner(unit)} kr: parameter "
                                      f"`{group.fee_parameter}` is negative", group.fee_span,
                                      "a fee cannot be below zero"))
                return None
        if group.fee_solve:  # the largest fee in fee units (unit price, base fee) within the share
            stated_unit = unit = self.solve(group, categories, counts, stated_share)
            if adjusted and unit is not None:  # § 17: solved again from the adjusted share
                unit = self.solve(group, categories, counts, share)
            if unit is None:
                return None
        stated = tuple(fees.CategoryFee(c.id, c.title, counts[c.id], fees.fee_of(c, stated_unit), c.weight,
                                        c.addon_ore) for c in categories)
        if not adjusted:
            by_category = stated
        elif group.fee_solve:
            by_category = tuple(fees.CategoryFee(c.id, c.title, counts[c.id], fees.fee_of(c, unit), c.weight,
                                                 c.addon_ore, s.fee_ore_per_month) for c, s in zip(categories, stated))
        else:  # § 17: the stated fee (and each add-on) × the factor, rounded to the fee unit
            unit = adjust(stated_unit, self.factor, fee_unit)
            by_category = tuple(fees.CategoryFee(
                c.id, c.title, counts[c.id], fees.adjusted_fee_of(c, stated_unit, self.factor, fee_unit), c.weight,
                c.addon_ore if c.addon_ore is None else adjust(c.addon_ore, self.factor, fee_unit),
                s.fee_ore_per_month) for c, s in zip(categories, stated))
        collected = sum(c.collected_ore for c in by_category)
        margin = fees.margin_of(group, share)
        # a fee is held against its share; an adjusted fixed fee is the stated fee × the factor, so the
        # stated fee is held against the stated share, and the adjusted payments as a whole against the
        # adjusted costs (adjustment())
        held, held_share = (stated, stated_share) if adjusted and not group.fee_solve else (by_category, share)
        held_collected = sum(c.collected_ore for c in held)
        # unless the group carries its excess over into a later year's payment
        if held_collected > held_share + fees.margin_of(group, held_share) and not group.excess_carried_over:
            self.out.append(error(
                "V010", f"`{group.id}` would collect {kroner(held_collected)} kr, "
                f"{kroner(held_collected - held_share)} kr more than its share of {kroner(held_share)} kr",
                group.fee_span, "lower the fee, or declare the risk margin the regulation allows (`margin 1 %`)",
                notes=[f"{kroner(c.fee_ore_per_month)} kr × {MONTHS} months × {c.members} members of "
                       f"`{group.fee_register}`" + (f" in category `{c.id}`" if group.categories else "")
                       for c in held]
                + ["its share: " + ", ".join(f"{kroner(v)} kr of `{k}`" for k, v in per_pool.items())]))
            return None
        # per-member invoices only for the members the register names (not for a hypothetical count)
        if self.entities and share and members == len(register) and any(per_pool.values()):
            for category in by_category:
                # each member's year split across the pools, so that no pool gets more than its share
                ids = tuple(assigned[category.id])
                columns = apportion_equal_columns(category.fee_ore_per_month * MONTHS, len(ids), per_pool)
                self.blocks.extend(AllocationBlock(pool_id, group.id, ids, tuple(column), register.names)
                                   for pool_id, column in columns.items())
        return FeeResult(group.id, unit, members, share, collected, margin, solved=group.fee_solve,
                         carry_over_ore=group.carry_over_ore, members_parameter=group.members_parameter,
                         register_members=len(register), categories=by_category if group.categories else (),
                         stated_fee_ore_per_month=stated_unit if adjusted else None)

    def solve(self, group: GroupNode, categories, counts: dict[str, int], share: int) -> int | None:
        """The solved unit price or base fee for `share`; None, with a diagnostic, when none fits."""
        unit = fees.solve(categories, counts, share, self.graph.fee_unit_ore)
        if unit is None:
            self.out.append(error(
                "V014", f"the add-ons of `{group.id}` alone collect "
                f"{kroner(fees.collected(categories, counts, 0))} kr, more than its share of {kroner(share)} kr",
                group.fee_span, "lower the add-ons: no base fee can make the total fit the share"))
        return unit

    def expectation(self, e, amounts: list[GroupAmount], fee_results=()) -> CheckResult:
        """Expectations state the spec's own figures, before the price adjustment of § 17."""
        groups = self.graph.groups
        if e.fee:  # the fee per member per month as stated (of one category)
            fee = next((f for f in fee_results if f is not None and f.group == e.group), None)
            stated = None
            if fee is not None:
                found = [c for c in fee.categories if c.id == e.category] if e.category else [fee]
                stated = [c.fee_ore_per_month if c.stated_fee_ore_per_month is None else c.stated_fee_ore_per_month
                          for c in found]
            return CheckResult(e.describe(), e.label, e.amount_ore, stated[0] if stated else 0, e.span, unit="kr")
        payers = e.groups
        actual = sum(a.unadjusted_ore for a in amounts if a.pool in e.pools and
                     (a.group in payers if e.group else not groups[a.group].outside))
        return CheckResult(e.describe(), e.label, e.amount_ore, actual, e.span)


def _in_id_order(weights: Mapping[str, Fraction | int]) -> dict[str, Fraction | int]:
    """`weights` in ascending order of id; as it is when it is in that order already (a key
    file sorted by id: a million ids are then not sorted and copied again)."""
    ids = list(weights)
    ordered = sorted(ids)
    if ordered == ids and type(weights) is dict:
        return weights
    return {i: weights[i] for i in ordered}


def _describe_leg(leg: Leg) -> str:
    return " of ".join(s.text for s in reversed(leg.steps)) + f" for `{leg.group}`"


def group_amounts(graph: Graph, tables: Mapping[str, Table], params: Mapping[str, Fraction | int]
                  ) -> tuple[list[PoolResult], list[GroupAmount], list[Diagnostic]]:
    """Only the pools' and groups' figures for these parameters (checked values, every parameter given):
    what a derived bound needs, without fees, carry-overs, expectations or entities."""
    ev = _Evaluator(graph, tables, params, entities=False)
    pools, groups = ev.amounts()
    return pools, groups, ev.out


def evaluate(graph: Graph, tables: Mapping[str, Table],
             overrides: Mapping[str, Fraction | int] | None = None,
             entities: bool = True, memo: dict | None = None) -> tuple[Result | None, list[Diagnostic]]:
    """Exact amounts for every pool, group and entity; or the problems that prevent them.

    `overrides` maps parameter names to values already checked by
    `params.read_overrides`; nothing is parsed here, so a sweep evaluates one
    compiled graph many times. With `entities=False` only the pool, group and
    fee figures are computed (no allocation, leg or entity carry-over rows), with
    the same checks and refusals: what a sweep prints, at a fraction of the cost. `memo`, an
    empty dict the caller keeps between evaluations of one graph on the same tables, spares
    each evaluation after the first the work that does not depend on the parameters."""
    ev = _Evaluator(graph, tables, parameter_values(graph, tables, overrides), entities, memo)
    result = ev.run()
    if result is not None and overrides:
        result = attrs.evolve(result, overridden=frozenset(overrides))
    return result, ev.out
