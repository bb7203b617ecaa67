"""Money formatting and parsing (core.money) and the `rupiah` template filter."""

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from pandai.core.money import MoneyError, format_rp, parse_rp
from pandai.core.templatetags.pandai import rupiah


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "Rp0"),
        (5, "Rp5"),
        (999, "Rp999"),
        (1000, "Rp1.000"),
        (1_000_000, "Rp1.000.000"),
        (1_234_567, "Rp1.234.567"),
        (-25_000, "-Rp25.000"),
        (12_345_678_901, "Rp12.345.678.901"),
    ],
)
def test_format_rp_groups_thousands_with_dots(amount, text):
    assert format_rp(amount) == text


def test_format_rp_sign_marks_credits_only():
    assert format_rp(2500, sign=True) == "+Rp2.500"
    assert format_rp(-2500, sign=True) == "-Rp2.500"
    assert format_rp(0, sign=True) == "Rp0"


@pytest.mark.parametrize("bad", [1.5, 10.0, "1000", None, True])
def test_format_rp_refuses_anything_but_whole_rupiah(bad):
    with pytest.raises(MoneyError):
        format_rp(bad)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("0", 0),
        ("1234567", 1_234_567),
        ("1.234.567", 1_234_567),
        ("Rp 1.234.567", 1_234_567),
        ("Rp1.000", 1000),
        ("rp 50.000", 50_000),
        ("1.234.567,00", 1_234_567),
        ("  25000 ", 25_000),
    ],
)
def test_parse_rp_reads_the_ways_people_write_amounts(text, amount):
    assert parse_rp(text) == amount


@pytest.mark.parametrize(
    "bad", ["", "   ", "Rp", "-5000", "12,5", "1.234,50", "10.5e3", "seribu", "1 000x", "+100"]
)
def test_parse_rp_refuses_fractions_negatives_and_words(bad):
    with pytest.raises(MoneyError):
        parse_rp(bad)


@given(st.integers(min_value=0, max_value=10**15))
def test_parse_reads_back_what_format_writes(amount):
    assert parse_rp(format_rp(amount)) == amount


def test_rupiah_filter_in_a_template():
    out = Template("{% load pandai %}{{ a|rupiah }} {{ b|rupiah:True }} [{{ c|rupiah }}]").render(
        Context({"a": 1_500_000, "b": 7500, "c": None})
    )
    assert out == "Rp1.500.000 +Rp7.500 []"


@pytest.mark.parametrize("not_money", [None, "1000", 10.5, True])
def test_rupiah_filter_shows_nothing_rather_than_a_wrong_amount(not_money):
    assert rupiah(not_money) == ""


def test_rupiah_filter_negative_amount():
    assert rupiah(-1000) == "-Rp1.000"
