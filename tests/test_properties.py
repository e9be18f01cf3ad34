"""Properties users rely on, searched by hypothesis (profiles `fast` and `thorough` in conftest.py).

- apportionment: exact sums, within quota, never negative, order independent but
  for ties (which follow the declared tie-break), scale invariant, equal to a
  slow obviously-correct reference allocator (and so is the NumPy fast path);
- the Alabama paradox: what does not hold (monotonicity) and what does
  (a larger total never lowers a part by more than one unit);
- nested splits conserve at every node; flat fees collect fee × 12 × members;
  a solved fee is the largest whole-krone fee within the share;
- the printer: random nodes print and parse back equal; `fmt` is idempotent;
- the parser: any text from the grammar, and any byte-level mutation of a real
  spec, gives nodes or our syntax diagnostic, never another exception.
"""

from __future__ import annotations

import random
from fractions import Fraction
from math import floor

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from conftest import SPEC_2024, TESTS
from nhnprice import nodes as n
from nhnprice.check import RESERVED, analyse, check
from nhnprice.data import Table
from nhnprice.evaluate import MONTHS, evaluate
from nhnprice.lower import lower
from nhnprice.money import apportion
from nhnprice.numbers import UNIT_ORE
from nhnprice.formatter import format_source
from nhnprice.printer import print_spec
from nhnprice.syntax import parse

# ---- apportionment


def reference_apportion(total: int, weights: dict, unit: int = 1) -> dict:
    """Largest remainder, written for clarity rather than speed: exact Fractions throughout; quotas
    of the exact total, the total's whole units given out."""
    units = total // unit
    weight_sum = sum(Fraction(w) for w in weights.values())
    quotas = {k: Fraction(total, unit) * Fraction(w) / weight_sum for k, w in weights.items()}
    parts = {k: floor(q) for k, q in quotas.items()}
    left = units - sum(parts.values())
    by_remainder = sorted(weights, key=lambda k: (-(quotas[k] - parts[k]), k))
    for k in by_remainder[:left]:
        parts[k] += 1
    return {k: v * unit for k, v in parts.items()}


ids = st.text("0123456789", min_size=4, max_size=4)
weight_values = st.one_of(st.integers(0, 10), st.integers(0, 10**9),
                          st.fractions(min_value=0, max_value=10**6, max_denominator=1000))
weight_maps = st.dictionaries(ids, weight_values, min_size=1, max_size=30).filter(lambda w: any(w.values()))
totals = st.integers(0, 10**12)
units = st.sampled_from([1, 100, 10_000_000])


@given(totals, weight_maps, units)
def test_parts_sum_exactly_to_the_total_in_whole_units(total, weights, unit):
    parts = apportion(total, weights, unit)
    assert set(parts) == set(weights)
    assert sum(parts.values()) == total // unit * unit
    assert all(p % unit == 0 for p in parts.values())


