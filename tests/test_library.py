"""nhnprice as a library in a long-running process (an editor's language server, a web page):
text in as well as files, no state shared between calls, no import cycles."""

from __future__ import annotations

import ast
import importlib
import threading
from pathlib import Path

import pytest

from conftest import ROOT, SPEC_2024

PACKAGE = ROOT / "nhnprice"
MODULES = sorted(PACKAGE.rglob("*.py"))

#: calls that build a container anyone holding it can change
MUTABLE_CALLS = {"list", "dict", "set", "bytearray", "defaultdict", "OrderedDict", "Counter", "deque",
                 "local", "WeakKeyDictionary", "WeakValueDictionary", "ChainMap"}
#: calls whose result cannot be changed, given literals to freeze
FREEZERS = {"MappingProxyType", "frozenset", "tuple"}
#: memos kept for the life of the process, each a pure function of what ships with nhnprice
#: (the installed code, its grammar, its reference lists), never of what a user passes in
PROCESS_MEMOS = {
    ("cache.py", "_code_stamp"), ("syntax.py", "parser"), ("syntax.py", "_tables"), ("record.py", "_compared"),
    ("record.py", "_hashed"), ("data.py", "_mod11_tables"),
    ("reference.py", "division_2024"), ("reference.py", "renumbering"), ("reference.py", "division_2020"),
}


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _mutable_parts(value: ast.expr, frozen: bool = False):
    """The parts of a module-level value that build a container that can be changed."""
    if isinstance(value, (ast.List, ast.ListComp, ast.Set, ast.SetComp, ast.Dict, ast.DictComp)):
        if not frozen:
            yield value
        children = ([*value.keys, *value.values] if isinstance(value, ast.Dict)
                    else value.elts if isinstance(value, (ast.List, ast.Set)) else [])
        for child in children:
            if child is not None:
                yield from _mutable_parts(child)
    elif isinstance(value, ast.Call):
        name = _name(value.func)
        if name in MUTABLE_CALLS:
            yield value
        for arg in value.args:
            yield from _mutable_parts(arg, frozen=name in FREEZERS)
    elif isinstance(value, ast.Tuple):
        for child in value.elts:
            yield from _mutable_parts(child)


def test_no_module_level_mutable_state():
    found = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT)
        # a class's own attributes are shared by every instance, so they count as module-level
        statements = tree.body + [s for c in tree.body if isinstance(c, ast.ClassDef) for s in c.body]
        for node in statements:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                for part in _mutable_parts(node.value):
                    found.append(f"{where}:{part.lineno}: {ast.unparse(part)[:60]}")
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                for decorator in node.decorator_list:
                    call = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if _name(call) in ("lru_cache", "cache") and (path.name, node.name) not in PROCESS_MEMOS:
                        found.append(f"{where}:{node.lineno}: {node.name} is memoised for the whole process")
            if isinstance(node, ast.FunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Global):
                        found.append(f"{where}:{inner.lineno}: global {', '.join(inner.names)}")
    assert not found, "module-level state that one call could leave for the next:\n" + "\n".join(found)


def test_what_a_process_memo_hands_out_cannot_be_changed():
    """A memo's value is shared by every caller in the process: a change by one would be seen by all."""
    from nhnprice import reference

    for division in (reference.division_2024(), reference.division_2020()):
        for mapping in (division.names, division.population):
            with pytest.raises(TypeError):
                mapping["0301"] = "Oslo"
    with pytest.raises(TypeError):
        reference.renumbering()["1507"] = ()


def _report(result) -> str:
    from nhnprice.report import render

    return render(result, "json")


def _compile_and_evaluate(path: Path) -> tuple[str, tuple]:
    """The spec's JSON report and its comments (what `fmt` keeps), from its text."""
    from nhnprice.pipeline import run
    from nhnprice.syntax import parse

    relative = str(path.relative_to(ROOT))
    text = path.read_text(encoding="utf-8")
    result, diagnostics = run(relative, text=text)
    assert result is not None, diagnostics
    return _report(result), parse(text, relative)[0].comments


