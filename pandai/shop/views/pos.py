"""The koperasi's start page, pairing this browser with a POS terminal, and the POS screen with
its basket (scan, search, tiles, quantities). Paying is in `pay.py`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, can, requires
from pandai.shop import pos_basket
from pandai.shop.errors import ShopError
from pandai.shop.forms_pos import LineForm, PairForm, ProductForm, ScanForm
from pandai.shop.models import Barcode, Product
from pandai.shop.selectors import product_by_barcode, products_for_till
from pandai.shop.terminals import (
    clear_terminal_cookie,
    paired_terminal,
    set_terminal_cookie,
    terminal_pair,
    terminal_unpair_audit,
)
from pandai.shop.views.till import Till, is_htmx, refusal_title, shown_basket, till_for

# (permission, URL name, title, description) of the start page's tiles. Names of other areas
# may not exist yet while the shop is being built: a tile whose URL does not resolve is hidden.
HOME_TILES = [
    (
        Perm.SHOP_SELL,
        "shop:pos",
        gettext_lazy("Kasir (POS)"),
        gettext_lazy("Jual dengan Kartu Pandai dan PIN"),
    ),
    (
        Perm.SHOP_SELL,
        "shop:shift_list",
        gettext_lazy("Shift saya"),
        gettext_lazy("Buka, tutup, laporan Z"),
    ),
    (
        Perm.SHOP_SELL,
        "shop:return_find",
        gettext_lazy("Retur barang"),
        gettext_lazy("Kembalikan barang dari struk"),
    ),
    (
        Perm.SHOP_MANAGE,
        "shop:catalogue_products",
        gettext_lazy("Katalog & stok"),
        gettext_lazy("Barang, harga, stok"),
    ),
    (
        Perm.SHOP_ORDERS,
        "shop:orders",
        gettext_lazy("Pesanan dari blok"),
        gettext_lazy("Daftar kemas, antar"),
    ),
    (
        Perm.SHOP_REPORTS,
        "shop:reports",
        gettext_lazy("Laporan koperasi"),
        gettext_lazy("Penjualan, stok, margin"),
    ),
    (
        Perm.SHOP_SELL,
        "shop:terminal",
        gettext_lazy("Terminal kasir"),
        gettext_lazy("Pasangkan browser ini"),
    ),
]


@login_required
def home(request: PandaiRequest) -> HttpResponse:
    """The "Koperasi" menu entry: one tile per screen the user's roles allow."""
    if request.site is None:
        raise PermissionDenied(_("Anda belum terdaftar di UPT mana pun."))
    tiles = []
    for perm, name, title, note in HOME_TILES:
        if not can(request, perm):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        tiles.append({"url": url, "title": title, "note": note, "name": name.split(":")[1]})
    if not tiles:
        messages.info(request, _("Peran Anda di UPT ini tidak mencakup layar koperasi."))
        return redirect("core:home")
    till = till_for(request) if can(request, Perm.SHOP_SELL) else None
    return render(request, "shop/pos/home.html", {"tiles": tiles, "till": till})


# --- pairing --------------------------------------------------------------------------------


@requires(Perm.SHOP_SELL)
def terminal(request: PandaiRequest) -> HttpResponse:
    """Pair this browser with a registered POS terminal by typing its token once."""
    current = paired_terminal(request, request.site)
    form = PairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = terminal_pair(
                site=request.site, token=form.cleaned_data["token"], actor=request.user
            )
        except ShopError as exc:
            form.add_error("token", exc.message)
        else:
            messages.success(
                request,
                _("Browser ini sekarang terminal kasir %(name)s.") % {"name": device.name},
            )
            response = redirect("shop:pos")
            set_terminal_cookie(response, device)
            return response
    return render(
        request,
        "shop/pos/terminal.html",
        {
            "form": form,
            "current": current,
            "stale": current is None and request.COOKIES.get("pandai_pos_terminal") is not None,
            "can_register": can(request, Perm.DEVICE_MANAGE),
        },
    )


@requires(Perm.SHOP_SELL)
@require_POST
def terminal_unpair(request: PandaiRequest) -> HttpResponse:
    device = paired_terminal(request, request.site)
    if device is not None:
        terminal_unpair_audit(device=device, actor=request.user)
        messages.success(
            request, _("Browser ini tidak lagi terminal kasir %(name)s.") % {"name": device.name}
        )
    response = redirect("shop:terminal")
    clear_terminal_cookie(response)
    return response


# --- the POS screen -------------------------------------------------------------------------


def _categories(request: PandaiRequest) -> list[dict[str, object]]:
    groups: dict[int, dict[str, object]] = {}
    for product in products_for_till(site=request.site):
        group = groups.setdefault(
            product.category_id,
            {"id": product.category_id, "name": product.category.name, "products": []},
        )
        group["products"].append(product)  # type: ignore[attr-defined]
    return list(groups.values())


def basket_panel(
    request: PandaiRequest, till: Till, *, error: ShopError | None = None, status: int = 200
) -> HttpResponse:
    """The basket column: the whole POS page, or only the panel for the screen's JS."""
    assert till.terminal is not None
    basket = pos_basket.load(request, till.terminal.pk)
    context: dict[str, object] = {
        "till": till,
        "basket": shown_basket(request, basket),
        "error": error,
        "error_title": refusal_title(error.code) if error else "",
        "panel": "basket",
    }
    if is_htmx(request):
        return render(request, "shop/pos/_basket.html", context, status=status)
    context.update(categories=_categories(request), scan_form=ScanForm())
    return render(request, "shop/pos/pos.html", context, status=status)


