"""Nodes to canonical text: the inverse of `syntax.parse`.

`print_spec(parse(text))` parses back to an equal Spec. The canonical form:
two-space indentation, one statement or field per line, fields of a block in a
fixed order, numbers with a decimal point and thousands grouped by a space.
"""

from __future__ import annotations

import re
from fractions import Fraction

from nhnprice import nodes as n
from nhnprice.money import format_decimal

UNIT_ORE = {"mill": 100_000_000, "kr": 100, "øre": 1}
_IDENT = re.compile(r"^[^\W\d]\w*$")


def format_number(value: Fraction) -> str:
    """Shortest exact decimal: 264.9, 1 570, 0.1."""
    decimals = 0
    while (value * 10**decimals).denominator != 1:
        decimals += 1
        if decimals > 12:  # not a finite decimal: cannot come from the parser
            raise ValueError(f"{value} has no exact decimal form")
    return format_decimal(value, decimals, ".", " ")


def format_amount(a: n.Amount) -> str:
    return f"{format_number(a.ore / UNIT_ORE[a.unit])} {a.unit}"


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def format_expr(e: n.Expr, parent: int = 0, right: bool = False) -> str:
    """A computed share's expression, with only the parentheses it needs."""
    if isinstance(e, n.Number):
        return e.text
    if isinstance(e, n.ParameterRef):
        return e.name.text
    if isinstance(e, n.Aggregate):
        return f"count({e.dataset})" if e.function == "count" else f"sum({e.dataset}, {_column(e.column)})"
    level = _PRECEDENCE[e.op]
    text = f"{format_expr(e.left, level)} {e.op} {format_expr(e.right, level, right=True)}"
    return f"({text})" if level < parent or (right and level == parent) else text


def format_share(s: n.Share) -> str:
    if s.kind == "computed":
        return f"({format_expr(s.expr)})"
    if s.kind == "percent":
        return f"{format_number(s.value * 100)} %"
    if s.kind == "fraction":
        v = s.value
        return f"{v.numerator}/{v.denominator}" if v is not None else "1/0"
    return s.kind


def _q(text: str) -> str:
    return f'"{text}"'


def _column(text: str) -> str:
    return text if _IDENT.match(text) else _q(text)


def _title(title: str | None) -> str:
    return f" {_q(title)}" if title is not None else ""


def _dataset(d: n.Dataset) -> list[str]:
    """Fields in a fixed order; `None` means the field is absent."""
    provenance = d.provenance and f"{d.provenance.status} {_q(d.provenance.text)}"
    fields = [("file", d.file, _q), ("id", d.id_column, _column), ("name", d.name_column, _column),
              ("weight", d.weight_column, _column), ("entities", d.entities, str), ("provenance", provenance, str),
              ("date", d.date, _q), ("sheet", d.sheet, _q), ("header row", d.header_row, str),
              ("last row", d.last_row, str), ("encoding", d.encoding, _q), ("numbering", d.numbering, str)]
    lines = [f"{d.kind} {d.name}{_title(d.title)} {{"]
    lines += [f"  {word} {form(value)}" for word, value, form in fields if value is not None]
    lines += [f"  {_split(s)}" for s in d.splits]
    lines.append("}")
    return lines


def _split(s: n.Split) -> str:
    if s.method == "population":
        return f"split {_q(s.old)} by population"
    parts = [_q(p.id) + (f" {format_share(p.share)}" if p.share is not None else "") for p in s.parts]
    return f"split {_q(s.old)} into " + ", ".join(parts)


def _carry_over(c: n.CarryOver) -> str:
    sign = "+" if c.amount.ore > 0 else ""
    return f"carry-over {sign}{format_amount(c.amount)} {_q(c.reference)}"


def _parameter(p: n.Parameter) -> list[str]:
    if p.count_of is not None:
        value = f"count({p.count_of})"
    elif p.kind == "percent":
        value = f"{format_number(p.value * 100)} %"
    elif p.kind == "amount":
        value = format_amount(p.value)
    else:
        value = format_number(p.value)
    return [f"parameter {p.name} = {value}{_title(p.description)}"]


