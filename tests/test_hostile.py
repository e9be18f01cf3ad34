"""Damaged and hostile input, as a careless or malicious user would give it: specs, data files
and cache entries, all made here. Whatever the input, nhnprice shows no traceback, names the
place of the problem, exits 1, leaves its inputs as they were and writes no partial output;
nothing read from the cache runs code or changes a result; a spec reads only the files it may."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
import shutil
import subprocess
import sys
import time
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, TESTS
from nhnprice import cache
from nhnprice.cli import main
from nhnprice.files import Access, Limits
from nhnprice.pipeline import compile_file, load_data, run

LOCATED = re.compile(r"^[^\s:][^:]*:\d+:\d+: error: ", re.M)


# ---------------------------------------------------------------------------------------- helpers

@pytest.fixture
def project(tmp_path, monkeypatch):
    """tests/good/vkp.nhp with its data in a `data` folder beside it, in a folder of its own;
    nothing else may be read (the session's allowance for tests/data is taken away)."""
    monkeypatch.delenv("NHNPRICE_ALLOW_DATA_DIRS", raising=False)
    monkeypatch.setenv("NHNPRICE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "p" / "data").mkdir(parents=True)
    for name in ("kommuner.csv", "rhf.csv", "adopters.csv"):
        shutil.copy(TESTS / "data" / name, tmp_path / "p" / "data" / name)
    spec = tmp_path / "p" / "vkp.nhp"
    spec.write_text((TESTS / "good" / "vkp.nhp").read_text(encoding="utf-8").replace('"../data/', '"data/'),
                    encoding="utf-8")
    return spec


def _digests(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file() and "cache" not in p.parts}


def refused(args: list[str], folder: Path, *, located: bool = True) -> str:
    """Run the CLI, which must refuse: exit 1, no traceback, a located error, inputs unchanged and
    no output written. Returns standard error."""
    before = _digests(folder)
    out = folder / "out.json"
    result = CliRunner().invoke(main, [*args, "-o", str(out)] if args[0] == "report" else args)
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    if located:
        assert LOCATED.search(result.stderr), result.stderr
    assert _digests(folder) == before
    assert not out.exists()
    return result.stderr


def process(args: list[str], cwd: Path, timeout: float = 30, **env: str) -> subprocess.CompletedProcess:
    """The CLI as a process of its own (for what could hang or exhaust memory), timed."""
    return subprocess.run([sys.executable, "-m", "nhnprice", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT), **env})


# ------------------------------------------------------------------------------------------ cache

class Boom:
    """A pickle that, loaded by a plain unpickler, creates a marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def _entries(folder: Path, kind: str) -> list[Path]:
    return sorted(folder.glob(f"{kind}-*.entry"))


def _authentic(folder: Path, name: str, payload: bytes) -> bytes:
    """What an entry holds when written with the folder's own secret (as if the attacker had it)."""
    secret = (folder / "secret").read_bytes()
    return cache._MAGIC + cache._tag(secret, name, payload) + payload


def test_a_crafted_entry_never_runs_even_with_the_secret(project, tmp_path):
    marker = tmp_path / "marker"
    graph, _ = compile_file(str(project))
    tables, _ = load_data(graph)
    folder = tmp_path / "cache"
    evil = pickle.dumps(Boom(marker))
    for entry in [*_entries(folder, "spec"), *_entries(folder, "data")]:
        for content in (evil, cache._MAGIC + bytes(32) + evil, _authentic(folder, entry.stem, evil)):
            entry.write_bytes(content)
            again, found = compile_file(str(project))
            assert again == graph and not found
            assert load_data(again) == (tables, [])
            assert not marker.exists()


def test_a_crafted_parser_entry_never_runs(project, tmp_path):
    marker = tmp_path / "marker"
    process(["check", str(project)], tmp_path)
    folder = tmp_path / "cache"
    (entry,) = _entries(folder, "parser")
    entry.write_bytes(_authentic(folder, entry.stem, pickle.dumps({"data": {}, "memo": Boom(marker)})))
    result = process(["check", str(project)], tmp_path)
    assert result.returncode == 0 and ": ok:" in result.stdout, result.stderr
    assert not marker.exists()


def test_a_swapped_entry_gives_the_files_own_result(project, tmp_path):
    """The registers' entries exchanged: each must still give its own file's table."""
    graph, _ = compile_file(str(project))
    tables, _ = load_data(graph)
    folder = tmp_path / "cache"
    first, second, *_ = _entries(folder, "data")
    a, b = first.read_bytes(), second.read_bytes()
    first.write_bytes(b)
    second.write_bytes(a)
    again, found = load_data(graph)
    assert again == tables and not found


@pytest.mark.parametrize("value", [("not", "a graph"), 42, None, (None, ()), ("x",), {"a": 1}])
def test_an_authentic_entry_of_the_wrong_shape_is_a_miss(project, tmp_path, value):
    graph, _ = compile_file(str(project))
    folder = tmp_path / "cache"
    (entry,) = _entries(folder, "spec")
    entry.write_bytes(_authentic(folder, entry.stem, pickle.dumps(value)))
    result = CliRunner().invoke(main, ["check", str(project)])
    assert result.exit_code == 0 and "Traceback" not in result.output
    again, found = compile_file(str(project))
    assert again == graph


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "old pickle"])
def test_a_corrupt_entry_is_a_miss(project, tmp_path, damage):
    graph, _ = compile_file(str(project))
    tables, _ = load_data(graph)
    for entry in (tmp_path / "cache").glob("*.entry"):
        content = entry.read_bytes()
        entry.write_bytes({"truncate": content[: len(content) // 2],
                           "flip": content[:-1] + bytes([content[-1] ^ 1]),
                           "empty": b"",
                           "old pickle": pickle.dumps(("x", ()))}[damage])
    again, found = compile_file(str(project))
    assert again == graph and not found
    assert load_data(again) == (tables, [])


def test_a_pipe_in_place_of_an_entry_is_a_miss_not_a_wait(project, tmp_path):
    graph, _ = compile_file(str(project))
    (entry,) = _entries(tmp_path / "cache", "spec")
    entry.unlink()
    os.mkfifo(entry)
    start = time.monotonic()
    again, found = compile_file(str(project))
    assert again == graph and not found and time.monotonic() - start < 20


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_a_cache_folder_others_can_write_to_is_not_used(tmp_path, monkeypatch, project, mode):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(mode)
    monkeypatch.setenv("NHNPRICE_CACHE_DIR", str(folder))
    assert cache.directory() is None and "other users" in cache.status()[1]
    result = CliRunner().invoke(main, ["check", str(project)])
    assert result.exit_code == 0
    assert result.stderr.count("cache is off") == 1
    assert not list(folder.iterdir())


@pytest.mark.parametrize("replace", ["folder", "link", "short"])
def test_a_secret_that_is_not_a_private_file_turns_the_cache_off(project, tmp_path, replace):
    compile_file(str(project))
    secret = tmp_path / "cache" / "secret"
    secret.unlink()
    if replace == "folder":
        secret.mkdir()
    elif replace == "link":
        (tmp_path / "known").write_bytes(bytes(32))
        secret.symlink_to(tmp_path / "known")
    else:
        secret.write_bytes(b"x")
        secret.chmod(0o600)
    assert cache.get(_entries(tmp_path / "cache", "spec")[0].stem) is None
    assert compile_file(str(project))[0] is not None


def test_a_cache_folder_of_another_user_is_not_used(tmp_path, monkeypatch, project):
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("NHNPRICE_CACHE_DIR", str(folder))
    monkeypatch.setattr(os, "geteuid", lambda: folder.stat().st_uid + 1)  # as if another user owned it
    assert cache.directory() is None and "belongs to another user" in cache.status()[1]
    graph, found = compile_file(str(project))
    assert graph is not None and not found and not list(folder.iterdir())


def test_a_secret_others_can_read_turns_the_cache_off(project, tmp_path):
    compile_file(str(project))
    secret = tmp_path / "cache" / "secret"
    secret.chmod(0o644)
    assert cache.get(_entries(tmp_path / "cache", "spec")[0].stem) is None


# ------------------------------------------------------------------------------ where data is read

@pytest.mark.parametrize("path", ["../../../../../../../../etc/passwd", "/etc/passwd"])
def test_a_spec_cannot_read_outside_its_folder(project, path):
    text = project.read_text(encoding="utf-8").replace('"data/rhf.csv"', f'"{path}"')
    project.write_text(text, encoding="utf-8")
    stderr = refused(["check", str(project)], project.parent)
    assert "[D030]" in stderr and "outside the spec's folder" in stderr and "--allow-data-dir" in stderr
    assert f"vkp.nhp:{text[:text.index(path)].count(chr(10)) + 1}:" in stderr
    assert "root:" not in stderr


def test_a_link_out_of_the_folder_is_outside_it(project, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(project.parent / "data" / "rhf.csv", outside / "rhf.csv")
    (project.parent / "data" / "rhf.csv").unlink()
    (project.parent / "data" / "rhf.csv").symlink_to(outside / "rhf.csv")
    assert "[D030]" in refused(["check", str(project)], project.parent)


def test_the_user_may_allow_a_folder_or_name_a_file(project, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.move(project.parent / "data" / "rhf.csv", outside / "rhf.csv")
    text = project.read_text(encoding="utf-8").replace('"data/rhf.csv"', f'"{outside}/rhf.csv"')
    project.write_text(text, encoding="utf-8")
    assert CliRunner().invoke(main, ["check", str(project)]).exit_code == 1
    allowed = CliRunner().invoke(main, ["check", str(project), "--allow-data-dir", str(outside)])
    assert allowed.exit_code == 0, allowed.stderr
    named = CliRunner().invoke(main, ["check", str(project), "--data", f"rhf_basis={outside}/rhf.csv"])
    assert named.exit_code == 0, named.stderr
    # the library's own option, for a server that compiles specs it is sent
    assert run(str(project), access=Access(allowed_dirs=(str(outside),)))[0] is not None
    assert run(str(project), access=Access(confine=False))[0] is not None
    assert run(str(project))[0] is None


# -------------------------------------------------------------------------------- bounded reading

@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
@pytest.mark.parametrize("role", ["data", "spec"])
def test_only_regular_files_are_read(project, tmp_path, kind, role):
    target = {"fifo": tmp_path / "pipe", "device": Path("/dev/zero"), "folder": tmp_path / "folder"}[kind]
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    args = ["check", str(target)] if role == "spec" else ["check", str(project), "--data", f"kommunehelse={target}"]
    start = time.monotonic()
    result = process(args, tmp_path)
    assert time.monotonic() - start < 20
    # a folder named as the spec is wrong usage, which the command line itself refuses (exit 2)
    assert result.returncode == (2 if (kind, role) == ("folder", "spec") else 1)
    assert "Traceback" not in result.stderr
    assert str(target) in result.stderr
    assert {"fifo": "not a regular file", "device": "not a regular file", "folder": "is a "}[kind] in result.stderr


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(project, monkeypatch):
    big = project.parent / "data" / "kommuner.csv"
    big.write_text(big.read_text(encoding="utf-8") + "\n" * (2 * 1024 * 1024), encoding="utf-8")
    monkeypatch.setenv("NHNPRICE_MAX_FILE_MB", "1")
    stderr = refused(["check", str(project)], project.parent)
    assert "more than the 1 MB" in stderr and "NHNPRICE_MAX_FILE_MB=4" in stderr


def _workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for line in (TESTS / "data" / "kommuner.csv").read_text(encoding="utf-8").splitlines():
        sheet.append([int(v) if v.isdigit() and not v.startswith("0") else v for v in line.split(",")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewritten(raw: bytes, part: str, change) -> bytes:
    """A workbook with one XML part rewritten; `change` writes the new part to a stream."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename == part:
                with new.open(part, "w", force_zip64=True) as stream:
                    change(old.read(part), stream)
            else:
                new.writestr(info, old.read(info.filename))
    return out.getvalue()


def _with_comment(megabytes: int, opening: bytes = b"<!--", closing: bytes = b"-->"):
    def change(xml: bytes, stream) -> None:
        head, tail = xml.split(b"<sheetData>", 1)
        stream.write(head + b"<sheetData>" + opening)
        block = b"a" * (1024 * 1024)
        for _ in range(megabytes):
            stream.write(block)
        stream.write(closing + tail)
    return change


@pytest.fixture(scope="module")
def comment_workbook(tmp_path_factory) -> Path:
    """A workbook whose sheet holds a 300 MB XML comment (300 kB packed), made once."""
    path = tmp_path_factory.mktemp("workbooks") / "kommuner.xlsx"
    path.write_bytes(_rewritten(_workbook(), "xl/worksheets/sheet1.xml", _with_comment(300)))
    return path


@pytest.mark.parametrize("limit", [None, "1024"])
def test_a_workbook_with_a_300_mb_comment_ends_in_seconds(project, comment_workbook, limit):
    path = comment_workbook
    env = {"NHNPRICE_MAX_WORKBOOK_MB": limit} if limit else {}
    start = time.monotonic()
    result = process(["check", str(project), "--data", f"kommunehelse={path}"], project.parent, **env)
    assert time.monotonic() - start < 30
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ("XML comment longer than 1 MB" if limit else "unpacks to more than 256 MB") in result.stderr
    assert LOCATED.search(result.stderr)


@pytest.mark.parametrize(("opening", "closing", "what"), [
    (b"<!--", b"-->", "an XML comment"), (b"<?x ", b"?>", "a processing instruction"),
    (b"<![CDATA[", b"]]>", "a CDATA section")])
def test_long_one_piece_markup_is_refused_before_parsing(project, opening, closing, what):
    path = project.parent / "data" / "kommuner.xlsx"
    path.write_bytes(_rewritten(_workbook(), "xl/worksheets/sheet1.xml", _with_comment(3, opening, closing)))
    stderr = refused(["check", str(project), "--data", f"kommunehelse={path}"], project.parent)
    assert f"holds {what} longer than 1 MB" in stderr


def test_short_comments_are_read(project):
    path = project.parent / "data" / "kommuner.xlsx"
    path.write_bytes(_rewritten(_workbook(), "xl/worksheets/sheet1.xml", _with_comment(0)))
    result = CliRunner().invoke(main, ["check", str(project), "--data", f"kommunehelse={path}"])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(("name", "xml", "message"), [
    ("dtd", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData><row><c t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>",
     "declares a DTD"),
    ("external entity", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                        b"<worksheet><sheetData>&e;</sheetData></worksheet>", "declares a DTD"),
    ("malformed", b"<worksheet><sheetData><row><c>", "not a readable Excel workbook"),
    ("not xml", b"\x00\x01\x02 garbage", "not a readable Excel workbook"),
])
def test_damaged_or_hostile_workbook_xml_is_a_data_error(project, name, xml, message):
    path = project.parent / "data" / "kommuner.xlsx"
    path.write_bytes(_rewritten(_workbook(), "xl/worksheets/sheet1.xml", lambda _, stream: stream.write(xml)))
    stderr = refused(["check", str(project), "--data", f"kommunehelse={path}"], project.parent)
    assert message in stderr and "kommuner.xlsx:1:1:" in stderr


def test_a_sheet_over_the_cell_limit_is_refused_with_the_limit_named(project, monkeypatch):
    path = project.parent / "data" / "kommuner.xlsx"
    path.write_bytes(_workbook())
    monkeypatch.setenv("NHNPRICE_MAX_CELLS", "5")
    stderr = refused(["check", str(project), "--data", f"kommunehelse={path}"], project.parent)
    assert "more than 5 cells" in stderr and "NHNPRICE_MAX_CELLS=20" in stderr


def test_a_csv_over_the_cell_limit_is_refused_before_it_is_split(project, monkeypatch):
    key = project.parent / "data" / "kommuner.csv"
    key.write_text(key.read_text(encoding="utf-8") + "\n" * 30, encoding="utf-8")
    monkeypatch.setenv("NHNPRICE_MAX_CELLS", "50")
    stderr = refused(["check", str(project)], project.parent)
    assert "more than 50 cells" in stderr and "NHNPRICE_MAX_CELLS=200" in stderr


def test_thousands_of_problems_on_one_line_are_cut_short(project):
    text = project.read_text(encoding="utf-8")
    entries = " ".join(f"ukjent{i} 0 %" for i in range(3000))
    project.write_text(text + f'pool mange "Mange" {{ cost 1 mill  {entries} }}\n', encoding="utf-8")
    stderr = refused(["check", str(project)], project.parent)
    assert stderr.count("vkp.nhp:44:") == 11  # ten problems and the note
    assert re.search(r"vkp.nhp:44:1: note: \d{4} more problems on this line are not shown", stderr)
    assert "NHNPRICE_MAX_PER_LINE=100" in stderr
    assert len(stderr) < 20_000  # each shown line cut to the stretch around its caret


# ---------------------------------------------------------------------------- no silent misreads

def _key_with(project: Path, weight: str) -> str:
    key = project.parent / "data" / "kommuner.csv"
    key.write_text(key.read_text(encoding="utf-8").replace("15221", weight), encoding="utf-8")
    return refused(["check", str(project)], project.parent)


@pytest.mark.parametrize(("weight", "said"), [
    ("717.710", "may mean 717 710 (thousands) or 717,71 (decimals)"),
    ('"717,710"', "may mean 717 710 (thousands) or 717,71 (decimals)"),
    ("１５２２１", "digits other than 0–9"),
    ("١٥٢٢١", "digits other than 0–9"),
    ("1e308", "with an exponent"),
    ('"1,234.5"', "more than one separator"),
    ('"15 22 1"', "not grouped in threes"),
])
def test_a_weight_that_needs_a_guess_is_an_error_at_its_row_and_column(project, weight, said):
    stderr = _key_with(project, weight)
    assert "kommuner.csv:3:" in stderr and "[D008]" in stderr and said in stderr


@pytest.mark.parametrize(("text", "semicolon", "value"), [
    ("15221", False, 15221), ("+15221", False, 15221), ("-3", False, -3),
    ("15 221", False, 15221), ("5\u00a0550\u202f203", False, 5550203),
    ("0.0027", False, Fraction(27, 10000)), ("0,0027", False, Fraction(27, 10000)),
    ("15221.5", False, Fraction(30443, 2)), ("15 221,5", True, Fraction(30443, 2)),
    ("1 234,567", False, Fraction(1234567, 1000)), ("717,710", True, Fraction(71771, 100)),
])
def test_every_accepted_form_of_docs_data_md(text, semicolon, value):
    from nhnprice.numbers import parse_weight

    assert parse_weight(text, semicolon) == value


@pytest.mark.parametrize(("text", "semicolon", "said"), [
    ("717.710", False, "thousands"), ("1,500", False, "thousands"), ("717.710", True, "thousands"),
    ("1,234.5", False, "more than one separator"), ("1.234,5", True, "more than one separator"),
    ("1.234.567", False, "more than one separator"),
    ("15 22 1", False, "not grouped in threes"), ("1 2345", False, "not grouped in threes"),
    ("１５２２１", False, "digits other than 0–9"), ("١٥٢٢١", True, "digits other than 0–9"),
    ("1e308", False, "exponent"), ("1.5E6", False, "exponent"),
    ("nan", False, "not a finite number"), ("inf", False, "not a finite number"),
    ("#DIV/0!", False, "not a finite number"), ("12 %", False, "not a number"),
    ("Oslo", False, "not a number"), ("", False, "empty"),
])
def test_every_refused_form_of_docs_data_md(text, semicolon, said):
    from nhnprice.numbers import number_problem, parse_weight

    assert parse_weight(text, semicolon) is None
    assert said in number_problem(text, semicolon)[0]


def test_a_duplicated_weight_column_is_an_error_at_its_header_cell(project):
    key = project.parent / "data" / "kommuner.csv"
    lines = key.read_text(encoding="utf-8").splitlines()
    key.write_text("\n".join([lines[0] + ",innbyggere"] + [f"{line},1" for line in lines[1:]]) + "\n",
                   encoding="utf-8")
    stderr = refused(["check", str(project)], project.parent)
    assert "kommuner.csv:1:" in stderr and "[D016]" in stderr and "columns C, D" in stderr


def test_a_huge_number_in_a_workbook_is_refused(project):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(_workbook()))
    book.active["C3"] = 1e308
    path = project.parent / "data" / "kommuner.xlsx"
    book.save(path)
    stderr = refused(["check", str(project), "--data", f"kommunehelse={path}"], project.parent)
    assert "kommuner.xlsx:3:3:" in stderr and "with an exponent" in stderr


@pytest.mark.parametrize("number", ["１２", "١٢", "12e3"])
def test_a_number_in_a_spec_is_written_with_ascii_digits_and_no_exponent(project, number):
    text = project.read_text(encoding="utf-8").replace("cost 27,1 mill", f"cost {number} mill")
    project.write_text(text, encoding="utf-8")
    stderr = refused(["check", str(project)], project.parent)
    assert "[E001]" in stderr and "vkp.nhp:33:" in stderr


# ------------------------------------------------------------------------------- no tracebacks

def _expression(terms: int) -> str:
    return "(" + " + ".join(["1/1000"] * terms) + ")"


def test_a_deep_expression_is_refused_clearly(project):
    text = project.read_text(encoding="utf-8").replace("  kommuner 95 % {", f"  kommuner {_expression(3000)} {{")
    project.write_text(text.replace("  rhf 5 %\n", "  rhf rest\n"), encoding="utf-8")
    stderr = refused(["check", str(project)], project.parent)
    assert "[E006]" in stderr and "vkp.nhp:35:12:" in stderr


def test_an_expression_just_below_the_limit_runs_through_every_pass(project, tmp_path):
    text = project.read_text(encoding="utf-8").replace("  kommuner 95 % {", f"  kommuner {_expression(140)} {{")
    text = text.replace("  rhf 5 %\n", "  rhf rest\n")
    project.write_text(text[: text.index("expect")], encoding="utf-8")
    for args in (["report", str(project), "--format", "json"], ["fmt", "--check", str(project)],
                 ["explain", str(project), "Oslo"], ["report", str(project), "--format", "markdown"]):
        result = CliRunner().invoke(main, args)
        assert "Traceback" not in result.output and not isinstance(result.exception, RecursionError), args
        assert result.exit_code in (0, 1), (args, result.output)


def test_a_nul_byte_in_a_path_is_an_error(project):
    assert compile_file(str(project) + "\x00x")[1][0].code == "E003"
    graph, _ = compile_file(str(project))
    tables, found = load_data(graph, {"kommunehelse": "data/k\x00.csv"})
    assert "kommunehelse" not in tables and found[0].code == "D002" and "\\x00" in found[0].message


@pytest.mark.parametrize(("text", "where"), [
    ("0301,Os\x01lo,717710", "kommuner.csv:2:8:"),
    ("0301,Oslo,717710\x1b[2J", "kommuner.csv:2:17:"),
    ("0301,Os\u2028lo,717710", "kommuner.csv:2:8:"),
])
def test_a_control_character_in_a_data_file_is_refused_at_its_row_and_column(project, text, where):
    key = project.parent / "data" / "kommuner.csv"
    key.write_text(key.read_text(encoding="utf-8").replace("0301,Oslo,717710", text), encoding="utf-8")
    stderr = refused(["check", str(project)], project.parent)
    assert where in stderr and "[D017]" in stderr
    assert "\x1b" not in stderr and "\x01" not in stderr


def test_a_control_character_in_a_workbook_cell_is_refused_at_its_cell(project):
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(_workbook()))
    book.active["B3"] = "Eiger\x9bsund"  # C1 CSI, which XML allows and a terminal obeys
    path = project.parent / "data" / "kommuner.xlsx"
    book.save(path)
    stderr = refused(["check", str(project), "--data", f"kommunehelse={path}"], project.parent)
    assert "kommuner.xlsx:3:2:" in stderr and "[D017]" in stderr and "U+009B" in stderr


# ------------------------------------------------------------------------------------- locations

@pytest.mark.parametrize("separator", ["\f", "\u2028", "\u2029"])
def test_lines_are_counted_alike_by_the_parser_and_the_renderer(project, separator):
    text = project.read_text(encoding="utf-8")
    project.write_text(f"# a comment{separator}with a separator\n" + text.replace("cost 27,1 mill", "cost 27,1 mil"),
                       encoding="utf-8")
    stderr = refused(["check", str(project)], project.parent)
    assert "vkp.nhp:34:" in stderr and " 34 |   cost 27,1 mil" in stderr


@pytest.mark.parametrize("char", ["\v", "\x85", "\x1b"])
def test_a_control_character_in_a_spec_is_refused_where_it_is(project, char):
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace('title "VKP"', f'title "V{char}KP"'), encoding="utf-8")
    stderr = refused(["check", str(project)], project.parent)
    assert "vkp.nhp:2:9:" in stderr and "[E005]" in stderr and char not in stderr


@pytest.mark.parametrize("damage", ["\x1b[2J", "\x00", "\v", "１", "(" * 400])
def test_fmt_leaves_a_damaged_spec_as_it_is(project, damage):
    text = project.read_text(encoding="utf-8").replace("cost 27,1 mill", f"cost 27,1 mill {damage}")
    project.write_text(text, encoding="utf-8")
    before = project.read_bytes()
    result = CliRunner().invoke(main, ["fmt", str(project)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert LOCATED.search(result.stderr) and project.read_bytes() == before
    assert not [p for p in project.parent.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def test_a_spec_that_is_not_utf8_gets_the_place_of_the_bad_byte(project):
    raw = project.read_bytes().replace('title "VKP"'.encode(), 'title "VKP å"'.encode("latin-1"))
    project.write_bytes(raw)
    stderr = refused(["check", str(project)], project.parent)
    assert "vkp.nhp:2:12: error:" in stderr and "byte 0xe5" in stderr


@pytest.mark.parametrize(("cut", "code"), [("year 2024\n", "E107"), ("pool vkp", "E100")])
def test_a_problem_of_the_whole_spec_is_shown_at_its_first_line_and_says_so(project, cut, code):
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace(cut, "") if code == "E107" else text[: text.index(cut)], encoding="utf-8")
    stderr = refused(["check", str(project)], project.parent)
    assert f"vkp.nhp:1:1: error:" in stderr and f"[{code}]" in stderr and "the spec as a whole" in stderr


def test_limits_come_from_the_environment_only_when_they_are_whole_numbers(monkeypatch):
    monkeypatch.setenv("NHNPRICE_MAX_FILE_MB", "ten")
    monkeypatch.setenv("NHNPRICE_MAX_CELLS", "12")
    assert Limits.from_env() == Limits(cells=12)


# ---------------------------------------------------------------------------------- any input at all

def test_any_bytes_as_a_data_file_give_a_sheet_or_diagnostics(tmp_path_factory):
    """Whatever a data file holds (text, binary, a broken zip), reading it returns, never raises."""
    from hypothesis import given
    from hypothesis import strategies as st

    from nhnprice.readers import read_rows

    zip_start = st.binary(max_size=300).map(lambda tail: b"PK\x03\x04" + tail)
    csv_like = st.text(alphabet=st.sampled_from(list("0123456789,;\t\n\r\". -abcæøå\x00\x1b\u2028\ufeff")),
                       max_size=200).map(lambda text: text.encode("utf-8"))

    @given(st.one_of(st.binary(max_size=300), zip_start, csv_like))
    def read(raw):
        sheet, problems = read_rows("fuzz.csv", raw=raw)
        assert sheet is not None or (problems and all(p.span is not None for p in problems))

    read()


def test_any_text_as_a_spec_parses_or_gives_located_diagnostics():
    from hypothesis import given
    from hypothesis import strategies as st

    from nhnprice.syntax import parse

    words = st.sampled_from(["pool", "key", "group", "{", "}", "(", ")", "+", "*", "/", "%", "1", "2,5", "1.500",
                             "mill", '"x"', "\n", "\f", "\v", "\u2028", "\x00", "１", "cost", "by", "rest"])

    @given(st.lists(words, max_size=60).map(" ".join))
    def parse_any(text):
        spec, problems = parse(text, "fuzz.nhp")
        assert spec is not None or (problems and all(p.span is not None for p in problems))

    parse_any()
