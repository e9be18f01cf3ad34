"""explain, diff and regulation: the library functions and the commands as a user runs them."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest

from conftest import ROOT, SPEC_2024
from nhnprice.diff import diff
from nhnprice.explain import NotAPayer, explain
from nhnprice.pipeline import run
from nhnprice.report.regulation_text import kroner_text, mill_text, regulation_text
from test_cli import nhnprice

HEARING = ROOT / "tests" / "data" / "hearing_2024_proposed_regulation.txt"


@pytest.fixture(scope="module")
def result():
    result, diagnostics = run(str(SPEC_2024))
    assert result is not None, diagnostics
    return result


# --- explain ---------------------------------------------------------------------------------------

def test_explanation_lines_sum_to_what_the_entity_pays(result):
    e = explain(result, "0301")
    assert e.total_ore == sum(a.amount_ore for a in result.allocations if a.entity == "0301")
    assert len(e.lines) == 9  # 8 pools, VKP in two halves


def test_vkp_lines_show_both_halves_with_weights_quota_and_adjustment(result):
    lines = explain(result, "0301", "vkp").lines
    assert [x.among for x in lines] == [None, "vkp_i_bruk"]
    everyone, adopters = lines
    assert everyone.group_quota == 2_574_500_000 and everyone.group_amount_ore == 2_570_000_000
    assert everyone.leg_amount_ore == 1_285_000_000 and everyone.weight == 717_710
    assert everyone.weight_total == sum(result.tables["kommunehelse"].weights.values())
    assert adopters.weight_total < everyone.weight_total  # only the adopters share the second half
    for x in lines:
        assert x.quota == Fraction(x.leg_amount_ore * x.weight, x.weight_total)
        assert abs(x.adjustment_ore) < 1  # largest remainder: within one øre of the exact quota
        assert [s.text for s in x.splits] == ["95 %", "half"]


def test_fee_and_single_entity_lines_are_explained(result):
    member = result.tables["ovrige_medlemmer"].ids[0]
    fee_lines = explain(result, member).lines
    assert {x.how for x in fee_lines} == {"fee"}
    assert sum(x.amount_ore for x in fee_lines) == 157_000 * 12
    helfo = explain(result, "983544622").lines
    assert [(x.how, x.amount_ore) for x in helfo] == [("entity", 270_000_000)]
    with pytest.raises(NotAPayer):
        explain(result, "0301", "eresept_that_does_not_exist")


def test_explain_cli_tells_oslos_story_with_references():
    proc = nhnprice("explain", str(SPEC_2024), "0301")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert text.startswith("Oslo (0301) betaler 62\u00a0781\u00a0260,37 kr")
    assert "Velferdsteknologisk knutepunkt, § 13 andre og tredje ledd (alle kommuner)" in text
    assert "registeret `vkp_i_bruk`" in text
    for ref in ("§ 13", "§ 14", "§ 15", "§ 16"):
        assert ref in text
    assert "vekt 717\u00a0710 av 5\u00a0550\u00a0203" in text
    assert "stedfortreder (ikke offisielle data)" in text


def test_explain_cli_json_is_exact_and_by_name():
    proc = nhnprice("explain", str(SPEC_2024), "Oslo", "--pool", "vkp", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["format"] == "nhnprice.explain/1" and data["entity"] == "0301"
    assert sum(x["amount_ore"] for x in data["lines"]) == data["total_ore"]
    first = data["lines"][0]
    assert Fraction(first["exact_ore"]) + Fraction(first["adjustment_ore"]) == first["amount_ore"]
    assert first["group_rounding_ore"] == "-4500000"


def test_explain_cli_usage_errors():
    assert nhnprice("explain", str(SPEC_2024), "0301", "--pool", "vkpp").returncode == 2
    proc = nhnprice("explain", str(SPEC_2024), "0301", "--pool", "eresept")
    assert proc.returncode == 0
    proc = nhnprice("explain", str(SPEC_2024), "Atlantis")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = nhnprice("explain", str(SPEC_2024), "0301", "--pool", "carry-over")  # 2024 carries nothing over
    assert proc.returncode == 2 and "no pool `carry-over`" in proc.stderr
    assert "pools: helsenettet" in proc.stderr and "helsenorge\n" in proc.stderr


# --- diff ------------------------------------------------------------------------------------------

def test_a_spec_against_itself_reports_no_change(result):
    d = diff(result, result, entities=True)
    assert d.identical and not d.changed(d.groups + d.pools + d.cells + d.entities)
    proc = nhnprice("diff", str(SPEC_2024), str(SPEC_2024))
    assert proc.returncode == 0, proc.stderr
    assert "Ingen endring" in proc.stdout


@pytest.fixture(scope="module")
def adjusted(tmp_path_factory):
    """The 2024 spec with Helsenorge's cost raised by 4 % (a price-adjusted scenario)."""
    folder = tmp_path_factory.mktemp("scenario")
    text = SPEC_2024.read_text(encoding="utf-8").replace("cost 330.0 mill", "cost 343.2 mill")
    text = text.replace('"data/', f'"{SPEC_2024.parent}/data/')
    spec = folder / "2024-adjusted.nhp"
    spec.write_text(text, encoding="utf-8")
    return spec


def test_diff_against_an_adjusted_copy_reports_the_changes_largest_first(result, adjusted):
    new, _ = run(str(adjusted))
    d = diff(result, new, entities=True)
    assert not d.identical
    cells = d.changed(d.cells)
    assert {c.key for c in cells} == {("helsenorge", "rhf"), ("helsenorge", "kommuner")}
    assert all(c.change_ore == 660_000_000 and c.ratio == Fraction(4, 100) for c in cells)
    changes = [abs(c.change_ore) for c in d.entities]
    assert changes == sorted(changes, reverse=True)
    assert sum(c.change_ore for c in d.entities) == 1_320_000_000


def test_diff_cli_formats(adjusted):
    proc = nhnprice("diff", str(SPEC_2024), str(adjusted), "--format", "json", "--entities")
    assert proc.returncode == 0, proc.stderr
    assert "expectation" in proc.stderr  # the scenario's expectations no longer hold: noted, not fatal
    data = json.loads(proc.stdout)
    assert data["format"] == "nhnprice.diff/1" and data["identical"] is False
    assert data["cells"][0]["change_ore"] == 660_000_000 and data["cells"][0]["change_ratio"] == "1/25"
    table = nhnprice("diff", str(SPEC_2024), str(adjusted), "--lang", "en").stdout
    assert "Helsenorge.no / Kommuner" in table and "+6\u00a0600\u00a0000,00" in table and "+4,0" in table
    csv_text = nhnprice("diff", str(SPEC_2024), str(adjusted), "--format", "csv").stdout
    assert csv_text.splitlines()[0] == "level,pool,group,entity,label,old_ore,new_ore,change_ore"


# --- regulation ------------------------------------------------------------------------------------

def test_amounts_are_written_as_the_regulation_writes_them():
    assert mill_text(8_830_000_000) == "88,3"
    assert mill_text(16_500_000_000) == "165"
    assert mill_text(17_160_000_000) == "171,6"
    assert kroner_text(157_000) == "1570"
    assert kroner_text(1_250_000) == "12 500"


def test_regulation_states_every_amount_of_the_hearing(result):
    text = regulation_text(result)
    for amount in ("88,3", "37,7", "1,4", "25,7", "80,7", "61,4", "91,4", "13,3", "165"):
        assert f"{amount} mill. kroner" in text, amount
    assert "1570 kroner per virksomhet per måned" in text
    assert "Helsedirektoratet" not in text and "legemiddelverk" not in text  # outside the regulation


def _seed_paragraphs() -> str:
    """The hearing's proposed §§ 13–16, with the seed's own inconsistencies made consistent.

    Each replacement below is a place where the hearing note writes the same thing two ways
    (compare section 4.1.2 of the same note); nhnprice writes it one way, every time.
    """
    lines = HEARING.read_text(encoding="utf-8").splitlines()
    body = "\n".join(line for line in lines  # the header, link debris and amendments that are not payment text
                     if not line.startswith(("# ", "https://")) and "oppheves" not in line and "blir femte" not in line)
    body = re.sub(r"\s+", " ", body).strip()
    for seed, consistent in [
        ("mill kroner", "mill. kroner"),  # three times without the period, everywhere else with it
        ("1,4 mill. kroner til", "1,4 mill. kroner årlig til"),  # every other amount is "årlig"
        ("betale Norsk helsenett 25,7 mill. kroner til", "betale Norsk helsenett SF 25,7 mill. kroner årlig til"),
        ("basert på delkostnadsnøkkel kommunehelse", "etter delkostnadsnøkkel for kommunehelse"),  # as in 4.1.2
    ]:
        assert seed in body, seed
        body = body.replace(seed, consistent)
    return body


def test_regulation_text_is_the_hearings_proposed_text(result):
    assert re.sub(r"\s+", " ", regulation_text(result)).strip() == _seed_paragraphs()


def test_regulation_golden(result, golden):
    golden(ROOT / "tests" / "good" / "regulation_2024.txt", regulation_text(result))


def test_regulation_cli():
    proc = nhnprice("regulation", str(SPEC_2024))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("§ 13 andre til fjerde ledd skal lyde:")


# --- scenarios: --set (price adjustment) and carry-over ----------------------------------------------

