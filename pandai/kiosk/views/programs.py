"""Pembinaan: my programmes (and my place on a waiting list), the next sessions, my attendance
and the premi paid — reads of the programmes app."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from pandai.kiosk.access import InmateRequest, inmate_view
from pandai.kiosk.views.common import page
from pandai.programs import selectors as programme_selectors


@inmate_view
def programmes(request: InmateRequest) -> HttpResponse:
    inmate = request.kiosk_user.inmate
    enrolments = programme_selectors.inmate_programmes(inmate=inmate)
    upcoming = programme_selectors.inmate_next_sessions(inmate=inmate, limit=6)
    attendance = programme_selectors.inmate_attendance(inmate=inmate, limit=15)
    premi = programme_selectors.inmate_premi(inmate=inmate, limit=12)
    names = ", ".join(e.programme.name for e in enrolments) or _("belum ada")
    speech = _("Pembinaan. Program Anda: %(names)s.") % {"names": names}
    if upcoming:
        first = upcoming[0]
        speech += " " + _("Sesi berikutnya: %(name)s, tanggal %(day)s pukul %(time)s.") % {
            "name": first.programme.name,
            "day": first.date.strftime("%d-%m-%Y"),
            "time": first.start_time.strftime("%H:%M"),
        }
    return page(
        request,
        "kiosk/programmes.html",
        {
            "enrolments": enrolments,
            "upcoming": upcoming,
            "attendance": attendance,
            "premi": premi,
        },
        speech=speech,
    )
