"""The parser and the printer: text -> nodes -> text."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from conftest import SPEC_2024, TESTS
from nhnprice import nodes as n
from nhnprice.printer import print_spec
from nhnprice.syntax import parse, parse_file

HEADER = 'title "t"\nyear 2024\n'


def test_the_2024_spec_parses_and_prints_back_to_equal_nodes():
    spec, diagnostics = parse_file(SPEC_2024)
    assert diagnostics == []
    again, diagnostics = parse(print_spec(spec), "printed.nhp")
    assert diagnostics == []
    assert again == spec


def test_printing_is_idempotent():
    for path in [SPEC_2024, *sorted((TESTS / "good").glob("*.nhp"))]:
        spec, _ = parse_file(path)
        once = print_spec(spec)
        assert print_spec(parse(once, "x")[0]) == once


def test_amounts_in_every_unit_and_notation_are_exact_ore():
    spec, d = parse(HEADER + "pool p { cost 88,3 mill } pool q { cost 1 570 kr } pool r { cost 157000 øre }"
                    " pool s { cost 264.9 mill. }", "x.nhp")
    assert d == []
    costs = [p.cost.ore for _, p in spec.pools()]
    assert costs == [8_830_000_000, 157_000, 157_000, 26_490_000_000]


def test_shares_percent_fraction_and_words():
    spec, d = parse(HEADER + "pool p { cost 1 kr a 43,5 % b 1/3 c half d equally e rest }", "x.nhp")
    assert d == []
    shares = [(e.share.kind, e.share.value) for e in spec.pools()[0][1].entries]
    assert shares == [("percent", Fraction(87, 200)), ("fraction", Fraction(1, 3)), ("half", Fraction(1, 2)),
                      ("equally", None), ("rest", None)]


def test_the_vkp_rule_reads_like_the_regulation():
    text = HEADER + """
    pool vkp "Velferdsteknologisk knutepunkt" {
      cost 27.1 mill
      kommuner 95 % {
        half by kommunehelse "alle kommuner"
        half by kommunehelse among vkp_i_bruk "kommuner som bruker VKP"
      }
      rhf 5 %
    }"""
    spec, d = parse(text, "x.nhp")
    assert d == []
    kommuner = spec.pools()[0][1].entries[0]
    assert kommuner.group == n.Name("kommuner")
    assert [c.among for c in kommuner.children] == [None, n.Name("vkp_i_bruk")]


def test_comments_and_newlines_carry_no_meaning():
    a, _ = parse(HEADER + "pool p { cost 1 kr  a 1/2  b 1/2 }", "a")
    b, _ = parse(HEADER + "# a comment\npool p {\n  cost 1 kr # the cost\n  a 1/2\n  b 1/2\n}\n", "b")
    assert a == b


def test_syntax_error_is_one_diagnostic_with_position_and_hint():
    spec, diagnostics = parse(HEADER + "pool p {\n  cost 1 kr\n  a 50 % %\n}\n", "x.nhp")
    assert spec is None
    [d] = diagnostics
    assert (d.span.line, d.span.col) == (5, 10)
    assert d.code == "E001" and "expected" in d.hint


def test_unterminated_block_names_the_block_it_leaves_open():
    spec, [d] = parse(HEADER + "pool p {\n  cost 1 kr\n", "x.nhp")
    assert spec is None and d.code == "E007"
    assert d.message == "pool `p` is not closed: its `}` is missing"
    assert (d.span.line, d.span.col) == (3, 8) and d.hint == "add `}` after line 4"


def test_every_syntax_error_is_reported_once_where_it_is_fixed():
    text = HEADER + ("gruop g by k\n"                     # a misspelled keyword
                     "pool p {\n  kost 1 kr\n  a 100 %\n}\n"  # a misspelled field, read as a group's name
                     "pool q {\n  cost 2 kroners\n  a 100 %\n}\n"  # a wrong unit
                     "pool r {\n  cost 1 kr\n  a 50 % %\n  b 50 %\n}\n")  # a stray symbol
    spec, diagnostics = parse(text, "x.nhp")
    assert spec is None
    found = [(d.code, d.span.line, d.span.col, d.span.end_col, d.hint) for d in diagnostics]
    assert found == [("E009", 3, 1, 6, "did you mean `group`?"),
                     ("E009", 5, 3, 7, "did you mean `cost`?"),
                     ("E008", 9, 10, 17, "did you mean `kroner`?"),
                     ("E001", 14, 10, 11, found[3][4])]
    assert found[3][4].startswith("expected ")


def test_a_missing_brace_is_placed_by_the_indentation():
    text = HEADER + ('section "s" {\n  pool p {\n    cost 1 kr\n    a 100 % {\n      half\n      half\n'
                     '    b 0 %\n  }\n  expect all pay 1 kr\n}\n')
    _, [d] = parse(text, "x.nhp")
    assert d.message == "the block of shares of `a` is not closed: its `}` is missing"
    assert (d.span.line, d.span.col) == (6, 13) and d.hint == "add `}` after line 8"


def test_norwegian_words_for_keywords_are_suggested():
    _, [d] = parse(HEADER + "gruppe g by k\n", "x.nhp")
    assert d.code == "E009" and d.hint == "did you mean `group`?"
    _, [d] = parse(HEADER + "pool p {\n  cost 1 kr\n  a 55,0 prosent\n  b 45 %\n}\n", "x.nhp")
    assert (d.message, d.hint, d.span.line, d.span.col) == ("unknown word `prosent`", "did you mean `%`?", 5, 10)


def test_a_missing_name_is_said_to_be_missing_where_it_goes():
    _, [d] = parse(HEADER + 'pool p {\n  cost 1 kr\n  a 100 % {\n    half by "alle"\n    half\n  }\n}\n', "x.nhp")
    assert (d.message, d.span.line, d.span.col) == ("a name is missing after `by`", 6, 12)


def test_byte_order_mark_is_ignored():
    spec, d = parse("\ufeff" + HEADER, "x.nhp")
    assert d == [] and spec.settings()["year"].value == 2024


def test_every_data_set_field_prints_and_parses_back():
    text = HEADER + '''
key k "K" {
  file "gront-hefte.xlsx"
  id "Kommune- nummer"
  name kommunenavn
  weight Kommunehelse
  entities municipalities
  provenance official "Grønt hefte 2024, tabell C-k"
  date "2024-01-01"
  sheet "Tabell C-k"
  header row 3
  last row 360
  encoding "cp1252"
  numbering 2023
  split "1507" into "1508" 89,5 %, "1580" 21/200
}

register r {
  file "r.csv"
  id kommunenummer
  entities municipalities
  split "1507" by population
}
'''
    spec, d = parse(text, "x.nhp")
    assert d == []
    key, register = spec.of_type(n.Dataset)
    assert (key.sheet, key.header_row, key.last_row, key.encoding, key.numbering) == (
        "Tabell C-k", 3, 360, "cp1252", 2023)
    [split] = key.splits
    assert [(p.id, p.share.value) for p in split.parts] == [("1508", Fraction(179, 200)), ("1580", Fraction(21, 200))]
    assert register.splits == (n.Split("1507", "population"),)
    printed = print_spec(spec)
    assert parse(printed, "printed.nhp")[0] == spec
    assert 'split "1507" into "1508" 89.5 %, "1580" 21/200' in printed


def test_data_set_fields_round_trip_for_any_combination():
    from hypothesis import given
    from hypothesis import strategies as st

    text = st.text(alphabet="abcæøå ABC-_0123456789.", max_size=12)
    number = st.integers(min_value=1, max_value=10_000)
    split = st.one_of(
        st.builds(n.Split, st.just("1507"), st.just("population")),
        st.builds(n.Split, st.just("1507"), st.just("into"), st.tuples(
            st.builds(n.SplitPart, st.just("1508"), st.one_of(st.none(), st.builds(
                n.Share, st.just("percent"), st.integers(1, 99).map(lambda p: Fraction(p, 100))))),
            st.builds(n.SplitPart, st.just("1580"), st.one_of(st.none(), st.builds(
                n.Share, st.just("fraction"), st.integers(1, 9).map(lambda p: Fraction(p, 10))))))))
    dataset = st.builds(
        n.Dataset, st.sampled_from(["key", "register"]), st.just(n.Name("d")), st.one_of(st.none(), text),
        file=st.one_of(st.none(), text), id_column=st.one_of(st.none(), text), name_column=st.one_of(st.none(), text),
        weight_column=st.one_of(st.none(), text), entities=st.sampled_from([None, "municipalities", "organisations"]),
        provenance=st.one_of(st.none(), st.builds(n.Provenance, st.sampled_from(["official", "proxy", "synthetic"]),
                                                  text)),
        date=st.one_of(st.none(), text), sheet=st.one_of(st.none(), text), header_row=st.one_of(st.none(), number),
        last_row=st.one_of(st.none(), number), encoding=st.one_of(st.none(), text),
        numbering=st.one_of(st.none(), st.integers(2020, 2030)), splits=st.lists(split, max_size=2).map(tuple))

    @given(dataset)
    def round_trip(d):
        spec = n.Spec("x.nhp", (d,))
        again, problems = parse(print_spec(spec), "x.nhp")
        assert problems == [] and again == spec

    round_trip()


@given(st.data())
def test_any_damage_to_a_spec_gives_diagnostics_inside_the_text_never_an_exception(data):
    """Cut, doubled or swapped pieces of the 2024 spec: every syntax error is found and placed
    inside the text, however broken it is."""
    text = SPEC_2024.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(text) - 1))
        j = data.draw(st.integers(i, min(len(text), i + 40)))
        piece = data.draw(st.sampled_from(["", text[i:j] * 2, "}", "{", '"', "%", " kost ", " rnal ", " 12 ", "\n"]))
        text = text[:i] + piece + text[j:]
    spec, diagnostics = parse(text, "x.nhp")
    lines = text.split("\n")
    for d in diagnostics:
        assert 1 <= d.span.line <= len(lines) and d.span.col >= 1
        assert (d.span.end_line, d.span.end_col) > (d.span.line, d.span.col)
    if spec is None:
        assert diagnostics
    assert len({d.span.line for d in diagnostics if d.code in ("E001", "E008", "E009")}) == \
        len([d for d in diagnostics if d.code in ("E001", "E008", "E009")])  # at most one per line


def test_the_policy_on_excess_parses_prints_back_and_belongs_to_fee_groups_only():
    from nhnprice.check import check

    text = HEADER + ('register m { file "m.csv" id i }\n'
                     'group a fee 10 kr per member per month from m excess carried over "neste år"\n'
                     'group b fee 10 kr per member per month from m excess carried over\n'
                     'group c entity "983544622" excess carried over\n')
    spec, diagnostics = parse(text, "x.nhp")
    assert diagnostics == []
    groups = {g.name.text: g for g in spec.of_type(n.Group)}
    assert groups["a"].excess.reference == "neste år" and groups["b"].excess.reference is None
    assert parse(print_spec(spec), "again.nhp")[0] == spec
    assert "excess carried over \"neste år\"" in print_spec(spec)
    assert [d.code for d in check(spec) if d.code == "E128"] == ["E128"]  # only `c`, which pays no fee
