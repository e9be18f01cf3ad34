"""The bundled 2024 spec reproduces the hearing note's tables 2–5 to the øre."""

from __future__ import annotations

import pytest

from conftest import SPEC_2024
from nhnprice.pipeline import run

MILL = 100_000_000

# POLICY.md, tables 2–5: (pool, group) -> amount in tenths of a million NOK
PUBLISHED = {
    "helsenettet": {"cost": 2649, "rhf": 883, "kommuner": 883, "ovrige": 883},
    "grunndata_helseid": {"cost": 1131, "rhf": 377, "kommuner": 377, "ovrige": 377},
    "vkp": {"cost": 271, "rhf": 14, "kommuner": 257},
    "kjernejournal": {"cost": 1251, "rhf": 688, "kommuner": 563},
    "provesvar": {"cost": 170, "rhf": 119, "kommuner": 51},
    "eresept": {"cost": 1331, "rhf": 579, "kommuner": 579, "apotek": 133},
    "forskrivningsmodul": {"cost": 670, "rhf": 335, "kommuner": 335},
    "helsenorge": {"cost": 3300, "rhf": 1650, "kommuner": 1650},
}


@pytest.fixture(scope="module")
def result():
    result, diagnostics = run(str(SPEC_2024))
    assert result is not None, diagnostics
    assert not [d for d in diagnostics if d.is_error]
    return result


@pytest.mark.parametrize("pool", PUBLISHED)
def test_every_published_figure_is_reproduced_exactly(result, pool):
    figures = PUBLISHED[pool]
    assert next(p.cost_ore for p in result.pools if p.id == pool) == figures["cost"] * MILL // 10
    for group, tenths in figures.items():
        if group != "cost":
            assert result.group_amount(pool, group) == tenths * MILL // 10, (pool, group)


def test_outside_the_regulation_helfo_and_slv_pay_four_million(result):
    assert result.group_amount("eresept", "helfo") + result.group_amount("eresept", "slv") == 4 * MILL


def test_no_pool_collects_more_than_its_cost(result):
    for p in result.pools:
        assert 0 <= p.collected_ore <= p.cost_ore


@pytest.mark.parametrize("group", ["rhf", "kommuner", "apotek", "helfo", "slv"])
def test_entities_sum_exactly_to_their_group_amount(result, group):
    for p in result.pools:
        entities = sum(a.amount_ore for a in result.allocations if a.pool == p.id and a.group == group)
        assert entities == result.group_amount(p.id, group)


def test_every_municipality_and_health_authority_is_invoiced(result):
    kommuner = {a.entity for a in result.allocations if a.group == "kommuner"}
    rhf = {a.entity for a in result.allocations if a.group == "rhf"}
    assert len(kommuner) == 357 and "0301" in kommuner
    assert len(rhf) == 4


def test_vkp_second_half_goes_only_to_adopters(result):
    adopters = set(result.tables["vkp_i_bruk"].ids)
    non_adopters = set(result.tables["kommunehelse"].ids) - adopters
    leg_amounts = [leg for leg in result.legs if leg.pool == "vkp" and leg.group == "kommuner"]
    assert [leg.entities for leg in leg_amounts] == [357, len(adopters)]
    vkp = {}
    for a in result.allocations:
        if a.pool == "vkp" and a.group == "kommuner":
            vkp[a.entity] = vkp.get(a.entity, 0) + a.amount_ore
    # an adopter pays its share of both halves, so more per inhabitant than a non-adopter
    weights = result.tables["kommunehelse"].weights
    oslo_rate = vkp["0301"] / weights["0301"]
    other = min(non_adopters)
    assert "0301" in adopters and vkp[other] / weights[other] < oslo_rate


def test_ovrige_flat_fee_covers_one_third_of_helsenettet_without_exceeding_it(result):
    [fee] = result.fees
    assert fee.group == "ovrige" and fee.fee_ore_per_month == 157_000
    assert fee.share_ore == 126 * MILL
    assert fee.collected_ore == 157_000 * 12 * fee.members
    assert 0 <= fee.deviation_ore == fee.share_ore - fee.collected_ore


def test_every_expectation_in_the_spec_holds(result):
    assert result.checks and all(c.ok for c in result.checks)
