"""Money is a whole number of rupiah (int). Formatting and parsing live here, nowhere else."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"^\d+$")


class MoneyError(ValueError):
    pass


def format_rp(amount_rp: int, *, sign: bool = False) -> str:
    """1234567 -> 'Rp1.234.567' (Indonesian grouping with dots)."""
    if not isinstance(amount_rp, int) or isinstance(amount_rp, bool):
        raise MoneyError("amount must be a whole number of rupiah")
    prefix = "-" if amount_rp < 0 else ("+" if sign and amount_rp > 0 else "")
    grouped = f"{abs(amount_rp):,}".replace(",", ".")
    return f"{prefix}Rp{grouped}"


def parse_rp(text: str) -> int:
    """'Rp 1.234.567', '1234567', '1.234.567,00' -> 1234567. Refuses fractions and negatives."""
    cleaned = text.strip().replace("Rp", "").replace("rp", "").replace(" ", "")
    if cleaned.endswith(",00"):
        cleaned = cleaned[:-3]
    cleaned = cleaned.replace(".", "")
    if not _DIGITS.match(cleaned):
        raise MoneyError("not a whole rupiah amount")
    return int(cleaned)
