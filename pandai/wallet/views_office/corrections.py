"""Corrections: adjustments asked for by one officer (maker) and approved or rejected by
another (checker), and the reversal of a posted transfer."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.wallet import services
from pandai.wallet.corrections import NOT_REVERSIBLE
from pandai.wallet.errors import LedgerError
from pandai.wallet.forms_office import AdjustmentRequestForm, RejectForm, ReverseForm
from pandai.wallet.models import AdjustmentRequest, AdjustmentStatus, Transfer, TransferState


def _requests(request: PandaiRequest, status: str | None = None) -> QuerySet[AdjustmentRequest]:
    rows = (
        AdjustmentRequest.objects.filter(site=request.site)
        .select_related("account__inmate", "requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )
    return rows.filter(status=status) if status else rows


@requires(Perm.ADJUST_MAKE)
def adjustments(request: PandaiRequest) -> HttpResponse:
    form = AdjustmentRequestForm(request.POST or None, site=request.site)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.adjustment_request(
                account=data["account"],
                credit=data["direction"] == "credit",
                amount_rp=data["amount_rp"],
                reason=data["reason"],
                actor=request.user,
            )
        except LedgerError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Permintaan penyesuaian #%(n)d dicatat; menunggu persetujuan petugas lain.")
                % {"n": made.pk},
            )
            return redirect("office:adjustments")
    return render(
        request, "wallet/office/adjustments.html", {"form": form, "rows": _requests(request)[:100]}
    )


@requires(Perm.ADJUST_APPROVE)
def adjustment_queue(request: PandaiRequest) -> HttpResponse:
    return render(
        request,
        "wallet/office/adjustment_queue.html",
        {
            "pending": _requests(request, AdjustmentStatus.REQUESTED),
            "recent": _requests(request).exclude(status=AdjustmentStatus.REQUESTED)[:30],
            "reject_form": RejectForm(),
        },
    )


@requires(Perm.ADJUST_APPROVE)
@require_POST
def adjustment_approve(request: PandaiRequest, pk: int) -> HttpResponse:
    adjustment = in_acting_site(request, AdjustmentRequest.objects.select_related("site"), pk=pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tekan tombol Setujui pada permintaan yang dimaksud."))
        return redirect("office:adjustment_queue")
    try:
        services.adjustment_approve(request=adjustment, actor=request.user)
    except LedgerError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Penyesuaian #%(n)d disetujui dan dibukukan.") % {"n": pk})
    return redirect("office:adjustment_queue")


@requires(Perm.ADJUST_APPROVE)
@require_POST
def adjustment_reject(request: PandaiRequest, pk: int) -> HttpResponse:
    adjustment = in_acting_site(request, AdjustmentRequest.objects.select_related("site"), pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan penolakan wajib diisi."))
        return redirect("office:adjustment_queue")
    try:
        services.adjustment_reject(
            request=adjustment, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except LedgerError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Penyesuaian #%(n)d ditolak.") % {"n": pk})
    return redirect("office:adjustment_queue")


@requires(Perm.ADJUST_APPROVE)
def reverse(request: PandaiRequest) -> HttpResponse:
    """Find a transfer by its number, check it, and reverse it with a written reason."""
    data = request.POST if request.method == "POST" else None
    form = ReverseForm(data, initial={"transfer": request.GET.get("transaksi", "")})
    raw = request.POST.get("transfer") or request.GET.get("transaksi", "")
    transfer = None
    if raw.isdigit():
        transfer = (
            Transfer.objects.filter(site=request.site, pk=int(raw))
            .select_related("debit_account__inmate", "credit_account__inmate", "batch", "actor")
            .first()
        )
        if transfer is None and form.is_valid():
            form.add_error("transfer", _("Transaksi itu tidak ada di UPT ini."))
        elif transfer is None:
            messages.error(request, _("Transaksi itu tidak ada di UPT ini."))
    reversed_by = Transfer.objects.filter(reverses=transfer).first() if transfer else None
    reversible = (
        transfer is not None
        and reversed_by is None
        and transfer.kind not in NOT_REVERSIBLE
        and transfer.state == TransferState.POSTED
    )
    if request.method == "POST" and transfer is not None and form.is_valid():
        try:
            result = services.transfer_reverse(
                transfer=transfer, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except LedgerError as exc:
            form.add_error(None, exc.message)
        else:
            if not result.replayed:
                messages.success(
                    request,
                    _("Transaksi #%(n)d dibatalkan dengan transaksi balik.") % {"n": transfer.pk},
                )
            return redirect(f"{request.path}?transaksi={transfer.pk}")
    return render(
        request,
        "wallet/office/reverse.html",
        {
            "form": form,
            "transfer": transfer,
            "reversed_by": reversed_by,
            "reversible": reversible,
        },
    )
