"""Diagnostics in bokmål: a message catalogue keyed by diagnostic code.

A diagnostic is made in English; `localise(diagnostic, "nb")` gives it in Norwegian when its
code is in the catalogue. Each entry pairs an English message as the pass writes it (its
variable parts as `{name}`) with its Norwegian wording; a variable part that is itself a
phrase of the catalogue (`pool `vkp``, `a name`) is translated too. Hints and notes are
phrases shared by all codes. `TRANSLATED` lists the codes whose every message, hint and
note is in the catalogue; a diagnostic of another code is shown in English, whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from types import MappingProxyType

import attrs

from nhnprice.diagnostics import Diagnostic
from nhnprice.report.labels import LANGUAGES, default_language

#: code -> (English message, Norwegian message) pairs
MESSAGES = MappingProxyType({
    "D001": (("{path} is a binary file, not CSV text", "{path} er en binærfil, ikke CSV-tekst"),),
    "D002": (("no such data file: {path}", "finner ikke datafilen: {path}"),
             ("{path} is a folder, not a data file", "{path} er en mappe, ikke en datafil")),
    "D003": (("{path} is empty", "{path} er tom"),
             ("{path} has a header but no rows", "{path} har en overskriftsrad, men ingen rader")),
    "D004": (("{path} has no column {name} (the {role} column of {outer})",
              "{path} har ingen kolonne {name} ({role}-kolonnen til {outer})"),),
    "D005": (("row has {count} fields, the header has {other}",
    "raden har {count} felt, overskriftsraden har {other}"),),
    "D006": (("empty id", "tom id"),),
    "D007": (("{name} appears twice", "{name} står der to ganger"),),
    "D008": (("the weight of {name} is {value}, not a finite number",
    "vekten til {name} er {value}, ikke et endelig tall"),),
    "D009": (("the weight of {name} is negative ({amount})", "vekten til {name} er negativ ({amount})"),),
    "D010": (("every weight in {path} is zero", "alle vektene i {path} er null"),),
    "D013": (("{name} is not a valid organisation number", "{name} er ikke et gyldig organisasjonsnummer"),),
    "E001": (("unexpected {token}", "uventet {token}"),
             ("unexpected character {char}", "uventet tegn {char}"),
             ("the spec ends too early", "spesifikasjonen slutter for tidlig"),
             ("a quoted text must end on the line it starts",
              "en tekst i anførselstegn må slutte på linjen den begynner på"),
             ("this `}}` closes no block", "denne `}}` lukker ingen blokk"),
             ("a name is missing after {token}", "et navn mangler etter {token}"),
             ("{symbol} is missing after {token}", "{symbol} mangler etter {token}")),
    "E003": (("no such spec file: {path}", "finner ikke spesifikasjonsfilen: {path}"),
             ("{path} is not UTF-8 text (byte {count})", "{path} er ikke UTF-8-tekst (byte {count})")),
    "E004": (("{name} is given twice", "{name} er oppgitt to ganger"),),
    "E007": (("{block} is not closed: its `}}` is missing", "{block} er ikke lukket: `}}` mangler"),),
    "E008": (("{word} is not a unit", "{word} er ikke en enhet"),
             ("the amount {number} has no unit", "beløpet {number} har ingen enhet")),
    "E009": (("unknown word {word}", "ukjent ord {word}"),),
    "E100": (("the spec has no cost pools", "spesifikasjonen har ingen kostnadspotter"),),
    "E107": (("the spec does not say which year it prices", "spesifikasjonen sier ikke hvilket år den priser"),),
    "E110": (("{what} {name} has no `file`", "{what} {name} har ingen `file`"),),
    "E111": (("{what} {name} does not say which column holds the ids",
              "{what} {name} sier ikke hvilken kolonne som har id-ene"),),
    "E112": (("key {name} does not say which column holds the weights",
              "nøkkelen {name} sier ikke hvilken kolonne som har vektene"),),
    "E140": (("a fraction cannot divide by zero", "en brøk kan ikke dele på null"),),
    "E141": (("a share must be more than 0 % and at most 100 %, not {total}",
              "en andel må være mer enn 0 % og høyst 100 %, ikke {total}"),),
    "W110": (("{what} {name} does not say where its data comes from",
              "{what} {name} sier ikke hvor dataene kommer fra"),),
    "E101": (("{what} {name} is declared twice", "{what} {name} er deklarert to ganger"),),
    "E102": (("unknown {what} {name}", "ukjent {what} {name}"),),
    "E108": (("{name} is a word of the language and cannot name a {what}",
              "{name} er et ord i språket og kan ikke være navnet på en {what}"),),
    "E130": (("pool {name} has no cost", "potten {name} har ingen kostnad"),),
    "E131": (("pool {name} is not shared by anyone", "potten {name} fordeles ikke på noen"),),
    "E133": (("this share goes to no payer group", "denne andelen går ikke til noen betalergruppe"),),
    "E103": (("{what} is not a whole number of øre", "{what} er ikke et helt antall øre"),),
    "E104": (("{what} cannot be negative", "{what} kan ikke være negativ"),),
    "E105": (("{name} is set twice", "{name} er satt to ganger"),),
    "E106": (("a rounding unit must be at least 1 øre", "en avrundingsenhet må være minst 1 øre"),),
    "E109": (("the group rounding unit must be a whole number of entity units",
              "gruppenes avrundingsenhet må være et helt antall av enhetenes"),),
    "E113": (("register {name} cannot have a weight column", "registeret {name} kan ikke ha en vektkolonne"),),
    "E114": (("`header row` counts from 1", "`header row` teller fra 1"),),
    "E115": (("unknown encoding {text}", "ukjent tegnkoding {text}"),),
    "E116": (("nhnprice has no municipality numbers for {count}", "nhnprice har ingen kommunenumre for {count}"),),
    "E118": (("the shares of {name} add up to {total}, not 100 %",
    "andelene i {name} blir til sammen {total}, ikke 100 %"),),
    "E120": (("payer group {name} does not say how its amount is distributed",
              "betalergruppen {name} sier ikke hvordan beløpet fordeles"),),
    "E121": (("{name} is a register, not a key", "{name} er et register, ikke en nøkkel"),),
    "E122": (("{name} is a key, not a register", "{name} er en nøkkel, ikke et register"),),
    "E123": (("only a flat-fee group can declare a margin", "bare en gruppe med fast avgift kan oppgi en margin"),),
    "E124": (("{name} is a key, not a register", "{name} er en nøkkel, ikke et register"),),
    "E125": (("{name} pays a flat fee and cannot be distributed by a key",
              "{name} betaler en fast avgift og kan ikke fordeles etter en nøkkel"),),
    "E126": (("this share is already limited to {name}", "denne andelen er allerede begrenset til {name}"),),
    "E127": (("a margin must be between 0 % and 100 % of what it is a margin on",
              "en margin må være mellom 0 % og 100 % av det den er margin på"),
             ("a margin must be between 0 % and 100 % of the share",
              "en margin må være mellom 0 % og 100 % av andelen"),),
    "E132": (("{name} is inside the share of {outer}", "{name} står inne i andelen til {outer}"),),
    "E150": (("parameter {name} counts things and must be a whole number",
              "parameteren {name} teller ting og må være et heltall"),),
    "E152": (("prices can be adjusted only once", "prisene kan bare justeres én gang"),),
    "E153": (("only a flat-fee group counts its members", "bare en gruppe med fast avgift teller medlemmene sine"),),
    "E160": (("only a flat-fee group can have fee categories",
              "bare en gruppe med fast avgift kan ha avgiftskategorier"),),
    "E161": (("a differentiated fee counts its members in the register, not by a parameter",
              "en differensiert avgift teller medlemmene i registeret, ikke med en parameter"),),
    "E162": (("fee categories use either weights or add-ons, not both",
              "avgiftskategorier bruker enten vekter eller tillegg, ikke begge"),),
    "E163": (("category {name} is declared twice in {outer}", "kategorien {name} er deklarert to ganger i {outer}"),),
    "E164": (("the last category must be `otherwise`", "den siste kategorien må være `otherwise`"),
             ("only the last category can be `otherwise`", "bare den siste kategorien kan være `otherwise`")),
    "E165": (("a category's weight must be more than zero", "en kategoris vekt må være større enn null"),),
    "E170": (("a computed share can only be a pool's own share", "bare pottens egen andel kan beregnes"),),
    "E171": (("{name} is an amount; a share is computed from percents, counts and data",
              "{name} er et beløp; en andel beregnes fra prosenter, antall og data"),),
    "E201": (("only one share of a split can be `rest`", "bare én andel i en fordeling kan være `rest`"),
             ("`rest` and `equally` cannot be mixed in one split",
              "`rest` og `equally` kan ikke blandes i én fordeling")),
    "E202": (("the shares of {what} add up to {total}, more than 100 %",
              "andelene i {what} blir til sammen {total}, mer enn 100 %"),),
    "E203": (("the shares of {what} add up to {total}, not 100 %",
              "andelene i {what} blir til sammen {total}, ikke 100 %"),),
    "E204": (("{share} receives nothing: the other shares already make 100 %",
              "{share} får ingenting: de andre andelene utgjør allerede 100 %"),),
    "W150": (("a carry-over of zero changes nothing", "en overføring på null endrer ingenting"),),
    "V010": (("{name} would collect {amount} kr, {actual} kr more than its share of {total} kr",
              "{name} ville kreve inn {amount} kr, {actual} kr mer enn andelen på {total} kr"),),
    "V013": (("{name}'s carry-over is larger than its share", "overføringen til {name} er større enn andelen"),),
    "V020": (("the carry-over of {name} is larger than its cost", "overføringen i {name} er større enn kostnaden"),),
    "V030": (("register {name} has no column {names} for the categories of {outer}",
              "registeret {name} har ingen kolonne {names} for kategoriene til {outer}"),),
    "W111": (("{what} {name} does not give the reference date of its data",
              "{what} {name} oppgir ikke referansedatoen for dataene"),),
    "U001": (("{origin}: the spec declares no data set {name}",
    "{origin}: spesifikasjonen deklarerer ikke noe datasett {name}"),
             ("the spec declares no data set {name}", "spesifikasjonen deklarerer ikke noe datasett {name}")),
    "U002": (("{origin}: the spec declares no parameter {name}",
    "{origin}: spesifikasjonen deklarerer ingen parameter {name}"),),
    "U008": (("{origin}: the spec declares no payer group {name}",
              "{origin}: spesifikasjonen deklarerer ingen betalergruppe {name}"),),
    "V002": (("nobody to pay this share of {name}: register {outer} is empty",
              "ingen skal betale denne andelen av {name}: registeret {outer} er tomt"),
             ("nobody to pay this share of {name}: register {outer} has no entity of key {key}",
              "ingen skal betale denne andelen av {name}: registeret {outer} har ingen enhet i nøkkelen {key}")),
    "V003": (("every weight of key {name} is zero among the entities that pay this share of {outer}",
              "alle vektene i nøkkelen {name} er null blant enhetene som betaler denne andelen av {outer}"),),
    "V011": (("{name} pays a flat fee but has no share of any pool",
              "{name} betaler en fast avgift, men har ingen andel i noen pott"),),
    "X001": (("expected {target} {amount} mill., the spec gives {actual} mill.",
              "forventet at {target} {amount} mill., spesifikasjonen gir {actual} mill."),),
})

#: hints, notes and the phrases inside messages, as (English, Norwegian)
PHRASES = (
    ("did you mean {word}?", "mente du {word}?"),
    ("add `}}` after line {line}, before {token} on line {other}",
     "legg til `}}` etter linje {line}, før {token} på linje {other}"),
    ("add `}}` after line {line}", "legg til `}}` etter linje {line}"),
    ('add the closing `"`', 'legg til avsluttende `"`'),
    ("add {symbol}", "legg til {symbol}"),
    ("add a name: a letter, then letters, digits or `_`",
     "legg til et navn: en bokstav, så bokstaver, sifre eller `_`"),
    ("remove it, or add the `{{` it closes", "fjern den, eller legg til `{{` som den lukker"),
    ("an amount is in `mill` (or `mill.`), `kr` (or `kroner`, `NOK`) or `øre`",
     "et beløp er i `mill` (eller `mill.`), `kr` (eller `kroner`, `NOK`) eller `øre`"),
    ("expected {words}", "ventet {words}"),
    ("known payer groups: {names}", "kjente betalergrupper: {names}"),
    ("known pools: {names}", "kjente potter: {names}"),
    ("known keys: {names}", "kjente nøkler: {names}"), ("known registers: {names}", "kjente registre: {names}"),
    ("known parameters: {names}", "kjente parametre: {names}"),
    ("give each a name of its own", "gi hver sitt eget navn"),
    ('declare one with `pool NAME "Title" {{ cost ... }}`', 'deklarer en med `pool NAVN "Tittel" {{ cost ... }}`'),
    ("add `year 2024` at the top", "legg til `year 2024` øverst"),
    ('add `file "data/....csv"`, a path relative to the spec',
     'legg til `file "data/....csv"`, en sti relativt til spesifikasjonen'),
    ("add `id kommunenummer` or `id organisasjonsnummer`",
     "legg til `id kommunenummer` eller `id organisasjonsnummer`"),
    ("add `weight COLUMN`", "legg til `weight KOLONNE`"),
    ('add `provenance official|proxy|synthetic "..."`', 'legg til `provenance official|proxy|synthetic "..."`'),
    ("the path is relative to the spec's folder", "stien er relativ til spesifikasjonens mappe"),
    ("the first row must name the columns", "den første raden må navngi kolonnene"),
    ("a key needs a weight for every entity it distributes to",
     "en nøkkel trenger en vekt for hver enhet den fordeler til"),
    ("every row needs a value for every column; a value with the delimiter in it must be quoted",
     "hver rad trenger en verdi for hver kolonne; en verdi med skilletegnet i må stå i anførselstegn"),
    ("first at row {line}; each entity must appear once", "først på rad {line}; hver enhet skal stå der én gang"),
    ("weights (column {name}) are numbers such as 15221, 15 221 or 0,0027",
     "vekter (kolonnen {name}) er tall som 15221, 15 221 eller 0,0027"),
    ("a distribution key cannot take money back", "en fordelingsnøkkel kan ikke ta penger tilbake"),
    ("a key with no weight cannot distribute anything", "en nøkkel uten vekt kan ikke fordele noe"),
    ("an organisation number has nine digits and a MOD11 check digit",
     "et organisasjonsnummer har ni sifre og et MOD11-kontrollsiffer"),
    ('use "utf-8" (the default) or "cp1252" (Windows-1252, Latin-1)',
     'bruk "utf-8" (standard) eller "cp1252" (Windows-1252, Latin-1)'),
    ("numbering 2020 to 2023 is mapped to 2024; later years use 2024's",
     "numbering 2020 til 2023 gjøres om til 2024; senere år bruker 2024-numrene"),
    ("the parts must take all of the old figure", "delene må til sammen ta hele det gamle tallet"),
    ("remove `by`/`among` from this share", "fjern `by`/`among` fra denne andelen"),
    ("a share is limited to one register; `among` on the outer share ({where}) holds for every share inside it",
     "en andel begrenses til ett register; `among` på den ytre andelen ({where}) gjelder for hver andel inni den"),
    ("use a percent or a count parameter", "bruk en prosent- eller antallsparameter"),
    ("remove it", "fjern den"),
    ("a share cannot be distributed by weights that are all zero",
     "en andel kan ikke fordeles etter vekter som alle er null"),
    ("give {name} a share in a pool, or remove the group", "gi {name} en andel i en pott, eller fjern gruppen"),
    ("keep one of them", "behold én av dem"),
    ("columns: {names}", "kolonner: {names}"),
    ("this is about the spec as a whole, not one line of it",
     "dette gjelder spesifikasjonen som helhet, ikke én linje i den"),
    ("write numbers with the digits 0–9", "skriv tall med sifrene 0–9"),
    ("write the number itself, not an error value (column {name})",
     "skriv selve tallet, ikke en feilverdi (kolonnen {name})"),
    ("{leg} would be lost; add members to {name} or drop the share",
     "{leg} ville gå tapt; legg til medlemmer i {name} eller fjern andelen"),
    ("{leg} for {name}", "{leg} for {name}"), ("{step} of {leg}", "{step} av {leg}"),
    ("half", "halvparten"), ("equally", "likt"), ("rest", "resten"),
    ("save the spec as UTF-8", "lagre spesifikasjonen som UTF-8"),
    ("export the data as CSV UTF-8 or as an Excel workbook (.xlsx)",
     "eksporter dataene som CSV UTF-8 eller som en Excel-arbeidsbok (.xlsx)"),
    ("declared: {names}", "deklarert: {names}"), ("groups: {names}", "grupper: {names}"),
    ('the spec declares no parameters; add e.g. `parameter prisjustering = 0 % "..."`',
     'spesifikasjonen deklarerer ingen parametre; legg til f.eks. `parameter prisjustering = 0 % "..."`'),
    ("compute the outer share, and give the shares inside it fixed values",
     "beregn den ytre andelen, og gi andelene inni den faste verdier"),
    ('add `date "2024-01-01"`: reports print it with the source',
     'legg til `date "2024-01-01"`: rapportene skriver den med kilden'),
    ("lower the fee, or declare the risk margin the regulation allows (`margin 1 %`)",
     "senk avgiften, eller oppgi risikomarginen forskriften tillater (`margin 1 %`)"),
    ("{amount} kr × 12 months × {count} members of {name}",
     "{amount} kr × 12 måneder × {count} medlemmer i {name}"),
    ("its share: {amount} kr of {name}", "andelen: {amount} kr av {name}"),
    ("its share would be {amount} kr; carry the rest into a later year",
     "andelen ville bli {amount} kr; overfør resten til et senere år"),
    ("{amount} kr cost and {actual} kr carried over leave a negative amount; carry the rest into a later year",
     "{amount} kr i kostnad og {actual} kr overført gir et negativt beløp; overfør resten til et senere år"),
    ("weight", "vekt"), ("id", "id"), ("name", "navn"),
    ("amounts are exact to the øre; drop the extra decimals",
     "beløp er nøyaktige til øret; fjern de ekstra desimalene"),
    ("first set at {where}", "først satt i {where}"),
    ("first adjusted at {where}", "først justert i {where}"),
    ("otherwise a group's amount cannot be paid out in whole entity units; e.g. groups to 0.1 mill, entities to 1 øre",
     "ellers kan ikke en gruppes beløp betales ut i hele enhetsbeløp; f.eks. groups to 0.1 mill, entities to 1 øre"),
    ("declare it as a `key` to distribute by it", "deklarer det som en `key` for å fordele etter det"),
    ('use exactly one of `by KEY`, `fee AMOUNT per member per month from REGISTER` or `entity "ID"`',
     'bruk nøyaktig én av `by KEY`, `fee AMOUNT per member per month from REGISTER` eller `entity "ID"`'),
    ("a group is distributed `by` a key with weights", "en gruppe fordeles `by` en nøkkel med vekter"),
    ("members who pay a flat fee are counted in a `register`",
     "medlemmer som betaler en fast avgift, telles i et `register`"),
    ("shares distributed by a key always collect exactly their amount",
     "andeler som fordeles etter en nøkkel, krever alltid inn nøyaktig beløpet sitt"),
    ("`among` takes a register: the entities the share is limited to",
     "`among` tar et register: enhetene andelen er begrenset til"),
    ("a share belongs to one payer group; name the group on the outer share or on the inner ones, not both",
     "en andel tilhører én betalergruppe; navngi gruppen på den ytre andelen eller på de indre, ikke begge"),
    ("write a percent (`4 %`) or an amount (`2 mill`) for other values",
     "skriv en prosent (`4 %`) eller et beløp (`2 mill`) for andre verdier"),
    ("`members PARAMETER` belongs with `fee ... from REGISTER`",
     "`members PARAMETER` hører sammen med `fee ... from REGISTER`"),
    ("categories differentiate `fee ... per member per month from REGISTER`",
     "kategorier differensierer `fee ... per member per month from REGISTER`"),
    ("remove `members`: each member's category is read from its row",
     "fjern `members`: hvert medlems kategori leses fra raden"),
    ("give every category a `weight N` or every one an `add-on AMOUNT` over the base fee",
     "gi hver kategori en `weight N`, eller hver av dem et `add-on AMOUNT` over grunnavgiften"),
    ("every member must fall in some category", "hvert medlem må falle i en kategori"),
    ("give the other shares explicit values", "gi de andre andelene oppgitte verdier"),
    ("use `equally` for every share that splits the remainder", "bruk `equally` for hver andel som deler resten"),
    ("the cost", "kostnaden"), ("the fee", "avgiften"), ("the carry-over", "overføringen"), ("the margin", "marginen"),
    ("first declared at {where}", "først deklarert i {where}"),
    ("choose another name, e.g. {name}", "velg et annet navn, f.eks. {name}"),
    ("add `cost 27.1 mill`", "legg til `cost 27.1 mill`"),
    ("add shares such as `rhf 50 %` and `kommuner 50 %`", "legg til andeler som `rhf 50 %` og `kommuner 50 %`"),
    ("start the line with a group, e.g. `kommuner 45 %`", "begynn linjen med en gruppe, f.eks. `kommuner 45 %`"),
    ("the shares of a split must add up to exactly 100 %",
     "andelene i en fordeling må bli nøyaktig 100 % til sammen"),
    ("{share} goes nowhere: give it to a group, or end the split with `rest`",
     "{share} går ingen steder: gi det til en gruppe, eller avslutt fordelingen med `rest`"),
    ("remove it, or lower the explicit shares", "fjern den, eller senk de oppgitte andelene"),
    ("shares: {shares}", "andeler: {shares}"),
    ("the difference is {amount} mill.; correct the expectation or the rule it checks",
     "differansen er {amount} mill.; rett forventningen eller regelen den kontrollerer"),
    # inside messages and hints
    ("pool {name}", "potten {name}"), ("section {name}", "avsnittet {name}"), ("key {name}", "nøkkelen {name}"),
    ("register {name}", "registeret {name}"), ("the block of shares of {name}", "blokken med andeler for {name}"),
    ("the block of categories", "blokken med kategorier"), ("the block", "blokken"), ("this share", "denne andelen"),
    ("{group} pays", "{group} betaler"), ("all pay", "alle betaler"), ("{what} in {pools}", "{what} i {pools}"),
    ("the end of the file", "slutten av filen"), ("a name", "et navn"), ("a number", "et tall"),
    ('a quoted text ("...")', 'en tekst i anførselstegn ("...")'), ("a whole number", "et heltall"),
    ("a fraction like 1/3", "en brøk som 1/3"),
    ("payer group", "betalergruppe"), ("group", "gruppe"), ("pool", "pott"), ("key", "nøkkel"),
    ("register", "register"), ("parameter", "parameter"), ("data set", "datasett"),
)

_QUOTED, _NUMBER = r"`[^`]*`", r"-?[\d\u00a0\u202f ]+(?:,\d+)?(?: %)?"
#: the shape of a variable part, by its name (any other part is any text, itself translated)
_SHAPES = MappingProxyType({"name": _QUOTED, "outer": _QUOTED, "key": _QUOTED, "word": _QUOTED, "char": _QUOTED,
                            "symbol": _QUOTED,
                            "number": _QUOTED, "amount": _NUMBER, "actual": _NUMBER, "total": _NUMBER,
                            "line": r"\d+", "other": r"\d+", "count": r"[\d\u00a0\u202f ]+", "role": r"weight|id|name",
                            "value": _QUOTED})
#: variable parts shown as they are: names, numbers, places, lists of names
_VERBATIM = frozenset({*_SHAPES.keys() - {"role"}, "origin", "names",
"where", "shares", "pools", "group", "share", "path", "count", "value",
                       "text"})


def _regex(english: str) -> str:
    """`unknown {what} {name}` -> a pattern matching that message whole, one group a part. Nothing
    is compiled when the module loads (every command imports it): `re` keeps what it compiles."""
    parts = re.split(r"(\{\w+\}|\{\{|\}\})", english)
    return "".join(f"(?P<{p[1:-1]}>{_SHAPES.get(p[1:-1], '.+?')})" if re.fullmatch(r"\{\w+\}", p)
                   else re.escape(p[0]) if p in ("{{", "}}") else re.escape(p) for p in parts if p)

#: the codes the catalogue translates (tests/test_messages.py triggers each and reads it in Norwegian)
TRANSLATED = frozenset(MESSAGES)


#: the words around a diagnostic in bokmål, for the human rendering
LABELS_NB = MappingProxyType({"error": "feil", "warning": "advarsel", "note": "merknad", "hint": "tips"})


def localise_all(diagnostics: Iterable[Diagnostic], lang: str):
    """The diagnostics in `lang`, and for `render_human` a function that gives the words around
    each in that diagnostic's own language (None: English for all)."""
    diagnostics = list(diagnostics)
    if lang != "nb":
        return diagnostics, None
    out = [localise(d, lang) for d in diagnostics]
    norwegian = {new for old, new in zip(diagnostics, out) if new is not old}
    return out, lambda d: LABELS_NB if d in norwegian else None


