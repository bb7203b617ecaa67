"""Card UIDs as USB keyboard-wedge readers type them: hex, reversed hex, 10-digit decimal."""

from __future__ import annotations

import re

_HEX = re.compile(r"^(?:[0-9A-F]{2}){4,10}$")
_DEC = re.compile(r"^\d{8,10}$")


class UidError(ValueError):
    pass


def _reverse_bytes(hex_uid: str) -> str:
    return "".join(reversed([hex_uid[i : i + 2] for i in range(0, len(hex_uid), 2)]))


def normalise_uid(raw: str) -> str:
    """The canonical stored form: upper-case hex, separators removed; decimal -> 8 hex digits."""
    text = re.sub(r"[\s:\-]", "", raw or "").upper()
    if text.startswith("0X"):
        text = text[2:]
    if _DEC.match(text) and int(text) < 2**32:
        return f"{int(text):08X}"
    if _HEX.match(text):
        return text
    raise UidError("not a card UID")


def uid_candidates(raw: str) -> list[str]:
    """Every stored form the typed text may stand for: as typed, byte-reversed, and (for a
    decimal reading) both byte orders of the 32-bit value."""
    canonical = normalise_uid(raw)
    forms = [canonical, _reverse_bytes(canonical)]
    return list(dict.fromkeys(forms))


def looks_like_uid(raw: str) -> bool:
    text = re.sub(r"[\s:\-]", "", raw or "")
    if _DEC.match(text):
        return True
    # Hex with at least one digit, so that names like "ABCDEFAB" are not taken for cards.
    return bool(_HEX.match(text.upper())) and any(ch.isdigit() for ch in text)