@given(totals, weight_maps, units)
def test_every_part_is_its_exact_quota_rounded_down_or_up_and_never_negative(total, weights, unit):
    # the exact quota of the whole total, also when it is not a whole number of units
    parts = apportion(total, weights, unit)
    weight_sum = sum(Fraction(w) for w in weights.values())
    for k, part in parts.items():
        quota = Fraction(total, unit) * Fraction(weights[k]) / weight_sum
        assert part >= 0
        assert floor(quota) * unit <= part <= -(-quota // 1) * unit


@given(totals, weight_maps, st.randoms(use_true_random=False))
def test_the_order_of_the_input_does_not_matter(total, weights, rnd):
    items = list(weights.items())
    rnd.shuffle(items)
    assert apportion(total, dict(items)) == apportion(total, weights)


@given(st.integers(0, 10**6), st.lists(ids, min_size=2, max_size=12, unique=True), st.integers(1, 1000))
def test_equal_remainders_go_to_the_lowest_ids_first(total, keys, w):
    parts = apportion(total, {k: w for k in keys})
    base, extra = divmod(total, len(keys))
    assert [parts[k] for k in sorted(keys)] == [base + 1] * extra + [base] * (len(keys) - extra)


@given(totals, weight_maps, st.integers(1, 10**6))
def test_scaling_every_weight_changes_nothing(total, weights, factor):
    assert apportion(total, {k: w * factor for k, w in weights.items()}) == apportion(total, weights)


@given(totals, weight_maps, units)
def test_the_routine_equals_the_obviously_correct_reference(total, weights, unit):
    assert apportion(total, weights, unit) == reference_apportion(total, weights, unit)


@given(totals, st.dictionaries(ids, st.integers(0, 10**9), min_size=1, max_size=40).filter(lambda w: any(w.values())),
       units)
def test_the_numpy_fast_path_equals_the_reference(total, weights, unit):
    numpy = pytest.importorskip("numpy")
    from nhnprice.money import apportion_array

    keys = list(weights)
    parts = apportion_array(total, numpy.array([weights[k] for k in keys], dtype=numpy.int64), unit, keys)
    assume(parts is not None)  # it declines only where 64-bit products could overflow
    assert dict(zip(keys, parts.tolist())) == reference_apportion(total, weights, unit)


def test_the_alabama_paradox_happens():
    # a larger total can give a part less: 10 -> 11 units takes one from `c` (its remainder is overtaken)
    weights = {"a": 6, "b": 6, "c": 2}
    assert apportion(10, weights) == {"a": 4, "b": 4, "c": 2}
    assert apportion(11, weights) == {"a": 5, "b": 5, "c": 1}


@given(totals, st.integers(0, 10**9), weight_maps, units)
def test_a_larger_total_never_lowers_a_part_by_more_than_one_unit(total, more, weights, unit):
    # part = floor(quota) or floor(quota) + 1 unit, and every quota grows with the total
    before, after = apportion(total, weights, unit), apportion(total + more, weights, unit)
    assert all(after[k] >= before[k] - unit for k in weights)


# ---- evaluation: nested splits, fees


def compile_text(text: str):
    spec, diagnostics = parse(text, "p.nhp")
    assert spec is not None, diagnostics
    checked = analyse(spec)
    problems = [d for d in checked.diagnostics if d.is_error]
    assert not problems, problems
    return lower(checked)


def key_table(name: str, weights: list) -> Table:
    ident = [f"{1000 + i:04d}" for i in range(len(weights))]
    return Table(name, "key", "(test)", tuple(ident), {}, dict(zip(ident, weights)), (), None)


def register_table(name: str, count: int) -> Table:
    ident = tuple(f"{900000000 + i}" for i in range(count))
    return Table(name, "register", "(test)", ident, {}, {}, (), None)


HEAD = """year 2024
rounding groups to %s
key k { file "k.csv" id i weight w provenance synthetic "test" }
"""


@st.composite
def split_trees(draw, depth=0):
    """Nested shares that add up at every level: `equally`, or explicit percents ending in `rest`."""
    count = draw(st.integers(1, 3))
    if count > 1 and draw(st.booleans()):
        shares = ["equally"] * count
    else:
        shares = [f"{draw(st.integers(1, 90 // count))} %" for _ in range(count - 1)] + ["rest"]
        if count == 1:
            shares = ["100 %"]
    out = []
    for share in shares:
        children = draw(split_trees(depth + 1)) if depth < 2 and draw(st.booleans()) else ""
        out.append(f"{share} {{ {children} }}" if children else share)
    return " ".join(out)


@given(split_trees(), st.integers(0, 10**11), st.lists(st.integers(0, 10**6), min_size=1, max_size=8),
       st.sampled_from(["1 øre", "1 kr", "0.1 mill"]))
def test_nested_splits_conserve_at_every_node(tree, cost, weights, rounding):
    assume(any(weights))
    graph = compile_text(HEAD % rounding + f"group g by k\npool p {{ cost {cost} øre g 100 % {{ {tree} }} }}")
    result, diagnostics = evaluate(graph, {"k": key_table("k", weights)})
    assert result is not None, diagnostics
    [pool] = result.pools
    unit = graph.group_unit_ore
    assert 0 <= pool.cost_ore - pool.collected_ore < unit  # pool -> groups, a residual under one unit
    assert sum(leg.amount_ore for leg in result.legs) == result.group_amount("p", "g")  # group -> legs
    for leg in result.legs:  # leg -> entities
        assert sum(a.amount_ore for a in result.allocations if a.leg == leg.leg) == leg.amount_ore
    assert all(a.amount_ore >= 0 for a in result.allocations)


FEE_SPEC = HEAD % "1 øre" + """register m { file "m.csv" id i provenance synthetic "test" }
group g by k
group f fee %s per member per month from m
pool p { cost %d kr f %d %% g rest }
"""


@given(st.integers(1, 5000), st.integers(1, 500), st.integers(0, 10**7), st.integers(1, 99))
def test_a_flat_fee_collects_fee_times_twelve_times_members_or_is_refused(fee_kr, members, cost_kr, pct):
    graph = compile_text(FEE_SPEC % (f"{fee_kr} kr", cost_kr, pct))
    tables = {"k": key_table("k", [1, 2]), "m": register_table("m", members)}
    result, diagnostics = evaluate(graph, tables)
    share = result.group_amount("p", "f") if result else None
    collected = fee_kr * 100 * MONTHS * members
    if result is None:
        assert [d.code for d in diagnostics] == ["V010"]  # more than the share: refused, never invoiced
        return
    [fee] = result.fees
    assert fee.collected_ore == collected <= share
    assert sum(a.amount_ore for a in result.allocations if a.group == "f") == collected


@given(st.integers(1, 2000), st.integers(0, 10**7), st.integers(1, 99))
def test_a_solved_fee_is_the_largest_whole_krone_fee_within_the_share(members, cost_kr, pct):
    graph = compile_text(FEE_SPEC % ("solve", cost_kr, pct))
    result, diagnostics = evaluate(graph, {"k": key_table("k", [1, 2]), "m": register_table("m", members)})
    assert result is not None, diagnostics
    [fee] = result.fees
    share = result.group_amount("p", "f")
    assert fee.fee_ore_per_month % 100 == 0
    assert fee.collected_ore == fee.fee_ore_per_month * MONTHS * members <= share
    assert (fee.fee_ore_per_month + 100) * MONTHS * members > share


# ---- the printer: random nodes print and parse back equal


names = st.from_regex(r"[a-zæøå][a-z0-9_æøå]{0,7}", fullmatch=True).filter(lambda s: s not in RESERVED)
texts = st.text(st.characters(blacklist_characters='"\n\r', blacklist_categories=("Cs", "Cc")), max_size=10)
decimals = st.builds(lambda whole, frac, places: Fraction(whole) + Fraction(frac % 10**places, 10**places),
                     st.integers(0, 10**7), st.integers(0, 999), st.integers(0, 3))


def name_nodes():
    return names.map(n.Name)


@st.composite
def amounts(draw, signed=False):
    unit = draw(st.sampled_from(sorted(UNIT_ORE)))
    value = draw(decimals)
    if signed and draw(st.booleans()):
        value = -value
    return n.Amount(value * UNIT_ORE[unit], unit)


percents = st.integers(1, 100_000).map(lambda k: Fraction(k, 100_000))  # 0.001 % .. 100 %
shares = st.one_of(
    percents.map(lambda v: n.Share("percent", v)),
    st.tuples(st.integers(1, 99), st.integers(1, 99)).map(lambda t: n.Share("fraction", Fraction(*t))),
    st.sampled_from([n.Share("half", Fraction(1, 2)), n.Share("equally", None), n.Share("rest", None)]),
)
carry_overs = st.builds(n.CarryOver, amounts(signed=True), texts)


def entries(depth=0):
    children = st.lists(entries(depth + 1), max_size=2).map(tuple) if depth < 2 else st.just(())
    return st.builds(n.Entry, st.none() | name_nodes(), shares, by=st.none() | name_nodes(),
                     among=st.none() | name_nodes(), label=st.none() | texts, children=children)


pools = st.builds(n.Pool, name_nodes(), st.none() | texts, st.none() | amounts(), reference=st.none() | texts,
                  note=st.none() | texts, entries=st.lists(entries(), max_size=3).map(tuple),
                  carry_over=st.none() | carry_overs)
expects = st.builds(n.Expect, st.none() | name_nodes(), amounts(), st.lists(name_nodes(), max_size=3).map(tuple),
                    st.none() | texts)
columns = st.one_of(names, texts.filter(lambda t: t.strip() == t))
datasets = st.builds(
    n.Dataset, st.sampled_from(["key", "register"]), name_nodes(), st.none() | texts, file=st.none() | texts,
    id_column=st.none() | columns, name_column=st.none() | columns, weight_column=st.none() | columns,
    entities=st.none() | st.sampled_from(["municipalities", "organisations"]),
    provenance=st.none() | st.builds(n.Provenance, st.sampled_from(["official", "proxy", "synthetic"]), texts),
    date=st.none() | texts, sheet=st.none() | texts, header_row=st.none() | st.integers(1, 10**4),
    last_row=st.none() | st.integers(1, 10**6), encoding=st.none() | st.sampled_from(["utf-8", "cp1252"]),
    numbering=st.none() | st.integers(1900, 2200),
    splits=st.lists(st.one_of(
        st.builds(n.Split, texts, st.just("population")),
        st.builds(n.Split, texts, st.just("into"), st.lists(
            st.builds(n.SplitPart, texts, st.none() | shares.filter(lambda sh: sh.kind in ("percent", "fraction"))),
            min_size=1, max_size=3).map(tuple))), max_size=2).map(tuple))
comparisons = st.builds(n.Comparison, columns, st.sampled_from([">=", "<=", ">", "<"]), decimals)


@st.composite
def categories(draw):
    """A fee category: a weight or an add-on, and a rule (`when` comparisons joined by and/or) or `otherwise`."""
    weight, addon = (draw(decimals), None) if draw(st.booleans()) else (None, draw(amounts()))
    rule = draw(st.none() | st.lists(st.lists(comparisons, min_size=1, max_size=2).map(tuple),
                                     min_size=1, max_size=2).map(tuple))
    return n.Category(draw(name_nodes()), draw(st.none() | texts), weight, addon, rule)


groups = st.builds(
    n.Group, name_nodes(), st.none() | texts, by=st.none() | name_nodes(),
    fee=st.none() | st.builds(n.Fee, st.none() | amounts(), name_nodes()),
    margin=st.none() | amounts().map(lambda a: n.Margin(amount=a)) | percents.map(lambda p: n.Margin(percent=p)),
    outside=st.booleans(), entity=st.none() | st.tuples(texts, st.none() | texts),
    members=st.none() | name_nodes(), carry_over=st.none() | carry_overs,
    categories=st.lists(categories(), max_size=3).map(tuple))
parameters = st.one_of(
    st.builds(n.Parameter, name_nodes(), st.just("percent"), percents, st.none() | texts),
    st.builds(n.Parameter, name_nodes(), st.just("amount"), amounts(), st.none() | texts),
    st.builds(n.Parameter, name_nodes(), st.just("count"), st.integers(0, 10**6).map(Fraction), st.none() | texts),
    st.builds(lambda name, reg, d: n.Parameter(name, "count", None, d, count_of=reg), name_nodes(), name_nodes(),
              st.none() | texts),
)
settings_nodes = st.one_of(
    st.builds(n.Setting, st.just("title"), texts), st.builds(n.Setting, st.just("source"), texts),
    st.builds(n.Setting, st.just("year"), st.integers(1900, 2200)),
    st.builds(n.Setting, st.sampled_from(["rounding_groups", "rounding_entities"]), amounts()),
)
sections = st.builds(n.Section, texts, st.none() | texts, st.lists(pools | expects, max_size=3).map(tuple))
statements = st.one_of(settings_nodes, datasets, groups, parameters, name_nodes().map(n.Adjust), pools, expects,
                       sections)
specs = st.lists(statements, max_size=8).map(lambda s: n.Spec("generated.nhp", tuple(s)))


@given(specs)
def test_random_nodes_print_and_parse_back_equal(spec):
    text = print_spec(spec)
    again, diagnostics = parse(text, "printed.nhp")
    assert diagnostics == [], text
    assert again == spec


@st.composite
def messy_texts(draw):
    """A spec's canonical text made untidy: extra blanks, joined lines, comments between tokens."""
    text = print_spec(draw(specs))
    out = []
    for line in text.split("\n"):
        if line.strip() and draw(st.booleans()):
            line = "   " + line.strip() + draw(st.sampled_from(["", "   ", "  # a note"]))
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(["# said before", "", "   "])))
        out.append(line)
    return "\n".join(out)


