"""`nhnprice verify`: the search for data that breaks a spec, and the invariants it checks."""

from __future__ import annotations

import json
from fractions import Fraction
from xml.etree import ElementTree as ET

import attrs
import pytest
from hypothesis import given, settings, strategies as st

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
    proc = nhnprice("verify", str(FEE_SPEC), "--examples", "30", "--seed", "3", "--growth", "0")
    assert "FAILED  no-over-collection: broken beyond an exact bound" in proc.stdout  # the bound still says so
    assert "counterexample (shrunk)" not in proc.stdout  # ... though no data set of the search broke it
    assert proc.returncode == 1


def test_a_fee_that_declares_its_excess_carried_over_reports_the_bound_as_information(tmp_path):
    spec = tmp_path / "carried.nhp"
    text = FEE_SPEC.read_text(encoding="utf-8").replace('"../data/', f'"{TESTS / "data"}/')
    spec.write_text(text.replace("from medlemmer\n", 'from medlemmer excess carried over "neste år"\n'),
                    encoding="utf-8")
    proc = nhnprice("verify", str(spec), "--seed", "3")
    out = proc.stdout.replace("\xa0", " ")
    assert proc.returncode == 0, out + proc.stderr
    assert "info    no-over-collection (proved): `ovrige` against its share: 100 kr per member per month " \
        "stays within up to 2 members; from 3 it collects 3 600 kr" in out
    assert "the excess is carried over (neste år)" in out


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
    graph, _ = compile_file(str(TESTS / "good" / "vkp.nhp"))
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


# ---- exact bounds, derived from the spec: found by default, with the first value that breaks them


def default_verify(name: str, *extra: str):
    proc = nhnprice("verify", f"verify/{name}.nhp", "--seed", "1", *extra, cwd=TESTS)
    assert "Traceback" not in proc.stdout + proc.stderr and "Warning" not in proc.stderr
    return proc, proc.stdout.replace("\xa0", " ")


def test_the_2024_fee_without_a_policy_on_excess_fails_default_verify_from_6688_members(tmp_path):
    junit, json_file = tmp_path / "verify.xml", tmp_path / "verify.json"
    proc, out = default_verify("fee_6688_members", "--junit", str(junit), "--json", str(json_file))
    assert proc.returncode == 1
    assert ("FAILED  no-over-collection (proved): `ovrige` against its share: 1 570 kr per member per month "
            "stays within up to 6 687 members; from 6 688 it collects 126 001 920 kr, 1 920 kr more than "
            "126 000 000 kr; tightest at prisjustering 0 %") in out
    assert "register ovrige_medlemmer: 6 688 members (declared: 6 687)" in out
    [failure] = ET.parse(junit).getroot().findall(".//failure")
    assert "6 688" in failure.text.replace("\xa0", " ")
    document = json.loads(json_file.read_text(encoding="utf-8"))
    [bound] = document["bounds"]
    assert (bound["subject"], bound["status"], bound["first"], bound["proved"]) == ("ovrige", "failed", 6688, True)
    assert document["ok"] is False
    assert {i["name"]: i["status"] for i in document["invariants"]}["no-over-collection"] == "failed"


@pytest.mark.parametrize("name, expected", [
    ("share_over_100", "the shares of `vkp` break when count(vkp_i_bruk) is 268 to 357 and hold when it is 0 to 267"),
    ("rest_negative_above_181", "the shares of `vkp` break when count(vkp_i_bruk) is 182 to 357 and hold when it "
                                "is 0 to 181; at 182: the shares come to 100,4 % before `rest`"),
    ("carry_over_larger_than_cost", "the carry-over of `vkp` (-30 000 000 kr) is larger than its cost of "
                                    "27 100 000 kr when prisjustering is 0 % to 20 % (every price adjustment"),
    ("credit_larger_than_amount", "the credit of `rhf` (-1 500 000 kr) is larger than what it pays of 1 355 000 kr "
                                  "when prisjustering is 0 % to 10,7 %; it fits when it is 10,8 %"),
])
def test_default_verify_fails_each_spec_with_its_threshold(name, expected):
    proc, out = default_verify(name)
    assert proc.returncode == 1, out
    assert expected in out


