"""Diagnostics in bokmål (nhnprice/messages.py): every code of the catalogue, read in Norwegian."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, SPEC_2024, TESTS
from nhnprice.analysis import DataSets, analyse
from nhnprice.check import check
from nhnprice.messages import TRANSLATED, language, localise, localise_all, summary
from nhnprice.pipeline import invoice_schedule, run
from nhnprice.syntax import parse, parse_file
from test_check import CASES as CHECK_CASES
from test_check import _edited

HEADER = 'title "t"\nyear 2024\n'
TEXT = SPEC_2024.read_text(encoding="utf-8")

#: a change to the 2024 spec (or a spec of its own) that each catalogued code reports
CASES = {
    "E001": HEADER + "pool p {\n  cost 1 kr\n  a 50 % %\n}\n",
    "E004": HEADER + "pool p {\n  cost 1 kr\n  cost 2 kr\n  a 100 %\n}\n",
    "E007": HEADER + "pool p {\n  cost 1 kr\n  a 100 %\n",
    "E008": HEADER + "pool p {\n  cost 1 millioner\n  a 100 %\n}\n",
    "E009": HEADER + "gruop g by k\n",
    "E100": HEADER,
    "E107": 'title "t"\npool p {\n  cost 1 kr\n  a 100 %\n}\n',
    "E110": ('  file "data/2024/rhf_basis.csv"\n', ""),
    "E111": ("  id organisasjonsnummer\n  name rhf\n", "  name rhf\n"),
    "E112": ("  weight oppslag_med_salg\n", ""),
    "E140": ("    rhf 1/3\n    kommuner 1/3\n    ovrige 1/3\n  }\n\n  pool grunndata",
             "    rhf 1/0\n    kommuner 1/3\n    ovrige 1/3\n  }\n\n  pool grunndata"),
    "E141": ("    rhf 5 %", "    rhf 105 %"),
    "W110": ('  provenance synthetic "syntetisk medlemsregister, generert av scripts/generate_synthetic.py"\n', ""),
    "E101": ("group slv", "group rhf"),
    "E102": ("kommuner 95 %", "kommunr 95 %"),
    "E108": ("group slv", "group half"),
    "E130": ("    cost 17.0 mill\n", ""),
    "E131": ("    rhf 70 %\n    kommuner 30 %\n", ""),
    "E133": ("    rhf 70 %", "    70 %"),
    "E202": ("    rhf 70 %", "    rhf 71 %"),
    "E203": ("    rhf 70 %", "    rhf 69 %"),
    "E204": ("    kommuner 30 %", "    kommuner 30 %\n    rest"),
    "X001": ("expect rhf pays 1.4 mill in vkp", "expect rhf pays 1.5 mill in vkp"),
    "E170": ('      half by kommunehelse "alle kommuner"', '      (50 %) by kommunehelse "alle kommuner"'),
    "W111": ('  date "2024-01-01"\n}\n\nkey rhf_basis', '}\n\nkey rhf_basis'),
    "V010": TESTS / "bad" / "fee_over_collects.nhp",
    "V002": TESTS / "bad" / "no_adopters.nhp",
    "E003": lambda: parse_file(TESTS / "bad" / "no_such_spec.nhp")[1],
    "U001": lambda: run(str(SPEC_2024), overrides={"kommunehelsa": "x.csv"})[1],
    "U002": lambda: run(str(SPEC_2024), settings={"prisjustring": "4 %"})[1],
    "U008": lambda: invoice_schedule(str(SPEC_2024), groups=["ovrig"])[2],
    **{code: TESTS / "bad" / "broken_data.nhp" for code in ("D005", "D007", "D008", "D009", "D013")},
}


def diagnostics_of(code: str):
    if code not in CASES:  # the trigger of tests/test_check.py
        spec, edits, given = CHECK_CASES[code]
        return run(str(ROOT / spec), text=_edited(spec, edits), given=given)[1]
    case = CASES[code]
    if callable(case):
        return case()
    if isinstance(case, Path):
        return run(str(case))[1]
    if isinstance(case, str):
        spec, found = parse(case, "x.nhp")
        return found if spec is None else check(spec)
    old, new = case
    assert old in TEXT
    return analyse(TEXT.replace(old, new, 1), str(SPEC_2024), DataSets()).diagnostics


def test_every_catalogued_code_has_a_case():
    assert TRANSLATED <= set(CASES) | set(CHECK_CASES)


@pytest.mark.parametrize("code", sorted(TRANSLATED))
def test_each_catalogued_diagnostic_reads_in_bokmal(code):
    found = [d for d in diagnostics_of(code) if d.code == code]
    assert found, f"no {code} from its case"
    for d in found:
        nb = localise(d, "nb")
        assert nb is not d, f"{code} not translated: {d.message} | {d.hint} | {d.notes}"
        assert (nb.code, nb.span, nb.severity) == (d.code, d.span, d.severity)
        text = " ".join([nb.message, nb.hint or "", *nb.notes])
        for english in (" the ", " is ", " add ", "did you mean", "expected ", " unknown ", " shares "):
            assert english not in f" {text} ", f"{code}: {text}"
        assert localise(d, "en") is d


def test_a_code_outside_the_catalogue_stays_english_and_whole():
    [d] = [d for d in diagnostics_of("E102")]
    other = d.__class__(d.severity, "V999", "something the catalogue does not know", d.span, "a hint")
    assert localise(other, "nb") is other


def test_the_words_around_a_diagnostic_follow_its_language():
    translated = diagnostics_of("E102")[0]
    other = translated.__class__(translated.severity, "V999", "not in the catalogue", translated.span)
    shown, labels = localise_all([translated, other], "nb")
    assert labels(shown[0])["hint"] == "tips" and labels(shown[1]) is None
    assert localise_all([translated], "en") == ([translated], None)
    assert (summary(1, 0, "nb"), summary(3, 2, "nb"), summary(1, 1, "en")) == \
        ("1 feil, 0 advarsler", "3 feil, 2 advarsler", "1 error, 1 warning")


def test_the_language_comes_from_the_option_the_locale_or_the_environment(monkeypatch):
    for name in ("NHNPRICE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert language() == "nb"  # as every command speaks without --lang
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert language() == "en" and language("nb") == "nb" and language(None, "nb-NO") == "nb"
    monkeypatch.setenv("NHNPRICE_LANG", "nb")
    assert language() == "nb" and language(None, "en-US") == "en"


def test_check_speaks_the_language_asked_for(golden, in_tests_dir):
    from click.testing import CliRunner

    from nhnprice.cli import main

    english = CliRunner().invoke(main, ["check", "bad/three_syntax_errors.nhp", "--lang", "en"])
    assert english.exit_code == 1
    golden(in_tests_dir / "bad" / "three_syntax_errors.en.txt", english.stderr)
    for argv in (["check", "bad/three_syntax_errors.nhp", "--lang", "nb"],
                 ["--lang", "nb", "check", "bad/three_syntax_errors.nhp"]):
        norwegian = CliRunner().invoke(main, argv)
        assert norwegian.stderr == (in_tests_dir / "bad" / "three_syntax_errors.txt").read_text(encoding="utf-8")
        assert "feil: `millioner` er ikke en enhet [E008]" in norwegian.stderr


def test_the_language_reference_lists_the_translated_codes():
    import re

    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    start, end = text.index("The catalogue (`nhnprice/messages.py`)"), text.index("outside the catalogue is shown")
    listed = text[start:end]
    codes = set()
    code = r"[DEUVWX]\d{3}"
    for first, last in re.findall(rf"\b({code})(?:–({code}))?", listed):
        codes |= {f"{first[0]}{n:03d}" for n in range(int(first[1:]), int((last or first)[1:]) + 1)}
    assert codes == TRANSLATED
