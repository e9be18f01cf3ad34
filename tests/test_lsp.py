"""`nhnprice lsp` end to end: an editor's session over standard input and output."""

from __future__ import annotations

import re

import pytest

from conftest import SPEC_2024
from lsp_client import LspClient

URI = SPEC_2024.as_uri()
TEXT = SPEC_2024.read_text(encoding="utf-8")
LINES = TEXT.split("\n")


def position(needle: str, nth: int = 0, offset: int = 0) -> dict:
    """The LSP position of the `nth` occurrence of `needle` in the 2024 spec (0-based)."""
    found = [(i, line.index(needle)) for i, line in enumerate(LINES) if needle in line][nth]
    return {"line": found[0], "character": found[1] + offset}


def lines_using(name: str) -> list[int]:
    """The lines where `name` stands as a name (not inside a quoted text or a comment)."""
    code = [re.sub(r'"[^"]*"|#.*', "", text) for text in LINES]
    return [i for i, text in enumerate(code) if re.search(rf"\b{name}\b", text)]


def at(needle: str, nth: int = 0, offset: int = 0) -> dict:
    return {"textDocument": {"uri": URI}, "position": position(needle, nth, offset)}


@pytest.fixture(scope="module")
def server():
    client = LspClient()
    try:
        response = client.request("initialize", {"processId": None, "rootUri": SPEC_2024.parent.parent.as_uri(),
                                                 "capabilities": {}, "locale": "en"})
        client.capabilities = response["result"]["capabilities"]
        client.notify("initialized", {})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "nhnprice",
                                                                "version": 1, "text": TEXT}})
        client.opened = client.wait_notification("textDocument/publishDiagnostics", lambda p: p["uri"] == URI)
        yield client
    finally:
        client.close()


def test_the_server_says_what_it_can_do(server):
    capabilities = server.capabilities
    for feature in ("hoverProvider", "definitionProvider", "referencesProvider", "completionProvider",
                    "documentFormattingProvider", "documentSymbolProvider", "renameProvider"):
        assert capabilities.get(feature), feature
    assert server.opened["diagnostics"] == []  # the 2024 spec checks, expectations and all


def test_hover_on_vkp_shows_what_each_group_pays(server):
    value = server.request("textDocument/hover", at("pool vkp", offset=6))["result"]["contents"]["value"]
    assert "Velferdsteknologisk knutepunkt" in value and "§ 13 andre og tredje ledd" in value
    assert "kommuner: 25,7 mill." in value and "rhf: 1,4 mill." in value


def test_hover_on_a_key_a_group_and_a_parameter(server):
    key = server.request("textDocument/hover", at("half by kommunehelse", offset=9))["result"]["contents"]["value"]
    assert "Delkostnadsnøkkel for kommunehelse" in key and "357 entities" in key and "proxy" in key
    group = server.request("textDocument/hover", at("group ovrige", offset=7))["result"]["contents"]["value"]
    assert "1\u00a0570 kr per member per month" in group and "126,0 mill." in group
    parameter = server.request("textDocument/hover", at("adjust prices by", offset=18))["result"]["contents"]["value"]
    assert "prisjustering etter konsumprisindeksen" in parameter and "value 0 %" in parameter


def test_definition_and_references_of_a_declared_name(server):
    use = next(i for i, line in enumerate(LINES) if "expect rhf pays 1.4 mill in vkp" in line)
    line = LINES[use]
    response = server.request("textDocument/definition", {"textDocument": {"uri": URI},
                              "position": {"line": use, "character": line.rindex("vkp")}})
    assert response["result"]["range"]["start"] == position("pool vkp", offset=5)
    references = server.request("textDocument/references", {**at("key kommunehelse", offset=4),
                                "context": {"includeDeclaration": True}})["result"]
    lines = [r["range"]["start"]["line"] for r in references]
    assert lines == lines_using("kommunehelse")
    assert len(lines) == 4  # the key, the group `by` it, the two halves of VKP


def test_completion_offers_keys_after_by_and_keywords_elsewhere(server):
    after_by = server.request("textDocument/completion", at("half by kommunehelse", offset=8))["result"]["items"]
    assert {item["label"] for item in after_by} == {"kommunehelse", "rhf_basis", "eresept_oppslag"}
    anywhere = {item["label"] for item in server.request("textDocument/completion", at("pool vkp"))["result"]["items"]}
    assert {"pool", "expect", "carry-over", "kommuner", "vkp"} <= anywhere


def test_the_outline_is_sections_with_their_pools(server):
    symbols = server.request("textDocument/documentSymbol", {"textDocument": {"uri": URI}})["result"]
    sections = {s["name"]: [c["name"] for c in s.get("children", [])] for s in symbols if s["name"].startswith("§")}
    assert sections == {"§ 13": ["helsenettet", "grunndata_helseid", "vkp"], "§ 14": ["kjernejournal", "provesvar"],
                        "§ 15": ["eresept", "forskrivningsmodul"], "§ 16": ["helsenorge"]}
    assert {"kommunehelse", "ovrige", "prisjustering"} <= {s["name"] for s in symbols}


def test_rename_rewrites_the_declaration_and_every_use(server):
    edit = server.request("textDocument/rename", {**at("register vkp_i_bruk", offset=9), "newName": "vkp_brukere"})
    edits = edit["result"]["changes"][URI]
    assert [e["range"]["start"]["line"] for e in edits] == lines_using("vkp_i_bruk")
    assert {e["newText"] for e in edits} == {"vkp_brukere"}
    refused = server.request("textDocument/rename", {**at("register vkp_i_bruk", offset=9), "newName": "pool"})
    assert "word of the language" in refused["error"]["message"]