def test_a_spec_that_check_rejects_does_not_pass_verify():
    for name, code in (("carry_over_larger_than_cost", "V020"), ("credit_larger_than_amount", "V023")):
        check = nhnprice("check", f"verify/{name}.nhp", cwd=TESTS)
        proc, out = default_verify(name)
        assert check.returncode == proc.returncode == 1 and f"[{code}]" in check.stderr and f"[{code}]" in proc.stderr
        assert "the declared data does not pass `nhnprice check`" in out and "data sets" not in out


def test_2024_passes_default_verify_and_states_the_bound_of_the_ovrige_fee_as_information(tmp_path):
    json_file = tmp_path / "verify.json"
    proc = nhnprice("verify", str(SPEC_2024), "--seed", "2", "--json", str(json_file))
    out = proc.stdout.replace("\xa0", " ")
    assert proc.returncode == 0, out + proc.stderr
    assert "info    no-over-collection (proved): `ovrige` against its share: 1 570 kr per member per month " \
        "stays within up to 6 687 members; from 6 688 it collects" in out
    assert "the excess is carried over" in out
    document = json.loads(json_file.read_text(encoding="utf-8"))
    statuses = {i["name"]: i["status"] for i in document["invariants"]}
    assert statuses == {"no-over-collection": "proved", "shares-balance": "proved", "conservation": "searched",
                        "non-negative": "proved", "within-quota": "searched", "expectations": "searched"}


def test_no_warning_from_hypothesis_reaches_the_user():
    # the case that leaked a HypothesisWarning: a register that may grow by one per cent
    proc = nhnprice("verify", str(SPEC_2024), "--growth", "1", "--examples", "30", "--seed", "1")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr


# ---- the bounds cross-checked: at the bound the invariant holds, one step past it, it breaks


def compiled(name: str):
    graph, diagnostics = compile_file(str(TESTS / "verify" / f"{name}.nhp"))
    assert graph is not None, diagnostics
    tables, _ = load_data(graph)
    return graph, tables


