"""UID normalising: the forms USB keyboard-wedge readers type for the same card."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pandai.inmates.cards import UidError, looks_like_uid, normalise_uid, uid_candidates


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("04A1B2C3", "04A1B2C3"),
        ("04a1b2c3", "04A1B2C3"),
        ("04:a1:b2:c3", "04A1B2C3"),
        ("04-A1-B2-C3", "04A1B2C3"),
        (" 04 A1 B2 C3 ", "04A1B2C3"),
        ("0x04a1b2c3", "04A1B2C3"),
        ("0077705923", "04A1B2C3"),  # 10-digit decimal, zero-padded
        ("3283263748", "C3B2A104"),  # 10-digit decimal of the little-endian reading
        ("123456789", "075BCD15"),  # 9 digits can only be decimal
        ("04A1B2C3D4E5F6", "04A1B2C3D4E5F6"),  # 7-byte UID
        ("04:a1:b2:c3:d4:e5:f6", "04A1B2C3D4E5F6"),
    ],
)
def test_normalise(typed, stored):
    assert normalise_uid(typed) == stored


def test_decimal_constants():
    assert int("0077705923") == 0x04A1B2C3
    assert int("3283263748") == 0xC3B2A104


def test_reversed_bytes_are_a_candidate():
    assert uid_candidates("04A1B2C3") == ["04A1B2C3", "C3B2A104"]
    assert "04A1B2C3" in uid_candidates("C3B2A104")
    assert "F6E5D4C3B2A104" in uid_candidates("04A1B2C3D4E5F6")


def test_decimal_reading_matches_both_byte_orders():
    assert set(uid_candidates("0077705923")) == {"04A1B2C3", "C3B2A104"}
    assert set(uid_candidates("3283263748")) == {"04A1B2C3", "C3B2A104"}


def test_eight_digits_are_read_as_hex_first_but_decimal_is_a_candidate():
    assert normalise_uid("12345678") == "12345678"
    assert {"12345678", "78563412", "00BC614E", "4E61BC00"} == set(uid_candidates("12345678"))


def test_truncated_seven_byte_uid_shares_the_first_four_bytes():
    assert normalise_uid("04A1B2C3D4E5F6")[:8] == normalise_uid("0077705923")


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "hello", "04A1B2", "04A1B2C", "1234567", "ZZZZZZZZ", "04A1B2C3D4E5F6A7B8C9D0E1"],
)
def test_not_a_uid(typed):
    with pytest.raises(UidError):
        normalise_uid(typed)


def test_decimal_over_32_bits_is_not_a_decimal_reading():
    assert uid_candidates("9999999999") == ["9999999999"]  # only a 5-byte hex reading


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0077705923", True),
        ("04:A1:B2:C3", True),
        ("04a1b2c3", True),
        ("ABCDEFAB", False),  # letters only: a name search, not a card
        ("Budi", False),
        ("AI.123/2024", False),
    ],
)
def test_looks_like_uid(text, expected):
    assert looks_like_uid(text) is expected


@given(st.binary(min_size=4, max_size=4))
def test_any_four_byte_card_is_found_from_every_reader_form(uid_bytes):
    stored = normalise_uid(uid_bytes.hex())
    forms = {
        uid_bytes.hex(),  # lower-case hex
        ":".join(f"{b:02x}" for b in uid_bytes),  # with colons
        uid_bytes[::-1].hex().upper(),  # reversed bytes
        f"{int.from_bytes(uid_bytes, 'big'):010d}",  # 10-digit decimal
        f"{int.from_bytes(uid_bytes, 'little'):010d}",  # decimal of the reversed reading
    }
    for typed in forms:
        assert stored in uid_candidates(typed), typed


@given(st.binary(min_size=7, max_size=7))
def test_any_seven_byte_card_keeps_its_first_four_bytes_for_truncating_readers(uid_bytes):
    stored = normalise_uid(":".join(f"{b:02x}" for b in uid_bytes))
    assert stored == uid_bytes.hex().upper()
    truncated = f"{int.from_bytes(uid_bytes[:4], 'big'):010d}"
    assert stored[:8] in uid_candidates(truncated)
