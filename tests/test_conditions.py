"""Registers filtered by a column's value, and fee categories on text columns and yes/no flags."""

from __future__ import annotations

import csv

from conftest import ROOT, SPEC_2024
from nhnprice.check import check
from nhnprice.pipeline import compile_text, load_data, run
from nhnprice.printer import print_spec
from nhnprice.syntax import parse
from test_scenarios import SPEC_2027, _evaluate, _evaluate_problems

REGISTER_2027 = ROOT / "specs" / "data" / "2027" / "individuelle_medlemmer.csv"


def _forms() -> list[str]:
    with open(REGISTER_2027, encoding="utf-8") as f:
        return [row["organisasjonsform"] for row in csv.DictReader(f)]


def test_the_2027_example_counts_the_enk_and_as_members_its_filtered_register_holds():
    result, diagnostics = run(str(SPEC_2027))
    assert result is not None, diagnostics
    expected = sum(form in ("ENK", "AS") for form in _forms())
    assert result.parameters["selvstendige_medlemmer"] == expected == len(result.tables["selvstendige"])
    assert 0 < expected < len(_forms())
    assert all(row["organisasjonsform"] in ("ENK", "AS") for row in result.tables["selvstendige"].rows)


def test_among_a_register_where_a_column_has_a_value_limits_the_share_to_those_rows():
    text = SPEC_2024.read_text(encoding="utf-8").replace(
        "half by kommunehelse among vkp_i_bruk ", 'half by kommunehelse among vkp_i_bruk where kommunenavn != "Oslo" ')
    path = SPEC_2024.parent / "filtered.nhp"
    result = _evaluate(text, path=path)
    legs = {leg.leg: leg for leg in result.legs if leg.pool == "vkp" and leg.group == "kommuner"}
    oslo = [a for a in result.allocations if a.pool == "vkp" and a.entity == "0301"]
    assert [a.leg for a in oslo] == [min(legs)]  # Oslo pays the half of all, not the adopters' half
    adopters = result.tables['vkp_i_bruk where kommunenavn != "Oslo"']
    assert len(adopters) == len(result.tables["vkp_i_bruk"]) - 1
    assert legs[max(legs)].entities == len(adopters)
    assert sum(a.amount_ore for a in result.allocations if a.pool == "vkp" and a.leg == max(legs)) == \
        legs[max(legs)].amount_ore


MEMBERS = "organisasjonsnummer,navn,organisasjonsform,egen_avtale\n" \
          "983544622,A,ENK,ja\n974761122,B,AS,nei\n971526920,C,ENK,\n991324968,D,STI,Yes\n"


def _fee_spec(tmp_path, rows: str = MEMBERS) -> str:
    (tmp_path / "m.csv").write_text(rows, encoding="utf-8")
    return ('year 2027\nregister m { file "m.csv" id organisasjonsnummer name navn entities organisations '
            'provenance synthetic "t" }\n'
            'group o fee 100 kr per member per month from m categories {\n'
            '  avtale "Med egen avtale" add-on 50 kr when egen_avtale = yes\n'
            '  enk "ENK uten avtale" add-on 10 kr when organisasjonsform = "ENK" and egen_avtale = no\n'
            '  andre add-on 0 kr otherwise\n}\n'
            'group b entity "1"\npool p { cost 1 mill o 10 % b rest }\n')


def test_fee_categories_test_text_columns_and_yes_no_flags(tmp_path):
    result = _evaluate(_fee_spec(tmp_path), path=tmp_path / "x.nhp")
    [fee] = result.fees
    assert [(c.id, c.members, c.fee_ore_per_month) for c in fee.categories] == \
        [("avtale", 2, 15_000), ("enk", 1, 11_000), ("andre", 1, 10_000)]


def test_a_flag_that_is_neither_yes_nor_no_is_an_error_at_its_row(tmp_path):
    spec = _fee_spec(tmp_path, MEMBERS + "994039113,E,AS,kanskje\n")
    result, problems = _evaluate_problems(spec, path=tmp_path / "x.nhp")
    assert result is None and [p.code for p in problems] == ["V032"]
    assert problems[0].span.line == 6 and "`kanskje`" in problems[0].message


def test_a_filtered_register_needs_a_register_and_a_column_it_has(tmp_path):
    (tmp_path / "m.csv").write_text(MEMBERS, encoding="utf-8")
    head = ('year 2027\nregister m { file "m.csv" id organisasjonsnummer entities organisations '
            'provenance synthetic "t" }\nkey k { file "m.csv" id organisasjonsnummer weight egen_avtale '
            'provenance synthetic "t" }\n')
    tail = 'group b entity "1"\npool p { cost 1 mill b 100 % }\n'
    spec, _ = parse(head + 'key s from m where organisasjonsform = "ENK"\nregister t from k where x = yes\n' + tail)
    assert [d.code for d in check(spec) if d.is_error] == ["E180", "E180"]
    register = head.split("\nkey")[0] + "\n"
    graph, _ = compile_text(register + 'register s from m where form = "ENK"\n' + tail, str(tmp_path / "x.nhp"))
    tables, problems = load_data(graph)
    assert [p.code for p in problems] == ["V033"] and "`form`" in problems[0].message and "s" not in tables


def test_filters_and_text_tests_print_as_they_parse():
    text = ('year 2027\nregister s "S" from m where organisasjonsform = "ENK" or organisasjonsform != "AS" and a = no\n'
            'pool p {\n  cost 1 mill\n  k 100 % by x among r where navn = "Oslo"\n}\n')
    spec, diagnostics = parse(text)
    assert spec is not None, diagnostics
    again, _ = parse(print_spec(spec))
    assert again == spec