def test_diagnostics_follow_the_unsaved_text_and_formatting_is_fmt(server):
    version = 2
    bad = TEXT.replace("cost 27.1 mill", "cost 27,1 millioner").replace("cost 125.1 mill", "kost 125.1 mill")
    server.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": version},
                                             "contentChanges": [{"text": bad}]})
    found = server.wait_notification("textDocument/publishDiagnostics", lambda p: p.get("version") == version)
    assert [(d["code"], d["range"]["start"]) for d in found["diagnostics"]] == [
        ("E008", position("cost 27.1 mill", offset=10)),
        ("E009", position("cost 125.1 mill"))]
    assert found["diagnostics"][0]["message"].startswith("`millioner` is not a unit\nnote: an amount is in `mill`")

    # an incremental edit: the cost of VKP one tenth higher breaks the two VKP expectations
    version = 3
    line = position("cost 27.1 mill")["line"]
    server.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": version}, "contentChanges": [
        {"text": TEXT},
        {"range": {"start": {"line": line, "character": 11}, "end": {"line": line, "character": 12}}, "text": "2"}]})
    found = server.wait_notification("textDocument/publishDiagnostics", lambda p: p.get("version") == version)
    assert {d["code"] for d in found["diagnostics"]} == {"X001"}
    assert all(d["range"]["start"]["line"] > line for d in found["diagnostics"])

    # formatting answers with fmt's canonical text, from the editor's text, never the file
    version = 4
    messy = TEXT.replace('  pool vkp "Velferdsteknologisk knutepunkt" {',
                         'pool   vkp "Velferdsteknologisk knutepunkt"{')
    server.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": version},
                                             "contentChanges": [{"text": messy}]})
    server.wait_notification("textDocument/publishDiagnostics", lambda p: p.get("version") == version)
    [edit] = server.request("textDocument/formatting", {"textDocument": {"uri": URI},
                                                         "options": {"tabSize": 2, "insertSpaces": True}})["result"]
    assert edit["newText"] == TEXT
    assert SPEC_2024.read_text(encoding="utf-8") == TEXT  # nothing was written

    # while the text has a syntax error, names are found from the last text that parsed
    version = 5
    server.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": version},
                                             "contentChanges": [{"text": TEXT.replace("rhf 5 %", "rhf 5 % %")}]})
    found = server.wait_notification("textDocument/publishDiagnostics", lambda p: p.get("version") == version)
    assert [d["code"] for d in found["diagnostics"]] == ["E001"]
    hover = server.request("textDocument/hover", at("pool vkp", offset=6))["result"]["contents"]["value"]
    assert "Velferdsteknologisk knutepunkt" in hover


def test_problems_of_a_data_file_are_published_for_that_file(server):
    spec = SPEC_2024.parent.parent / "tests" / "bad" / "broken_data.nhp"
    server.notify("textDocument/didOpen", {"textDocument": {"uri": spec.as_uri(), "languageId": "nhnprice",
                                                            "version": 1, "text": spec.read_text(encoding="utf-8")}})
    key = (spec.parent.parent / "data" / "broken_key.csv").as_uri()
    found = server.wait_notification("textDocument/publishDiagnostics", lambda p: p["uri"] == key)
    assert {"D008", "D009"} <= {d["code"] for d in found["diagnostics"]}
    assert {"line": 2, "character": 15} in [d["range"]["start"] for d in found["diagnostics"]]  # row 3, column 16
    server.notify("textDocument/didClose", {"textDocument": {"uri": spec.as_uri()}})
    cleared = server.wait_notification("textDocument/publishDiagnostics", lambda p: p["uri"] == key)
    assert cleared["diagnostics"] == []


def test_shutdown_and_exit_end_the_server():
    client = LspClient()
    client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    client.notify("initialized", {})
    assert client.close() == 0


def test_an_editor_in_norwegian_gets_diagnostics_and_hovers_in_bokmal():
    client = LspClient()
    try:
        client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}, "locale": "nb-NO"})
        client.notify("initialized", {})
        bad = TEXT.replace("kommuner 95 %", "kommunr 95 %")
        client.notify("textDocument/didOpen", {"textDocument": {"uri": URI, "languageId": "nhnprice",
                                                                "version": 1, "text": bad}})
        [d] = client.wait_notification("textDocument/publishDiagnostics", lambda p: p["uri"] == URI)["diagnostics"]
        assert d["message"] == "ukjent betalergruppe `kommunr`\ntips: mente du `kommuner`?"
        client.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2},
                                                 "contentChanges": [{"text": TEXT}]})
        client.wait_notification("textDocument/publishDiagnostics", lambda p: p.get("version") == 2)
        value = client.request("textDocument/hover", at("pool vkp", offset=6))["result"]["contents"]["value"]
        assert value.startswith("**pott `vkp`**") and "kostnad 27,1 mill." in value
    finally:
        client.close()


@pytest.mark.parametrize("argv", [["--help"], ["check", "specs/2024.nhp"]])
def test_only_the_lsp_command_loads_pygls(argv, tmp_path):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    probe = (f"import sys, runpy; sys.argv = ['nhnprice', *{argv!r}]\n"
             "try:\n    runpy.run_module('nhnprice', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('pygls', 'lsprotocol') if m in sys.modules), file=sys.stderr)")
    env = {**os.environ, "NHNPRICE_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr
