"""Golden diagnostics: every spec in tests/bad fails `nhnprice check` with
exactly the messages in its .txt file; every spec in tests/good passes.
Regenerate with `pytest --update-golden` and review the diff."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import TESTS
from nhnprice.cli import main

BAD = sorted((TESTS / "bad").glob("*.nhp"))
GOOD = sorted((TESTS / "good").glob("*.nhp"))


@pytest.mark.parametrize("spec", BAD, ids=lambda p: p.stem)
def test_bad_spec_fails_with_its_diagnostics(spec, golden, in_tests_dir):
    result = CliRunner().invoke(main, ["check", f"bad/{spec.name}"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    golden(spec.with_suffix(".txt"), result.stderr)


@pytest.mark.parametrize("spec", BAD, ids=lambda p: p.stem)
def test_bad_spec_gnu_lines_name_file_line_and_column(spec, in_tests_dir):
    result = CliRunner().invoke(main, ["check", f"bad/{spec.name}", "--diagnostics", "gnu"])
    first = result.stderr.splitlines()[0]
    file, line, col, rest = first.split(":", 3)
    assert file.endswith(".nhp") or file.endswith(".csv")
    assert int(line) >= 1 and int(col) >= 1
    assert rest.startswith(" error: ")


@pytest.mark.parametrize("spec", GOOD, ids=lambda p: p.stem)
def test_good_spec_passes(spec, in_tests_dir):
    result = CliRunner().invoke(main, ["check", f"good/{spec.name}"])
    assert result.exit_code == 0, result.stderr
    assert ": ok:" in result.stdout


def test_three_syntax_errors_are_three_json_diagnostics_with_end_positions(in_tests_dir):
    import json

    result = CliRunner().invoke(main, ["check", "bad/three_syntax_errors.nhp", "--diagnostics", "json"])
    assert result.exit_code == 1
    found = [(d["code"], d["line"], d["column"], d["end_line"], d["end_col"])
             for d in json.loads(result.stderr)["diagnostics"]]
    # `wieght`, the `{` of the pool left open, `millioner`
    assert found == [("E009", 18, 3, 18, 9), ("E007", 30, 16, 30, 17), ("E008", 31, 13, 31, 22)]
