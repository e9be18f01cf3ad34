"""The passes in order: parse -> check -> lower -> load data -> evaluate.

Each step returns what it made and the diagnostics it found; the pipeline
stops after a step that found errors, so that one mistake is reported once
and not again by every later pass.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction

import attrs

from nhnprice import cache
from nhnprice import sweep as sweeps
from nhnprice.conditions import derive
from nhnprice.data import load, Table
from nhnprice.diagnostics import Diagnostic, did_you_mean, error, has_errors
from nhnprice.evaluate import evaluate, Result
from nhnprice.files import Access, Limits, Unreadable, may_read, read_bytes
from nhnprice.graph import Graph
from nhnprice.invoices import schedule
from nhnprice.numbers import kroner, mill_exact
from nhnprice.params import format_value, load_scenario, read_overrides
from nhnprice.progress import quiet


def compile_text(text: str, path: str = "<spec>") -> tuple[Graph | None, list[Diagnostic]]:
    """Parse, check and lower spec text held in memory (an editor's unsaved buffer, a web form).

    `path` names the spec in diagnostics, and the folder its data files are relative to. Render
    the diagnostics with `sources={path: text}` to show this text's lines, not the file's."""
    from nhnprice.syntax import parse  # the compiler door: Lark is imported only here and below

    return _check_and_lower(*parse(text.replace("\r\n", "\n").replace("\r", "\n"), path))


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
    from nhnprice.syntax import parse_file

    # the bytes of the key: a file changed meanwhile is not cached wrongly
    graph, diagnostics = _check_and_lower(*parse_file(path, text))
    if graph is not None:
        cache.put(name, (graph, tuple(diagnostics)))
    return graph, diagnostics


def _pair_of(value, kind: type) -> bool:
    """The shape of a cached compile or load: the result and the diagnostics found making it."""
    return (type(value) is tuple and len(value) == 2 and isinstance(value[0], kind)
            and type(value[1]) is tuple and all(isinstance(d, Diagnostic) for d in value[1]))


def _check_and_lower(spec, diagnostics: list[Diagnostic]) -> tuple[Graph | None, list[Diagnostic]]:
    from nhnprice.check import analyse
    from nhnprice.lower import lower

    if spec is None:
        return None, diagnostics
    checked = analyse(spec)
    diagnostics += checked.diagnostics
    if has_errors(diagnostics):
        return None, diagnostics
    return lower(checked), diagnostics


def load_data(graph: Graph, overrides: Mapping[str, str] | None = None,
              progress: Callable[..., None] = quiet,
              given: Mapping[str, bytes | Table] | None = None,
              access: Access | None = None) -> tuple[dict[str, Table], list[Diagnostic]]:
    """Every data set the spec declares; `overrides` maps a data set's name to another file,
    `given` to the content of its file (bytes, read and validated as the file would be) or to
    a table already read (used as it is).

    `access` says where the spec may read its data and how much (files.py): by default, from
    the spec's folder and below only; a file named in `overrides` is read wherever it is."""
    access = access or Access.default()
    overrides = dict(overrides or {})
    given = dict(given or {})
    diagnostics: list[Diagnostic] = []
    for name in [*overrides, *given]:
        if name not in graph.datasets:
            given_as = f"--data {name}=...: " if name in overrides else ""
            diagnostics.append(error("U001", f"{given_as}the spec declares no data set `{name}`",
                                     hint=did_you_mean(name, graph.datasets) or
                                     "declared: " + ", ".join(sorted(graph.datasets))))
    tables: dict[str, Table] = {}
    files = {name: node for name, node in graph.datasets.items() if node.source is None}
    for i, (name, node) in enumerate(files.items(), start=1):
        progress(f"reading {name}", i, len(files))
        if isinstance(given.get(name), Table):
            tables[name] = given[name]
            continue
        if name in given:
            table, found = load(node, overrides.get(name), graph.year, given[name], access.limits)
        elif name not in overrides and not may_read(node.path, graph.file, access):
            diagnostics.append(outside_folder(node, graph.file))
            continue
        else:
            table, found = load_dataset(node, overrides.get(name), graph.year, access.limits)
        diagnostics += found
        if table is not None:
            tables[name] = table
    if len(files) < len(graph.datasets):  # registers made of another's rows (`from ... where`)
        tables, found = derive(graph, tables)
        diagnostics += found
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
    del content  # a large file's bytes are not kept while what they gave is stored
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
        progress: Callable[..., None] = quiet, text: str | None = None,
        given: Mapping[str, bytes | Table] | None = None,
        access: Access | None = None) -> tuple[Result | None, list[Diagnostic]]:
    """Compile, load and evaluate a spec. The result is None when there are errors.

    `overrides` maps data set names to other files (`--data`); `settings`
    maps parameter names to values as text (`--set`, scenario files); `progress` is told
    what is being done (`nhnprice.progress.Progress` shows it on a terminal). With `text`,
    that is the spec (named `path`), not the file; `given` maps data set names to their
    content or to tables (see `load_data`); `access` says where data may be read from and how
    much (files.py)."""
    progress(f"compiling {path}")
    access = access or Access.default()
    graph, diagnostics = compile_file(path, access.limits) if text is None else compile_text(text, path)
    if graph is None:
        return None, diagnostics
    params, found = read_overrides(graph, settings or {})
    diagnostics += found
    tables, found = load_data(graph, overrides, progress, given, access)
    diagnostics += found
    if has_errors(diagnostics):
        return None, diagnostics
    progress(f"evaluating {path}")
    result, found = evaluate_graph(graph, tables, params)
    return result, diagnostics + found


