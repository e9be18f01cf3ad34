"""One language at a time: the Norwegian output of every command has no English word in it."""

from __future__ import annotations

import re
import zipfile

import pytest

from conftest import SPEC_2024
from test_cli import nhnprice

#: English words nhnprice itself could leak into a Norwegian report (its own words, keywords of the
#: language and of the JSON format); Norwegian words that happen to be spelled alike are left out
ENGLISH = set("""
above allocation allocations amount amounts and any carry carried collected cost costs deviation each
entity entities equally error errors expectation expectations fee fees file from group groups half holds
in inside invoice invoiced invoices it its key keys lines member members million month monthly months
none not of official only or other outside paid pay payer payers pays pool pools proxy quarter quarterly
quota regulation regulated row rows see share shares solution solutions solved source spec summary
sweep synthetic than that the this total totals unit unlabelled weight weights what which with year
years yes
""".split())  # not: for, over, per, sum, by, at, to, all, rest, data, status, line, part (Norwegian too)

COMMANDS = {
    "report": ["report", str(SPEC_2024)],
    "report --entity": ["report", str(SPEC_2024), "--entity", "0301"],
    "report --format markdown": ["report", str(SPEC_2024), "--format", "markdown"],
    "explain": ["explain", str(SPEC_2024), "0301"],
    "explain (a member)": ["explain", str(SPEC_2024), "800117275"],
    "diff": ["diff", str(SPEC_2024), str(SPEC_2024), "--set", "prisjustering=4%", "--entities"],
    "regulation": ["regulation", str(SPEC_2024)],
    "sweep": ["sweep", str(SPEC_2024), "--set", "prisjustering=0%..2%:1%"],
    "invoices": ["invoices", str(SPEC_2024), "--group", "rhf", "--group", "helfo"],
    "check": ["check", str(SPEC_2024)],
    "data check": ["data", "check", "specs/data/2024/kommunehelse.csv"],
}
FILES = {"html": ["report", str(SPEC_2024), "--format", "html"],
         "xlsx": ["report", str(SPEC_2024), "--format", "xlsx"]}


def english_words(text: str) -> set[str]:
    """The English words of `text`, leaving out paths, file names and identifiers (`vkp_i_bruk`)."""
    kept = " ".join(token for token in text.split() if not re.search(r"[/_`.=]\w", token))
    return {w for w in re.findall(r"[A-Za-zæøåÆØÅ-]+", kept) if w.lower().strip("-") in ENGLISH}


@pytest.mark.parametrize("name", COMMANDS)
def test_norwegian_output_has_no_english_word(name):
    proc = nhnprice("--lang", "nb", *COMMANDS[name])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout and not english_words(proc.stdout), english_words(proc.stdout)


@pytest.mark.parametrize("fmt", FILES)
def test_norwegian_files_have_no_english_word(fmt, tmp_path):
    path = tmp_path / f"r.{fmt}"
    proc = nhnprice(*FILES[fmt], "-o", str(path))
    assert proc.returncode == 0, proc.stderr
    if fmt == "html":
        text = re.sub(r"<(script|style)>.*?</\1>|<[^>]*>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    else:
        with zipfile.ZipFile(path) as z:
            text = re.sub(r"<[^>]*>", " ", z.read("xl/sharedStrings.xml").decode())
    assert not english_words(text), english_words(text)


def test_english_is_asked_for_or_comes_from_the_locale():
    assert "expectations hold" in nhnprice("--lang", "en", "check", str(SPEC_2024)).stdout
    from nhnprice.report.labels import default_language

    assert default_language({"LANG": "en_GB.UTF-8"}) == "en"
    assert default_language({"LANG": "nb_NO.UTF-8"}) == default_language({}) == "nb"
    assert default_language({"LC_ALL": "nn_NO.UTF-8", "LANG": "en_US.UTF-8"}) == "nb"  # LC_ALL wins
    assert default_language({"NHNPRICE_LANG": "en", "LANG": "nb_NO.UTF-8"}) == "en"  # and NHNPRICE_LANG wins all
