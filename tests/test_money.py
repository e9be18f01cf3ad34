"""The apportionment routine and money formatting (properties: test_properties.py)."""

from fractions import Fraction

import pytest

from nhnprice.money import ZeroWeights, apportion
from nhnprice.numbers import format_decimal, kroner, mill


def test_regulation_rounding_of_eresept_to_tenths_of_a_million():
    # 133.1 mill. split 43.5/43.5/10/2/1 %: the regulation's 57.9/57.9/13.3 and 2.7 + 1.3 = 4.0 outside it
    shares = {"rhf": Fraction(87, 200), "kommuner": Fraction(87, 200), "apotek": Fraction(1, 10),
              "helfo": Fraction(1, 50), "slv": Fraction(1, 100)}
    parts = apportion(13_310_000_000, shares, unit=10_000_000)
    assert parts == {"rhf": 5_790_000_000, "kommuner": 5_790_000_000, "apotek": 1_330_000_000,
                     "helfo": 270_000_000, "slv": 130_000_000}


def test_equal_remainders_go_to_the_lower_key_first():
    assert apportion(2, {"b": 1, "a": 1, "c": 1}) == {"b": 1, "a": 1, "c": 0}
    assert apportion(1, {"0301": 1, "0101": 1}) == {"0301": 0, "0101": 1}


def test_unit_leaves_a_residual_below_one_unit():
    parts = apportion(1050, {"x": 1, "y": 1}, unit=100)
    assert parts == {"x": 500, "y": 500}  # 50 øre stays with the caller as a declared residual


def test_zero_weights_cannot_take_money():
    with pytest.raises(ZeroWeights):
        apportion(100, {"a": 0, "b": 0})
    assert apportion(0, {"a": 0}) == {"a": 0}


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError):
        apportion(-1, {"a": 1})
    with pytest.raises(ValueError):
        apportion(10, {"a": -1, "b": 2})


def test_norwegian_number_formatting_is_exact_and_half_up():
    assert mill(8_830_000_000) == "88,3"
    assert mill(135_500_000) == "1,4"  # 1.355 shown half up, display only
    assert kroner(157_000) == "1\u00a0570"
    assert kroner(1_250) == "12,50"
    assert format_decimal(Fraction(-5, 2), 0) == "-3"


# The vectorised NumPy path must give exactly what the pure-Python routine gives.
numpy = pytest.importorskip("numpy")

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from nhnprice import money  # noqa: E402


@given(total=st.integers(0, 10**12), unit=st.sampled_from([1, 100, 10_000_000]),
       weights=st.dictionaries(st.text("0123456789", min_size=4, max_size=4),
                               st.one_of(st.integers(0, 3), st.integers(0, 10**9)), min_size=1, max_size=40))
def test_vectorised_apportionment_equals_the_reference_routine(total, unit, weights):
    if not any(weights.values()):
        return
    expected = apportion(total, weights, unit)  # below VECTORISE_FROM: the pure-Python path
    keys = list(weights)
    array = numpy.fromiter(weights.values(), dtype=numpy.int64, count=len(keys))
    parts = money.apportion_array(total, array, unit, keys)
    if parts is None:  # it declines only when 64-bit products could overflow
        assert max(total, unit * len(weights)) * max(weights.values()) > 2**63 - 1
    else:
        assert dict(zip(keys, parts.tolist())) == expected


def test_large_keys_take_the_vectorised_path_and_stay_exact():
    weights = {f"{i:07d}": (i * 7919) % 1000 for i in range(money.VECTORISE_FROM + 5)}
    parts = apportion(10**10 + 7, weights)
    assert sum(parts.values()) == 10**10 + 7
    assert all(type(v) is int for v in parts.values())


@pytest.mark.parametrize("shape", ["uniform", "few distinct weights", "sorted", "one giant"])
def test_the_sampled_bracket_for_a_million_sized_key_is_exact(shape):
    """Above 65 536 parts, a sample narrows the search for the largest remainders;
    a skewed key or many ties may defeat the sample, which must cost time, never exactness."""
    rng = numpy.random.default_rng(2024)
    n = 70_001
    if shape == "uniform":
        array = rng.integers(1, 400_000, n, dtype=numpy.int64)
    elif shape == "few distinct weights":
        array = rng.integers(1, 4, n, dtype=numpy.int64)
    elif shape == "sorted":
        array = numpy.sort(rng.integers(0, 10**6, n, dtype=numpy.int64))
    else:
        array = numpy.ones(n, dtype=numpy.int64)
        array[n // 2] = 10**7
    keys = [f"{i:06d}" for i in rng.permutation(n)]
    total = 12_345_678_901
    parts = money.apportion_array(total, array, 1, keys)
    reference = dict(zip(keys, array.tolist()))
    saved, money.VECTORISE_FROM = money.VECTORISE_FROM, 10**12  # force the pure-Python routine
    try:
        expected = apportion(total, reference)
    finally:
        money.VECTORISE_FROM = saved
    assert dict(zip(keys, parts.tolist())) == expected


@given(per_row=st.integers(0, 10**7), rows=st.integers(0, 300),
       weights=st.dictionaries(st.sampled_from("abcdefgh"), st.integers(1, 10**6), min_size=1))
def test_equal_rows_sum_to_the_row_and_each_column_to_its_apportionment(per_row, rows, weights):
    """A flat fee split across pools member by member: every member pays exactly the fee,
    and no pool gets more than its share of the whole rounded up by one øre."""
    columns = money.apportion_equal_columns(per_row, rows, weights)
    assert list(columns) == list(weights) and all(len(c) == rows for c in columns.values())
    out = [dict(zip(columns, row)) for row in zip(*columns.values())]
    assert len(out) == rows and all(sum(row.values()) == per_row for row in out)
    if rows:
        whole = apportion(per_row * rows, weights)
        assert {k: sum(row[k] for row in out) for k in weights} == whole
        floor = {k: per_row * w // sum(weights.values()) for k, w in weights.items()}
        assert all(floor[k] <= row[k] <= floor[k] + 1 for row in out for k in weights)
