"""The passes in order: parse -> check -> lower -> load data -> evaluate.

Each step returns what it made and the diagnostics it found; the pipeline
stops after a step that found errors, so that one mistake is reported once
and not again by every later pass.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from fractions import Fraction

import attrs

from nhnprice import cache
from nhnprice.data import Table
from nhnprice.diagnostics import Diagnostic, error, has_errors
from nhnprice.evaluate import Result, evaluate
from nhnprice.graph import Graph
from nhnprice.money import mill_exact
from nhnprice.progress import quiet


def compile_file(path: str) -> tuple[Graph | None, list[Diagnostic]]:
    """Parse, check and lower a spec file (or take the result from the cache, see cache.py)."""
    text = cache.file_bytes(path)
    # the graph holds paths as the spec was named (relative to the working directory), so both are in the key
    name = cache.key("spec", os.getcwd(), path, text) if text is not None else None
    if name is not None:
        hit = cache.get(name)
        if hit is not None:
            graph, diagnostics = hit
            return graph, list(diagnostics)
    # the compiler proper, imported only when the cache cannot answer
    from nhnprice.check import check
    from nhnprice.lower import lower
    from nhnprice.syntax import parse_file

    spec, diagnostics = parse_file(path, text)  # the bytes of the key: a file changed meanwhile is not cached wrongly
    if spec is None:
        return None, diagnostics
    diagnostics += check(spec)
    if has_errors(diagnostics):
        return None, diagnostics
    graph = lower(spec)
    if name is not None:
        cache.put(name, (graph, tuple(diagnostics)))
    return graph, diagnostics


def load_data(graph: Graph, overrides: Mapping[str, str] | None = None,
              progress: Callable[..., None] = quiet) -> tuple[dict[str, Table], list[Diagnostic]]:
    """Every data set the spec declares; `overrides` maps a data set's name to another file."""
    overrides = dict(overrides or {})
    diagnostics: list[Diagnostic] = []
    for name in overrides:
        if name not in graph.datasets:
            from nhnprice.diagnostics import did_you_mean

            diagnostics.append(error("U001", f"--data {name}=...: the spec declares no data set `{name}`",
                                     hint=did_you_mean(name, graph.datasets) or
                                     "declared: " + ", ".join(sorted(graph.datasets))))
    tables: dict[str, Table] = {}
    files = {name: node for name, node in graph.datasets.items() if node.source is None}
    for i, (name, node) in enumerate(files.items(), start=1):
        progress(f"reading {name}", i, len(files))
        table, found = load_dataset(node, overrides.get(name), graph.year)
        diagnostics += found
        if table is not None:
            tables[name] = table
    if len(files) < len(graph.datasets):  # registers made of another's rows (`from ... where`)
        from nhnprice.conditions import derive

        tables, found = derive(graph, tables)
        diagnostics += found
    return tables, diagnostics


def load_dataset(node, path: str | None, year: int | None) -> tuple[Table | None, list[Diagnostic]]:
    """One data set, read and validated (or from the cache when its file has not changed)."""
    from nhnprice.data import load

    where = path or node.path
    content = cache.file_bytes(where)
    name = None
    if content is not None:
        name = cache.key("data", _declaration(node), os.getcwd(), where, content, str(year))
        hit = cache.get(name)
        if hit is not None:
            table, found = hit
            return table, list(found)
    table, found = load(node, path, year, content)  # the bytes of the key, read once
    # what is stored must not depend on where in the spec the data set is declared: its warnings
    # point into the data file (any that pointed into the spec would move with an edit above it)
    if (name is not None and table is not None and not has_errors(found)
            and all(d.span is None or d.span.file == where for d in found)):
        cache.put(name, (table, tuple(found)))
    return table, found


def _declaration(node) -> bytes:
    """What of a data set's declaration decides what loading it gives: all of it but its place in
    the spec, so that editing the spec above it does not read and validate the file again."""
    return repr(attrs.astuple(node, filter=lambda field, _: field.eq)).encode()


def expectation_diagnostics(result: Result) -> list[Diagnostic]:
    from nhnprice.money import kroner

    def show(ore: int, unit: str) -> str:
        return f"{mill_exact(ore)} mill." if unit == "mill" else f"{kroner(ore)} kr"

    return [
        error("X001", f"expected {c.description} {show(c.expected_ore, c.unit)}, "
              f"the spec gives {show(c.actual_ore, c.unit)}", c.span,
              f"the difference is {show(c.actual_ore - c.expected_ore, c.unit)}; "
              "correct the expectation or the rule it checks")
        for c in result.checks if not c.ok
    ]


def evaluate_graph(graph: Graph, tables: Mapping[str, Table],
                   params: Mapping[str, Fraction | int] | None = None) -> tuple[Result | None, list[Diagnostic]]:
    """Evaluate a compiled graph for one scenario (`params`: checked parameter values), with expectations.

    Compile and load once, then call this per scenario: it reads no text."""
    result, diagnostics = evaluate(graph, tables, params)
    if result is not None:
        diagnostics += expectation_diagnostics(result)
    return result, diagnostics


def run(path: str, overrides: Mapping[str, str] | None = None,
        settings: Mapping[str, str] | None = None,
        progress: Callable[..., None] = quiet) -> tuple[Result | None, list[Diagnostic]]:
    """Compile, load and evaluate a spec. The result is None when there are errors.

    `overrides` maps data set names to other files (`--data`); `settings`
    maps parameter names to values as text (`--set`, scenario files); `progress` is told
    what is being done (`nhnprice.progress.Progress` shows it on a terminal)."""
    from nhnprice.params import read_overrides

    progress(f"compiling {path}")
    graph, diagnostics = compile_file(path)
    if graph is None:
        return None, diagnostics
    params, found = read_overrides(graph, settings or {})
    diagnostics += found
    tables, found = load_data(graph, overrides, progress)
    diagnostics += found
    if has_errors(diagnostics):
        return None, diagnostics
    progress(f"evaluating {path}")
    result, found = evaluate_graph(graph, tables, params)
    return result, diagnostics + found
