"""The report formats: table with --entity, Markdown, CSV/JSON filters and the Excel workbook."""

from __future__ import annotations

import csv
import io
import re
import json
from decimal import Decimal

import pytest

from conftest import ROOT, SPEC_2024
from nhnprice.pipeline import run
from nhnprice.report import render
from nhnprice.report.summary import UnknownEntity, resolve_entity, summary_rows
from test_cli import nhnprice


@pytest.fixture(scope="module")
def result():
    result, diagnostics = run(str(SPEC_2024))
    assert result is not None, diagnostics
    return result


def oslo_total(result) -> int:
    return sum(a.amount_ore for a in result.allocations if a.entity == "0301")


def test_summary_rows_are_the_hearings_sums(result):
    rows = {r.label: r for r in summary_rows(result, "Sum", "Sum alle")}
    groups = list(result.graph.groups)
    s13 = rows["Sum § 13"]
    assert s13.cost_ore == 40_510_000_000
    assert s13.amounts[groups.index("rhf")] == 12_740_000_000
    assert s13.amounts[groups.index("kommuner")] == 15_170_000_000
    assert s13.amounts[groups.index("apotek")] is None  # no share: an empty cell, not 0
    assert rows["Sum alle"].cost_ore == sum(p.cost_ore for p in result.pools)


def test_entity_is_found_by_id_or_unique_name(result):
    assert resolve_entity(result, "0301") == "0301"
    assert resolve_entity(result, "oslo") == "0301"
    with pytest.raises(UnknownEntity, match="no entity `9999`"):
        resolve_entity(result, "9999")


def test_table_for_one_entity_lists_its_pools_and_total(result):
    text = render(result, "table", entity="0301")
    assert "0301 Oslo (Kommuner)" in text
    assert "Velferdsteknologisk knutepunkt" in text
    total = oslo_total(result)
    assert f"{total // 100:,}".replace(",", "\u00a0") + f",{total % 100:02d}" in text


def test_csv_and_json_keep_only_the_entitys_rows(result):
    rows = list(csv.DictReader(io.StringIO(render(result, "csv", entity="0301"))))
    assert rows and {r["entity"] for r in rows} == {"0301"}
    assert sum(int(r["amount_ore"]) for r in rows) == oslo_total(result)
    report = json.loads(render(result, "json", entity="0301"))
    assert {a["entity"] for a in report["allocations"]} == {"0301"}
    assert len(report["groups"]) == len(result.groups)  # the rest of the report is whole


@pytest.mark.parametrize("entity", [None, "0301", "800117275"])  # all, a municipality, a member
def test_json_written_row_by_row_is_the_documented_data_of_every_allocation(result, entity):
    """The JSON writer builds rows as text from the result's blocks; it must say exactly what the
    plain-data view says, row for row and in the same order, and be one valid JSON document."""
    from nhnprice.report.json_report import as_dict, chunks

    text = render(result, "json", entity=entity)
    assert b"".join(chunks(result, entity=entity)) == text
    report = json.loads(text)
    assert report == as_dict(result, entity)
    rows = [(a.pool, a.group, a.entity, a.name, a.amount_ore) for a in result.allocations
            if entity is None or a.entity == entity]
    assert [tuple(a.values()) for a in report["allocations"]] == rows
    assert rows or entity is None and not result.allocations
    assert text.count(b"\n") == text.decode().count("\n")  # UTF-8, one row per line: Tromsø, not Troms\u00f8
    assert "Tromsø".encode() in text or entity is not None


def test_json_with_no_allocations_is_an_empty_list():
    from nhnprice.evaluate import evaluate
    from nhnprice.pipeline import compile_file, load_data

    graph, _ = compile_file(str(SPEC_2024))
    tables, _ = load_data(graph)
    result, _ = evaluate(graph, tables, entities=False)
    assert json.loads(render(result, "json"))["allocations"] == []


def test_markdown_has_the_tables_figures_and_the_notice(result):
    text = render(result, "markdown")
    assert "| Helsenettet | 264,9 | 88,3 | 88,3 | 88,3 |" in text
    assert "| **Sum § 14** | **142,1** | **80,7** | **61,4** |" in text
    assert "stedfortreder" in text and "syntetisk" in text  # the data notice, in the report's language
    english = render(result, "markdown", lang="en")
    assert "Amounts in million NOK" in english and "Beløp" not in english
    assert "proxy" in english and "synthetic" in english


def test_cli_entity_errors_are_usage_errors_with_a_suggestion():
    proc = nhnprice("report", str(SPEC_2024), "--entity", "Osloo")
    assert proc.returncode == 2 and "did you mean `Oslo`" in proc.stderr and "Traceback" not in proc.stderr
    assert nhnprice("report", str(SPEC_2024), "--format", "xlsx").returncode == 2  # needs -o


