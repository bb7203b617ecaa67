"""Tracking a complaint by its number and follow-up code at the kiosk, without signing in
(anonymous items are linked to nobody): the complaints app's tracking door, counted per kiosk
and per number; the opened item closes when the screen is left alone."""

from __future__ import annotations

import time

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.complaints.models import Complaint
from pandai.complaints.services.public import (
    SESSION_KEY,
    TrackingRefused,
    grant_new,
    grant_read,
    tracking_open,
)
from pandai.kiosk import session
from pandai.kiosk.access import KioskRequest, kiosk_view
from pandai.kiosk.views.common import page
from pandai.kiosk.views.complaints import (
    TRACK_SEEN_KEY,
    detail_page,
    rate_from_post,
    reopen_from_post,
)


@kiosk_view
def track(request: KioskRequest) -> HttpResponse:
    """The complaints app's tracking door, counted per kiosk and per number (its own limits:
    wrong tries lock the number and the kiosk for a while, each refusal says why)."""
    error = ""
    status = 200
    number = request.POST.get("number", "")
    if request.method == "POST":
        try:
            c = tracking_open(
                number=number,
                code=request.POST.get("code", ""),
                client=f"kiosk:{request.kiosk.pk}",
            )
        except TrackingRefused as refused:
            error = refused.message
            status = 429 if refused.locked else 400
        else:
            if c.site_id != request.kiosk.site_id:
                error = _("Pengaduan ini milik UPT lain.")
                status = 400
            else:
                request.session[SESSION_KEY] = grant_new(c)
                request.session[TRACK_SEEN_KEY] = time.time()
                return redirect("kiosk:track_result")
    return page(
        request,
        "kiosk/track.html",
        {"error": error, "number": number},
        speech=error
        or _("Lacak pengaduan. Ketik nomor pengaduan dan kode tindak lanjut dari slip Anda."),
        status=status,
    )


def _tracked(request: KioskRequest) -> Complaint | None:
    """The item opened with its code on this screen, while the screen is in use: left alone
    for the idle time, it is closed (the next person must not find it open)."""
    grant = grant_read(request.session.get(SESSION_KEY))
    seen = float(request.session.get(TRACK_SEEN_KEY, 0))
    if grant is None or time.time() - seen > session.idle_seconds() + session.SERVER_GRACE_SECONDS:
        request.session.pop(SESSION_KEY, None)
        return None
    request.session[TRACK_SEEN_KEY] = time.time()
    return (
        Complaint.objects.select_related("site", "category")
        .filter(pk=grant.complaint_id, site=request.kiosk.site)
        .first()
    )


def _track_actions() -> dict[str, str]:
    return {
        "rate": reverse("kiosk:track_rate"),
        "reopen": reverse("kiosk:track_reopen"),
        "back": reverse("kiosk:track_done"),
    }


@kiosk_view
def track_result(request: KioskRequest) -> HttpResponse:
    c = _tracked(request)
    if c is None:
        return redirect("kiosk:track")
    return detail_page(request, c, actions=_track_actions())


@require_POST
@kiosk_view
def track_rate(request: KioskRequest) -> HttpResponse:
    c = _tracked(request)
    if c is None:
        return redirect("kiosk:track")
    rate_from_post(request, c)
    return redirect("kiosk:track_result")


@require_POST
@kiosk_view
def track_reopen(request: KioskRequest) -> HttpResponse:
    c = _tracked(request)
    if c is None:
        return redirect("kiosk:track")
    reopen_from_post(request, c)
    return redirect("kiosk:track_result")


@require_POST
@kiosk_view
def track_done(request: KioskRequest) -> HttpResponse:
    """'Selesai': the tracked item is closed for this screen."""
    request.session.pop(SESSION_KEY, None)
    request.session.pop(TRACK_SEEN_KEY, None)
    return redirect("kiosk:home")
