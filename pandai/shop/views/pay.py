"""Paying at the till: the card tap shows who is buying and what they may spend, the PIN pad,
and the checkout with the basket's one idempotency key. Every refusal is shown with its
figures and charges nothing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.money import format_rp
from pandai.core.permissions import Perm, requires
from pandai.shop import pos_basket
from pandai.shop.errors import ShopError
from pandai.shop.forms_pos import CardForm, PayForm, ScanForm
from pandai.shop.models import Sale
from pandai.shop.selectors import Customer, customer_for_card
from pandai.shop.services.checkout import CartLine, basket_check, checkout
from pandai.shop.views.pos import _categories, basket_panel, not_ready
from pandai.shop.views.till import ShownBasket, Till, is_htmx, refusal_title, shown_basket, till_for

# After these refusals another PIN would be refused the same way: the pad is hidden and the
# cashier goes back to the basket (or asks for another card).
CARD_CODES = {"card_unknown", "card_blocked", "inmate_inactive"}
# The pad stays for these: the inmate may type the PIN again (for a changed total, after
# reading the new one).
RETRYABLE_CODES = {"pin_wrong", "pin_missing", "total_changed"}


def _lines(basket: ShownBasket) -> list[CartLine]:
    return [CartLine(line.product.pk, line.quantity) for line in basket.lines]


def _blockers(customer: Customer, basket: ShownBasket) -> list[tuple[str, str]]:
    """What already says no before a PIN is asked (the checkout checks it all again)."""
    out: list[tuple[str, str]] = []
    total = basket.total_rp
    try:
        basket_check(inmate=customer.inmate, lines=_lines(basket))
    except ShopError as exc:
        out.append((refusal_title(exc.code), exc.message))
    if customer.account_status in ("frozen", "closed"):
        out.append(
            (
                refusal_title(f"account_{customer.account_status}"),
                _("Rekening tidak bisa dipakai untuk belanja."),
            )
        )
    if customer.available_rp < total:
        out.append(
            (
                refusal_title("insufficient_funds"),
                _("Saldo tidak cukup. Tersedia %(available)s, belanja %(total)s.")
                % {"available": format_rp(customer.available_rp), "total": format_rp(total)},
            )
        )
    if customer.remaining_today_rp is not None and customer.remaining_today_rp < total:
        out.append(
            (
                refusal_title("limit_daily"),
                _("Sisa batas hari ini %(left)s, belanja %(total)s.")
                % {
                    "left": format_rp(max(customer.remaining_today_rp, 0)),
                    "total": format_rp(total),
                },
            )
        )
    elif customer.remaining_month_rp is not None and customer.remaining_month_rp < total:
        out.append(
            (
                refusal_title("limit_monthly"),
                _("Sisa batas bulan ini %(left)s, belanja %(total)s.")
                % {
                    "left": format_rp(max(customer.remaining_month_rp, 0)),
                    "total": format_rp(total),
                },
            )
        )
    return out


def _pay_panel(
    request: PandaiRequest,
    till: Till,
    basket: ShownBasket,
    *,
    card: str = "",
    error: ShopError | None = None,
    status: int = 200,
) -> HttpResponse:
    customer = None
    blockers: list[tuple[str, str]] = []
    if card and (error is None or error.code not in CARD_CODES):
        try:
            customer = customer_for_card(site=request.site, raw_uid=card)
        except ShopError as exc:
            error = error or exc
        else:
            blockers = _blockers(customer, basket)
    show_pad = (
        customer is not None and not blockers and (error is None or error.code in RETRYABLE_CODES)
    )
    context: dict[str, object] = {
        "till": till,
        "basket": basket,
        "customer": customer,
        "blockers": blockers,
        "show_pad": show_pad,
        "error": error,
        "error_title": refusal_title(error.code) if error else "",
        "card_form": CardForm(),
        "pay_form": PayForm(initial={"key": basket.key, "card": card, "total": basket.total_rp}),
        "panel": "pay",
    }
    if is_htmx(request):
        return render(request, "shop/pos/_pay.html", context, status=status)
    context.update(categories=_categories(request), scan_form=ScanForm())
    return render(request, "shop/pos/pos.html", context, status=status)


def _ready(request: PandaiRequest) -> tuple[Till, ShownBasket | None]:
    till = till_for(request)
    if not till.ready or till.terminal is None:
        return till, None
    return till, shown_basket(request, pos_basket.load(request, till.terminal.pk))


@requires(Perm.SHOP_SELL)
def pos_pay(request: PandaiRequest) -> HttpResponse:
    """ "Bayar": ask for the card."""
    till, basket = _ready(request)
    if basket is None:
        return not_ready(request, till)
    if not basket.lines:
        return basket_panel(
            request, till, error=ShopError("empty_cart", _("Keranjang masih kosong."))
        )
    return _pay_panel(request, till, basket)


@requires(Perm.SHOP_SELL)
@require_POST
def pos_card(request: PandaiRequest) -> HttpResponse:
    """The card reader typed the UID + Enter: show the holder, balance, limits, restrictions."""
    till, basket = _ready(request)
    if basket is None:
        return not_ready(request, till)
    if not basket.lines:
        return basket_panel(
            request, till, error=ShopError("empty_cart", _("Keranjang masih kosong."))
        )
    form = CardForm(request.POST)
    if not form.is_valid():
        error = ShopError("card_unknown", _("Tempelkan kartu pada pembaca kartu."))
        return _pay_panel(request, till, basket, error=error)
    return _pay_panel(request, till, basket, card=form.cleaned_data["card"])


def _to_receipt(request: PandaiRequest, sale: Sale) -> HttpResponse:
    url = reverse("shop:receipt", kwargs={"sale_pk": sale.pk}) + "?baru=1"
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@requires(Perm.SHOP_SELL)
@require_POST
def pos_checkout(request: PandaiRequest) -> HttpResponse:
    """The cashier confirms: one checkout with the basket's key. Posted again (double click,
    reload, a retry after a lost answer) it finds the first sale and charges nothing more."""
    till, basket = _ready(request)
    if basket is None or till.terminal is None:
        return not_ready(request, till)
    form = PayForm(request.POST)
    if not form.is_valid():
        card = request.POST.get("card", "")[:64]
        error = ShopError("pin_wrong", _("Masukkan PIN pada papan angka."))
        if "pin" not in form.errors:
            error = ShopError(
                "total_changed",
                _("Layar bayar tidak lengkap. Periksa total belanja, lalu bayar lagi."),
            )
        return _pay_panel(request, till, basket, card=card, error=error)
    key, card = form.cleaned_data["key"], form.cleaned_data["card"]
    if key != basket.key:
        earlier = Sale.objects.filter(site=request.site, idempotency_key=key).first()
        if earlier is not None:
            messages.info(
                request,
                _("Transaksi ini sudah tercatat (%(no)s); tidak ditagih dua kali.")
                % {"no": earlier.number},
            )
            return _to_receipt(request, earlier)
        error = ShopError(
            "idempotency_conflict",
            _("Keranjang sudah berubah sejak layar ini dibuka. Periksa keranjang lalu bayar lagi."),
        )
        return basket_panel(request, till, error=error)
    if not basket.lines:
        return basket_panel(
            request, till, error=ShopError("empty_cart", _("Keranjang masih kosong."))
        )
    try:
        result = checkout(
            site=request.site,
            card_uid=card,
            pin=form.cleaned_data["pin"],
            lines=_lines(basket),
            idempotency_key=key,
            cashier=request.user,
            terminal=till.terminal,
            shift=till.shift,
            shown_total_rp=form.cleaned_data["total"],
        )
    except ShopError as exc:
        return _pay_panel(request, till, basket, card=card, error=exc)
    pos_basket.start_new(request, till.terminal.pk)
    if result.replayed:
        messages.info(
            request,
            _("Transaksi ini sudah tercatat (%(no)s); tidak ditagih dua kali.")
            % {"no": result.sale.number},
        )
    else:
        messages.success(
            request,
            _("Pembayaran berhasil: %(total)s. Sisa saldo %(left)s.")
            % {
                "total": format_rp(result.sale.total_rp),
                "left": format_rp(result.balance_after_rp),
            },
        )
    return _to_receipt(request, result.sale)
