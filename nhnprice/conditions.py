"""Tests on a register's columns, for fee categories and filtered registers.

A rule is a disjunction of conjunctions of tests `(column, op, value)`:

- a threshold, `omsetning_kr >= 5 000 000`: the column read as an exact number;
- a text, `organisasjonsform = "ENK"` (or `!=`): the column's text, blanks at
  either end removed, compared exactly;
- a yes/no flag, `egen_avtale = yes`: the column read as yes (`ja`, `yes`, `j`,
  `y`, `true`, `1`, `x`) or no (`nei`, `no`, `n`, `false`, `0`, empty), in any case.

A value that cannot be read as the test needs is a problem with the file's row,
never a guess. `derive` makes the registers a spec declares with
`register NAME from SOURCE where RULE` out of their sources.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType

import attrs

from nhnprice.diagnostics import Diagnostic, error
from nhnprice.numbers import format_number, parse_weight
from nhnprice.span import Span

YES = frozenset({"ja", "j", "yes", "y", "true", "1", "x"})
NO = frozenset({"nei", "n", "no", "false", "0", ""})
_OPS = MappingProxyType({">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt})


def _kind(value) -> str:
    return "flag" if isinstance(value, bool) else "text" if isinstance(value, str) else "number"


def rule_text(rule) -> str:
    """`a >= 5 or b = "ENK" and c = yes`: a rule of (column, op, value) as a spec writes it."""
    def shown(value) -> str:
        return ("yes" if value else "no") if isinstance(value, bool) else f'"{value}"' if isinstance(value, str) \
            else format_number(value)

    return " or ".join(" and ".join(f"{col} {op} {shown(value)}" for col, op, value in conj) for conj in rule)


def needs(rules) -> set[tuple[str, str]]:
    """The (column, how it is read) pairs the rules test."""
    return {(col, _kind(value)) for rule in rules if rule for conj in rule for col, _, value in conj}


def read(text: str, kind: str, decimal_comma: bool) -> Fraction | str | bool | None:
    """A cell read as a test needs it; None when it cannot be."""
    if kind == "text":
        return text.strip()
    if kind == "flag":
        word = text.strip().casefold()
        return True if word in YES else False if word in NO else None
    return parse_weight(text, decimal_comma)


def holds(rule, values: Mapping[tuple[str, str], object]) -> bool:
    """Whether a row, read into `values` by `read`, passes the rule (None: every row does)."""
    if rule is None:
        return True
    for conj in rule:
        for col, op, value in conj:
            got = values[col, _kind(value)]
            passed = _OPS[op](got, value) if op in _OPS else (got == value) == (op == "=")
            if not passed:
                break
        else:
            return True
    return False


_WANTED = MappingProxyType({"number": "a number (12 or 12,5)", "flag": "yes or no (ja/nei, yes/no, 1/0)",
                            "text": "a text"})


def row_values(table, index: int, ident: str, row: Mapping[str, str], needed: set[tuple[str, str]],
               declared_at: Span | None, what: str, declared: str = "the rule is"
               ) -> tuple[dict | None, list[Diagnostic]]:
    """One row's values for `needed`, or the problems with its cells (V031: not a number, V032: not yes/no)."""
    values, problems = {}, []
    for col, kind in needed:
        value = read(row.get(col, ""), kind, table.decimal_comma)
        if value is None:
            where, notes = declared_at, []
            if table.lines:  # the register's row; the spec's rule in a note
                where = Span(table.path, table.lines[index], 1)
                notes = [f'sheet "{table.sheet}", row {table.lines[index]}'] if table.sheet else []
                notes += [f"{declared} declared at {declared_at}"] if declared_at else []
            message = f"the `{col}` of `{ident}` is not %s: `{row.get(col, '').strip()}`"
            hint = f"`{col}` must be {_WANTED[kind]} for {what}"
            problems.append(error("V031", message % "a number", where, hint, notes) if kind == "number" else
                            error("V032", message % "yes or no", where, hint, notes))
        values[col, kind] = value
    return (None if problems else values), problems


def missing_columns(table, needed: set[tuple[str, str]]) -> list[str]:
    header = set(table.rows[0]) if table.rows else {col for col, _ in needed}
    return sorted({col for col, _ in needed} - header)


def derive(graph, tables: Mapping) -> tuple[dict, list[Diagnostic]]:
    """`tables` with every derived register added: its source's rows that pass its rule, in order."""
    out = dict(tables)
    problems: list[Diagnostic] = []
    for name, node in graph.datasets.items():
        if node.source is None or node.source not in out:
            continue
        source = out[node.source]
        needed = needs([node.where])
        missing = missing_columns(source, needed)
        if missing:
            problems.append(error("V033", f"register `{node.source}` has no column "
                                  f"{', '.join(f'`{m}`' for m in missing)} for `{name}`", node.span,
                                  "columns: " + ", ".join(sorted(source.rows[0])) if source.rows else None))
            continue
        keep, found = [], []
        for i, (ident, row) in enumerate(zip(source.ids, source.rows)):
            values, bad = row_values(source, i, ident, row, needed, node.span, f"`{name}`")
            found += bad
            if values is not None and holds(node.where, values):
                keep.append(i)
        if found:
            problems += found[:10]
            continue
        ids = tuple(source.ids[i] for i in keep)
        out[name] = attrs.evolve(
            source, name=name, ids=ids, rows=tuple(source.rows[i] for i in keep),
            names={k: source.names[k] for k in ids if k in source.names},
            weights={k: source.weights[k] for k in ids if k in source.weights},
            lines=tuple(source.lines[i] for i in keep) if source.lines else ())
    return out, problems
