"""Large files are read a column at a time; what they give must not depend on it.

`data._plain_rows` reads a CSV file whose rows need no message (ids present,
valid and unique, weights in plain digits) a column at a time, and leaves any
other file to the row-by-row checks. Whatever the file, the table and the
diagnostics are those of the row-by-row checks alone, and a table stored in the
cache (packed into a few strings) comes back equal, order included.
"""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhnprice import data
from nhnprice.graph import DatasetNode
from nhnprice.readers import read_rows

VALID = ["974761122", "983544622", "991324968", "983658725", "883974832", "800117275"]
ids = st.sampled_from(VALID + ["974761123", "12345678", " 983544622", "98354462x", "", "97476 1122"])
weights = st.sampled_from(["1", "0", "15221", "007", "1 234", "0,5", "-3", "", "x", "١٢"])
names = st.sampled_from(["A", " Bø ", "", "C, D", 'E "F"'])


def node(kind: str, entities: str | None) -> DatasetNode:
    return DatasetNode("d", kind, None, "d.csv", "d.csv", "id", "navn", "w" if kind == "key" else None, entities,
                       "synthetic", "test", None)


def table_and_messages(raw: bytes, dataset: DatasetNode, plain: bool):
    sheet, problems = read_rows("d.csv", data.layout(dataset), raw)
    assert sheet is not None, problems
    with pytest.MonkeyPatch.context() as patch:
        if not plain:
            patch.setattr(data, "_plain_rows", lambda *args: None)
        table, found = data._rows(dataset, sheet, 2024)
    if table is None:
        return None, found
    return (table, tuple(table.lines), list(table.rows), list(table.names.items()), list(table.weights.items())), found


@given(st.lists(st.tuples(ids, names, weights), min_size=1, max_size=8), st.sampled_from(["key", "register"]),
       st.sampled_from(["organisations", None]), st.booleans())
def test_column_at_a_time_gives_what_row_by_row_gives(rows, kind, entities, blank_line):
    lines = ["id,navn,w"] + [f'{i},"{n.replace(chr(34), chr(34) * 2)}",{w}' for i, n, w in rows]
    if blank_line:
        lines.insert(2, "")
    raw = ("\n".join(lines) + "\n").encode()
    dataset = node(kind, entities)
    assert table_and_messages(raw, dataset, True) == table_and_messages(raw, dataset, False)


def test_a_valid_key_takes_the_column_path_and_survives_the_cache():
    raw = ("id,navn,w\n" + "".join(f"{i},Navn {k},{k}\n" for k, i in enumerate(VALID))).encode()
    sheet, _ = read_rows("d.csv", data.layout(node("key", "organisations")), raw)
    assert data._plain_rows(node("key", "organisations"), sheet, {"id": 0, "name": 1, "weight": 2}) is not None
    table, found = data._rows(node("key", "organisations"), sheet, 2024)
    assert found == [] and table.lines == range(2, 8)
    again = pickle.loads(pickle.dumps(table))
    assert again == table and list(again.weights.items()) == list(table.weights.items())
    assert list(again.names.items()) == list(table.names.items()) and tuple(again.lines) == tuple(table.lines)
    assert list(again.rows) == list(table.rows) and again.rows[0] == {"id": VALID[0], "navn": "Navn 0", "w": "0"}


def test_the_mod11_table_agrees_with_python_stdnum():
    from stdnum.no import orgnr

    for number in range(800_000_000, 800_003_000):
        text = str(number)
        assert (data._organisation(text) is not None) == orgnr.is_valid(text)
        assert data._valid_organisation_numbers([text]) == orgnr.is_valid(text)
