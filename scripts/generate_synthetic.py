#!/usr/bin/env python3
"""Generate the synthetic registers bundled with nhnprice, deterministically.

The regulation distributes money over registers that are not public: the
members of Helsenettet who pay the flat fee ("øvrige medlemmer"), the
pharmacies and bandage suppliers with their e-resept lookups that lead to a
sale, and the municipalities that have taken Velferdsteknologisk knutepunkt
(VKP) into use. nhnprice needs registers of a realistic size and shape to be
run, tested and demonstrated, so this script makes them up, from a fixed seed,
and every file says so: names start with "Syntetisk", and every spec that uses
them declares `provenance synthetic`.

What is realistic about them:
- 6 687 øvrige members in 2024: the 2024 fee of 1 570 kr a month is meant to
  collect one third of Helsenettet incl. Grunndata og HelseID (126.0 mill.),
  and 126 000 000 / (12 × 1 570) = 6 687.9, so 6 687 is the most that fee can
  bill without exceeding the share;
- about 1 045 pharmacies (Apotekforeningen's count at the turn of 2023/24) and
  a few dozen bandasjister, with skewed lookup counts;
- a minority of the 357 municipalities of 2024 as VKP adopters (Oslo among them);
- for 2027, when every self-employed health business (ENK or AS) must hold its
  own membership, about 15 000 individual members;
- organisation numbers that pass the MOD11 check, unique across all files.

Usage: python scripts/generate_synthetic.py [--seed 2024] [--out specs/data]
Running it twice gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
REAL_NUMBERS = {"991324968", "983658725", "983658776", "883658752", "983544622", "974761122"}

CATEGORIES = [  # kategori, organisasjonsform, share of members (per mille), turnover range in kroner, FTE range
    ("tannlege", "ENK", 260, (600_000, 6_000_000), (1, 4)),
    ("tannklinikk", "AS", 110, (3_000_000, 40_000_000), (3, 30)),
    ("fysioterapeut", "ENK", 180, (400_000, 2_500_000), (1, 2)),
    ("legekontor", "AS", 120, (2_000_000, 30_000_000), (2, 25)),
    ("psykolog", "ENK", 110, (500_000, 2_000_000), (1, 2)),
    ("kiropraktor", "ENK", 50, (500_000, 3_000_000), (1, 3)),
    ("laboratorium", "AS", 20, (10_000_000, 400_000_000), (10, 300)),
    ("privat sykehus", "AS", 10, (50_000_000, 2_000_000_000), (40, 1500)),
    ("omsorgsvirksomhet", "AS", 80, (5_000_000, 150_000_000), (5, 200)),
    ("avtalespesialist", "ENK", 60, (1_500_000, 9_000_000), (1, 5)),
]
FYLKESKOMMUNER = 15


def check_digit(first8: str) -> int | None:
    """MOD11 check digit of a Norwegian organisation number, None when 10 (no valid number)."""
    remainder = sum(int(d) * w for d, w in zip(first8, WEIGHTS)) % 11
    digit = (11 - remainder) % 11
    return None if digit == 10 else digit


class OrgNumbers:
    """Unique, valid synthetic organisation numbers."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used = set(REAL_NUMBERS)

    def next(self) -> str:
        while True:
            first8 = str(self.rng.randint(80_000_000, 99_999_999))
            digit = check_digit(first8)
            number = f"{first8}{digit}"
            if digit is not None and number not in self.used:
                self.used.add(number)
                return number


def skewed(rng: random.Random, low: int, high: int) -> int:
    """Integer between low and high, most of them near low (log-uniform)."""
    return int(low * (high / low) ** rng.random())


def members(rng: random.Random, orgs: OrgNumbers, count: int, prefix: str) -> list[list[str]]:
    rows = [[orgs.next(), f"Syntetisk fylkeskommune {i:02d}", "FYLK", "fylkeskommune",
             str(skewed(rng, 2_000_000_000, 9_000_000_000)), f"{skewed(rng, 800, 4000)}.0",
             str(rng.randint(20, 120))] for i in range(1, FYLKESKOMMUNER + 1)]
    total = sum(c[2] for c in CATEGORIES)
    i = 0
    while len(rows) < count:
        pick = rng.randrange(total)
        for kategori, form, share, turnover, fte in CATEGORIES:
            if pick < share:
                break
            pick -= share
        i += 1
        tenths = skewed(rng, fte[0] * 10, fte[1] * 10 + 1)
        locations = 1 if rng.random() < 0.85 else rng.randint(2, max(2, tenths // 40 + 2))
        rows.append([orgs.next(), f"{prefix} {kategori} {i:05d}", form, kategori,
                     str(skewed(rng, *turnover)), f"{tenths // 10}.{tenths % 10}", str(locations)])
    return sorted(rows)


def pharmacies(rng: random.Random, orgs: OrgNumbers) -> list[list[str]]:
    rows = [[orgs.next(), f"Syntetisk apotek {i:04d}", "apotek", str(skewed(rng, 2_000, 400_000))]
            for i in range(1, 1046)]
    rows += [[orgs.next(), f"Syntetisk bandasjist {i:02d}", "bandasjist", str(skewed(rng, 50, 5_000))]
             for i in range(1, 36)]
    return sorted(rows)


def adopters(rng: random.Random, municipalities: list[dict[str, str]]) -> list[list[str]]:
    chosen = [m for m in municipalities if m["kommunenummer"] == "0301" or rng.random() < 0.27]
    return [[m["kommunenummer"], m["kommunenavn"]] for m in chosen]


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {len(rows)} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    parser.add_argument("--out", type=Path, default=ROOT / "specs" / "data", help="data folder (default specs/data)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    orgs = OrgNumbers(rng)
    with open(args.out / "2024" / "kommunehelse.csv", encoding="utf-8") as f:
        municipalities = list(csv.DictReader(f))
    member_header = ["organisasjonsnummer", "navn", "organisasjonsform", "kategori", "omsetning_kr",
                     "arsverk", "lokasjoner"]
    write(args.out / "2024" / "eresept_oppslag.csv", ["organisasjonsnummer", "navn", "type", "oppslag_med_salg"],
          pharmacies(rng, orgs))
    write(args.out / "2024" / "ovrige_medlemmer.csv", member_header,
          members(rng, orgs, 6687, "Syntetisk"))
    write(args.out / "2024" / "vkp_i_bruk.csv", ["kommunenummer", "kommunenavn"], adopters(rng, municipalities))
    write(args.out / "2027" / "individuelle_medlemmer.csv", member_header,
          members(rng, orgs, 15_000, "Syntetisk individuell"))


if __name__ == "__main__":
    main()
