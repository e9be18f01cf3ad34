#!/usr/bin/env python3
"""What a spreadsheet-minded analyst would write instead of nhnprice: the 2024 payments in pandas.

Floats throughout, as pandas invites: each group's amount is its share of the
cost rounded to 0.1 mill. kr, and each entity's amount its weight's share of
that, rounded to the øre on its own (no largest remainder). It is fast and
mostly right; the benchmark (benchmarks/run.py) counts the rows where it is
not, and the splits whose parts do not add up to what they split. Same CSV
columns and row order as `nhnprice report specs/2024.nhp --format csv`.

    python benchmarks/baselines/pandas_2024.py > payments.csv   # needs pandas
"""

import sys
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "specs" / "data" / "2024"
STR = {"kommunenummer": str, "organisasjonsnummer": str}


def key(name, id_column, name_column, weight_column=None):
    df = pd.read_csv(DATA / f"{name}.csv", dtype=STR)
    df = df.rename(columns={id_column: "entity", name_column: "name"})
    df["weight"] = df[weight_column].astype(float) if weight_column else 1.0
    return df[["entity", "name", "weight"]]


def main():
    municipalities = key("kommunehelse", "kommunenummer", "kommunenavn", "innbyggere_2024_01_01")
    vkp = municipalities[municipalities.entity.isin(key("vkp_i_bruk", "kommunenummer", "kommunenavn").entity)]
    keys = {"rhf": key("rhf_basis", "organisasjonsnummer", "rhf", "innbyggere_2024_01_01"),
            "kommuner": municipalities,
            "apotek": key("eresept_oppslag", "organisasjonsnummer", "navn", "oppslag_med_salg")}
    single = {"helfo": pd.DataFrame({"entity": ["983544622"], "name": ["Helsedirektoratet"], "weight": [1.0]}),
              "slv": pd.DataFrame({"entity": ["974761122"], "name": ["Statens legemiddelverk"], "weight": [1.0]})}
    members = key("ovrige_medlemmer", "organisasjonsnummer", "navn")
    pools = [  # pool, cost in mill. kr, legs (group, share, key)
        ("helsenettet", 264.9, [("rhf", 1 / 3, None), ("kommuner", 1 / 3, None), ("ovrige", 1 / 3, None)]),
        ("grunndata_helseid", 113.1, [("rhf", 1 / 3, None), ("kommuner", 1 / 3, None), ("ovrige", 1 / 3, None)]),
        ("vkp", 27.1, [("kommuner", 0.475, None), ("kommuner", 0.475, vkp), ("rhf", 0.05, None)]),
        ("kjernejournal", 125.1, [("rhf", 0.55, None), ("kommuner", 0.45, None)]),
        ("provesvar", 17.0, [("rhf", 0.70, None), ("kommuner", 0.30, None)]),
        ("eresept", 133.1, [("apotek", 0.10, None), ("helfo", 0.02, None), ("slv", 0.01, None),
                            ("rhf", 0.435, None), ("kommuner", 0.435, None)]),
        ("forskrivningsmodul", 67.0, [("rhf", 0.5, None), ("kommuner", 0.5, None)]),
        ("helsenorge", 330.0, [("rhf", 0.5, None), ("kommuner", 0.5, None)]),
    ]
    frames, fee_share = [], {}
    for pool, cost, legs in pools:
        group_share = {}
        for group, share, _ in legs:
            group_share[group] = group_share.get(group, 0) + share
        for group, share, table in legs:
            amount = round(cost * group_share[group], 1) * share / group_share[group] * 1e8  # øre
            if group == "ovrige":
                fee_share[pool] = amount
                continue
            df = (table if table is not None else keys.get(group, single.get(group))).sort_values("entity").copy()
            df["amount_ore"] = (amount * df.weight / df.weight.sum()).round().astype("int64")
            df["pool"], df["group"] = pool, group
            frames.append(df)
    total = sum(fee_share.values())
    for pool, amount in fee_share.items():
        df = members.copy()
        df["amount_ore"] = round(1570 * 12 * 100 * amount / total)
        df["pool"], df["group"] = pool, "ovrige"
        frames.append(df)
    out = pd.concat(frames)
    out["amount_kr"] = (out.amount_ore / 100).map("{:.2f}".format)
    out[["pool", "group", "entity", "name", "amount_ore", "amount_kr"]].to_csv(sys.stdout, index=False,
                                                                             lineterminator="\n")


if __name__ == "__main__":
    main()
