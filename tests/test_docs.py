"""The docs and the package stay true: every complete `nhp` example compiles and checks, and every
import inside nhnprice names something that exists (a function-level import that does not is a
traceback only the user who reaches it sees)."""

from __future__ import annotations

import ast
import importlib
import re
from fractions import Fraction

import pytest

from conftest import ROOT
from nhnprice.diagnostics import has_errors
from nhnprice.graph import ColumnSum
from nhnprice.pipeline import compile_text, evaluate_graph, load_data
from nhnprice.shares import evaluate as evaluate_expression

#: a fenced block whose info string is exactly `nhp` is a complete spec; `nhp fragment` is a piece of one
BLOCK = re.compile(r"^```(?P<info>nhp[^\n]*)\n(?P<body>.*?)^```", re.S | re.M)


def _blocks() -> list[tuple[str, int, str, str]]:
    found = []
    for doc in sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]:
        text = doc.read_text(encoding="utf-8")
        for m in BLOCK.finditer(text):
            found.append((doc.name, text[: m.start()].count("\n") + 1, m["info"].strip(), m["body"]))
    return found


COMPLETE = [(doc, line, body) for doc, line, info, body in _blocks() if info == "nhp"]


def test_the_docs_hold_complete_examples_and_mark_every_other_block_a_fragment():
    infos = {info for _, _, info, _ in _blocks()}
    assert infos <= {"nhp", "nhp fragment"}, infos
    assert len(COMPLETE) >= 2


@pytest.mark.parametrize("doc,line,body", COMPLETE, ids=[f"{d}:{line}" for d, line, _ in COMPLETE])
def test_every_complete_nhp_example_in_the_docs_compiles_and_checks(doc, line, body):
    # written as if it stood beside specs/2024.nhp: its data paths are relative to specs/
    graph, diagnostics = compile_text(body, str(ROOT / "specs" / f"{doc}-{line}.nhp"))
    assert graph is not None and not has_errors(diagnostics), diagnostics
    tables, diagnostics = load_data(graph)
    assert not has_errors(diagnostics), diagnostics
    result, diagnostics = evaluate_graph(graph, tables)
    assert result is not None and not has_errors(diagnostics), diagnostics


def test_sum_of_a_register_column_reads_its_numbers_exactly():
    body = ('year 2024\nregister m { file "data/2024/ovrige_medlemmer.csv" id organisasjonsnummer '
            'provenance synthetic "t" }\ngroup g entity "1"\npool p { cost 1 kr g 100 % }\n')
    graph, _ = compile_text(body, str(ROOT / "specs" / "sum.nhp"))
    tables, diagnostics = load_data(graph)
    assert not diagnostics, diagnostics
    register = tables["m"]
    expected = sum(Fraction(row["arsverk"]) for row in register.rows)
    total = evaluate_expression(ColumnSum("m", "arsverk"), {}, tables)
    assert total == expected and total.denominator in (1, 2, 5, 10)


def _modules() -> list[str]:
    package = ROOT / "nhnprice"
    return sorted("nhnprice." + ".".join(p.relative_to(package).with_suffix("").parts).removesuffix(".__init__")
                  for p in package.rglob("*.py"))


@pytest.mark.parametrize("module", _modules())
def test_every_import_of_nhnprice_in_the_package_names_something_that_exists(module):
    source = importlib.util.find_spec(module).origin
    tree = ast.parse(open(source, encoding="utf-8").read())
    missing = []
    for node in ast.walk(tree):  # module-level and function-level imports alike
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nhnprice"):
            target = importlib.import_module(node.module)
            for alias in node.names:
                if not hasattr(target, alias.name):
                    try:
                        importlib.import_module(f"{node.module}.{alias.name}")
                    except ImportError:
                        missing.append(f"line {node.lineno}: {node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("nhnprice"):
                    importlib.import_module(alias.name)
    assert not missing, missing


def test_every_file_a_help_example_names_exists():
    from click.testing import CliRunner

    from nhnprice.cli import main

    runner = CliRunner()
    texts = [runner.invoke(main, ["--help"]).output]
    texts += [runner.invoke(main, [name, "--help"]).output for name in main.list_commands(None)]
    # the specs and scenario files examples read (the files they write, `-o x.xlsx`, need not exist)
    named = {path for text in texts for path in re.findall(r"(?<![\w/.-])((?:[\w.-]+/)+[\w.-]+\.(?:nhp|toml))\b", text)}
    assert "specs/2024.nhp" in named and "specs/scenarios/kpi-4.toml" in named
    assert sorted(p for p in named if not (ROOT / p).exists()) == []
