"""The words of every report, in Norwegian (`nb`, the default) and English (`en`).

Renderers look labels up here and nowhere else, so that a report reads the
same in the terminal, in Markdown, in Excel and in HTML.
"""

from __future__ import annotations

LANGUAGES = ("nb", "en")

LABELS: dict[str, dict[str, str]] = {
    "nb": {
        "unit": "Beløp i mill. kroner", "pool": "Løsning", "cost": "Kostnad", "sum": "Sum",
        "total": "Sum alle", "outside": "utenfor forskriften", "fees": "Faste beløp",
        "fee_line": "{title}: {fee} kr per medlem per måned × 12 × {members} medlemmer = {collected} kr; "
                    "andel {share} kr; avvik {deviation} kr",
        "data": "Data", "rows": "rader", "checks": "Forventninger i spesifikasjonen",
        "ok": "stemmer", "failed": "STEMMER IKKE",
        "notice": "Merk: rapporten bygger på data som ikke er offisielle:",
        "residual": "ufordelt avrunding", "regulated": "innenfor forskriften",
        # entity views
        "entity": "Virksomhet", "entity_id": "Id", "name": "Navn", "group": "Betalergruppe",
        "amount_kr": "Beløp (kr)", "entity_unit": "Beløp i kroner", "entity_total": "Sum for virksomheten",
        "search": "Søk etter nummer eller navn", "entities": "Virksomheter", "flows": "Pengestrømmer",
        "flows_caption": "Fra løsning (venstre) til betalergruppe (høyre), mill. kroner",
        # fee sheet
        "fee_per_month": "Beløp per måned (kr)", "months": "Måneder", "members": "Medlemmer",
        "collected": "Innkrevd (kr)", "share": "Andel (kr)", "deviation": "Avvik (kr)", "margin": "Margin (kr)",
        # provenance sheet
        "dataset": "Datasett", "kind": "Type", "path": "Fil", "column": "Vektkolonne", "status": "Status",
        "provenance": "Opphav", "date": "Dato", "summary": "Oversikt", "spec": "Spesifikasjon",
        "generated": "Laget av nhnprice fra",
    },
    "en": {
        "unit": "Amounts in million NOK", "pool": "Solution", "cost": "Cost", "sum": "Sum",
        "total": "Total", "outside": "outside the regulation", "fees": "Flat fees",
        "fee_line": "{title}: NOK {fee} per member per month × 12 × {members} members = NOK {collected}; "
                    "share NOK {share}; deviation NOK {deviation}",
        "data": "Data", "rows": "rows", "checks": "Expectations in the spec",
        "ok": "holds", "failed": "FAILS",
        "notice": "Note: this report rests on data that is not official:",
        "residual": "unallocated rounding", "regulated": "inside the regulation",
        "entity": "Entity", "entity_id": "Id", "name": "Name", "group": "Payer group",
        "amount_kr": "Amount (NOK)", "entity_unit": "Amounts in NOK", "entity_total": "Total for the entity",
        "search": "Search by number or name", "entities": "Entities", "flows": "Money flows",
        "flows_caption": "From solution (left) to payer group (right), million NOK",
        "fee_per_month": "Per month (NOK)", "months": "Months", "members": "Members",
        "collected": "Collected (NOK)", "share": "Share (NOK)", "deviation": "Deviation (NOK)",
        "margin": "Margin (NOK)",
        "dataset": "Data set", "kind": "Kind", "path": "File", "column": "Weight column", "status": "Status",
        "provenance": "Provenance", "date": "Date", "summary": "Summary", "spec": "Spec",
        "generated": "Made by nhnprice from",
    },
}


def labels(lang: str) -> dict[str, str]:
    """The labels of one language; unknown languages are a programming error."""
    return LABELS[lang]
