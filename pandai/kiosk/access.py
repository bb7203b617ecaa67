"""The two doors of every kiosk view: `kiosk_view` (a paired, active kiosk device; anyone may
stand in front of it) and `inmate_view` (plus a person signed in by card and PIN)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pandai.core.models import Device
from pandai.kiosk import session
from pandai.kiosk.device import paired_kiosk
from pandai.kiosk.session import KioskUser


class KioskRequest(HttpRequest):
    kiosk: Device
    kiosk_user: KioskUser | None


class InmateRequest(KioskRequest):
    kiosk_user: KioskUser


View = Callable[..., HttpResponseBase]


def unpaired(request: HttpRequest) -> HttpResponse:
    """403 with the way to pair this browser (a staff browser, an unregistered screen, or a
    kiosk whose device was revoked)."""
    return render(request, "kiosk/unpaired.html", status=403)


def kiosk_view(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        device = paired_kiosk(request)
        if device is None:
            return unpaired(request)
        kreq: KioskRequest = request  # type: ignore[assignment]
        kreq.kiosk = device
        kreq.kiosk_user, ended = session.current(request, device)
        if ended:
            messages.info(request, _("Sesi Anda sudah berakhir. Silakan tempel kartu lagi."))
        # Times on the screen are the site's local times (WIB/WITA/WIT).
        with timezone.override(ZoneInfo(device.site.time_zone)):
            return view(kreq, *args, **kwargs)

    return wrapper


def inmate_view(view: View) -> View:
    @wraps(view)
    @kiosk_view
    def wrapper(request: KioskRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.kiosk_user is None:
            return redirect("kiosk:home")
        session.touch(request)
        return view(request, *args, **kwargs)

    return wrapper
