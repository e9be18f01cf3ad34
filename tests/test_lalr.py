"""The parser that runs on Lark's cached tables (`nhnprice.lalr`) gives what Lark gives.

`syntax.parse` parses with the tables once they are in the cache, and with Lark
only what they cannot parse. Whatever the text, the two must agree to the last
span and comment: the same nodes for a text Lark accepts, and no text refused
that Lark accepts (Lark then reports the error, so the diagnostics are Lark's).
"""

from __future__ import annotations

import attrs
from hypothesis import given
from hypothesis import strategies as st
from test_properties import REAL_SPECS, grammar_texts, messy_texts

from conftest import ROOT
from nhnprice import lalr, syntax


def everything(value):
    """A value with every field, spans included (node equality leaves spans out)."""
    if attrs.has(type(value)):
        return (type(value).__name__, *((f.name, everything(getattr(value, f.name))) for f in attrs.fields(type(value))))
    if isinstance(value, (tuple, list)):
        return tuple(everything(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, everything(v)) for k, v in value.items()))
    return type(value).__name__, repr(value)


def fast(text: str):
    """The nodes and comments of the table-driven parse, or None when it leaves the text to Lark."""
    to_nodes = syntax._ToNodes("t.nhp")
    try:
        spec = lalr.parse(text, syntax._tables(), lambda name, meta, items: getattr(to_nodes, name)(meta, items))
    except lalr.Mismatch:
        return None
    return attrs.evolve(spec, comments=syntax._comments(text)), to_nodes.problems


def agrees_with_lark(text: str) -> bool:
    """True when the table-driven parse took the text (and gave exactly Lark's result)."""
    mine = fast(text)
    spec, diagnostics = syntax._lark_parse(text, "t.nhp")
    if mine is None:
        assert spec is None and diagnostics, "a text Lark parses was refused"
        return False
    assert spec is not None or diagnostics == mine[1]
    if spec is not None:
        assert everything(mine[0]) == everything(spec)
    return True


def test_the_tables_come_from_the_cache_and_parse_every_real_spec():
    assert syntax._tables() is not None  # tests run with a private cache: the tables are made and kept
    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("specs/**/*.nhp"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests").glob("**/*.nhp"))]
    taken = [agrees_with_lark(text) for text in texts]
    assert sum(taken) >= len(texts) - 3  # all but the files with syntax errors on purpose


def test_a_keyword_is_a_name_where_no_keyword_fits_and_a_year_is_a_whole_number():
    text = ('key k { file "k.csv" id id name name weight weight }\nyear 2024\n'
            'pool p { cost 1 570,5 kr  a 30 % { half  rest } }\n')
    assert agrees_with_lark(text)
    key = fast(text)[0].statements[0]
    assert (key.id_column, key.name_column, key.weight_column) == ("id", "name", "weight")


def test_text_that_does_not_parse_goes_to_lark_for_its_message():
    assert fast("pool p { cost 1 mill") is None
    spec, diagnostics = syntax.parse("pool p { cost 1 mill", "t.nhp")
    assert spec is None and diagnostics[0].code == "E001"
    assert fast("pool p { a 1/0 b rest }")[0] is not None  # a zero fraction is the checker's to report


@given(st.deferred(grammar_texts))
def test_any_text_the_grammar_generates_parses_as_lark_parses_it(text):
    agrees_with_lark(text)


@given(messy_texts())
def test_untidy_specs_with_comments_parse_as_lark_parses_them(text):
    assert agrees_with_lark(text)


@given(st.sampled_from(range(len(REAL_SPECS))), st.integers(0, 10**6), st.text(max_size=3))
def test_edited_real_specs_parse_as_lark_parses_them(which, where, inserted):
    text = REAL_SPECS[which].decode("utf-8")
    i = where % (len(text) + 1)
    agrees_with_lark(text[:i] + inserted + text[i:])


def test_damaged_tables_make_lark_parse_not_a_traceback(monkeypatch):
    tables = syntax._tables()
    # every action a reduction by a rule that is not there: an IndexError inside the driver
    monkeypatch.setattr(tables, "states", [{symbol: -10**6 for symbol in state} for state in tables.states])
    spec, diagnostics = syntax.parse('title "x"\nyear 2024\n', "t.nhp")
    assert diagnostics == [] and spec.statements[1].value == 2024
