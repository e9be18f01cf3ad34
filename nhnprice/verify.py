"""Property-based verification of a spec: search for data that breaks its promises.

`verify(graph, declared)` compiles nothing itself: it takes a checked graph and
the declared data, then lets hypothesis generate data sets consistent with the
spec's declarations and checks the invariants below on every one. A broken
invariant is shrunk to a small counterexample; a data set the spec refuses
with its own diagnostic (a register with no adopters, an empty fee register)
is counted as a refusal, not a failure.

The invariants (docs/verification.md says what each means for a user):

- `no-over-collection`: no pool's groups get more than its cost, and no
  flat-fee group collects more than its share plus its declared margin;
- `shares-balance`: a pool's shares, also those computed from data, add up to
  exactly 100 % and each stays within 0-100 %;
- `conservation`: every split sums exactly to what it splits (pool -> groups,
  group -> legs, leg -> entities; a fee group's members to fee × 12 × members);
- `non-negative`: no amount is below zero;
- `within-quota`: every part is within one rounding unit of its exact quota
  of the amount it was split from;
- `expectations`: every `expect` of the spec holds.

How data is generated lives in `DataPlan` (one entry per declared data set);
new kinds of declaration get a strategy there, and new invariants a function
in `INVARIANTS`.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from contextlib import contextmanager
from collections.abc import Callable, Mapping
from fractions import Fraction
from types import MappingProxyType

import attrs

from nhnprice.bounds import Bound
from nhnprice.bounds import derive as derive_bounds
from nhnprice.conditions import derive
from nhnprice.data import Table
from nhnprice.diagnostics import Diagnostic, has_errors
from nhnprice.evaluate import CARRY_OVER, Result, evaluate
from nhnprice.files import Access
from nhnprice.graph import Graph
from nhnprice.money import integer_weights
from nhnprice.numbers import MONTHS, kroner
from nhnprice.params import format_value, parameter_values
from nhnprice.pipeline import compile_file, evaluate_graph, load_data
from nhnprice.record import Record, frozen

#: evaluator diagnostics that mean "this data breaks the spec", not "the spec refuses this data"
BROKEN_BY_CODE = MappingProxyType({
    "V010": "no-over-collection",  # a flat fee collects more than its share and margin
    "V014": "no-over-collection",  # a differentiated fee's add-ons alone exceed its share
    "V050": "no-over-collection",  # § 17: the adjusted payments exceed the adjusted costs beyond the margin
    "V013": "non-negative",  # a fee group's carry-over credit is larger than its share
    "V020": "non-negative",  # a pool's carry-over is larger than its cost
    "V023": "non-negative",  # a group's carry-over credit is larger than what it pays
    "V040": "shares-balance",  # a computed share outside 0-100 %
    "V041": "shares-balance",  # a pool's shares, computed from data, do not add up to 100 %
})
#: data sets a run tries by default
DEFAULT_EXAMPLES = 100
#: how far registers of members may grow beyond the declared file by default (shrinking to none is always tried)
DEFAULT_GROWTH = Fraction(1, 2)
#: at most this many entities in a generated key: enough for every rounding case, small enough to shrink
MAX_KEY_ENTITIES = 60


@frozen
class Violation(Record):
    invariant: str
    message: str  # what is wrong: the pool, the group, the figures


# ---- the invariants: each takes the graph, the data and the result, and says what is wrong


def _sum(values) -> int:
    return sum(values, 0)


def no_over_collection(graph: Graph, tables: Mapping[str, Table], result: Result) -> list[Violation]:
    if result.adjustment is not None:  # § 17 rounds each payment: the evaluator holds the whole (V050)
        a = result.adjustment
        # a fee's excess beyond its share, where the group carries it over, is settled in a later year
        carried = _sum(max(0, f.collected_ore - f.share_ore - f.margin_ore) for f in result.fees
                       if graph.groups[f.group].excess_carried_over)
        return [] if a.excess_ore <= a.margin_ore + carried else [Violation("no-over-collection", (
            f"adjusted payments {kroner(a.payments_ore)} kr exceed the adjusted costs {kroner(a.costs_ore)} kr "
            f"by more than the margin {kroner(a.margin_ore)} kr"))]
    out = []
    for pool in result.pools:
        if pool.collected_ore > pool.cost_ore + pool.carry_over_ore:
            out.append(Violation("no-over-collection", f"pool `{pool.id}`: the groups get "
                                 f"{kroner(pool.collected_ore)} kr of a cost of {kroner(pool.cost_ore)} kr"))
        # a fee group's members pay fee × 12 in all, checked against its share below; how each
        # member's fee is attributed to the pools is bookkeeping, so its share stands in per pool
        keyed = _sum(sum(b.amounts) for b in result.blocks
                     if b.pool == pool.id and not graph.groups[b.group].pays_fee)
        fee_shares = _sum(g.amount_ore for g in result.groups
                          if g.pool == pool.id and graph.groups[g.group].pays_fee)
        if keyed + fee_shares > pool.cost_ore + pool.carry_over_ore:
            out.append(Violation("no-over-collection", f"pool `{pool.id}`: its entities are invoiced "
                                 f"{kroner(keyed)} kr besides fee shares of {kroner(fee_shares)} kr, "
                                 f"more than its cost of {kroner(pool.cost_ore)} kr"))
    for fee in result.fees:
        if fee.collected_ore > fee.share_ore + fee.margin_ore and not graph.groups[fee.group].excess_carried_over:
            out.append(Violation("no-over-collection", _fee_figures(fee)))
    return out


def _fee_figures(fee) -> str:
    return (f"`{fee.group}` collects {kroner(fee.collected_ore)} kr "
            f"({kroner(fee.fee_ore_per_month)} kr × {MONTHS} months × {fee.members} members), "
            f"its share is {kroner(fee.share_ore)} kr and its margin {kroner(fee.margin_ore)} kr")


def conservation(graph: Graph, tables: Mapping[str, Table], result: Result) -> list[Violation]:
    out = []
    by_pool_group: dict[tuple[str, str], int] = defaultdict(int)
    by_leg: dict[tuple[str, int], int] = defaultdict(int)
    by_group: dict[str, int] = defaultdict(int)
    for b in result.blocks:  # the allocations block by block: no row objects for thousands of members
        total = sum(b.amounts)
        by_pool_group[b.pool, b.group] += total
        by_group[b.group] += total
        if b.leg is not None:
            by_leg[b.pool, b.leg] += total
    for pool in result.pools:
        groups = [g for g in result.groups if g.pool == pool.id]
        adjusted = result.adjustment is not None  # § 17 rounds each amount again, up or down
        if _sum(g.amount_ore for g in groups) != pool.collected_ore or \
                not adjusted and not 0 <= pool.residual_ore < graph.group_unit_ore:
            out.append(Violation("conservation", f"pool `{pool.id}`: cost {kroner(pool.cost_ore)} kr, groups "
                                 f"{kroner(_sum(g.amount_ore for g in groups))} kr, residual "
                                 f"{kroner(pool.residual_ore)} kr"))
        for g in groups:
            if graph.groups[g.group].pays_fee:
                continue
            invoiced = by_pool_group[pool.id, g.group]
            if invoiced != g.amount_ore:
                out.append(Violation("conservation", f"pool `{pool.id}`, group `{g.group}`: "
                                     f"{kroner(g.amount_ore)} kr to split, entities invoiced {kroner(invoiced)} kr"))
            legs = [leg for leg in result.legs if leg.pool == pool.id and leg.group == g.group]
            if legs and _sum(leg.amount_ore for leg in legs) != g.amount_ore:
                out.append(Violation("conservation", f"pool `{pool.id}`, group `{g.group}`: legs sum to "
                                     f"{kroner(_sum(leg.amount_ore for leg in legs))} kr, not "
                                     f"{kroner(g.amount_ore)} kr"))
    for leg in result.legs:
        if by_leg[leg.pool, leg.leg] != leg.amount_ore:
            out.append(Violation("conservation", f"pool `{leg.pool}`, share {leg.leg + 1} of `{leg.group}`: "
                                 f"{kroner(leg.amount_ore)} kr to split, entities invoiced "
                                 f"{kroner(by_leg[leg.pool, leg.leg])} kr"))
    for b in result.within:  # each entity's amount, on to its sub-entities (`then by`)
        if _sum(b.amounts) != b.parent_amount_ore:
            out.append(Violation("conservation", f"`{b.group}` {b.parent} in `{b.pool}`: "
                                 f"{kroner(b.parent_amount_ore)} kr to split, sub-entities get {kroner(_sum(b.amounts))} kr"))
    for fee in result.fees:
        invoiced = by_group[fee.group]
        invoices = fee.register_members is None or fee.members == fee.register_members  # else a counted run
        if fee.share_ore and invoices and invoiced != fee.collected_ore:
            out.append(Violation("conservation", f"`{fee.group}`: members invoiced {kroner(invoiced)} kr, "
                                 f"fee × {MONTHS} × members is {kroner(fee.collected_ore)} kr"))
    return out


def non_negative(graph: Graph, tables: Mapping[str, Table], result: Result) -> list[Violation]:
    amounts = [(f"group `{g.group}` in `{g.pool}`", g.amount_ore) for g in result.groups]
    amounts += [(f"share {leg.leg + 1} of `{leg.group}` in `{leg.pool}`", leg.amount_ore) for leg in result.legs]
    amounts += [(f"entity {entity} of `{b.group}` in `{b.pool}`", amount) for b in result.blocks
                if b.pool != CARRY_OVER and b.amounts and min(b.amounts) < 0  # a carry-over may be a credit
                for entity, amount in zip(b.entities, b.amounts)]
    return [Violation("non-negative", f"{what}: {kroner(value)} kr") for what, value in amounts if value < 0]


def within_quota(graph: Graph, tables: Mapping[str, Table], result: Result) -> list[Violation]:
    out = []
    group_unit, entity_unit = graph.group_unit_ore, graph.entity_unit_ore
    to_share = {p.id: p.cost_ore + p.carry_over_ore for p in result.pools}
    for g in result.groups:
        if g.before_adjustment_ore is not None:  # § 17: the stated amount × the factor, to the nearest unit
            if 2 * abs(g.amount_ore - g.quota) > group_unit:
                out.append(Violation("within-quota", f"group `{g.group}` in `{g.pool}`: adjusted to "
                                     f"{kroner(g.amount_ore)} kr, more than half a unit from {_ore(g.quota)}"))
            continue
        # against the exact amount the report prints: the group's share of the whole cost, also when
        # the cost is not a whole number of group units (what rounding leaves is the pool's residual)
        if abs(g.amount_ore - g.quota) >= group_unit:
            out.append(Violation("within-quota", f"group `{g.group}` in `{g.pool}`: {kroner(g.amount_ore)} kr, "
                                 f"exact amount {_ore(g.quota)} of {kroner(to_share[g.pool])} kr, more than "
                                 f"one unit ({kroner(group_unit)} kr) apart"))
    parts: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    for b in result.blocks:
        if b.leg is not None:
            parts[b.pool, b.leg].update(zip(b.entities, b.amounts))
    for b in result.within:
        total = _sum(b.weights)
        for entity, got, w in zip(b.entities, b.amounts, b.weights):
            quota = Fraction(b.parent_amount_ore) * w / total
            if abs(got - quota) >= entity_unit:
                out.append(Violation("within-quota", f"sub-entity {entity} of {b.parent} in `{b.pool}`: "
                                     f"{kroner(got)} kr, exact quota {_ore(quota)}"))
    for leg in result.legs:
        node = graph.pool(leg.pool).legs[leg.leg]
        weights = tables[node.key].weights
        if node.among is not None:
            members = set(tables[node.among].ids)
            weights = {k: w for k, w in weights.items() if k in members}
        # |got − amount × w / W| < unit, in integers: |got × W − amount × w| < unit × W
        ints = integer_weights(weights)
        scaled_total = sum(ints.values())
        got_of = parts[leg.pool, leg.leg]
        for entity, w in ints.items():
            got = got_of.get(entity, 0)
            if abs(got * scaled_total - leg.amount_ore * w) >= entity_unit * scaled_total:
                total = Fraction(sum(weights.values()))
                quota = Fraction(leg.amount_ore) * weights[entity] / total
                out.append(Violation("within-quota", f"entity {entity}, share {leg.leg + 1} of `{leg.group}` in "
                                     f"`{leg.pool}`: {kroner(got)} kr, exact quota {_ore(quota)} "
                                     f"(weight {weights[entity]} of {total}, of {kroner(leg.amount_ore)} kr)"))
    return out


def expectations(graph: Graph, tables: Mapping[str, Table], result: Result) -> list[Violation]:
    return [Violation("expectations", f"expected {c.description} {kroner(c.expected_ore)} kr, "
                      f"the spec gives {kroner(c.actual_ore)} kr" + (f" ({c.label})" if c.label else ""))
            for c in result.checks if not c.ok]


def _ore(value: Fraction) -> str:
    whole = value.numerator // value.denominator
    return f"{kroner(whole)} kr" if value.denominator == 1 else f"{kroner(whole)}+ kr ({value} øre exactly)"


def shares_balance(graph: Graph, tables: Mapping[str, Table], result: Result) -> list[Violation]:
    """Shares computed from data that do not add up are reported by the evaluator (V040, V041)."""
    return []


INVARIANTS: dict[str, Callable[[Graph, Mapping[str, Table], Result], list[Violation]]] = MappingProxyType({
    "no-over-collection": no_over_collection,
    "shares-balance": shares_balance,
    "conservation": conservation,
    "non-negative": non_negative,
    "within-quota": within_quota,
    "expectations": expectations,
})


# ---- one data set through the spec


@frozen
class DataSet(Record):
    """One generated input: every declared data set, and values for the spec's parameters."""

    tables: dict[str, Table]
    parameters: dict[str, Fraction | int] = attrs.Factory(dict)

    def _repr_pretty_(self, printer, cycle) -> None:
        """How hypothesis describes a data set it tries: the sizes, not thousands of rows (writing
        those out cost a tenth of a run)."""
        printer.text("DataSet(" + ", ".join(f"{name}: {len(t)}" for name, t in self.tables.items()) + ")")