def not_ready(request: PandaiRequest, till: Till) -> HttpResponse:
    """Without a paired terminal and an open shift on it the POS sells nothing; say why.
    The screen's JS reloads the whole page when a panel request gets this answer."""
    response = render(request, "shop/pos/not_ready.html", {"till": till}, status=409)
    if is_htmx(request):
        response["HX-Redirect"] = reverse("shop:pos")
    return response


@requires(Perm.SHOP_SELL)
def pos(request: PandaiRequest) -> HttpResponse:
    till = till_for(request)
    if not till.ready:
        response = not_ready(request, till)
        response.status_code = 200
        return response
    return basket_panel(request, till)


def _after_change(request: PandaiRequest, till: Till, error: ShopError | None) -> HttpResponse:
    if is_htmx(request):
        return basket_panel(request, till, error=error, status=200)
    if error is not None:
        messages.error(request, f"{refusal_title(error.code)}: {error.message}")
    return redirect("shop:pos")


@requires(Perm.SHOP_SELL)
@require_POST
def pos_scan(request: PandaiRequest) -> HttpResponse:
    """A barcode scanner types the code + Enter: add one of that product. A typed name that
    matches exactly one product adds it too; otherwise the screen says the code is unknown."""
    till = till_for(request)
    if not till.ready or till.terminal is None:
        return not_ready(request, till)
    form = ScanForm(request.POST)
    error: ShopError | None = None
    if form.is_valid():
        code = form.cleaned_data["code"]
        product: Product | None
        try:
            product = product_by_barcode(site=request.site, code=code)
        except ShopError as exc:
            matches = list(
                Product.objects.filter(site=request.site, is_active=True, name__iexact=code)[:2]
            )
            if len(matches) != 1:
                error = exc
            product = matches[0] if len(matches) == 1 else None
        if product is not None:
            with pos_basket.changing(request, till.terminal.pk) as basket:
                basket.add(product.pk)
    return _after_change(request, till, error)


@requires(Perm.SHOP_SELL)
def pos_search(request: PandaiRequest) -> HttpResponse:
    """Suggestions while a name is typed: active products by name, SKU or barcode prefix."""
    q = (request.GET.get("code") or request.GET.get("q") or "").strip()[:64]
    products: list[Product] = []
    if len(q) >= 2 and not q.isdigit():
        products = list(
            Product.objects.filter(site=request.site, is_active=True, name__icontains=q)
            .select_related("category")
            .order_by("name")[:8]
        )
    elif len(q) >= 4:
        ids = Barcode.objects.filter(site=request.site, code__startswith=q).values("product_id")
        products = list(
            Product.objects.filter(site=request.site, is_active=True, pk__in=ids).order_by("name")[
                :8
            ]
        )
    return render(request, "shop/pos/_suggestions.html", {"products": products, "q": q})


@requires(Perm.SHOP_SELL)
@require_POST
def pos_add(request: PandaiRequest) -> HttpResponse:
    """A tile or a suggestion tapped: one more of that product."""
    till = till_for(request)
    if not till.ready or till.terminal is None:
        return not_ready(request, till)
    form = ProductForm(request.POST)
    error = None
    product: Product | None = None
    if form.is_valid():
        product = Product.objects.filter(
            site=request.site, is_active=True, pk=form.cleaned_data["product"]
        ).first()
    if product is None:
        error = ShopError("unknown_product", _("Barang tidak dikenal di koperasi UPT ini."))
    else:
        with pos_basket.changing(request, till.terminal.pk) as basket:
            basket.add(product.pk)
    return _after_change(request, till, error)


@requires(Perm.SHOP_SELL)
@require_POST
def pos_line(request: PandaiRequest) -> HttpResponse:
    """+ / − / remove / a typed quantity on one basket line."""
    till = till_for(request)
    if not till.ready or till.terminal is None:
        return not_ready(request, till)
    form = LineForm(request.POST)
    error = None
    with pos_basket.changing(request, till.terminal.pk) as basket:
        if form.is_valid() and form.cleaned_data["product"] in basket.lines:
            pid, op = form.cleaned_data["product"], form.cleaned_data["op"]
            # + and − count from the quantity the cashier saw (sent with the line), so a
            # repeated request — a double tap, a retry — leaves the line as one tap would.
            shown = form.cleaned_data.get("quantity")
            current = basket.lines[pid] if shown is None else shown
            quantity = {
                "inc": current + 1,
                "dec": current - 1,
                "remove": 0,
                "set": form.cleaned_data["quantity"],
            }[op]
            basket.set(pid, quantity or 0)
        elif form.is_valid():
            error = ShopError("unknown_product", _("Barang itu tidak ada di keranjang."))
        else:
            error = ShopError(
                "quantity_invalid",
                _("Jumlah harus antara 0 dan %(max)d.") % {"max": pos_basket.MAX_QUANTITY},
            )
    return _after_change(request, till, error)


@requires(Perm.SHOP_SELL)
@require_POST
def pos_clear(request: PandaiRequest) -> HttpResponse:
    """ "Transaksi baru": empty basket, new checkout key."""
    till = till_for(request)
    if till.terminal is not None:
        pos_basket.start_new(request, till.terminal.pk)
    if not till.ready:
        return not_ready(request, till)
    return _after_change(request, till, None)