# --- Excel -----------------------------------------------------------------------------------------

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "r.xlsx"
    proc = nhnprice("report", str(SPEC_2024), "--format", "xlsx", "-o", str(path))
    assert proc.returncode == 0, proc.stderr
    return openpyxl.load_workbook(path), path


def test_workbook_has_summary_group_fee_and_data_sheets(workbook):
    wb, _ = workbook
    assert len(wb.sheetnames) >= 3
    assert wb.sheetnames[0] == "Oversikt"
    for name in ("Kommuner", "Regionale helseforetak", "Faste beløp", "Data"):
        assert name in wb.sheetnames


def test_workbook_lists_every_municipality_number_and_name(workbook):
    wb, _ = workbook
    ws = wb["Kommuner"]
    found = {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True) if row[0] and row[0] != "Sum"}
    with open(ROOT / "specs" / "data" / "2024" / "kommunehelse.csv", encoding="utf-8") as f:
        expected = {r["kommunenummer"]: r["kommunenavn"] for r in csv.DictReader(f)}
    assert found == expected and len(found) == 357


def test_workbook_amounts_are_exact_kroner_and_sums_are_formulas(workbook, result):
    wb, path = workbook
    ws = wb["Kommuner"]
    header = [c.value for c in ws[1]]
    oslo = next(row for row in ws.iter_rows(min_row=2, values_only=True) if row[0] == "0301")
    vkp = header.index("Velferdsteknologisk knutepunkt")
    expected = sum(a.amount_ore for a in result.allocations if a.entity == "0301" and a.pool == "vkp")
    assert Decimal(str(oslo[vkp])) == Decimal(expected).scaleb(-2)
    assert str(oslo[-1]).startswith("=SUM(")
    assert ws.freeze_panes == "C2"
    summary = wb["Oversikt"]
    sums = [row for row in summary.iter_rows(values_only=True) if row[0] == "Sum § 13"]
    assert sums and str(sums[0][1]).startswith("=")
    fees = wb["Faste beløp"]
    assert [c.value for c in fees[2]][1:5] == [1570, 12, 6687, "=B2*C2*D2"]
    data = wb["Data"]
    statuses = {row[0]: row[5] for row in data.iter_rows(min_row=2, values_only=True) if row[0]}
    assert statuses["kommunehelse"] == "stedfortreder" and statuses["vkp_i_bruk"] == "syntetisk"


