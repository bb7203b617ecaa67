"""Rate limits of the kiosk, beyond the card's own PIN lock: unknown cards tapped at one kiosk
(someone trying cards), complaints sent by one person, follow-up codes tried at one kiosk.

Counted in Django's cache, the database cache of settings.CACHES: one count for every server
process (and every server, on PostgreSQL). Keys are HMACs, so the cache never
holds a card, an inmate id or a device id in clear: the count of a person's anonymous
complaints cannot be traced back to them or to the items.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    max_count: int
    window_seconds: int


UNKNOWN_CARDS = Limit("unknown_card", 10, 5 * 60)  # per kiosk
COMPLAINTS = Limit("complaint", 3, 60 * 60)  # per person (card), per hour
TRACKING = Limit("tracking", 10, 15 * 60)  # per kiosk, wrong or right


def _key(limit: Limit, who: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{limit.name}|{who}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"kiosk:limit:{limit.name}:{digest}"


def wait_seconds(limit: Limit, who: str) -> int:
    """0 if `who` may go on, else the seconds until the oldest counted try leaves the window."""
    stamps = [t for t in cache.get(_key(limit, who), []) if t > time.time() - limit.window_seconds]
    if len(stamps) < limit.max_count:
        return 0
    return max(1, int(stamps[0] + limit.window_seconds - time.time()) + 1)


def count(limit: Limit, who: str) -> None:
    key = _key(limit, who)
    moment = time.time()
    stamps = [t for t in cache.get(key, []) if t > moment - limit.window_seconds]
    stamps.append(moment)
    cache.set(key, stamps[-limit.max_count :], limit.window_seconds)


def minutes(seconds: int) -> int:
    return max(1, (seconds + 59) // 60)
