"""Nodes to canonical text: the inverse of `syntax.parse`, and `nhnprice fmt`.

`print_spec(parse(text))` parses back to an equal Spec. The canonical form:
two-space indentation, one statement or field per line, fields of a block in a
fixed order, statements in source order with one blank line between kinds and
around blocks, numbers with a decimal point and thousands grouped by a space,
amounts in `mill` with at least one decimal (`17.0 mill`, as the regulation
writes them).

Comments are kept: each printed line remembers the source line of the node it
came from, and a comment goes back before the node that followed it in the
source (or after the code it trailed), so reordering fields moves comments
with their fields.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from nhnprice import nodes as n
from nhnprice.numbers import UNIT_ORE, format_number

_IDENT = re.compile(r"^[^\W\d]\w*$")


def format_amount(a: n.Amount) -> str:
    value = a.ore / UNIT_ORE[a.unit]
    text = format_number(value)
    if a.unit == "mill" and value.denominator == 1:
        text += ".0"
    return f"{text} {a.unit}"


_PRECEDENCE = MappingProxyType({"+": 1, "-": 1, "*": 2, "/": 2})


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


#: a printed line: the source line of the node it came from (None: unknown) and its text
Line = tuple[int | None, str]


def _at(node, end: bool = False) -> int | None:
    span = getattr(node, "span", None)
    if span is None:
        return None
    return (span.end_line or span.line) if end else span.line


def condition_text(rule) -> str:
    """`a >= 5 or b = "ENK" and c = yes`: a condition as written."""
    def test(t: n.Comparison) -> str:
        value = t.value
        shown = ("yes" if value else "no") if isinstance(value, bool) else _q(value) if isinstance(value, str) \
            else format_number(value)
        return f"{_column(t.column)} {t.op} {shown}"

    return " or ".join(" and ".join(test(t) for t in conjunction) for conjunction in rule)


def _dataset(d: n.Dataset) -> list[Line]:
    """Fields in a fixed order; `None` means the field is absent."""
    if d.source is not None:
        return [(_at(d), f"{d.kind} {d.name}{_title(d.title)} from {d.source} where {condition_text(d.where)}")]
    provenance = d.provenance and f"{d.provenance.status} {_q(d.provenance.text)}"
    # (word, value, how it is written, the key its source line is kept under)
    fields = [("file", d.file, _q, "file"), ("id", d.id_column, _column, "id_column"),
              ("name", d.name_column, _column, "name_column"), ("weight", d.weight_column, _column, "weight_column"),
              ("parent", d.parent_column, _column, "parent_column"),
              ("entities", d.entities, str, "entities"), ("provenance", provenance, str, "provenance"),
              ("date", d.date, _q, "date"), ("sheet", d.sheet, _q, "sheet"),
              ("header row", d.header_row, str, "header_row"), ("last row", d.last_row, str, "last_row"),
              ("encoding", d.encoding, _q, "encoding"), ("numbering", d.numbering, str, "numbering")]
    lines: list[Line] = [(_at(d), f"{d.kind} {d.name}{_title(d.title)} {{")]
    lines += [(d.field_lines.get(key), f"  {word} {form(value)}") for word, value, form, key in fields
              if value is not None]
    lines += [(_at(s), f"  {_split(s)}") for s in d.splits]
    lines.append((_at(d, end=True), "}"))
    return lines


def _split(s: n.Split) -> str:
    if s.method == "population":
        return f"split {_q(s.old)} by population"
    parts = [_q(p.id) + (f" {format_share(p.share)}" if p.share is not None else "") for p in s.parts]
    return f"split {_q(s.old)} into " + ", ".join(parts)


def _carry_over(c: n.CarryOver) -> str:
    sign = "+" if c.amount.ore > 0 else ""
    return f"carry-over {sign}{format_amount(c.amount)} {_q(c.reference)}"


def _parameter(p: n.Parameter) -> list[Line]:
    if p.count_of is not None:
        value = f"count({p.count_of})"
    elif p.kind == "percent":
        value = f"{format_number(p.value * 100)} %"
    elif p.kind == "amount":
        value = format_amount(p.value)
    else:
        value = format_number(p.value)
    return [(_at(p), f"parameter {p.name} = {value}{_title(p.description)}")]


def _adjust(a: n.Adjust) -> list[Line]:
    margin = f" {_margin(a.margin)}" if a.margin is not None else ""
    return [(_at(a), f"adjust prices by {a.parameter}{margin}")]


def _margin(m: n.Margin) -> str:
    return "margin " + (format_amount(m.amount) if m.amount is not None else f"{format_number(m.percent * 100)} %")


def _group(g: n.Group) -> list[Line]:
    parts = [f"group {g.name}{_title(g.title)}"]
    if g.by is not None:
        parts.append(f"by {g.by}")
    if g.within is not None:
        parts.append(f"then by {g.within}")
    if g.fee is not None:
        fee = g.fee.parameter.text if g.fee.parameter is not None else \
            "solve" if g.fee.amount is None else format_amount(g.fee.amount)
        parts.append(f"fee {fee} per member per month from {g.fee.register}")
    if g.members is not None:
        parts.append(f"members {g.members}")
    if g.margin is not None:
        parts.append(_margin(g.margin))
    if g.excess is not None:
        parts.append("excess carried over" + (f" {_q(g.excess.reference)}" if g.excess.reference else ""))
    if g.outside:
        parts.append("outside regulation")
    if g.entity is not None:
        ident, name = g.entity
        parts.append(f"entity {_q(ident)}" + (f" {_q(name)}" if name is not None else ""))
    if g.carry_over is not None:
        parts.append(_carry_over(g.carry_over))
    if not g.categories:
        return [(_at(g), " ".join(parts))]
    return ([(_at(g), " ".join(parts) + " categories {")] + [(_at(c), f"  {_category(c)}") for c in g.categories]
            + [(_at(g, end=True), "}")])


def _category(c: n.Category) -> str:
    price = f"weight {format_number(c.weight)}" if c.weight is not None else f"add-on {format_amount(c.addon)}"
    if c.rule is None:
        rule = "otherwise"
    else:
        rule = "when " + condition_text(c.rule)
    return f"{c.name}{_title(c.title)} {price} {rule}"


def _entry(e: n.Entry, indent: str) -> list[Line]:
    head = [format_share(e.share)]
    if e.group is not None:
        head.insert(0, e.group.text)
    if e.by is not None:
        head.append(f"by {e.by}")
    if e.among is not None:
        head.append(f"among {e.among}" + (f" where {condition_text(e.among_where)}" if e.among_where else ""))
    if e.label is not None:
        head.append(_q(e.label))
    line = indent + " ".join(head)
    if not e.children:
        return [(_at(e), line)]
    lines: list[Line] = [(_at(e), line + " {")]
    for child in e.children:
        lines.extend(_entry(child, indent + "  "))
    lines.append((_at(e, end=True), indent + "}"))
    return lines


def _pool(p: n.Pool, indent: str) -> list[Line]:
    lines: list[Line] = [(_at(p), f"{indent}pool {p.name}{_title(p.title)} {{")]
    inner = indent + "  "
    if p.cost is not None:
        lines.append((_at(p.cost), f"{inner}cost {format_amount(p.cost)}"))
    if p.cost_parameter is not None:
        lines.append((_at(p.cost_parameter), f"{inner}cost {p.cost_parameter}"))
    if p.reference is not None:
        lines.append((p.field_lines.get("reference"), f"{inner}reference {_q(p.reference)}"))
    if p.note is not None:
        lines.append((p.field_lines.get("note"), f"{inner}note {_q(p.note)}"))
    if p.carry_over is not None:
        lines.append((_at(p.carry_over), f"{inner}{_carry_over(p.carry_over)}"))
    for e in p.entries:
        lines.extend(_entry(e, inner))
    lines.append((_at(p, end=True), indent + "}"))
    return lines


def _expect(e: n.Expect, indent: str) -> list[Line]:
    who = f"{e.group} pays" if e.group is not None else "all pay"
    if e.more:
        who = ", ".join(g.text for g in (e.group,) + e.more) + " pay"
    if e.fee:
        who = f"{e.group} fee" + (f" {e.category}" if e.category is not None else "")
    text = f"{indent}expect {who} {format_amount(e.amount)}"
    if e.pools:
        text += " in " + ", ".join(p.text for p in e.pools)
    if e.label is not None:
        text += f" {_q(e.label)}"
    return [(_at(e), text)]


def _section(s: n.Section) -> list[Line]:
    lines: list[Line] = [(_at(s), f"section {_q(s.heading)}{_title(s.title)} {{")]
    previous = None
    for item in s.items:
        kind = type(item)
        if previous is n.Pool or (previous is not None and kind is not previous):
            lines.append((None, ""))
        lines.extend(_pool(item, "  ") if kind is n.Pool else _expect(item, "  "))
        previous = kind
    lines.append((_at(s, end=True), "}"))
    return lines


def _setting(s: n.Setting) -> list[Line]:
    if s.key.startswith("rounding_"):
        return [(_at(s), f"rounding {s.key.removeprefix('rounding_')} to {format_amount(s.value)}")]
    value = s.value if s.key == "year" else _q(s.value)
    return [(_at(s), f"{s.key} {value}")]


def _kind(s: n.Statement) -> str:
    if isinstance(s, n.Setting):
        return "rounding" if s.key.startswith("rounding_") else "header"
    if isinstance(s, n.Adjust):  # `adjust prices by P` stays with the parameters it uses
        return "Parameter"
    return type(s).__name__


_PRINTERS = MappingProxyType({n.Setting: _setting, n.Dataset: _dataset, n.Group: _group, n.Parameter: _parameter,
                              n.Adjust: _adjust, n.Section: _section,
                              n.Pool: lambda s: _pool(s, ""), n.Expect: lambda s: _expect(s, "")})


def _lines(spec: n.Spec) -> list[Line]:
    lines: list[Line] = []
    previous = None
    for s in spec.statements:
        kind = _kind(s)
        block = isinstance(s, (n.Dataset, n.Section, n.Pool))
        if previous is not None and (kind != previous or block):
            lines.append((None, ""))
        lines.extend(_PRINTERS[type(s)](s))
        previous = kind
    return lines


def _indent(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _with_comments(lines: list[Line], comments: tuple[n.Comment, ...]) -> list[str]:
    """Put each comment back: before the node that followed it, or after the code it trailed."""
    before: dict[int, list[n.Comment]] = {}
    trailing: dict[int, list[str]] = {}
    at_end: list[n.Comment] = []
    known = sorted({origin for origin, _ in lines if origin is not None})
    for c in comments:
        if c.own_line:
            target = next((o for o in known if o > c.line), None)
            (before.setdefault(target, []) if target is not None else at_end).append(c)
            continue
        candidates = [i for i, (o, _) in enumerate(lines) if o is not None and o <= c.line]
        exact = [i for i in candidates if lines[i][0] == c.line]
        index = (exact or candidates or [len(lines) - 1])[-1]
        trailing.setdefault(index, []).append(c.text)

    def block(cs: list[n.Comment], indent: str) -> list[str]:
        lines = []
        for c in cs:
            previous = (lines or out or [""])[-1]
            if c.blank_before and previous.strip() and not previous.endswith("{"):
                lines.append("")  # a blank line the writer put before a comment stays
            lines.append(indent + c.text)
            if c.blank_after:
                lines.append("")
        return lines

    out: list[str] = []
    placed: set[int] = set()
    for i, (origin, text) in enumerate(lines):
        if origin in before and origin not in placed:
            placed.add(origin)
            indent = _indent(text) + ("  " if text.strip() == "}" else "")
            out.extend(block(before[origin], indent))
        if i in trailing:
            text = "  ".join([text, *trailing[i]])
        out.append(text)
    if at_end:
        if out and out[-1]:
            out.append("")
        out.extend(block(at_end, ""))
        while out and not out[-1]:
            out.pop()
    return out


def print_spec(spec: n.Spec) -> str:
    """The canonical text of a spec, with its comments."""
    return "\n".join(_with_comments(_lines(spec), spec.comments)) + "\n"
