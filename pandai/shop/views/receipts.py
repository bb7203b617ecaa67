"""Receipts: the browser-printable receipt (58 or 80 mm) and printing it on the koperasi's
ESC/POS network printer."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, can, in_acting_site, requires
from pandai.shop.models import Sale, SaleStatus, ShopSettings
from pandai.shop.printing import PrintError, sale_print


def _url(name: str, **kwargs: int) -> str | None:
    """The void and return screens resolve once their services are installed."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def receipt_width(request: PandaiRequest) -> str:
    return "58" if request.GET.get("w") == "58" else "80"


def sale_for(request: PandaiRequest, pk: int) -> Sale:
    return in_acting_site(
        request,
        Sale.objects.select_related("site", "inmate", "cashier", "shift__terminal"),
        pk=pk,
    )


def may_void(request: PandaiRequest, sale: Sale) -> bool:
    """A void is only for a completed sale of a shift still open (the money and the goods are
    still at that till)."""
    return (
        sale.status == SaleStatus.COMPLETED
        and sale.shift is not None
        and sale.shift.is_open
        and can(request, Perm.SHOP_SELL)
    )


@requires(Perm.SHOP_SELL)
def receipt(request: PandaiRequest, sale_pk: int) -> HttpResponse:
    sale = sale_for(request, sale_pk)
    settings = ShopSettings.objects.filter(site=request.site).first()
    width = receipt_width(request)
    return render(
        request,
        "shop/pos/receipt.html",
        {
            "sale": sale,
            "lines": sale.lines.order_by("pk"),
            "returns": sale.returns.order_by("created_at"),
            "width": width,
            "footer": settings.receipt_footer if settings else "",
            "printer": settings.receipt_printer if settings else "",
            "is_new": request.GET.get("baru") == "1",
            "may_void": may_void(request, sale),
            "void_url": _url("shop:sale_void", sale_pk=sale.pk),
            "return_url": _url("shop:sale_return", sale_pk=sale.pk),
            "may_return": sale.status == SaleStatus.COMPLETED
            and any(line.returned_qty < line.quantity for line in sale.lines.all()),
        },
    )


@requires(Perm.SHOP_SELL)
@require_POST
def receipt_print(request: PandaiRequest, sale_pk: int) -> HttpResponse:
    """Send the receipt to the ESC/POS printer. A failure is explained; the sale stands."""
    sale = sale_for(request, sale_pk)
    try:
        address = sale_print(sale)
    except PrintError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Struk %(no)s dikirim ke printer %(host)s.")
            % {"no": sale.number, "host": f"{address.host}:{address.port}"},
        )
    url = reverse("shop:receipt", kwargs={"sale_pk": sale.pk})
    if request.POST.get("w") == "58":
        url += "?w=58"
    return redirect(url)