def _formula_cells(path):
    """(sheet, cell, formula, stored value) of every formula in the workbook."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    return [(ws.title, cell.coordinate, cell.value, values[ws.title][cell.coordinate].value)
            for ws in formulas for row in ws.iter_rows() for cell in row
            if isinstance(cell.value, str) and cell.value.startswith("=")]


def test_every_formula_carries_its_value_and_the_sums_are_the_json_reports(workbook, result):
    """What a preview, pandas or any reader that does not recalculate sees: the figures."""
    _, path = workbook
    cells = _formula_cells(path)
    assert len(cells) > 8000 and all(value is not None for _, _, _, value in cells)
    report = json.loads(render(result, "json"))
    values = openpyxl.load_workbook(path, data_only=True)
    for grp in report["payer_groups"]:
        ws = values[grp["title"][:31]]
        header = [c.value for c in ws[1]]
        sum_row = next(row for row in ws.iter_rows(values_only=True) if row[0] == "Sum")
        for pool in report["pools"]:
            if pool["title"] in header:
                expected = sum(a["amount_ore"] for a in report["allocations"]
                               if a["group"] == grp["group"] and a["pool"] == pool["id"])
                assert Decimal(str(sum_row[header.index(pool["title"])])) == Decimal(expected).scaleb(-2)
        paid = sum(a["amount_ore"] for a in report["allocations"] if a["group"] == grp["group"])
        assert Decimal(str(sum_row[-1])) == Decimal(paid).scaleb(-2), grp["group"]
    summary = {row[0]: row for row in values["Oversikt"].iter_rows(values_only=True) if row[0]}
    header = list(summary["Løsning"])
    for grp in report["payer_groups"]:
        assert Decimal(str(summary["Sum alle"][header.index(grp["title"] + (" *" if grp["outside_regulation"]
                                                                             else ""))])) \
            == Decimal(grp["amount_ore"]).scaleb(-2)
    assert Decimal(str(summary["Sum alle"][1])) == Decimal(report["totals"]["cost_ore"]).scaleb(-2)
    fee = report["fees"][0]
    fee_row = next(row for row in values["Faste beløp"].iter_rows(values_only=True) if row[0] == "Øvrige medlemmer")
    assert Decimal(str(fee_row[4])) == Decimal(fee["collected_ore"]).scaleb(-2)
    assert Decimal(str(fee_row[6])) == Decimal(fee["deviation_ore"]).scaleb(-2)


def test_every_sheet_prints_on_a4_landscape_one_page_wide_with_its_header_on_every_page(workbook):
    wb, _ = workbook
    for ws in wb:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)  # 1: the default
        assert ws.page_setup.fitToHeight == 0  # as many pages tall as it takes
        assert ws.print_title_rows, ws.title
        assert ws.page_margins.left == 0.5 and ws.freeze_panes
    assert wb["Kommuner"].print_title_rows == "$1:$1" and wb["Oversikt"].print_title_rows == "$3:$3"


def test_the_fee_groups_sheet_says_why_its_sum_is_not_the_groups_share(workbook):
    wb, _ = workbook
    text = " ".join(str(c) for row in wb["Øvrige medlemmer"].iter_rows(values_only=True) for c in row if c)
    assert "125\u00a0983\u00a0080,00 kr, og det er summen over" in text and "126\u00a0000\u00a0000,00 kr" in text


def test_two_runs_write_the_same_bytes(workbook, result):
    _, path = workbook  # written by another process, at another time
    assert path.read_bytes() == render(result, "xlsx")


FORMULA_LIKE = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd"]


@pytest.fixture(scope="module")
def formula_names(tmp_path_factory):
    """A spec whose register has names (and whose title and group) a spreadsheet would read as formulas."""
    folder = tmp_path_factory.mktemp("formulas")
    rows = [f"{i},{name},{10 * i}" for i, name in enumerate(FORMULA_LIKE + ["Vanlig"], start=1)]
    (folder / "k.csv").write_text("id,navn,w\n" + "\n".join(rows) + "\n", encoding="utf-8")
    spec = folder / "f.nhp"
    spec.write_text('title "=Tittel | med *stjerne*, _streker_ og <b>"\nyear 2024\n'
                    'key k { file "k.csv" id id name navn weight w provenance synthetic "test" }\n'
                    'group a "=Gruppe" by k\npool x "Pool" { cost 1 mill a 100 % }\n', encoding="utf-8")
    result, diagnostics = run(str(spec))
    assert result is not None, diagnostics
    return result


def test_formula_like_names_open_as_text_in_the_workbook(formula_names, tmp_path):
    path = tmp_path / "f.xlsx"
    path.write_bytes(render(formula_names, "xlsx"))
    wb = openpyxl.load_workbook(path)
    cells = {c.value: c for ws in wb for row in ws.iter_rows() for c in row if c.value in FORMULA_LIKE}
    assert set(cells) == set(FORMULA_LIKE) and all(c.data_type == "s" for c in cells.values())
    assert wb.worksheets[0]["A1"].data_type == "s" and wb.worksheets[0]["C3"].value == "=Gruppe"


def test_formula_like_names_are_neutralised_in_csv(formula_names):
    rows = list(csv.DictReader(io.StringIO(render(formula_names, "csv"))))
    assert [r["name"] for r in rows] == ["'" + n for n in FORMULA_LIKE] + ["Vanlig"]
    assert rows[2]["amount_kr"] == "200000.00" and rows[0]["group"] == "a"


def test_markdown_escapes_the_title_and_the_names(formula_names):
    text = render(formula_names, "markdown")
    assert text.startswith("# =Tittel \\| med \\*stjerne\\*, \\_streker\\_ og \\<b\\>\n")


# --- HTML ------------------------------------------------------------------------------------------

class _Page:
    """What a browser would see of the page, collected with the standard library's HTML parser."""

    def __init__(self, text: str):
        from html.parser import HTMLParser

        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        page = self

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                page.tags.append((tag, dict(attrs)))

            def handle_data(self, data):
                page.text.append(data)

        Parser().feed(text)

    def count(self, tag: str) -> int:
        return sum(1 for t, _ in self.tags if t == tag)


@pytest.fixture(scope="module")
def html_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "r.html"
    proc = nhnprice("report", str(SPEC_2024), "--format", "html", "-o", str(path))
    assert proc.returncode == 0, proc.stderr
    return path


def test_html_is_one_small_file_with_an_svg_picture_and_no_network_references(html_page):
    text = html_page.read_text(encoding="utf-8")
    assert html_page.stat().st_size < 8 * 1024 * 1024
    page = _Page(text)
    assert page.count("svg") == 2 and page.count("path") == SUMMARY_FLOWS  # the wide picture and the narrow one
    for tag, attrs in page.tags:
        for name in ("src", "href", "xlink:href", "action", "data"):
            assert name not in attrs, (tag, attrs)  # nothing is loaded: no external (or internal) resources
        assert tag not in ("link", "iframe", "img", "object", "embed")
    assert "url(" not in text and "@import" not in text
    assert "http://" not in text and "https://" not in text


