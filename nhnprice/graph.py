"""The allocation graph: what a checked spec means, ready to evaluate.

pools -> legs -> payer groups -> entities. A leg is one root-to-leaf path of
a pool's nested shares: its exact share of the pool (the product of the
shares on the way), the group it goes to and how that group distributes it.
Every step keeps the span and legal reference of the rule that made it, so an
explanation can cite it.
"""

from __future__ import annotations

import re
from fractions import Fraction
from types import MappingProxyType

import attrs

from nhnprice.municipalities import SplitRule
from nhnprice.record import Record, frozen
from nhnprice.span import Span


def _span():
    return attrs.field(default=None, eq=False, repr=False, kw_only=True)


# ---- a computed share's expression, as the graph holds it: evaluated per run by shares.py


@frozen
class Number(Record):
    """A constant: `30 %` is 3/10, `2` is 2; `text` as written."""

    value: Fraction
    text: str
    span: Span | None = _span()


@frozen
class ParameterValue(Record):
    """The run's value of a percent or count parameter."""

    name: str
    span: Span | None = _span()


@frozen
class RowCount(Record):
    """`count(DATASET)`: how many rows the data set has."""

    dataset: str
    span: Span | None = _span()


@frozen
class ColumnSum(Record):
    """`sum(DATASET, column)`: the column's exact total."""

    dataset: str
    column: str
    span: Span | None = _span()


@frozen
class Arithmetic(Record):
    op: str  # + - * /
    left: Expr
    right: Expr
    span: Span | None = _span()


Expr = Number | ParameterValue | RowCount | ColumnSum | Arithmetic

_PRECEDENCE = MappingProxyType({"+": 1, "-": 1, "*": 2, "/": 2})
_IDENT = re.compile(r"^[^\W\d]\w*$")


def expr_text(e: Expr, parent: int = 0, right: bool = False) -> str:
    """The expression as the spec's language writes it, with only the parentheses it needs."""
    if isinstance(e, Number):
        return e.text
    if isinstance(e, ParameterValue):
        return e.name
    if isinstance(e, RowCount):
        return f"count({e.dataset})"
    if isinstance(e, ColumnSum):
        column = e.column if _IDENT.match(e.column) else f'"{e.column}"'
        return f"sum({e.dataset}, {column})"
    level = _PRECEDENCE[e.op]
    text = f"{expr_text(e.left, level)} {e.op} {expr_text(e.right, level, right=True)}"
    return f"({text})" if level < parent or (right and level == parent) else text


# ---- the graph


@frozen
class Step(Record):
    """One share on the way from a pool to a leg: `95 %` of `kommuner`."""

    share: Fraction
    text: str  # as written: `95 %`, `half`, `equally`
    label: str | None = None
    span: Span | None = _span()


@frozen
class Leg(Record):
    group: str
    share: Fraction  # of the pool: the product of the steps
    steps: tuple[Step, ...]
    key: str | None = None  # the key that distributes it (None: fee or single entity)
    among: str | None = None  # the register it is limited to
    top: int = 0  # which of the pool's own shares it descends from
    span: Span | None = _span()

    @property
    def label(self) -> str | None:
        return next((s.label for s in reversed(self.steps) if s.label), None)


@frozen
class PoolNode(Record):
    id: str
    title: str
    cost_ore: int
    legs: tuple[Leg, ...]
    reference: str | None = None
    section: str | None = None
    section_title: str | None = None
    note: str | None = None
    carry_over_ore: int = 0
    carry_over_reference: str | None = None
    cost_parameter: str | None = None  # `cost NAME`: the cost is this amount parameter's value per run
    # when some of the pool's own shares are computed: each one's (kind, value, expression), and
    # every leg's `share` is then relative to its top share (evaluate.computed_legs)
    computed: tuple[tuple[str, Fraction | None, Expr | None], ...] | None = None
    span: Span | None = _span()

    def group_shares(self, legs: tuple[Leg, ...] | None = None) -> dict[str, Fraction]:
        """Each group's exact share of this pool, summed over its legs."""
        out: dict[str, Fraction] = {}
        for leg in self.legs if legs is None else legs:
            out[leg.group] = out.get(leg.group, Fraction(0)) + leg.share
        return out


