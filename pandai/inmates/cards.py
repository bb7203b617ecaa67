"""Card UIDs as USB keyboard-wedge readers type them: hex, reversed hex, 10-digit decimal."""

from __future__ import annotations

import re

_HEX = re.compile(r"^(?:[0-9A-F]{2}){4,10}$")
_DEC = re.compile(r"^\d{8,10}$")


class UidError(ValueError):
    pass


def _reverse_bytes(hex_uid: str) -> str:
    return "".join(reversed([hex_uid[i : i + 2] for i in range(0, len(hex_uid), 2)]))


def _readings(raw: str) -> list[str]:
    """The hex UIDs the typed text may stand for, most likely first.

    10 or 9 digits can only be a decimal reading of a 32-bit UID. 8 digits are ambiguous: a
    4-byte UID in hex that happens to have no letters, or an unpadded decimal; hex comes
    first because that is what an 8-character reading usually is."""
    text = re.sub(r"[\s:\-]", "", raw or "").upper()
    if text.startswith("0X"):
        text = text[2:]
    readings = []
    decimal = _DEC.match(text) is not None and int(text) < 2**32
    if _HEX.match(text) and not (decimal and len(text) > 8):
        readings.append(text)
    if decimal:
        readings.append(f"{int(text):08X}")
    if not readings:
        raise UidError("not a card UID")
    return list(dict.fromkeys(readings))


def normalise_uid(raw: str) -> str:
    """The canonical stored form: upper-case hex, separators removed; decimal -> 8 hex digits."""
    return _readings(raw)[0]


def uid_candidates(raw: str) -> list[str]:
    """Every stored form the typed text may stand for: each reading as typed and with its
    bytes reversed (readers differ in byte order)."""
    forms = []
    for reading in _readings(raw):
        forms += [reading, _reverse_bytes(reading)]
    return list(dict.fromkeys(forms))


def looks_like_uid(raw: str) -> bool:
    text = re.sub(r"[\s:\-]", "", raw or "")
    if _DEC.match(text):
        return True
    # Hex with at least one digit, so that names like "ABCDEFAB" are not taken for cards.
    return bool(_HEX.match(text.upper())) and any(ch.isdigit() for ch in text)
