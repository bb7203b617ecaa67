"""Pairing a browser as a kiosk, signing in by card and PIN, signing out, the idle ping and
the read-aloud audio."""

from __future__ import annotations

import datetime as dt
import time

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.inmates import services as inmate_services
from pandai.inmates.models import CardStatus, Inmate, InmateStatus, Pin
from pandai.kiosk import limits, session, tts
from pandai.kiosk.access import KioskRequest, kiosk_view
from pandai.kiosk.device import (
    PairingRefused,
    clear_kiosk_cookie,
    kiosk_pair,
    paired_kiosk,
    set_kiosk_cookie,
)
from pandai.kiosk.views.common import first_name, page
from pandai.kiosk.views.complaints import TRACK_SEEN_KEY


def pin_locked_until(inmate: Inmate) -> dt.datetime | None:
    """The card's PIN lock, told at the tap rather than after a PIN is typed in vain."""
    return (
        Pin.objects.filter(inmate=inmate, locked_until__gt=timezone.now())
        .values_list("locked_until", flat=True)
        .first()
    )


PIN_DIGITS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"]


def _client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def pair(request: HttpRequest) -> HttpResponse:
    """Reachable without a staff login (a kiosk has none); the token is the key. Pairing
    flushes the session, so no staff session survives on a kiosk."""
    device = paired_kiosk(request)
    error = ""
    if request.method == "POST" and request.POST.get("unpair") and device is not None:
        request.session.flush()
        response = redirect("kiosk:pair")
        clear_kiosk_cookie(response)
        return response
    if request.method == "POST" and device is None:
        try:
            device = kiosk_pair(token=request.POST.get("token", ""), client=_client(request))
        except PairingRefused as refused:
            error = refused.message
        else:
            request.session.flush()
            response = redirect("kiosk:home")
            set_kiosk_cookie(response, device)
            return response
    return render(
        request, "kiosk/pair.html", {"device": device, "error": error}, status=400 if error else 200
    )


@kiosk_view
def home(request: KioskRequest) -> HttpResponse:
    """Signed in: the menu. Otherwise: the card tap screen."""
    if request.kiosk_user is not None:
        session.touch(request)
        name = first_name(request.kiosk_user.inmate.full_name)
        from pandai.kiosk.views.extra import extra_tiles

        return page(
            request,
            "kiosk/menu.html",
            {"first_name": name, "extra_tiles": extra_tiles()},
            speech=_("Selamat datang, %(name)s. Pilih layanan.") % {"name": name},
        )
    return page(
        request,
        "kiosk/signin.html",
        speech=_("Tempelkan Kartu Pandai Anda ke pembaca kartu. Lalu masukkan PIN Anda."),
    )


@require_POST
@kiosk_view
def card(request: KioskRequest) -> HttpResponse:
    """The reader typed a UID and Enter. Unknown cards are counted per kiosk."""
    device = request.kiosk
    who = f"device:{device.pk}"
    wait = limits.wait_seconds(limits.UNKNOWN_CARDS, who)
    error = ""
    if wait:
        error = _(
            "Terlalu banyak kartu yang tidak dikenal di kios ini. Tunggu %(m)s menit, atau "
            "minta bantuan petugas."
        ) % {"m": limits.minutes(wait)}
    else:
        found = inmate_services.card_find(site=device.site, raw=request.POST.get("uid", ""))
        if found is None:
            limits.count(limits.UNKNOWN_CARDS, who)
            error = _("Kartu tidak dikenal. Coba tempel lagi, atau tanya petugas loket.")
        elif found.status != CardStatus.ACTIVE:
            error = _("Kartu ini tidak bisa dipakai (%(status)s). Tanya petugas loket.") % {
                "status": CardStatus(found.status).label
            }
        elif found.inmate.status != InmateStatus.ACTIVE:
            error = _("Kartu ini tidak bisa dipakai. Tanya petugas loket.")
        elif (lock := pin_locked_until(found.inmate)) is not None:
            error = _("PIN terkunci karena salah berkali-kali. Coba lagi setelah pukul %(t)s.") % {
                "t": date_format(timezone.localtime(lock), "H:i")
            }
        else:
            session.pending_set(request, card=found, device=device)
            return redirect("kiosk:pin")
    return page(request, "kiosk/signin.html", {"error": error}, speech=error, status=400)


@kiosk_view
def pin(request: KioskRequest) -> HttpResponse:
    device = request.kiosk
    pending = session.pending_card(request, device)
    if request.kiosk_user is not None:
        return redirect("kiosk:home")
    if pending is None:
        messages.info(request, _("Tempelkan kartu Anda lagi."))
        return redirect("kiosk:home")
    error = ""
    status = 200
    if request.method == "POST":
        check = inmate_services.pin_verify(
            inmate=pending.inmate, pin=request.POST.get("pin", ""), terminal=device.name
        )
        if check.ok:
            session.sign_in(request, card=pending, device=device)
            return redirect("kiosk:home")
        status = 400
        if check.locked_until is not None:
            session.pending_clear(request)
            messages.error(request, check.message)
            return redirect("kiosk:home")
        error = check.message or _("PIN salah.")
    name = first_name(pending.inmate.full_name)
    return page(
        request,
        "kiosk/pin.html",
        # Left alone, the PIN screen (it shows a first name) goes back to the card screen.
        {"first_name": name, "digits": PIN_DIGITS, "error": error, "idle_always": True},
        speech=error or _("Halo, %(name)s. Masukkan PIN Anda.") % {"name": name},
        status=status,
    )


@require_POST
@kiosk_view
def cancel(request: KioskRequest) -> HttpResponse:
    session.sign_out(request)
    return redirect("kiosk:home")


@require_POST
@kiosk_view
def signout(request: KioskRequest) -> HttpResponse:
    """The big button and the idle timer both end here: the session is flushed, and the page
    that follows is the card screen (the script replaces the history entry)."""
    session.sign_out(request)
    return redirect(reverse("kiosk:home") + "?keluar=1")


@require_POST
@kiosk_view
def ping(request: KioskRequest) -> HttpResponse:
    """The screen was touched: keep the person signed in, or the item opened by its code
    open (says whether they still are)."""
    if TRACK_SEEN_KEY in request.session:
        request.session[TRACK_SEEN_KEY] = time.time()
    if request.kiosk_user is None:
        return JsonResponse({"signed_in": False})
    session.touch(request)
    return JsonResponse({"signed_in": True})


@kiosk_view
def speech(request: KioskRequest, key: str) -> HttpResponseBase:
    """The WAV of a text this session's screens registered (never text from the request)."""
    text = tts.registered_text(request, key)
    if text is None or not tts.available():
        raise Http404
    try:
        path = tts.synthesise(text)
    except tts.SpeechError as exc:
        raise Http404 from exc
    return FileResponse(path.open("rb"), content_type="audio/wav")