@frozen
class GroupNode(Record):
    id: str
    title: str
    key: str | None = None
    fee_ore: int | None = None  # per member per month
    fee_register: str | None = None
    margin_ore: int | None = None
    margin_share: Fraction | None = None
    # `excess carried over`: what the fee collects beyond its share is settled in a later year's payment
    excess_carried_over: bool = False
    excess_reference: str | None = None
    outside: bool = False
    entity: tuple[str, str | None] | None = None
    fee_solve: bool = False  # `fee solve`: the largest whole-krone fee within the share
    fee_parameter: str | None = None  # `fee NAME`: the fee is this amount parameter's value per run
    members_parameter: str | None = None  # counts the members instead of the register
    carry_over_ore: int = 0
    carry_over_reference: str | None = None
    categories: tuple[CategoryNode, ...] = ()
    within: str | None = None  # `then by KEY`: each entity's amount on to its sub-entities
    span: Span | None = _span()
    fee_span: Span | None = _span()

    @property
    def pays_fee(self) -> bool:
        return self.fee_register is not None


@frozen
class CategoryNode(Record):
    """A fee category: `rule` is a disjunction of conjunctions of (column, op, value); None matches all."""

    id: str
    title: str
    weight: Fraction | None
    addon_ore: int | None
    rule: tuple[tuple[tuple[str, str, Fraction], ...], ...] | None
    span: Span | None = _span()


@frozen
class ParameterNode(Record):
    """A declared parameter: its kind (percent | amount | count) and default.

    `default` is a Fraction for a percent (of 1), øre for an amount, a whole
    number for a count; None when it is the row count of data set `count_of`."""

    name: str
    kind: str
    default: Fraction | int | None
    count_of: str | None = None
    description: str | None = None
    span: Span | None = _span()


@frozen
class DatasetNode(Record):
    name: str
    kind: str  # key | register
    title: str | None
    path: str  # as resolved against the spec's folder
    declared_path: str  # as written in the spec
    id_column: str
    name_column: str | None
    weight_column: str | None
    entities: str | None
    provenance: str | None  # official | proxy | synthetic
    provenance_text: str | None
    date: str | None
    sheet: str | None = None
    header_row: int = 1
    last_row: int | None = None
    encoding: str | None = None
    numbering: int | None = None
    splits: tuple[SplitRule, ...] = ()
    parent_column: str | None = None  # the column naming the entity each row belongs to (`then by`)
    source: str | None = None  # a register made of this data set's rows that pass `where`
    where: tuple[tuple[tuple[str, str, object], ...], ...] | None = None
    span: Span | None = _span()


@frozen
class ExpectNode(Record):
    group: str | None  # None: every group inside the regulation
    amount_ore: int
    pools: tuple[str, ...]
    label: str | None = None
    more: tuple[str, ...] = ()  # further groups whose amounts are added to `group`'s
    fee: bool = False  # the flat fee per member per month (of `category`), not an amount in pools
    category: str | None = None
    span: Span | None = _span()

    @property
    def groups(self) -> tuple[str, ...]:
        return (self.group,) + self.more if self.group else ()

    def describe(self) -> str:
        if self.fee:
            return f"{self.group} fee" + (f" {self.category}" if self.category else "") + " per member per month"
        who = f"{', '.join(self.groups)} pay" if self.more else f"{self.group} pays" if self.group else "all pay"
        return f"{who} in {', '.join(self.pools)}"


@frozen
class Graph(Record):
    file: str
    title: str
    year: int
    source: str | None
    group_unit_ore: int
    entity_unit_ore: int
    datasets: dict[str, DatasetNode]
    groups: dict[str, GroupNode]
    pools: tuple[PoolNode, ...]
    expectations: tuple[ExpectNode, ...]
    parameters: dict[str, ParameterNode] = attrs.Factory(dict)
    price_adjustment: str | None = None  # the percent parameter of `adjust prices by`
    fee_unit_ore: int = 100  # `rounding fees to`: the unit a price-adjusted fee is rounded to
    adjustment_margin_ore: int | None = None  # `adjust prices by P margin AMOUNT`
    adjustment_margin_share: Fraction | None = None  # `adjust prices by P margin PERCENT` (of the adjusted costs)
    adjustment_span: Span | None = _span()  # the `adjust prices by` statement

    def pool(self, pool_id: str) -> PoolNode:
        return next(p for p in self.pools if p.id == pool_id)
