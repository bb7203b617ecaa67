"""Corrections at the till, each approved by a shop manager typing their own login on the
cashier's screen: void a receipt of the open shift, return items against an earlier receipt,
and the return's receipt."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.shop.errors import ShopError
from pandai.shop.forms_pos import ApprovalForm, ReturnFindForm, ReturnForm
from pandai.shop.models import Sale, SaleReturn, SaleStatus
from pandai.shop.pos_basket import new_checkout_key
from pandai.shop.services.corrections import approver_check, sale_return, sale_void
from pandai.shop.views.receipts import sale_for
from pandai.shop.views.till import till_for
from pandai.wallet import selectors as wallet_selectors

# Refusals that belong to the approval fields rather than to the whole form.
APPROVAL_CODES = {"approval_invalid", "approval_locked", "approval_self", "approval_not_allowed"}


def _refuse(form: ApprovalForm, exc: ShopError) -> None:
    if exc.code in APPROVAL_CODES:
        form.add_error("approver", exc.message)
    elif exc.code == "reason_required":
        form.add_error("reason", exc.message)
    else:
        form.add_error(None, exc.message)


@requires(Perm.SHOP_SELL)
def sale_void_view(request: PandaiRequest, sale_pk: int) -> HttpResponse:
    """ "Batalkan": the whole receipt undone, at its own terminal while its shift is open."""
    sale = sale_for(request, sale_pk)
    till = till_for(request)
    form = ApprovalForm(request.POST or None)
    problem = None
    if sale.status != SaleStatus.COMPLETED:
        problem = _("Struk ini sudah dibatalkan.")
    elif sale.shift is None or not sale.shift.is_open:
        problem = _("Shift struk ini sudah ditutup; gunakan retur untuk mengembalikan barang.")
    elif till.terminal is None or till.terminal.pk != sale.shift.terminal_id:
        problem = _("Struk ini dibuat di terminal lain; batalkan dari terminal itu.")
    if request.method == "POST" and problem is None and form.is_valid():
        data = form.cleaned_data
        try:
            approver = approver_check(
                site=request.site,
                username=data["approver"],
                secret=data["secret"],
                cashier=request.user,
                request=request,
            )
            assert till.terminal is not None
            sale_void(
                sale=sale,
                actor=request.user,
                approver=approver,
                reason=data["reason"],
                terminal=till.terminal,
            )
        except ShopError as exc:
            _refuse(form, exc)
        else:
            messages.success(
                request,
                _("Struk %(no)s dibatalkan; saldo dan stok sudah dikembalikan.")
                % {"no": sale.number},
            )
            return redirect("shop:receipt", sale_pk=sale.pk)
    if form.is_bound:
        data = request.POST.copy()
        data["secret"] = ""
        form.data = data  # never echo a password back into the page
    return render(
        request,
        "shop/pos/void.html",
        {"sale": sale, "lines": sale.lines.order_by("pk"), "form": form, "problem": problem},
    )


@requires(Perm.SHOP_SELL)
def return_find(request: PandaiRequest) -> HttpResponse:
    """Find the earlier receipt by its number (typed, or scanned from the printed receipt)."""
    form = ReturnFindForm(request.GET or None)
    if form.is_valid():
        number = form.cleaned_data["number"]
        sale = Sale.objects.filter(site=request.site, number__iexact=number).first()
        if sale is not None:
            return redirect("shop:sale_return", sale_pk=sale.pk)
        form.add_error("number", _("Struk %(no)s tidak ditemukan di UPT ini.") % {"no": number})
    recent = (
        SaleReturn.objects.filter(site=request.site)
        .select_related("sale", "sale__inmate")
        .order_by("-created_at")[:20]
    )
    return render(request, "shop/pos/return_find.html", {"form": form, "recent": recent})


@requires(Perm.SHOP_SELL)
def sale_return_view(request: PandaiRequest, sale_pk: int) -> HttpResponse:
    """Choose what comes back (never more than bought minus returned), the reason, and the
    manager's approval. The form carries one idempotency key, so a double submit returns once."""
    sale = sale_for(request, sale_pk)
    till = till_for(request)
    problem = None
    if sale.status != SaleStatus.COMPLETED:
        problem = _("Struk ini sudah dibatalkan; tidak ada yang bisa diretur.")
    elif not till.ready:
        problem = _("Retur dilakukan di terminal kasir dengan shift terbuka.")
    posted_key = request.POST.get("key", "") if request.method == "POST" else ""
    done = SaleReturn.objects.filter(site=request.site, sale=sale, idempotency_key=posted_key)
    earlier = done.first() if posted_key else None
    if earlier is not None:
        # The same form sent again (double click, reload): the return it already made.
        messages.info(
            request,
            _("Retur ini sudah tercatat (%(no)s); tidak dicatat dua kali.")
            % {"no": earlier.number},
        )
        return redirect("shop:return_receipt", return_pk=earlier.pk)
    form = ReturnForm(
        request.POST or None, sale=sale, initial={"key": new_checkout_key().replace("pos", "ret")}
    )
    if request.method == "POST" and problem is None and form.is_valid():
        data = form.cleaned_data
        try:
            approver = approver_check(
                site=request.site,
                username=data["approver"],
                secret=data["secret"],
                cashier=request.user,
                request=request,
            )
            returned = sale_return(
                sale=sale,
                quantities=form.quantities(),
                reason=data["reason"],
                actor=request.user,
                approver=approver,
                shift=till.shift,
                terminal=till.terminal,
                idempotency_key=data["key"],
            )
        except ShopError as exc:
            _refuse(form, exc)
        else:
            messages.success(
                request,
                _("Retur %(no)s dicatat; uang dan batas belanja dikembalikan ke WBP.")
                % {"no": returned.number},
            )
            return redirect("shop:return_receipt", return_pk=returned.pk)
    if form.is_bound:
        data = request.POST.copy()
        data["secret"] = ""
        form.data = data
    return render(
        request,
        "shop/pos/return_form.html",
        {"sale": sale, "form": form, "problem": problem, "till": till},
    )


@requires(Perm.SHOP_SELL)
def return_receipt(request: PandaiRequest, return_pk: int) -> HttpResponse:
    returned = in_acting_site(
        request,
        SaleReturn.objects.select_related(
            "site", "sale", "sale__inmate", "actor", "approved_by", "shift"
        ),
        pk=return_pk,
    )
    width = "58" if request.GET.get("w") == "58" else "80"
    return render(
        request,
        "shop/pos/return_receipt.html",
        {
            "ret": returned,
            "lines": [
                {
                    "name": line.sale_line.name,
                    "quantity": line.quantity,
                    "unit_price_rp": line.sale_line.unit_price_rp,
                    "total_rp": line.quantity * line.sale_line.unit_price_rp,
                }
                for line in returned.lines.select_related("sale_line").order_by("pk")
            ],
            "balance_now": wallet_selectors.balances(inmate=returned.sale.inmate).available_rp,
            "width": width,
        },
    )
