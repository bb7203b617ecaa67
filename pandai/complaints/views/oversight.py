"""Follow-up screens of one complaint: external escalations (Kanwil, SP4N-LAPOR!, Ombudsman),
the complainant's rating recorded by an officer, and money disputes linked to a ledger
transfer or a shop sale (the return or reversal itself is started on the shop's or the
ledger's own screen, with their approvals)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pandai.complaints.forms_oversight import EscalationForm, MoneyLinkForm, OfficerRateForm
from pandai.complaints.models import Complaint, EscalationBody, Identity
from pandai.complaints.services import ComplaintError, identity_reveal
from pandai.complaints.services.escalation import escalation_record
from pandai.complaints.services.money_links import candidates, links_of, money_link_add
from pandai.complaints.services.satisfaction import complaint_rate, may_rate
from pandai.complaints.views.common import complaint_for
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, can, requires
from pandai.shop.models import Sale
from pandai.wallet.models import Transfer


@requires(Perm.COMPLAINT_ASSIGN)
def escalations(request: PandaiRequest, pk: int) -> HttpResponse:
    c = complaint_for(request, pk)
    form = EscalationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            escalation_record(complaint=c, actor=request.user, **form.cleaned_data)
        except ComplaintError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Rujukan ke luar UPT dicatat."))
            return redirect("complaints:escalations", pk=c.pk)
    rows = c.escalations.select_related("recorded_by").order_by("created_at", "pk")
    return render(
        request,
        "complaints/oversight/escalations.html",
        {"c": c, "form": form, "rows": rows, "head_body": EscalationBody.HEAD},
    )


def _may_work(request: PandaiRequest, c: Complaint) -> bool:
    """Disposers, and the official the item is disposed to."""
    return can(request, Perm.COMPLAINT_ASSIGN) or c.assigned_to_id == request.user.pk


@requires(Perm.COMPLAINT_HANDLE)
def rating(request: PandaiRequest, pk: int) -> HttpResponse:
    """The complainant tells an officer (at the desk, in the block) what they think of the
    answer; the officer records it."""
    c = complaint_for(request, pk)
    form = OfficerRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not _may_work(request, c):
            raise PermissionDenied(_("Pengaduan ini didisposisikan kepada pejabat lain."))
        try:
            complaint_rate(
                complaint=c,
                actor=request.user,
                by_complainant=False,
                rating=form.cleaned_data["rating"],
                note=form.cleaned_data["note"],
            )
        except ComplaintError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Penilaian pelapor dicatat."))
            return redirect("complaints:rating", pk=c.pk)
    return render(
        request,
        "complaints/oversight/rating.html",
        {"c": c, "form": form, "can_rate": may_rate(c)},
    )


@requires(Perm.COMPLAINT_HANDLE)
def money_links(request: PandaiRequest, pk: int) -> HttpResponse:
    """The complainant's statement and receipts to pick from, and the links made. Showing a
    statement shows who complained: for a confidential item only the head and its officer
    may, and each view is audited (through identity_reveal)."""
    c = complaint_for(request, pk)
    if c.identity == Identity.CONFIDENTIAL:
        try:
            identity_reveal(
                complaint=c,
                actor=request.user,
                roles=request.roles,
                reason=_("Sengketa uang: melihat mutasi pelapor"),
            )
        except ComplaintError as exc:
            raise PermissionDenied(exc.message) from exc
    form = MoneyLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not _may_work(request, c):
            raise PermissionDenied(_("Pengaduan ini didisposisikan kepada pejabat lain."))
        data = form.cleaned_data
        transfer = Transfer.objects.select_related("debit_account", "credit_account").filter(
            pk=data["transfer"] or 0
        )
        sale = Sale.objects.filter(pk=data["sale"] or 0)
        try:
            money_link_add(
                complaint=c,
                actor=request.user,
                transfer=transfer.first(),
                sale=sale.first(),
                note=data["note"],
            )
        except ComplaintError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Transaksi ditautkan ke pengaduan."))
        return redirect("complaints:money_links", pk=c.pk)
    found = None
    problem = ""
    try:
        found = candidates(complaint=c)
    except ComplaintError as exc:
        problem = exc.message
    links = list(links_of(complaint=c))
    return render(
        request,
        "complaints/oversight/money_links.html",
        {
            "c": c,
            "links": links,
            "linked_transfers": {link.transfer_id for link in links if link.transfer_id},
            "linked_sales": {link.sale_id for link in links if link.sale_id},
            "found": found,
            "problem": problem,
            "can_link": _may_work(request, c),
            # The other apps' screens, with their own approvals: linked only for those who
            # may open them; the others see who to ask.
            "can_reverse": can(request, Perm.ADJUST_APPROVE),
            "can_open_receipt": can(request, Perm.SHOP_SELL),
        },
    )
