"""Belanja: the koperasi catalogue (prices, photos, per-item limits), a basket kept in the
session, a pre-order placed through the shop's service (it holds the money on the card until
delivery; the PIN is asked again, since the order spends money), and my open orders with a
cancel button."""

from __future__ import annotations

import secrets
from itertools import groupby

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.money import format_rp
from pandai.inmates import services as inmate_services
from pandai.kiosk.access import InmateRequest, KioskRequest, inmate_view, kiosk_view
from pandai.kiosk.views.auth import PIN_DIGITS
from pandai.kiosk.views.common import page
from pandai.shop.errors import ShopError
from pandai.shop.models import PreOrder, PreOrderStatus, Product
from pandai.shop.preorder_selectors import open_orders_of
from pandai.shop.selectors import bought_quantities, products_for_till, shop_restriction
from pandai.shop.services.checkout import CartLine
from pandai.shop.services.preorders import preorder_cancel, preorder_place
from pandai.wallet import selectors as wallet_selectors

BASKET_KEY = "kiosk_basket"
ORDER_KEY = "kiosk_order_key"
MAX_QTY = 20
CANCEL_REASON = "Dibatalkan sendiri oleh WBP di kios"


def _basket(request: KioskRequest) -> dict[int, int]:
    raw = request.session.get(BASKET_KEY) or {}
    return {int(k): int(v) for k, v in raw.items() if str(k).isdigit() and int(v) > 0}


def _save_basket(request: KioskRequest, basket: dict[int, int]) -> None:
    request.session[BASKET_KEY] = {str(k): v for k, v in basket.items() if v > 0}


def _order_key(request: KioskRequest) -> str:
    """One key per basket: a double tap on "Pesan" places one order."""
    key = request.session.get(ORDER_KEY)
    if not isinstance(key, str):
        key = f"kiosk-{secrets.token_hex(12)}"
        request.session[ORDER_KEY] = key
    return key


@inmate_view
def catalogue(request: InmateRequest) -> HttpResponse:
    inmate = request.kiosk_user.inmate
    products = products_for_till(site=request.kiosk.site)
    restricted = shop_restriction(inmate=inmate) is not None
    if restricted:
        products = [p for p in products if p.essential]
    basket = _basket(request)
    by_id = {p.pk: p for p in products}
    lines = [
        (by_id[pk], qty, by_id[pk].price_rp * qty) for pk, qty in basket.items() if pk in by_id
    ]
    total = sum(t for _p, _q, t in lines)
    bought = bought_quantities(inmate=inmate, product_ids=list(by_id))
    groups = [
        (name, [(p, bought.get(p.pk, (0, 0)), basket.get(p.pk, 0)) for p in items])
        for name, items in groupby(products, key=lambda p: p.category.name)
    ]
    balances = wallet_selectors.balances(inmate=inmate)
    return page(
        request,
        "kiosk/shop.html",
        {
            "groups": groups,
            "lines": lines,
            "total": total,
            "available": balances.available_rp,
            "restricted": restricted,
            "order_key": _order_key(request),
            "digits": PIN_DIGITS,
            "open_count": len(open_orders_of(inmate=inmate)),
        },
        speech=_(
            "Belanja. Saldo Anda %(available)s. Tekan tambah pada barang, lalu tekan Pesan. "
            "Uangnya ditahan sampai barang diantar."
        )
        % {"available": format_rp(balances.available_rp)},
    )


@require_POST
@inmate_view
def basket_change(request: InmateRequest) -> HttpResponse:
    try:
        product_id = int(request.POST.get("product", ""))
        delta = int(request.POST.get("delta", "0"))
    except ValueError:
        return redirect("kiosk:shop")
    if not Product.objects.filter(pk=product_id, site=request.kiosk.site, is_active=True).exists():
        raise Http404
    basket = _basket(request)
    basket[product_id] = max(0, min(MAX_QTY, basket.get(product_id, 0) + max(-1, min(1, delta))))
    _save_basket(request, basket)
    request.session.pop(ORDER_KEY, None)  # another basket, another order
    return redirect(reverse("kiosk:shop") + f"#p{product_id}")


@require_POST
@inmate_view
def place(request: InmateRequest) -> HttpResponse:
    inmate = request.kiosk_user.inmate
    basket = _basket(request)
    if not basket:
        messages.error(request, _("Keranjang masih kosong."))
        return redirect("kiosk:shop")
    check = inmate_services.pin_verify(
        inmate=inmate, pin=request.POST.get("pin", ""), terminal=request.kiosk.name
    )
    if not check.ok:
        messages.error(request, check.message)
        return redirect("kiosk:shop")
    try:
        order = preorder_place(
            inmate=inmate,
            lines=[CartLine(product_id=pk, quantity=qty) for pk, qty in basket.items()],
            idempotency_key=request.POST.get("key") or _order_key(request),
            terminal=request.kiosk.name,
        )
    except ShopError as exc:
        messages.error(request, exc.message)
        return redirect("kiosk:shop")
    request.session.pop(BASKET_KEY, None)
    request.session.pop(ORDER_KEY, None)
    messages.success(
        request,
        _("Pesanan %(number)s diterima. %(total)s ditahan dari saldo sampai barang diantar.")
        % {"number": order.number, "total": format_rp(order.total_rp)},
    )
    return redirect("kiosk:orders")


@inmate_view
def orders(request: InmateRequest) -> HttpResponse:
    mine = open_orders_of(inmate=request.kiosk_user.inmate)
    return page(
        request,
        "kiosk/orders.html",
        {"orders": mine},
        speech=_("Pesanan saya. Ada %(n)s pesanan yang menunggu diantar.") % {"n": len(mine)},
    )


@require_POST
@inmate_view
def order_cancel(request: InmateRequest, pk: int) -> HttpResponse:
    order = PreOrder.objects.filter(
        pk=pk, inmate=request.kiosk_user.inmate, status=PreOrderStatus.OPEN
    ).first()
    if order is None:
        raise Http404
    try:
        # The inmate cancels their own order: there is no staff actor (the shop's service
        # records it without one, like the ledger's hold_void).
        preorder_cancel(order=order, actor=None, reason=CANCEL_REASON)  # type: ignore[arg-type]
    except ShopError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Pesanan %(number)s dibatalkan. Uang %(total)s kembali ke saldo.")
            % {"number": order.number, "total": format_rp(order.total_rp)},
        )
    return redirect("kiosk:orders")


@kiosk_view
def product_photo(request: KioskRequest, pk: int) -> HttpResponse:
    """A product photo of this kiosk's site (goods on sale; nothing personal)."""
    product = Product.objects.filter(pk=pk, site=request.kiosk.site, is_active=True).first()
    if product is None or not product.photo:
        raise Http404
    with product.photo.open("rb") as f:
        data = f.read()
    return HttpResponse(data, content_type="image/jpeg")
