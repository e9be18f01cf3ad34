"""Keys and registers in the forms users have them: the Done-when of issue 4.

Every format a Norwegian spreadsheet writes gives exactly the same allocation as
the bundled file; every broken file is refused with its name, its row where
there is one, and no traceback.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, SPEC_2024
from nhnprice.cli import main
from nhnprice.pipeline import run
from nhnprice.report.labels import labels

KEY = ROOT / "specs" / "data" / "2024" / "kommunehelse.csv"
LINES = KEY.read_text(encoding="utf-8").splitlines()
HEADER, ROWS = LINES[0], LINES[1:]


def allocation(spec: Path = SPEC_2024, **overrides: str) -> list[tuple]:
    result, diagnostics = run(str(spec), {k: str(v) for k, v in overrides.items()})
    assert result is not None, [d.message for d in diagnostics]
    return sorted((a.pool, a.group, a.entity, a.amount_ore) for a in result.allocations)


@pytest.fixture(scope="module")
def original():
    return allocation()


def _fields(line: str) -> list[str]:
    return line.split(",")


def _thousands(value: str, sep: str) -> str:
    return re.sub(r"(?<=\d)(?=(\d{3})+$)", sep, value)


def _decimal_comma(value: str) -> str:
    """Weight / 1000 with a decimal comma: the same proportions, so the same allocation."""
    n = int(value)
    return f"{n // 1000},{n % 1000:03d}"


def variants() -> dict[str, tuple[bytes, str]]:
    rows = [_fields(r) for r in ROWS]
    text = "\n".join(LINES) + "\n"
    semicolon = "\n".join([HEADER.replace(",", ";")] + [f"{k};{n};{_decimal_comma(w)}" for k, n, w in rows]) + "\n"
    return {
        "bom": (("\ufeff" + text).encode("utf-8"), ""),
        "crlf": (text.replace("\n", "\r\n").encode("utf-8"), ""),
        "semicolon_decimal_comma": (semicolon.encode("utf-8"), ""),
        "bom_semicolon_crlf": (("\ufeff" + semicolon.replace("\n", "\r\n")).encode("utf-8"), ""),
        "reversed_rows": (("\n".join([HEADER, *reversed(ROWS)]) + "\n").encode("utf-8"), ""),
        "space_thousands": (("\n".join([HEADER] + [f'{k},{n},"{_thousands(w, " ")}"' for k, n, w in rows])
                             + "\n").encode("utf-8"), ""),
        "nbsp_thousands_semicolon": (("\n".join([HEADER.replace(",", ";")] +
                                                [f"{k};{n};{_thousands(w, chr(0xa0))}" for k, n, w in rows])
                                      + "\n").encode("utf-8"), ""),
        "tab": (("\n".join(l.replace(",", "\t") for l in LINES) + "\n").encode("utf-8"), ""),
        "quoted": (("\n".join([HEADER] + [f'"{k}","{n}","{w}"' for k, n, w in rows]) + "\n").encode("utf-8"), ""),
        "blank_lines": (("\n".join([HEADER, "", *ROWS[:100], "", *ROWS[100:]]) + "\n\n").encode("utf-8"), ""),
    }


@pytest.mark.parametrize("name", sorted(variants()))
def test_format_variants_give_exactly_the_same_allocation(name, tmp_path, original):
    raw, _ = variants()[name]
    path = tmp_path / f"{name}.csv"
    path.write_bytes(raw)
    assert allocation(kommunehelse=path) == original


def test_cp1252_is_refused_with_a_clear_message_and_read_when_declared(tmp_path, original):
    path = tmp_path / "latin.csv"
    path.write_bytes(("\n".join(LINES) + "\n").encode("cp1252"))
    result = CliRunner().invoke(main, ["check", str(SPEC_2024), "--data", f"kommunehelse={path}"])
    assert result.exit_code == 1
    assert "Windows-1252" in result.stderr and "`å`" in result.stderr and "latin.csv:10:" in result.stderr
    spec = _spec_copy(tmp_path, 'encoding "cp1252"', path)
    assert allocation(spec) == original


def _spec_copy(tmp_path: Path, fields: str, key: Path) -> Path:
    """specs/2024.nhp with the kommunehelse key read from `key` with extra fields."""
    text = SPEC_2024.read_text(encoding="utf-8").replace('file "data/', f'file "{ROOT}/specs/data/')
    text = text.replace(f'file "{ROOT}/specs/data/2024/kommunehelse.csv"', f'file "{key}"\n  {fields}')
    spec = tmp_path / "spec.nhp"
    spec.write_text(text, encoding="utf-8")
    return spec


def _workbook(path: Path, rows: list[list], sheet: str = "Tabell C-k", title_rows: int = 0, footer: bool = False):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Forside"
    book.active.append(["Grønt hefte 2024"])
    ws = book.create_sheet(sheet)
    for i in range(title_rows):
        ws.append([f"Tittelrad {i + 1}"])
    for row in rows:
        ws.append(row)
    if footer:
        ws.append(["Landet", "", sum(r[2] for r in rows[1:])])
        ws.append(["Kilde: KDD"])
    book.save(path)


def test_an_xlsx_key_gives_the_same_allocation_as_the_csv(tmp_path, original):
    rows = [HEADER.split(",")] + [[k, n, int(w)] for k, n, w in map(_fields, ROWS)]
    path = tmp_path / "kommunehelse.xlsx"
    _workbook(path, rows, sheet="Sheet")
    # The spec's layout (header row 1) and the first sheet... which here is the cover page.
    result = CliRunner().invoke(main, ["check", str(SPEC_2024), "--data", f"kommunehelse={path}"])
    assert result.exit_code == 1 and "has no column `kommunenummer`" in result.stderr
    spec = _spec_copy(tmp_path, 'sheet "Sheet"', path)
    assert allocation(spec) == original


def test_data_override_with_a_workbook_reads_its_first_sheet(tmp_path, original):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(HEADER.split(","))
    for k, n, w in map(_fields, ROWS):
        book.active.append([k, n, int(w)])
    path = tmp_path / "kommunehelse.xlsx"
    book.save(path)
    assert allocation(kommunehelse=path) == original
    result = CliRunner().invoke(main, ["report", str(SPEC_2024), "--format", "json", "--data", f"kommunehelse={path}"])
    assert result.exit_code == 0, result.stderr
    import json

    [entry] = [d for d in json.loads(result.stdout)["data"] if d["name"] == "kommunehelse"]
    assert (entry["format"], entry["sheet"], entry["column"], entry["rows"]) == ("xlsx", "Sheet", "innbyggere_2024_01_01", 357)


def test_a_gront_hefte_sheet_as_published_title_rows_footer_numbers_and_decimals(tmp_path, original):
    """Header at row 3, a total and a source line under the table, kommunenummer stored as numbers
    (0301 shown as 301), weights as decimals (per mille of the population): the same allocation."""
    rows = [["Kommune-\nnummer", "Kommune", "Delkostnadsnøkkel"]]
    rows += [[int(k), n, int(w) / 1000] for k, n, w in map(_fields, ROWS)]
    path = tmp_path / "gront_hefte.xlsx"
    _workbook(path, rows, title_rows=2, footer=True)
    fields = ('sheet "Tabell C-k"\n  header row 3\n  last row 360')
    spec = _spec_copy(tmp_path, fields, path)
    text = spec.read_text(encoding="utf-8").replace("id kommunenummer\n  name kommunenavn\n  weight innbyggere_2024_01_01",
                                                    'id "Kommune- nummer"\n  name Kommune\n  weight Delkostnadsnøkkel', 1)
    spec.write_text(text, encoding="utf-8")
    assert allocation(spec) == original


def test_xlsx_problems_name_the_sheet_and_cell(tmp_path):
    rows = [HEADER.split(",")] + [[k, n, int(w)] for k, n, w in map(_fields, ROWS)]
    rows[5][2] = "mye"
    path = tmp_path / "bad.xlsx"
    _workbook(path, rows, sheet="Sheet")
    spec = _spec_copy(tmp_path, 'sheet "Sheet"', path)
    result = CliRunner().invoke(main, ["check", str(spec)])
    assert result.exit_code == 1
    assert "bad.xlsx:6:3:" in result.stderr and 'sheet "Sheet", cell C6' in result.stderr
    spec = _spec_copy(tmp_path, 'sheet "Ark1"', path)
    result = CliRunner().invoke(main, ["check", str(spec)])
    assert result.exit_code == 1 and 'has no sheet "Ark1"' in result.stderr and '"Sheet"' in result.stderr


def _replace_weight(row: int, value: str) -> str:
    lines = list(LINES)
    k, n, _ = _fields(lines[row - 1])
    lines[row - 1] = f"{k},{n},{value}"
    return "\n".join(lines) + "\n"


BROKEN = {
    # name: (content, the row the message must name, or None)
    "duplicated_municipality": ("\n".join(LINES + [ROWS[4]]) + "\n", 359),
    "negative_weight": (_replace_weight(4, "-149048"), 4),
    "empty_weight": (_replace_weight(4, ""), 4),
    "text_weight": (_replace_weight(4, "mange"), 4),
    "nan_weight": (_replace_weight(4, "nan"), 4),
    "inf_weight": (_replace_weight(4, "inf"), 4),
    "missing_municipality": ("\n".join([HEADER] + ROWS[1:]) + "\n", None),
    "unknown_municipality": ("\n".join(LINES + ["9999,Atlantis,1000"]) + "\n", 359),
    "old_number_in_a_2024_key": ("\n".join([HEADER] + [r.replace("3101,", "3001,") for r in ROWS]) + "\n", None),
    "empty_file": ("", None),
    "header_only": (HEADER + "\n", None),
    "all_zero": ("\n".join([HEADER] + [r.rsplit(",", 1)[0] + ",0" for r in ROWS]) + "\n", None),
    "ragged_row": ("\n".join(LINES[:3] + [LINES[3] + ",extra"] + LINES[4:]) + "\n", 4),
    "binary_garbage": (bytes(range(256)) * 8, None),
    "undecodable_bytes": (("\n".join(LINES) + "\n").encode("utf-8") + b"5001,Tr\x81ndheim,1\n", 359),
    "old_excel_format": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), None),
    "broken_workbook": (b"PK\x03\x04" + bytes(100), None),
    "unterminated_quote": ("\n".join(LINES[:3] + ['1103,"Stavanger,149048'] + LINES[4:]) + "\n", None),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_key_is_refused_naming_file_and_row_without_traceback(case, tmp_path):
    content, row = BROKEN[case]
    path = tmp_path / f"{case}.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = CliRunner().invoke(main, ["check", str(SPEC_2024), "--data", f"kommunehelse={path}"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"{path}:" in result.stderr, result.stderr
    if row is not None:
        assert f"{path}:{row}:" in result.stderr, result.stderr
    assert re.search(r"\[D0\d\d\]", result.stderr)


def test_the_missing_municipality_is_named():
    result = CliRunner().invoke(main, ["check", str(SPEC_2024), "--data", f"kommunehelse={_write_missing()}"])
    assert "has no weight for 1 of the 357 municipalities of 2024: 0301 Oslo" in result.stderr


def _write_missing() -> str:
    import tempfile

    f = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8")
    f.write("\n".join([HEADER] + ROWS[1:]) + "\n")
    f.close()
    return f.name


def test_all_problems_of_a_file_are_reported_together(tmp_path):
    lines = list(LINES)
    lines[3] = lines[3].rsplit(",", 1)[0] + ",-1"
    lines[10] = lines[10].rsplit(",", 1)[0] + ",x"
    lines.append(LINES[20])
    path = tmp_path / "k.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(SPEC_2024), "--data", f"kommunehelse={path}",
                                       "--diagnostics", "gnu"])
    assert [line.split(":")[1] for line in result.stderr.splitlines()] == ["4", "11", "359"]


# ---- organisation numbers


def test_an_invalid_organisation_number_is_refused(tmp_path):
    register = tmp_path / "members.csv"
    register.write_text("organisasjonsnummer,navn\n983544622,A\n983544623,B\n974 761 122,C\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(SPEC_2024), "--data", f"ovrige_medlemmer={register}"])
    assert result.exit_code == 1
    assert f"{register}:3:1: error: `983544623` is not a valid organisation number [D013]" in result.stderr
    assert ":4:" not in result.stderr  # spaces inside a valid number are allowed


# ---- municipality numbers across years


def _old_numbering_key(tmp_path: Path) -> Path:
    """The 2024 population in the 2020–2023 numbering: 356 municipalities, Ålesund 1507 still whole."""
    from nhnprice.reference import renumbering

    population = {k: int(w) for k, _, w in map(_fields, ROWS)}
    lines = ["kommunenummer;kommunenavn;innbyggere"]
    for old, targets in sorted(renumbering().items()):
        lines.append(f"{old};{targets[0][1]};{sum(population[t] for t, _ in targets)}")
    path = tmp_path / "old.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _old_spec(tmp_path: Path, fields: str) -> Path:
    spec = _spec_copy(tmp_path, fields, _old_numbering_key(tmp_path))
    text = spec.read_text(encoding="utf-8").replace("weight innbyggere_2024_01_01", "weight innbyggere", 1)
    spec.write_text(text, encoding="utf-8")
    return spec


def test_a_2023_key_split_by_population_gives_the_2024_allocation(tmp_path, original):
    spec = _old_spec(tmp_path, 'numbering 2023\n  split "1507" by population')
    assert allocation(spec) == original
    result, _ = run(str(spec))
    assert any("114 numbers changed; 1507 split by population into 1508, 1580" in n
               for n in result.tables["kommunehelse"].notes)


def test_a_2023_key_without_a_rule_for_alesund_is_refused_with_an_explanation(tmp_path):
    spec = _old_spec(tmp_path, "numbering 2023")
    result = CliRunner().invoke(main, ["check", str(spec)])
    assert result.exit_code == 1
    assert "`1507` (Ålesund) was split on 1 January 2024 into 1508 Ålesund and 1580 Haram" in result.stderr
    assert 'split "1507" by population' in result.stderr and "[D014]" in result.stderr


def test_an_undeclared_2023_key_is_recognised_with_a_warning(tmp_path, original):
    spec = _old_spec(tmp_path, 'split "1507" by population')
    result = CliRunner().invoke(main, ["check", str(spec)])
    assert result.exit_code == 0, result.stderr
    assert "uses the 2020–2023 municipality numbers" in result.stderr and "[D015]" in result.stderr


def test_a_2023_key_split_into_declared_shares(tmp_path):
    spec = _old_spec(tmp_path, 'numbering 2023\n  split "1507" into "1508" 3/4, "1580" 25 %')
    result, diagnostics = run(str(spec))
    assert result is not None, diagnostics
    weights = result.tables["kommunehelse"].weights
    alesund = sum(int(w) for k, _, w in map(_fields, ROWS) if k in ("1508", "1580"))
    assert weights["1508"] == Fraction(alesund * 3, 4) and weights["1580"] == Fraction(alesund, 4)
    assert result.tables["kommunehelse"].names["1580"] == "Haram"


@pytest.mark.parametrize("rule, message", [
    ('split "1507" into "1508" 60 %, "1580" 30 %', "add up to 90 %, not 100 %"),
    ('split "1507" into "1508", "1580"', "needs its share"),
    ('split "1507" into "1508" 50 %, "1599" 50 %', "became 1508 and 1580, not `1599`"),
    ('split "3001" by population', "was not split in the 2024 renumbering: it became 3101"),
])
def test_a_wrong_split_rule_is_a_spec_error(rule, message, tmp_path):
    spec = _old_spec(tmp_path, f"numbering 2023\n  {rule}")
    result = CliRunner().invoke(main, ["check", str(spec)])
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert f"{spec}:" in result.stderr


# ---- reference data


def test_the_reference_data_ships_in_the_wheel_from_its_one_copy():
    import tomllib

    from nhnprice.reference import FILES, division, reference_text

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    included = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    for name in FILES:
        source = f"specs/data/reference/{name}"
        assert included[source] == f"nhnprice/reference/{name}"
        assert reference_text(name) == (ROOT / source).read_text(encoding="utf-8-sig")
    assert len(division(2024).names) == 357 and len(division(2023).names) == 356
    assert division(2019) is None


@pytest.mark.parametrize("name", ["kommuner_2024.csv", "kommunenummer_2023_til_2024.csv"])
def test_the_reference_files_are_unchanged_copies_of_the_shared_data(name):
    """specs/data/reference is copied from the project's shared data folder (scripts/generate_synthetic.py
    --shared); where that folder is present, the copies must not have drifted."""
    shared = ROOT.parent / "shared" / "data" / name
    if not shared.exists():
        pytest.skip("the shared data folder is not beside this checkout")
    assert (ROOT / "specs" / "data" / "reference" / name).read_bytes() == shared.read_bytes()


# ---- nhnprice data check


def test_data_check_accepts_the_bundled_files_and_says_what_it_read():
    result = CliRunner().invoke(main, ["data", "check", str(KEY)])
    assert result.exit_code == 0, result.stderr
    assert "ok: nøkkel med 357 kommuner i 2024" in result.stdout and "(sum 5 550 203)" in result.stdout
    register = ROOT / "specs" / "data" / "2024" / "ovrige_medlemmer.csv"
    result = CliRunner().invoke(main, ["data", "check", str(register), "--kind", "register"])
    assert result.exit_code == 0 and "register med 6687 organisasjoner" in result.stdout


@pytest.mark.parametrize("case", ["duplicated_municipality", "nan_weight", "missing_municipality", "binary_garbage"])
def test_data_check_refuses_a_broken_file(case, tmp_path):
    content, row = BROKEN[case]
    path = tmp_path / f"{case}.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = CliRunner().invoke(main, ["data", "check", str(path), "--diagnostics", "gnu"])
    assert result.exit_code == 1 and result.stderr.startswith(f"{path}:{row or 1}:")
    assert "Traceback" not in result.output


def test_data_check_reads_a_workbook_with_its_layout_and_an_old_numbering(tmp_path):
    from nhnprice.reference import renumbering

    population = {k: int(w) for k, _, w in map(_fields, ROWS)}
    rows = [["Kommunenr", "Kommune", "Vekt"]] + [
        [old, targets[0][1], sum(population[t] for t, _ in targets)] for old, targets in sorted(renumbering().items())]
    path = tmp_path / "old.xlsx"
    _workbook(path, rows, title_rows=1, footer=True)
    args = ["data", "check", str(path), "--sheet", "Tabell C-k", "--header-row", "2", "--last-row", "358",
            "--id-column", "Kommunenr", "--entities", "municipalities"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "[D014]" in result.stderr and "cell A" in result.stderr
    result = CliRunner().invoke(main, args + ["--numbering", "2023", "--split", "1507"])
    assert result.exit_code == 0, result.stderr
    assert "nøkkel med 357 kommuner i 2024" in result.stdout and "sum 5 550 203" in result.stdout


def test_a_file_is_checked_from_bytes_as_from_disk_and_a_choice_that_cannot_work_says_which_option():
    """`data.check_file` is the library call behind `nhnprice data check`: an editor can check
    bytes it holds, and a choice that cannot work is an exception naming the option, not an exit."""
    from nhnprice.data import BadChoice, check_file

    from_disk = check_file(str(KEY))
    from_bytes = check_file(str(KEY), raw=KEY.read_bytes())
    english = labels("en")
    assert from_disk.ok and from_bytes.summary(english) == from_disk.summary(english)
    assert from_disk.summary(english)[0].endswith("weight column `innbyggere_2024_01_01` (sum 5 550 203)")
    with pytest.raises(BadChoice) as raised:
        check_file(str(KEY), splits=["0301"])
    assert raised.value.option == "--split"
    with pytest.raises(BadChoice) as raised:
        check_file("two.csv", raw=b"kommunenummer,kommunenavn\n0301,Oslo\n")
    assert raised.value.option is None and "no column left for the weights" in str(raised.value)


# ---- properties of the reader


def test_any_dialect_reads_back_the_exact_weights(tmp_path_factory):
    """Whatever delimiter, decimal mark, thousands separator, BOM, line end and quoting a file
    is written with, the key read back has exactly the weights written, in any row order."""
    from hypothesis import given
    from hypothesis import strategies as st

    from nhnprice.data import load
    from nhnprice.graph import DatasetNode
    from nhnprice.numbers import ambiguous

    weights = st.dictionaries(st.from_regex(r"[0-9]{4}", fullmatch=True),
                              st.fractions(min_value=0, max_value=10**7, max_denominator=1)
                              .flatmap(lambda whole: st.integers(0, 3).map(
                                  lambda places: whole / 10**places if places else whole)),
                              min_size=1, max_size=30).filter(lambda w: any(w.values()))
    dialect = st.fixed_dictionaries({
        "delimiter": st.sampled_from([",", ";", "\t"]), "thousands": st.sampled_from(["", " ", "\u00a0", "\u202f"]),
        "bom": st.booleans(), "crlf": st.booleans(), "quote": st.booleans(), "order": st.randoms()})

    def write(value, d) -> str:
        places = 0
        while (value * 10**places).denominator != 1:
            places += 1
        digits = str(int(value * 10**places)).rjust(places + 1, "0")
        whole, frac = digits[:len(digits) - places], digits[len(digits) - places:]
        whole = re.sub(r"(?<=\d)(?=(\d{3})+$)", d["thousands"], whole)
        mark = "," if d["delimiter"] != "," else "."
        text = whole + (mark + frac if places else "")
        return f'"{text}"' if d["quote"] or (d["thousands"] == " " and d["delimiter"] == ",") else text

    folder = tmp_path_factory.mktemp("dialects")

    @given(weights, dialect)
    def read_back(key, d):
        items = list(key.items())
        d["order"].shuffle(items)
        sep = d["delimiter"]
        lines = [f"id{sep}vekt"] + [f"{k}{sep}{write(v, d)}" for k, v in items]
        text = ("\r\n" if d["crlf"] else "\n").join(lines) + "\n"
        path = folder / "key.csv"
        path.write_bytes((("\ufeff" if d["bom"] else "") + text).encode("utf-8"))
        node = DatasetNode("k", "key", None, str(path), str(path), "id", None, "vekt", None, None, None, None)
        table, problems = load(node)
        # `12.345` in a `,` file may be thousands or decimals: refused, never read either way
        guesses = [k for k, v in items if ambiguous(write(v, d).strip('"'), sep == ";")]
        if guesses:
            assert table is None and {p.code for p in problems} == {"D008"}
            assert all("thousands" in p.message for p in problems) and len(problems) == len(guesses)
            return
        assert problems == [] and table is not None
        assert table.weights == key and list(table.ids) == [k for k, _ in items]

    read_back()


def test_reading_csv_never_imports_openpyxl():
    import subprocess
    import sys

    code = ("import sys; from nhnprice.pipeline import run; r, d = run(sys.argv[1]); "
            "assert r is not None; print('openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(SPEC_2024)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_official_or_proxy_data_without_a_reference_date_is_warned_about(tmp_path):
    text = SPEC_2024.read_text(encoding="utf-8").replace('file "data/', f'file "{ROOT}/specs/data/')
    text = text.replace('  date "2024-01-01"\n', "", 1)
    spec = tmp_path / "spec.nhp"
    spec.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(spec)])
    assert result.exit_code == 0
    assert "key `kommunehelse` does not give the reference date of its data [W111]" in result.stderr


def test_a_renumbered_register_keeps_each_members_row(tmp_path):
    from nhnprice.data import load
    from nhnprice.graph import DatasetNode, SplitRule

    path = tmp_path / "vkp.csv"
    path.write_text("kommunenummer;kommunenavn;innbyggere\n3001;Halden;31 444\n1507;Ålesund;67 866\n", encoding="utf-8")
    node = DatasetNode("vkp", "register", None, str(path), str(path), "kommunenummer", "kommunenavn", None,
                       "municipalities", "official", None, None, numbering=2023,
                       splits=(SplitRule("1507", "population"),))
    table, problems = load(node, year=2024)
    assert problems == [] and table.ids == ("3101", "1508", "1580")
    assert [r["kommunenummer"] for r in table.rows] == ["3001", "1507", "1507"]
    assert table.names == {"3101": "Halden", "1508": "Ålesund", "1580": "Haram"} and table.decimal_comma
