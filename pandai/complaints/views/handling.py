"""The queue, one complaint with its history, the actions on it, and the audited reveal of a
confidential complainant."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from pandai.complaints import selectors, services
from pandai.complaints.forms import (
    AnswerForm,
    AssignForm,
    DuplicateForm,
    NoteForm,
    PublishForm,
    ReasonForm,
    RejectForm,
    VerifyForm,
)
from pandai.complaints.models import Complaint, Identity, Status
from pandai.complaints.views.common import complaint_for
from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.models import Role
from pandai.core.permissions import Perm, can, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx


def _can_open(request: PandaiRequest, complaint: Complaint) -> None:
    """An official who may only handle sees the items disposed to them (and none named)."""
    if can(request, Perm.COMPLAINT_ASSIGN) or Role.HEAD in request.roles:
        return
    if request.user.pk in (complaint.assigned_to_id, complaint.officer_id):
        return
    raise PermissionDenied(_("Pengaduan ini tidak didisposisikan kepada Anda."))


# The queue in its XLSX download: the page's columns, never the complainant's identity.
QUEUE_COLUMNS = [
    (_l("Nomor"), lambda c: c.number),
    (_l("Kategori"), lambda c: c.category.name),
    (_l("Jenis"), lambda c: c.get_kind_display()),
    (_l("Saluran"), lambda c: c.get_channel_display()),
    (_l("Ringkasan"), lambda c: c.title or Truncator(c.text).chars(70)),
    (_l("Status"), lambda c: c.get_status_display()),
    (_l("Darurat"), lambda c: c.is_emergency),
    (_l("Batas waktu"), lambda c: c.due_on if c.is_open else None),
]


@requires(Perm.COMPLAINT_HANDLE)
def queue(request: PandaiRequest) -> HttpResponseBase:
    name = request.GET.get("q", "")
    if name not in selectors.QUEUES:
        name = "mine" if not can(request, Perm.COMPLAINT_ASSIGN) else "open"
    today = site_today(request.site)
    args: dict[str, Any] = {
        "site": request.site,
        "user": request.user,
        "roles": request.roles,
        "today": today,
    }
    items = selectors.queue(name=name, **args)
    category = None
    if request.GET.get("kategori", "").isdigit():  # one category's (the dashboard links here)
        category = (
            selectors.categories(site=request.site, active_only=False)
            .filter(pk=int(request.GET["kategori"]))
            .first()
        )
        items = items.filter(category=category)
    if wants_xlsx(request):
        return list_xlsx(request, name=_("pengaduan"), columns=QUEUE_COLUMNS, objects=items)
    return render(
        request,
        "complaints/queue.html",
        {
            "items": items[:300],
            "queue_name": name,
            "category": category,
            "counts": selectors.queue_counts(**args),
            "today": today,
            "can_intake": can(request, Perm.COMPLAINT_INTAKE),
            "can_settings": can(request, Perm.COMPLAINT_SETTINGS),
        },
    )


def _forms(request: PandaiRequest, c: Complaint) -> dict[str, Any]:
    return {
        "verify": VerifyForm(
            site=request.site, initial={"title": c.title, "kind": c.kind, "category": c.category_id}
        ),
        "assign": AssignForm(
            assignees=selectors.assignable_staff(complaint=c),
            initial={
                "assignee": c.category.default_handler_id,
                "section": c.category.default_section,
            },
        ),
        "answer": AnswerForm(
            templates=selectors.templates_for(complaint=c), initial={"text": c.answer_text}
        ),
        "publish": PublishForm(initial={"public_text": c.answer_public_text}),
        "reject": RejectForm(),
        "duplicate": DuplicateForm(),
        "reason": ReasonForm(),
        "note": NoteForm(),
    }


@requires(Perm.COMPLAINT_HANDLE)
def detail(request: PandaiRequest, pk: int, forms: dict[str, Any] | None = None) -> HttpResponse:
    c = complaint_for(request, pk)
    _can_open(request, c)
    may_manage = can(request, Perm.COMPLAINT_ASSIGN)
    may_work = may_manage or c.assigned_to_id == request.user.pk
    shown = _forms(request, c)
    shown.update(forms or {})
    return render(
        request,
        "complaints/detail.html",
        {
            "c": c,
            "history": selectors.history_of(complaint=c),
            "escalations": c.escalations.all(),
            "named_staff": c.named_staff.all(),
            "forms": shown,
            "may_manage": may_manage,
            "may_work": may_work,
            "can": {s: services.can_move(c, s) for s in Status.values},
            "may_see_identity": services.may_see_identity(
                user=request.user, roles=request.roles, complaint=c
            ),
            "identity_named": c.identity == Identity.NAMED,
            "templates": selectors.templates_for(complaint=c),
            "today": site_today(request.site),
        },
        status=400 if forms else 200,
    )


Action = Callable[[PandaiRequest, Complaint, dict[str, Any]], Any]


def _run(
    request: PandaiRequest, c: Complaint, form: Any, key: str, action: Action, done: str
) -> HttpResponse:
    """Validate `form`, call the service, and come back to the item (the form with its
    message on a refusal, which changes nothing)."""
    if form.is_valid():
        try:
            action(request, c, form.cleaned_data)
        except services.ComplaintError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect("complaints:detail", pk=c.pk)
    messages.error(request, _("Tindakan tidak dijalankan; periksa isian di bawah."))
    return detail(request, c.pk, forms={key: form})


def _original(request: PandaiRequest, number: str) -> Complaint:
    found = (
        selectors.visible_to(site=request.site, user=request.user)
        .filter(number__iexact=number.strip())
        .first()
    )
    if found is None:
        raise services.ComplaintError("original", _("Nomor pengaduan asli tidak ditemukan."))
    return found


MANAGE: dict[str, tuple[type, Action, str]] = {
    "take": (
        ReasonForm,
        lambda r, c, d: services.complaint_take(complaint=c, actor=r.user),
        _("Pengaduan ini kini Anda tangani."),
    ),
    "verify": (
        VerifyForm,
        lambda r, c, d: services.complaint_verify(complaint=c, actor=r.user, **d),
        _("Pengaduan diverifikasi."),
    ),
    "assign": (
        AssignForm,
        lambda r, c, d: services.complaint_assign(complaint=c, actor=r.user, **d),
        _("Pengaduan didisposisikan."),
    ),
    "reject": (
        RejectForm,
        lambda r, c, d: services.complaint_reject(complaint=c, actor=r.user, **d),
        _("Pengaduan ditolak."),
    ),
    "duplicate": (
        DuplicateForm,
        lambda r, c, d: services.complaint_mark_duplicate(
            complaint=c, actor=r.user, original=_original(r, d["original"]), note=d["note"]
        ),
        _("Ditandai sebagai duplikat."),
    ),
    "extend": (
        ReasonForm,
        lambda r, c, d: services.complaint_extend(complaint=c, actor=r.user, reason=d["reason"]),
        _("Batas waktu diperpanjang."),
    ),
    "publish": (
        PublishForm,
        lambda r, c, d: services.complaint_publish(complaint=c, actor=r.user, **d),
        _("Jawaban diumumkan di papan pengaduan."),
    ),
    "unpublish": (
        ReasonForm,
        lambda r, c, d: services.complaint_unpublish(complaint=c, actor=r.user, reason=d["reason"]),
        _("Jawaban ditarik dari papan."),
    ),
    "close": (
        ReasonForm,
        lambda r, c, d: services.complaint_close(complaint=c, actor=r.user, note=d["reason"]),
        _("Pengaduan selesai."),
    ),
    "reopen": (
        ReasonForm,
        lambda r, c, d: services.complaint_reopen(complaint=c, actor=r.user, reason=d["reason"]),
        _("Pengaduan dibuka kembali."),
    ),
}

WORK: dict[str, tuple[type, Action, str]] = {
    "start": (
        NoteForm,
        lambda r, c, d: services.complaint_start(complaint=c, actor=r.user, note=d["note"]),
        _("Status: ditindaklanjuti."),
    ),
    "answer": (
        AnswerForm,
        lambda r, c, d: services.complaint_answer(
            complaint=c,
            actor=r.user,
            text=d["text"],
            at_session=d["at_session"],
            public_text=d["public_text"],
        ),
        _("Jawaban disimpan."),
    ),
    "note": (
        NoteForm,
        lambda r, c, d: services.complaint_note(
            complaint=c, actor=r.user, note=d["note"], public=d["public"]
        ),
        _("Catatan ditambahkan."),
    ),
}


def _bound(request: PandaiRequest, c: Complaint, form_class: type) -> Any:
    if form_class is VerifyForm:
        return VerifyForm(request.POST, site=request.site)
    if form_class is AssignForm:
        return AssignForm(request.POST, assignees=selectors.assignable_staff(complaint=c))
    if form_class is AnswerForm:
        return AnswerForm(request.POST, templates=selectors.templates_for(complaint=c))
    return form_class(request.POST)


def _dispatch(
    request: PandaiRequest, pk: int, table: dict[str, tuple[type, Action, str]]
) -> HttpResponse:
    c = complaint_for(request, pk)
    _can_open(request, c)
    name = request.POST.get("action", "")
    if name not in table:
        messages.error(request, _("Tindakan tidak dikenal."))
        return redirect("complaints:detail", pk=c.pk)
    form_class, action, done = table[name]
    key = {
        "take": "reason",
        "extend": "reason",
        "unpublish": "reason",
        "close": "reason",
        "reopen": "reason",
        "start": "note",
    }.get(name, name)
    return _run(request, c, _bound(request, c, form_class), key, action, done)


@require_POST
@requires(Perm.COMPLAINT_ASSIGN)
def manage(request: PandaiRequest, pk: int) -> HttpResponse:
    """Verify, dispose, reject, mark duplicate, extend, publish, close, reopen."""
    return _dispatch(request, pk, MANAGE)


@require_POST
@requires(Perm.COMPLAINT_HANDLE)
def work(request: PandaiRequest, pk: int) -> HttpResponse:
    """Act on and answer an item (the official it is disposed to, or a disposer)."""
    return _dispatch(request, pk, WORK)


@requires(Perm.COMPLAINT_HANDLE)
def reveal(request: PandaiRequest, pk: int) -> HttpResponse:
    """Show the complainant of a confidential item after a reason is given; each time is
    written to the audit chain. Others are told who may see it."""
    c = complaint_for(request, pk)
    _can_open(request, c)
    allowed = services.may_see_identity(user=request.user, roles=request.roles, complaint=c)
    form = ReasonForm(request.POST or None)
    revealed = None
    if request.method == "POST" and allowed and form.is_valid():
        try:
            revealed = services.identity_reveal(
                complaint=c,
                actor=request.user,
                roles=request.roles,
                reason=form.cleaned_data["reason"],
            )
        except services.ComplaintError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "complaints/reveal.html",
        {"c": c, "form": form, "allowed": allowed, "revealed": revealed},
    )


@requires(Perm.COMPLAINT_HANDLE)
def scan(request: PandaiRequest, pk: int) -> HttpResponseBase:
    c = complaint_for(request, pk)
    _can_open(request, c)
    if not c.scan:
        raise Http404(_("Tidak ada pindaian."))
    pdf = (c.scan.name or "").endswith(".pdf")
    return FileResponse(
        c.scan.open("rb"),
        content_type="application/pdf" if pdf else "image/jpeg",
        filename=f"{c.number}.{'pdf' if pdf else 'jpg'}",
    )
