"""The participation record of one inmate (page, PDF, CSV) and the site's SDP export."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, requires
from pandai.programs import selectors
from pandai.programs.forms import RecordPeriodForm
from pandai.programs.participation_pdf import render_participation_pdf
from pandai.programs.sdp_export import participation_csv as record_csv
from pandai.programs.sdp_export import site_participation_csv
from pandai.programs.views.common import get_inmate


def _record(request: PandaiRequest, pk: int) -> tuple[RecordPeriodForm, selectors.Participation]:
    inmate = get_inmate(request, pk)
    form = RecordPeriodForm(request.GET or None)
    start, end = form.period()
    return form, selectors.participation(inmate=inmate, start=start, end=end)


def _file_name(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in text)


@requires(Perm.PROGRAM_VIEW)
def participation(request: PandaiRequest, pk: int) -> HttpResponse:
    form, record = _record(request, pk)
    return render(
        request,
        "programs/participation.html",
        {
            "form": form,
            "record": record,
            "inmate": record.inmate,
            "recent": selectors.inmate_attendance(inmate=record.inmate, limit=20),
            "query": request.GET.urlencode(),
        },
    )


@requires(Perm.PROGRAM_VIEW)
def participation_pdf(request: PandaiRequest, pk: int) -> HttpResponse:
    _form, record = _record(request, pk)
    pdf = render_participation_pdf(record=record, printed_by=request.user, now=timezone.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    name = _file_name(f"pembinaan-{record.inmate.reg_no}.pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Perm.PROGRAM_VIEW)
def participation_csv(request: PandaiRequest, pk: int) -> HttpResponse:
    _form, record = _record(request, pk)
    response = HttpResponse(record_csv(record=record), content_type="text/csv; charset=utf-8")
    name = _file_name(f"pembinaan-{record.inmate.reg_no}.csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Perm.PROGRAM_VIEW)
def sdp_export(request: PandaiRequest) -> HttpResponse:
    """GET with dari/sampai (or none for everything): the site's CSV for the SDP."""
    form = RecordPeriodForm(request.GET or None)
    start, end = form.period()
    data = site_participation_csv(site=request.site, start=start, end=end)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    span = f"{start or 'awal'}_{end or 'kini'}"
    name = _file_name(f"sdp-pembinaan-{request.site.code}-{span}.csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
