"""The words of every report, in Norwegian (`nb`, the default) and English (`en`).

Renderers look labels up here and nowhere else, so that a report reads the
same in the terminal, in Markdown, in Excel and in HTML.
"""

from __future__ import annotations

from types import MappingProxyType

LANGUAGES = ("nb", "en")

LABELS: dict[str, dict[str, str]] = MappingProxyType({
    "nb": MappingProxyType({
        "unit": "Beløp i mill. kroner", "pool": "Løsning", "cost": "Kostnad", "sum": "Sum",
        "total": "Sum alle", "outside": "utenfor forskriften", "fees": "Faste beløp",
        "fee_line": "{title}: {fee} kr per medlem per måned × 12 × {members} medlemmer = {collected} kr; "
                    "andel {share} kr; avvik {deviation} kr",
        "fee_line_categories": "{title}: {unit_word} {fee} kr per måned, "
                               "{members} medlemmer = {collected} kr; andel {share} kr; avvik {deviation} kr",
        "unit_price": "enhetspris (vekt 1)", "base_fee": "grunnbeløp",
        "data": "Data", "rows": "rader", "checks": "Forventninger i spesifikasjonen",
        "ok": "stemmer", "failed": "STEMMER IKKE",
        "notice": "Merk: rapporten bygger på data som ikke er offisielle:",
        "residual": "ufordelt avrunding", "regulated": "innenfor forskriften",
        "before": "Kostnad før prisjustering",
        "adjusted": "Prisjustering (§ 17) {pct}: hvert beløp er ganget med {factor} og avrundet til nærmeste "
                    "enhet, halvparten opp; beløpene vises som oppgitt → prisjustert",
        "adj_total": "Prisjustert: betalingene er {payments} kr og kostnadene {costs} kr, {difference} kr {where} "
                     "kostnadene (margin {margin} kr)",
        "adj_over": "over", "adj_under": "under", "over_cost": "avrundet over kostnaden med",
        "solved_from_adjusted": "løst på nytt fra prisjustert andel",
        "within": "Fordeling innenfor betalerne", "within_by": "fordelt videre etter",
        "within_parent": "Betaler",
        "adj_sheet": "Prisjustering (§ 17)", "adj_stated": "Oppgitt (kr)", "adj_factor": "Faktor",
        "adj_adjusted": "Prisjustert (kr)", "adj_per_month": "per medlem per måned",
        "carry": "overføring", "params": "Parametre", "set": "satt for denne kjøringen", "solved": "løst",
        "members_param": "medlemmer talt av parameteren {param}; registeret har {count}",
        # entity views
        "entity": "Virksomhet", "entity_id": "Id", "name": "Navn", "group": "Betalergruppe",
        "amount_kr": "Beløp (kr)", "entity_unit": "Beløp i kroner", "entity_total": "Sum for virksomheten",
        "search": "Søk etter nummer eller navn",
        "more_rows": "{n} virksomheter til er ikke vist her; --format csv har alle.", "entities": "Virksomheter", "flows": "Pengestrømmer",
        "flows_caption": "Fra løsning (venstre) til betalergruppe (høyre), mill. kroner",
        # workbook
        "x_page": "Side &P av &N", "title": "Tittel", "year": "År", "source": "Kilde",
        "kind_key": "nøkkel", "kind_register": "register",
        "fee_sheet_note": "Medlemmene betaler et fast beløp: {fee} kr per måned × 12 × {members} medlemmer = "
                          "{collected} kr, og det er summen over. Gruppens andel av kostnadene ({summary}) er "
                          "{share} kr. Avviket, {deviation} kr, er andelen minus det det faste beløpet krever inn "
                          "(positivt: beløpet krever inn mindre enn andelen).",
        "status_official": "offisiell", "status_proxy": "stedfortreder", "status_synthetic": "syntetisk",
        "status_none": "umerket",
        "mill_short": "mill. kr",
        # sweep, invoices, check
        "s_title": "Gjennomløp av {name}", "s_fee": "{group}: beløp kr/mnd", "s_solved": "(løst)",
        "s_members": "medlemmer", "s_collected": "innkrevd kr", "s_deviation": "avvik kr", "s_mill": "{group} mill.",
        "s_error": "feil: se over",
        "i_adjusted": "{group}: {stated} kr × {factor} = {fee} kr per medlem per måned (prisjustert etter § 17)",
        "i_title": "{title}: fakturert kvartalsvis på forskudd", "i_group": "gruppe", "i_entity": "id",
        "i_name": "navn", "i_year": "år kr", "i_quarter": "{n}. kv. {due}",
        "i_empty_groups": "Ingen av gruppene {groups} har medlemmer som betaler noe i denne spesifikasjonen.",
        "i_empty": "Ingen virksomhet betaler noe i denne spesifikasjonen.",
        "c_ok": "{spec}: ok: {pools} løsninger, {groups} betalergrupper, {allocations} fordelte beløp, "
                "{checks} forventninger stemmer",
        "site_back": "← Oversikten", "site_pages": "{n} sider.",
        "site_intro": "Velg en betaler for å se hva den betaler, løsning for løsning, og hvorfor, med "
                      "henvisning til forskriften.",
        "site_example": "Et eksempel: hva {who} betaler",
        "dc_ok": "{file}: ok: {kind} med {n} {what}, id-kolonne `{id}`", "dc_weight": ", vektkolonne `{column}` (sum {sum})",
        "dc_key": "nøkkel", "dc_register": "register", "dc_municipalities": "kommuner i {year}",
        "dc_municipality": "kommune i {year}", "dc_organisations": "organisasjoner", "dc_organisation": "organisasjon",
        "dc_entities": "virksomheter", "dc_entity": "virksomhet",
        "kw_half": "halvparten", "kw_equally": "en lik del", "kw_rest": "resten",
        "print_entities": "Tabellen over virksomheter skrives bare ut etter et søk i den; alle står i "
                          "regnearket (--format xlsx).",
        # fee sheet
        "fee_per_month": "Beløp per måned (kr)", "months": "Måneder", "members": "Medlemmer",
        "collected": "Innkrevd (kr)", "share": "Andel (kr)", "deviation": "Avvik (kr)", "margin": "Margin (kr)",
        # provenance sheet
        "dataset": "Datasett", "kind": "Type", "path": "Fil", "column": "Vektkolonne", "status": "Status",
        "provenance": "Opphav", "date": "Dato", "summary": "Oversikt", "spec": "Spesifikasjon",
        "generated": "Laget av nhnprice fra",
        # explain
        "x_intro": "{who} betaler {total} kr for {year} etter «{title}» ({spec}).",
        "x_lines": "Beløpet er summen av {n} linjer, én per løsning og per del av en fordeling:",
        "x_line": "Beløpet er én linje:",
        "x_how": "Slik er hver linje regnet ut:",
        "x_cost": "Kostnaden er {cost} kr.",
        "x_group": "{group} betaler {share} av kostnaden: eksakt {exact} kr.",
        "x_mill": "{mill} mill. kroner", "x_kr": "{kr} kr",
        "x_group_rounded": "Forskriften oppgir gruppens beløp i hele {unit}, så gruppen betaler {amount} kr "
                           "(avrunding {diff} kr).",
        "x_group_whole": "Gruppen betaler {amount} kr.",
        "x_step": "Av dette går {text} ({share}){label} til denne delen, linje {line} i spesifikasjonen.",
        "x_leg": "Denne delen er {amount} kr (eksakt {exact} kr før avrunding til hele øre).",
        "x_key": "Den fordeles etter nøkkelen `{key}` på {n} virksomheter{among}: {who} har vekt {weight} "
                 "av {total} i alt.",
        "x_among": " som står i registeret `{among}`",
        "x_quota": "Eksakt andel: {leg} kr × {weight} / {total} = {quota} øre (≈ {approx} kr).",
        "x_paid": "Fordelt med største brøkrest til hele øre: {amount} kr (justering {adj} øre).",
        "x_fee": "{group} betaler et fast beløp på {fee} kr per måned, {year_fee} kr i året per medlem "
                 "({members} medlemmer).",
        "x_fee_split": "Årsbeløpet fordeles på løsningene etter gruppens beløp: {pool_amount} av {share} kr "
                       "går til denne løsningen, eksakt {quota} øre (≈ {approx} kr).",
        "x_entity": "{who} er gruppens eneste betaler og betaler hele gruppens beløp: {amount} kr.",
        "x_data": "Data beregningen bygger på:",
        "x_unofficial": "ikke offisielle data",
        "x_ref": "Hjemmel",
        "x_adjusted": "Kostnaden før prisjustering er {before} kr; prisjustert etter § 17 med {pct} (× {factor}, "
                      "avrundet ned til hele øre) er den {cost} kr. Det er betalingene som prisjusteres:",
        "x_group_adjusted": "Prisjustert etter § 17 med {pct}: {stated} kr × {factor} = {exact} kr, avrundet til "
                            "nærmeste hele {unit} (halvparten opp): gruppen betaler {amount} kr.",
        "x_fee_adjusted": "Det faste beløpet er prisjustert etter § 17: {stated} kr × {factor}, avrundet til "
                          "nærmeste enhet: {fee} kr.",
        "x_pool_carry": "Overført fra tidligere år: {amount} kr ({ref}); det som fordeles er {total} kr.",
        "x_carry": "{group} har en overføring på {amount} kr ({ref}), som fordeles for seg.",
        "x_carry_key": "Den fordeles etter nøkkelen `{key}` på {n} virksomheter: {who} har vekt {weight} av {total}; "
                       "eksakt {quota} øre (≈ {approx} kr).",
        "x_carry_label": "Overføring",
        "x_within_parent": "{who} fordeler beløpet videre på sine underenheter etter nøkkelen `{key}` "
                           "(`explain` med en underenhets nummer viser dens del).",
        "x_within": "{parent} betaler {amount} kr her og fordeler det selv på sine {n} "
                    "underenheter etter nøkkelen `{key}`: {who} har vekt {weight} av {total}.",
        # diff
        "d_title": "Endringer fra {old} til {new}", "d_none": "Ingen endring: de to gir de samme beløpene.",
        "d_groups": "Per betalergruppe", "d_pools": "Kostnad per løsning", "d_cells": "Per løsning og betalergruppe",
        "d_entities": "Per virksomhet", "d_totals": "Sum", "d_old": "Før (kr)", "d_new": "Etter (kr)",
        "d_change": "Endring (kr)", "d_percent": "Endring (%)", "d_what": "Hva", "d_new_row": "ny",
        "d_unchanged": "{n} rader uten endring er utelatt.",
        "d_fees": "Fast beløp per medlem per måned", "d_members": "Medlemmer som betaler fast beløp",
        "d_old_count": "Før", "d_new_count": "Etter", "d_change_count": "Endring",
        "d_carry_overs": "Overføringer", "d_residuals": "Ufordelt avrunding per løsning",
        "d_regulated": "innenfor forskriften", "d_outside_regulation": "utenfor forskriften", "d_cost": "kostnad",
    }),
    "en": MappingProxyType({
        "unit": "Amounts in million NOK", "pool": "Solution", "cost": "Cost", "sum": "Sum",
        "total": "Total", "outside": "outside the regulation", "fees": "Flat fees",
        "fee_line": "{title}: NOK {fee} per member per month × 12 × {members} members = NOK {collected}; "
                    "share NOK {share}; deviation NOK {deviation}",
        "fee_line_categories": "{title}: {unit_word} NOK {fee} per month, "
                               "{members} members = NOK {collected}; share NOK {share}; deviation NOK {deviation}",
        "unit_price": "unit price (weight 1)", "base_fee": "base fee",
        "data": "Data", "rows": "rows", "checks": "Expectations in the spec",
        "ok": "holds", "failed": "FAILS",
        "notice": "Note: this report rests on data that is not official:",
        "residual": "unallocated rounding", "regulated": "inside the regulation",
        "before": "Cost before price adjustment",
        "adjusted": "Price adjustment (§ 17) {pct}: every amount multiplied by {factor} and rounded to the "
                    "nearest unit, halves up; amounts shown as stated → adjusted",
        "adj_total": "Adjusted: the payments are NOK {payments} and the costs NOK {costs}, NOK {difference} "
                     "{where} the costs (margin NOK {margin})",
        "adj_over": "above", "adj_under": "below", "over_cost": "rounded above its cost by",
        "solved_from_adjusted": "solved again from the adjusted share",
        "within": "Distribution within the payers", "within_by": "distributed further by",
        "within_parent": "Payer",
        "adj_sheet": "Price adjustment (§ 17)", "adj_stated": "Stated (NOK)", "adj_factor": "Factor",
        "adj_adjusted": "Adjusted (NOK)", "adj_per_month": "per member per month",
        "carry": "carry-over", "params": "Parameters", "set": "set for this run", "solved": "solved",
        "members_param": "members counted by parameter {param}; the register lists {count}",
        "entity": "Entity", "entity_id": "Id", "name": "Name", "group": "Payer group",
        "amount_kr": "Amount (NOK)", "entity_unit": "Amounts in NOK", "entity_total": "Total for the entity",
        "search": "Search by number or name",
        "more_rows": "{n} more entities are not shown here; --format csv has them all.", "entities": "Entities", "flows": "Money flows",
        "flows_caption": "From solution (left) to payer group (right), million NOK",
        "x_page": "Page &P of &N", "title": "Title", "year": "Year", "source": "Source",
        "kind_key": "key", "kind_register": "register",
        "fee_sheet_note": "Members pay a flat fee: NOK {fee} per month × 12 × {members} members = NOK {collected}, "
                          "which is the sum above. The group's share of the costs ({summary}) is NOK {share}. The "
                          "deviation, NOK {deviation}, is the share less what the flat fee collects "
                          "(positive: the fee collects less than the share).",
        "status_official": "official", "status_proxy": "proxy", "status_synthetic": "synthetic",
        "status_none": "unlabelled",
        "mill_short": "NOK million",
        "s_title": "Sweep over {name}", "s_fee": "{group}: fee NOK/month", "s_solved": "(solved)",
        "s_members": "members", "s_collected": "collected NOK", "s_deviation": "deviation NOK",
        "s_mill": "{group} million", "s_error": "error: see above",
        "i_adjusted": "{group}: NOK {stated} × {factor} = NOK {fee} per member per month (adjusted under § 17)",
        "i_title": "{title}: invoiced quarterly in advance", "i_group": "group", "i_entity": "entity",
        "i_name": "name", "i_year": "year NOK", "i_quarter": "Q{n} {due}",
        "i_empty_groups": "None of the groups {groups} has members who pay anything under this spec.",
        "i_empty": "No entity pays anything under this spec.",
        "c_ok": "{spec}: ok: {pools} pools, {groups} payer groups, {allocations} allocations, "
                "{checks} expectations hold",
        "site_back": "← Summary", "site_pages": "{n} pages.",
        "site_intro": "Choose a payer to see what it pays, solution by solution, and why, with references "
                      "to the regulation.",
        "site_example": "An example: what {who} pays",
        "dc_ok": "{file}: ok: {kind} of {n} {what}, id column `{id}`", "dc_weight": ", weight column `{column}` (sum {sum})",
        "dc_key": "key", "dc_register": "register", "dc_municipalities": "municipalities of {year}",
        "dc_municipality": "municipality of {year}", "dc_organisations": "organisations", "dc_organisation": "organisation",
        "dc_entities": "entities", "dc_entity": "entity",
        "kw_half": "half", "kw_equally": "an equal part", "kw_rest": "the rest",
        "print_entities": "The table of entities is printed only after a search in it; the workbook "
                          "(--format xlsx) has them all.",
        "fee_per_month": "Per month (NOK)", "months": "Months", "members": "Members",
        "collected": "Collected (NOK)", "share": "Share (NOK)", "deviation": "Deviation (NOK)",
        "margin": "Margin (NOK)",
        "dataset": "Data set", "kind": "Kind", "path": "File", "column": "Weight column", "status": "Status",
        "provenance": "Provenance", "date": "Date", "summary": "Summary", "spec": "Spec",
        "generated": "Made by nhnprice from",
        "x_intro": "{who} pays NOK {total} for {year} under “{title}” ({spec}).",
        "x_lines": "The amount is the sum of {n} lines, one per solution and per part of a distribution:",
        "x_line": "The amount is one line:",
        "x_how": "How each line is computed:",
        "x_cost": "The cost is NOK {cost}.",
        "x_group": "{group} pays {share} of the cost: exactly NOK {exact}.",
        "x_mill": "NOK {mill} million", "x_kr": "NOK {kr}",
        "x_group_rounded": "The regulation states group amounts in whole units of {unit}, so the group pays "
                           "NOK {amount} (rounding NOK {diff}).",
        "x_group_whole": "The group pays NOK {amount}.",
        "x_step": "Of this, {text} ({share}){label} goes to this part, line {line} of the spec.",
        "x_leg": "This part is NOK {amount} (exactly NOK {exact} before rounding to whole øre).",
        "x_key": "It is distributed by the key `{key}` over {n} entities{among}: {who} has weight {weight} "
                 "of {total} in all.",
        "x_among": " listed in the register `{among}`",
        "x_quota": "Exact quota: NOK {leg} × {weight} / {total} = {quota} øre (≈ NOK {approx}).",
        "x_paid": "Apportioned to whole øre by largest remainder: NOK {amount} (adjustment {adj} øre).",
        "x_fee": "{group} pay a flat fee of NOK {fee} per month, NOK {year_fee} a year per member "
                 "({members} members).",
        "x_fee_split": "The year's fee is spread over the solutions by the group's amounts: {pool_amount} of "
                       "NOK {share} is this solution's, exactly {quota} øre (≈ NOK {approx}).",
        "x_entity": "{who} is the group's only payer and pays all of the group's amount: NOK {amount}.",
        "x_data": "Data the computation rests on:",
        "x_unofficial": "not official data",
        "x_ref": "Legal basis",
        "x_adjusted": "The cost before the price adjustment is NOK {before}; adjusted under § 17 by {pct} "
                      "(× {factor}, rounded down to whole øre) it is NOK {cost}. It is the payments that are adjusted:",
        "x_group_adjusted": "Adjusted under § 17 by {pct}: NOK {stated} × {factor} = NOK {exact}, rounded to the "
                            "nearest whole {unit} (halves up): the group pays NOK {amount}.",
        "x_fee_adjusted": "The flat fee is adjusted under § 17: NOK {stated} × {factor}, rounded to the nearest "
                          "unit: NOK {fee}.",
        "x_pool_carry": "Carried over from earlier years: NOK {amount} ({ref}); what is shared is NOK {total}.",
        "x_carry": "{group} has a carry-over of NOK {amount} ({ref}), distributed on its own.",
        "x_carry_key": "It is distributed by the key `{key}` over {n} entities: {who} has weight {weight} of "
                       "{total}; exactly {quota} øre (≈ NOK {approx}).",
        "x_carry_label": "Carry-over",
        "x_within_parent": "{who} distributes the amount further over its sub-entities by the key `{key}` "
                           "(`explain` with a sub-entity's number shows its part).",
        "x_within": "{parent} pays NOK {amount} here and distributes it itself over "
                    "its {n} sub-entities by the key `{key}`: {who} has weight {weight} of {total}.",
        "d_title": "Changes from {old} to {new}", "d_none": "No change: both give the same amounts.",
        "d_groups": "Per payer group", "d_pools": "Cost per solution", "d_cells": "Per solution and payer group",
        "d_entities": "Per entity", "d_totals": "Totals", "d_old": "Old (NOK)", "d_new": "New (NOK)",
        "d_change": "Change (NOK)", "d_percent": "Change (%)", "d_what": "What", "d_new_row": "new",
        "d_unchanged": "{n} unchanged rows left out.",
        "d_fees": "Flat fee per member per month", "d_members": "Members paying a flat fee",
        "d_old_count": "Old", "d_new_count": "New", "d_change_count": "Change",
        "d_carry_overs": "Carry-overs", "d_residuals": "Unallocated rounding per solution",
        "d_regulated": "inside the regulation", "d_outside_regulation": "outside the regulation", "d_cost": "cost",
    }),
})


def default_language(environ=None) -> str:
    """The language when none is asked for: `NHNPRICE_LANG` when it names one; else English where
    the locale says English (`LC_ALL`, `LC_MESSAGES` or `LANG`, the first that is set, starting with
    `en`), Norwegian otherwise, as the regulation and most of the reports' readers are."""
    import os

    environ = os.environ if environ is None else environ
    if environ.get("NHNPRICE_LANG") in LANGUAGES:
        return environ["NHNPRICE_LANG"]
    locale = next((environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(k)), "")
    return "en" if locale.lower().startswith("en") else "nb"


def labels(lang: str) -> dict[str, str]:
    """The labels of one language; unknown languages are a programming error."""
    return LABELS[lang]
