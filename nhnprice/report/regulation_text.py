"""The regulation's payment paragraphs, written from an evaluated spec.

`regulation_text(result)` writes, section by section (§ 13, § 14, …), the
ledd that say what each payer group inside the regulation pays Norsk
helsenett SF and how it is distributed, in the phrasing of forskrift om
standarder og nasjonale e-helseløsninger §§ 13–16 as the Ministry's 2024
hearing note proposes it:

    Regionale helseforetak skal samlet betale Norsk helsenett SF 88,3 mill.
    kroner årlig til forvaltning og drift av helsenettet, …

Every amount is read from the result (so a price-adjusted scenario gives the
adjusted text); only words come from the phrasebook below, keyed by the
identifiers POLICY.md fixes for payer groups, pools and data sets. A spec
with other names still gets a text, built from its titles.

Rules of composition:
- Pools that are parts of one solution in the regulation's wording (e.g.
  `kjernejournal` and `provesvar`, both "Nasjonal kjernejournal") are one
  amount.
- A group's amounts distributed by its own key make one ledd, followed by
  the key's distribution sentence; an amount split further inside the group
  (VKP's two halves) gets its own "I tillegg …" sentences saying how.
- A flat-fee group gets "et fast beløp på N kroner per virksomhet per måned";
  a differentiated fee states the amount of each category.
- Groups `outside regulation` are left out, as the regulation leaves them out.
"""

from __future__ import annotations

from fractions import Fraction
from types import MappingProxyType

from nhnprice.evaluate import Result
from nhnprice.graph import GroupNode, Leg, PoolNode
from nhnprice.numbers import ORE_PER_KRONE, ORE_PER_MILL, exact_decimals, format_decimal
from nhnprice.params import format_value
from nhnprice.report.summary import adjusted_amounts

#: how the regulation names a payer group as the subject of a ledd, and in "I tillegg skal …"
SUBJECT = MappingProxyType({
    "rhf": ("Regionale helseforetak skal samlet betale", "de regionale helseforetakene"),
    "kommuner": ("Kommunene skal samlet betale", "kommunene"),
    "apotek": ("Apotek og bandasjister skal samlet betale", "apotek og bandasjister"),
    "ovrige": ("Øvrige medlemmer, inkludert fylkeskommunene, skal betale", "øvrige medlemmer"),
})

#: what a pool's payment is for, as the regulation says it ("til forvaltning og drift av …")
SOLUTION = MappingProxyType({
    "helsenettet": "helsenettet",
    "grunndata_helseid": "grunndata og helseID",
    "vkp": "velferdsteknologisk knutepunkt",
    "kjernejournal": "Nasjonal kjernejournal",
    "provesvar": "Nasjonal kjernejournal",  # pasientens prøvesvar is part of kjernejournal
    "eresept": "e-resept",
    "forskrivningsmodul": "e-resept",  # the prescription modules are part of e-resept
    "helsenorge": "helsenorge.no",
})

#: the sentence that says how a key distributes a group's amount
DISTRIBUTION = MappingProxyType({
    "rhf_basis": "Betalingen fordeles på det enkelte regionale helseforetak etter fordelingsnøklene i det "
                 "gjeldende inntektssystemet for fordeling av basisfinansieringen mellom de regionale "
                 "helseforetakene.",
    "kommunehelse": "Betalingen fordeles på den enkelte kommune etter delkostnadsnøkkelen for kommunehelse i "
                    "inntektssystemet for kommunene.",
    "eresept_oppslag": "Betalingen fordeles basert på virksomhetenes oppslag i e-resept som fører til salg.",
})

#: a key named inside a sentence, and who it covers when no register limits it
KEY_NAME = MappingProxyType({"kommunehelse": ("delkostnadsnøkkel for kommunehelse", "alle kommuner"),
                             "rhf_basis": ("fordelingsnøklene i inntektssystemet", "alle regionale helseforetak"),
                             "eresept_oppslag": ("oppslag i e-resept som fører til salg", "alle apotek og bandasjister")})

#: who a register limits a share to
REGISTER = MappingProxyType({"vkp_i_bruk": "kommunene som har tatt tjenesten i bruk"})

PAYEE = "Norsk helsenett SF"

#: a group that distributes its members' amounts further (`then by`): who decides how
WITHIN = MappingProxyType({"rhf": "Fordelingen av kostnader mellom helseforetakene innenfor en region bestemmes av "
                                  "det enkelte regionale helseforetak."})
WITHIN_ANY = "Den enkelte betaleren fordeler sin betaling videre etter egen nøkkel."


def mill_text(ore: int) -> str:
    """`88,3`, `165` (no `,0`), `171,6`: million kroner, exact, as the regulation writes them."""
    value = Fraction(ore, ORE_PER_MILL)
    return format_decimal(value, exact_decimals(value), ",", " ")


def kroner_text(ore: int) -> str:
    """`1570`, `12 500`, `1570,50`: four-digit amounts without a space, as the regulation writes them."""
    value = Fraction(ore, ORE_PER_KRONE)
    decimals = 0 if value.denominator == 1 else 2
    return format_decimal(value, decimals, ",", " " if value >= 10_000 else "")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def _solution(pool: PoolNode) -> str:
    return SOLUTION.get(pool.id, pool.title)


def _subject(group: GroupNode) -> tuple[str, str]:
    if group.id in SUBJECT:
        return SUBJECT[group.id]
    verb = "skal betale" if group.pays_fee else "skal samlet betale"
    return f"{group.title} {verb}", group.title[:1].lower() + group.title[1:]


def _distribution(result: Result, key: str | None) -> str:
    if key in DISTRIBUTION:
        return DISTRIBUTION[key]
    title = result.graph.datasets[key].title if key in result.graph.datasets else key
    return f"Betalingen fordeles etter {title[:1].lower() + title[1:]}." if title else ""


