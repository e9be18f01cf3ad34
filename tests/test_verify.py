"""`nhnprice verify`: the search for data that breaks a spec, and the invariants it checks."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import attrs
import pytest

from conftest import SPEC_2024, TESTS
from test_cli import nhnprice

from nhnprice.pipeline import compile_file, load_data, run
from nhnprice.verify import INVARIANTS, DataSet, check_data, verify, verify_file

FEE_SPEC = TESTS / "verify" / "fee_members_join.nhp"


def test_2024_holds_every_invariant_and_writes_one_junit_case_per_invariant(tmp_path):
    junit = tmp_path / "verify.xml"
    proc = nhnprice("verify", str(SPEC_2024), "--examples", "25", "--seed", "1", "--junit", str(junit))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    suite = ET.parse(junit).getroot()
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == list(INVARIANTS) and len(cases) >= 4
    assert suite.get("failures") == "0" and not suite.findall(".//failure")
    assert "ok: " in proc.stdout and "seed 1" in proc.stdout


def test_a_fee_that_over_collects_when_members_join_is_caught_with_a_shrunk_counterexample(tmp_path):
    junit = tmp_path / "verify.xml"
    proc = nhnprice("verify", str(FEE_SPEC), "--growth", "50", "--examples", "50", "--seed", "3",
                    "--junit", str(junit))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout.replace("\xa0", " ")  # kroner are grouped with no-break spaces
    assert "FAILED  no-over-collection: counterexample (shrunk):" in out
    # shrunk to the smallest register that over-collects: one member more than declared
    assert "100 kr × 12 months × 3 members of `medlemmer`" in out
    assert "its share: 2 400 kr of `helsenettet`" in out
    assert "register medlemmer: 3 members: 983544622, 974761122, 900000000" in out  # declared ids first
    assert "Traceback" not in out + proc.stderr
    [failure] = ET.parse(junit).getroot().findall(".//failure")
    assert "3 members" in failure.get("message") and "register medlemmer" in failure.text


def test_the_same_fee_holds_while_the_register_does_not_grow():
    proc = nhnprice("verify", str(FEE_SPEC), "--examples", "30", "--seed", "3")
    assert proc.returncode == 0, proc.stdout


def test_data_the_spec_cannot_handle_is_a_refusal_with_the_specs_own_error_not_a_crash():
    # 200 data sets: with one empty register in twenty, missing it would take odds of 1 in 28 000
    proc = nhnprice("verify", "good/vkp.nhp", "--examples", "200", "--seed", "1", cwd=TESTS)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "V002" in proc.stdout and "register `vkp_i_bruk` is empty" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_a_fixed_seed_reproduces_the_run():
    first = nhnprice("verify", "good/vkp.nhp", "--examples", "20", "--seed", "11", cwd=TESTS)
    again = nhnprice("verify", "good/vkp.nhp", "--examples", "20", "--seed", "11", cwd=TESTS)
    assert first.stdout == again.stdout and first.returncode == again.returncode == 0


def test_a_spec_with_errors_is_reported_not_verified():
    proc = nhnprice("verify", "bad/shares_101.nhp", cwd=TESTS)
    assert proc.returncode == 1 and "E202" in proc.stderr and "data sets" not in proc.stdout


def test_usage_errors_exit_2():
    assert nhnprice("verify", str(SPEC_2024), "--examples", "0").returncode == 2
    assert nhnprice("verify", str(SPEC_2024), "--seed", "-1").returncode == 2


# ---- the invariants themselves must be able to fail: feed them a tampered result


@pytest.fixture(scope="module")
def vkp():
    result, diagnostics = run(str(TESTS / "good" / "vkp.nhp"))
    assert result is not None, diagnostics
    return result


def broken(result, name):
    return [v.invariant for v in INVARIANTS[name](result.graph, result.tables, result)]


def test_an_untampered_result_satisfies_every_invariant(vkp):
    assert check_data(vkp.graph, DataSet(vkp.tables)).violations == ()


def with_first_amount(result, change):
    """`result` with its first allocation's amount changed by `change`."""
    first, *rest = result.blocks
    amounts = (change(first.amounts[0]), *first.amounts[1:])
    return attrs.evolve(result, blocks=(attrs.evolve(first, amounts=amounts), *rest))


def test_one_ore_too_many_breaks_conservation_and_quota(vkp):
    tampered = with_first_amount(vkp, lambda ore: ore + 1)
    assert tampered.allocations[0].amount_ore == vkp.allocations[0].amount_ore + 1
    assert "conservation" in broken(tampered, "conservation")
    two = with_first_amount(vkp, lambda ore: ore + 2)
    assert "within-quota" in broken(two, "within-quota")


def test_a_negative_amount_and_an_over_collecting_pool_are_caught(vkp):
    negative = with_first_amount(vkp, lambda ore: -1)
    assert broken(negative, "non-negative") == ["non-negative"]
    pool = vkp.pools[0]
    over = attrs.evolve(vkp, pools=(attrs.evolve(pool, collected_ore=pool.cost_ore + 1),))
    assert "no-over-collection" in broken(over, "no-over-collection")


def test_a_failed_expectation_is_caught(vkp):
    check = vkp.checks[0]
    wrong = attrs.evolve(vkp, checks=(attrs.evolve(check, expected_ore=check.expected_ore + 1),))
    assert broken(wrong, "expectations") == ["expectations"]


def test_the_library_search_reports_per_invariant_counts():
    graph, _ = compile_file(str(FEE_SPEC))
    tables, _ = load_data(graph)
    report = verify(graph, tables, examples=20, seed=5)
    assert report.ok and report.seed == 5 and report.examples >= 20
    assert set(report.checked) == set(INVARIANTS)


def test_verify_file_is_the_whole_command_in_one_call():
    """What `nhnprice verify` runs: the same report as compiling, loading and searching by hand,
    and no search at all, only the diagnostics, for a spec with errors."""
    report, diagnostics = verify_file(str(FEE_SPEC), examples=20, seed=5)
    graph, _ = compile_file(str(FEE_SPEC))
    assert report == verify(graph, load_data(graph)[0], examples=20, seed=5)
    report, diagnostics = verify_file(str(TESTS / "bad" / "shares_101.nhp"))
    assert report is None and "E202" in [d.code for d in diagnostics]


def test_shares_computed_from_data_that_balance_for_the_declared_data_only_are_caught():
    proc = nhnprice("verify", str(TESTS / "verify" / "shares_balance_once.nhp"), "--examples", "50", "--seed", "1")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FAILED  shares-balance: counterexample (shrunk):" in proc.stdout
    assert "the shares of `kjernejournal` come to" in proc.stdout and "[V041" in proc.stdout
    assert "ok      no-over-collection" in proc.stdout
