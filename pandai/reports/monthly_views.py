"""The monthly report for the regional office (laporan/bulanan/): every site the user may see
reports of, side by side, as a page, an XLSX workbook (`format=xlsx`) and a PDF (`format=pdf`)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, requires
from pandai.core.xlsx import XLSX_CONTENT_TYPE
from pandai.reports.monthly import monthly_figures
from pandai.reports.monthly_export import LINES, monthly_pdf, monthly_xlsx, shown
from pandai.reports.views import reporting_sites


def _month(request: PandaiRequest) -> dt.date:
    """`bulan=YYYY-MM`; this month where the acting site is when absent or bad."""
    this_month = site_today(request.site).replace(day=1)
    try:
        month = dt.date.fromisoformat(f"{request.GET.get('bulan', '')}-01")
    except ValueError:
        return this_month
    return min(month, this_month)


@requires(Perm.REPORTS_VIEW)
def monthly(request: PandaiRequest) -> HttpResponse:
    month = _month(request)
    reports = [monthly_figures(site=site, month=month) for site in reporting_sites(request)]
    stem = f"laporan-bulanan-{month:%Y-%m}"
    kind = request.GET.get("format")
    if kind == "xlsx":
        response = HttpResponse(monthly_xlsx(reports, month), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    if kind == "pdf":
        now = timezone.now().astimezone(ZoneInfo(request.site.time_zone))
        pdf = monthly_pdf(reports, month, printed_by=request.user, now=now)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{stem}.pdf"'
        return response
    lines = [(label, [shown(value(f), kind) for f in reports]) for label, value, kind in LINES]
    return render(
        request,
        "reports/monthly/report.html",
        {"reports": reports, "lines": lines, "month": month},
    )