def _group(g: n.Group) -> list[str]:
    parts = [f"group {g.name}{_title(g.title)}"]
    if g.by is not None:
        parts.append(f"by {g.by}")
    if g.fee is not None:
        fee = "solve" if g.fee.amount is None else format_amount(g.fee.amount)
        parts.append(f"fee {fee} per member per month from {g.fee.register}")
    if g.members is not None:
        parts.append(f"members {g.members}")
    if g.margin is not None:
        m = g.margin
        parts.append("margin " + (format_amount(m.amount) if m.amount is not None
                                  else f"{format_number(m.percent * 100)} %"))
    if g.outside:
        parts.append("outside regulation")
    if g.entity is not None:
        ident, name = g.entity
        parts.append(f"entity {_q(ident)}" + (f" {_q(name)}" if name is not None else ""))
    if g.carry_over is not None:
        parts.append(_carry_over(g.carry_over))
    if not g.categories:
        return [" ".join(parts)]
    return [" ".join(parts) + " categories {"] + [f"  {_category(c)}" for c in g.categories] + ["}"]


def _category(c: n.Category) -> str:
    price = f"weight {format_number(c.weight)}" if c.weight is not None else f"add-on {format_amount(c.addon)}"
    if c.rule is None:
        rule = "otherwise"
    else:
        rule = "when " + " or ".join(
            " and ".join(f"{_column(t.column)} {t.op} {format_number(t.value)}" for t in conjunction)
            for conjunction in c.rule)
    return f"{c.name}{_title(c.title)} {price} {rule}"


def _entry(e: n.Entry, indent: str) -> list[str]:
    head = [format_share(e.share)]
    if e.group is not None:
        head.insert(0, e.group.text)
    if e.by is not None:
        head.append(f"by {e.by}")
    if e.among is not None:
        head.append(f"among {e.among}")
    if e.label is not None:
        head.append(_q(e.label))
    line = indent + " ".join(head)
    if not e.children:
        return [line]
    lines = [line + " {"]
    for child in e.children:
        lines.extend(_entry(child, indent + "  "))
    lines.append(indent + "}")
    return lines


def _pool(p: n.Pool, indent: str) -> list[str]:
    lines = [f"{indent}pool {p.name}{_title(p.title)} {{"]
    inner = indent + "  "
    if p.cost is not None:
        lines.append(f"{inner}cost {format_amount(p.cost)}")
    if p.reference is not None:
        lines.append(f"{inner}reference {_q(p.reference)}")
    if p.note is not None:
        lines.append(f"{inner}note {_q(p.note)}")
    if p.carry_over is not None:
        lines.append(f"{inner}{_carry_over(p.carry_over)}")
    for e in p.entries:
        lines.extend(_entry(e, inner))
    lines.append(indent + "}")
    return lines


def _expect(e: n.Expect, indent: str) -> list[str]:
    who = f"{e.group} pays" if e.group is not None else "all pay"
    text = f"{indent}expect {who} {format_amount(e.amount)}"
    if e.pools:
        text += " in " + ", ".join(p.text for p in e.pools)
    if e.label is not None:
        text += f" {_q(e.label)}"
    return [text]


def _section(s: n.Section) -> list[str]:
    lines = [f"section {_q(s.heading)}{_title(s.title)} {{"]
    previous = None
    for item in s.items:
        kind = type(item)
        if previous is n.Pool or (previous is not None and kind is not previous):
            lines.append("")
        lines.extend(_pool(item, "  ") if kind is n.Pool else _expect(item, "  "))
        previous = kind
    lines.append("}")
    return lines


def _setting(s: n.Setting) -> list[str]:
    if s.key.startswith("rounding_"):
        return [f"rounding {s.key.removeprefix('rounding_')} to {format_amount(s.value)}"]
    value = s.value if s.key == "year" else _q(s.value)
    return [f"{s.key} {value}"]


def _kind(s: n.Statement) -> str:
    if isinstance(s, n.Setting):
        return "rounding" if s.key.startswith("rounding_") else "header"
    return type(s).__name__


def print_spec(spec: n.Spec) -> str:
    """The canonical text of a spec."""
    lines: list[str] = []
    previous = None
    for s in spec.statements:
        kind = _kind(s)
        block = isinstance(s, (n.Dataset, n.Section, n.Pool))
        if previous is not None and (kind != previous or block):
            lines.append("")
        if isinstance(s, n.Setting):
            lines.extend(_setting(s))
        elif isinstance(s, n.Dataset):
            lines.extend(_dataset(s))
        elif isinstance(s, n.Group):
            lines.extend(_group(s))
        elif isinstance(s, n.Parameter):
            lines.extend(_parameter(s))
        elif isinstance(s, n.Adjust):
            lines.append(f"adjust prices by {s.parameter}")
        elif isinstance(s, n.Section):
            lines.extend(_section(s))
        elif isinstance(s, n.Pool):
            lines.extend(_pool(s, ""))
        else:
            lines.extend(_expect(s, ""))
        previous = kind
    return "\n".join(lines) + "\n"
