"""`report --format site`: a page for every payer, linked from an index, each saying what and why."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from conftest import ROOT, SPEC_2024
from test_cli import nhnprice
from test_reports import _Page


class Links(_Page):
    """A page's text and every address it links to or loads."""

    def __init__(self, text: str):
        super().__init__(text)
        self.hrefs = [value for _, attrs in self.tags for name, value in attrs.items() if name in ("href", "src")]


def read(path: Path) -> Links:
    return Links(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site") / "betaling-2024"
    proc = nhnprice("report", str(SPEC_2024), "--format", "site", "-o", str(folder))
    assert proc.returncode == 0, proc.stderr
    return folder


def test_every_municipality_has_a_page_linked_from_the_index_that_says_what_it_pays_and_why(site):
    index = read(site / "index.html")
    pages = {site / href for href in index.hrefs}
    assert all(page.is_file() for page in pages)  # no broken link
    with open(ROOT / "specs" / "data" / "2024" / "kommunehelse.csv", encoding="utf-8") as f:
        municipalities = {r["kommunenummer"]: r["kommunenavn"] for r in csv.DictReader(f)}
    linked = {p.stem: p for p in pages if p.parent.name == "kommuner"}
    assert set(linked) == set(municipalities) and len(linked) == 357
    for number, path in linked.items():
        page = read(path)
        text = " ".join(page.text)
        assert f"{municipalities[number]} ({number}) betaler" in text  # what it pays, in all
        assert "§ 13" in text and "§ 16" in text and "Helsenorge.no" in text  # pool by pool, with the paragraphs
        assert "Den fordeles etter nøkkelen" in text  # and why
        assert page.hrefs == ["../index.html"]  # back to the index, and nothing loaded from anywhere


def test_oslos_page_has_its_lines_and_total(site):
    text = " ".join(read(site / "kommuner" / "0301.html").text)
    assert "62\u00a0781\u00a0260,37" in text and "11\u00a0418\u00a0283,80" in text


def test_health_authorities_pharmacies_and_the_fee_have_pages(site):
    index = read(site / "index.html")
    groups = {}
    for href in index.hrefs:
        groups.setdefault(href.split("/")[0], []).append(href)
    assert len(groups["rhf"]) == 4 and len(groups["apotek"]) == 1080
    assert groups["ovrige"] == ["ovrige/alle.html"]  # a flat fee: one page for its one category
    fee = " ".join(read(site / "ovrige" / "alle.html").text)
    assert "1\u00a0570,00 kr per medlem per måned" in fee and "Et eksempel" in fee


def test_a_new_site_replaces_an_old_one_but_never_another_folder(site, tmp_path):
    proc = nhnprice("report", str(SPEC_2024), "--format", "site", "-o", str(site))
    assert proc.returncode == 0 and (site / "index.html").exists()
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    proc = nhnprice("report", str(SPEC_2024), "--format", "site", "-o", str(other))
    assert proc.returncode == 2 and "is not a site nhnprice wrote" in proc.stderr
    assert [p.name for p in other.iterdir()] == ["notes.txt"]


def test_file_names_are_plain_ids_or_digests():
    from nhnprice.report.site import file_name

    assert file_name("0301") == "0301.html"
    assert re.fullmatch(r"e[0-9a-f]{16}\.html", file_name("../../etc/passwd"))
