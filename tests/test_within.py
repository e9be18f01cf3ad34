"""Distribution inside a payer: each RHF's amounts on to its health trusts, by its own key."""

from __future__ import annotations

import json
from collections import defaultdict
from fractions import Fraction

import pytest

from conftest import ROOT
from nhnprice.check import check
from nhnprice.pipeline import run
from nhnprice.syntax import parse
from test_cli import nhnprice
from test_scenarios import _evaluate_problems

EXAMPLE = ROOT / "specs" / "examples" / "2024-helseforetak.nhp"
TRUSTS = ROOT / "specs" / "data" / "2024" / "helseforetak.csv"


@pytest.fixture(scope="module")
def result():
    result, diagnostics = run(str(EXAMPLE))
    assert result is not None, diagnostics
    return result


def test_every_amount_an_rhf_pays_is_split_exactly_over_its_own_health_trusts(result):
    paid = defaultdict(int)
    for a in result.allocations:
        if a.group == "rhf":
            paid[a.pool, a.entity] += a.amount_ore
    split = defaultdict(int)
    for b in result.within:
        split[b.pool, b.parent] += sum(b.amounts)
        for entity, amount, weight in zip(b.entities, b.amounts, b.weights):  # within one øre of its quota
            assert abs(amount - Fraction(b.parent_amount_ore) * weight / sum(b.weights)) < 1
    assert split == paid and len(paid) == 3 * 4  # three pools, four RHF
    parents = {row.split(",")[0]: row.split(",")[2] for row in TRUSTS.read_text().splitlines()[1:]}
    assert all(parents[e] == b.parent for b in result.within for e in b.entities)


def test_the_report_shows_the_health_trusts_and_says_their_key_is_synthetic():
    proc = nhnprice("report", str(EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    assert "Fordeling innenfor betalerne" in proc.stdout and "Syntetisk helseforetak Nord 02" in proc.stdout
    assert "helseforetak: syntetisk" in proc.stdout.split("Merk:")[1].split("\n\n")[0]
    data = json.loads(nhnprice("report", str(EXAMPLE), "--format", "json").stdout)
    rhf_total = sum(a["amount_ore"] for a in data["allocations"] if a["group"] == "rhf")
    assert sum(w["amount_ore"] for w in data["within"]) == rhf_total == 24_570_000_000


def test_the_regulation_says_each_rhf_decides_the_distribution_among_its_health_trusts():
    text = nhnprice("regulation", str(EXAMPLE)).stdout
    assert "Fordelingen av kostnader mellom helseforetakene innenfor en region bestemmes av det enkelte " \
        "regionale helseforetak." in text


def test_explain_gives_a_health_trust_its_part_of_its_rhf_amount_by_weight():
    proc = nhnprice("explain", str(EXAMPLE), "805605898", "--pool", "helsenorge")
    assert proc.returncode == 0, proc.stderr
    assert "vekt 91 av 753" in proc.stdout and "11\u00a0346\u00a0346,28 kr" in proc.stdout


def test_an_rhf_without_health_trusts_is_an_error_not_money_that_stays_with_nobody(tmp_path):
    rows = TRUSTS.read_text().splitlines()
    (tmp_path / "hf.csv").write_text("\n".join(r for r in rows if "883658752" not in r) + "\n", encoding="utf-8")
    text = EXAMPLE.read_text(encoding="utf-8").replace("../data/2024/helseforetak.csv", "hf.csv") \
        .replace("../data/", str(ROOT / "specs" / "data") + "/")
    result, problems = _evaluate_problems(text, path=tmp_path / "s.nhp")
    assert result is None and [p.code for p in problems] == ["V060"] and "883658752" in problems[0].message


def test_then_by_needs_a_key_group_and_a_key_with_a_parent_column():
    spec, _ = parse('year 2024\nkey k { file "k.csv" id a weight w }\nkey p { file "p.csv" id a weight w parent r }\n'
                    'group a entity "1" then by p\ngroup b by k then by k\npool x { cost 1 kr a half b half }\n')
    assert [d.code for d in check(spec) if d.is_error] == ["E190", "E191"]


def test_verify_holds_the_example_and_catches_a_health_trust_paid_one_ore_too_many(result):
    import attrs

    from nhnprice.pipeline import compile_file, load_data
    from nhnprice.verify import INVARIANTS, verify

    graph, _ = compile_file(str(EXAMPLE))
    tables, _ = load_data(graph)
    report = verify(graph, tables, examples=15, seed=3)
    assert report.ok, report
    first, *rest = result.within
    tampered = attrs.evolve(result, within=(attrs.evolve(first, amounts=(first.amounts[0] + 1, *first.amounts[1:])),
                                            *rest))
    assert [v.invariant for v in INVARIANTS["conservation"](graph, tampered.tables, tampered)] == ["conservation"]
