"""Evaluation rules on small specs: subsets, fees, margins, residuals."""

from __future__ import annotations

from pathlib import Path

from conftest import TESTS
from nhnprice.pipeline import run

DATA = """
key kommunehelse {
  file "%(data)s/kommuner.csv"
  id kommunenummer
  name kommunenavn
  weight innbyggere
  provenance synthetic "test"
}
register vkp_i_bruk {
  file "%(data)s/adopters.csv"
  id kommunenummer
  provenance synthetic "test"
}
register medlemmer {
  file "%(data)s/%(members)s"
  id organisasjonsnummer
  provenance synthetic "test"
}
group kommuner "Kommuner" by kommunehelse
"""


def evaluate(tmp_path: Path, body: str, members: str = "members.csv", header: str = 'title "t"\nyear 2024\n'):
    spec = tmp_path / "spec.nhp"
    spec.write_text(header + DATA % {"data": TESTS / "data", "members": members} + body, encoding="utf-8")
    return run(str(spec))


def amounts(result, pool):
    out: dict[str, int] = {}
    for a in result.allocations:
        if a.pool == pool:
            out[a.entity] = out.get(a.entity, 0) + a.amount_ore
    return out


def test_among_on_an_outer_share_holds_for_the_shares_inside_it(tmp_path):
    result, diagnostics = evaluate(tmp_path, """
pool p { cost 1 000 kr  kommuner 100 % among vkp_i_bruk { half  half } }
""")
    assert not diagnostics
    assert set(amounts(result, "p")) == {"0301", "5001"}  # Eigersund does not use it


def test_amount_not_divisible_by_the_group_unit_leaves_a_reported_residual(tmp_path):
    result, diagnostics = evaluate(tmp_path, """
group g2 entity "983544622"
pool p { cost 1 000.50 kr  kommuner half  g2 half }
""", header='title "t"\nyear 2024\nrounding groups to 1 kr\n')
    assert not diagnostics
    [pool] = result.pools
    assert pool.residual_ore == 50 and pool.collected_ore == 100_000
    assert sum(amounts(result, "p").values()) == 100_000


def test_a_flat_fee_within_its_share_reports_the_deviation(tmp_path):
    result, diagnostics = evaluate(tmp_path, """
group ovrige fee 100 kr per member per month from medlemmer
pool p { cost 6 000 kr  ovrige 1/2  kommuner 1/2 }
""")
    assert not diagnostics
    [fee] = result.fees
    assert (fee.members, fee.collected_ore, fee.share_ore, fee.deviation_ore) == (2, 240_000, 300_000, 60_000)
    assert sum(amounts(result, "p")[m] for m in ("983544622", "974761122")) == 240_000


def test_a_margin_allows_a_declared_over_collection(tmp_path):
    body = """
group ovrige fee 100 kr per member per month from medlemmer margin %s
pool p { cost 4 700 kr  ovrige 1/2  kommuner 1/2 }
"""
    _, diagnostics = evaluate(tmp_path, body % "0 kr")
    assert [d.code for d in diagnostics] == ["V010"]  # 2 400 kr > 2 350 kr
    result, diagnostics = evaluate(tmp_path, body % "50 kr")
    assert not diagnostics and result.fees[0].deviation_ore == -5_000


def test_an_empty_fee_register_is_an_error_not_a_lost_share(tmp_path):
    _, diagnostics = evaluate(tmp_path, """
group ovrige fee 100 kr per member per month from medlemmer
pool p { cost 3 000 kr  ovrige 1/2  kommuner 1/2 }
""", members="no_members.csv")
    assert [d.code for d in diagnostics] == ["V012"]


# ---- every group amount within one group unit of the exact amount the report prints


def within_one_unit(result) -> list[str]:
    unit = result.graph.group_unit_ore
    return [f"{g.pool}/{g.group}: {g.amount_ore} øre, exact {float(g.quota):.1f}" for g in result.groups
            if not abs(g.amount_ore - g.quota) < unit]


def test_every_group_amount_is_within_one_unit_of_its_exact_amount_at_every_price_adjustment():
    from fractions import Fraction

    from conftest import SPEC_2024
    from nhnprice.evaluate import evaluate as evaluate_graph
    from nhnprice.pipeline import compile_file, load_data

    graph, _ = compile_file(str(SPEC_2024))
    tables, _ = load_data(graph)
    far = {}
    for tenths in range(0, 301):  # 0 % to 30 % in steps of 0,1 %
        result, diagnostics = evaluate_graph(graph, tables, {"prisjustering": Fraction(tenths, 1000)},
                                             entities=False)
        assert result is not None, diagnostics
        assert len(result.groups) == 21  # every group of every pool
        if within_one_unit(result):
            far[tenths] = within_one_unit(result)
    assert far == {}
    # the case that went wrong when quotas were measured against the cost's whole units: VKP at 0,3 %
    result, _ = evaluate_graph(graph, tables, {"prisjustering": Fraction(3, 1000)}, entities=False)
    vkp = {g.group: g.amount_ore for g in result.groups if g.pool == "vkp"}
    # § 17 adjusts the stated 25,7 and 1,4 mill.: 25,7771 and 1,4042, each to the nearest 0,1 (the
    # old split of the adjusted cost gave kommuner 25,7 against an exact 25,822, 1,22 units apart)
    assert vkp == {"kommuner": 2_580_000_000, "rhf": 140_000_000}


def test_a_cost_that_is_not_a_whole_number_of_group_units_is_split_against_the_exact_cost(tmp_path):
    result, diagnostics = evaluate(tmp_path, """
group a entity "983544622"
group b entity "974761122"
pool q { cost 27.181 mill  a 95 %  b 5 % }
""", header='title "t"\nyear 2024\nrounding groups to 0.1 mill\n')
    assert not diagnostics
    assert within_one_unit(result) == []
    # 25,82195 and 1,35905 mill. of 27,181: each rounded down, and the 0,081 mill. left is the residual;
    # quotas of the cost's whole units (27,1) would have given 25,7 and 1,4, 1,22 units from `a`'s amount
    q = {g.group: g.amount_ore for g in result.groups if g.pool == "q"}
    assert q == {"a": 2_580_000_000, "b": 130_000_000}
    assert [p.residual_ore for p in result.pools] == [8_100_000]


def test_with_a_unit_of_1_kr_the_parts_are_floor_or_ceiling_of_the_exact_amount(tmp_path):
    result, diagnostics = evaluate(tmp_path, """
group a entity "983544622"
group b entity "974761122"
group c entity "991324968"
pool p { cost 100.99 kr  a 1/3  b 1/3  c 1/3 }
""", header='title "t"\nyear 2024\nrounding groups to 1 kr\n')
    assert not diagnostics
    amounts_ = sorted(g.amount_ore for g in result.groups)
    assert amounts_ == [3_300, 3_300, 3_400]  # exact 33,66 each: 100 kr given, 0,99 kr left
    assert result.pools[0].residual_ore == 99