def test_diff_against_the_price_adjusted_scenario_reports_the_changes():
    proc = nhnprice("diff", str(SPEC_2024), str(SPEC_2024), "--set", "prisjustering=4%", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["identical"] is False and data["new"]["file"].endswith("(prisjustering=4%)")
    cells = {(c["pool"], c["group"]): c for c in data["cells"]}
    assert cells[("helsenorge", "rhf")]["old_ore"] == 16_500_000_000
    assert cells[("helsenorge", "rhf")]["new_ore"] == 17_160_000_000
    pools = {c["pool"]: c for c in data["pools"]}
    assert all(Fraction(p["change_ratio"]) == Fraction(4, 100) for p in pools.values())
    same = nhnprice("diff", str(SPEC_2024), str(SPEC_2024), "--set", "prisjustering=4%",
                    "--set-old", "prisjustering=4%")
    assert same.returncode == 0 and "Ingen endring" in same.stdout


SPEC_2027 = ROOT / "specs" / "examples" / "2027-individuelt-medlemskap.nhp"


def test_the_diff_page_counts_members_as_members_not_as_kroner(tmp_path):
    page = tmp_path / "d.html"
    proc = nhnprice("diff", str(SPEC_2027), str(SPEC_2027), "--set-old", "medlemmer=6687", "--set", "medlemmer=15000",
                    "--format", "html", "-o", str(page))
    assert proc.returncode == 0, proc.stderr
    html = page.read_text(encoding="utf-8")
    assert ">6\u00a0687<" in html and ">15\u00a0000<" in html and "66,87" not in html


def test_diff_of_a_fee_that_alone_changes_shows_the_fee_and_the_members_and_exits_as_a_change():
    args = ("diff", str(SPEC_2027), str(SPEC_2027), "--set-old", "medlemmer=6687", "--set", "medlemmer=15000")
    proc = nhnprice(*args, "--exit-code")
    assert proc.returncode == 3, proc.stderr  # the group amounts are the same; the fee is not
    assert "Ingen endring" not in proc.stdout
    assert "1\u00a0570,00" in proc.stdout and "700,00" in proc.stdout and "-870,00" in proc.stdout
    data = json.loads(nhnprice(*args, "--format", "json").stdout)
    assert data["identical"] is False
    assert [(f["group"], f["old_ore"], f["new_ore"]) for f in data["fees"]] == [("ovrige", 157_000, 70_000)]
    assert [(m["group"], m["old"], m["new"]) for m in data["members"]] == [("ovrige", 6687, 15_000)]
    same = nhnprice("diff", str(SPEC_2027), str(SPEC_2027), "--exit-code")
    assert same.returncode == 0 and "Ingen endring" in same.stdout


def test_diff_compares_unallocated_rounding_and_carry_overs_too(result):
    adjusted, _ = run(str(SPEC_2024), settings={"prisjustering": "4%"})
    changes = diff(result, adjusted)
    residuals = {c.key: (c.old_ore, c.new_ore) for c in changes.residuals}
    assert residuals[("vkp",)] == (0, -1_600_000) and residuals[("helsenettet",)] == (0, 9_600_000)
    from test_scenarios import KEYED, _evaluate

    carried = diff(_evaluate(KEYED), _evaluate(KEYED.replace("-1 000 kr", "-2 000 kr")))
    assert not carried.identical
    assert [(c.key, c.old_ore, c.new_ore) for c in carried.changed(carried.carry_overs)] == \
        [(("a",), -100_000, -200_000)]


def test_explain_and_regulation_follow_the_price_adjustment():
    proc = nhnprice("explain", str(SPEC_2024), "0301", "--pool", "helsenorge", "--set", "prisjustering=4%")
    assert proc.returncode == 0, proc.stderr
    assert "prisjustert etter § 17 med 4 %" in proc.stdout and "343\u00a0200\u00a0000,00 kr" in proc.stdout
    text = nhnprice("regulation", str(SPEC_2024), "--set", "prisjustering=4%").stdout
    assert "171,6 mill. kroner årlig til forvaltning og drift av helsenorge.no" in text


CARRY = """title "t"
year 2024
key k {{ file "{data}/rhf.csv" id organisasjonsnummer name rhf weight vekt provenance synthetic "t" }}
group a by k carry-over -1 000 kr "overbetaling 2022"
group b entity "974761122"
pool x {{ cost 1 mill carry-over +10 kr "underbetaling 2023" a half b half }}
"""


def test_explain_shows_carry_overs_as_their_own_lines(tmp_path):
    spec = tmp_path / "carry.nhp"
    spec.write_text(CARRY.format(data=ROOT / "tests" / "data"), encoding="utf-8")
    result, _ = run(str(spec))
    e = explain(result, "991324968")
    carry = [x for x in e.lines if x.how == "carry"]
    assert [x.amount_ore for x in carry] == [-75_000] and carry[0].quota == -75_000
    pool_line = next(x for x in e.lines if x.how == "key")
    assert pool_line.carry_over_ore == 1_000 and pool_line.group_quota == 50_000_500
    text = nhnprice("explain", str(spec), "991324968").stdout
    assert "Overføring (overbetaling 2022)" in text and "underbetaling 2023" in text
    table = nhnprice("report", str(spec), "--entity", "991324968").stdout
    assert "overføring" in table


def test_a_differentiated_fee_is_stated_per_category():
    spec = ROOT / "specs" / "examples" / "2025-differensiert-ovrige.nhp"
    result, _ = run(str(spec))
    text = regulation_text(result)
    [fee] = result.fees
    for c in fee.categories:
        assert f"{kroner_text(c.fee_ore_per_month)} kroner for kategorien «{c.title}»" in text
    assert "et fast beløp per virksomhet per måned etter virksomhetens kategori" in text
