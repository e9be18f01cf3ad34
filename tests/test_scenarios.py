"""Parameters, § 17 price adjustment, carry-over, solved fees, sweeps and invoices."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, SPEC_2024, TESTS
from nhnprice import fees
from nhnprice import nodes as n
from nhnprice.graph import CategoryNode
from nhnprice.evaluate import evaluate
from nhnprice.invoices import quarters, schedule
from nhnprice.params import read_overrides, read_value, sweep_values
from nhnprice.pipeline import compile_file, compile_text, evaluate_graph, load_data, run
from nhnprice.numbers import format_number
from nhnprice.printer import format_share, print_spec
from nhnprice.syntax import parse
from test_cli import nhnprice

SPEC_2027 = ROOT / "specs" / "examples" / "2027-individuelt-medlemskap.nhp"
MILL = 100_000_000


def _json(*args) -> dict:
    proc = nhnprice("report", *args, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


# ---- done when: price adjustment

def test_prisjustering_4_percent_scales_every_cost_exactly_and_helsenorge_is_171_6_mill_each():
    adjusted = _json(str(SPEC_2024), "--set", "prisjustering=4%")
    plain = _json(str(SPEC_2024))
    for after, before in zip(adjusted["pools"], plain["pools"]):
        assert after["cost_ore"] * 100 == before["cost_ore"] * 104, after["id"]
        assert after["cost_before_adjustment_ore"] == before["cost_ore"]
    helsenorge = {g["group"]: g["amount_ore"] for g in adjusted["groups"] if g["pool"] == "helsenorge"}
    assert helsenorge == {"rhf": 17_160_000_000, "kommuner": 17_160_000_000}
    assert adjusted["price_adjustment"]["factor"] == "26/25"
    assert adjusted["parameters"][0] | {"description": None} == {
        "name": "prisjustering", "kind": "percent", "value": "1/25", "text": "4 %", "overridden": True,
        "description": None}


def test_expectations_hold_before_the_price_adjustment_whatever_it_is():
    result, diagnostics = run(str(SPEC_2024), settings={"prisjustering": "3,7 %"})
    assert result is not None and not [d for d in diagnostics if d.is_error]
    assert all(c.ok for c in result.checks)
    rhf = next(g for g in result.groups if g.pool == "helsenorge" and g.group == "rhf")
    assert (rhf.before_adjustment_ore, rhf.amount_ore) == (16_500_000_000, 17_110_000_000)


def test_an_adjusted_cost_of_fractional_ore_is_rounded_down_and_a_payment_rounded_up_past_it_needs_a_margin():
    spec = HEADER + 'parameter p = 0 % adjust prices by p\ngroup a entity "1"\npool x { cost 1 øre a 100 % }\n'
    result, problems = _evaluate_problems(spec, {"p": "50%"})
    # the payment of 1 øre × 1.5 rounds half up to 2 øre, above the cost of 1.5 øre (kept as 1): refused
    assert result is None and [d.code for d in problems] == ["V050"]
    assert "0,01 kr more than the adjusted costs of 0,01 kr" in problems[0].message
    result = _evaluate(spec.replace("adjust prices by p", "adjust prices by p margin 1 øre"), {"p": "50%"})
    assert result.pools[0].cost_ore == 1  # 1.5 øre, never more than due
    assert (result.groups[0].before_adjustment_ore, result.groups[0].amount_ore) == (1, 2)
    assert (result.adjustment.excess_ore, result.adjustment.margin_ore) == (1, 1)


# ---- § 17 adjusts the payments as the regulation states them, not the costs split again

def _cells(result) -> dict[tuple[str, str], tuple[int, int]]:
    return {(g.pool, g.group): (g.before_adjustment_ore, g.amount_ore) for g in result.groups}


def test_prisjustering_4_percent_multiplies_each_stated_amount_and_rounds_it_to_0_1_mill():
    result, diagnostics = run(str(SPEC_2024), settings={"prisjustering": "4%"})
    assert result is not None, diagnostics
    cells = _cells(result)
    assert cells["helsenettet", "rhf"] == (88_3 * MILL // 10, 91_8 * MILL // 10)
    assert cells["vkp", "rhf"] == (1_4 * MILL // 10, 1_5 * MILL // 10)  # 1,456 -> 1,5 (re-split gave 1,4)
    assert cells["kjernejournal", "kommuner"] == (56_3 * MILL // 10, 58_6 * MILL // 10)  # 58,552 -> 58,6
    assert cells["provesvar", "rhf"] == (11_9 * MILL // 10, 12_4 * MILL // 10)  # 12,376 -> 12,4
    thirds = {cells["helsenettet", g][1] for g in ("rhf", "kommuner", "ovrige")}
    assert thirds == {91_8 * MILL // 10}  # equal shares stay equal
    for (pool, group), (stated, adjusted) in cells.items():  # every cell: stated × 1,04 to the nearest 0,1 mill.
        tenths = Fraction(stated * 104, 100 * MILL // 10)
        assert adjusted == int(tenths + Fraction(1, 2)) * (MILL // 10), (pool, group)


def test_prisjustering_4_percent_takes_the_fee_to_1570_kr_times_1_04_rounded_to_whole_kroner():
    result, _ = run(str(SPEC_2024), settings={"prisjustering": "4%"})
    [fee] = result.fees
    assert (fee.stated_fee_ore_per_month, fee.fee_ore_per_month) == (157_000, 163_300)  # 1 632,80 -> 1 633
    assert fee.collected_ore == 163_300 * 12 * fee.members
    # every member is invoiced the adjusted fee: 1 633 kr × 12 = 19 596 kr a year
    years = {m.year_ore for m in schedule(result, {"ovrige"})}
    assert years == {163_300 * 12}


def test_a_fee_is_rounded_half_up_to_the_fee_unit_the_spec_declares():
    members = TESTS / "data" / "members.csv"
    spec = (HEADER + 'rounding fees to 10 kr\nparameter p = 0 % "p"\nadjust prices by p margin 10 %\n'
            f'register m {{ file "{members}" id organisasjonsnummer name navn entities organisations '
            'provenance synthetic "t" }\ngroup a fee 100 kr per member per month from m\n'
            'group b entity "1"\npool x { cost 1 mill a 1/100 b rest }\n')
    fees_at = {pct: _evaluate(spec, {"p": pct}).fees[0].fee_ore_per_month
               for pct in ("4%", "5%", "4,99%", "-5%", "-5,01%")}
    # 104 kr and 104,99 kr round to 100 kr, 105 kr up to 110 kr; 95 kr up to 100 kr, 94,99 kr to 90 kr
    assert fees_at == {"4%": 10_000, "5%": 11_000, "4,99%": 10_000, "-5%": 10_000, "-5,01%": 9_000}


def test_regulation_and_invoices_say_the_adjusted_amounts_and_every_output_shows_stated_factor_adjusted():
    regulation = nhnprice("regulation", str(SPEC_2024), "--set", "prisjustering=4%")
    assert regulation.returncode == 0, regulation.stderr
    assert "et fast beløp på 1633 kroner per virksomhet per måned" in regulation.stdout
    assert "91,8 mill. kroner årlig til forvaltning og drift av helsenettet" in regulation.stdout
    assert "Velferdsteknologisk knutepunkt, Regionale helseforetak: 1,4 → 1,5 mill. kroner" in regulation.stdout
    assert "Øvrige medlemmer: 1570 → 1633 kroner per virksomhet per måned" in regulation.stdout
    assert "(× 1,04)" in regulation.stdout
    invoices = nhnprice("invoices", str(SPEC_2024), "--group", "ovrige", "--set", "prisjustering=4%",
                        "--format", "json")
    data = json.loads(invoices.stdout)
    assert data["price_adjustment"] == [{"group": "ovrige", "category": None, "stated_fee_ore_per_month": 157_000,
                                         "factor": "26/25", "fee_ore_per_month": 163_300}]
    assert {i["year_ore"] for i in data["invoices"]} == {163_300 * 12}
    table = nhnprice("report", str(SPEC_2024), "--set", "prisjustering=4%").stdout
    assert "88,3 → 91,8" in table and "1,4 → 1,5" in table and "1\u00a0570,00 kr × 1,04 = 1\u00a0633,00 kr" in table
    assert "53\u00a0548,00 kr under kostnadene" in table  # adjusted payments against adjusted costs
    markdown = nhnprice("report", str(SPEC_2024), "--set", "prisjustering=4%", "--format", "markdown").stdout
    assert "| 56,3 → 58,6 |" in markdown
    report = _json(str(SPEC_2024), "--set", "prisjustering=4%")
    assert report["fees"][0]["stated_fee_ore_per_month"] == 157_000
    assert report["price_adjustment"]["excess_ore"] == 0
    assert report["price_adjustment"]["payments_ore"] + 5_354_800 == report["price_adjustment"]["costs_ore"]


def test_a_solved_fee_is_solved_from_the_adjusted_share():
    result, _ = run(str(SPEC_2027), settings={"prisjustering": "4%"})
    plain, _ = run(str(SPEC_2027))
    [fee], [before] = result.fees, plain.fees
    assert fee.stated_fee_ore_per_month == before.fee_ore_per_month
    assert fee.share_ore == 131 * MILL  # 91,8 + 39,2 mill.
    assert fee.collected_ore <= fee.share_ore < fee.collected_ore + 12 * fee.members * 100


# ---- done when: the 2024 flat fee

def test_the_2024_fee_entry_shows_1570_kr_collected_and_deviation():
    report = _json(str(SPEC_2024))
    [fee] = report["fees"]
    assert fee["group"] == "ovrige" and fee["fee_ore_per_month"] == 157_000 and fee["solved"] is False
    assert fee["collected_ore"] == 157_000 * 12 * fee["members"]
    assert fee["deviation_ore"] == fee["share_ore"] - fee["collected_ore"] == 126 * MILL - fee["collected_ore"]


# ---- done when: the 2027 solved fee and the sweep

def test_the_2027_fee_is_the_largest_whole_krone_fee_within_the_share():
    report = _json(str(SPEC_2027))
    [fee] = report["fees"]
    assert fee["solved"] is True and fee["members"] == 15_000
    assert fee["collected_ore"] <= fee["share_ore"]
    assert (fee["fee_ore_per_month"] + 100) * 12 * fee["members"] > fee["share_ore"]
    assert fee["fee_ore_per_month"] == 70_000


@pytest.mark.parametrize("members", [1, 7, 6_687, 15_001, 123_457])
def test_a_solved_fee_never_exceeds_the_share_and_one_krone_more_would(members):
    result = _evaluate(SPEC_2027.read_text(encoding="utf-8"), {"medlemmer": str(members)}, SPEC_2027)
    [fee] = result.fees
    assert fee.fee_ore_per_month % 100 == 0
    assert fee.collected_ore <= fee.share_ore < (fee.fee_ore_per_month + 100) * 12 * members


def test_sweep_over_members_shows_the_fee_falling():
    proc = nhnprice("sweep", str(SPEC_2027), "--set", "medlemmer=5000..30000:5000", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)["rows"]
    fees = [r["ovrige.fee_ore_per_month"] // 100 for r in rows]
    assert fees == [2100, 1050, 700, 525, 420, 350]
    assert [r["value"] for r in rows][:2] == ["5 000", "10 000"]


def test_sweep_over_prisjustering_moves_the_group_totals():
    proc = nhnprice("sweep", str(SPEC_2024), "--set", "prisjustering=0%..2%:1%")
    assert proc.returncode == 0, proc.stderr
    # at 2 %, RHF's stated amounts each × 1,02 to the nearest 0,1 mill. (90,1 + 38,5 + 1,4 + ...)
    assert "prisjustering" in proc.stdout and "464,5" in proc.stdout and "473,9" in proc.stdout


def test_sweep_compiles_once_and_evaluates_scenarios_without_text():
    graph, diagnostics = compile_file(str(SPEC_2027))
    tables, _ = load_data(graph)
    values, problems = sweep_values(graph, "medlemmer", "10000..12000:1000")
    assert problems == [] and values == [10_000, 11_000, 12_000]
    fees = [evaluate_graph(graph, tables, {"medlemmer": v})[0].fees[0].fee_ore_per_month for v in values]
    assert fees == sorted(fees, reverse=True)


# ---- parameters and overrides

@pytest.mark.parametrize("text, expected", [
    ("4%", ("percent", Fraction(1, 25))), ("4,5 %", ("percent", Fraction(9, 200))),
    ("1 570 kr", ("amount", 157_000)), ("2.5 mill", ("amount", 250_000_000)), ("15000", ("count", 15_000)),
    ("-1 mill", ("amount", -100_000_000)),
])
def test_override_values_are_read_exactly(text, expected):
    assert read_value(text) == expected


def test_unknown_and_mistyped_overrides_are_diagnostics():
    graph, _ = compile_file(str(SPEC_2024))
    values, problems = read_overrides(graph, {"prisjustring": "4%", "prisjustering": "15000"})
    assert values == {}
    assert [d.code for d in problems] == ["U002", "U004"]
    assert "prisjustering" in problems[0].hint


def test_a_wrong_set_is_wrong_usage_with_a_hint():
    proc = nhnprice("report", str(SPEC_2024), "--set", "prisjustering=fire")
    assert proc.returncode == 2 and "U003" in proc.stderr and "prisjustering=4%" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = nhnprice("check", str(SPEC_2024), "--set", "prisjustering")
    assert proc.returncode == 2 and "NAME=VALUE" in proc.stderr


def test_a_scenario_file_is_a_named_set_of_overrides_and_set_wins(tmp_path):
    scenario = tmp_path / "kpi.toml"
    scenario.write_text('name = "KPI 4 %"\n[set]\nprisjustering = "4 %"\n', encoding="utf-8")
    report = _json(str(SPEC_2024), "--scenario", str(scenario))
    assert report["price_adjustment"]["factor"] == "26/25" and report["scenario"] == "KPI 4 %"
    assert "Scenario: KPI 4 %" in nhnprice("report", str(SPEC_2024), "--scenario", str(scenario)).stdout
    report = _json(str(SPEC_2024), "--scenario", str(scenario), "--set", "prisjustering=0%")
    assert report["parameters"][0]["value"] == "0"
    bad = tmp_path / "bad.toml"
    bad.write_text("prisjustering = 4\n", encoding="utf-8")
    proc = nhnprice("check", str(SPEC_2024), "--scenario", str(bad))
    assert proc.returncode == 1 and "[set]" in proc.stderr


# ---- carry-over

HEADER = 'title "t"\nyear 2024\n'
KEYED = HEADER + f'''
key k {{ file "{TESTS / 'data' / 'rhf.csv'}" id organisasjonsnummer name rhf weight vekt provenance synthetic "t" }}
group a by k carry-over -1 000 kr "overbetaling 2022"
group b entity "974761122"
pool x {{ cost 1 mill carry-over +10 kr "underbetaling 2023, brev 2024-01-05" a half b half }}
'''


def _evaluate(text, settings=None, path=None):
    result, problems = _evaluate_problems(text, settings, path)
    assert result is not None, problems
    return result


def _evaluate_problems(text, settings=None, path=None):
    graph, diagnostics = compile_text(text, str(path or TESTS / "x.nhp"))
    assert graph is not None, diagnostics
    tables, problems = load_data(graph)
    assert not problems, problems
    params, problems = read_overrides(graph, settings or {})
    assert not problems, problems
    return evaluate(graph, tables, params)


def test_a_pool_carry_over_is_shared_like_the_cost_and_reported_with_its_reference():
    result = _evaluate(KEYED)
    [pool] = result.pools
    assert pool.carry_over_ore == 1_000 and pool.collected_ore == 100_001_000
    assert result.group_amount("x", "a") == result.group_amount("x", "b") == 50_000_500
    assert pool.residual_ore == 0


def test_a_group_carry_over_is_its_own_line_distributed_by_its_key():
    result = _evaluate(KEYED)
    [carry] = result.carry_overs
    assert (carry.group, carry.amount_ore, carry.reference) == ("a", -100_000, "overbetaling 2022")
    lines = [a for a in result.allocations if a.pool == "carry-over"]
    assert sum(a.amount_ore for a in lines) == -100_000 and all(a.amount_ore <= 0 for a in lines)


def test_a_fee_groups_carry_over_changes_the_share_the_fee_is_solved_against():
    text = SPEC_2027.read_text(encoding="utf-8").replace(
        "members medlemmer", 'members medlemmer carry-over -1.8 mill "overbetaling 2026"')
    result = _evaluate(text, path=SPEC_2027)
    [fee] = result.fees
    assert fee.carry_over_ore == -180_000_000 and fee.share_ore == 124_200_000_00
    assert fee.fee_ore_per_month == 69_000


# ---- invoices

def test_quarters_sum_exactly_and_differ_by_at_most_one_ore():
    for total in (0, 1, 3, 18_840_00, 4_081_960_390, -7):
        parts = quarters(total)
        assert sum(parts) == total and max(parts) - min(parts) <= 1


def test_invoices_give_each_ovrige_member_a_quarter_of_its_fee_year():
    result, _ = run(str(SPEC_2024))
    lines = schedule(result, {"ovrige"})
    assert len(lines) == 6_687
    assert {line.quarters_ore for line in lines} == {(471_000,) * 4}


def test_invoices_command_lists_the_schedule_as_csv():
    proc = nhnprice("invoices", str(SPEC_2024), "--group", "rhf", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = proc.stdout.splitlines()
    assert rows[0] == "group,entity,name,quarter,due,amount_ore" and len(rows) == 1 + 4 * 4
    assert rows[1].split(",")[3:5] == ["Q1", "2024-01-01"]
    proc = nhnprice("invoices", str(SPEC_2024), "--group", "rfh")
    assert proc.returncode == 2 and "rhf" in proc.stderr


# ---- printing

def test_every_new_construct_prints_and_parses_back_equal():
    text = HEADER + '''
parameter prisjustering = 3.5 % "KPI"
parameter medlemmer = count(reg) "members"
parameter ekstra = 2.5 mill
parameter antall = 15 000
adjust prices by prisjustering
register reg { file "r.csv" id orgnr provenance synthetic "t" }
group o fee solve per member per month from reg members medlemmer carry-over -1.5 mill "ref"
pool p { cost 1 mill carry-over +2 kr "r" o 100 % }
'''
    spec, d = parse(text, "x.nhp")
    assert d == []
    printed = print_spec(spec)
    again, d = parse(printed, "y.nhp")
    assert d == [] and again == spec
    assert print_spec(again) == printed
    assert "carry-over +2 kr" in printed and "fee solve" in printed


# ---- differentiated fees

SPEC_2025 = ROOT / "specs" / "examples" / "2025-differensiert-ovrige.nhp"


def test_the_2025_example_solves_the_unit_price_within_the_share_and_labels_thresholds_illustrative():
    report = _json(str(SPEC_2025))
    [fee] = report["fees"]
    cats = {c["category"]: c for c in fee["categories"]}
    assert list(cats) == ["stor", "mellomstor", "liten"] and fee["solved"] is True
    assert sum(c["members"] for c in cats.values()) == fee["members"] == 6_687
    unit = fee["fee_ore_per_month"]
    assert [c["fee_ore_per_month"] for c in cats.values()] == [4 * unit, 2 * unit, unit]
    assert fee["collected_ore"] == sum(c["collected_ore"] for c in cats.values()) <= fee["share_ore"]
    weight_units = sum(int(c["weight"]) * c["members"] for c in cats.values())
    assert (unit + 100) * 12 * weight_units > fee["share_ore"]
    assert "illustrativ" in SPEC_2025.read_text(encoding="utf-8").lower()
    assert "illustrativ" in cats["stor"]["title"]


def test_each_member_falls_in_the_first_category_whose_rule_holds():
    result = _evaluate(SPEC_2025.read_text(encoding="utf-8"), path=SPEC_2025)
    register = result.tables["ovrige_medlemmer"]
    rows = dict(zip(register.ids, register.rows))
    [fee] = result.fees
    by_fee = {c.fee_ore_per_month * 12: c.id for c in fee.categories}
    paid: dict[str, int] = {}
    for a in result.allocations:
        if a.group == "ovrige":
            paid[a.entity] = paid.get(a.entity, 0) + a.amount_ore
    for ident, total in paid.items():
        row = rows[ident]
        large = float(row["omsetning_kr"]) >= 50e6 or float(row["arsverk"]) >= 50 or int(row["lokasjoner"]) >= 5
        medium = float(row["omsetning_kr"]) >= 5e6 or float(row["arsverk"]) >= 5 or int(row["lokasjoner"]) >= 2
        assert by_fee[total] == ("stor" if large else "mellomstor" if medium else "liten"), ident


def test_add_ons_over_a_solved_base_fee():
    text = SPEC_2025.read_text(encoding="utf-8")
    text = text.replace("weight 4 when", "add-on 2 000 kr when").replace("weight 2 when", "add-on 500 kr when") \
        .replace("weight 1 otherwise", "add-on 0 kr otherwise")
    result = _evaluate(text, path=SPEC_2025)
    [fee] = result.fees
    base = fee.fee_ore_per_month
    assert [c.fee_ore_per_month - base for c in fee.categories] == [200_000, 50_000, 0]
    assert fee.collected_ore <= fee.share_ore < fee.collected_ore + 12 * fee.members * 100


@pytest.mark.parametrize("categories, code", [
    ('a weight 1 when x > 1 b add-on 1 kr otherwise', "E162"),
    ('a weight 1 otherwise b weight 2 otherwise', "E164"),
    ('a weight 1 when x > 1', "E164"),
    ('a weight 1 when x > 1 a weight 2 otherwise', "E163"),
])
def test_malformed_categories_are_diagnosed(categories, code):
    from nhnprice.check import check

    spec, d = parse(HEADER + 'register r { file "r.csv" id id provenance synthetic "t" }\n'
                    f'group o fee solve per member per month from r categories {{ {categories} }}\n'
                    'pool p { cost 1 mill o 100 % }', "x.nhp")
    assert d == []
    assert code in [x.code for x in check(spec)]


def test_a_register_value_the_categories_cannot_compare_points_at_its_row_and_column(tmp_path):
    (tmp_path / "r.csv").write_text("id;navn;ansatte\nA1;Første;3\nB2;Andre;mange\nC3;Tredje;12\n",
                                    encoding="utf-8")
    (tmp_path / "s.nhp").write_text(
        HEADER + 'register r { file "r.csv" id id name navn provenance synthetic "t" }\n'
        'group o fee solve per member per month from r categories {\n'
        '  store weight 2 when ansatte >= 10\n  små weight 1 otherwise\n}\n'
        'pool p { cost 1 mill o 100 % }\n', encoding="utf-8")
    proc = nhnprice("check", "s.nhp", cwd=tmp_path)
    assert proc.returncode == 1
    assert "r.csv:3:1: error: the `ansatte` of `B2` is not a number: `mange` [V031]" in proc.stderr
    assert "B2;Andre;mange" in proc.stderr  # the row itself, under the message
    assert "the categories are declared at s.nhp:4:" in proc.stderr


# ---- shares computed from data

ADOPTION = HEADER + f'''
parameter grunnandel = 30 % "kommunenes andel uten innføring"
parameter tillegg = 20 % "tillegg ved full innføring"
key kommunehelse {{ file "{TESTS / 'data' / 'kommuner.csv'}" id kommunenummer name kommunenavn weight innbyggere
  provenance synthetic "t" }}
key rhf_basis {{ file "{TESTS / 'data' / 'rhf.csv'}" id organisasjonsnummer name rhf weight vekt provenance synthetic "t" }}
register kj_i_bruk {{ file "{TESTS / 'data' / 'adopters.csv'}" id kommunenummer provenance synthetic "t" }}
group kommuner by kommunehelse
group rhf by rhf_basis
pool kjernejournal {{
  cost 300 kr
  kommuner (grunnandel + tillegg * count(kj_i_bruk) / count(kommunehelse))
  rhf rest
}}
'''


def test_a_share_moves_with_the_fraction_of_municipalities_that_have_adopted():
    result = _evaluate(ADOPTION)
    # 30 % + 20 % × 2/3 = 130/300 of 300 kr
    assert result.group_amount("kjernejournal", "kommuner") == 13_000
    assert result.group_amount("kjernejournal", "rhf") == 17_000
    result = _evaluate(ADOPTION, {"tillegg": "35%"})
    assert result.group_amount("kjernejournal", "kommuner") == 16_000


def test_a_computed_share_outside_0_to_100_percent_is_a_diagnostic_naming_its_inputs():
    graph, _ = compile_text(ADOPTION, str(TESTS / "x.nhp"))
    tables, _ = load_data(graph)
    result, problems = evaluate(graph, tables, {"tillegg": Fraction(2)})
    assert result is None
    [problem] = problems
    assert problem.code == "V040" and "163,3" in problem.message.replace(".", ",")
    assert problem.span is not None and "count(kj_i_bruk) = 2" in problem.notes[0]


def test_computed_shares_that_do_not_make_100_percent_are_a_diagnostic():
    text = ADOPTION.replace("rhf rest", "rhf 50 %")
    graph, _ = compile_text(text, str(TESTS / "x.nhp"))
    tables, _ = load_data(graph)
    result, problems = evaluate(graph, tables)
    assert result is None and [p.code for p in problems] == ["V041"]


def test_a_computed_share_must_be_a_pools_own_share():
    from nhnprice.check import check

    text = ADOPTION.replace("rhf rest", "rhf rest { half (1/2) }")
    spec, _ = parse(text, "x.nhp")
    assert "E170" in [d.code for d in check(spec)]


def test_a_computed_share_prints_and_parses_back_equal():
    spec, _ = parse(ADOPTION, "x.nhp")
    printed = print_spec(spec)
    assert "kommuner (grunnandel + tillegg * count(kj_i_bruk) / count(kommunehelse))" in printed
    assert parse(printed, "y.nhp")[0] == spec


# ---- payers outside the regulation

def test_payers_outside_the_regulation_are_totalled_separately_both_ways():
    report = _json(str(SPEC_2024))
    totals = report["totals"]
    assert totals["outside_regulation_ore"] == 4 * MILL
    assert totals["regulated_ore"] + totals["outside_regulation_ore"] == totals["all_ore"]
    outside = {g["group"] for g in report["payer_groups"] if g["outside_regulation"]}
    assert outside == {"helfo", "slv"}
    table = nhnprice("report", str(SPEC_2024)).stdout
    assert "Sum alle: 1\u00a0073,3 innenfor forskriften + 4,0 utenfor forskriften = 1\u00a0077,3" in table


@pytest.mark.parametrize("path", sorted((ROOT / "specs" / "examples").glob("*.nhp")), ids=lambda p: p.name)
def test_the_examples_print_and_parse_back_equal(path):
    spec, diagnostics = parse(path.read_text(encoding="utf-8"), str(path))
    assert diagnostics == []
    assert parse(print_spec(spec), str(path))[0] == spec


@pytest.mark.parametrize("setting, code", [
    ("prisjustering=4%", "U007"), ("prisjustering=5%..1%:1%", "U005"), ("prisjustering=0..5:1", "U004"),
    ("prisjustring=0%..5%:1%", "U002"),
])
def test_a_sweep_needs_one_well_formed_range(setting, code):
    proc = nhnprice("sweep", str(SPEC_2024), "--set", setting)
    assert proc.returncode == 2 and f"[{code}]" in proc.stderr and "Traceback" not in proc.stderr


def test_a_sweep_shows_a_failing_value_as_an_error_row_and_exits_1():
    proc = nhnprice("sweep", str(SPEC_2027), "--set", "medlemmer=0..10:5")
    assert proc.returncode == 1 and "[V012]" in proc.stderr
    assert "feil: se over" in proc.stdout and "2\u00a0100\u00a0000,00" in proc.stdout


# ---- properties of solving a fee

_weights = st.fractions(min_value=Fraction(1, 4), max_value=8, max_denominator=100)


@given(share=st.integers(0, 10**12), counts=st.lists(st.integers(0, 50_000), min_size=1, max_size=4),
       weights=st.lists(_weights, min_size=4, max_size=4), addons=st.booleans(),
       addon_ore=st.lists(st.integers(0, 500_000), min_size=4, max_size=4))
def test_a_solved_unit_is_the_largest_whole_krone_that_never_exceeds_the_share(share, counts, weights, addons,
                                                                                addon_ore):
    categories = [CategoryNode(f"c{i}", f"c{i}", None if addons else weights[i], addon_ore[i] if addons else None,
                               None) for i in range(len(counts))]
    count_of = {c.id: n for c, n in zip(categories, counts)}
    unit = fees.solve(categories, count_of, share)
    if unit is None:  # only when the add-ons alone exceed the share
        assert addons and fees.collected(categories, count_of, 0) > share
        return
    assert unit % 100 == 0 and unit >= 0
    assert fees.collected(categories, count_of, unit) <= share
    if any(counts):
        assert fees.collected(categories, count_of, unit + 100) > share


def test_group_only_evaluation_gives_the_same_figures_for_computed_shares_and_carry_overs():
    for text in (ADOPTION, KEYED):
        graph, _ = compile_text(text, str(TESTS / "x.nhp"))
        tables, _ = load_data(graph)
        full, _ = evaluate(graph, tables, {})
        fast, _ = evaluate(graph, tables, {}, entities=False)
        assert fast.groups == full.groups and fast.pools == full.pools and fast.carry_overs == full.carry_overs
        assert fast.allocations == ()


def test_the_table_shows_carry_overs_on_their_own_lines_with_their_references():
    from nhnprice.report import render

    table = render(_evaluate(KEYED), "table")
    assert "    overføring: underbetaling 2023, brev 2024-01-05" in table
    assert "0,00001" in table  # 10 kr in mill., exactly
    assert "a: overføring -1\u00a0000,00 kr (overbetaling 2022)" in table


# ---- round trips of the new constructs, over generated nodes



def _number(value: Fraction) -> n.Number:
    return n.Number(value, format_number(value))


def _percent(value: Fraction) -> n.Number:
    return n.Number(value, format_share(n.Share("percent", value)))


_names = st.sampled_from(["grunnandel", "tillegg", "kj_i_bruk", "kommunehelse"]).map(n.Name)
_leaf = st.one_of(
    st.integers(0, 10_000).map(lambda v: _number(Fraction(v, 10))),
    st.integers(0, 10_000).map(lambda v: _percent(Fraction(v, 10_000))),
    st.builds(n.ParameterRef, _names),
    st.builds(n.Aggregate, st.just("count"), _names),
    st.builds(n.Aggregate, st.just("sum"), _names, st.sampled_from(["innbyggere", "inn byggere"])),
)
_expr = st.recursive(_leaf, lambda inner: st.builds(n.BinOp, st.sampled_from("+-*/"), inner, inner), max_leaves=8)
_amount = st.integers(-10**9, 10**9).map(lambda ore: n.Amount(Fraction(ore), "øre"))
_comparison = st.builds(n.Comparison, st.sampled_from(["omsetning_kr", "arsverk", "lokasjoner"]),
                        st.sampled_from([">=", "<=", ">", "<"]), st.integers(0, 10**8).map(Fraction))
_rule = st.lists(st.lists(_comparison, min_size=1, max_size=3).map(tuple), min_size=1, max_size=3).map(tuple)


@st.composite
def _categories(draw):
    weights = draw(st.booleans())
    size = draw(st.integers(1, 3))
    out = []
    for i in range(size):
        price = {"weight": Fraction(draw(st.integers(1, 400)), 100)} if weights else \
            {"addon": n.Amount(Fraction(draw(st.integers(0, 10**6))), "øre")}
        rule = None if i == size - 1 else draw(_rule)
        out.append(n.Category(n.Name(f"c{i}"), draw(st.one_of(st.none(), st.just("Kategori"))), rule=rule, **price))
    return tuple(out)


@given(expr=_expr, carry=st.one_of(st.none(), st.builds(n.CarryOver, _amount, st.just("ref"))),
       fee=st.one_of(st.none(), st.integers(0, 10**9)), categories=st.one_of(st.just(()), _categories()),
       percent=st.integers(0, 10_000).map(lambda v: Fraction(v, 10_000)))
def test_generated_parameters_fees_carry_overs_and_computed_shares_round_trip(expr, carry, fee, categories,
                                                                            percent):
    fee_amount = None if fee is None else n.Amount(Fraction(fee), "øre")
    spec = n.Spec("x.nhp", (
        n.Setting("year", 2024),
        n.Parameter(n.Name("grunnandel"), "percent", percent, "beskrivelse"),
        n.Parameter(n.Name("antall"), "count", None, None, count_of=n.Name("reg")),
        n.Adjust(n.Name("grunnandel")),
        n.Group(n.Name("o"), None, fee=n.Fee(fee_amount, n.Name("reg")), carry_over=carry, categories=categories),
        n.Pool(n.Name("p"), None, n.Amount(Fraction(100), "øre"), carry_over=carry, entries=(
            n.Entry(n.Name("o"), n.Share("computed", None, expr)), n.Entry(n.Name("b"), n.Share("rest", None)))),
    ))
    printed = print_spec(spec)
    again, diagnostics = parse(printed, "x.nhp")
    assert diagnostics == [], printed
    assert again == spec, printed


def test_members_fees_put_no_more_on_a_pool_than_the_groups_share_of_it():
    """15 000 members each splitting 8 400 kr across two pools must not round the same way
    15 000 times: per pool, the members' rows add up to at most the group's amount."""
    from collections import Counter

    result, diagnostics = run(str(ROOT / "specs" / "examples" / "2027-individuelt-medlemskap.nhp"))
    assert result is not None, diagnostics
    fee = next(f for f in result.fees if f.group == "ovrige")
    per_pool = Counter()
    per_member = Counter()
    for a in result.allocations:
        if a.group == "ovrige":
            per_pool[a.pool] += a.amount_ore
            per_member[a.entity] += a.amount_ore
    for g in result.groups:
        if g.group == "ovrige":
            assert per_pool[g.pool] <= g.amount_ore
    assert set(per_member.values()) == {fee.fee_ore_per_month * 12}


def test_a_sweep_over_a_list_of_values_and_over_a_grid_of_two_parameters():
    listed = json.loads(nhnprice("sweep", str(SPEC_2024), "--set", "prisjustering=0%;2,5%;4%", "--format",
                                 "json").stdout)
    assert [r["value"] for r in listed["rows"]] == ["0 %", "2,5 %", "4 %"]
    assert [r["ovrige.fee_ore_per_month"] for r in listed["rows"]] == [157_000, 160_900, 163_300]  # 1 609,25 -> 1 609
    proc = nhnprice("sweep", str(SPEC_2027), "--set", "medlemmer=6687;15000", "--set", "prisjustering=0%..4%:4%",
                    "--format", "json")
    assert proc.returncode == 0, proc.stderr
    grid = json.loads(proc.stdout)
    assert grid["parameters"] == ["medlemmer", "prisjustering"]
    assert [(r["medlemmer"], r["prisjustering"], r["ovrige.fee_ore_per_month"] // 100) for r in grid["rows"]] == \
        [("6 687", "0 %", 1570), ("6 687", "4 %", 1632), ("15 000", "0 %", 700), ("15 000", "4 %", 727)]
    three = nhnprice("sweep", str(SPEC_2027), "--set", "medlemmer=1;2", "--set", "prisjustering=0%;1%",
                     "--set", "selvstendige_medlemmer=1;2")
    assert three.returncode == 2 and "[U007]" in three.stderr


@given(st.integers(-10**12, 10**12), st.fractions(min_value=0, max_value=3, max_denominator=10**6),
       st.sampled_from([1, 100, 10_000_000]))
def test_a_price_adjusted_amount_is_the_nearest_unit_a_half_rounded_away_from_zero(amount, factor, unit):
    from nhnprice.adjustment import adjust

    if factor == 1:  # no adjustment: the stated amount stands as it is
        assert adjust(amount, factor, unit) == amount
        return
    got, exact = adjust(amount, factor, unit), amount * factor
    assert got % unit == 0 and abs(got - exact) <= Fraction(unit, 2)
    if abs(got - exact) == Fraction(unit, 2):
        assert abs(got) > abs(exact)


def test_verify_holds_adjusted_payments_against_the_margin_as_a_whole():
    import attrs

    from nhnprice.verify import INVARIANTS

    result, _ = run(str(SPEC_2024), settings={"prisjustering": "4%"})
    assert INVARIANTS["no-over-collection"](result.graph, result.tables, result) == []
    assert INVARIANTS["within-quota"](result.graph, result.tables, result) == []
    # 1 mill. kr over the costs: more than the fee's excess, which 2024 carries over into a later year
    over = attrs.evolve(result, adjustment=attrs.evolve(result.adjustment, margin_ore=0,
                                                        payments_ore=result.adjustment.costs_ore + 10**8))
    assert [v.invariant for v in INVARIANTS["no-over-collection"](result.graph, result.tables, over)] == \
        ["no-over-collection"]


def test_a_groups_carry_over_is_in_every_total():
    result = _evaluate(KEYED)
    from nhnprice.report import render
    from nhnprice.report.summary import summary_rows

    report = json.loads(render(result, "json"))
    assert report["totals"]["carry_over_ore"] == -100_000
    assert report["totals"]["all_ore"] == 100_001_000 - 100_000  # the pool's carry-over is in its groups' amounts
    assert {g["group"]: g["carry_over_ore"] for g in report["payer_groups"]} == {"a": -100_000, "b": 0}
    rows = summary_rows(result, "Sum", "Sum alle", "overføring")
    assert [r.kind for r in rows][-2:] == ["carry_group", "total"]
    assert rows[-1].amounts == (50_000_500 - 100_000, 50_000_500)


def test_invoices_say_why_a_table_is_empty(tmp_path):
    spec = tmp_path / "empty.nhp"
    spec.write_text(KEYED.replace("group b entity", 'group c "Ingen" by k\ngroup b entity'), encoding="utf-8")
    proc = nhnprice("invoices", str(spec), "--group", "c")
    assert proc.returncode == 0, proc.stderr
    assert "Ingen av gruppene c har medlemmer som betaler noe" in proc.stdout
    proc = nhnprice("invoices", str(spec), "--group", "c", "--format", "csv")
    assert proc.stdout.count("\n") == 1 and "Ingen av gruppene c" in proc.stderr  # the CSV stays a CSV
