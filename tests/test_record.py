"""Record's shared __repr__, __eq__ and __hash__ behave as the ones attrs would compile.

Every node, graph class and result derives from Record; sets of diagnostics, the
cache keys and the tests' comparisons of results rely on these three methods.
"""

from __future__ import annotations

import attrs
from hypothesis import given
from hypothesis import strategies as st

from nhnprice.record import Record, frozen
from nhnprice.span import Span


@frozen
class Shared(Record):
    name: str
    amount: int
    parts: tuple[int, ...] = ()
    span: Span | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Compiled:
    """The same fields with attrs' own methods: what Shared must behave like."""

    name: str
    amount: int
    parts: tuple[int, ...] = ()
    span: Span | None = attrs.field(default=None, eq=False)


@frozen
class Other(Record):
    name: str
    amount: int
    parts: tuple[int, ...] = ()
    span: Span | None = attrs.field(default=None, eq=False)


values = st.tuples(st.sampled_from(["a", "b"]), st.integers(-2, 2), st.tuples(st.integers(0, 1)),
                   st.one_of(st.none(), st.builds(Span, st.just("f.nhp"), st.integers(1, 3), st.integers(1, 3))))


@given(values, values)
def test_equality_and_hash_are_attrs_own(x, y):
    shared, compiled = (Shared(*x), Shared(*y)), (Compiled(*x), Compiled(*y))
    assert (shared[0] == shared[1]) == (compiled[0] == compiled[1])
    assert (shared[0] != shared[1]) == (compiled[0] != compiled[1])
    if shared[0] == shared[1]:
        assert hash(shared[0]) == hash(shared[1])  # a span never counts, for either


def test_records_of_different_classes_are_never_equal():
    assert Shared("a", 1) != Other("a", 1)
    assert len({Shared("a", 1), Other("a", 1), Shared("a", 1, span=Span("f.nhp", 1, 1))}) == 2
    assert Shared("a", 1) != ("a", 1, (), None)


def test_repr_is_attrs_own():
    record, compiled = Shared("a", 1, (2,), Span("f.nhp", 3, 4)), Compiled("a", 1, (2,), Span("f.nhp", 3, 4))
    assert repr(record) == repr(compiled).replace("Compiled(", "Shared(")
    assert repr(Span("f.nhp", 3, 4)) == "Span(file='f.nhp', line=3, col=4, end_line=None, end_col=None)"
