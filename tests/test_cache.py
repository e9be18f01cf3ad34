"""The cache of compiled specs and loaded data (cache.py) may make a run faster,
never different: a change to the spec or its data is always seen, a damaged
cache is ignored, and a cached report is byte for byte the uncached one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, TESTS
from nhnprice import cache
from nhnprice.pipeline import compile_file, load_data


@pytest.fixture
def spec_copy(tmp_path, monkeypatch):
    """tests/good/vkp.nhp and its data, copied where a test may edit them."""
    shutil.copytree(TESTS / "data", tmp_path / "data")
    monkeypatch.setenv("NHNPRICE_ALLOW_DATA_DIRS", str(tmp_path / "data"))
    (tmp_path / "good").mkdir()
    shutil.copy(TESTS / "good" / "vkp.nhp", tmp_path / "good" / "vkp.nhp")
    return tmp_path / "good" / "vkp.nhp"


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NHNPRICE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _uncached(monkeypatch, fn, *args):
    with monkeypatch.context() as m:
        m.setenv("NHNPRICE_NO_CACHE", "1")
        return fn(*args)


def test_a_cached_compile_and_load_equal_fresh_ones(spec_copy, fresh_cache, monkeypatch):
    first, _ = compile_file(str(spec_copy))
    cached, _ = compile_file(str(spec_copy))
    fresh, _ = _uncached(monkeypatch, compile_file, str(spec_copy))
    assert any(p.name.startswith("spec-") for p in fresh_cache.iterdir())
    assert cached == fresh == first
    tables, _ = load_data(cached)
    again, _ = load_data(cached)
    uncached, _ = _uncached(monkeypatch, load_data, fresh)
    assert again == uncached == tables


def test_an_edited_spec_is_compiled_afresh(spec_copy, fresh_cache):
    graph, _ = compile_file(str(spec_copy))
    cost = graph.pools[0].cost_ore
    text = spec_copy.read_text(encoding="utf-8")
    spec_copy.write_text(text.replace("cost 27,1 mill", "cost 27,2 mill"), encoding="utf-8")
    edited, _ = compile_file(str(spec_copy))
    assert edited.pools[0].cost_ore == cost + 10_000_000


def test_edited_data_is_read_afresh(spec_copy, fresh_cache):
    graph, _ = compile_file(str(spec_copy))
    tables, _ = load_data(graph)
    key = spec_copy.parent.parent / "data" / "kommuner.csv"
    key.write_text(key.read_text(encoding="utf-8").replace("717710", "717711"), encoding="utf-8")
    edited, _ = load_data(graph)
    assert edited["kommunehelse"].weights["0301"] == tables["kommunehelse"].weights["0301"] + 1


def test_an_edit_above_a_data_set_keeps_its_cached_load(spec_copy, fresh_cache, monkeypatch):
    """The policy writer's loop: editing the spec moves every declaration below the edit, but
    the data files have not changed and are not read and validated again."""
    from nhnprice import data

    graph, _ = compile_file(str(spec_copy))
    tables, _ = load_data(graph)
    text = spec_copy.read_text(encoding="utf-8")
    spec_copy.write_text("# a new first line\n\n" + text, encoding="utf-8")
    edited, _ = compile_file(str(spec_copy))
    assert edited.datasets["kommunehelse"].span.line == graph.datasets["kommunehelse"].span.line + 2

    def never(*args):
        raise AssertionError("a data file was read again")

    with monkeypatch.context() as m:
        m.setattr(data, "load", never)
        again, _ = load_data(edited)
    assert again == tables


def test_a_changed_declaration_reads_its_data_afresh(spec_copy, fresh_cache):
    graph, _ = compile_file(str(spec_copy))
    tables, _ = load_data(graph)
    text = spec_copy.read_text(encoding="utf-8")
    spec_copy.write_text(text.replace("  name rhf\n", ""), encoding="utf-8")  # rhf_basis without names
    edited, _ = compile_file(str(spec_copy))
    again, _ = load_data(edited)
    assert tables["rhf_basis"].names and not again["rhf_basis"].names
    assert again["kommunehelse"] == tables["kommunehelse"]


def test_errors_are_never_cached(spec_copy, fresh_cache):
    key = spec_copy.parent.parent / "data" / "kommuner.csv"
    good = key.read_text(encoding="utf-8")
    key.write_text(good.replace("717710", "-1"), encoding="utf-8")
    graph, _ = compile_file(str(spec_copy))
    for _ in range(2):
        tables, found = load_data(graph)
        assert "kommunehelse" not in tables and any(d.is_error for d in found)
    key.write_text(good, encoding="utf-8")
    tables, found = load_data(graph)
    assert "kommunehelse" in tables and not any(d.is_error for d in found)


def test_a_damaged_cache_is_ignored(spec_copy, fresh_cache):
    graph, _ = compile_file(str(spec_copy))
    load_data(graph)
    for entry in fresh_cache.iterdir():
        entry.write_bytes(b"not a pickle")
    again, _ = compile_file(str(spec_copy))
    tables, found = load_data(again)
    assert again == graph and not found and len(tables) == len(graph.datasets)


def test_no_cache_directory_means_no_cache(spec_copy, monkeypatch, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the directory would be")
    monkeypatch.setenv("NHNPRICE_CACHE_DIR", str(blocked / "cache"))
    assert cache.directory() is None
    graph, found = compile_file(str(spec_copy))
    assert graph is not None and not found


@pytest.mark.parametrize(("spec", "datasets"), [
    ("specs/2024.nhp", 5),
    # fee categories read the register's other columns, which a cached table keeps packed
    ("specs/examples/2025-differensiert-ovrige.nhp", None),
])
def test_a_cached_report_is_the_uncached_report_byte_for_byte(fresh_cache, spec, datasets):
    command = [sys.executable, "-m", "nhnprice", "report", spec, "--format", "json"]
    runs = [subprocess.run(command, cwd=ROOT, capture_output=True, check=True).stdout for _ in range(2)]
    uncached = subprocess.run(command, cwd=ROOT, capture_output=True, check=True,
                              env={**os.environ, "NHNPRICE_NO_CACHE": "1"}).stdout
    assert runs[0] == runs[1] == uncached
    if datasets is not None:
        assert len(list(fresh_cache.glob("data-*.entry"))) == datasets


def test_rows_survive_the_cache_whatever_their_text():
    import pickle

    from nhnprice.data import Rows

    for rows in ([], [{}, {}], [{"id": "1", "navn": "A"}, {"id": "2", "navn": ""}],
                 [{"id": "1"}, {"navn": "ragged"}], [{"id": "x\x1fy"}]):
        again = pickle.loads(pickle.dumps(Rows(rows)))
        assert list(again) == rows and len(again) == len(rows) and again == Rows(rows)


def test_the_same_spec_named_from_another_folder_is_not_confused(spec_copy, fresh_cache, monkeypatch):
    """Paths in a compiled spec are relative to the working directory it was compiled from."""
    monkeypatch.chdir(spec_copy.parent)
    relative, _ = compile_file("vkp.nhp")
    monkeypatch.chdir(spec_copy.parent.parent)
    graph, _ = compile_file(str(spec_copy))
    tables, found = load_data(graph)
    assert not found and len(tables) == len(graph.datasets)
    assert relative != graph
