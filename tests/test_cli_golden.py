"""Golden output of every command on specs/2024.nhp: what a user sees on standard output and
standard error, and the exit status, byte for byte. Regenerate with `pytest --update-golden`
and review the diff: a change here is a change every user and pipeline sees."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import ROOT
from nhnprice.cli import main

SPEC = "specs/2024.nhp"
EXAMPLE = "specs/examples/2027-individuelt-medlemskap.nhp"

#: golden file name -> the command line
COMMANDS = {
    "check": ["check", SPEC],
    "check_json_diagnostics": ["check", "tests/bad/several_problems.nhp", "--diagnostics", "json"],
    "check_dump_graph": ["check", SPEC, "--dump", "graph"],
    "check_dump_graph_categories": ["check", "specs/examples/2025-differensiert-ovrige.nhp", "--dump", "graph"],
    "check_dump_graph_computed": ["check", "tests/verify/shares_balance_once.nhp", "--dump", "graph"],
    "check_gnu_diagnostics": ["check", "tests/bad/several_problems.nhp", "--diagnostics", "gnu"],
    "report_table": ["report", SPEC],
    "report_table_en": ["report", SPEC, "--lang", "en"],
    "report_markdown": ["report", SPEC, "--format", "markdown"],
    "report_json": ["report", SPEC, "--format", "json"],
    "report_csv": ["report", SPEC, "--format", "csv"],
    "report_entity": ["report", SPEC, "--entity", "0301"],
    "report_set": ["report", SPEC, "--set", "prisjustering=4%"],
    "explain_text": ["explain", SPEC, "Oslo"],
    "explain_json": ["explain", SPEC, "Oslo", "--format", "json"],
    "diff_table": ["diff", SPEC, SPEC, "--set", "prisjustering=4%"],
    "diff_json": ["diff", SPEC, SPEC, "--set", "prisjustering=4%", "--format", "json"],
    "diff_csv": ["diff", SPEC, SPEC, "--set", "prisjustering=4%", "--format", "csv"],
    "regulation": ["regulation", SPEC],
    "sweep_table": ["sweep", SPEC, "--set", "prisjustering=0%..5%:1%"],
    "sweep_csv": ["sweep", SPEC, "--set", "prisjustering=0%..5%:1%", "--format", "csv"],
    "sweep_json": ["sweep", EXAMPLE, "--set", "medlemmer=5000..30000:5000", "--format", "json"],
    "invoices_table": ["invoices", SPEC, "--group", "ovrige"],
    "invoices_csv": ["invoices", SPEC, "--group", "ovrige", "--format", "csv"],
    "invoices_json": ["invoices", SPEC, "--group", "ovrige", "--format", "json"],
    "verify": ["verify", SPEC, "--examples", "5", "--seed", "1"],
    "fmt_check": ["fmt", "--check", SPEC],
    "data_check": ["data", "check", "specs/data/2024/kommunehelse.csv"],
}


@pytest.mark.parametrize("name", COMMANDS)
def test_command_output_is_unchanged(name, golden, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, COMMANDS[name])
    assert "Traceback" not in result.output
    shown = (f"$ nhnprice {' '.join(COMMANDS[name])}\n[exit {result.exit_code}]\n"
             f"--- stdout\n{result.stdout}--- stderr\n{result.stderr}")
    golden(ROOT / "tests" / "good" / "cli" / f"{name}.txt", shown)


def test_verify_junit_is_unchanged(golden, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    junit = tmp_path / "verify.xml"
    result = CliRunner().invoke(main, ["verify", SPEC, "--examples", "5", "--seed", "1", "--junit", str(junit)])
    assert result.exit_code == 0, result.output
    golden(ROOT / "tests" / "good" / "cli" / "verify_junit.xml", junit.read_text(encoding="utf-8"))