SUMMARY_FLOWS = 21  # pool × group amounts of the 2024 spec


def test_html_has_the_summary_the_flows_and_a_searchable_entity_table(html_page, result):
    text = html_page.read_text(encoding="utf-8")
    page = _Page(text)
    assert "Helsenettet → Regionale helseforetak: 88,3 mill. kr" in text  # a band's tooltip
    ids = [attrs.get("id") for _, attrs in page.tags]
    assert "q" in ids and "entities" in ids and page.count("script") == 1
    words = "".join(page.text)
    with open(ROOT / "specs" / "data" / "2024" / "kommunehelse.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            assert row["kommunenummer"] in words and row["kommunenavn"] in words
    assert "stedfortreder" in words and "syntetisk" in words  # the data notice


def test_a_name_shared_by_two_municipalities_asks_for_the_number(result):
    with pytest.raises(UnknownEntity, match="names 2 entities.*3114, 3419"):
        resolve_entity(result, "Våler")


def _cell_sum(ws, formula: str) -> Decimal:
    """Evaluate a `=B5+B6+B7` formula of the summary sheet as Excel would."""
    return sum((Decimal(str(ws[ref].value)) for ref in formula.lstrip("=").split("+")), Decimal(0))


def test_workbook_sum_formulas_add_up_to_the_hearings_totals(workbook):
    wb, _ = workbook
    ws = wb["Oversikt"]
    rows = {row[0].value: row for row in ws.iter_rows() if row[0].value}
    header = [c.value for c in rows["Løsning"]]
    rhf, kommuner = header.index("Regionale helseforetak"), header.index("Kommuner")
    assert _cell_sum(ws, rows["Sum § 13"][rhf].value) == Decimal("127400000")
    assert _cell_sum(ws, rows["Sum § 14"][kommuner].value) == Decimal("61400000")
    assert _cell_sum(ws, rows["Sum alle"][1].value) == Decimal("1077300000")
    assert rows["Sum § 13"][rhf].number_format == "#,##0.0,,"  # shown as 127,4 (million kroner)


def test_html_entity_table_is_capped_with_a_note(result, monkeypatch):
    from nhnprice.report import html_report

    monkeypatch.setattr(html_report, "MAX_ENTITY_ROWS", 100)
    text = render(result, "html")
    assert text.count("<tr><th scope=row>") == 100 and "virksomheter til er ikke vist her" in text


def test_markdown_golden(result, golden):
    golden(ROOT / "tests" / "good" / "report_2024.md", render(result, "markdown"))


def test_workbook_states_a_differentiated_fee_per_category(tmp_path):
    spec = ROOT / "specs" / "examples" / "2025-differensiert-ovrige.nhp"
    result, _ = run(str(spec))
    path = tmp_path / "d.xlsx"
    path.write_bytes(render(result, "xlsx"))
    ws = openpyxl.load_workbook(path)["Faste beløp"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    [fee] = result.fees
    assert rows[0][3] == f"=SUM(D3:D{2 + len(fee.categories)})"
    collected = sum(Decimal(str(r[1])) * r[2] * r[3] for r in rows[1:])
    assert collected == Decimal(fee.collected_ore).scaleb(-2)  # the categories' formulas add up to the fee's total


def test_the_terminal_table_fits_the_terminal(result):
    text = render(result, "table", width=80)
    grids = [line for line in text.splitlines() if line.startswith("---")]
    assert len(grids) >= 2 and all(len(line) <= 80 for line in grids)  # the groups, a few at a time
    assert text.count("Sum alle") >= 2 and "Statens" in text
    assert max(len(line) for line in render(result, "table").splitlines() if line.startswith("---")) > 80


def test_bands_leave_and_enter_their_nodes_in_order(result):
    """A pool's bands leave it top to bottom in the order of the groups, and a group's bands arrive
    in the order of the pools: no two bands of one node cross."""
    from nhnprice.report.html_report import sankey
    from nhnprice.report.labels import labels

    text = sankey(result, labels("nb"))
    bands = re.findall(r'd="M[\d.]+,([\d.]+) C[\d.]+,[\d.]+ [\d.]+,[\d.]+ [\d.]+,([\d.]+) L[^"]*"[^>]*>'
                       r"<title>(.*?) → (.*?):", text)
    assert len(bands) == SUMMARY_FLOWS
    pools = [p.title for p in result.graph.pools]
    groups = [g.title for g in result.graph.groups.values()]
    for pool in pools:
        leaving = [float(start) for start, _, p, g in sorted(bands, key=lambda b: groups.index(b[3])) if p == pool]
        assert leaving == sorted(leaving), pool
    for group in groups:
        arriving = [float(end) for _, end, p, g in sorted(bands, key=lambda b: pools.index(b[2])) if g == group]
        assert arriving == sorted(arriving), group
