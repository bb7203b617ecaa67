"""Intake screens: box openings and their slips, oral and counter intake, the receipt slip."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.complaints import selectors, services
from pandai.complaints.forms import CounterIntakeForm, IntakeForm, OpeningForm, SlipForm
from pandai.complaints.models import Complaint
from pandai.complaints.views.common import complaint_for
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires

# The follow-up code lives in the officer's session only until the receipt is printed.
_CODE_KEY = "complaint_code_{pk}"


def _intake_args(form: IntakeForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "category": data["category"],
        "identity": data["identity"],
        "text": data["text"],
        "inmate": data["inmate_ref"],
        "is_emergency": data["is_emergency"],
        "emergency_kind": data["emergency_kind"],
        "named_staff": list(data["named_staff"]),
    }


def _received(request: PandaiRequest, receipt: services.Receipt) -> HttpResponse:
    request.session[_CODE_KEY.format(pk=receipt.complaint.pk)] = receipt.followup_code
    messages.success(
        request, _("Pengaduan %(number)s dicatat.") % {"number": receipt.complaint.number}
    )
    return redirect("complaints:receipt", pk=receipt.complaint.pk)


@requires(Perm.COMPLAINT_INTAKE)
def opening_list(request: PandaiRequest) -> HttpResponse:
    return render(
        request,
        "complaints/opening_list.html",
        {"openings": selectors.openings(site=request.site)[:200]},
    )


@requires(Perm.COMPLAINT_INTAKE)
def opening_new(request: PandaiRequest) -> HttpResponse:
    initial = {
        "opened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "officer_1": request.user.pk,
    }
    form = OpeningForm(request.POST or None, site=request.site, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            opening = services.box_opening_create(
                site=request.site, actor=request.user, **form.cleaned_data
            )
        except services.ComplaintError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Pembukaan kotak dicatat. Masukkan lembar satu per satu."))
            return redirect("complaints:opening", pk=opening.pk)
    return render(
        request,
        "complaints/form.html",
        {
            "form": form,
            "title": _("Catat pembukaan kotak"),
            "submit": _("Simpan"),
            "back": "complaints:openings",
        },
    )


@requires(Perm.COMPLAINT_INTAKE)
def opening_detail(request: PandaiRequest, pk: int) -> HttpResponse:
    """The opening and its slips; the form below enters the next slip."""
    opening = in_acting_site(request, selectors.openings_qs(), pk=pk)
    services.categories_ensure(site=request.site)
    form = SlipForm(request.POST or None, request.FILES or None, site=request.site)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("scan")
        try:
            receipt = services.complaint_submit_slip(
                opening=opening,
                actor=request.user,
                scan=upload.read() if upload else None,
                **_intake_args(form),
            )
        except services.ComplaintError as exc:
            form.add_error(None, exc.message)
        else:
            return _received(request, receipt)
    slips = (
        selectors.visible_to(site=request.site, user=request.user)
        .filter(opening=opening)
        .select_related("category")
        .order_by("slip_no")
    )
    return render(
        request,
        "complaints/opening_detail.html",
        {"opening": opening, "slips": slips, "form": form},
    )


@requires(Perm.COMPLAINT_INTAKE)
def oral_new(request: PandaiRequest) -> HttpResponse:
    services.categories_ensure(site=request.site)
    form = IntakeForm(request.POST or None, site=request.site)
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.complaint_submit_oral(
                site=request.site, actor=request.user, **_intake_args(form)
            )
        except services.ComplaintError as exc:
            form.add_error(None, exc.message)
        else:
            return _received(request, receipt)
    return render(
        request,
        "complaints/form.html",
        {
            "form": form,
            "title": _("Pengaduan lisan"),
            "submit": _("Catat pengaduan"),
            "back": "complaints:queue",
            "intake": True,
        },
    )


@requires(Perm.COMPLAINT_INTAKE)
def counter_new(request: PandaiRequest) -> HttpResponse:
    services.categories_ensure(site=request.site)
    form = CounterIntakeForm(request.POST or None, site=request.site)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            receipt = services.complaint_submit_counter(
                site=request.site,
                actor=request.user,
                contact_name=data["contact_name"],
                contact_relation=data["contact_relation"],
                contact_phone=data["contact_phone"],
                **_intake_args(form),
            )
        except services.ComplaintError as exc:
            form.add_error(None, exc.message)
        else:
            return _received(request, receipt)
    return render(
        request,
        "complaints/form.html",
        {
            "form": form,
            "title": _("Pengaduan keluarga / pengunjung"),
            "submit": _("Catat pengaduan"),
            "back": "complaints:queue",
            "intake": True,
        },
    )


@requires(Perm.COMPLAINT_INTAKE)
def receipt(request: PandaiRequest, pk: int) -> HttpResponse:
    """The slip for the complainant: number and (while still in this session) the code."""
    complaint: Complaint = complaint_for(request, pk)
    code = request.session.get(_CODE_KEY.format(pk=complaint.pk), "")
    width = "58" if request.GET.get("w") == "58" else "80"
    return render(
        request, "complaints/receipt.html", {"complaint": complaint, "code": code, "width": width}
    )


@require_POST
@requires(Perm.COMPLAINT_INTAKE)
def receipt_done(request: PandaiRequest, pk: int) -> HttpResponse:
    """The slip is in the complainant's hand: forget the code (it cannot be shown again)."""
    complaint = complaint_for(request, pk)
    request.session.pop(_CODE_KEY.format(pk=complaint.pk), None)
    if complaint.opening_id:
        return redirect("complaints:opening", pk=complaint.opening_id)
    return redirect("complaints:queue")
