"""Programme catalogue screens: list, create, edit, detail (schedules, rates, participants,
waiting list, next sessions), enrolment and removal."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, can, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx
from pandai.inmates import selectors as inmate_selectors
from pandai.inmates.cards import looks_like_uid
from pandai.inmates.models import Inmate, InmateStatus
from pandai.inmates.services import card_find
from pandai.programs import selectors, services
from pandai.programs.eligibility import eligibility_problem
from pandai.programs.errors import ProgramError
from pandai.programs.forms import ProgrammeForm, RateForm, ReasonForm, ScheduleForm
from pandai.programs.models import CODE_RULES, AttendanceCode, EnrolmentStatus, Programme
from pandai.programs.views.common import get_enrolment, get_programme

PROGRAMME_COLUMNS = [
    (_l("Nama program"), lambda p: p.name),
    (_l("Jenis"), lambda p: p.get_kind_display()),
    (_l("Bidang"), lambda p: p.get_subtype_display()),
    (_l("Kapasitas peserta"), lambda p: p.capacity),
    (_l("Instruktur / pembimbing"), lambda p: p.instructor),
    (_l("Tempat"), lambda p: p.place),
    (_l("Aktif"), lambda p: p.active),
    (_l("Keterangan"), lambda p: p.description),
]


@requires(Perm.PROGRAM_VIEW)
def programme_list(request: PandaiRequest) -> HttpResponseBase:
    if wants_xlsx(request):
        return list_xlsx(
            request,
            name=_("program"),
            columns=PROGRAMME_COLUMNS,
            objects=selectors.programmes_for_site(site=request.site),
        )
    return render(
        request,
        "programs/programme_list.html",
        {
            "programmes": selectors.programmes_for_site(site=request.site),
            "can_manage": can(request, Perm.PROGRAM_MANAGE),
        },
    )


def _form_page(
    request: PandaiRequest, form: ProgrammeForm, programme: Programme | None
) -> HttpResponse:
    return render(request, "programs/programme_form.html", {"form": form, "programme": programme})


@requires(Perm.PROGRAM_MANAGE)
def programme_create(request: PandaiRequest) -> HttpResponse:
    form = ProgrammeForm(
        request.POST or None,
        initial={"open_to_remand": True, "open_to_convicted": True, "active": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                site=request.site, actor=request.user, fields=form.cleaned_data
            )
        except ProgramError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Program %(name)s dibuat.") % {"name": programme.name})
            return redirect("programs:programme_detail", pk=programme.pk)
    return _form_page(request, form, None)


@requires(Perm.PROGRAM_MANAGE)
def programme_edit(request: PandaiRequest, pk: int) -> HttpResponse:
    programme = get_programme(request, pk)
    initial = {name: getattr(programme, name) for name in services.PROGRAMME_FIELDS}
    form = ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(
                programme=programme, actor=request.user, fields=form.cleaned_data
            )
        except ProgramError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Perubahan program disimpan."))
            return redirect("programs:programme_detail", pk=programme.pk)
    return _form_page(request, form, programme)


@requires(Perm.PROGRAM_VIEW)
def programme_detail(request: PandaiRequest, pk: int) -> HttpResponse:
    programme = get_programme(request, pk)
    today = site_today(request.site)
    return render(
        request,
        "programs/programme_detail.html",
        {
            "programme": programme,
            "participants": selectors.enrolments(
                programme=programme, status=EnrolmentStatus.ACTIVE
            ),
            "waiting": selectors.enrolments(programme=programme, status=EnrolmentStatus.WAITING),
            "removed": selectors.enrolments(programme=programme, status=EnrolmentStatus.REMOVED)[
                :20
            ],
            "schedules": programme.schedules.all(),
            "sessions": selectors.sessions_for_site(
                site=request.site,
                start=today - dt.timedelta(days=7),
                end=today + dt.timedelta(days=14),
                programme=programme,
            ),
            "rates": programme.rates.order_by("basis", "-valid_from"),
            "current_rates": selectors.current_rates(programme=programme, day=today),
            "runs": selectors.payout_runs(site=request.site, programme=programme)[:10],
            "schedule_form": ScheduleForm(
                initial={"start_date": today, "end_date": today + dt.timedelta(days=90)}
            ),
            "rate_form": RateForm(initial={"valid_from": today}),
            "can_manage": can(request, Perm.PROGRAM_MANAGE),
            "can_premi": can(request, Perm.PREMI_RUN),
            "codes_against": [
                AttendanceCode(c).label for c, r in CODE_RULES.items() if r.counts_against
            ],
        },
    )


@require_POST
@requires(Perm.PROGRAM_MANAGE)
def programme_schedule(request: PandaiRequest, pk: int) -> HttpResponse:
    programme = get_programme(request, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("Jadwal tidak disimpan: %(e)s") % {"e": errors})
        return redirect("programs:programme_detail", pk=programme.pk)
    try:
        services.schedule_create(programme=programme, actor=request.user, **form.cleaned_data)
    except ProgramError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Jadwal ditambahkan dan sesinya dibuat."))
    return redirect("programs:programme_detail", pk=programme.pk)


@require_POST
@requires(Perm.PROGRAM_MANAGE)
def programme_generate(request: PandaiRequest, pk: int) -> HttpResponse:
    programme = get_programme(request, pk)
    made = services.sessions_generate(programme=programme)
    messages.success(request, _("%(n)s sesi baru dibuat dari jadwal.") % {"n": made})
    return redirect("programs:programme_detail", pk=programme.pk)


@require_POST
@requires(Perm.PROGRAM_MANAGE)
def programme_rate(request: PandaiRequest, pk: int) -> HttpResponse:
    programme = get_programme(request, pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("Tarif tidak disimpan: %(e)s") % {"e": errors})
        return redirect("programs:programme_detail", pk=programme.pk)
    try:
        services.rate_set(programme=programme, actor=request.user, **form.cleaned_data)
    except ProgramError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tarif premi disimpan."))
    return redirect("programs:programme_detail", pk=programme.pk)


def _candidates(request: PandaiRequest, programme: Programme, q: str) -> list[Inmate]:
    if not q:
        return []
    if looks_like_uid(q):
        card = card_find(site=request.site, raw=q)
        return [card.inmate] if card is not None else []
    found = inmate_selectors.inmate_search(site=request.site, q=q, status=InmateStatus.ACTIVE)
    return list(found[:20])


@requires(Perm.PROGRAM_MANAGE)
def programme_enrol(request: PandaiRequest, pk: int) -> HttpResponse:
    """Find an inmate (name, registration number or card tap) and give them a place or a
    waiting-list entry; the eligibility of each candidate is shown before the button."""
    programme = get_programme(request, pk)
    if request.method == "POST":
        inmate = Inmate.objects.filter(
            site=request.site, pk=request.POST.get("inmate") or 0
        ).first()
        if inmate is None:
            messages.error(request, _("Pilih WBP dari hasil pencarian."))
            return redirect("programs:programme_enrol", pk=programme.pk)
        try:
            enrolment = services.enrolment_add(
                programme=programme, inmate=inmate, actor=request.user
            )
        except ProgramError as exc:
            messages.error(request, exc.message)
            return redirect("programs:programme_enrol", pk=programme.pk)
        if enrolment.status == EnrolmentStatus.WAITING:
            messages.warning(
                request,
                _("Program penuh: %(name)s masuk daftar tunggu.") % {"name": inmate.full_name},
            )
        else:
            messages.success(
                request, _("%(name)s terdaftar sebagai peserta.") % {"name": inmate.full_name}
            )
        return redirect("programs:programme_detail", pk=programme.pk)
    q = request.GET.get("q", "").strip()[:100]
    today = site_today(request.site)
    rows = [
        (inmate, eligibility_problem(programme=programme, inmate=inmate, day=today))
        for inmate in _candidates(request, programme, q)
    ]
    return render(
        request,
        "programs/enrol.html",
        {
            "programme": programme,
            "q": q,
            "rows": rows,
            "active_count": programme.enrolments.filter(status=EnrolmentStatus.ACTIVE).count(),
        },
    )


@require_POST
@requires(Perm.PROGRAM_MANAGE)
def enrolment_remove(request: PandaiRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.enrolment_remove(enrolment=enrolment, reason=reason, actor=request.user)
    except ProgramError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s dikeluarkan dari program.") % {"name": enrolment.inmate.full_name},
        )
    return redirect("programs:programme_detail", pk=enrolment.programme_id)