def _legs_sentence(result: Result, legs: list[Leg], group_share: Fraction) -> str:
    """How a group's amount is split further: `Den ene halvparten … og den andre halvparten …`."""
    parts = []
    for leg in legs:
        name, everyone = KEY_NAME.get(leg.key, (leg.key, "alle"))
        who = REGISTER.get(leg.among, leg.among) if leg.among else everyone
        parts.append((leg.share / group_share, f"mellom {who} etter {name}"))
    if len(parts) == 2 and all(share == Fraction(1, 2) for share, _ in parts):
        return (f"Den ene halvparten av betalingen fordeles {parts[0][1]}, og den andre halvparten fordeles "
                f"{parts[1][1]}.")
    said = [f"{format_decimal(share * 100, 1, ',', ' ').removesuffix(',0')} prosent av betalingen fordeles {how}"
            for share, how in parts]
    return _join(said) + "."


def _own_key(group: GroupNode, legs: list[Leg]) -> bool:
    """The group's amount in a pool goes, whole, by the group's own key."""
    return len(legs) == 1 and legs[0].among is None and legs[0].key == group.key


def section_paragraphs(result: Result, pools: list[PoolNode]) -> list[str]:
    """The ledd of one section: one per payer group inside the regulation with a share in its pools."""
    amounts = {(a.pool, a.group): a.amount_ore for a in result.groups}
    fees = {f.group: f for f in result.fees}
    out = []
    for group in result.graph.groups.values():
        mine = [p for p in pools if (p.id, group.id) in amounts]
        if group.outside or not mine:
            continue
        subject, noun = _subject(group)
        if group.pays_fee:
            solutions = list(dict.fromkeys(_solution(p) for p in mine))
            what = solutions[0] + (f", inkludert {_join(solutions[1:])}" if len(solutions) > 1 else "")
            fee = fees[group.id]
            if fee.categories:  # a differentiated fee: one amount per category
                amounts_by_category = [f"{kroner_text(c.fee_ore_per_month)} kroner for kategorien «{c.title}»"
                                       for c in fee.categories]
                out.append(f"{subject} {PAYEE} et fast beløp per virksomhet per måned etter virksomhetens "
                           f"kategori til forvaltning og drift av {what}: {_join(amounts_by_category)}.")
            else:
                out.append(f"{subject} {PAYEE} et fast beløp på {kroner_text(fee.fee_ore_per_month)} kroner per "
                           f"virksomhet per måned til forvaltning og drift av {what}.")
            continue
        simple: dict[str, int] = {}
        split: list[PoolNode] = []
        for p in mine:
            legs = [leg for leg in p.legs if leg.group == group.id]
            if group.entity is not None or _own_key(group, legs):
                simple[_solution(p)] = simple.get(_solution(p), 0) + amounts[(p.id, group.id)]
            else:
                split.append(p)
        sentences = []
        if simple:
            items = [f"{mill_text(ore)} mill. kroner årlig til forvaltning og drift av {s}" for s, ore in simple.items()]
            sentences += [f"{subject} {PAYEE} {_join(items)}.", _distribution(result, group.key),
                          WITHIN.get(group.id, WITHIN_ANY) if group.within else ""]
        for i, p in enumerate(split):
            lead = f"I tillegg skal {noun} betale" if simple or i else subject
            legs = [leg for leg in p.legs if leg.group == group.id]
            sentences.append(f"{lead} {PAYEE} {mill_text(amounts[(p.id, group.id)])} mill. kroner årlig til "
                             f"forvaltning og drift av {_solution(p)}.")
            sentences.append(_legs_sentence(result, legs, p.group_shares()[group.id]))
        out.append(" ".join(s for s in sentences if s))
    return out


def regulation_sections(result: Result) -> list[tuple[str, list[str]]]:
    """(heading, ledd) per section of the spec, in order; pools outside any section come last."""
    sections: dict[str | None, list[PoolNode]] = {}
    for p in result.graph.pools:
        sections.setdefault(p.section, []).append(p)
    out = []
    for heading, pools in sections.items():
        paragraphs = section_paragraphs(result, pools)
        if paragraphs:
            out.append((pools[0].reference or heading or "", paragraphs))
    return out


def adjustment_note(result: Result) -> list[str]:
    """After a price adjustment: a note (not regulation text) with every stated amount, the factor and
    the adjusted amount the paragraphs use."""
    if result.price_factor == 1:
        return []
    factor = format_decimal(result.price_factor, exact_decimals(result.price_factor), ",", " ")
    lines = [f"Merknad (ikke forskriftstekst): beløpene er prisjustert etter § 17 med "
             f"{format_value('percent', result.price_factor - 1)} (× {factor}), hvert beløp avrundet til "
             "nærmeste enhet det oppgis i. Oppgitt beløp → prisjustert beløp:"]
    for a in adjusted_amounts(result):
        if a.per_month:
            lines.append(f"- {a.what}: {kroner_text(a.stated_ore)} → {kroner_text(a.adjusted_ore)} kroner "
                         "per virksomhet per måned")
        else:
            lines.append(f"- {a.what}, {a.group}: {mill_text(a.stated_ore)} → {mill_text(a.adjusted_ore)} mill. kroner")
    return lines


def regulation_text(result: Result) -> str:
    """The payment paragraphs as plain text: `§ 13 andre til fjerde ledd skal lyde:` and its ledd."""
    blocks = []
    for reference, paragraphs in regulation_sections(result):
        blocks.append("\n\n".join([f"{reference} skal lyde:" if reference else ""] + paragraphs).strip())
    note = adjustment_note(result)
    if note:
        blocks.append("\n".join(note))
    return "\n\n\n".join(blocks) + "\n"
