"""Which POS terminal this browser is: pairing by the device token (entered once), kept in a
signed, HttpOnly, long-lived cookie and re-checked on every POS request.

The cookie holds the device id and a fingerprint of its token hash, never the token itself: a
stolen cookie only works on the same site while the device stays active and its token unchanged,
and revoking the device at core's device page unpairs every browser at once.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.models import Device, DeviceKind, Site, User
from pandai.core.services import device_authenticate
from pandai.shop.errors import ShopError

COOKIE = "pandai_pos_terminal"
SALT = "pandai.shop.pos-terminal"
# Browsers cap cookie lifetimes at 400 days; a till is re-paired at most once a year.
MAX_AGE = 400 * 24 * 3600


def _fingerprint(device: Device) -> str:
    return device.token_hash[:16]


def terminal_pair(*, site: Site, token: str, actor: User) -> Device:
    """The active POS device of `site` holding `token`; refused (ShopError) otherwise.
    Audited, so who paired which browser as which till can be traced."""
    device = device_authenticate(token=token.strip(), kinds=[DeviceKind.POS])
    if device is None:
        raise ShopError(
            "terminal_token_invalid",
            _(
                "Token terminal tidak dikenal, sudah dicabut, atau bukan token terminal kasir "
                "(POS). Minta admin mendaftarkan terminal di menu Perangkat."
            ),
        )
    if device.site_id != site.pk:
        raise ShopError(
            "terminal_other_site",
            _("Token ini milik terminal UPT lain (%(site)s).") % {"site": device.site.name},
        )
    audit_append(
        action="shop.terminal_pair",
        site=site,
        actor=actor,
        obj=device,
        data={"name": device.name},
    )
    return device


def terminal_unpair_audit(*, device: Device, actor: User) -> None:
    audit_append(action="shop.terminal_unpair", site=device.site, actor=actor, obj=device)


def set_terminal_cookie(response: HttpResponse, device: Device) -> None:
    response.set_signed_cookie(
        COOKIE,
        f"{device.pk}:{_fingerprint(device)}",
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def clear_terminal_cookie(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def paired_device_id(request: HttpRequest) -> int | None:
    """The device id the cookie names (not yet checked against the database)."""
    try:
        value = request.get_signed_cookie(COOKIE, salt=SALT, max_age=MAX_AGE)
    except (KeyError, signing.BadSignature):
        return None
    if not value:
        return None
    device_id, _sep, _print = value.partition(":")
    return int(device_id) if device_id.isdigit() else None


def paired_terminal(request: HttpRequest, site: Site | None) -> Device | None:
    """The POS device this browser is paired with, if it is still an active POS device of
    the site the user acts in (a device revoked, re-keyed or of another site counts as none)."""
    if site is None:
        return None
    try:
        value = request.get_signed_cookie(COOKIE, salt=SALT, max_age=MAX_AGE)
    except (KeyError, signing.BadSignature):
        return None
    if not value:
        return None
    device_id, _sep, fingerprint = value.partition(":")
    if not device_id.isdigit():
        return None
    device = Device.objects.filter(
        pk=int(device_id), site=site, kind=DeviceKind.POS, is_active=True
    ).first()
    if device is None or not hmac.compare_digest(fingerprint, _fingerprint(device)):
        return None
    return device
