"""Parameters: the values a run may change without editing the spec.

A spec declares `parameter NAME = VALUE`; a run overrides it with
`--set NAME=VALUE`, with a scenario file (a named set of overrides), or, in a
sweep, with a range `FROM..TO:STEP`. Values are exact: a percent is a
Fraction of 1, an amount is whole øre, a count is a whole number. Everything
here is checked against the compiled graph once, so that evaluating many
scenarios never reads text again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType

from nhnprice.diagnostics import Diagnostic, did_you_mean, error
from nhnprice.files import Limits, Unreadable, read_bytes
from nhnprice.graph import Graph, ParameterNode
from nhnprice.numbers import format_decimal, kroner, parse_number, percent_text, unit_ore
from nhnprice.span import Span

Value = Fraction | int

_LITERAL = re.compile(r"^\s*(?P<number>[-+]?\d[\d \u00a0\u202f]*(?:[.,]\d+)?)\s*(?P<unit>%|mill\.?|kroner|kr|NOK|øre)?\s*$")
EXAMPLES = MappingProxyType({"percent": "4%", "amount": "1 570 kr", "count": "15000"})


class BadValue(ValueError):
    """A parameter value that cannot be read; the message says why."""


def read_value(text: str) -> tuple[str, Value]:
    """`4%` -> ("percent", 1/25); `1 570 kr` -> ("amount", 157000); `15 000` -> ("count", 15000)."""
    match = _LITERAL.match(text)
    if not match:
        raise BadValue(f"`{text}` is not a percent (4%), an amount (1 570 kr, 2.5 mill) or a count (15000)")
    value = parse_number(match["number"])
    unit = match["unit"]
    if unit == "%":
        return "percent", value / 100
    if unit is not None:
        ore = value * unit_ore(unit)
        if ore.denominator != 1:
            raise BadValue(f"`{text}` is not a whole number of øre")
        return "amount", int(ore)
    if value.denominator != 1:
        raise BadValue(f"`{text}` is not a whole number; write a percent or an amount with its unit")
    return "count", int(value)


def format_value(kind: str, value: Value) -> str:
    if kind == "percent":
        return percent_text(value)
    if kind == "amount":
        return f"{kroner(int(value), ',', ' ')} kr"
    return format_decimal(value, 0, ",", " ")


def _unknown(graph: Graph, name: str, origin: str) -> Diagnostic:
    hint = did_you_mean(name, graph.parameters)
    if hint is None:
        hint = ("declared: " + ", ".join(sorted(graph.parameters))) if graph.parameters else \
            'the spec declares no parameters; add e.g. `parameter prisjustering = 0 % "..."`'
    return error("U002", f"{origin}: the spec declares no parameter `{name}`", hint=hint)


def typed_value(node: ParameterNode, text: str, origin: str) -> tuple[Value | None, list[Diagnostic]]:
    """`text` read as a value of parameter `node`'s kind, or a diagnostic."""
    try:
        kind, value = read_value(text)
    except BadValue as exc:
        return None, [error("U003", f"{origin}: {exc}", hint=f"e.g. {node.name}={EXAMPLES[node.kind]}")]
    if kind == "count" and node.kind == "amount":
        kind = None  # an amount needs its unit
    if kind != node.kind:
        return None, [error("U004", f"{origin}: `{node.name}` is {'an' if node.kind == 'amount' else 'a'} "
                                    f"{node.kind}, `{text}` is not", hint=f"e.g. {node.name}={EXAMPLES[node.kind]}")]
    if kind == "count" and value < 0:
        return None, [error("U003", f"{origin}: a count cannot be negative", hint=f"e.g. {node.name}=15000")]
    if kind == "percent" and value <= -1:
        return None, [error("U003", f"{origin}: a price adjustment of {text} would leave nothing to pay")]
    return value, []


