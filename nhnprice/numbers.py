"""Numbers as a spec, a data file or a command line writes them, and as nhnprice shows them.

Units (`mill`, `kr`, `øre` and their other spellings), literals read exactly (`1 570`,
`88,3`: never a float), the months of a year, and exact decimal, percent and amount
display (half away from zero, for display only: money itself is integer øre).
"""

from __future__ import annotations

import re
from fractions import Fraction
from types import MappingProxyType

ORE_PER_KRONE = 100
ORE_PER_MILL = 100_000_000
#: a flat fee is per month; a year has this many
MONTHS = 12

#: øre per unit, by the unit's canonical spelling
UNIT_ORE = MappingProxyType({"mill": ORE_PER_MILL, "kr": ORE_PER_KRONE, "øre": 1})
#: every spelling of a unit -> its canonical spelling
UNIT_ALIASES = MappingProxyType({"mill.": "mill", "mill": "mill", "kroner": "kr", "kr": "kr", "NOK": "kr",
                                 "øre": "øre"})
#: what may separate thousands: a space, a no-break space, a narrow no-break space
SPACES = (" ", "\u00a0", "\u202f")


def unit_ore(word: str) -> int:
    """øre per unit, for any spelling of it: `mill.` -> 100 000 000."""
    return UNIT_ORE[UNIT_ALIASES[word]]


def without_spaces(text: str) -> str:
    for space in SPACES:
        text = text.replace(space, "")
    return text


def parse_number(text: str) -> Fraction:
    """`1 570` -> 1570, `88,3` -> 883/10. Exact; never a float."""
    return Fraction(without_spaces(text).replace(",", "."))


#: a number as a data file may write it: ASCII digits, thousands grouped by threes with a space
#: (also no-break or narrow no-break), one decimal mark (point or comma)
_NUMBER = re.compile("[+-]?(?:[0-9]+|[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+)(?:[.,][0-9]+)?")
#: `717.710`, `1,500`: one mark followed by three digits may group thousands or mark decimals ...
_AMBIGUOUS = re.compile("[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}")
#: ... except a comma in a `;` file, which writes decimals with a comma (and thousands with a space)
_AMBIGUOUS_POINT = re.compile("[+-]?[1-9][0-9]{0,2}[.][0-9]{3}")


def parse_weight(text: str, decimal_comma: bool = False) -> Fraction | None:
    """`1 234,5`, `1234.5` or `0,0027` -> an exact Fraction; None when it is not a number that can
    be read without a guess (`number_problem` says why).

    Thousands may be separated by a space, a no-break space or a narrow no-break
    space, in groups of three; the decimal mark is a point or a comma. One mark
    followed by three digits (`717.710`) may be either, and is refused, but for a
    comma in a file that writes decimals with one (`decimal_comma`: a `;` file).
    """
    cleaned = text.strip()
    if not _NUMBER.fullmatch(cleaned) or ambiguous(cleaned, decimal_comma):
        return None
    cleaned = without_spaces(cleaned)
    return Fraction(cleaned.replace(",", "."))


def ambiguous(text: str, decimal_comma: bool = False) -> bool:
    """Whether a number's one separator may be a thousands separator or a decimal mark (`717.710`)."""
    return (_AMBIGUOUS_POINT if decimal_comma else _AMBIGUOUS).fullmatch(text.strip()) is not None


def number_problem(text: str, decimal_comma: bool = False) -> tuple[str, str]:
    """Why `text` is not read as a number, and what to write instead: for messages."""
    word = text.strip()
    shown = f"`{word}`"
    if not word:
        return "is empty", "write a number, 0 for none"
    if word.lower().lstrip("+-") in ("nan", "inf", "infinity", "#num!", "#div/0!", "#value!", "#ref!"):
        return f"is {shown}, not a finite number", "write the number itself, not an error value"
    if any(c.isdigit() and not c.isascii() for c in word):
        return (f"is {shown}, written with digits other than 0–9",
                "write the number with the digits 0–9 (a spreadsheet or keyboard may have used another script)")
    if ambiguous(word, decimal_comma):
        whole, fraction = re.split("[.,]", word.lstrip("+-"))
        decimals = f"{whole},{fraction.rstrip('0') or '0'}"
        return (f"is {shown}, which may mean {whole} {fraction} (thousands) or {decimals} (decimals)",
                f"write {whole} {fraction} or {whole}{fraction} for thousands, {decimals} for decimals")
    if re.fullmatch("[+-]?[0-9.,]*[0-9][eE][+-]?[0-9]+", word):
        return f"is {shown}, written with an exponent", "write the number out in full, e.g. 1500000 for 1.5e6"
    if "." in word and "," in word or word.count(".") > 1 or word.count(",") > 1:
        return (f"is {shown}, with more than one separator",
                "write thousands with a space (1 234 567) or not at all, and one decimal mark (1234,5)")
    if any(space in word for space in SPACES) and re.fullmatch("[0-9+ \u00a0\u202f.,-]+", word):
        return f"is {shown}, not grouped in threes", "group thousands in threes (1 234 567), or not at all"
    return f"is {shown}, not a number", "write a number such as 15221, 15 221 or 0,0027"


