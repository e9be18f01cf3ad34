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