def read_overrides(graph: Graph, overrides: Mapping[str, str], origin: str = "--set") -> tuple[dict[str, Value], list[Diagnostic]]:
    """Textual overrides checked against the parameters the spec declares."""
    values: dict[str, Value] = {}
    out: list[Diagnostic] = []
    for name, text in overrides.items():
        node = graph.parameters.get(name)
        if node is None:
            out.append(_unknown(graph, name, f"{origin} {name}={text}"))
            continue
        value, found = typed_value(node, text, f"{origin} {name}={text}")
        out += found
        if value is not None:
            values[name] = value
    return values, out


def parameter_values(graph: Graph, tables: Mapping, overrides: Mapping[str, Value] | None = None) -> dict[str, Value]:
    """Every parameter's value for one run: its default (a data count if so declared), or the override."""
    values: dict[str, Value] = {}
    for name, node in graph.parameters.items():
        if overrides and name in overrides:
            values[name] = overrides[name]
        elif node.count_of is not None:
            values[name] = len(tables[node.count_of])
        else:
            values[name] = node.default
    return values


def sweep_values(graph: Graph, name: str, text: str) -> tuple[list[Value], list[Diagnostic]]:
    """`5000..30000:5000` -> [5000, 10000, ..., 30000]: FROM to TO inclusive, in exact steps;
    `0%;2,5%;4%` -> the listed values, in the order given (`;` between them: `,` may be a decimal mark)."""
    origin = f"--set {name}={text}"
    node = graph.parameters.get(name)
    if node is None:
        return [], [_unknown(graph, name, origin)]
    if ";" in text and ".." not in text:
        listed = []
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            value, found = typed_value(node, part, origin)
            if found:
                return [], found
            listed.append(value)
        return listed, [] if listed else [error("U005", f"{origin}: the list has no values",
                                                 hint=f'e.g. "{name}={_example_list(node.kind)}"')]
    first, dots, rest = text.partition("..")
    last, colon, step_text = rest.partition(":")
    if not (dots and colon and first.strip() and last.strip() and step_text.strip()):
        return [], [error("U005", f"{origin}: a sweep needs a range FROM..TO:STEP",
                          hint=f"e.g. {name}={_example_range(node.kind)}")]
    ends = []
    for part in (first, last, step_text):
        value, found = typed_value(node, part.strip(), origin)
        if found:
            return [], found
        ends.append(value)
    start, stop, step = ends
    if step <= 0 or stop < start:
        return [], [error("U005", f"{origin}: FROM must not exceed TO, and STEP must be positive",
                          hint=f"e.g. {name}={_example_range(node.kind)}")]
    count = int((stop - start) // step) + 1
    if count > 100_000:
        return [], [error("U005", f"{origin}: {count} steps are too many for one sweep", hint="use a larger STEP")]
    return [start + i * step for i in range(count)], []


def _example_list(kind: str) -> str:
    return {"percent": "0%;2,5%;4%", "amount": "100 kr;150 kr", "count": "6687;15000"}[kind]


def _example_range(kind: str) -> str:
    return {"percent": "0%..5%:1%", "amount": "0 kr..100 kr:10 kr", "count": "5000..30000:5000"}[kind]


def load_scenario(path: str) -> tuple[str | None, dict[str, str], list[Diagnostic]]:
    """A scenario file (TOML): `name`, optional `description`, and a `[set]` table of overrides."""
    import tomllib

    where = Span(path, 1, 1)
    try:
        data = tomllib.loads(read_bytes(path, Limits.from_env().file_mb, "scenario file").decode("utf-8"))
    except Unreadable as exc:
        return None, {}, [error("U006", exc.message, hint=exc.hint)]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, {}, [error("U006", f"{path} is not a scenario file: {exc}", where,
                                'write `name = "..."` and a `[set]` table, e.g. `prisjustering = "4 %"`')]
    values = data.get("set")
    if not isinstance(values, dict):
        return None, {}, [error("U006", f"{path} has no `[set]` table of overrides", where,
                                'add `[set]` followed by lines such as `prisjustering = "4 %"`')]
    out: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            problems.append(error("U006", f"{path}: `{name}` must be a number or a quoted value such as \"4 %\"",
                                  where))
            continue
        out[name] = str(value)
    name = data.get("name")
    return (str(name) if name is not None else None), out, problems
