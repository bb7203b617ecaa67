"""Stock screens for shop managers: goods received, adjustments, stock counts (opname)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.shop import catalogue_selectors as selectors
from pandai.shop.errors import ShopError
from pandai.shop.forms_catalogue import AdjustForm, CountCreateForm, ReasonForm, ReceiveForm
from pandai.shop.models import Product, StockCount, StockCountLine, StockCountStatus
from pandai.shop.services import inventory as services


@requires(Perm.SHOP_MANAGE)
def receive(request: PandaiRequest) -> HttpResponse:
    """One delivery from a supplier: scan or type each product's barcode/SKU, its quantity and
    unit cost. Nothing is written unless every line is right."""
    form = ReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lines: list[services.ReceiveLine] = []
        for i, code, qty, cost in form.lines():
            product = selectors.product_by_code(site=request.site, code=code) if code else None
            if product is None:
                form.add_error(
                    f"code_{i}",
                    _("Barcode/SKU %(code)s tidak dikenal.") % {"code": code}
                    if code
                    else _("Isi barcode atau SKU."),
                )
            if not qty:
                form.add_error(f"qty_{i}", _("Isi jumlahnya."))
            if cost is None:
                form.add_error(f"cost_{i}", _("Isi harga pokok per satuan."))
            if product is not None and qty and cost is not None:
                lines.append(services.ReceiveLine(product, qty, cost))
        if not form.errors:
            try:
                moves = services.stock_receive(
                    site=request.site,
                    lines=lines,
                    supplier=form.cleaned_data["supplier"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ShopError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("Barang masuk %(no)s dicatat: %(n)d barang.")
                    % {"no": moves[0].reference, "n": len(moves)},
                )
                return redirect("shop:catalogue_receive")
    return render(
        request,
        "shop/catalogue/receive.html",
        {"form": form, "recent": selectors.receipts(site=request.site)},
    )


@requires(Perm.SHOP_MANAGE)
def adjust(request: PandaiRequest, pk: int) -> HttpResponse:
    product = in_acting_site(request, Product.objects.select_related("category"), pk=pk)
    form = AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stock_adjust(
                product=product,
                quantity=form.signed_quantity(),
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ShopError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Stok disesuaikan."))
            return redirect("shop:catalogue_product", pk=product.pk)
    return render(request, "shop/catalogue/adjust.html", {"form": form, "product": product})


@requires(Perm.SHOP_MANAGE)
def count_list(request: PandaiRequest) -> HttpResponse:
    form = CountCreateForm(request.POST or None, site=request.site)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.count_create(
                site=request.site,
                actor=request.user,
                category=form.cleaned_data["category"],
                note=form.cleaned_data["note"],
            )
        except ShopError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("shop:catalogue_count", pk=count.pk)
    return render(
        request,
        "shop/catalogue/counts.html",
        {"form": form, "counts": selectors.counts(site=request.site)[:50]},
    )


def _parse_count(text: str) -> int | None:
    """'' -> None (not counted); '12' -> 12; ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(text)
    return int(text)


@requires(Perm.SHOP_MANAGE)
def count_detail(request: PandaiRequest, pk: int) -> HttpResponse:
    """The count sheet: one input per product in shelf order (category, name). Typing a number
    and pressing Enter or Tab saves that line at once (HTMX); the whole sheet can also be saved
    with one button (without JavaScript). Only lines whose number changed are saved, so a line
    counted earlier keeps the books' figure of the moment it was counted."""
    count = in_acting_site(request, StockCount.objects.select_related("created_by"), pk=pk)
    errors: dict[str, str] = {}
    if request.method == "POST" and count.status == StockCountStatus.DRAFT:
        saved = 0
        for line in count.lines.select_related("product"):
            key = f"c-{line.product_id}"
            if key not in request.POST:
                continue
            try:
                value = _parse_count(request.POST[key])
            except ValueError:
                errors[line.product.name] = _("Isi angka bulat 0 atau lebih.")
                continue
            if value == line.counted_qty:
                continue
            try:
                services.count_set_line(
                    count=count, product=line.product, counted_qty=value, actor=request.user
                )
                saved += 1
            except ShopError as exc:
                errors[line.product.name] = exc.message
        if not errors:
            messages.success(request, _("%(n)d baris disimpan.") % {"n": saved})
            return redirect("shop:catalogue_count", pk=count.pk)
    summary = selectors.count_summary(count=count)
    return render(
        request,
        "shop/catalogue/count_detail.html",
        {
            "count": count,
            "summary": summary,
            "errors": errors,
            "draft": count.status == StockCountStatus.DRAFT,
            "cancel_form": ReasonForm(),
        },
    )


@requires(Perm.SHOP_MANAGE)
@require_POST
def count_line(request: PandaiRequest, pk: int) -> HttpResponse:
    """HTMX: save one counted quantity; answers with the line's row."""
    count = in_acting_site(request, StockCount.objects.all(), pk=pk)
    product_id = request.POST.get("product", "")
    line = (
        StockCountLine.objects.filter(
            count=count, product_id=int(product_id) if product_id.isdigit() else 0
        )
        .select_related("product", "product__category")
        .first()
    )
    if line is None:
        return HttpResponse(_("Barang ini tidak termasuk stok opname ini."), status=400)
    error = ""
    try:
        value = _parse_count(request.POST.get(f"c-{line.product_id}", ""))
        if value != line.counted_qty:
            line = services.count_set_line(
                count=count, product=line.product, counted_qty=value, actor=request.user
            )
    except ValueError:
        error = _("Isi angka bulat 0 atau lebih.")
    except ShopError as exc:
        error = exc.message
    line.product.refresh_from_db(fields=["on_hand"])
    row = selectors.CountRow(
        line=line,
        on_hand_now=line.product.on_hand,
        moved_since=line.product.on_hand - line.expected_qty,
        variance=line.variance,
        variance_rp=None if line.variance is None else line.variance * line.unit_cost_rp,
        after=None if line.variance is None else line.product.on_hand + line.variance,
    )
    return render(
        request,
        "shop/catalogue/_count_row.html",
        {"row": row, "draft": count.status == StockCountStatus.DRAFT, "error": error},
    )


@requires(Perm.SHOP_MANAGE)
def count_confirm(request: PandaiRequest, pk: int) -> HttpResponse:
    """The variance summary (units and rupiah at cost) and the confirmation."""
    count = in_acting_site(request, StockCount.objects.all(), pk=pk)
    if request.method == "POST":
        try:
            outcome = services.count_confirm(count=count, actor=request.user)
        except ShopError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Stok opname %(no)s dikonfirmasi: %(n)d barang disesuaikan.")
                % {"no": count.number, "n": outcome.lines_posted},
            )
            return redirect("shop:catalogue_count", pk=count.pk)
    summary = selectors.count_summary(count=count)
    return render(
        request,
        "shop/catalogue/count_confirm.html",
        {
            "count": count,
            "summary": summary,
            "variances": [r for r in summary.rows if r.variance],
            "draft": count.status == StockCountStatus.DRAFT,
        },
    )


@requires(Perm.SHOP_MANAGE)
@require_POST
def count_cancel(request: PandaiRequest, pk: int) -> HttpResponse:
    count = in_acting_site(request, StockCount.objects.all(), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tulis alasan pembatalan stok opname."))
        return redirect("shop:catalogue_count", pk=count.pk)
    try:
        services.count_cancel(count=count, actor=request.user, reason=form.cleaned_data["reason"])
    except ShopError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Stok opname dibatalkan."))
    return redirect("shop:catalogue_count", pk=count.pk)
