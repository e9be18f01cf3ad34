"""The surface language: frozen attrs nodes, one per construct of the grammar.

Nodes only hold data. Children are tuples, changes go through `attrs.evolve`,
and every node's `span` is ignored by equality so that a printed and
re-parsed spec compares equal to the original.
"""

from __future__ import annotations

from fractions import Fraction

import attrs

from nhnprice.record import Record, frozen
from nhnprice.span import Span


def _span():
    return attrs.field(default=None, eq=False, repr=False, kw_only=True)


@frozen
class Name(Record):
    """An identifier as written: a group, pool, key or register name."""

    text: str
    span: Span | None = _span()

    def __str__(self) -> str:
        return self.text


@frozen
class Amount(Record):
    """A money literal. `ore` is exact (a Fraction: the checker rejects
    literals that are not whole øre); `unit` is how it was written:
    `mill`, `kr` or `øre`."""

    ore: Fraction
    unit: str
    span: Span | None = _span()


@frozen
class Number(Record):
    """A constant in a computed share: `30 %` is 3/10, `2` is 2."""

    value: Fraction
    text: str  # as printed: `30 %`, `1/3`, `2`
    span: Span | None = _span()


@frozen
class ParameterRef(Record):
    name: Name
    span: Span | None = _span()


@frozen
class Aggregate(Record):
    """`count(REGISTER)` (rows) or `sum(KEY, column)` (the column's total) of a data set."""

    function: str  # count | sum
    dataset: Name
    column: str | None = None
    span: Span | None = _span()


@frozen
class BinOp(Record):
    op: str  # + - * /
    left: Expr
    right: Expr
    span: Span | None = _span()


Expr = Number | ParameterRef | Aggregate | BinOp


@frozen
class Share(Record):
    """`95 %`, `1/3`, `half`, `equally`, `rest` or `(EXPRESSION)`. `value` is
    None for `equally` and `rest` (resolved against their siblings by the
    checker) and for a computed share (evaluated per run from `expr`)."""

    kind: str  # percent | fraction | half | equally | rest | computed
    value: Fraction | None
    expr: Expr | None = None
    span: Span | None = _span()


@frozen
class Entry(Record):
    """One share of a pool, or of a share: `kommuner 95 % { ... }`."""

    group: Name | None
    share: Share
    by: Name | None = None
    among: Name | None = None
    label: str | None = None
    children: tuple[Entry, ...] = ()
    among_where: tuple[tuple[Comparison, ...], ...] | None = None  # `among REGISTER where ...`
    span: Span | None = _span()


@frozen
class CarryOver(Record):
    """`carry-over -2.5 mill "ref"`: an earlier over- (negative) or under-payment (positive)."""

    amount: Amount
    reference: str
    span: Span | None = _span()


@frozen
class Pool(Record):
    """A cost pool: one component of a national e-health solution."""

    name: Name
    title: str | None
    cost: Amount | None
    reference: str | None = None
    cost_parameter: Name | None = None  # `cost NAME`: an amount parameter
    note: str | None = None
    entries: tuple[Entry, ...] = ()
    carry_over: CarryOver | None = None
    span: Span | None = _span()
    #: the source line of each field (`reference`, `note`), for keeping comments in place
    field_lines: dict[str, int] = attrs.field(factory=dict, eq=False, repr=False, kw_only=True)


@frozen
class Fee(Record):
    """A flat fee per member per month, members taken from a register.
    `amount` None is `fee solve`: the largest whole-krone fee within the share."""

    amount: Amount | None
    register: Name
    parameter: Name | None = None  # `fee NAME per member ...`: an amount parameter
    span: Span | None = _span()


@frozen
class ExcessPolicy(Record):
    """`excess carried over "ref"`: what a flat fee collects beyond its share is settled in a later year."""

    reference: str | None = None
    span: Span | None = _span()


@frozen
class Margin(Record):
    """How much a flat-fee group may collect above its share."""

    amount: Amount | None = None
    percent: Fraction | None = None
    span: Span | None = _span()


@frozen
class Comparison(Record):
    """`omsetning_kr >= 5 000 000`: a threshold on a register column; or a test of a text column
    (`organisasjonsform = "ENK"`, op `=` or `!=`, value a str) or of a yes/no column (value a bool)."""

    column: str
    op: str  # >= | <= | > | < | = | !=
    value: Fraction | str | bool
    span: Span | None = _span()


@frozen
class Category(Record):
    """One size category of a differentiated fee.

    `weight` (the fee is weight × a unit price) or `addon` (the fee is a base
    fee plus the add-on); `rule` is a disjunction of conjunctions of
    comparisons, or None for `otherwise`."""

    name: Name
    title: str | None
    weight: Fraction | None = None
    addon: Amount | None = None
    rule: tuple[tuple[Comparison, ...], ...] | None = None
    span: Span | None = _span()


@frozen
class Group(Record):
    """A payer group and how it distributes its amount among its members."""

    name: Name
    title: str | None
    by: Name | None = None
    fee: Fee | None = None
    margin: Margin | None = None
    excess: ExcessPolicy | None = None
    outside: bool = False
    entity: tuple[str, str | None] | None = None
    members: Name | None = None  # a parameter that counts the members instead of the register
    within: Name | None = None  # `then by KEY`: each entity's amount on to its sub-entities
    carry_over: CarryOver | None = None
    categories: tuple[Category, ...] = ()
    span: Span | None = _span()


