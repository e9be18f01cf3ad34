"""Static checks: names resolved, shares that add up, amounts in whole øre.

`analyse(spec)` returns every problem it finds, as diagnostics (it never stops
at the first), and what it resolved on the way: each share's exact value and
text, which the lowering pass builds the graph from. `resolve_shares` is the
one place that gives `equally` and `rest` their value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType

from nhnprice import nodes as n
from nhnprice.diagnostics import Diagnostic, did_you_mean, error, warning
from nhnprice.numbers import format_decimal
from nhnprice.printer import format_share
from nhnprice.readers import ENCODINGS
from nhnprice.record import Record, frozen
from nhnprice.reference import renumbering
from nhnprice.span import Span
from nhnprice.syntax import grammar_text

def _keywords() -> frozenset[str]:
    """Every word the grammar uses as a keyword: they cannot name groups, pools or data."""
    import re

    return frozenset(re.findall(r'"([a-zæøå][a-zæøå.-]*)"', grammar_text()))


RESERVED = _keywords()
#: said of a problem that no one line of the spec has (it is shown at the first line)
WHOLE_SPEC = "this is about the spec as a whole, not one line of it"


def share_text(share: n.Share) -> str:
    return format_share(share)


@frozen
class Resolved(Record):
    """A share as the checker resolved it: its exact value among its siblings (None when it is
    computed per run, or when the siblings do not add up) and its text as written."""

    entry: n.Entry
    value: Fraction | None
    text: str
    children: tuple[Resolved, ...] = ()


@frozen
class Checked(Record):
    """A checked spec: its problems, and each pool's shares resolved (by pool name)."""

    spec: n.Spec
    diagnostics: tuple[Diagnostic, ...]
    shares: Mapping[str, tuple[Resolved, ...]]


def resolve_shares(entries: Sequence[n.Entry], where: n.Pool | n.Entry,
                   diagnostics: list[Diagnostic] | None = None) -> list[Fraction] | None:
    """The exact share of each sibling, or None (with diagnostics) when they do not add up.

    Explicit shares (`95 %`, `1/3`, `half`) must sum to exactly 100 %, unless
    one sibling says `rest` (it takes what is left) or some say `equally`
    (they split what is left evenly).
    """
    out = diagnostics if diagnostics is not None else []
    if any(e.share.kind == "computed" for e in entries):
        return None  # computed shares are resolved, and checked, per run (evaluate.computed_shares)
    explicit = [e.share.value for e in entries if e.share.kind not in ("rest", "equally")]
    if any(v is None for v in explicit):
        return None  # a malformed share, reported on its own
    rests = [e for e in entries if e.share.kind == "rest"]
    equals = [e for e in entries if e.share.kind == "equally"]
    total = sum(explicit, Fraction(0))
    span = where.name.span if isinstance(where, n.Pool) else where.span
    what = f"pool `{where.name}`" if isinstance(where, n.Pool) else "this share"
    if len(rests) > 1:
        out.append(error("E201", "only one share of a split can be `rest`", rests[1].share.span,
                         "give the other shares explicit values"))
        return None
    if rests and equals:
        out.append(error("E201", "`rest` and `equally` cannot be mixed in one split", rests[0].share.span,
                         "use `equally` for every share that splits the remainder"))
        return None
    if total > 1:
        out.append(error("E202", f"the shares of {what} add up to {_pct(total)}, more than 100 %",
                         span, "the shares of a split must add up to exactly 100 %",
                         notes=[_listing(entries)]))
        return None
    if not rests and not equals:
        if total != 1:
            out.append(error("E203", f"the shares of {what} add up to {_pct(total)}, not 100 %", span,
                             f"{_pct(1 - total)} goes nowhere: give it to a group, or end the split with `rest`",
                             notes=[_listing(entries)]))
            return None
        return list(explicit)
    left = 1 - total
    if left == 0:
        culprit = (rests or equals)[0]
        out.append(error("E204", f"`{culprit.share.kind}` receives nothing: the other shares already make 100 %",
                         culprit.share.span, "remove it, or lower the explicit shares"))
        return None
    filler = left if rests else left / len(equals)
    it = iter(explicit)
    return [filler if e.share.kind in ("rest", "equally") else next(it) for e in entries]


def _pct(value: Fraction) -> str:
    pct = value * 100
    if pct.denominator == 1:
        return f"{pct.numerator} %"

    return f"{format_decimal(pct, 4, '.', '').rstrip('0').rstrip('.')} %"


