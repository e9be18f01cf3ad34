"""The apportionment routine and money formatting (properties: test_properties.py)."""

from fractions import Fraction

import pytest

from nhnprice.money import ZeroWeights, apportion, format_decimal, kroner, mill


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