@frozen
class Parameter(Record):
    """`parameter prisjustering = 0 % "..."`: a named value `--set` may override.

    `kind` is percent | amount | count; `value` is a Fraction (a percent as a
    fraction of 1), an Amount, or a number of things (a Fraction the checker
    requires to be whole); `count_of` names a register whose row count is the
    default instead."""

    name: Name
    kind: str
    value: Fraction | Amount | None
    description: str | None = None
    count_of: Name | None = None
    span: Span | None = _span()


@frozen
class Adjust(Record):
    """`adjust prices by prisjustering` (§ 17), with the margin rounding up may use (`margin 0.1 mill`)."""

    parameter: Name
    margin: Margin | None = None
    span: Span | None = _span()


@frozen
class Provenance(Record):
    status: str  # official | proxy | synthetic
    text: str
    span: Span | None = _span()


@frozen
class SplitPart(Record):
    """One municipality a renumbered one became, with its share (None: `by population`, or a register)."""

    id: str
    share: Share | None = None
    span: Span | None = _span()


@frozen
class Split(Record):
    """`split "1507" by population` or `split "1507" into "1508" 60 %, "1580" 40 %`."""

    old: str
    method: str  # population | into
    parts: tuple[SplitPart, ...] = ()
    span: Span | None = _span()


@frozen
class Dataset(Record):
    """A key (entity -> weight) or a register (a list of entities)."""

    kind: str  # key | register
    name: Name
    title: str | None
    file: str | None = None
    id_column: str | None = None
    name_column: str | None = None
    weight_column: str | None = None
    parent_column: str | None = None  # a key's column naming the entity each row belongs to
    entities: str | None = None  # municipalities | organisations
    provenance: Provenance | None = None
    date: str | None = None
    sheet: str | None = None  # XLSX: the sheet to read (default: the first)
    header_row: int | None = None  # the row that names the columns (default 1)
    last_row: int | None = None  # the last row read (default: the last row of the file)
    encoding: str | None = None  # CSV: utf-8 (default) or cp1252
    numbering: int | None = None  # the year whose municipality numbers the file uses
    splits: tuple[Split, ...] = ()
    source: Name | None = None  # `register NAME from SOURCE where ...`: made of SOURCE's rows
    where: tuple[tuple[Comparison, ...], ...] | None = None  # the test the rows of SOURCE must pass
    span: Span | None = _span()
    file_span: Span | None = _span()
    field_lines: dict[str, int] = attrs.field(factory=dict, eq=False, repr=False, kw_only=True)


@frozen
class Expect(Record):
    """`expect rhf pays 127.4 mill in helsenettet, vkp`; group None is `all pay`.

    `expect rhf, kommuner pay ...`: `more` holds the groups after the first.
    `expect ovrige fee 1 570 kr` (`fee` True): the flat fee per member per month as stated,
    of one category with `expect ovrige fee stor 2 000 kr`."""

    group: Name | None
    amount: Amount
    pools: tuple[Name, ...] = ()
    label: str | None = None
    more: tuple[Name, ...] = ()
    fee: bool = False
    category: Name | None = None
    span: Span | None = _span()


@frozen
class Section(Record):
    """A paragraph of the regulation (`section "§ 13" "..." { ... }`)."""

    heading: str
    title: str | None
    items: tuple[Pool | Expect, ...] = ()
    span: Span | None = _span()


@frozen
class Setting(Record):
    """`title`, `year`, `source` and `rounding groups|entities to AMOUNT`."""

    key: str  # title | year | source | rounding_groups | rounding_entities | rounding_fees
    value: str | int | Amount
    span: Span | None = _span()


Statement = Setting | Dataset | Group | Section | Pool | Expect | Parameter | Adjust


@frozen
class Comment(Record):
    """A `# ...` comment: trivia kept for `nhnprice fmt`, meaningless to every other pass."""

    text: str  # from the `#`, trailing blanks removed
    line: int
    own_line: bool  # nothing but blanks before it on its line (else it trails code)
    blank_after: bool = False  # an empty line follows it in the source
    blank_before: bool = False  # an empty line precedes it in the source


@frozen
class Spec(Record):
    file: str = attrs.field(eq=False)
    statements: tuple[Statement, ...] = ()
    comments: tuple[Comment, ...] = attrs.field(default=(), eq=False)

    def settings(self) -> dict[str, Setting]:
        return {s.key: s for s in self.statements if isinstance(s, Setting)}

    def pools(self) -> list[tuple[Section | None, Pool]]:
        out: list[tuple[Section | None, Pool]] = []
        for s in self.statements:
            if isinstance(s, Pool):
                out.append((None, s))
            elif isinstance(s, Section):
                out.extend((s, p) for p in s.items if isinstance(p, Pool))
        return out

    def expectations(self) -> list[tuple[Section | None, Expect]]:
        out: list[tuple[Section | None, Expect]] = []
        for s in self.statements:
            if isinstance(s, Expect):
                out.append((None, s))
            elif isinstance(s, Section):
                out.extend((s, e) for e in s.items if isinstance(e, Expect))
        return out

    def of_type(self, cls: type) -> list:
        return [s for s in self.statements if isinstance(s, cls)]
