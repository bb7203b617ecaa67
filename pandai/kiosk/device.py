"""Which kiosk this browser is: paired once by the kiosk device's token, kept in a signed,
HttpOnly, long-lived cookie and re-checked against the database on every kiosk request.

The same pattern as the shop's POS pairing (`pandai/shop/terminals.py`), without a staff user:
a kiosk stands in a block and nobody logs in on it. The cookie holds the device id and a
fingerprint of the token hash, never the token; revoking the device (core's device page) or
giving it a new token unpairs every browser at once.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.models import Device, DeviceKind
from pandai.core.services import device_authenticate

COOKIE = "pandai_kiosk"
SALT = "pandai.kiosk.device"
# Browsers cap cookie lifetimes at 400 days; a kiosk is re-paired at most once a year.
MAX_AGE = 400 * 24 * 3600


class PairingRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _fingerprint(device: Device) -> str:
    return device.token_hash[:16]


def kiosk_pair(*, token: str, client: str) -> Device:
    """The active kiosk device holding `token`, or PairingRefused. Audited with the client's
    address, so which browser became which kiosk can be traced."""
    device = device_authenticate(token=(token or "").strip(), kinds=[DeviceKind.KIOSK])
    if device is None:
        raise PairingRefused(
            _(
                "Token kios tidak dikenal, sudah dicabut, atau bukan token kios. Minta admin "
                "mendaftarkan kios di menu Perangkat."
            )
        )
    audit_append(
        action="kiosk.pair",
        site=device.site,
        actor_label=_("pemasangan kios"),
        obj=device,
        data={"name": device.name, "client": client},
    )
    return device


def set_kiosk_cookie(response: HttpResponse, device: Device) -> None:
    response.set_signed_cookie(
        COOKIE,
        f"{device.pk}:{_fingerprint(device)}",
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def clear_kiosk_cookie(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def _cookie(request: HttpRequest) -> tuple[int, str] | None:
    try:
        value = request.get_signed_cookie(COOKIE, salt=SALT, max_age=MAX_AGE)
    except (KeyError, signing.BadSignature):
        return None
    device_id, _sep, fingerprint = str(value).partition(":")
    return (int(device_id), fingerprint) if device_id.isdigit() else None


def carries_kiosk_cookie(request: HttpRequest) -> bool:
    """A browser once paired as a kiosk (even if the device was revoked since): such a browser
    stands in a block and never gets a staff page."""
    return _cookie(request) is not None


def paired_kiosk(request: HttpRequest) -> Device | None:
    """The kiosk this browser is paired with, if it is still an active kiosk device with the
    same token (revoked or re-keyed counts as none)."""
    found = _cookie(request)
    if found is None:
        return None
    device = (
        Device.objects.select_related("site")
        .filter(pk=found[0], kind=DeviceKind.KIOSK, is_active=True, site__is_active=True)
        .first()
    )
    if device is None or not hmac.compare_digest(found[1], _fingerprint(device)):
        return None
    return device
