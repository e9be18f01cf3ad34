#!/usr/bin/env python3
"""What a careful analyst would write instead of nhnprice: the 2024 payments in plain Python.

Exact (integer øre, `Fraction` shares, largest remainder with ties to the lower id,
as nhnprice does), but with the 2024 rules written into the code and no checking
of anything: no spec, no data validation (a wrong organisation number, a
duplicated id or a text weight passes or crashes), no expectations, no
diagnostics. It prints the same CSV as `nhnprice report specs/2024.nhp --format
csv`, byte for byte, and is the baseline the benchmark holds nhnprice's CSV
report to (benchmarks/run.py).

    python benchmarks/baselines/fraction_2024.py > payments.csv
"""

import csv
import sys
from fractions import Fraction
from math import lcm
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "specs" / "data" / "2024"
MILL, GROUP_UNIT = 100_000_000, 10_000_000  # group amounts are rounded to 0.1 mill. kr
FEE_ORE_PER_YEAR = 1_570 * 100 * 12
HELFO, SLV = ("983544622", "Helsedirektoratet"), ("974761122", "Statens legemiddelverk")


def read(name, id_column, name_column, weight_column=None):
    with open(DATA / f"{name}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    names = {r[id_column]: r[name_column] for r in rows}
    weights = {r[id_column]: int(r[weight_column]) for r in rows} if weight_column else None
    return [r[id_column] for r in rows], names, weights


def apportion(total, weights, unit=1):
    """Largest remainder: quotas rounded down, the units left to the largest remainders, ties to the lower key."""
    scale = lcm(*(Fraction(w).denominator for w in weights.values()))
    ints = {k: int(Fraction(w) * scale) for k, w in weights.items()}
    weight_sum, units = sum(ints.values()), total // unit
    parts = {k: units * w // weight_sum for k, w in ints.items()}
    left = units - sum(parts.values())
    for k in sorted(ints, key=lambda k: (-(units * ints[k] % weight_sum), k))[:left]:
        parts[k] += 1
    return {k: v * unit for k, v in parts.items()}


def main():
    municipalities, municipality_names, population = read("kommunehelse", "kommunenummer", "kommunenavn",
                                                          "innbyggere_2024_01_01")
    _, rhf_names, rhf_population = read("rhf_basis", "organisasjonsnummer", "rhf", "innbyggere_2024_01_01")
    _, pharmacy_names, lookups = read("eresept_oppslag", "organisasjonsnummer", "navn", "oppslag_med_salg")
    members, member_names, _ = read("ovrige_medlemmer", "organisasjonsnummer", "navn")
    vkp_users = set(read("vkp_i_bruk", "kommunenummer", "kommunenavn")[0])
    keys = {"rhf": (rhf_population, rhf_names), "kommuner": (population, municipality_names),
            "apotek": (lookups, pharmacy_names)}
    vkp_population = {k: w for k, w in population.items() if k in vkp_users}
    third, half = Fraction(1, 3), Fraction(1, 2)
    # pool: cost in 0.1 mill, and its legs: (group, share of the pool, weights of the entities or None)
    pools = {
        "helsenettet": (2649, [("rhf", third, None), ("kommuner", third, None), ("ovrige", third, None)]),
        "grunndata_helseid": (1131, [("rhf", third, None), ("kommuner", third, None), ("ovrige", third, None)]),
        "vkp": (271, [("kommuner", Fraction(95, 100) * half, None), ("kommuner", Fraction(95, 100) * half,
                                                                      vkp_population), ("rhf", Fraction(5, 100), None)]),
        "kjernejournal": (1251, [("rhf", Fraction(55, 100), None), ("kommuner", Fraction(45, 100), None)]),
        "provesvar": (170, [("rhf", Fraction(70, 100), None), ("kommuner", Fraction(30, 100), None)]),
        "eresept": (1331, [("apotek", Fraction(10, 100), None), ("helfo", Fraction(2, 100), None),
                           ("slv", Fraction(1, 100), None), ("rhf", Fraction(87, 200), None),
                           ("kommuner", Fraction(87, 200), None)]),
        "forskrivningsmodul": (670, [("rhf", half, None), ("kommuner", half, None)]),
        "helsenorge": (3300, [("rhf", half, None), ("kommuner", half, None)]),
    }
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["pool", "group", "entity", "name", "amount_ore", "amount_kr"])

    def write(pool, group, amounts, names):
        for ident, ore in amounts.items():
            out.writerow([pool, group, ident, names[ident], ore, f"{ore // 100}.{ore % 100:02d}"])

    fee_share = {}
    for pool, (cost, legs) in pools.items():
        shares = {}
        for group, share, _ in legs:
            shares[group] = shares.get(group, 0) + share
        groups = apportion(cost * GROUP_UNIT, shares, GROUP_UNIT)
        for group in shares:
            if group == "ovrige":
                fee_share[pool] = groups[group]
            elif group in ("helfo", "slv"):
                ident, name = HELFO if group == "helfo" else SLV
                write(pool, group, {ident: groups[group]}, {ident: name})
            else:
                mine = [(i, leg) for i, leg in enumerate(legs) if leg[0] == group]
                leg_amounts = apportion(groups[group], {i: leg[1] for i, leg in mine})
                for i, (_, _, weights) in mine:
                    weights = weights or keys[group][0]
                    write(pool, group, apportion(leg_amounts[i], dict(sorted(weights.items()))), keys[group][1])
    # the members' flat fee, each member's year split across the pools in proportion to the group's amounts
    totals = apportion(FEE_ORE_PER_YEAR * len(members), fee_share)
    weight_sum, position = sum(fee_share.values()), 0
    for pool, share in fee_share.items():
        base = FEE_ORE_PER_YEAR * share // weight_sum
        column = [base] * len(members)
        extra = totals[pool] - base * len(members)
        for p in range(position, position + extra):
            column[p % len(members)] += 1
        position += extra
        write(pool, "ovrige", dict(zip(members, column)), member_names)


if __name__ == "__main__":
    main()