@frozen
class Outcome(Record):
    violations: tuple[Violation, ...] = ()
    refusal: Diagnostic | None = None  # the spec's own error for data it cannot handle


def check_data(graph: Graph, data: DataSet) -> Outcome:
    """Evaluate the spec on one data set and check every invariant."""
    tables = data.tables
    if any(node.source is not None for node in graph.datasets.values()):
        tables, problems = derive(graph, tables)
        if problems:
            return Outcome(refusal=problems[0])
    result, diagnostics = evaluate(graph, tables, data.parameters or None)
    errors = [d for d in diagnostics if d.is_error]
    refused = [d for d in errors if d.code not in BROKEN_BY_CODE]
    if refused:  # data the spec cannot handle is no counterexample, whatever else it shows
        return Outcome(refusal=refused[0])
    if errors:
        return Outcome(tuple(Violation(BROKEN_BY_CODE[d.code], _diagnostic_text(d)) for d in errors))
    violations = [v for check in INVARIANTS.values() for v in check(graph, tables, result)]
    return Outcome(tuple(violations))


def _diagnostic_text(d: Diagnostic) -> str:
    text = d.message
    if d.notes:
        text += " (" + "; ".join(d.notes) + ")"
    return text + (f" [{d.code}, {d.span}]" if d.span else f" [{d.code}]")