def register_of(table, count: int, ids_from=None):
    """`table` with `count` members: its own first, then ids of `ids_from` (a key's entities)."""
    from nhnprice.verify import _table

    ids = list(table.ids) + [i for i in (ids_from or []) if i not in set(table.ids)]
    rows = list(table.rows) * (count // max(1, len(table.rows)) + 1)
    if count > len(ids):  # made-up organisation numbers: only the count matters to a fee
        ids += [f"{900_000_000 + i:09d}" for i in range(count - len(ids))]
    return _table(table.name, "register", ids[:count], rows=rows[:count])


def bound_of(graph, tables, subject):
    from nhnprice.bounds import derive
    from nhnprice.params import parameter_values

    [bound] = [b for b in derive(graph, tables, parameter_values(graph, tables, None)) if b.subject == subject]
    return bound


def codes(graph, tables, params=None):
    from nhnprice.evaluate import evaluate

    return [d.code for d in evaluate(graph, tables, params, entities=False)[1] if d.is_error]


def test_the_fee_bound_holds_at_6687_members_and_breaks_at_6688():
    graph, tables = compiled("fee_6688_members")
    first = bound_of(graph, tables, "ovrige").first
    assert first == 6688
    for count, broken in ((first - 1, False), (first, True)):
        data = {**tables, "ovrige_medlemmer": register_of(tables["ovrige_medlemmer"], count)}
        outcome = check_data(graph, DataSet(data))
        assert [v.invariant for v in outcome.violations] == (["no-over-collection"] if broken else [])


@pytest.mark.parametrize("name, first", [("rest_negative_above_181", 182), ("share_over_100", 268)])
def test_a_computed_share_bound_holds_one_below_it_and_breaks_at_it(name, first):
    graph, tables = compiled(name)
    bound = [b for b in bound_of_all(graph, tables) if "count(vkp_i_bruk)" in b.text][0]
    assert bound.first == first
    municipalities = tables["kommunehelse"].ids
    for count, expected in ((first - 1, []), (first, ["V041"] if name.startswith("rest") else ["V040"])):
        data = {**tables, "vkp_i_bruk": register_of(tables["vkp_i_bruk"], count, municipalities)}
        assert codes(graph, data) == expected


def bound_of_all(graph, tables):
    from nhnprice.bounds import derive
    from nhnprice.params import parameter_values

    return derive(graph, tables, parameter_values(graph, tables, None))


@pytest.mark.parametrize("name, subject, code", [("credit_larger_than_amount", "rhf", "V023")])
def test_a_carry_over_bound_breaks_below_the_price_adjustment_it_names_and_holds_from_it(name, subject, code):
    graph, tables = compiled(name)
    bound = bound_of(graph, tables, subject)
    assert bound.first == 0 and "fits when it is 10,8 % to 20 %" in bound.text
    assert codes(graph, tables, {"prisjustering": Fraction(107, 1000)}) == [code]
    assert codes(graph, tables, {"prisjustering": Fraction(108, 1000)}) == []


def test_a_differentiated_fixed_fee_is_bounded_per_category_and_each_bound_is_exact():
    from conftest import ROOT

    example = ROOT / "specs" / "examples" / "2025-differensiert-ovrige.nhp"
    text = example.read_text(encoding="utf-8").replace("fee solve per member", "fee 1 000 kr per member")
    graph = graph_of(text, example)  # the example's own folder: its data paths hold
    tables, _ = load_data(graph)
    bound = bound_of(graph, tables, "ovrige")
    text = bound.text.replace("\xa0", " ")
    # 322, 2 005 and 4 360 members pay 4 000, 2 000 and 1 000 kr a month: 115 896 000 kr of 126 000 000 kr;
    # the 10 104 000 kr left take 210 more `stor` members (48 000 kr a year each), 421 `mellomstor`, 842 `liten`
    assert "4 000 kr per member per month stays within up to 532 members in category `stor`" in text
    assert "up to 2 426 members in category `mellomstor`" in text and "up to 5 202 members in category `liten`" in text
    assert bound.first == 533 and not bound.proved  # per category, the others as declared
    assert bound.failure  # no policy on excess


def graph_of(text: str, path=TESTS / "verify" / "generated.nhp"):
    from nhnprice.pipeline import compile_text

    graph, diagnostics = compile_text(text, str(path))
    assert graph is not None, diagnostics
    return graph


@settings(max_examples=40, deadline=None)
@given(fee_kr=st.integers(1, 5000), cost_kr=st.integers(1, 10**6), share=st.sampled_from(["1/3", "half", "10 %"]),
       adjusted=st.booleans(), margin=st.sampled_from(["", " margin 1 %", " margin 250 kr"]))
def test_a_fixed_fee_bound_is_exact_at_every_fee_cost_and_margin(fee_kr, cost_kr, share, adjusted, margin):
    adjust = 'parameter p = 0 %\nadjust prices by p\n' if adjusted else ""
    graph = graph_of(f'''title "t"
year 2024
rounding groups to 1 kr
{adjust}register medlemmer {{ file "../data/members.csv" id organisasjonsnummer }}
group g fee {fee_kr} kr per member per month from medlemmer{margin}
group other entity "983544622"
pool helsenettet {{ cost {cost_kr} kr  g {share}  other rest }}
''')
    tables, _ = load_data(graph)
    bound = bound_of(graph, tables, "g")
    first = bound.first
    assert bound.proved and bound.failure and first >= 0
    for count, expected in ((first - 1, []), (first, ["V010"])):
        if count < 1:
            continue  # an empty register is refused (V012), not over-collected
        data = {**tables, "medlemmer": register_of(tables["medlemmer"], count)}
        assert codes(graph, data) == expected, (count, bound.text)
