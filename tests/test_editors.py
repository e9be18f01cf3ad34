"""Editor support: the TextMate grammar of editors/vscode and the Pygments lexer know
every keyword of the grammar and read the real specs."""

from __future__ import annotations

import importlib
import json
import re
import sys
import tomllib

from pygments.token import Error, Keyword, Name

from conftest import ROOT, SPEC_2024
from nhnprice.words import grammar_words

sys.path.insert(0, str(ROOT / "scripts"))
import editor_grammars  # noqa: E402

SPECS = sorted([*(ROOT / "specs").rglob("*.nhp"), *(ROOT / "tests" / "good").glob("*.nhp")])


def test_the_words_are_the_grammar_files_keywords():
    lark_text = (ROOT / "grammar" / "nhnprice.lark").read_text(encoding="utf-8")
    words = grammar_words()
    assert {"pool", "carry-over", "mill.", "øre", "among"} <= set(words)
    assert all(f'"{w}"' in lark_text for w in words)


def test_the_textmate_grammar_has_every_keyword_of_the_grammar_file():
    path = editor_grammars.TEXTMATE
    grammar = json.loads(path.read_text(encoding="utf-8"))
    found = set()
    for rule in grammar["repository"]["keywords"]["patterns"]:
        alternatives = re.fullmatch(r"\(\?<!\[\\w-\]\)\(\?:(.*)\)\(\?!\[\\w\.-\]\)", rule["match"]).group(1)
        found |= {re.sub(r"\\(.)", r"\1", w) for w in alternatives.split("|")}
    assert found == set(grammar_words()), "run python scripts/editor_grammars.py"
    assert path.read_text(encoding="utf-8") == editor_grammars.text(), "run python scripts/editor_grammars.py"


def test_the_textmate_keywords_match_whole_words_only():
    rules = json.loads(editor_grammars.TEXTMATE.read_text(encoding="utf-8"))["repository"]["keywords"]["patterns"]
    unit = next(re.compile(r["match"]) for r in rules if r["name"].startswith("support.type.unit"))
    assert [m.group() for m in unit.finditer("cost 27.1 mill. 5 kr 3 øre 12 millioner kroner_x")] == \
        ["mill.", "kr", "øre"]


def test_the_pygments_lexer_reads_every_spec_without_an_error_token():
    from nhnprice.pygments_lexer import NhnpriceLexer

    for spec in SPECS:
        tokens = list(NhnpriceLexer().get_tokens(spec.read_text(encoding="utf-8")))
        assert [t for t in tokens if t[0] in Error] == [], spec
    tokens = list(NhnpriceLexer().get_tokens(SPEC_2024.read_text(encoding="utf-8")))
    assert (Keyword.Declaration, "pool") in tokens and (Keyword.Type, "mill") in tokens
    assert (Name, "vkp_i_bruk") in tokens and (Keyword.Constant, "municipalities") in tokens
    assert list(NhnpriceLexer().get_tokens("cost 12 millioner"))[4] == (Name, "millioner")


def test_the_pygments_lexer_is_registered_as_an_entry_point():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    target = project["project"]["entry-points"]["pygments.lexers"]["nhnprice"]
    module, _, name = target.partition(":")
    lexer = getattr(importlib.import_module(module), name)
    assert "nhp" in lexer.aliases and "*.nhp" in lexer.filenames


def test_the_vscode_extension_names_its_grammar_and_starts_the_language_server():
    folder = ROOT / "editors" / "vscode"
    package = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    [grammar] = package["contributes"]["grammars"]
    assert (folder / grammar["path"]).is_file() and grammar["scopeName"] == "source.nhnprice"
    assert json.loads((folder / "language-configuration.json").read_text(encoding="utf-8"))["comments"] == \
        {"lineComment": "#"}
    assert package["contributes"]["configuration"]["properties"]["nhnprice.command"]["default"] == ["nhnprice", "lsp"]
    assert "vscode-languageclient" in package["dependencies"]
