"""Sweeps: one compiled spec evaluated over a list or range of values, or over a grid of two.

`--set NAME=FROM..TO:STEP` sweeps a range (both ends included), `--set "NAME=A;B;C"`
a list (`;` separates the values, since `,` may be a decimal mark); two such
settings sweep every combination of their values (members × prisjustering).
Each point is a full, exact evaluation of the graph, which reads no text.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import product

from nhnprice.diagnostics import Diagnostic, error
from nhnprice.graph import Graph
from nhnprice.params import Value, format_value, sweep_values

MOST_POINTS = 100_000
MOST_AXES = 2


def is_swept(text: str) -> bool:
    return ".." in text or ";" in text


def axes(graph: Graph, settings: Mapping[str, str]) -> tuple[list[tuple[str, list[Value]]], dict[str, str],
                                                                list[Diagnostic]]:
    """The swept parameters with their values, the settings left for every point, and the problems."""
    swept = [name for name, text in settings.items() if is_swept(text)]
    rest = {name: text for name, text in settings.items() if name not in swept}
    if not 1 <= len(swept) <= MOST_AXES:
        return [], rest, [error("U007", f"a sweep needs one or two `--set NAME=FROM..TO:STEP` or "
                                f"`--set \"NAME=A;B;C\"`" + (f", not {len(swept)}" if swept else ""),
                                hint="e.g. --set medlemmer=5000..30000:5000 --set \"prisjustering=0%;2%;4%\"")]
    found: list[tuple[str, list[Value]]] = []
    problems: list[Diagnostic] = []
    for name in swept:
        values, bad = sweep_values(graph, name, settings[name])
        problems += bad
        found.append((name, values))
    points = 1
    for _, values in found:
        points *= max(1, len(values))
    if points > MOST_POINTS:
        problems.append(error("U005", f"{points} points are too many for one sweep",
                              hint="use fewer values or a larger STEP"))
    return found, rest, problems


def points(found: list[tuple[str, list[Value]]]) -> list[dict[str, Value]]:
    """Every combination of the swept values, the last parameter varying fastest."""
    names = [name for name, _ in found]
    return [dict(zip(names, combination)) for combination in product(*(values for _, values in found))]


def row(graph: Graph, point: Mapping[str, Value], result) -> dict:
    """One point's figures: each swept value as text, then each fee's and group's figures (None: errors)."""
    out: dict = {name: format_value(graph.parameters[name].kind, value) for name, value in point.items()}
    if len(point) == 1:
        out["value"] = next(iter(out.values()))
    out["ok"] = result is not None
    if result is not None:
        for f in result.fees:
            out[f"{f.group}.fee_ore_per_month"] = f.fee_ore_per_month
            out[f"{f.group}.members"] = f.members
            out[f"{f.group}.collected_ore"] = f.collected_ore
            out[f"{f.group}.deviation_ore"] = f.deviation_ore
        for g in graph.groups:
            out[f"{g}.amount_ore"] = sum(a.amount_ore for a in result.groups if a.group == g)
    return out
