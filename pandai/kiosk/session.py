"""Who is signed in at this kiosk: the inmate lives in the browser session for a short time.

Sign-in is two steps (card tap, then PIN), each kept in the session with its own expiry. The
signed-in person is dropped when they press "Keluar", when nobody touched the screen for
`PANDAI_KIOSK_IDLE_SECONDS` (the page's script signs out at that moment and pings the server
while the screen is touched; the server allows a little more so an in-flight tap is not lost),
after `PANDAI_KIOSK_MAX_MINUTES` in any case, or when the device, the card or the inmate stops
being valid. Dropping always flushes the whole session (a new session key, nothing kept).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from pandai.core.models import Device
from pandai.inmates.models import Card, CardStatus, Inmate, InmateStatus

PENDING_KEY = "kiosk_pending"  # card tapped, PIN not yet entered
SIGNED_KEY = "kiosk_signed"
# The PIN must follow the tap within this time, or the card must be tapped again.
PENDING_SECONDS = 90
# Pings from the page arrive at most every 10 s while the screen is touched (kiosk.js): the
# server's limit is the screen's plus that gap plus a few seconds for a request in flight.
SERVER_GRACE_SECONDS = 15


def idle_seconds() -> int:
    return int(settings.PANDAI_KIOSK_IDLE_SECONDS)


def max_seconds() -> int:
    return int(settings.PANDAI_KIOSK_MAX_MINUTES) * 60


@dataclass(frozen=True)
class KioskUser:
    inmate: Inmate
    card: Card


def _now() -> float:
    return time.time()


def pending_set(request: HttpRequest, *, card: Card, device: Device) -> None:
    request.session.cycle_key()
    request.session[PENDING_KEY] = {"card": card.pk, "device": device.pk, "at": _now()}


def pending_card(request: HttpRequest, device: Device) -> Card | None:
    raw = request.session.get(PENDING_KEY)
    if not isinstance(raw, dict) or raw.get("device") != device.pk:
        return None
    if _now() - float(raw.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return _valid_card(int(raw.get("card", 0)), device)


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def _valid_card(card_id: int, device: Device) -> Card | None:
    card = (
        Card.objects.select_related("inmate", "inmate__site", "inmate__cell__block")
        .filter(pk=card_id, site=device.site, status=CardStatus.ACTIVE)
        .first()
    )
    if card is None or card.inmate.status != InmateStatus.ACTIVE:
        return None
    return card


def sign_in(request: HttpRequest, *, card: Card, device: Device) -> None:
    """After a right PIN: a fresh session key, so nothing from before the PIN carries over."""
    request.session.flush()
    moment = _now()
    request.session[SIGNED_KEY] = {
        "card": card.pk,
        "device": device.pk,
        "since": moment,
        "seen": moment,
    }


def sign_out(request: HttpRequest) -> None:
    request.session.flush()


def expired(raw: dict[str, float], moment: float) -> bool:
    idle_limit = idle_seconds() + SERVER_GRACE_SECONDS
    return (
        moment - float(raw.get("seen", 0)) > idle_limit
        or moment - float(raw.get("since", 0)) > max_seconds()
    )


def current(request: HttpRequest, device: Device) -> tuple[KioskUser | None, bool]:
    """The signed-in person and whether a session just ended by itself (to say so)."""
    raw = request.session.get(SIGNED_KEY)
    if not isinstance(raw, dict):
        return None, False
    moment = _now()
    card = None
    if raw.get("device") == device.pk and not expired(raw, moment):
        card = _valid_card(int(raw.get("card", 0)), device)
    if card is None:
        sign_out(request)
        return None, True
    return KioskUser(inmate=card.inmate, card=card), False


def touch(request: HttpRequest) -> None:
    raw = request.session.get(SIGNED_KEY)
    if isinstance(raw, dict):
        raw["seen"] = _now()
        request.session[SIGNED_KEY] = raw
