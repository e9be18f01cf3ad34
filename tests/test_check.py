"""Every diagnostic code, triggered: one row per code, each an edit of a real spec (or of its
data, or of the command line) that a policy writer could make, and the code it must give.

The table covers the codes no other test triggers; `test_docs_and_package_agree` keeps the
list in docs/language.md and the codes the package emits the same."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

SPEC = "specs/2024.nhp"
DIFFERENTIATED = "specs/examples/2025-differensiert-ovrige.nhp"
KOMMUNEHELSE = (ROOT / "specs" / "data" / "2024" / "kommunehelse.csv").read_text(encoding="utf-8")
HELSENETTET_SHARES = "    rhf 1/3\n    kommuner 1/3\n    ovrige 1/3\n"


def _zero_for(ids: set[str]) -> bytes:
    """The 2024 municipal key with weight 0 for `ids`."""
    header, *rows = KOMMUNEHELSE.splitlines()
    out = [header] + [",".join(r.split(",")[:2] + ["0"]) if r.split(",")[0] in ids else r for r in rows]
    return ("\n".join(out) + "\n").encode()


VKP_IDS = {line.split(",")[0] for line in
           (ROOT / "specs" / "data" / "2024" / "vkp_i_bruk.csv").read_text(encoding="utf-8").splitlines()[1:]}

#: code -> (spec, [(text, replacement), ...], data given as bytes)
CASES = {
    "E002": (SPEC, [("    rhf 5 %\n", "    rhf (1/0 * 5 %)\n")], {}),
    "E101": (SPEC, [('group slv "Statens', 'group rhf "Igjen" by rhf_basis\ngroup slv "Statens')], {}),
    "E103": (SPEC, [("cost 27.1 mill", "cost 27.100000001 mill")], {}),
    "E104": (SPEC, [("cost 27.1 mill", "cost -27.1 mill")], {}),
    "E105": (SPEC, [("year 2024\n", "year 2024\nyear 2024\n")], {}),
    "E106": (SPEC, [("rounding entities to 1 øre", "rounding entities to 0 øre")], {}),
    "E107": (SPEC, [("year 2024\n", "")], {}),
    "E108": (SPEC, [("group slv ", "group among ")], {}),
    "E109": (SPEC, [("rounding entities to 1 øre", "rounding entities to 3 øre")], {}),
    "E110": (SPEC, [('  file "data/2024/rhf_basis.csv"\n', "")], {}),
    "E111": (SPEC, [("  id organisasjonsnummer\n  name rhf\n", "  name rhf\n")], {}),
    "E112": (SPEC, [("  name rhf\n  weight innbyggere_2024_01_01\n", "  name rhf\n")], {}),
    "E113": (SPEC, [('  id organisasjonsnummer\n  name navn\n  entities organisations\n  provenance synthetic "syntetisk medlemsregister',
                     '  id organisasjonsnummer\n  name navn\n  weight arsverk\n  entities organisations\n'
                     '  provenance synthetic "syntetisk medlemsregister')], {}),
    "E114": (SPEC, [('  file "data/2024/rhf_basis.csv"\n', '  file "data/2024/rhf_basis.csv"\n  header row 0\n')], {}),
    "E115": (SPEC, [('  file "data/2024/rhf_basis.csv"\n', '  file "data/2024/rhf_basis.csv"\n  encoding "ebcdic"\n')], {}),
    "E116": (SPEC, [('  file "data/2024/kommunehelse.csv"\n', '  file "data/2024/kommunehelse.csv"\n  numbering 2019\n')], {}),
    "E117": (SPEC, [('  file "data/2024/kommunehelse.csv"\n', '  file "data/2024/kommunehelse.csv"\n  split "0301" by population\n')], {}),
    "E118": (SPEC, [('  file "data/2024/kommunehelse.csv"\n',
                     '  file "data/2024/kommunehelse.csv"\n  numbering 2023\n  split "1507" into "1508" 40 %, "1580" 40 %\n')], {}),
    "E120": (SPEC, [('group slv "Statens legemiddelverk" outside regulation entity "974761122" "Statens legemiddelverk"',
                     'group slv "Statens legemiddelverk" outside regulation')], {}),
    "E121": (SPEC, [("by eresept_oppslag\n", "by vkp_i_bruk\n")], {}),
    "E122": (SPEC, [("per member per month from ovrige_medlemmer", "per member per month from kommunehelse")], {}),
    "E123": (SPEC, [('group rhf "Regionale helseforetak" by rhf_basis', 'group rhf "Regionale helseforetak" by rhf_basis margin 1 %')], {}),
    "E124": (SPEC, [("half by kommunehelse among vkp_i_bruk", "half by kommunehelse among rhf_basis")], {}),
    "E125": (SPEC, [("    rhf 1/3\n    kommuner 1/3\n    ovrige 1/3\n  }\n\n  pool grunndata",
                     "    rhf 1/3\n    kommuner 1/3\n    ovrige 1/3 by kommunehelse\n  }\n\n  pool grunndata")], {}),
    "E126": (SPEC, [("    kommuner 95 % {", "    kommuner 95 % among vkp_i_bruk {")], {}),
    "E127": (SPEC, [("fee 1 570 kr per member per month from ovrige_medlemmer",
                     "fee 1 570 kr per member per month from ovrige_medlemmer margin 150 %")], {}),
    "E128": (SPEC, [('group rhf "Regionale helseforetak" by rhf_basis',
                     'group rhf "Regionale helseforetak" by rhf_basis excess carried over')], {}),
    "E130": (SPEC, [("    cost 27.1 mill\n", "")], {}),
    "E131": (SPEC, [('section "§ 14"', 'pool tom "Tom" {\n  cost 1 mill\n}\n\nsection "§ 14"')], {}),
    "E132": (SPEC, [("      half by kommunehelse \"alle kommuner\"", "      rhf half by kommunehelse \"alle kommuner\"")], {}),
    "E140": (SPEC, [("    rhf 1/3\n", "    rhf 1/0\n")], {}),
    "E141": (SPEC, [("    rhf 5 %\n", "    rhf 150 %\n")], {}),
    "E150": (SPEC, [("adjust prices by prisjustering margin 0.1 %", 'adjust prices by prisjustering margin 0.1 %\nparameter antall = 2.5 "x"')], {}),
    "E151": (SPEC, [('parameter prisjustering = 0 % "', 'parameter prisjustering = 5 kr "')], {}),
    "E152": (SPEC, [("adjust prices by prisjustering margin 0.1 %", "adjust prices by prisjustering margin 0.1 %\nadjust prices by prisjustering")], {}),
    "E153": (SPEC, [('group rhf "Regionale helseforetak" by rhf_basis', 'group rhf "Regionale helseforetak" by rhf_basis members prisjustering')], {}),
    "E160": (SPEC, [('group rhf "Regionale helseforetak" by rhf_basis',
                     'group rhf "Regionale helseforetak" by rhf_basis categories {\n  alle "Alle" weight 1 otherwise\n}')], {}),
    "E161": (DIFFERENTIATED, [("from ovrige_medlemmer categories {", 'from ovrige_medlemmer members antall categories {'),
                              ("parameter prisjustering", 'parameter antall = 100 "x"\nparameter prisjustering')], {}),
    "E162": (DIFFERENTIATED, [('liten "Liten" weight 1 otherwise', 'liten "Liten" add-on 100 kr otherwise')], {}),
    "E163": (DIFFERENTIATED, [('mellomstor "Mellomstor (illustrativ terskel)"', 'stor "Mellomstor (illustrativ terskel)"')], {}),
    "E164": (DIFFERENTIATED, [('liten "Liten" weight 1 otherwise', 'liten "Liten" weight 1 when arsverk >= 0')], {}),
    "E165": (DIFFERENTIATED, [('liten "Liten" weight 1 otherwise', 'liten "Liten" weight 0 otherwise')], {}),
    "E171": (SPEC, [("    rhf 5 %\n", "    rhf (prisjustering * 5 %)\n"),
                    ('parameter prisjustering = 0 % "', 'parameter belop = 5 kr "x"\nparameter prisjustering = 0 % "'),
                    ("rhf (prisjustering * 5 %)", "rhf (belop * 5 %)")], {}),
    "E201": (SPEC, [("    rhf equally\n    kommuner equally\n", "    rhf rest\n    kommuner rest\n")], {}),
    "W110": (SPEC, [('  provenance synthetic "syntetisk medlemsregister, generert av scripts/generate_synthetic.py"\n', "")], {}),
    "W150": (SPEC, [("    cost 27.1 mill\n", "    cost 27.1 mill\n    carry-over 0 kr \"ingenting\"\n")], {}),
    "D001": (SPEC, [], {"rhf_basis": b"\x00\x01\x02binary"}),
    "D002": (SPEC, [('"data/2024/rhf_basis.csv"', '"data/2024/no_such_file.csv"')], {}),
    "D003": (SPEC, [], {"rhf_basis": b""}),
    "D004": (SPEC, [], {"rhf_basis": b"organisasjonsnummer,rhf\n983658725,Helse Nord RHF\n"}),
    "D006": (SPEC, [], {"ovrige_medlemmer": b"organisasjonsnummer,navn\n,Uten nummer\n"}),
    "D010": (SPEC, [], {"kommunehelse": _zero_for({line.split(",")[0] for line in KOMMUNEHELSE.splitlines()[1:]})}),
    "D012": (SPEC, [], {"kommunehelse": ("\n".join(KOMMUNEHELSE.splitlines()[:-1]) + "\n").encode()}),
    "V001": (SPEC, [("    apotek 10 %\n", "    apotek 10 % by eresept_oppslag among ovrige_medlemmer\n")], {}),
    "V003": (SPEC, [], {"kommunehelse": _zero_for(VKP_IDS)}),
    "V011": (SPEC, [(HELSENETTET_SHARES, "    rhf half\n    kommuner half\n")] * 2, {}),
    "V013": (SPEC, [("fee 1 570 kr per member per month from ovrige_medlemmer",
                     'fee 1 570 kr per member per month from ovrige_medlemmer carry-over -999 mill "x"')], {}),
    "V014": (DIFFERENTIATED, [('liten "Liten" weight 1 otherwise', 'liten "Liten" add-on 1 mill otherwise'),
                              ('weight 4 when', 'add-on 1 kr when'), ('weight 2 when', 'add-on 1 kr when')], {}),
    "V020": (SPEC, [("    cost 27.1 mill\n", "    cost 27.1 mill\n    carry-over -30 mill \"for mye\"\n")], {}),
    "V023": (SPEC, [('group rhf "Regionale helseforetak" by rhf_basis',
                     'group rhf "Regionale helseforetak" by rhf_basis carry-over -999 mill "x"')], {}),
    "V030": (DIFFERENTIATED, [("when omsetning_kr >= 50 000 000", "when omsetning >= 50 000 000")], {}),
    "V042": (SPEC, [("    rhf 5 %\n    }", "    rhf (5 % / (prisjustering))\n    }"),
                    ("    rhf 5 %\n", "    rhf (5 % / prisjustering)\n")], {}),
}


def _edited(spec: str, edits) -> str:
    text = (ROOT / spec).read_text(encoding="utf-8")
    for old, new in edits:
        if old in text:
            text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_code_is_given_where_it_should_be(code, monkeypatch):
    from nhnprice.pipeline import run

    monkeypatch.chdir(ROOT)
    spec, edits, given = CASES[code]
    text = _edited(spec, edits)
    assert text != (ROOT / spec).read_text(encoding="utf-8") or given, "the edit no longer applies"
    result, diagnostics = run(spec, text=text, given=given)
    codes = [d.code for d in diagnostics]
    assert code in codes, codes
    assert all(d.message for d in diagnostics)


def _workbook() -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Ark1"
    book.active.append(["organisasjonsnummer", "rhf", "innbyggere_2024_01_01"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_missing_sheet_is_d021_and_a_workbook_without_openpyxl_d020(monkeypatch):
    import sys

    from nhnprice.pipeline import run

    monkeypatch.chdir(ROOT)
    workbook = _workbook()
    text = _edited(SPEC, [('  file "data/2024/rhf_basis.csv"\n', '  file "data/2024/rhf_basis.csv"\n  sheet "Tabell 1"\n')])
    _, diagnostics = run(SPEC, text=text, given={"rhf_basis": workbook})
    assert "D021" in [d.code for d in diagnostics] and "Ark1" in next(d.hint for d in diagnostics if d.code == "D021")
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if it were not installed
    _, diagnostics = run(SPEC, given={"rhf_basis": workbook})
    assert "D020" in [d.code for d in diagnostics]


def test_a_missing_spec_is_e003():
    from nhnprice.pipeline import compile_file

    graph, diagnostics = compile_file(str(ROOT / "specs" / "no-such-spec.nhp"))
    assert graph is None and [d.code for d in diagnostics] == ["E003"]


def test_a_spec_without_pools_is_e100():
    from nhnprice.pipeline import compile_text

    graph, diagnostics = compile_text('title "Tom"\nyear 2024\n', "tom.nhp")
    assert graph is None and "E100" in [d.code for d in diagnostics]


def test_an_unknown_invoice_group_is_u008(monkeypatch):
    from nhnprice.diagnostics import exit_status
    from nhnprice.pipeline import invoice_schedule

    monkeypatch.chdir(ROOT)
    result, lines, diagnostics = invoice_schedule(SPEC, groups=["ovrig"])
    assert result is None and [d.code for d in diagnostics] == ["U008"] and "ovrige" in diagnostics[0].hint
    assert exit_status(diagnostics) == 2


def _documented_codes() -> set[str]:
    return set(re.findall(r"^\| ([A-Z]\d{3}) \|", (ROOT / "docs" / "language.md").read_text(encoding="utf-8"), re.M))


def _emitted_codes() -> set[str]:
    """Every code the package writes as a diagnostic's first argument."""
    found = set()
    for path in (ROOT / "nhnprice").rglob("*.py"):
        found |= set(re.findall(r'\b(?:error|warning|Diagnostic)\(\s*(?:"(?:error|warning)",\s*)?"([A-Z]\d{3})"',
                                path.read_text(encoding="utf-8")))
    return found


def test_docs_and_package_agree():
    documented, emitted = _documented_codes(), _emitted_codes()
    assert emitted - documented == set(), "codes the package gives that docs/language.md does not list"
    assert documented - emitted == set(), "codes docs/language.md lists that the package never gives"


def test_the_table_lists_only_documented_codes():
    assert set(CASES) <= _documented_codes()