@given(messy_texts())
def test_fmt_is_canonical_idempotent_and_keeps_meaning_and_comments(text):
    formatted, diagnostics = format_source(text, "messy.nhp")
    assert formatted is not None, diagnostics
    assert format_source(formatted, "again.nhp")[0] == formatted
    before, _ = parse(text, "messy.nhp")
    after, _ = parse(formatted, "formatted.nhp")
    assert after == before
    words = lambda spec: sorted(c.text for c in spec.comments)  # noqa: E731
    assert " ".join(words(after)).split() == " ".join(words(before)).split()


# ---- the parser never fails with anything but our diagnostic


def parses_or_says_why(text: str) -> None:
    spec, diagnostics = parse(text, "fuzz.nhp")
    if spec is None:
        assert diagnostics and all(d.code.startswith("E0") and d.is_error for d in diagnostics)
    else:
        check(spec)  # and the checker copes with whatever parsed


def grammar_texts():
    from hypothesis.extra.lark import from_lark
    from lark import Lark

    from nhnprice.syntax import grammar_text

    explicit = {
        "NUMBER": st.from_regex(r"\d{1,4}([.,]\d{1,2})?", fullmatch=True),
        "NAME": names,
        "STRING": texts.map(lambda t: f'"{t}"'),
        "COMMENT": st.just("# c"),
    }
    # a parser of our own: the cached one is loaded from tables and has no grammar to draw from
    return from_lark(Lark(grammar_text(), parser="lalr", lexer="contextual"), start="start", explicit=explicit)


