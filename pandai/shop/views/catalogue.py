"""Catalogue screens: product list and page (cashiers too, read-only), product create/edit and
photo, categories, shop settings (shop managers)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, can, in_acting_site, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx
from pandai.shop import catalogue_selectors as selectors
from pandai.shop.errors import ShopError
from pandai.shop.forms_catalogue import CategoryForm, PhotoForm, ProductForm, ShopSettingsForm
from pandai.shop.models import Category, Product
from pandai.shop.services import catalogue as services


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# The catalogue list in its XLSX download: what the page shows (cost and stock value only for
# those who manage the catalogue, as on the page).
PRODUCT_COLUMNS = [
    (_l("SKU"), lambda p: p.sku),
    (_l("Nama"), lambda p: p.name),
    (_l("Kategori"), lambda p: p.category.name),
    (_l("Barcode"), lambda p: " ".join(b.code for b in p.barcodes.all())),
    (_l("Harga"), lambda p: p.price_rp),
    (_l("Stok"), lambda p: p.on_hand),
    (_l("Satuan"), lambda p: p.unit),
    (_l("Stok minimum"), lambda p: p.min_stock),
    (_l("Pokok"), lambda p: p.essential),
    (_l("Aktif"), lambda p: p.is_active),
]
PRODUCT_COST_COLUMNS = [
    (_l("Harga pokok"), lambda p: p.cost_rp),
    (_l("Nilai"), lambda p: p.value_rp),
]


# The list and the product page are read-only and cashiers need them at the till (price, stock,
# barcodes, limits), so SHOP_SELL opens them; costs and stock value are shown only to those who
# may manage the catalogue (SHOP_MANAGE).
@requires(Perm.SHOP_SELL)
def product_list(request: PandaiRequest) -> HttpResponseBase:
    q = request.GET.get("q", "")[:100]
    category = _int(request.GET.get("kategori"))
    low = request.GET.get("stok") == "rendah"
    active = request.GET.get("aktif", "1")
    qs = selectors.products(site=request.site, q=q, category=category, low=low, active=active)
    manage = can(request, Perm.SHOP_MANAGE)
    if wants_xlsx(request):
        columns = PRODUCT_COLUMNS + (PRODUCT_COST_COLUMNS if manage else [])
        return list_xlsx(request, name=_("katalog"), columns=columns, objects=qs)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "shop/catalogue/product_list.html",
        {
            "page": page,
            "q": q,
            "category": category,
            "low": low,
            "active": active,
            "categories": selectors.categories(site=request.site),
            "manage": manage,
            "stock_value_rp": selectors.stock_value_rp(qs) if manage else None,
            "query": _query(request),
        },
    )


def _query(request: PandaiRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@requires(Perm.SHOP_SELL)
def product_detail(request: PandaiRequest, pk: int) -> HttpResponse:
    product = in_acting_site(request, Product.objects.select_related("category", "site"), pk=pk)
    manage = can(request, Perm.SHOP_MANAGE)
    return render(
        request,
        "shop/catalogue/product_detail.html",
        {
            "product": product,
            "barcodes": product.barcodes.order_by("pk"),
            "prices": selectors.price_history(product=product)[:50],
            "moves": selectors.stock_moves(product=product)[:100] if manage else [],
            "manage": manage,
            "photo_form": PhotoForm(),
            "value_rp": product.on_hand * product.cost_rp,
        },
    )


@requires(Perm.SHOP_SELL)
def product_photo(request: PandaiRequest, pk: int) -> HttpResponse:
    """The product photo, served only to staff of the site (media is not public)."""
    product = in_acting_site(request, Product.objects.all(), pk=pk)
    if not product.photo:
        raise Http404(_("Barang ini belum punya foto."))
    with product.photo.open("rb") as f:
        data = f.read()
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    return response


@requires(Perm.SHOP_MANAGE)
def product_create(request: PandaiRequest) -> HttpResponse:
    form = ProductForm(request.POST or None, site=request.site)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(
                site=request.site, data=form.product_input(), actor=request.user
            )
        except ShopError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Barang %(name)s disimpan.") % {"name": product.name})
            return redirect("shop:catalogue_product", pk=product.pk)
    return render(request, "shop/catalogue/product_form.html", {"form": form, "product": None})


@requires(Perm.SHOP_MANAGE)
def product_edit(request: PandaiRequest, pk: int) -> HttpResponse:
    product = in_acting_site(request, Product.objects.select_related("category"), pk=pk)
    form = ProductForm(
        request.POST or None,
        site=request.site,
        editing=True,
        initial=ProductForm.initial_for(product),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(
                product=product,
                data=form.product_input(),
                actor=request.user,
                reason=form.cleaned_data.get("price_reason", ""),
            )
        except ShopError as exc:
            form.add_error(
                "price_reason" if exc.code == "price_reason_required" else None, exc.message
            )
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("shop:catalogue_product", pk=product.pk)
    return render(request, "shop/catalogue/product_form.html", {"form": form, "product": product})


@requires(Perm.SHOP_MANAGE)
@require_POST
def product_photo_upload(request: PandaiRequest, pk: int) -> HttpResponse:
    product = in_acting_site(request, Product.objects.all(), pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas foto JPEG atau PNG."))
        return redirect("shop:catalogue_product", pk=product.pk)
    upload = form.cleaned_data["photo"]
    try:
        if upload.size > settings.PANDAI_MAX_PHOTO_BYTES:
            raise ShopError(
                "photo_too_large",
                _("Berkas foto terlalu besar (maksimum %(mb)s MB).")
                % {"mb": settings.PANDAI_MAX_PHOTO_BYTES // (1024 * 1024)},
            )
        services.product_set_photo(product=product, data=upload.read(), actor=request.user)
    except ShopError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Foto disimpan."))
    return redirect("shop:catalogue_product", pk=product.pk)


@requires(Perm.SHOP_MANAGE)
def category_list(request: PandaiRequest) -> HttpResponse:
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_create(
                site=request.site,
                name=form.cleaned_data["name"],
                sort_order=form.cleaned_data.get("sort_order") or 0,
                actor=request.user,
            )
        except ShopError as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, _("Kategori ditambahkan."))
            return redirect("shop:catalogue_categories")
    return render(
        request,
        "shop/catalogue/categories.html",
        {"form": form, "categories": selectors.categories(site=request.site)},
    )


@requires(Perm.SHOP_MANAGE)
def category_edit(request: PandaiRequest, pk: int) -> HttpResponse:
    category = in_acting_site(request, Category.objects.all(), pk=pk)
    form = CategoryForm(
        request.POST or None, initial={"name": category.name, "sort_order": category.sort_order}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.category_update(
                category=category,
                name=form.cleaned_data["name"],
                sort_order=form.cleaned_data.get("sort_order") or 0,
                actor=request.user,
            )
        except ShopError as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, _("Kategori disimpan."))
            return redirect("shop:catalogue_categories")
    return render(
        request, "shop/catalogue/category_form.html", {"form": form, "category": category}
    )


@requires(Perm.SHOP_MANAGE)
def shop_settings(request: PandaiRequest) -> HttpResponse:
    current = services.shop_settings_get(site=request.site)
    form = ShopSettingsForm(
        request.POST or None,
        initial={
            "card_only": current.card_only,
            "preorder_hours": current.preorder_hours,
            "receipt_footer": current.receipt_footer,
            "receipt_printer": current.receipt_printer,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.shop_settings_update(
                site=request.site, actor=request.user, **form.cleaned_data
            )
        except ShopError as exc:
            field = {"printer_invalid": "receipt_printer"}.get(exc.code)
            form.add_error(field, exc.message)
        else:
            messages.success(request, _("Pengaturan koperasi disimpan."))
            return redirect("shop:catalogue_settings")
    return render(request, "shop/catalogue/settings.html", {"form": form})