def summary(errors: int, warnings: int, lang: str) -> str:
    """`2 errors, 1 warning`, or in bokmål `2 feil, 1 advarsel`."""
    if lang == "nb":
        return f"{errors} feil, {warnings} {'advarsel' if warnings == 1 else 'advarsler'}"
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def language(explicit: str | None = None, locale: str | None = None) -> str:
    """`nb` or `en`: as asked (`--lang`), else from a locale such as an editor's `nb-NO`, else as
    every command decides without `--lang` (labels.default_language: `NHNPRICE_LANG`, then the
    environment's locale)."""
    if explicit in LANGUAGES:
        return explicit
    if locale:
        return "nb" if locale.lower()[:2] in ("nb", "no", "nn") else "en"
    return default_language()


def localise(diagnostic: Diagnostic, lang: str) -> Diagnostic:
    """The diagnostic in `lang` (`nb` or `en`): whole, or in English when the catalogue lacks a part."""
    if lang != "nb" or diagnostic.code not in MESSAGES:
        return diagnostic
    message = _translate(diagnostic.message, MESSAGES[diagnostic.code])
    hint = _translate(diagnostic.hint, PHRASES) if diagnostic.hint else None
    notes = tuple(_translate(note, PHRASES) for note in diagnostic.notes)
    if message is None or (diagnostic.hint and hint is None) or None in notes:
        return diagnostic  # one language at a time: never half Norwegian
    return attrs.evolve(diagnostic, message=message, hint=hint, notes=notes)


def _translate(text: str, pairs) -> str | None:
    """`text` in Norwegian by the first (English, Norwegian) pair whose English matches all of it;
    None when none does."""
    for english, norwegian in pairs:
        match = re.fullmatch(_regex(english), text, re.S)
        if match is None:
            continue
        parts = {name: value if name in _VERBATIM or _quoted(value) else _part(value)
                 for name, value in match.groupdict().items()}
        if None not in parts.values():
            return norwegian.format(**parts)
    return None


def _quoted(value: str) -> bool:
    return (value.startswith("`") and value.endswith("`") and value.count("`") == 2) or \
        (value.startswith('"') and value.endswith('"'))


def _part(value: str) -> str | None:
    """A phrase inside a message (`pool `vkp``, `a name, a number`) in Norwegian; None when not known."""
    if re.fullmatch(r"[-\d\s\u00a0\u202f,./%]+", value):  # a number, a percent, a fraction
        return value
    whole = _translate(value, PHRASES)
    if whole is not None or ", " not in value:
        return whole
    items = [item if _quoted(item) or item == "..." else _translate(item, PHRASES)
             for item in value.split(", ")]
    return None if None in items else ", ".join(items)