@given(st.deferred(grammar_texts))
def test_any_text_the_grammar_generates_parses_or_is_our_syntax_error(text):
    parses_or_says_why(text)


REAL_SPECS = [SPEC_2024.read_bytes(), *(p.read_bytes() for p in sorted((TESTS / "good").glob("*.nhp")))]


@given(st.sampled_from(range(len(REAL_SPECS))), st.lists(st.tuples(st.sampled_from(["delete", "insert", "replace"]),
                                                               st.floats(0, 1), st.binary(min_size=1, max_size=3)),
                                                     min_size=1, max_size=6))
def test_byte_mutations_of_real_specs_give_nodes_or_our_diagnostic(which, mutations):
    data = bytearray(REAL_SPECS[which])
    for op, where, chunk in mutations:
        i = min(int(where * len(data)), len(data) - 1)
        if op == "delete":
            del data[i:i + len(chunk)]
        elif op == "insert":
            data[i:i] = chunk
        else:
            data[i:i + len(chunk)] = chunk
    parses_or_says_why(bytes(data).decode("utf-8", errors="replace"))


def test_the_shuffled_2024_spec_still_round_trips():
    # a fixed companion to the properties above: the real spec's statements in another order
    spec, _ = parse(SPEC_2024.read_text(encoding="utf-8"), "2024.nhp")
    shuffled = list(spec.statements)
    random.Random(3).shuffle(shuffled)
    moved = n.Spec("x", tuple(shuffled))
    assert parse(print_spec(moved), "x")[0] == moved
