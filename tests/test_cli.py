"""End to end: the installed `nhnprice` command, as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SPEC_2024, TESTS


def command(*args: str) -> list[str]:
    """The installed `nhnprice` with `args` (or, without one, the module)."""
    exe = shutil.which("nhnprice")
    return ([exe] if exe else [sys.executable, "-m", "nhnprice"]) + list(args)


def nhnprice(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(command(*args), cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "200"})


def test_check_2024_succeeds():
    proc = nhnprice("check", str(SPEC_2024))
    assert proc.returncode == 0, proc.stderr
    assert "17 forventninger stemmer" in proc.stdout


def test_json_report_has_the_documented_shape():
    proc = nhnprice("report", str(SPEC_2024), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["format"] == "nhnprice.report/1"
    vkp_rhf = [g for g in report["groups"] if g["pool"] == "vkp" and g["group"] == "rhf"]
    assert vkp_rhf[0]["amount_ore"] == 140_000_000
    for key in ("pools", "groups", "allocations", "fees", "data", "checks"):
        assert report[key], key
    kommunehelse = next(d for d in report["data"] if d["name"] == "kommunehelse")
    assert kommunehelse["column"] == "innbyggere_2024_01_01" and kommunehelse["rows"] == 357
    assert kommunehelse["provenance"]["status"] == "proxy"


def test_table_report_shows_the_regulations_figures_and_labels_stand_in_data():
    proc = nhnprice("report", str(SPEC_2024))
    assert proc.returncode == 0, proc.stderr
    for figure in ("264,9", "88,3", "37,7", "1,4", "25,7", "68,8", "56,3", "13,3", "165,0", "1 570"):
        assert figure.replace(" ", "\u00a0") in proc.stdout or figure in proc.stdout, figure
    assert "stedfortreder" in proc.stdout and "syntetisk" in proc.stdout


def test_csv_report_rows_sum_to_the_total_cost():
    proc = nhnprice("report", str(SPEC_2024), "--format", "csv")
    lines = proc.stdout.splitlines()
    assert lines[0] == "pool,group,entity,name,amount_ore,amount_kr"
    assert len(lines) > 357 * 8


@pytest.mark.parametrize("spec", ["misspelled_group", "shares_101", "syntax_error"])
def test_bad_specs_exit_1_with_a_caret_and_no_traceback(spec):
    proc = nhnprice("check", f"bad/{spec}.nhp", cwd=TESTS)
    assert proc.returncode == 1
    assert f"bad/{spec}.nhp:" in proc.stderr and "^" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_usage_errors_exit_2():
    assert nhnprice("report", str(SPEC_2024), "--format", "pdf").returncode == 2
    assert nhnprice("report", str(SPEC_2024), "--data", "nonsense").returncode == 2
    assert nhnprice("frobnicate").returncode == 2


def test_data_override_replaces_a_declared_file(tmp_path):
    key = tmp_path / "k.csv"
    rows = (ROOT / "specs" / "data" / "2024" / "kommunehelse.csv").read_text(encoding="utf-8").splitlines()
    key.write_text("\n".join([rows[0], *reversed(rows[1:])]) + "\n", encoding="utf-8")
    base = nhnprice("report", str(SPEC_2024), "--format", "csv")
    swapped = nhnprice("report", str(SPEC_2024), "--format", "csv", "--data", f"kommunehelse={key}")
    assert swapped.returncode == 0, swapped.stderr
    assert sorted(base.stdout.splitlines()) == sorted(swapped.stdout.splitlines())


def test_unknown_data_override_is_wrong_usage_with_a_suggestion(tmp_path):
    proc = nhnprice("check", str(SPEC_2024), "--data", f"kommunehelsa={tmp_path}/x.csv")
    assert proc.returncode == 2 and "did you mean `kommunehelse`" in proc.stderr


def test_output_file_is_not_written_when_the_spec_is_wrong(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("previous", encoding="utf-8")
    proc = nhnprice("report", "bad/shares_101.nhp", "--format", "json", "-o", str(out), cwd=TESTS)
    assert proc.returncode == 1
    assert out.read_text(encoding="utf-8") == "previous"


def test_data_check_as_a_user_runs_it(tmp_path):
    good = nhnprice("data", "check", "specs/data/2024/kommunehelse.csv")
    assert good.returncode == 0 and "ok: nøkkel med 357 kommuner i 2024" in good.stdout
    broken = tmp_path / "k.csv"
    broken.write_bytes(b"kommunenummer;kommunenavn;vekt\r\n0301;Oslo;1,5\r\n0301;Oslo;2\r\n")
    proc = nhnprice("data", "check", str(broken))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"{broken}:3:1: error: `0301` appears twice [D007]" in proc.stderr
    assert nhnprice("data", "check", str(broken), "--kind", "table").returncode == 2


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("report", "--format", "json"), ("report",), ("check",)])
def test_a_full_disk_on_standard_output_is_a_message_not_a_traceback(args):
    with open("/dev/full", "w") as full:
        proc = subprocess.run(command(args[0], str(SPEC_2024), *args[1:]), cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip().endswith("error: cannot write standard output: No space left on device")
    assert "Traceback" not in proc.stderr and "ignored" not in proc.stderr


def test_a_closed_pipe_ends_quietly():
    proc = subprocess.Popen(command("report", str(SPEC_2024), "--format", "json"), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()  # as `| head -c 10` does
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert proc.returncode in (0, 1)
    assert "Traceback" not in stderr and "ignored" not in stderr
