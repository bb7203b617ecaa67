"""The head's retaliation watch: flags raised after named or confidential complaints, each
linking the complaint and the record of what happened, and the decision with a reason.

The list names nobody (numbers, kinds, dates). A flag's page shows the inmate, because the
head must judge the event; for a confidential complaint that is an identity view and is
written to the audit chain each time, like the complaint's own reveal."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.complaints.forms_oversight import DecideForm
from pandai.complaints.models import Identity, RetaliationFlag
from pandai.complaints.selectors import may_access
from pandai.complaints.services import ComplaintError, identity_reveal
from pandai.complaints.services.retaliation import retaliation_decide, retaliation_scan
from pandai.core.http import PandaiRequest
from pandai.core.models import AuditEvent, User
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.inmates.models import DisciplineEntry, InmateEvent
from pandai.wallet.models import LimitException


@dataclass(frozen=True)
class RecordView:
    """What the flagged record says, in words, with who did it."""

    title: str
    detail: str
    actor: User | None
    actor_named: bool


def _words(flag: RetaliationFlag) -> tuple[str, str, User | None]:
    """(title, detail, actor) of the flagged record; a record gone missing shows its id."""
    kind, pk = flag.record_type, flag.record_id
    if kind == "inmates.inmateevent":
        ev = InmateEvent.objects.select_related("from_cell", "to_cell", "actor").filter(pk=pk)
        if (e := ev.first()) is not None:
            title = _("Pindah kamar %(old)s → %(new)s") % {"old": e.from_cell, "new": e.to_cell}
            return title, e.note, e.actor
    if kind == "inmates.disciplineentry":
        d = DisciplineEntry.objects.select_related("actor").filter(pk=pk).first()
        if d is not None:
            title = _("Register F: %(offence)s") % {"offence": d.offence}
            return title, _("Sanksi: %(s)s") % {"s": d.sanction}, d.actor
    if kind == "wallet.limitexception":
        x = LimitException.objects.select_related("granted_by").filter(pk=pk).first()
        if x is not None:
            title = _("Batas belanja khusus: harian %(d)s, bulanan %(m)s") % {
                "d": x.daily_limit_rp if x.daily_limit_rp is not None else "-",
                "m": x.monthly_limit_rp if x.monthly_limit_rp is not None else "-",
            }
            return title, x.reason, x.granted_by
    if kind == "core.auditevent":
        a = AuditEvent.objects.select_related("actor").filter(pk=pk).first()
        if a is not None:
            title = f"{flag.get_kind_display()} ({a.action})"
            return title, str((a.data or {}).get("reason", "")), a.actor
    return f"{kind} #{pk}", "", None


def _describe(flag: RetaliationFlag) -> RecordView:
    title, detail, actor = _words(flag)
    named = actor is not None and flag.complaint.named_staff.filter(pk=actor.pk).exists()
    return RecordView(title=title, detail=detail, actor=actor, actor_named=named)


def _flags(request: PandaiRequest) -> list[RetaliationFlag]:
    rows = (
        RetaliationFlag.objects.filter(site=request.site)
        .exclude(complaint__named_staff=request.user)
        .select_related("complaint", "decided_by")
        .order_by("decided_at", "-event_at", "-pk")
    )
    return list(rows[:300])


@requires(Perm.RETALIATION_REVIEW)
def flag_list(request: PandaiRequest) -> HttpResponse:
    flags = _flags(request)
    return render(
        request,
        "complaints/oversight/retaliation_list.html",
        {
            "open": [f for f in flags if not f.decided],
            "decided": [f for f in flags if f.decided],
        },
    )


@requires(Perm.RETALIATION_REVIEW)
def flag_detail(request: PandaiRequest, pk: int) -> HttpResponse:
    flag = in_acting_site(
        request, RetaliationFlag.objects.select_related("complaint", "decided_by"), pk=pk
    )
    complaint = flag.complaint
    if not may_access(user=request.user, complaint=complaint):
        raise PermissionDenied(_("Anda disebut dalam pengaduan ini dan tidak dapat membukanya."))
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retaliation_decide(
                flag=flag,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ComplaintError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Keputusan dicatat."))
            return redirect("complaints:retaliation_list")
    inmate = None
    try:
        # Confidential: the reveal writes the audit chain (head or the item's officer only).
        inmate = identity_reveal(
            complaint=complaint,
            actor=request.user,
            roles=request.roles,
            reason=_("Tinjauan pantauan pembalasan"),
        ).inmate
    except ComplaintError:
        inmate = None
    days = (flag.event_at - complaint.received_at).days
    return render(
        request,
        "complaints/oversight/retaliation_detail.html",
        {
            "flag": flag,
            "c": complaint,
            "record": _describe(flag),
            "inmate": inmate,
            "confidential": complaint.identity == Identity.CONFIDENTIAL,
            "days_after": days,
            "form": form,
        },
    )


@require_POST
@requires(Perm.RETALIATION_REVIEW)
def flag_scan(request: PandaiRequest) -> HttpResponse:
    """Run the watch now for this site (it also runs from manage.py retaliation_scan)."""
    found = retaliation_scan(site=request.site)
    messages.info(request, _("%(n)s tanda baru.") % {"n": found})
    return redirect(reverse("complaints:retaliation_list"))
