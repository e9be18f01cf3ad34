"""The passes in order: parse -> check -> lower -> load data -> evaluate.

Each step returns what it made and the diagnostics it found; the pipeline
stops after a step that found errors, so that one mistake is reported once
and not again by every later pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction

from nhnprice.check import check
from nhnprice.data import Table, load
from nhnprice.diagnostics import Diagnostic, error, has_errors
from nhnprice.evaluate import Result, evaluate
from nhnprice.graph import Graph
from nhnprice.lower import lower
from nhnprice.money import mill_exact
from nhnprice.progress import quiet
from nhnprice.syntax import parse_file


def compile_file(path: str) -> tuple[Graph | None, list[Diagnostic]]:
    """Parse, check and lower a spec file."""
    spec, diagnostics = parse_file(path)
    if spec is None:
        return None, diagnostics
    diagnostics += check(spec)
    if has_errors(diagnostics):
        return None, diagnostics
    return lower(spec), diagnostics


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
    for i, (name, node) in enumerate(graph.datasets.items(), start=1):
        progress(f"reading {name}", i, len(graph.datasets))
        table, found = load(node, overrides.get(name), graph.year)
        diagnostics += found
        if table is not None:
            tables[name] = table
    return tables, diagnostics


def expectation_diagnostics(result: Result) -> list[Diagnostic]:
    return [
        error("X001", f"expected {c.description} {mill_exact(c.expected_ore)} mill., "
              f"the spec gives {mill_exact(c.actual_ore)} mill.", c.span,
              f"the difference is {mill_exact(c.actual_ore - c.expected_ore)} mill.; "
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
