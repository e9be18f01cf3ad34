"""Exact bounds derived from a compiled spec: for which data it keeps its promises.

The price model is linear in its data. A fixed fee collects `12 × fee ×
members`, a group's share does not depend on how many members it has, a
computed share is an expression of a few counts and parameters, and a
carry-over is a constant set against a cost that only the price adjustment
moves. So instead of searching for the member count at which a fee collects
too much, it can be computed; `verify` prints these bounds before its search.

Each bound says, for one group or pool, which values of one input keep one
invariant and which break it:

- a fixed fee: the most members (per category, the others as declared, for a
  differentiated fee) with which it stays within its share plus margin, at the
  price adjustment where that is tightest;
- computed shares: the counts and parameter values for which a share leaves
  0–100 % or the shares stop adding up (a `rest` that goes negative);
- carry-overs: the price adjustments at which a pool's carry-over is larger
  than its cost, or a group's credit larger than what it pays.

A bound is `proved` when it is exact for every value `verify` varies (every
member count, every price adjustment from 0 to 20 % in steps of 0,1 %); a
bound that holds the other inputs at their declared values is not, and the
search covers the combinations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from nhnprice import fees
from nhnprice import shares as computed_shares
from nhnprice.data import Table
from nhnprice.evaluate import group_amounts
from nhnprice.graph import Graph, GroupNode, ParameterValue, PoolNode, RowCount
from nhnprice.numbers import kroner
from nhnprice.params import format_value
from nhnprice.record import Record, frozen

#: the price adjustments verify tries, in tenths of a percent: 0 to 20 % (§ 17 lets prices be raised)
ADJUSTMENT_TENTHS = range(0, 201)
#: a count that no key or municipality list bounds is tried up to this many times its declared size
COUNT_GROWTH = 10


@frozen
class Bound(Record):
    """Where one invariant stops holding for one group or pool, as exact numbers."""

    invariant: str  # the invariant it bounds (see verify.INVARIANTS)
    subject: str  # the group or pool, as `id`
    text: str  # the bound in words, with its figures
    broken: bool  # some data verify varies breaks the invariant
    allowed: bool = False  # the spec declares what happens then (`excess carried over`): information
    proved: bool = True  # exact for every value varied; else one input at a time, the rest declared
    first: int | Fraction | None = None  # the first value that breaks it
    data: tuple[str, ...] = ()  # the data of a counterexample, as verify prints it

    @property
    def failure(self) -> bool:
        return self.broken and not self.allowed


def derive(graph: Graph, declared: Mapping[str, Table], params: Mapping[str, Fraction | int]) -> list[Bound]:
    """Every bound of the spec, for its declared data and parameters (`params`: every parameter's value)."""
    figures = _Figures(graph, declared, params)
    out: list[Bound] = []
    for group in graph.groups.values():
        if group.pays_fee:
            bound = _fee_bound(graph, group, declared, params, figures)
            if bound is not None:
                out.append(bound)
    for pool in graph.pools:
        if pool.computed is not None:
            out.extend(_share_bounds(graph, pool, declared, params))
        if pool.carry_over_ore < 0:
            out.append(_pool_carry_over_bound(graph, pool, figures))
    for group in graph.groups.values():
        if group.carry_over_ore < 0:
            out.append(_credit_bound(graph, group, figures))
    return out


# ---- the groups' amounts at every price adjustment verify tries


class _Figures:
    """Each pool's cost and each group's amount per pool, at every price adjustment tried."""

    def __init__(self, graph: Graph, declared: Mapping[str, Table], params: Mapping[str, Fraction | int]):
        self.adjustment = graph.price_adjustment
        values: list[Fraction | int | None] = [None]
        if self.adjustment is not None:
            values = sorted({Fraction(t, 1000) for t in ADJUSTMENT_TENTHS} | {Fraction(params[self.adjustment])})
        self.values = values
        self.costs: dict[object, dict[str, int]] = {}
        self.amounts: dict[object, dict[tuple[str, str], int]] = {}
        for value in values:
            run = dict(params) if value is None else {**params, self.adjustment: value}
            pools, groups, _ = group_amounts(graph, declared, run)
            self.costs[value] = {p.id: p.cost_ore for p in pools}
            self.amounts[value] = {(g.pool, g.group): g.amount_ore for g in groups}
        # shares computed from data make a group's amounts depend on more than the price adjustment
        self.data_dependent = {leg.group for pool in graph.pools if pool.computed is not None for leg in pool.legs}

    def per_pool(self, value, group: str) -> dict[str, int]:
        return {pool: amount for (pool, g), amount in self.amounts[value].items() if g == group}

    def at(self, value) -> str | None:
        """`at prisjustering 0 %` for a price adjustment, None when the spec has none."""
        if value is None:
            return None
        return f"{self.adjustment} {_percent(value)}"


def _percent(value: Fraction) -> str:
    return format_value("percent", value)


# ---- a fixed fee: the member counts with which it stays within its share


def _fee_bound(graph: Graph, group: GroupNode, declared: Mapping[str, Table], params, figures: _Figures
               ) -> Bound | None:
    register = declared.get(group.fee_register)
    if register is None:
        return None
    categories = fees.categories_of(group)
    if group.members_parameter is not None:
        counts = {"all": int(params[group.members_parameter])}
        counted = f"parameter {group.members_parameter}"
    else:
        assigned, problems = fees.assign(group, register)
        if assigned is None:
            return None
        counts = {c: len(ids) for c, ids in assigned.items()}
        counted = f"register {group.fee_register}"
    solved = group.fee_solve
    if solved and all((c.addon_ore or 0) == 0 for c in categories):
        return Bound("no-over-collection", group.id, f"`{group.id}`: its fee is solved from the members it has, "
                     "so it never collects more than its share, for any number of members", broken=False)
    # the monthly fee of each category: the fixed fee (unit) or, for a solved fee, its add-ons alone
    per_month = {c.id: fees.fee_of(c, 0 if solved else group.fee_ore) for c in categories}
    proved = group.id not in figures.data_dependent
    worst: dict[str, tuple[int, object, int]] = {}  # category -> (most members, price adjustment, room)
    for value in figures.values:
        share = sum(figures.per_pool(value, group.id).values()) + group.carry_over_ore
        room = share if solved else share + _margin(group, share)
        for c in categories:
            fee = per_month[c.id] * fees.MONTHS
            if fee <= 0:
                continue
            others = sum(per_month[d.id] * fees.MONTHS * counts[d.id] for d in categories if d.id != c.id)
            most = (room - others) // fee
            if c.id not in worst or most < worst[c.id][0]:
                worst[c.id] = (most, value, room)
    if not worst:
        return None
    allowed = group.excess_carried_over
    lines, data = [], []
    first = None
    for c in categories:
        if c.id not in worst:
            continue
        most, value, room = worst[c.id]
        fee = per_month[c.id]
        what = "its add-on of" if solved else ""
        where = f" in category `{c.id}`" if group.categories else ""
        held = (f"stays within up to {_count(most)} member{'s' * (most != 1)}{where}" if most >= 0
                else f"collects more than its share{where} even with no members")
        over = max(most + 1, 0)
        collected = over * fee * fees.MONTHS + sum(per_month[d.id] * fees.MONTHS * counts[d.id]
                                                  for d in categories if d.id != c.id)
        lines.append(f"{what + ' ' if what else ''}{kroner(fee)} kr per member per month {held}; "
                     f"from {_count(over)} it collects {kroner(collected)} kr, "
                     f"{kroner(collected - room)} kr more than {kroner(room)} kr")
        if first is None:
            first = over
            at = figures.at(value)
            data = ([f"parameter {figures.adjustment} = {_percent(value)}"] if at else [])
            member_counts = {**counts, c.id: over}
            data.append(f"{counted}: {_count(sum(member_counts.values()))} members"
                        + (" (" + ", ".join(f"{_count(k)} in `{cid}`" for cid, k in member_counts.items()) + ")"
                           if group.categories else f" (declared: {_count(sum(counts.values()))})"))
    limit = "its share" if solved or not (group.margin_ore or group.margin_share) else "its share and margin"
    tightest = figures.at(worst[next(iter(worst))][1])
    text = f"`{group.id}` against {limit}: " + "; ".join(lines)
    if group.categories:
        text += " (each category with the others as declared)"
    if tightest is not None:
        text += f"; tightest at {tightest} (of 0–20 %)"
    if allowed:
        text += "; the excess is carried over" + (f" ({group.excess_reference})" if group.excess_reference else "")
    return Bound("no-over-collection", group.id, text, broken=True, allowed=allowed,
                 proved=proved and not group.categories, first=first, data=tuple(data))


def _margin(group: GroupNode, share: int) -> int:
    if group.margin_share is not None:
        return share * group.margin_share.numerator // group.margin_share.denominator
    return group.margin_ore or 0


def _count(n: int) -> str:
    return kroner(n * 100)  # grouped by thousands as amounts are: 6 688


# ---- computed shares: the counts and parameters for which they leave 0–100 % or stop adding up


class _Sized:
    """A stand-in register of `n` members, for `count(...)` in a computed share."""

    def __init__(self, n: int):
        self.n = n

    def __len__(self) -> int:
        return self.n


def _share_bounds(graph: Graph, pool: PoolNode, declared: Mapping[str, Table], params) -> list[Bound]:

    inputs: dict[str, tuple[str, str]] = {}  # text -> (kind, name)
    for kind, _, expr in pool.computed:
        if kind == "computed":
            for atom in computed_shares.atoms(expr):
                if isinstance(atom, ParameterValue):
                    inputs.setdefault(atom.name, ("parameter", atom.name))
                elif isinstance(atom, RowCount):
                    inputs.setdefault(f"count({atom.dataset})", ("count", atom.dataset))
    out = []
    for text, (kind, name) in inputs.items():
        domain, declared_value, shown = _domain(graph, declared, params, kind, name)
        failing: list[tuple[int | Fraction, str]] = []
        for v in domain:
            run_params, run_tables = dict(params), dict(declared)
            if kind == "parameter":
                run_params[name] = v
            else:
                run_tables[name] = _Sized(int(v))
            if _shares_problem(pool, run_params, run_tables, describe=False) is not None:
                failing.append((v, run_params, run_tables))
        others = len(inputs) > 1
        scope = " (the other inputs as declared)" if others else ""
        if not failing:
            text_ = (f"the shares of `{pool.id}` stay within 0–100 % and add up to 100 % when {text} is "
                     f"{_ranges(domain, shown)}{scope}")
            out.append(Bound("shares-balance", pool.id, text_, broken=False, proved=not others))
            continue
        bad = [v for v, _, _ in failing]
        broken = set(bad)
        good = [v for v in domain if v not in broken]
        first, *inputs_ = ([f for f in failing if f[0] > declared_value] or failing)[0]
        problem = _shares_problem(pool, *inputs_)
        text_ = (f"the shares of `{pool.id}` break when {text} is {_ranges(bad, shown)}"
                 + (f" and hold when it is {_ranges(good, shown)}" if good else "") + scope
                 + f"; at {shown(first)}: {problem}")
        noun = "entit" + ("y" if first == 1 else "ies") if graph.datasets.get(name, None) and \
            graph.datasets[name].kind == "key" else "member" + ("s" * (first != 1))
        data = (f"parameter {name} = {shown(first)}" if kind == "parameter"
                else f"{graph.datasets[name].kind} {name}: {shown(first)} {noun}",)
        out.append(Bound("shares-balance", pool.id, text_, broken=True, proved=not others, first=first,
                         data=data))
    return out


def _domain(graph: Graph, declared: Mapping[str, Table], params, kind: str, name: str):
    """The values verify gives one input of a computed share, its declared value, and how to show one."""
    if kind == "parameter":
        node = graph.parameters[name]
        value = params[name]
        if node.kind == "percent":
            top = 200 if name == graph.price_adjustment else 1000
            return [Fraction(t, 1000) for t in range(top + 1)], value, _percent
        top = max(2 * int(node.default or 0), 10)
        return list(range(top + 1)), value, lambda v: _count(int(v))
    node = graph.datasets[name]
    size = len(declared[name]) if name in declared else 0
    among = {leg.key for pool in graph.pools for leg in pool.legs if leg.among == name}
    if among:  # a subset of a key: from none to all of the key's entities
        most = max(len(declared[k]) for k in among if k in declared)
    elif node.entities == "municipalities":  # at most every municipality of the year
        most = max((len(t) for t in declared.values() if graph.datasets[t.name].entities == "municipalities"),
                   default=size)
    else:
        most = max(COUNT_GROWTH * size, size + 100)
    least = 1 if node.kind == "key" else 0
    return list(range(least, most + 1)), size, lambda v: _count(int(v))


def _shares_problem(pool: PoolNode, params, tables, describe: bool = True) -> str | None:
    """What is wrong with the pool's shares for these inputs, as the evaluator would say it; None if nothing.
    Without `describe`, only whether anything is (cheaper: no percent written out)."""
    try:
        values, outside = computed_shares.computed_values(pool.computed, params, tables)
    except computed_shares.Problem:
        return None  # cannot be computed (a count of zero to divide by): the spec refuses it
    if outside is not None:
        return f"a share comes to {_percent(outside[0])}, outside 0–100 % [V040]" if describe else "V040"
    if not describe:
        fixed = sum((v for v in values if v is not None), Fraction(0))
        fills = any(kind in ("rest", "equally") for kind, _, _ in pool.computed)
        return None if (fixed < 1 if fills else fixed == 1) else "V041"
    _, problem = computed_shares.fill(pool.computed, values)
    if problem:
        return f"the shares come to {problem}, not 100 % [V041]"
    return None


def _ranges(values: Iterable, shown) -> str:
    """`182 to 357`, `0 to 3, 5`: consecutive values of a domain as ranges."""
    values = sorted(values)
    if not values:
        return "no value"
    step = min((b - a for a, b in zip(values, values[1:])), default=1)
    runs: list[list] = [[values[0], values[0]]]
    for v in values[1:]:
        if v - runs[-1][1] == step:
            runs[-1][1] = v
        else:
            runs.append([v, v])
    parts = [shown(a) if a == b else f"{shown(a)} to {shown(b)}" for a, b in runs]
    if len(parts) > 4:
        parts = parts[:4] + ["…"]
    return ", ".join(parts)


# ---- carry-overs: larger than the cost, a credit larger than what the group pays


def _pool_carry_over_bound(graph: Graph, pool: PoolNode, figures: _Figures) -> Bound:
    # § 17 adjusts what is paid, not the cost a carry-over is set against: the stated cost
    bad = list(figures.values) if pool.cost_ore + pool.carry_over_ore < 0 else []
    return _carry_bound("non-negative", pool.id, f"the carry-over of `{pool.id}` ({kroner(pool.carry_over_ore)} kr)",
                        "its cost", lambda v: pool.cost_ore, bad, figures, True)


def _credit_bound(graph: Graph, group: GroupNode, figures: _Figures) -> Bound:
    def pays(v):
        return sum(figures.per_pool(v, group.id).values())

    bad = [v for v in figures.values if pays(v) + group.carry_over_ore < 0]
    what = "its share" if group.pays_fee else "what it pays"
    return _carry_bound("non-negative", group.id, f"the credit of `{group.id}` ({kroner(group.carry_over_ore)} kr)",
                        what, pays, bad, figures, group.id not in figures.data_dependent)


def _carry_bound(invariant: str, subject: str, what: str, against: str, amount, bad: list, figures: _Figures,
                 proved: bool) -> Bound:
    values = figures.values
    if not bad:
        low = min(values, key=amount)
        text = f"{what} stays within {against} ({kroner(amount(low))} kr at the lowest"
        text += f", {figures.at(low)})" if figures.at(low) else ")"
        return Bound(invariant, subject, text, broken=False, proved=proved)
    first = bad[0]
    text = f"{what} is larger than {against} of {kroner(amount(first))} kr"
    if figures.adjustment is not None:
        broken = set(bad)
        good = [v for v in values if v not in broken]
        text += f" when {figures.adjustment} is {_ranges(bad, _percent)}"
        text += f"; it fits when it is {_ranges(good, _percent)}" if good else \
            " (every price adjustment from 0 to 20 %)"
    data = (f"parameter {figures.adjustment} = {_percent(first)}",) if figures.adjustment is not None else ()
    return Bound(invariant, subject, text, broken=True, proved=proved, first=first, data=data)
