"""PIN hashing and the rule against trivial PINs.

A 6-digit PIN has only a million values, so a slow hash buys little; what protects PINs if the
database leaks is a pepper kept outside it (PIN_PEPPER or var/pin_pepper), mixed in by HMAC.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from functools import lru_cache
from itertools import pairwise

from django.conf import settings

from pandai.env import env_secret


@lru_cache(maxsize=1)
def _pepper() -> bytes:
    return env_secret("PIN_PEPPER", settings.VAR_DIR / "pin_pepper").encode()


def pin_hash(pin: str) -> str:
    salt = secrets.token_hex(8)
    digest = hmac.new(_pepper(), f"{salt}:{pin}".encode(), hashlib.sha256).hexdigest()
    return f"hmac-sha256${salt}${digest}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "hmac-sha256":
        return False
    expected = hmac.new(_pepper(), f"{salt}:{pin}".encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, digest)


def trivial_reason(pin: str, birth_date: dt.date | None) -> str | None:
    """Why a PIN is refused, or None if it is acceptable."""
    if len(pin) != 6 or not pin.isdigit():
        return "format"
    if len(set(pin)) == 1:
        return "same_digit"
    digits = [int(c) for c in pin]
    steps = {b - a for a, b in pairwise(digits)}
    if steps in ({1}, {-1}):
        return "sequence"
    if pin[:2] * 3 == pin or pin[:3] * 2 == pin:
        return "repeat"
    if birth_date is not None:
        forms = {
            birth_date.strftime("%d%m%y"),
            birth_date.strftime("%y%m%d"),
            birth_date.strftime("%m%d%y"),
            birth_date.strftime("%d%m") + birth_date.strftime("%Y")[:2],
            birth_date.strftime("%Y")[2:] + birth_date.strftime("%d%m"),
        }
        if pin in forms:
            return "birth_date"
    return None