def _listing(entries: Iterable[n.Entry]) -> str:
    return "shares: " + ", ".join(
        f"{e.group or e.label or '(unnamed)'} {share_text(e.share)}" for e in entries)


class _Checker:
    def __init__(self, spec: n.Spec):
        self.spec = spec
        self.out: list[Diagnostic] = []
        self.datasets: dict[str, n.Dataset] = {}
        self.groups: dict[str, n.Group] = {}
        self.pools: dict[str, n.Pool] = {}
        self.parameters: dict[str, n.Parameter] = {}
        self.shares: dict[str, tuple[Resolved, ...]] = {}

    def run(self) -> list[Diagnostic]:
        self.settings()
        for d in self.spec.of_type(n.Dataset):
            self.dataset(d)
        for p in self.spec.of_type(n.Parameter):
            self.parameter(p)
        self.adjustments(self.spec.of_type(n.Adjust))
        for g in self.spec.of_type(n.Group):
            self.declare(self.groups, g, "payer group")
        for g in self.spec.of_type(n.Group):
            self.group(g)
        for _, p in self.spec.pools():
            self.declare(self.pools, p, "pool")
        for _, p in self.spec.pools():
            self.pool(p)
        for section, e in self.spec.expectations():
            self.expect(e)
        self.unused_parameters()
        if not self.spec.pools():
            self.out.append(error("E100", "the spec has no cost pools", self.whole_spec(),
                                  'declare one with `pool NAME "Title" { cost ... }`', notes=[WHOLE_SPEC]))
        return self.out

    # ---- helpers
    def whole_spec(self) -> Span:
        """Where a problem of the spec as a whole is shown: its first line."""
        return Span(self.spec.file, 1, 1)

    def declare(self, table: dict, node, what: str) -> None:
        name = node.name.text
        if name in RESERVED:
            self.out.append(error("E108", f"`{name}` is a word of the language and cannot name a {what}",
                                  node.name.span, f"choose another name, e.g. `{name}_`"))
        if name in table:
            first = table[name].name.span
            self.out.append(error("E101", f"{what} `{name}` is declared twice", node.name.span,
                                  "give each a name of its own",
                                  notes=[f"first declared at {first}"] if first else []))
        else:
            table[name] = node

    def resolve(self, name: n.Name, table: dict, what: str, hint_all: Iterable[str] = ()) -> object | None:
        if name.text in table:
            return table[name.text]
        hint = did_you_mean(name.text, list(table) + list(hint_all))
        if hint is None and table:
            hint = f"known {what}s: " + ", ".join(sorted(table))
        self.out.append(error("E102", f"unknown {what} `{name.text}`", name.span, hint))
        return None

    def amount(self, amount: n.Amount, what: str, allow_negative: bool = False) -> None:
        if amount.ore.denominator != 1:
            self.out.append(error("E103", f"{what} is not a whole number of øre", amount.span,
                                  "amounts are exact to the øre; drop the extra decimals"))
        if amount.ore < 0 and not allow_negative:
            self.out.append(error("E104", f"{what} cannot be negative", amount.span))

    # ---- statements
    def settings(self) -> None:
        seen: dict[str, n.Setting] = {}
        for s in self.spec.of_type(n.Setting):
            if s.key in seen:
                self.out.append(error("E105", f"`{s.key.replace('_', ' ')}` is set twice", s.span,
                                      notes=[f"first set at {seen[s.key].span}"]))
            seen[s.key] = s
            if s.key.startswith("rounding_"):
                self.amount(s.value, "a rounding unit")
                if s.value.ore <= 0:
                    self.out.append(error("E106", "a rounding unit must be at least 1 øre", s.value.span))
        groups, entities = seen.get("rounding_groups"), seen.get("rounding_entities")
        if groups and entities and entities.value.ore > 0 and groups.value.ore % entities.value.ore:
            self.out.append(error("E109", "the group rounding unit must be a whole number of entity units",
                                  groups.value.span, "otherwise a group's amount cannot be paid out in "
                                  "whole entity units; e.g. groups to 0.1 mill, entities to 1 øre"))
        if "year" not in seen:
            self.out.append(error("E107", "the spec does not say which year it prices", self.whole_spec(),
                                  "add `year 2024` at the top", notes=[WHOLE_SPEC]))

    def derived(self, d: n.Dataset) -> None:
        """`register NAME from SOURCE where ...`: SOURCE a register declared before it, from a file."""
        if d.kind != "register":
            self.out.append(error("E180", "only a register can be made from another one's rows", d.name.span,
                                  f"write `register {d.name} from {d.source} where ...`"))
        source = self.resolve(d.source, self.datasets, "register")
        if source is not None and (source.kind != "register" or source.source is not None):
            what = "a key" if source.kind != "register" else "itself made from another register"
            self.out.append(error("E180", f"`{d.source}` is {what}", d.source.span,
                                  "make a register from a register read from a file; combine tests with `and`"))

    def dataset(self, d: n.Dataset) -> None:
        if d.source is not None:
            self.derived(d)
            self.declare(self.datasets, d, d.kind)
            return
        self.declare(self.datasets, d, d.kind)
        if d.file is None:
            self.out.append(error("E110", f"{d.kind} `{d.name}` has no `file`", d.name.span,
                                  'add `file "data/....csv"`, a path relative to the spec'))
        if d.id_column is None:
            self.out.append(error("E111", f"{d.kind} `{d.name}` does not say which column holds the ids",
                                  d.name.span, "add `id kommunenummer` or `id organisasjonsnummer`"))
        if d.kind == "key" and d.weight_column is None:
            self.out.append(error("E112", f"key `{d.name}` does not say which column holds the weights",
                                  d.name.span, "add `weight COLUMN`"))
        if d.kind == "register" and d.weight_column is not None:
            self.out.append(error("E113", f"register `{d.name}` cannot have a weight column",
                                  d.name.span, "declare it as a `key` to distribute by it"))
        if d.provenance is None:
            self.out.append(warning("W110", f"{d.kind} `{d.name}` does not say where its data comes from",
                                    d.name.span, 'add `provenance official|proxy|synthetic "..."`'))
        elif d.provenance.status != "synthetic" and d.date is None:
            self.out.append(warning("W111", f"{d.kind} `{d.name}` does not give the reference date of its data",
                                    d.provenance.span or d.name.span, 'add `date "2024-01-01"`: reports print it '
                                    "with the source"))
        self.layout(d)
        for s in d.splits:
            self.split(d, s)
        olds = [s.old for s in d.splits]
        for i, s in enumerate(d.splits):
            if s.old in olds[:i]:
                self.out.append(error("E117", f'`split "{s.old}"` is given twice in `{d.name}`', s.span,
                                      "keep one rule per municipality"))

    def layout(self, d: n.Dataset) -> None:
        if d.header_row is not None and d.header_row < 1:
            self.out.append(error("E114", "`header row` counts from 1", d.name.span))
        if d.last_row is not None and d.last_row <= (d.header_row or 1):
            self.out.append(error("E114", f"`last row {d.last_row}` is not below the header row "
                                  f"({d.header_row or 1})", d.name.span, "the last row read must come after the header"))
        if d.encoding is not None and d.encoding.lower() not in ENCODINGS:
            self.out.append(error("E115", f'unknown encoding "{d.encoding}"', d.name.span,
                                  'use "utf-8" (the default) or "cp1252" (Windows-1252, Latin-1)'))
        if d.numbering is not None and d.numbering < 2020:
            self.out.append(error("E116", f"nhnprice has no municipality numbers for {d.numbering}",
                                  d.name.span, "numbering 2020 to 2023 is mapped to 2024; later years use 2024's"))
        if (d.numbering is not None or d.splits) and d.entities != "municipalities":
            self.out.append(error("E116", f"`numbering` and `split` are for municipality numbers, and "
                                  f"`{d.name}` does not declare `entities municipalities`", d.name.span))

    def split(self, d: n.Dataset, s: n.Split) -> None:
        targets = [new for new, _ in renumbering().get(s.old, ())]
        if len(targets) < 2:
            became = f"it became {targets[0]}" if targets else "it is not a 2020–2023 municipality number"
            self.out.append(error("E117", f'`{s.old}` was not split in the 2024 renumbering: {became}', s.span,
                                  "only a municipality that became several needs a rule; "
                                  "1507 Ålesund became 1508 Ålesund and 1580 Haram"))
            return
        if s.method == "population":
            return
        ids = [p.id for p in s.parts]
        for p in s.parts:
            if p.id not in targets:
                self.out.append(error("E117", f"`{s.old}` became {' and '.join(targets)}, not `{p.id}`",
                                      p.span or s.span))
            if p.share is not None:
                self.share(p.share)
        if len(set(ids)) != len(ids):
            self.out.append(error("E117", f'a municipality is named twice in `split "{s.old}"`', s.span))
        shares = [p.share for p in s.parts if p.share is not None]
        if d.kind == "key":
            if len(shares) != len(s.parts):
                self.out.append(error("E118", f'every part of `split "{s.old}"` in a key needs its share', s.span,
                                      f'e.g. `split "{s.old}" into "1508" 89 %, "1580" 11 %`, '
                                      f'or `split "{s.old}" by population`'))
            elif all(sh.value is not None for sh in shares) and sum(sh.value for sh in shares) != 1:
                total = sum((sh.value for sh in shares), Fraction(0))
                self.out.append(error("E118", f'the shares of `split "{s.old}"` add up to {_pct(total)}, '
                                      "not 100 %", s.span, "the parts must take all of the old figure"))

    def parameter(self, p: n.Parameter) -> None:
        self.declare(self.parameters, p, "parameter")
        if p.count_of is not None:
            self.resolve(p.count_of, self.datasets, "register")
        elif p.kind == "count" and p.value.denominator != 1:
            self.out.append(error("E150", f"parameter `{p.name}` counts things and must be a whole number",
                                  p.span, "write a percent (`4 %`) or an amount (`2 mill`) for other values"))
        elif p.kind == "amount":
            self.amount(p.value, "the parameter", allow_negative=True)

    def parameter_of(self, name: n.Name, kind: str, use: str) -> None:
        p = self.resolve(name, self.parameters, "parameter")
        if p is not None and p.kind != kind:
            self.out.append(error("E151", f"{use} takes a {kind} parameter; `{name}` is a {p.kind}", name.span,
                                  f"declare e.g. `parameter {name} = "
                                  + {"percent": "0 %", "count": "count(REGISTER)", "amount": "0 kr"}[kind] + "`"))

    def adjustments(self, adjusts: list[n.Adjust]) -> None:
        for extra in adjusts[1:]:
            self.out.append(error("E152", "prices can be adjusted only once", extra.span,
                                  notes=[f"first adjusted at {adjusts[0].span}"]))
        for a in adjusts[:1]:
            self.parameter_of(a.parameter, "percent", "`adjust prices by`")
            if a.margin is not None:
                self.margin(a.margin)

    def carry_over(self, c: n.CarryOver | None) -> None:
        if c is not None:
            self.amount(c.amount, "the carry-over", allow_negative=True)
            if c.amount.ore == 0:
                self.out.append(warning("W150", "a carry-over of zero changes nothing", c.amount.span,
                                        "remove it"))

    def categories(self, g: n.Group) -> None:
        if g.fee is None:
            self.out.append(error("E160", "only a flat-fee group can have fee categories", g.categories[0].span,
                                  "categories differentiate `fee ... per member per month from REGISTER`"))
        if g.members is not None:
            self.out.append(error("E161", "a differentiated fee counts its members in the register, "
                                  "not by a parameter", g.members.span,
                                  "remove `members`: each member's category is read from its row"))
        if len({c.weight is None for c in g.categories}) > 1:
            self.out.append(error("E162", "fee categories use either weights or add-ons, not both",
                                  g.categories[0].span, "give every category a `weight N` or every one an "
                                  "`add-on AMOUNT` over the base fee"))
        seen: dict[str, n.Category] = {}
        for i, c in enumerate(g.categories):
            if c.name.text in seen:
                self.out.append(error("E163", f"category `{c.name}` is declared twice in `{g.name}`", c.name.span))
            seen[c.name.text] = c
            last = i == len(g.categories) - 1
            if c.rule is None and not last:
                self.out.append(error("E164", "only the last category can be `otherwise`", c.span,
                                      "members fall in the first category whose rule holds; "
                                      "the categories after `otherwise` would never be used"))
            if c.rule is not None and last:
                self.out.append(error("E164", "the last category must be `otherwise`", c.span,
                                      "every member must fall in some category"))
            if c.weight is not None and c.weight <= 0:
                self.out.append(error("E165", "a category's weight must be more than zero", c.span))
            if c.addon is not None:
                self.amount(c.addon, "the add-on")

    def group(self, g: n.Group) -> None:
        if g.categories:
            self.categories(g)
        self.carry_over(g.carry_over)
        if g.members is not None:
            if g.fee is None:
                self.out.append(error("E153", "only a flat-fee group counts its members", g.members.span,
                                      "`members PARAMETER` belongs with `fee ... from REGISTER`"))
            self.parameter_of(g.members, "count", "`members`")
        ways = [w for w in (g.by, g.fee, g.entity) if w is not None]
        if len(ways) != 1:
            problem = "does not say how" if not ways else "says more than one way"
            self.out.append(error("E120", f"payer group `{g.name}` {problem} its amount is distributed",
                                  g.name.span, "use exactly one of `by KEY`, "
                                  "`fee AMOUNT per member per month from REGISTER` or `entity \"ID\"`"))
        if g.within is not None:
            d = self.resolve(g.within, self.datasets, "key")
            if g.by is None:
                self.out.append(error("E190", "only a group distributed by a key can distribute further",
                                      g.within.span, "write `by KEY then by SUBKEY`"))
            if d is not None and (d.kind != "key" or d.parent_column is None):
                self.out.append(error("E191", f"`{g.within}` is not a key with a `parent` column", g.within.span,
                                      "declare the key with `parent COLUMN`: the column naming the entity "
                                      "each row belongs to"))
        if g.by is not None:
            d = self.resolve(g.by, self.datasets, "key")
            if d is not None and d.kind != "key":
                self.out.append(error("E121", f"`{g.by}` is a register, not a key", g.by.span,
                                      "a group is distributed `by` a key with weights"))
        if g.fee is not None:
            if g.fee.parameter is not None:
                self.parameter_of(g.fee.parameter, "amount", "`fee`")
            if g.fee.amount is not None:
                self.amount(g.fee.amount, "the fee")
            d = self.resolve(g.fee.register, self.datasets, "register")
            if d is not None and d.kind != "register":
                self.out.append(error("E122", f"`{g.fee.register}` is a key, not a register", g.fee.register.span,
                                      "members who pay a flat fee are counted in a `register`"))
        if g.margin is not None:
            if g.fee is None:
                self.out.append(error("E123", "only a flat-fee group can declare a margin", g.margin.span,
                                      "shares distributed by a key always collect exactly their amount"))
            self.margin(g.margin)
        if g.excess is not None and g.fee is None:
            self.out.append(error("E128", "only a flat-fee group can carry an excess over", g.excess.span,
                                  "shares distributed by a key always collect exactly their amount"))

    def margin(self, m: n.Margin) -> None:
        if m.amount is not None:
            self.amount(m.amount, "the margin")
        elif m.percent is not None and not (0 <= m.percent <= 1):
            self.out.append(error("E127", "a margin must be between 0 % and 100 % of what it is a margin on",
                                  m.span))

    def pool(self, p: n.Pool) -> None:
        if p.cost_parameter is not None:
            self.parameter_of(p.cost_parameter, "amount", "`cost`")
            if p.cost is not None:
                self.out.append(error("E004", "`cost` is given twice", p.cost_parameter.span, "keep one of them"))
        elif p.cost is None:
            self.out.append(error("E130", f"pool `{p.name}` has no cost", p.name.span, "add `cost 27.1 mill`"))
        else:
            self.amount(p.cost, "the cost")
        self.carry_over(p.carry_over)
        if not p.entries:
            self.out.append(error("E131", f"pool `{p.name}` is not shared by anyone", p.name.span,
                                  "add shares such as `rhf 50 %` and `kommuner 50 %`"))
            return
        self.shares.setdefault(p.name.text, self.entries(p.entries, p, group=None))

    def entries(self, entries: Sequence[n.Entry], parent: n.Pool | n.Entry, group: n.Group | None,
                among: n.Name | None = None) -> tuple[Resolved, ...]:
        """Checks the shares of one split, and returns them resolved."""
        for e in entries:
            self.share(e.share)
            if e.share.kind == "computed" and not isinstance(parent, n.Pool):
                self.out.append(error("E170", "a computed share can only be a pool's own share", e.share.span,
                                      "compute the outer share, and give the shares inside it fixed values"))
        values = resolve_shares(entries, parent, self.out) or [None] * len(entries)
        resolved = []
        for e, value in zip(entries, values):
            resolved.append(Resolved(e, value, format_share(e.share)))
            g = group
            if e.group is not None:
                if group is not None:
                    self.out.append(error("E132", f"`{e.group}` is inside the share of `{group.name}`",
                                          e.group.span, "a share belongs to one payer group; "
                                          "name the group on the outer share or on the inner ones, not both"))
                else:
                    g = self.resolve(e.group, self.groups, "payer group")
                    if g is None:
                        continue
            if e.by is not None:
                d = self.resolve(e.by, self.datasets, "key")
                if d is not None and d.kind != "key":
                    self.out.append(error("E121", f"`{e.by}` is a register, not a key", e.by.span))
            if e.among is not None and among is not None:
                self.out.append(error("E126", f"this share is already limited to `{among}`", e.among.span,
                                      f"a share is limited to one register; `among` on the outer share "
                                      f"({among.span}) holds for every share inside it"))
            if e.among is not None:
                d = self.resolve(e.among, self.datasets, "register", ())
                if d is not None and d.kind != "register":
                    self.out.append(error("E124", f"`{e.among}` is a key, not a register", e.among.span,
                                          "`among` takes a register: the entities the share is limited to"))
            if g is not None and (g.fee or g.entity) and (e.by is not None or e.among is not None):
                how = "pays a flat fee" if g.fee else "is a single payer"
                self.out.append(error("E125", f"`{g.name}` {how} and cannot be distributed by a key",
                                      (e.by or e.among).span, "remove `by`/`among` from this share"))
            if e.children:
                resolved[-1] = Resolved(e, value, resolved[-1].text, self.entries(e.children, e, g, among or e.among))
            elif g is None and e.group is None:
                self.out.append(error("E133", "this share goes to no payer group", e.span,
                                      "start the line with a group, e.g. `kommuner 45 %`"))
        return tuple(resolved)

    def expression(self, e: n.Expr) -> None:
        if isinstance(e, n.BinOp):
            self.expression(e.left)
            self.expression(e.right)
        elif isinstance(e, n.ParameterRef):
            p = self.resolve(e.name, self.parameters, "parameter")
            if p is not None and p.kind == "amount":
                self.out.append(error("E171", f"`{e.name}` is an amount; a share is computed from percents, "
                                      "counts and data", e.name.span, "use a percent or a count parameter"))
        elif isinstance(e, n.Aggregate):
            self.resolve(e.dataset, self.datasets, "key or register")

    def share(self, s: n.Share) -> None:
        if s.kind == "computed":
            self.expression(s.expr)
        elif s.kind == "fraction" and s.value is None:
            self.out.append(error("E140", "a fraction cannot divide by zero", s.span))
        elif s.value is not None and not (0 < s.value <= 1):
            self.out.append(error("E141", f"a share must be more than 0 % and at most 100 %, not {_pct(s.value)}",
                                  s.span))

    def expect(self, e: n.Expect) -> None:
        self.amount(e.amount, "the expected amount")
        for name in ((e.group,) if e.group is not None else ()) + e.more:
            self.resolve(name, self.groups, "payer group")
        for p in e.pools:
            self.resolve(p, self.pools, "pool")
        if e.fee:
            g = self.groups.get(e.group.text)
            if g is not None and g.fee is None:
                self.out.append(error("E142", f"`{e.group}` pays no flat fee", e.group.span,
                                      f"expect what it pays: `expect {e.group} pays AMOUNT`"))
            elif g is not None and e.category is not None and e.category.text not in {c.name.text for c in g.categories}:
                self.resolve(e.category, {c.name.text: c for c in g.categories}, "category")
            if e.pools:
                self.out.append(error("E142", "a fee is per member per month, not per pool", e.pools[0].span,
                                      "remove `in ...`"))

    def unused_parameters(self) -> None:
        """An amount parameter no rule uses would change nothing when set: refused, not ignored."""
        used = {a.parameter.text for a in self.spec.of_type(n.Adjust)}
        used |= {g.members.text for g in self.spec.of_type(n.Group) if g.members is not None}
        used |= {g.fee.parameter.text for g in self.spec.of_type(n.Group) if g.fee and g.fee.parameter}
        for _, p in self.spec.pools():
            if p.cost_parameter is not None:
                used.add(p.cost_parameter.text)
        for name, p in self.parameters.items():
            if p.kind == "amount" and name not in used:
                self.out.append(error("E155", f"amount parameter `{name}` is not used by any rule", p.name.span,
                                      f"use it as a pool's `cost {name}` or a group's `fee {name} per member per "
                                      "month from REGISTER`, or remove it: setting it would change nothing"))


def analyse(spec: n.Spec) -> Checked:
    """Every static problem of a parsed spec, in source order, and the shares it resolved."""
    checker = _Checker(spec)
    diagnostics = checker.run()
    return Checked(spec, tuple(diagnostics), MappingProxyType(checker.shares))


def check(spec: n.Spec) -> list[Diagnostic]:
    """Every static problem of a parsed spec, in source order."""
    return list(analyse(spec).diagnostics)
