"""Complaint statistics for a period, as a page with bar charts drawn as inline SVG on the
server (no chart library, nothing fetched from outside) and as an XLSX workbook."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render

from pandai.complaints.forms_oversight import PeriodForm
from pandai.complaints.stats import complaints_stats, default_period
from pandai.complaints.stats_xlsx import stats_xlsx
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, requires

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request: PandaiRequest) -> tuple[PeriodForm, dt.date, dt.date]:
    start, end = default_period(request.site)
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return form, start, end


@requires(Perm.COMPLAINT_STATS)
def stats(request: PandaiRequest) -> HttpResponse:
    form, start, end = _period(request)
    data = complaints_stats(site=request.site, start=start, end=end)
    charts = [
        ("category", data.by_category),
        ("kind", data.by_kind),
        ("channel", data.by_channel),
        ("status", data.by_status),
        ("month", data.by_month),
        ("rating", data.by_rating),
    ]
    return render(
        request,
        "complaints/stats/stats.html",
        {"form": form, "s": data, "charts": charts, "query": request.GET.urlencode()},
    )


@requires(Perm.COMPLAINT_STATS)
def stats_export(request: PandaiRequest) -> HttpResponse:
    _form, start, end = _period(request)
    data = complaints_stats(site=request.site, start=start, end=end)
    response = HttpResponse(stats_xlsx(data), content_type=XLSX)
    name = f"pengaduan-{request.site.code}-{start.isoformat()}-{end.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
