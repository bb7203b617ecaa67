"""The daily closing screens (laporan/penutupan/): a day's sheet (the stored snapshot once the
day is closed, the live figures before), closing it, the second signature, the one-page PDF,
and the list of closed days."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, can, requires
from pandai.core.xlsx import wants_xlsx, xlsx_response
from pandai.reports.closing import closing_sheet, day_closing_of, day_closings
from pandai.reports.closing_pdf import render_closing_sheet_pdf
from pandai.reports.closing_services import (
    ClosingError,
    day_closing_close,
    day_closing_countersign,
)
from pandai.reports.exports import closing_list_rows
from pandai.wallet.forms_office import DayForm


def _day(request: PandaiRequest, data: dict[str, str] | None = None) -> dt.date:
    """The day asked for (GET or POST `tanggal`), never after today; today when absent or bad."""
    today = site_today(request.site)
    form = DayForm(data if data is not None else request.GET)
    day = form.cleaned_data["tanggal"] if form.is_valid() else today
    return min(day, today)


def _to_day(day: dt.date) -> HttpResponse:
    return redirect(f"{reverse('reports:closing')}?tanggal={day:%Y-%m-%d}")


@requires(Perm.CLOSING_VIEW)
def closing(request: PandaiRequest) -> HttpResponse:
    day = _day(request)
    sheet, closed = closing_sheet(site=request.site, day=day)
    today = site_today(request.site)
    return render(
        request,
        "reports/closing/day.html",
        {
            "sheet": sheet,
            "closing": closed,
            "day": day,
            "form": DayForm({"tanggal": day.isoformat()}),
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1) if day < today else None,
            "day_over": day < today,
            "may_close": can(request, Perm.DAY_CLOSE),
        },
    )


@requires(Perm.DAY_CLOSE)
@require_POST
def closing_close(request: PandaiRequest) -> HttpResponse:
    day = _day(request, request.POST)
    try:
        day_closing_close(site=request.site, day=day, actor=request.user)
    except ClosingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _closed_message(day))
    return _to_day(day)


def _closed_message(day: dt.date) -> str:
    return _("Hari %(day)s ditutup. Angkanya kini tetap dan bisa dicetak ulang.") % {
        "day": f"{day:%d-%m-%Y}"
    }


@requires(Perm.DAY_CLOSE)
@require_POST
def closing_countersign(request: PandaiRequest) -> HttpResponse:
    day = _day(request, request.POST)
    closed = day_closing_of(site=request.site, day=day)
    if closed is None:
        messages.error(request, _("Hari ini belum ditutup, jadi belum bisa ditandatangani."))
        return _to_day(day)
    try:
        day_closing_countersign(closing=closed, actor=request.user)
    except ClosingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Penutupan hari ini sudah ditandatangani."))
    return _to_day(day)


@requires(Perm.CLOSING_VIEW)
def closing_pdf(request: PandaiRequest) -> HttpResponse:
    day = _day(request)
    sheet, closed = closing_sheet(site=request.site, day=day)
    pdf = render_closing_sheet_pdf(
        sheet=sheet, closing=closed, printed_by=request.user, now=timezone.now()
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"penutupan-{request.site.code}-{day:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@requires(Perm.CLOSING_VIEW)
def closing_list(request: PandaiRequest) -> HttpResponseBase:
    """Closed days, newest first (a month at a time with `bulan=YYYY-MM`)."""
    month = request.GET.get("bulan", "")
    try:
        first = dt.date.fromisoformat(f"{month}-01") if month else None
    except ValueError:
        first = None
    closings = day_closings(site=request.site, month=first)
    if wants_xlsx(request):
        header, rows = closing_list_rows(closings)
        return xlsx_response(
            f"penutupan-{request.site.code}.xlsx", header, rows, title=str(header[0])
        )
    return render(
        request,
        "reports/closing/list.html",
        {"closings": closings[:400], "month": month if first else ""},
    )
