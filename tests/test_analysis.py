"""The editor's questions (nhnprice/analysis.py), asked of text held in memory."""

from __future__ import annotations

import os
import re
import shutil

from conftest import SPEC_2024
from nhnprice import analysis
from nhnprice.analysis import DataSets, analyse

TEXT = SPEC_2024.read_text(encoding="utf-8")


def test_data_sets_are_read_once_and_again_when_their_file_changes(tmp_path, monkeypatch):
    shutil.copytree(SPEC_2024.parent / "data" / "2024", tmp_path / "data" / "2024")
    spec = str(tmp_path / "2024.nhp")
    reads = []
    original = analysis.load_dataset
    monkeypatch.setattr(analysis, "load_dataset", lambda node, *a: reads.append(node.name) or original(node, *a))
    datasets = DataSets()
    first = analyse(TEXT, spec, datasets)
    assert first.diagnostics == [] and len(reads) == 5
    analyse(TEXT.replace("cost 27.1 mill", "cost 27.2 mill"), spec, datasets)  # an edit: no data read
    assert len(reads) == 5
    register = tmp_path / "data" / "2024" / "vkp_i_bruk.csv"
    lines = register.read_text(encoding="utf-8").splitlines(keepends=True)
    register.write_text("".join(lines[:-1]), encoding="utf-8")  # one adopter fewer
    os.utime(register, ns=(0, 10**9))
    again = analyse(TEXT, spec, datasets)
    assert reads[5:] == ["vkp_i_bruk"]
    assert again.hover(again.symbols[("dataset", "vkp_i_bruk")]).endswith(f"{len(lines) - 2} members")


def test_unsaved_text_is_what_is_checked():
    found = analyse(TEXT.replace("kommuner 95 %", "kommunr 95 %"), str(SPEC_2024), DataSets())
    [d] = found.diagnostics
    assert (d.code, d.span.file, d.hint) == ("E102", str(SPEC_2024), "did you mean `kommuner`?")
    assert found.result is None and found.symbols  # names are known even when the amounts cannot be


def test_completion_follows_the_word_before():
    a = analyse(TEXT, str(SPEC_2024), DataSets())
    labels = lambda before: {label for label, _, _ in a.completions(before)}  # noqa: E731
    assert labels("  half by kommunehelse among ") == {"ovrige_medlemmer", "vkp_i_bruk"}
    assert labels("  expect rhf pays 1.4 mill in helsenettet, grunn") == {
        "helsenettet", "grunndata_helseid", "vkp", "kjernejournal", "provesvar", "eresept", "forskrivningsmodul",
        "helsenorge"}
    assert {"pool", "carry-over", "rhf"} <= labels("  ")
    assert a.completions("  rhf 5 % ", after_space=True) == []  # a space typed elsewhere opens no list
    assert {label for label, _, _ in a.completions("  half by ", after_space=True)} == {
        "kommunehelse", "rhf_basis", "eresept_oppslag"}


def test_rename_refuses_a_taken_name_or_a_keyword():
    a = analyse(TEXT, str(SPEC_2024), DataSets())
    vkp = a.symbols[("pool", "vkp")]
    assert a.rename(vkp, "helsenorge") == ([], "`helsenorge` is already declared")
    assert a.rename(vkp, "cost")[1] == "`cost` is a word of the language"
    assert a.rename(vkp, "2vkp")[1].startswith("`2vkp` is not a name")
    spans, problem = a.rename(vkp, "velferdsteknologi")
    code = [re.sub(r'"[^"]*"|#.*', "", line) for line in TEXT.split("\n")]
    assert problem is None and [s.line for s in spans] == [i for i, line in enumerate(code, 1)
                                                           if re.search(r"\bvkp\b", line)]


def test_every_name_a_node_refers_to_is_indexed():
    a = analyse(TEXT, str(SPEC_2024), DataSets())
    unresolved = [name.text for namespace, name in a.uses if a._resolve(namespace, name.text) is None]
    assert unresolved == []
    assert analysis.NAME.fullmatch("øvrige_2024")
