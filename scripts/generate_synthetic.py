#!/usr/bin/env python3
"""Generate the synthetic registers bundled with nhnprice, deterministically.

Why synthetic
-------------
The regulation distributes the cost of the national e-health solutions over
registers that are not public:

- the other members of Helsenettet who pay the flat fee ("øvrige medlemmer"),
  with the turnover, full-time equivalents and locations that NHN's planned
  size-differentiated fee (from 2025) would use;
- the pharmacies and bandage suppliers (bandasjister) with their yearly
  e-resept lookups that lead to a sale;
- the municipalities that have taken Velferdsteknologisk knutepunkt (VKP) into
  use;
- for 2027, the register in which every self-employed health business (ENK or
  AS) holds its own membership;
- how each regional health authority distributes its payment among its health
  trusts (helseforetak): each RHF decides that itself, and publishes no key.

nhnprice needs registers of a realistic size and shape to be run, tested and
demonstrated, so this script makes them up from a fixed seed. Every row is
labelled: names start with "Syntetisk", and every spec that uses the files
declares `provenance synthetic`. None of the numbers describes a real
organisation. The organisation numbers are drawn at random and pass the MOD11
check, so they have the form of real numbers; they are not looked up in
Enhetsregisteret and may by chance belong to a real, unrelated organisation.

What is realistic about them
----------------------------
- 6 687 øvrige members in 2024: the fee of 1 570 kr a month is meant to collect
  one third of Helsenettet incl. Grunndata og HelseID (126.0 mill. kr), and
  126 000 000 // (12 * 1 570) = 6 687, so 6 687 is the largest register that
  fee can bill without exceeding the share (6 688 would collect 126 001 920 kr).
  Among them the 14 county authorities
  (fylkeskommuner; Oslo is a county without one, its county tasks lie with the
  municipality, which pays as a kommune);
- 1 045 pharmacies (Apotekforeningen's count at the turn of 2023/24) and 35
  bandasjister, with skewed lookup counts (pharmacies 2 000 to 400 000 a year,
  bandasjister 100 to 15 000);
- 100 of the 357 municipalities of 2024 as VKP adopters, Oslo always among them,
  the rest drawn with a probability that grows with population;
- 15 000 members in 2027, when every self-employed health business must hold its
  own membership: far more sole proprietorships (ENK) than in 2024, plus the
  institutional members;
- 27 health trusts: 11, 6, 4 and 6 for Helse Sør-Øst, Vest, Midt-Norge and Nord,
  roughly as the regions are organised, each with a weight (a made-up share of
  the region's operating costs, 5 to 100);
- organisation numbers that start with 8 or 9, pass the MOD11 check (checked with
  python-stdnum) and are unique within and across all files, none of them the
  real number of an RHF, Helfo, Statens legemiddelverk or Norsk helsenett.

The draws use only integer arithmetic on `random.Random(seed)` (no floating
point library functions), so the files are byte-identical from run to run and
from platform to platform.

Files 1-2 and the reference files are not generated: they are copies of public
data (SSB population, the RHF organisation numbers) from the project's shared
data folder, written here too when that folder is present (`--shared`).

Usage:
    python scripts/generate_synthetic.py [--seed 2024] [--out specs/data] [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import shutil
import sys
from pathlib import Path

from stdnum.no import orgnr

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = ROOT.parent / "shared" / "data"

# Real organisation numbers that a synthetic number must never be: the four RHF,
# Helsedirektoratet (Helfo), Statens legemiddelverk and Norsk helsenett SF.
REAL_NUMBERS = frozenset({
    "991324968", "983658725", "983658776", "883658752",
    "983544622", "974761122", "994598759",
})

OVRIGE_2024 = 6_687          # 126 000 000 // (12 * 1 570)
INDIVIDUELLE_2027 = 15_000
APOTEK = 1_045               # pharmacies at the turn of 2023/24 (apotek_antall.csv)
BANDASJISTER = 35
VKP_ADOPTERS = 100           # including Oslo
FYLKESKOMMUNER = 14          # 15 counties in 2024; Oslo has no county authority

MILL = 1_000_000
MAX_TURNOVER = 2_000 * MILL

# A distribution is a tuple of (low, high, weight) buckets: a bucket is picked with
# probability weight / sum(weights), then an integer uniformly in [low, high].

# Lookups in e-resept that led to a sale, per pharmacy and year (median ~35 000).
PHARMACY_LOOKUPS = ((2_000, 4_999, 30), (5_000, 9_999, 70), (10_000, 19_999, 170),
                    (20_000, 39_999, 300), (40_000, 69_999, 250), (70_000, 119_999, 120),
                    (120_000, 199_999, 45), (200_000, 400_000, 15))
BANDASJIST_LOOKUPS = ((100, 499, 150), (500, 1_999, 400), (2_000, 4_999, 300), (5_000, 15_000, 150))

# Full-time equivalents, in tenths.
SOLO = ((5, 9, 15), (10, 10, 65), (11, 15, 15), (16, 20, 5))            # one practitioner
SOLO_WITH_STAFF = ((10, 10, 30), (11, 20, 40), (21, 40, 30))            # practitioner + assistant
SMALL_FIRM = ((15, 40, 55), (41, 100, 35), (101, 250, 10))
PRACTICE = ((20, 60, 50), (61, 150, 40), (151, 300, 10))
INSTITUTION = ((50, 200, 35), (201, 800, 45), (801, 2_500, 20))
LAB = ((20, 100, 40), (101, 800, 40), (801, 3_000, 20))
HOSPITAL = ((400, 2_000, 40), (2_001, 6_000, 40), (6_001, 12_000, 20))
COUNTY = ((1_000, 3_000, 40), (3_001, 5_500, 45), (5_501, 7_000, 15))  # a county's dental service

# (kategori, organisasjonsform, weight 2024, weight 2027, FTE distribution,
#  turnover per full-time equivalent in kroner (low, high),
#  per cent with more than one location, most locations)
CATEGORIES = (
    ("tannlege", "ENK", 170, 150, SOLO_WITH_STAFF, (700_000, 1_600_000), 2, 2),
    ("tannlege", "AS", 110, 60, SMALL_FIRM, (800_000, 1_600_000), 15, 4),
    ("fysioterapeut", "ENK", 170, 190, SOLO, (450_000, 1_100_000), 3, 2),
    ("fysioterapeut", "AS", 40, 20, SMALL_FIRM, (600_000, 1_200_000), 20, 4),
    ("psykolog", "ENK", 100, 110, SOLO, (600_000, 1_500_000), 2, 2),
    ("psykolog", "AS", 20, 10, SMALL_FIRM, (700_000, 1_400_000), 10, 3),
    ("kiropraktor", "ENK", 30, 35, SOLO, (700_000, 2_000_000), 5, 2),
    ("kiropraktor", "AS", 15, 8, SMALL_FIRM, (700_000, 1_800_000), 20, 3),
    ("manuellterapeut", "ENK", 15, 15, SOLO, (600_000, 1_400_000), 3, 2),
    ("avtalespesialist", "ENK", 60, 55, SOLO_WITH_STAFF, (1_200_000, 3_500_000), 5, 2),
    ("allmennlege", "ENK", 20, 240, SOLO, (1_000_000, 2_500_000), 5, 2),
    ("legekontor", "AS", 80, 25, PRACTICE, (900_000, 2_000_000), 10, 3),
    ("legekontor", "DA", 20, 6, PRACTICE, (900_000, 2_000_000), 5, 2),
    ("legekontor", "ANS", 10, 3, PRACTICE, (900_000, 2_000_000), 5, 2),
    ("jordmor", "ENK", 8, 10, SOLO, (400_000, 1_000_000), 2, 2),
    ("ergoterapeut", "ENK", 5, 6, SOLO, (400_000, 900_000), 2, 2),
    ("logoped", "ENK", 10, 12, SOLO, (400_000, 900_000), 2, 2),
    ("audiograf", "AS", 4, 2, SMALL_FIRM, (800_000, 1_500_000), 25, 4),
    ("laboratorium", "AS", 8, 3, LAB, (1_000_000, 2_500_000), 40, 15),
    ("røntgeninstitutt", "AS", 8, 3, LAB, (1_200_000, 2_500_000), 40, 10),
    ("privat sykehus", "AS", 4, 2, HOSPITAL, (1_200_000, 1_600_000), 50, 8),
    ("privat sykehus", "STI", 2, 1, HOSPITAL, (1_200_000, 1_600_000), 50, 5),
    ("rehabiliteringsinstitusjon", "STI", 8, 3, INSTITUTION, (700_000, 1_200_000), 20, 3),
    ("rehabiliteringsinstitusjon", "AS", 8, 3, INSTITUTION, (700_000, 1_200_000), 20, 3),
    ("rusbehandling", "STI", 8, 3, INSTITUTION, (700_000, 1_200_000), 30, 6),
    ("rusbehandling", "AS", 6, 2, INSTITUTION, (700_000, 1_200_000), 30, 6),
    ("omsorgsvirksomhet", "AS", 40, 18, INSTITUTION, (700_000, 1_100_000), 35, 12),
    ("bedriftshelsetjeneste", "AS", 20, 6, SMALL_FIRM, (800_000, 1_500_000), 40, 6),
    ("ambulansetjeneste", "AS", 3, 1, INSTITUTION, (1_000_000, 1_800_000), 60, 10),
    ("frivillig helsetjeneste", "FLI", 5, 2, SMALL_FIRM, (300_000, 900_000), 30, 8),
)

NAME_SUFFIX = {"AS": " AS", "DA": " DA", "ANS": " ANS"}

MEMBER_HEADER = ["organisasjonsnummer", "navn", "organisasjonsform", "kategori",
                 "omsetning_kr", "arsverk", "lokasjoner"]
PHARMACY_HEADER = ["organisasjonsnummer", "navn", "type", "oppslag_med_salg"]


def weighted_index(rng: random.Random, weights: list[int] | tuple[int, ...]) -> int:
    """Index i with probability weights[i] / sum(weights), integer arithmetic only."""
    pick = rng.randrange(sum(weights))
    for i, weight in enumerate(weights):
        if pick < weight:
            return i
        pick -= weight
    raise AssertionError("unreachable")


def draw(rng: random.Random, buckets: tuple[tuple[int, int, int], ...]) -> int:
    low, high, _ = buckets[weighted_index(rng, [b[2] for b in buckets])]
    return rng.randint(low, high)


class OrgNumbers:
    """Unique, valid synthetic organisation numbers (first digit 8 or 9, MOD11)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used = set(REAL_NUMBERS)

    def next(self) -> str:
        while True:
            first8 = str(self.rng.randint(80_000_000, 99_999_999))
            # stdnum's checksum weighs the ninth digit by 1, so the check digit
            # makes the weighted sum divisible by 11; 10 means no valid number.
            digit = -orgnr.checksum(first8 + "0") % 11
            if digit == 10:
                continue
            number = f"{first8}{digit}"
            if number not in self.used:
                assert orgnr.is_valid(number), number
                self.used.add(number)
                return number


