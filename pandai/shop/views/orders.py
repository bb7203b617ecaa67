"""Pre-orders from the blocks (/koperasi/pesanan/): the list by block with a status filter,
the printable packing list of each block, an order's detail, delivery at the block (ticked
quantities, the inmate's card and PIN) and cancel with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from pandai.core.http import PandaiRequest
from pandai.core.money import format_rp
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx
from pandai.shop.errors import ShopError
from pandai.shop.forms_orders import CancelForm, DeliverForm, OrderFilterForm
from pandai.shop.models import PreOrder, PreOrderStatus
from pandai.shop.preorder_selectors import blocks_of, orders_for_site, packing_list
from pandai.shop.selectors import open_shift_for
from pandai.shop.services.preorders import preorder_cancel, preorder_deliver
from pandai.wallet import clock
from pandai.wallet.forms import new_form_key


def _order(request: PandaiRequest, pk: int) -> PreOrder:
    return in_acting_site(
        request,
        PreOrder.objects.select_related("inmate__cell__block", "sale", "closed_by", "hold"),
        pk=pk,
    )


def _filters(request: PandaiRequest) -> OrderFilterForm:
    blocks = [(b.pk, b.name) for b in blocks_of(site=request.site)]
    data = request.GET if request.GET else {"status": PreOrderStatus.OPEN}
    form = OrderFilterForm(data, blocks=blocks)
    form.is_valid()
    return form


# The pre-orders in their XLSX download.
ORDER_COLUMNS = [
    (_l("Nomor"), lambda o: o.number),
    (_l("No. registrasi"), lambda o: o.inmate.reg_no),
    (_l("WBP"), lambda o: o.inmate.full_name),
    (_l("Blok"), lambda o: o.inmate.cell.block.name if o.inmate.cell else ""),
    (_l("Kamar"), lambda o: o.inmate.cell.code if o.inmate.cell else ""),
    (_l("Dipesan"), lambda o: o.created_at),
    (_l("Batas antar"), lambda o: o.expires_at),
    (_l("Total"), lambda o: o.total_rp),
    (_l("Status"), lambda o: o.get_status_display()),
]


@requires(Perm.SHOP_ORDERS)
def order_list(request: PandaiRequest) -> HttpResponseBase:
    form = _filters(request)
    data = getattr(form, "cleaned_data", {})
    orders = orders_for_site(
        site=request.site, status=data.get("status") or "", block_id=data.get("block")
    )
    if wants_xlsx(request):
        return list_xlsx(request, name=_("pesanan"), columns=ORDER_COLUMNS, objects=orders)
    page = Paginator(orders, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "shop/orders/list.html",
        {"form": form, "page": page, "now": clock.now(), "block_id": data.get("block")},
    )


@requires(Perm.SHOP_ORDERS)
def order_packing(request: PandaiRequest) -> HttpResponse:
    form = _filters(request)
    block_id = getattr(form, "cleaned_data", {}).get("block")
    return render(
        request,
        "shop/orders/packing.html",
        {"blocks": packing_list(site=request.site, block_id=block_id), "printed_at": clock.now()},
    )


@requires(Perm.SHOP_ORDERS)
def order_detail(request: PandaiRequest, order_pk: int) -> HttpResponse:
    order = _order(request, order_pk)
    return render(
        request,
        "shop/orders/detail.html",
        {
            "order": order,
            "rows": [(line, line.quantity * line.unit_price_rp) for line in order.lines.all()],
            "now": clock.now(),
        },
    )


@requires(Perm.SHOP_ORDERS)
def order_deliver(request: PandaiRequest, order_pk: int) -> HttpResponse:
    order = _order(request, order_pk)
    if order.status != PreOrderStatus.OPEN:
        messages.info(request, _("Pesanan ini sudah %(s)s.") % {"s": order.get_status_display()})
        return redirect("shop:order_detail", order_pk=order.pk)
    error = None
    if request.method == "POST":
        form = DeliverForm(request.POST, order=order)
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = preorder_deliver(
                    order=order,
                    delivered=form.delivered(),
                    card_uid=data["card"],
                    pin=data["pin"],
                    actor=request.user,
                    shift=open_shift_for(cashier=request.user, site=request.site),
                    idempotency_key=data["key"],
                )
            except ShopError as exc:
                error = exc
            else:
                if done.status == PreOrderStatus.DELIVERED and done.sale is not None:
                    messages.success(
                        request,
                        _("Pesanan %(no)s diterima WBP. Ditagih %(rp)s, struk %(receipt)s.")
                        % {
                            "no": done.number,
                            "rp": format_rp(done.sale.total_rp),
                            "receipt": done.sale.number,
                        },
                    )
                else:
                    messages.info(
                        request,
                        _("Tidak ada barang yang diantar: pesanan dibatalkan, dana dilepas."),
                    )
                return redirect("shop:order_detail", order_pk=order.pk)
    else:
        form = DeliverForm(initial={"key": new_form_key()}, order=order)
    return render(
        request,
        "shop/orders/deliver.html",
        {"order": order, "form": form, "error": error},
        status=400 if error is not None or form.errors else 200,
    )


@requires(Perm.SHOP_ORDERS)
def order_cancel(request: PandaiRequest, order_pk: int) -> HttpResponse:
    order = _order(request, order_pk)
    if order.status != PreOrderStatus.OPEN:
        messages.info(request, _("Pesanan ini sudah %(s)s.") % {"s": order.get_status_display()})
        return redirect("shop:order_detail", order_pk=order.pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            preorder_cancel(order=order, actor=request.user, reason=form.cleaned_data["reason"])
        except ShopError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Pesanan %(no)s dibatalkan; dana WBP dilepas.") % {"no": order.number}
            )
            return redirect("shop:order_detail", order_pk=order.pk)
    return render(
        request,
        "shop/orders/cancel.html",
        {"order": order, "form": form},
        status=400 if form.errors else 200,
    )