# ---- generating data consistent with the declarations


@frozen
class DataPlan(Record):
    """How each declared data set is generated: from what the spec says about it and its declared size."""

    keys: dict[str, int]  # key -> most entities to generate
    subsets: dict[str, str]  # register used with `among` -> the key its members come from
    registers: dict[str, int]  # any other register -> most members to generate
    typical: dict[str, int]  # register -> its declared size: counts near it are tried often
    id_formats: dict[str, str]  # data set -> format of a generated id
    declared_ids: dict[str, tuple[str, ...]]  # data set -> the ids of its declared file, used first
    declared_rows: dict[str, tuple[dict[str, str], ...]]  # data set -> its declared rows (columns a fee reads)
    weight_columns: dict[str, str]  # key -> its weight column
    parameters: dict[str, tuple[str, Fraction | int | None]]  # parameter -> (kind, default) to vary


def plan(graph: Graph, declared: Mapping[str, Table], growth: Fraction = Fraction(0)) -> DataPlan:
    keys, subsets, registers, formats, typical = {}, {}, {}, {}, {}
    for pool in graph.pools:
        for leg in pool.legs:
            if leg.among is not None and leg.key is not None:  # a register made of another: its source
                subsets.setdefault(graph.datasets[leg.among].source or leg.among, leg.key)
    for name, node in graph.datasets.items():
        if node.source is not None:  # made of its source's generated rows (conditions.derive)
            continue
        formats[name] = "{:04d}" if node.entities == "municipalities" else "{:09d}"
        size = len(declared[name]) if name in declared else 0
        if node.kind == "key":
            keys[name] = max(1, min(size, MAX_KEY_ENTITIES))
        elif name not in subsets:
            registers[name] = max(1, size + size * growth.numerator // growth.denominator)
            typical[name] = max(1, size)
    # a register drawn from a key uses the key's ids
    for register, key in subsets.items():
        formats[register] = formats[key]
    # parameters that data does not count: price adjustments, amounts, counts; each varied around its default
    parameters = {name: ("adjustment" if name == graph.price_adjustment else node.kind, node.default)
                  for name, node in graph.parameters.items() if node.count_of is None}
    declared_ids = {name: table.ids for name, table in declared.items()}
    declared_rows = {name: table.rows for name, table in declared.items()}
    return DataPlan(keys=keys, subsets=subsets, registers=registers, typical=typical, id_formats=formats,
                    parameters=parameters, declared_ids=declared_ids, declared_rows=declared_rows,
                    weight_columns={name: node.weight_column for name, node in graph.datasets.items()
                                    if node.kind == "key" and node.weight_column})


def _members(data_plan: DataPlan, name: str, count: int, start: int = 0) -> tuple[list[str], list[dict]]:
    """`count` ids with their rows: the declared file's from row `start` on (wrapping round), then
    made-up ids in the declared kind's form whose rows repeat the declared ones (so a differentiated
    fee finds the columns its categories read)."""
    declared = list(data_plan.declared_ids.get(name, ()))
    rows = list(data_plan.declared_rows.get(name, ())) or [{}]
    if declared:
        start %= len(declared)
        declared, rows = declared[start:] + declared[:start], rows[start:] + rows[:start]
    real = declared[:count]
    if len(real) == count:
        return real, rows[:count]
    fmt = data_plan.id_formats[name]
    taken = set(real)
    made = (fmt.format(1000 + i if fmt == "{:04d}" else 900_000_000 + i) for i in itertools.count())
    ids = real + list(itertools.islice((i for i in made if i not in taken), count - len(real)))
    return ids, rows[:len(real)] + [rows[k % len(rows)] for k in range(len(real), len(ids))]


def data_strategy(graph: Graph, data_plan: DataPlan):
    """A hypothesis strategy for whole data sets: a DataSet with every declared data set and parameter."""
    from hypothesis import strategies as st

    weight = st.one_of(
        st.integers(1, 10),
        st.just(0),
        st.integers(10**6, 10**9),  # with the small ones: extreme ratios
        st.builds(Fraction, st.integers(0, 10**5), st.sampled_from([10, 100, 1000])),  # decimal weights
    )

    def rarely_empty(most: int, near: int | None = None):
        """0 in about one data set of twenty (the spec must refuse it), else 1..most, shrinking towards 1;
        counts from 90 % of `near` up to `most` are tried as often as the rest (where a fee tips over)."""
        some = st.integers(1, max(1, most))
        if near is not None and near * 9 // 10 < most:
            some = st.one_of(some, st.integers(max(1, near * 9 // 10), most))
        return st.integers(0, 19).flatmap(lambda r: st.just(0) if r == 13 else some)

    @st.composite
    def data(draw):
        tables: dict[str, Table] = {}
        for name, most in data_plan.keys.items():
            weights = draw(st.lists(weight, min_size=1, max_size=most), label=name)
            if not any(weights):
                weights[0] = 1  # a key with only zero weights is refused when it is read (D010)
            ids, rows = _members(data_plan, name, len(weights))
            column = data_plan.weight_columns.get(name)
            rows = [{**row, column: str(w)} if column else row for row, w in zip(rows, weights)]
            tables[name] = _table(name, "key", ids, weights, rows, column)
        for name, key in data_plan.subsets.items():
            ids = tables[key].ids
            if draw(rarely_empty(1), label=f"{name} is empty") == 0:
                chosen = [False] * len(ids)
            else:  # any subset from one member to all
                chosen = draw(st.lists(st.booleans(), min_size=len(ids), max_size=len(ids))
                              .filter(any), label=name)
            kept = [i for i, keep in zip(ids, chosen) if keep]
            # each member's row as declared (the columns a `where` tests), else its row in the key
            declared = dict(zip(data_plan.declared_ids.get(name, ()), data_plan.declared_rows.get(name, ())))
            in_key = dict(zip(ids, tables[key].rows))
            tables[name] = _table(name, "register", kept, rows=[declared.get(i) or in_key.get(i, {}) for i in kept])
        for name, most in data_plan.registers.items():
            count = draw(rarely_empty(most, data_plan.typical[name]), label=name)
            start = draw(st.integers(0, max(0, len(data_plan.declared_ids.get(name, ())) - 1)),
                         label=f"{name} starts at")
            ids, rows = _members(data_plan, name, count, start)
            tables[name] = _table(name, "register", ids, rows=rows)
        values = {name: draw(parameter(kind, default), label=name)
                  for name, (kind, default) in data_plan.parameters.items()}
        return DataSet(tables, values)

    def parameter(kind: str, default):
        """Price adjustments from 0 to 20 % (§ 17 lets NHN raise prices, not lower them), other percents
        from 0 to 100 %, to the tenth of a percent; amounts and counts from zero to twice their default;
        the default itself often."""
        if kind == "adjustment":
            return st.integers(0, 200).map(lambda tenths: Fraction(tenths, 1000))
        if kind == "percent":  # any other percent: a share, say, from 0 to 100 %
            return st.one_of(st.just(Fraction(default or 0)), st.integers(0, 1000).map(lambda t: Fraction(t, 1000)))
        top = max(2 * int(default or 0), 10)
        return st.one_of(st.just(int(default or 0)), st.integers(0, top))

    return data()


def _table(name: str, kind: str, ids: list[str], weights: list | None = None, rows: list | None = None,
           column: str | None = None) -> Table:
    w = {} if weights is None else {i: (int(x) if Fraction(x).denominator == 1 else x) for i, x in zip(ids, weights)}
    return Table(name, kind, "(generated)", tuple(ids), {}, w, tuple(rows or ()), column)


def describe_data(graph: Graph, data: DataSet, limit: int = 8) -> list[str]:
    """The data of a counterexample, a line per parameter and data set."""
    tables = data.tables
    lines = [f"parameter {name} = {format_value(graph.parameters[name].kind, value)}"
             for name, value in sorted(data.parameters.items())]
    for name in sorted(tables):
        t = tables[name]
        if t.kind == "key":
            items = [f"{i}={t.weights[i]}" for i in t.ids[:limit]]
            noun = "entity" if len(t) == 1 else "entities"
        else:
            items = list(t.ids[:limit])
            noun = "member" if len(t) == 1 else "members"
        more = f", … ({len(t) - limit} more)" if len(t) > limit else ""
        body = ": " + ", ".join(items) + more if items else " (empty)"
        lines.append(f"{t.kind} {name}: {len(t)} {noun}{body}")
    return lines


# ---- the search


@frozen
class Counterexample(Record):
    invariant: str
    violations: tuple[Violation, ...]
    data: tuple[str, ...]  # describe_data of the shrunk data set


@frozen
class Report(Record):
    seed: int
    examples: int  # data sets tried while searching
    refusals: dict[str, int]  # diagnostic code -> data sets refused with it
    refusal_messages: dict[str, str]  # diagnostic code -> one message
    checked: dict[str, int]  # invariant -> data sets it was checked on
    failures: dict[str, Counterexample]  # invariant -> its shrunk counterexample
    bounds: tuple[Bound, ...] = ()  # derived from the spec, exact (bounds.py)
    searched: bool = True  # False: the declared data failed the check, only the bounds were derived

    @property
    def ok(self) -> bool:
        return not self.failures and not any(b.failure for b in self.bounds)

    def broken(self, invariant: str) -> bool:
        return invariant in self.failures or any(b.failure for b in self.bounds if b.invariant == invariant)

    def proved(self, invariant: str) -> bool:
        """Its bounds settle it for every value varied: the search only confirms them."""
        return invariant in PROVABLE and not self.broken(invariant) and all(
            b.proved for b in self.bounds if b.invariant == invariant)

    @property
    def broken_count(self) -> int:
        return sum(self.broken(name) for name in INVARIANTS)


#: what can break these invariants beyond the spec's own rounding, which holds by construction (one
#: apportionment routine: parts never negative and never more than the whole), is what bounds.py derives:
#: a fee's member count, a computed share's inputs, a carry-over against the price adjustment
PROVABLE = ("no-over-collection", "shares-balance", "non-negative")


class _Broken(Exception):
    """Raised from the search: one subclass per invariant, so hypothesis keeps and shrinks each separately."""

    invariant = ""

    def __init__(self, outcome: Outcome, data: DataSet):
        super().__init__(self.invariant)
        self.outcome = outcome
        self.data = data


_BROKEN = MappingProxyType({name: type(f"Broken_{name.replace('-', '_')}", (_Broken,), {"invariant": name}) for name in INVARIANTS})


def verify(graph: Graph, declared: Mapping[str, Table], examples: int = DEFAULT_EXAMPLES, seed: int = 0,
           growth: Fraction = DEFAULT_GROWTH) -> Report:
    """Derive the spec's exact bounds, then search for data on which it breaks an invariant.
    The same seed gives the same run."""
    import warnings

    from hypothesis import HealthCheck, Phase, Verbosity, example, given, settings
    from hypothesis import seed as fix_seed
    from hypothesis.errors import HypothesisWarning

    bounds = derived_bounds(graph, declared).bounds
    data_plan = plan(graph, declared, growth)
    refusals: Counter[str] = Counter()
    messages: dict[str, str] = {}
    checked: Counter[str] = Counter()
    tried = [0]
    searching = [True]  # counts stop at the first failure: shrinking repeats data sets

    def one(data: DataSet):
        outcome = check_data(graph, data)
        if searching[0]:
            tried[0] += 1
            if outcome.refusal is not None:
                refusals[outcome.refusal.code] += 1
                messages.setdefault(outcome.refusal.code, outcome.refusal.message)
            else:
                failed = {v.invariant for v in outcome.violations}
                for name in INVARIANTS:
                    if name not in failed:
                        checked[name] += 1
        if outcome.violations:
            searching[0] = False
            raise _BROKEN[outcome.violations[0].invariant](outcome, data)

    test = given(data_strategy(graph, data_plan))(one)
    if all(name in declared for name in graph.datasets):
        test = example(DataSet(dict(declared)))(test)  # the declared data, at the declared parameters, first
    test = settings(max_examples=examples, database=None, deadline=None, derandomize=False,
                    suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet,
                    report_multiple_bugs=True,
                    phases=[Phase.explicit, Phase.generate, Phase.shrink])(test)
    test = fix_seed(seed)(test)
    failures: dict[str, Counterexample] = {}
    try:
        with _no_local_constants(), warnings.catch_warnings():
            # what hypothesis says about its own search is for hypothesis's users, not a spec's
            warnings.simplefilter("ignore", HypothesisWarning)
            test()
    except _Broken as exc:
        _record(graph, exc, failures)
    except BaseExceptionGroup as group:  # several invariants broken: hypothesis shrinks each
        broken, rest = group.split(_Broken)
        if rest is not None:
            raise rest
        for exc in broken.exceptions:
            _record(graph, exc, failures)
    return Report(seed, tried[0], dict(refusals), messages, dict(checked), failures, bounds)


def derived_bounds(graph: Graph, declared: Mapping[str, Table]) -> Report:
    """The spec's exact bounds alone, for its declared data and parameters (no search: no data sets)."""
    bounds = tuple(derive_bounds(graph, declared, parameter_values(graph, declared, None)))
    return Report(0, 0, {}, {}, {}, {}, bounds, searched=False)


def verify_file(path: str, data: Mapping[str, str] | None = None, examples: int = DEFAULT_EXAMPLES,
                seed: int = 0, growth: Fraction = DEFAULT_GROWTH, access: Access | None = None
                ) -> tuple[Report | None, list[Diagnostic]]:
    """`nhnprice verify`: compile the spec at `path`, read its data (`data` names other files for
    data sets; `access` says where the spec may read, see files.py), check the declared data as
    `nhnprice check` does, derive the bounds and search. No report, only the diagnostics, when the
    spec or its data cannot be read; the bounds alone (`searched` false) when the declared data
    fails the check: a spec `check` rejects is not verified."""
    access = access or Access.default()
    graph, diagnostics = compile_file(path, access.limits)
    if graph is None:
        return None, diagnostics
    tables, found = load_data(graph, data, access=access)
    diagnostics += found
    if has_errors(diagnostics):
        return None, diagnostics
    diagnostics += evaluate_graph(graph, tables)[1]
    if has_errors(diagnostics):
        try:
            return derived_bounds(graph, tables), diagnostics
        except Exception:  # the diagnostics are what matters; a bound that cannot be derived adds nothing
            return Report(0, 0, {}, {}, {}, {}, (), searched=False), diagnostics
    return verify(graph, tables, examples=examples, seed=seed, growth=growth), diagnostics


@contextmanager
def _no_local_constants():
    """Keep hypothesis from mixing constants it finds in "local" modules into the data.

    Which modules count as local depends on how nhnprice is installed (an
    editable install is local, a wheel in site-packages is not), so with them
    the same seed would give different runs on a developer's machine and in CI.
    This reaches into hypothesis's internals; if they change, nothing is patched.
    """
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants

        original = providers._get_local_constants
    except (ImportError, AttributeError):  # pragma: no cover - another hypothesis
        yield
        return
    empty = Constants()
    providers._get_local_constants = lambda: empty
    providers.CONSTANTS_CACHE.cache.clear()
    try:
        yield
    finally:
        providers._get_local_constants = original
        providers.CONSTANTS_CACHE.cache.clear()


def _record(graph: Graph, exc: _Broken, failures: dict[str, Counterexample]) -> None:
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            _record(graph, inner, failures)
        return
    mine = tuple(v for v in exc.outcome.violations if v.invariant == exc.invariant)
    failures.setdefault(exc.invariant, Counterexample(exc.invariant, mine, tuple(describe_data(graph, exc.data))))