def _round_half_up(value: Fraction) -> int:
    """Half away from zero, the way amounts are shown in tables (display only)."""
    sign = -1 if value < 0 else 1
    q, r = divmod(abs(value.numerator), value.denominator)
    return sign * (q + (1 if 2 * r >= value.denominator else 0))


def format_decimal(value: Fraction | int, decimals: int, decimal_mark: str = ",",
                   thousands: str = "\u00a0") -> str:
    """Exact decimal text for display: `format_decimal(Fraction(883, 10), 1)` -> `88,3`."""
    scaled = _round_half_up(Fraction(value) * 10**decimals)
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled)).rjust(decimals + 1, "0")
    whole, frac = (digits[:-decimals], digits[-decimals:]) if decimals else (digits, "")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = thousands.join(groups)
    return sign + text + (decimal_mark + frac if decimals else "")


def exact_decimals(value: Fraction | int, at_least: int = 0) -> int:
    """How many decimals it takes to write `value` exactly (at least `at_least`)."""
    value = Fraction(value)
    decimals = at_least
    while (value * 10**decimals).denominator != 1:
        decimals += 1
        if decimals > 12:  # not a finite decimal: cannot come from the parser or from øre
            raise ValueError(f"{value} has no exact decimal form")
    return decimals


def percent_text(share: Fraction | int, decimal_mark: str = ",", thousands: str = " ") -> str:
    """A share as a percent with as many decimals as it takes (at most six): 1/25 -> `4 %`."""
    percent = Fraction(share) * 100
    try:
        decimals = min(exact_decimals(percent), 6)
    except ValueError:  # not a finite decimal
        decimals = 6
    return f"{format_decimal(percent, decimals, decimal_mark, thousands)} %"


def format_number(value: Fraction) -> str:
    """Shortest exact decimal: 264.9, 1 570, 0.1."""
    return format_decimal(value, exact_decimals(value), ".", " ")


def mill(ore: int, decimals: int = 1, decimal_mark: str = ",") -> str:
    """øre as million kroner: 8 830 000 000 -> `88,3`."""
    return format_decimal(Fraction(ore, ORE_PER_MILL), decimals, decimal_mark)


def mill_exact(ore: int, decimal_mark: str = ",") -> str:
    """øre as million kroner with as many decimals as it takes to be exact (at least one)."""
    value = Fraction(ore, ORE_PER_MILL)
    return format_decimal(value, exact_decimals(value, at_least=1), decimal_mark)


def _whole_kroner(ore: int, thousands: str) -> tuple[str, int]:
    """The sign and grouped whole kroner of an amount, and its øre (integers only: the fast path of
    every amount a report shows, thousands of times per report)."""
    whole, ore_part = divmod(abs(ore), ORE_PER_KRONE)
    return ("-" if ore < 0 else "") + f"{whole:,}".replace(",", thousands), ore_part


def kroner(ore: int, decimal_mark: str = ",", thousands: str = "\u00a0") -> str:
    """øre as kroner, with øre shown only when there are any: `1 570` or `12,50`."""
    text, ore_part = _whole_kroner(ore, thousands)
    return text if not ore_part else f"{text}{decimal_mark}{ore_part:02d}"


def kroner2(ore: int, decimal_mark: str = ",", thousands: str = "\u00a0") -> str:
    """øre as kroner with both øre digits always shown, as every report shows kroner: `4 875 077,00`."""
    text, ore_part = _whole_kroner(ore, thousands)
    return f"{text}{decimal_mark}{ore_part:02d}"


def count(n: int, thousands: str = "\u00a0") -> str:
    """A whole number of things, grouped: `6 687` members."""
    return f"{n:,}".replace(",", thousands)


def fraction_text(value: Fraction | int | None) -> str | None:
    """An exact value as text for JSON: `8830000000` or `45150000000/13`; None stays None."""
    if value is None:
        return None
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
