"""Sessions: list, create and edit, the prepare page (agenda, policies, the box's questions),
open, close with minutes and promises, the minutes PDF, publication, the promises list."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from pandai.complaints.models import Complaint
from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, can, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx
from pandai.townhall import selectors, services
from pandai.townhall.errors import TownhallError
from pandai.townhall.forms import AgendaForm, CloseForm, PublishForm, ReasonForm, SessionForm
from pandai.townhall.minutes_pdf import minutes_pdf
from pandai.townhall.models import Policy, PolicyStatus
from pandai.townhall.services.sessions import complaints_to_import
from pandai.townhall.views.common import get_agenda_item, get_promise, get_session

# The sessions and the promises in their XLSX downloads.
SESSION_COLUMNS = [
    (_l("Waktu"), lambda s: s.starts_at),
    (_l("Judul"), lambda s: s.title),
    (_l("Tempat"), lambda s: s.place),
    (_l("Pimpinan"), lambda s: s.chair.display_name if s.chair else ""),
    (_l("Status"), lambda s: s.get_status_display()),
    (_l("Hadir"), lambda s: s.present),
    (_l("Pertanyaan terbuka"), lambda s: s.open_questions),
]
PROMISE_COLUMNS = [
    (_l("Sesi"), lambda p: p.session.title),
    (_l("Janji"), lambda p: p.what),
    (_l("Penanggung jawab"), lambda p: p.who),
    (_l("Batas waktu"), lambda p: p.due_date),
    (_l("Selesai"), lambda p: p.done_at),
    (_l("Diselesaikan oleh"), lambda p: p.done_by.display_name if p.done_by else ""),
    (_l("Keterangan selesai"), lambda p: p.done_note),
]


@requires(Perm.SESSION_VIEW)
def session_list(request: PandaiRequest) -> HttpResponseBase:
    if wants_xlsx(request):
        every = selectors.sessions_for_site(site=request.site)
        return list_xlsx(request, name=_("sosialisasi"), columns=SESSION_COLUMNS, objects=every)
    sessions = list(selectors.sessions_for_site(site=request.site)[:200])
    return render(
        request,
        "townhall/session_list.html",
        {
            "sessions": sessions,
            "can_manage": can(request, Perm.SESSION_MANAGE),
            "promises_open": selectors.promises_open(site=request.site).count(),
        },
    )


def _input(form: SessionForm) -> services.SessionInput:
    d = form.cleaned_data
    return services.SessionInput(
        title=d["title"],
        starts_at=form.starts_at(),
        place=d["place"],
        chair=d["chair"],
        officials=tuple(d["officials"]),
        audience=d["audience"],
        blocks=tuple(d["blocks"]),
        inmates=tuple(d["inmates"]),
        moderated=d["moderated"],
    )


@requires(Perm.SESSION_MANAGE)
def session_create(request: PandaiRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, site=request.site, initial={"chair": request.user})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                site=request.site, actor=request.user, data=_input(form)
            )
        except TownhallError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Sosialisasi dibuat. Susun acaranya."))
            return redirect("townhall:session_detail", pk=session.pk)
    return render(request, "townhall/session_form.html", {"form": form})


@requires(Perm.SESSION_MANAGE)
def session_edit(request: PandaiRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    local = session.starts_at.astimezone(ZoneInfo(request.site.time_zone))
    initial = {
        "title": session.title,
        "day": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "place": session.place,
        "chair": session.chair,
        "officials": session.officials.all(),
        "audience": session.audience,
        "blocks": session.audience_blocks.all(),
        "inmates": session.audience_inmates.all(),
        "moderated": session.moderated,
    }
    form = SessionForm(request.POST or None, site=request.site, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, actor=request.user, data=_input(form))
        except TownhallError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("townhall:session_detail", pk=session.pk)
    return render(request, "townhall/session_form.html", {"form": form, "session": session})


@requires(Perm.SESSION_VIEW)
def session_detail(request: PandaiRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    can_manage = can(request, Perm.SESSION_MANAGE)
    return render(
        request,
        "townhall/session_detail.html",
        {
            "session": session,
            "agenda": session.agenda.select_related("policy").prefetch_related("complaints"),
            "questions": selectors.questions(session=session),
            "counts": selectors.door_counts(session=session),
            "polls": selectors.poll_results(session=session),
            "promises": session.promises.all(),
            "officials": session.officials.all(),
            "policies": Policy.objects.filter(site=request.site).exclude(
                status=PolicyStatus.WITHDRAWN
            ),
            "waiting": complaints_to_import(session=session) if can_manage else [],
            "can_manage": can_manage,
            "can_run": can(request, Perm.SESSION_RUN),
            "agenda_form": AgendaForm(),
            "publish_form": PublishForm(initial={"public_text": session.minutes_public}),
        },
    )


@require_POST
@requires(Perm.SESSION_MANAGE)
def session_agenda_add(request: PandaiRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    form = AgendaForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isi nama acara."))
        return redirect("townhall:session_detail", pk=pk)
    d = form.cleaned_data
    policy = (
        Policy.objects.filter(site=request.site, pk=d["policy"]).first() if d["policy"] else None
    )
    numbers = [
        n.strip() for n in request.POST.get("complaints", "").replace(",", " ").split() if n.strip()
    ]
    complaints = list(Complaint.objects.filter(site=request.site, number__in=numbers))
    try:
        if len(complaints) != len(set(numbers)):
            raise TownhallError("complaint", _("Nomor pengaduan tidak ditemukan di UPT ini."))
        services.agenda_add(
            session=session,
            actor=request.user,
            title=d["title"],
            notes=d["notes"],
            policy=policy,
            complaints=complaints,
        )
    except TownhallError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Acara ditambahkan."))
    return redirect("townhall:session_detail", pk=pk)


@require_POST
@requires(Perm.SESSION_MANAGE)
def agenda_remove(request: PandaiRequest, pk: int) -> HttpResponse:
    item = get_agenda_item(request, pk)
    try:
        services.agenda_remove(item=item, actor=request.user)
    except TownhallError as exc:
        messages.error(request, exc.message)
    return redirect("townhall:session_detail", pk=item.session_id)


@require_POST
@requires(Perm.SESSION_MANAGE)
def session_import(request: PandaiRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    ids = [int(x) for x in request.POST.getlist("complaint") if x.isdigit()]
    chosen = list(Complaint.objects.filter(site=request.site, pk__in=ids))
    try:
        made = services.questions_import_complaints(
            session=session, actor=request.user, complaints=chosen if ids else None
        )
    except TownhallError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(n)s pertanyaan dari kotak pengaduan masuk antrean.") % {"n": len(made)}
        )
    return redirect("townhall:session_detail", pk=pk)


@require_POST
@requires(Perm.SESSION_MANAGE)
def session_open(request: PandaiRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    try:
        services.session_open(session=session, actor=request.user)
    except TownhallError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sosialisasi dibuka."))
    return redirect("townhall:session_detail", pk=pk)


def _promises_from(request: PandaiRequest) -> list[services.PromiseInput]:
    whats = request.POST.getlist("promise_what")
    whos = request.POST.getlist("promise_who")
    dues = request.POST.getlist("promise_due")
    found = []
    for what, who, due in zip(whats, whos, dues, strict=False):
        if not (what.strip() or who.strip() or due.strip()):
            continue
        try:
            day = dt.date.fromisoformat(due.strip())
        except ValueError as exc:
            raise TownhallError(
                "due", _("Isi batas waktu janji “%(what)s”.") % {"what": what.strip() or "?"}
            ) from exc
        found.append(services.PromiseInput(what=what, who=who, due_date=day))
    return found


@requires(Perm.SESSION_MANAGE)
def session_close(request: PandaiRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    form = CloseForm(request.POST or None, initial={"minutes": session.minutes})
    rows: list[tuple[str, str, str]] = [("", "", "")] * 3
    if request.method == "POST":
        rows = (
            list(
                zip(
                    request.POST.getlist("promise_what"),
                    request.POST.getlist("promise_who"),
                    request.POST.getlist("promise_due"),
                    strict=False,
                )
            )
            or rows
        )
        if form.is_valid():
            try:
                services.session_close(
                    session=session,
                    actor=request.user,
                    minutes=form.cleaned_data["minutes"],
                    promises=_promises_from(request),
                    no_promises=form.cleaned_data["no_promises"],
                )
            except TownhallError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Sosialisasi ditutup; notulen tersimpan."))
                return redirect("townhall:session_detail", pk=pk)
    return render(
        request,
        "townhall/session_close.html",
        {
            "session": session,
            "form": form,
            "rows": rows,
            "counts": selectors.door_counts(session=session),
            "questions": selectors.questions(session=session),
            "today": site_today(request.site),
        },
    )


@requires(Perm.SESSION_VIEW)
def session_pdf(request: PandaiRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    if session.status != "closed":
        messages.error(request, _("Notulen tersedia setelah sosialisasi ditutup."))
        return redirect("townhall:session_detail", pk=pk)
    response = HttpResponse(minutes_pdf(session=session), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notulen-{session.pk}.pdf"'
    return response


@require_POST
@requires(Perm.SESSION_MANAGE)
def session_publish(request: PandaiRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    form = PublishForm(request.POST)
    try:
        text = form.cleaned_data["public_text"] if form.is_valid() else ""
        services.session_publish(session=session, actor=request.user, public_text=text)
    except TownhallError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Notulen diumumkan di papan sosialisasi."))
    return redirect("townhall:session_detail", pk=pk)


@require_POST
@requires(Perm.SESSION_MANAGE)
def session_unpublish(request: PandaiRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    form = ReasonForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.session_unpublish(session=session, actor=request.user, reason=reason)
    except TownhallError as exc:
        messages.error(request, exc.message)
    return redirect("townhall:session_detail", pk=pk)


@requires(Perm.SESSION_VIEW)
def promise_list(request: PandaiRequest) -> HttpResponseBase:
    if wants_xlsx(request):
        promises = [
            *selectors.promises_open(site=request.site),
            *selectors.promises_done(site=request.site, limit=100_000),
        ]
        return list_xlsx(request, name=_("janji"), columns=PROMISE_COLUMNS, objects=promises)
    return render(
        request,
        "townhall/promise_list.html",
        {
            "open": selectors.promises_open(site=request.site),
            "done": selectors.promises_done(site=request.site),
            "today": site_today(request.site),
            "can_manage": can(request, Perm.SESSION_MANAGE),
        },
    )


@require_POST
@requires(Perm.SESSION_MANAGE)
def promise_done(request: PandaiRequest, pk: int) -> HttpResponse:
    promise = get_promise(request, pk)
    try:
        services.promise_done(
            promise=promise, actor=request.user, note=request.POST.get("note", "")
        )
    except TownhallError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Janji ditandai selesai."))
    return redirect("townhall:promise_list")