def scenario_settings(scenario: str | None, settings: Mapping[str, str]) -> tuple[dict[str, str], list[Diagnostic]]:
    """The scenario file's overrides with `settings` (--set) on top, and the problems reading the file."""
    if scenario is None:
        return dict(settings), []

    _, values, problems = load_scenario(scenario)
    return {**values, **settings}, problems


def scenario_name(scenario: str | None) -> str | None:
    """The `name` a scenario file gives itself (its file name when it has none)."""
    if scenario is None:
        return None

    name, _, _ = load_scenario(scenario)
    return name or os.path.basename(scenario)


def run_scenario(path: str, overrides: Mapping[str, str] | None = None, settings: Mapping[str, str] | None = None,
                 scenario: str | None = None, progress: Callable[..., None] = quiet,
                 access: Access | None = None) -> tuple[Result | None, list[Diagnostic]]:
    """`run` with a scenario file's overrides under `settings`; the result is named after the scenario."""
    settings, problems = scenario_settings(scenario, settings or {})
    if problems:
        return None, problems
    result, diagnostics = run(path, overrides, settings, progress, access=access)
    if result is not None and scenario is not None:
        result = attrs.evolve(result, scenario=scenario_name(scenario))
    return result, diagnostics


def prepare(spec: str, data: dict[str, str], settings: dict[str, str], scenario: str | None, sweep: bool = False,
            access: Access | None = None):
    """Compile, load and read the overrides; with `sweep`, the one or two ranges or lists are swept
    (`swept` is then a list of (parameter, values))."""
    settings, diagnostics = scenario_settings(scenario, settings)
    if diagnostics:
        return None, None, None, None, diagnostics
    access = access or Access.default()
    graph, found = compile_file(spec, access.limits)
    diagnostics += found
    if graph is None:
        return None, None, None, None, diagnostics
    swept = None
    if sweep:
        swept, settings, found = sweeps.axes(graph, settings)
        diagnostics += found
        if not swept:
            return None, None, None, None, diagnostics
    params, found = read_overrides(graph, settings)
    diagnostics += found
    tables, found = load_data(graph, data, access=access)
    diagnostics += found
    if has_errors(diagnostics):
        return None, None, None, None, diagnostics
    return graph, tables, params, swept, diagnostics


def sweep_rows(graph: Graph, tables: Mapping[str, Table], params: Mapping[str, Fraction | int],
               swept: list[tuple[str, list]], progress: Callable[..., None] = quiet
               ) -> tuple[list[dict], list[Diagnostic]]:
    """One row per point of the sweep (a value, or a combination of two): each fee group's fee,
    members, collection and deviation, and each group's amount, from a full, exact evaluation
    (without entity rows). `swept` is `prepare`'s list of (parameter, values)."""
    rows, problems = [], []
    memo: dict = {}  # what every value's evaluation shares: each fee group's categories
    points = sweeps.points(swept)
    for i, point in enumerate(points, start=1):
        progress(", ".join(f"{n} = {format_value(graph.parameters[n].kind, v)}" for n, v in point.items()),
                 i, len(points))
        result, found = evaluate(graph, tables, {**params, **point}, entities=False, memo=memo)
        problems += found
        rows.append(sweeps.row(graph, point, result))
    return rows, problems


def invoice_schedule(spec: str, overrides: Mapping[str, str] | None = None, settings: Mapping[str, str] | None = None,
                     scenario: str | None = None, groups: Iterable[str] = (), access: Access | None = None):
    """The spec's result and each member's quarterly invoices (of `groups`, or of every group)."""
    groups = tuple(groups)
    graph, tables, params, _, diagnostics = prepare(spec, overrides or {}, dict(settings or {}), scenario, access=access)
    if graph is not None:
        unknown = [g for g in groups if g not in graph.groups]
        for g in unknown:
            diagnostics.append(error("U008", f"--group {g}: the spec declares no payer group `{g}`",
                                     hint=did_you_mean(g, graph.groups) or "groups: " + ", ".join(graph.groups)))
    if graph is None or has_errors(diagnostics):
        return None, None, diagnostics
    result, found = evaluate_graph(graph, tables, params)
    diagnostics += found
    if result is None:
        return None, None, diagnostics
    return result, schedule(result, set(groups) or None), diagnostics
