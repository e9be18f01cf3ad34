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
from nhnprice.files import Access, Limits, Unreadable, may_read, read_bytes
from nhnprice.graph import Graph
from nhnprice.money import mill_exact
from nhnprice.progress import quiet


def compile_file(path: str, limits: Limits | None = None) -> tuple[Graph | None, list[Diagnostic]]:
    """Parse, check and lower a spec file (or take the result from the cache, see cache.py)."""
    try:
        text = read_bytes(path, (limits or Limits.from_env()).file_mb, "spec file")
    except Unreadable as exc:
        return None, [error("E003", exc.message, hint=exc.hint)]
    # the graph holds paths as the spec was named (relative to the working directory), so both are in the key
    name = cache.key("spec", os.getcwd(), path, text)
    hit = cache.get(name, lambda v: _pair_of(v, Graph))
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
    cache.put(name, (graph, tuple(diagnostics)))
    return graph, diagnostics


def _pair_of(value, kind: type) -> bool:
    """The shape of a cached compile or load: the result and the diagnostics found making it."""
    return (type(value) is tuple and len(value) == 2 and isinstance(value[0], kind)
            and type(value[1]) is tuple and all(isinstance(d, Diagnostic) for d in value[1]))


def load_data(graph: Graph, overrides: Mapping[str, str] | None = None,
              progress: Callable[..., None] = quiet,
              access: Access | None = None) -> tuple[dict[str, Table], list[Diagnostic]]:
    """Every data set the spec declares; `overrides` maps a data set's name to another file.

    `access` says where the spec may read its data and how much (files.py): by default, from
    the spec's folder and below only; a file named in `overrides` is read wherever it is."""
    access = access or Access.default()
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
        if name not in overrides and not may_read(node.path, graph.file, access):
            diagnostics.append(outside_folder(node, graph.file))
            continue
        table, found = load_dataset(node, overrides.get(name), graph.year, access.limits)
        diagnostics += found
        if table is not None:
            tables[name] = table
    return tables, diagnostics


def outside_folder(node, spec_file: str) -> Diagnostic:
    """A data set whose file is outside the folders the spec may read (files.may_read)."""
    folder = os.path.dirname(spec_file) or os.curdir
    return error("D030", f"`{node.name}` reads `{node.declared_path}`, which is outside the spec's folder "
                 f"({folder})", node.span,
                 "keep data files in the spec's folder or below it; to read this file anyway, name it with "
                 f"`--data {node.name}=PATH` or allow its folder with `--allow-data-dir FOLDER`")


def load_dataset(node, path: str | None, year: int | None,
                 limits: Limits | None = None) -> tuple[Table | None, list[Diagnostic]]:
    """One data set, read and validated (or from the cache when its file has not changed)."""
    from nhnprice.data import load

    where = path or node.path
    try:
        content = read_bytes(where, (limits or Limits.from_env()).file_mb)
    except Unreadable as exc:
        span = node.span if path is None else None
        hint = exc.hint or ("the path is relative to the spec's folder" if exc.missing and path is None else None)
        return None, [error("D002", exc.message, span, hint)]
    name = cache.key("data", _declaration(node), os.getcwd(), where, content, str(year))
    hit = cache.get(name, lambda v: _pair_of(v, Table))
    if hit is not None:
        table, found = hit
        return table, list(found)
    table, found = load(node, path, year, content, limits)  # the bytes of the key, read once
    # what is stored must not depend on where in the spec the data set is declared: its warnings
    # point into the data file (any that pointed into the spec would move with an edit above it)
    if (table is not None and not has_errors(found)
            and all(d.span is None or d.span.file == where for d in found)):
        cache.put(name, (table, tuple(found)))
    return table, found


def _declaration(node) -> bytes:
    """What of a data set's declaration decides what loading it gives: all of it but its place in
    the spec, so that editing the spec above it does not read and validate the file again."""
    return repr(attrs.astuple(node, filter=lambda field, _: field.eq)).encode()


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
        progress: Callable[..., None] = quiet, access: Access | None = None) -> tuple[Result | None, list[Diagnostic]]:
    """Compile, load and evaluate a spec. The result is None when there are errors.

    `overrides` maps data set names to other files (`--data`); `settings`
    maps parameter names to values as text (`--set`, scenario files); `progress` is told
    what is being done (`nhnprice.progress.Progress` shows it on a terminal); `access` says
    where data may be read from and how much (files.py)."""
    from nhnprice.params import read_overrides

    progress(f"compiling {path}")
    access = access or Access.default()
    graph, diagnostics = compile_file(path, access.limits)
    if graph is None:
        return None, diagnostics
    params, found = read_overrides(graph, settings or {})
    diagnostics += found
    tables, found = load_data(graph, overrides, progress, access)
    diagnostics += found
    if has_errors(diagnostics):
        return None, diagnostics
    progress(f"evaluating {path}")
    result, found = evaluate_graph(graph, tables, params)
    return result, diagnostics + found