def test_two_specs_in_interleaved_threads_give_what_each_gives_alone(monkeypatch):
    monkeypatch.chdir(ROOT)
    specs = [SPEC_2024, ROOT / "specs" / "examples" / "2027-individuelt-medlemskap.nhp"]
    alone = {spec: _compile_and_evaluate(spec) for spec in specs}
    assert alone[specs[0]][0] != alone[specs[1]][0] and alone[specs[0]][1] != alone[specs[1]][1]
    start = threading.Barrier(4)
    seen: dict[int, list[tuple[Path, str]]] = {}

    def work(turn: int) -> None:
        start.wait()
        seen[turn] = [(spec, _compile_and_evaluate(spec)) for spec in specs[turn % 2:] + specs[:turn % 2] * 2]

    threads = [threading.Thread(target=work, args=(turn,)) for turn in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 4
    for runs in seen.values():
        for spec, report in runs:
            assert report == alone[spec], f"{spec.name} gave another report beside another spec"


def test_unsaved_text_compiles_and_its_diagnostics_show_its_own_lines(tmp_path, monkeypatch):
    from nhnprice.diagnostics import render_human
    from nhnprice.pipeline import compile_text

    monkeypatch.chdir(tmp_path)
    on_disk = SPEC_2024.read_text(encoding="utf-8")
    (tmp_path / "spec.nhp").write_text(on_disk, encoding="utf-8")
    edited = on_disk.replace("pool helsenettet", "pool helsenettet helsenettet", 1)
    graph, diagnostics = compile_text(edited, "spec.nhp")
    assert graph is None and diagnostics
    shown = render_human(diagnostics, sources={"spec.nhp": edited})
    assert "pool helsenettet helsenettet" in shown
    assert "pool helsenettet helsenettet" not in render_human(diagnostics)  # the file on disk has no such line


def test_compile_text_gives_what_compile_file_gives(monkeypatch):
    from nhnprice.pipeline import compile_file, compile_text

    monkeypatch.chdir(ROOT)
    from_file, found_in_file = compile_file("specs/2024.nhp")
    from_text, found_in_text = compile_text(SPEC_2024.read_text(encoding="utf-8"), "specs/2024.nhp")
    assert from_text == from_file and found_in_text == found_in_file


def test_data_sets_given_as_bytes_or_tables_are_used_instead_of_their_files(monkeypatch):
    from nhnprice.pipeline import compile_file, load_data, run

    monkeypatch.chdir(ROOT)
    register = (ROOT / "specs" / "data" / "2024" / "ovrige_medlemmer.csv").read_bytes()
    header, *rows = register.decode("utf-8").splitlines(keepends=True)
    fewer = (header + "".join(rows[: len(rows) // 2])).encode("utf-8")
    result, diagnostics = run("specs/2024.nhp", given={"ovrige_medlemmer": fewer})
    members = {f.group: f.members for f in result.fees} if result else None
    assert members is not None and members["ovrige"] == len(rows) // 2, diagnostics
    graph, _ = compile_file("specs/2024.nhp")
    tables, _ = load_data(graph)
    again, _ = run("specs/2024.nhp", given={"ovrige_medlemmer": tables["ovrige_medlemmer"]})
    assert _report(again) == _report(run("specs/2024.nhp")[0])
    _, unknown = run("specs/2024.nhp", given={"ovrige": fewer})
    assert [d.code for d in unknown] == ["U001"] and "ovrige_medlemmer" in unknown[0].hint


def test_the_exit_status_is_a_function_of_the_diagnostics():
    from nhnprice.diagnostics import error, exit_status, warning

    assert exit_status([]) == 0
    assert exit_status([warning("W001", "a warning")]) == 0
    assert exit_status([warning("W001", "a warning"), error("E102", "unknown register")]) == 1
    assert exit_status([error("U006", "the scenario file cannot be read")]) == 1  # a broken input file
    assert exit_status([error("E102", "unknown register"), error("U001", "no such data set")]) == 2


def test_only_the_command_line_ends_the_process():
    """A library call never exits: only nhnprice/cli/ calls sys.exit."""
    found = [f"{path.relative_to(ROOT)}:{node.lineno}"
             for path in MODULES if "cli" not in path.relative_to(PACKAGE).parts
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Attribute) and node.attr == "exit" and ast.unparse(node.value) == "sys"]
    assert not found, found


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _internal_imports(path: Path):
    """(line, module, imported name or None) for every import of nhnprice in `path`, at any depth."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "nhnprice":
                    yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            if target.split(".")[0] == "nhnprice":
                for alias in node.names:
                    yield node.lineno, target, alias.name


def test_every_internal_import_resolves():
    """Each `import nhnprice.x` and `from nhnprice.x import y`, also inside functions, names a
    module and a name that exist: an import that runs only on one path fails only there."""
    broken = []
    for path in MODULES:
        for line, module, name in _internal_imports(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            try:
                imported = importlib.import_module(module)
            except ImportError as exc:
                broken.append(f"{where}: {exc}")
                continue
            if name is not None and not hasattr(imported, name):
                try:
                    importlib.import_module(f"{module}.{name}")
                except ImportError:
                    broken.append(f"{where}: cannot import name {name!r} from {module}")
    assert not broken, "\n".join(broken)


def _import_edges() -> dict[str, set[str]]:
    """Each nhnprice module -> the nhnprice modules it imports (module-level and inside functions)."""
    modules = {_module_name(path): path for path in MODULES}
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for _, module, imported in _internal_imports(path):
            target = f"{module}.{imported}" if f"{module}.{imported}" in modules else module
            # a package's own submodules are part of it, not something it depends on
            if target != name and target in modules and not name.startswith(target + "."):
                edges[name].add(target)
    return edges


def test_the_modules_import_each_other_without_cycles():
    """The graph of nhnprice's imports of itself (module-level and inside functions) has no cycle:
    the pipeline's stages depend one way, so each can be read, tested and loaded on its own."""
    edges = _import_edges()
    cycles, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(edges[node]):
            if state.get(target) == "open":
                cycles.append(" -> ".join(trail[trail.index(target):] + [target]))
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


#: module -> what it must not reach, directly or through others: reading data knows nothing of the
#: graph, and evaluation (computed shares included) nothing of the spec's syntax or how it is printed
STAGE_BOUNDARIES = {"nhnprice.data": {"nhnprice.graph"},
                    "nhnprice.evaluate": {"nhnprice.nodes", "nhnprice.printer", "nhnprice.syntax", "nhnprice.check"}}


def test_the_stages_keep_their_boundaries():
    edges = _import_edges()
    crossed = []
    for start, forbidden in STAGE_BOUNDARIES.items():
        seen, todo = set(), [start]
        while todo:
            for target in edges[todo.pop()] - seen:
                seen.add(target)
                todo.append(target)
        crossed += [f"{start} reaches {target}" for target in sorted(seen & forbidden)]
    assert not crossed, "\n".join(crossed)


#: the imports of nhnprice's own modules that may wait until a function runs: the compiler,
#: so that Lark (and the parse tables) stay off the path of a spec the cache already holds
COMPILER_DOOR = {("pipeline.py", "nhnprice.syntax"), ("pipeline.py", "nhnprice.check"), ("pipeline.py", "nhnprice.lower")}


def test_own_modules_are_imported_at_the_top_except_at_the_compiler_door():
    """An import hidden in a function runs only on that function's path, so its mistakes show only
    there; nhnprice's own modules are imported where a reader looks for them. (Optional
    third-party packages wait for the function that needs them; commands and report formats are
    found by name in their registries.)"""
    hidden = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "nhnprice" \
                        and (path.name, node.module) not in COMPILER_DOOR:
                    hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert not hidden, "\n".join(hidden)


@pytest.mark.parametrize("spec", ["specs/2024.nhp", "tests/verify/shares_balance_once.nhp"])
def test_a_cached_report_does_not_import_the_compiler(tmp_path, spec):
    """The warm path: with the spec in the cache, `report` never imports Lark, nor the syntax tree
    and its printer (a computed share is evaluated from the graph's own expression nodes)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NHNPRICE_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    probe = (f"import sys, runpy; sys.argv = ['nhnprice', 'report', {spec!r}, '-o', sys.argv[1]]\n"
             "try:\n    runpy.run_module('nhnprice', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print(any(m in sys.modules for m in ('lark', 'nhnprice.nodes', 'nhnprice.printer')), file=sys.stderr)")
    for turn in ("cold", "warm"):
        done = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "report.txt")], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.stderr.strip().splitlines()[-1] == ("True" if turn == "cold" else "False"), done.stderr
