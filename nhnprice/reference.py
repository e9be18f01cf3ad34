"""Reference data shipped inside nhnprice: the municipalities of a year and the 2024 renumbering.

The canonical files are `specs/data/reference/kommuner_2024.csv` and
`specs/data/reference/kommunenummer_2023_til_2024.csv` (official: SSB's
population and classification 131). The wheel carries the same files as
`nhnprice/reference/*.csv` (pyproject's `force-include`), so an installed
nhnprice validates keys without the source tree; in a source tree they are
read from `specs/data/reference/`. One copy, two ways to find it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from nhnprice.record import Record, frozen
from nhnprice.shipped import shipped_text

FILES = ("kommuner_2024.csv", "kommunenummer_2023_til_2024.csv")
#: the first and last year of the numbering the renumbering table maps from
OLD_NUMBERING = (2020, 2023)
NEW_NUMBERING = 2024


def reference_text(name: str) -> str:
    """A reference file, from the installed package or, in a source tree, from specs/data/reference/."""
    return shipped_text(f"reference/{name}", f"specs/data/reference/{name}", encoding="utf-8-sig")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(reference_text(name), newline="")))


@frozen
class Division(Record):
    """The municipalities of one year's division: number -> name (and 2024 population).

    Read-only: one Division is shared by every caller in the process (it is cached)."""

    year: int
    names: Mapping[str, str]
    population: Mapping[str, int]


@lru_cache(maxsize=1)
def division_2024() -> Division:
    rows = _rows("kommuner_2024.csv")
    return Division(NEW_NUMBERING, MappingProxyType({r["kommunenummer"]: r["kommunenavn"] for r in rows}),
                    MappingProxyType({r["kommunenummer"]: int(r["innbyggere_2024_01_01"]) for r in rows}))


@lru_cache(maxsize=1)
def renumbering() -> Mapping[str, tuple[tuple[str, str], ...]]:
    """2020–2023 number -> the 2024 `(number, name)` pairs it became (two for Ålesund 1507); read-only."""
    out: dict[str, list[tuple[str, str]]] = {}
    for r in _rows("kommunenummer_2023_til_2024.csv"):
        out.setdefault(r["kommunenummer_2020_2023"], []).append((r["kommunenummer_2024"], r["kommunenavn_2024"]))
    return MappingProxyType({old: tuple(new) for old, new in out.items()})


@lru_cache(maxsize=1)
def division_2020() -> Division:
    names: dict[str, str] = {}
    for r in _rows("kommunenummer_2023_til_2024.csv"):
        names[r["kommunenummer_2020_2023"]] = r["kommunenavn_2020_2023"]
    return Division(OLD_NUMBERING[1], MappingProxyType(names), MappingProxyType({}))


def division(year: int) -> Division | None:
    """The municipalities of `year`: 2020–2023 share one division, 2024 and later the 2024 one.

    None before 2020: nhnprice has no municipality list for those years.
    """
    if year >= NEW_NUMBERING:
        return division_2024()
    if year >= OLD_NUMBERING[0]:
        return division_2020()
    return None