def tenths(value: int) -> str:
    return f"{value // 10}.{value % 10}"


def county_authorities(rng: random.Random, orgs: OrgNumbers) -> list[list[str]]:
    rows = []
    for i in range(1, FYLKESKOMMUNER + 1):
        fte = draw(rng, COUNTY)
        turnover = min(MAX_TURNOVER, fte * rng.randint(1_200_000, 1_800_000) // 10)
        clinics = max(5, fte // rng.randint(80, 150))  # one dental clinic per 8-15 full-time equivalents
        rows.append([orgs.next(), f"Syntetisk fylkeskommune {i:02d}", "FYLK", "fylkeskommune",
                     str(turnover), tenths(fte), str(clinics)])
    return rows


def members(rng: random.Random, orgs: OrgNumbers, count: int, year: int) -> list[list[str]]:
    """A member register of `count` rows: the county authorities and health businesses."""
    rows = county_authorities(rng, orgs)
    weights = [c[2] if year < 2027 else c[3] for c in CATEGORIES]
    numbers: dict[str, int] = {}
    while len(rows) < count:
        kategori, form, _, _, fte_buckets, per_fte, multi_pct, most = CATEGORIES[weighted_index(rng, weights)]
        numbers[kategori] = numbers.get(kategori, 0) + 1
        fte = draw(rng, fte_buckets)
        turnover = min(MAX_TURNOVER, fte * rng.randint(*per_fte) // 10)
        locations = 1
        if rng.randrange(100) < multi_pct:
            locations = rng.randint(2, max(2, min(most, 1 + fte // 150)))
        name = f"Syntetisk {kategori} {numbers[kategori]:05d}{NAME_SUFFIX.get(form, '')}"
        rows.append([orgs.next(), name, form, kategori, str(turnover), tenths(fte), str(locations)])
    return sorted(rows)


def pharmacies(rng: random.Random, orgs: OrgNumbers) -> list[list[str]]:
    rows = [[orgs.next(), f"Syntetisk apotek {i:04d}", "apotek", str(draw(rng, PHARMACY_LOOKUPS))]
            for i in range(1, APOTEK + 1)]
    rows += [[orgs.next(), f"Syntetisk bandasjist {i:02d}", "bandasjist", str(draw(rng, BANDASJIST_LOOKUPS))]
             for i in range(1, BANDASJISTER + 1)]
    return sorted(rows)


def adopters(rng: random.Random, municipalities: list[dict[str, str]]) -> list[list[str]]:
    """Oslo plus 99 municipalities drawn without replacement, weight 50 + √population."""
    chosen = [m for m in municipalities if m["kommunenummer"] == "0301"]
    rest = [m for m in municipalities if m["kommunenummer"] != "0301"]
    weights = [50 + math.isqrt(int(m["innbyggere_2024_01_01"])) for m in rest]
    while len(chosen) < VKP_ADOPTERS:
        i = weighted_index(rng, weights)
        chosen.append(rest.pop(i))
        weights.pop(i)
    return sorted([m["kommunenummer"], m["kommunenavn"]] for m in chosen)


#: (RHF organisation number, region, number of health trusts), the RHF numbers as in rhf_basis.csv
HEALTH_TRUSTS = (("991324968", "Sør-Øst", 11), ("983658725", "Vest", 6), ("983658776", "Midt-Norge", 4),
                 ("883658752", "Nord", 6))
HEALTH_TRUST_HEADER = ["organisasjonsnummer", "navn", "rhf_organisasjonsnummer", "vekt"]


def health_trusts(rng: random.Random, orgs: OrgNumbers) -> list[list[str]]:
    """Each RHF's health trusts with a made-up weight each: the key an RHF would keep itself."""
    rows = []
    for rhf, region, count in HEALTH_TRUSTS:
        rows += [[orgs.next(), f"Syntetisk helseforetak {region} {i:02d}", rhf, str(rng.randint(5, 100))]
                 for i in range(1, count + 1)]
    return sorted(rows)


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(csv_text(header, rows).encode("utf-8"))
    print(f"{path}: {len(rows)} rows")


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def copy_public(shared: Path, out: Path) -> None:
    """Files 1-2 (projections of public data) and the unchanged reference copies."""
    municipalities = sorted(read_csv(shared / "kommuner_2024.csv"), key=lambda m: m["kommunenummer"])
    write(out / "2024" / "kommunehelse.csv", ["kommunenummer", "kommunenavn", "innbyggere_2024_01_01"],
          [[m["kommunenummer"], m["kommunenavn"], m["innbyggere_2024_01_01"]] for m in municipalities])
    write(out / "2024" / "rhf_basis.csv", ["organisasjonsnummer", "rhf", "innbyggere_2024_01_01"],
          [[r["organisasjonsnummer"], r["rhf"], r["innbyggere_2024_01_01"]]
           for r in read_csv(shared / "rhf_befolkning_2024.csv")])
    (out / "reference").mkdir(parents=True, exist_ok=True)
    for name in ("kommuner_2024.csv", "kommunenummer_2023_til_2024.csv"):
        shutil.copyfile(shared / name, out / "reference" / name)
        print(f"{out / 'reference' / name}: copied unchanged")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    parser.add_argument("--out", type=Path, default=ROOT / "specs" / "data",
                        help="data folder to write (default specs/data)")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="folder with the public source files to copy (default ../shared/data "
                             "next to the repository); skipped when it does not exist")
    args = parser.parse_args()

    if (args.shared / "kommuner_2024.csv").exists():
        copy_public(args.shared, args.out)
        municipalities = read_csv(args.out / "2024" / "kommunehelse.csv")
    else:
        print(f"{args.shared}: not found, public files not copied", file=sys.stderr)
        for source in (args.out / "2024" / "kommunehelse.csv", ROOT / "specs" / "data" / "2024" / "kommunehelse.csv"):
            if source.exists():
                municipalities = read_csv(source)
                break
        else:
            sys.exit("no kommunehelse.csv to draw the VKP adopters from: pass --shared")
    municipalities.sort(key=lambda m: m["kommunenummer"])

    rng = random.Random(args.seed)
    orgs = OrgNumbers(rng)
    write(args.out / "2024" / "eresept_oppslag.csv", PHARMACY_HEADER, pharmacies(rng, orgs))
    write(args.out / "2024" / "ovrige_medlemmer.csv", MEMBER_HEADER, members(rng, orgs, OVRIGE_2024, 2024))
    write(args.out / "2024" / "vkp_i_bruk.csv", ["kommunenummer", "kommunenavn"], adopters(rng, municipalities))
    write(args.out / "2027" / "individuelle_medlemmer.csv", MEMBER_HEADER,
          members(rng, orgs, INDIVIDUELLE_2027, 2027))
    # drawn last, so that the files above stay the same as before it was added
    write(args.out / "2024" / "helseforetak.csv", HEALTH_TRUST_HEADER, health_trusts(rng, orgs))


if __name__ == "__main__":
    main()
