"""Expectations on fees and on several groups together; amount parameters used as costs and fees."""

from __future__ import annotations

from conftest import SPEC_2024, TESTS
from nhnprice.check import check
from nhnprice.pipeline import run
from nhnprice.syntax import parse
from test_cli import nhnprice
from test_scenarios import HEADER, _evaluate

MEMBERS = TESTS / "data" / "members.csv"
SPEC = HEADER + f'''
parameter kostnad = 1 mill "kostnaden"
parameter avgift = 100 kr "avgiften"
register m {{ file "{MEMBERS}" id organisasjonsnummer name navn entities organisations provenance synthetic "t" }}
group a fee avgift per member per month from m
group b entity "1"
group c entity "2"
pool x {{ cost kostnad a 1/100 b equally c equally }}
expect a fee 100 kr
expect b, c pay 0.99 mill in x
'''


def test_the_2024_spec_pins_the_published_fee_and_the_rhf_and_kommuner_together():
    result, diagnostics = run(str(SPEC_2024))
    checks = {c.description: c for c in result.checks}
    assert checks["ovrige fee per member per month"].ok and checks["ovrige fee per member per month"].actual_ore == 157_000
    assert checks["rhf, kommuner pay in helsenorge"].actual_ore == 33_000_000_000


def test_amount_parameters_are_the_cost_and_the_fee_and_move_with_set():
    result = _evaluate(SPEC)
    assert result.pools[0].cost_ore == 100_000_000 and result.fees[0].fee_ore_per_month == 10_000
    assert all(c.ok for c in result.checks)
    moved = _evaluate(SPEC, {"kostnad": "2 mill", "avgift": "120 kr"})
    assert moved.pools[0].cost_ore == 200_000_000 and moved.fees[0].fee_ore_per_month == 12_000
    assert [c.ok for c in moved.checks] == [False, False]  # the expectations pin the spec's defaults


def test_a_fee_expectation_that_fails_says_so_in_kroner(tmp_path):
    spec = tmp_path / "s.nhp"
    spec.write_text(SPEC.replace("expect a fee 100 kr", "expect a fee 90 kr"), encoding="utf-8")
    proc = nhnprice("check", str(spec))
    assert proc.returncode == 1 and "expected a fee per member per month 90 kr, the spec gives 100 kr" in proc.stderr


def test_an_amount_parameter_no_rule_uses_is_refused_and_fee_expectations_need_a_fee_group():
    spec, _ = parse(SPEC.replace("parameter avgift", "parameter tillegg = 2 kr\nparameter avgift")
                    .replace("expect a fee 100 kr", "expect b fee 100 kr\nexpect a fee stor 1 kr"))
    codes = [d.code for d in check(spec) if d.is_error]
    assert codes == ["E142", "E102", "E155"], codes
