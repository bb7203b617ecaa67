"""Cashier shifts on the paired terminal: open, the running figures, close with the Z-report
(frozen at closing, compared with the ledger), the printable Z-report, and my shifts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, can, in_acting_site, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx
from pandai.shop.errors import ShopError
from pandai.shop.models import SaleReturn, ShopShift
from pandai.shop.services.shifts import ZReport, shift_close, shift_open, zreport
from pandai.shop.views.till import till_for


def _shift(request: PandaiRequest, pk: int) -> ShopShift:
    return in_acting_site(
        request, ShopShift.objects.select_related("terminal", "cashier", "site"), pk=pk
    )


def _figures(shift: ShopShift) -> dict[str, Any]:
    """The Z-report's figures: frozen at closing (what was signed off), live while open."""
    if shift.z_report is not None:
        data = dict(shift.z_report)
        data["by_category"] = [tuple(row) for row in data.get("by_category", [])]
        return data
    report: ZReport = zreport(shift=shift)
    return {
        **report.as_json(),
        "by_category": report.by_category,
    }


def _may_close(request: PandaiRequest, shift: ShopShift) -> bool:
    return shift.is_open and (shift.cashier_id == request.user.pk or can(request, Perm.SHOP_MANAGE))


# The shifts in their XLSX download, with the frozen Z-report's figures of a closed shift.
SHIFT_COLUMNS = [
    (_l("Nomor"), lambda s: s.number),
    (_l("Terminal"), lambda s: s.terminal.name),
    (_l("Kasir"), lambda s: s.cashier.display_name),
    (_l("Dibuka"), lambda s: s.opened_at),
    (_l("Ditutup"), lambda s: s.closed_at),
    (_l("Penjualan"), lambda s: (s.z_report or {}).get("sales_rp")),
    (_l("Retur"), lambda s: (s.z_report or {}).get("returns_rp")),
    (_l("Bersih"), lambda s: (s.z_report or {}).get("net_rp")),
    (_l("Cocok dengan buku besar"), lambda s: s.ledger_matches),
]


@requires(Perm.SHOP_SELL)
def shift_list(request: PandaiRequest) -> HttpResponseBase:
    """My shifts (a shop manager sees every cashier's, to close one left open)."""
    shifts = ShopShift.objects.filter(site=request.site).select_related("terminal", "cashier")
    everyone = can(request, Perm.SHOP_MANAGE)
    if not everyone:
        shifts = shifts.filter(cashier=request.user)
    if wants_xlsx(request):
        return list_xlsx(
            request,
            name=_("shift-kasir"),
            columns=SHIFT_COLUMNS,
            objects=shifts.order_by("-opened_at"),
        )
    return render(
        request,
        "shop/pos/shift_list.html",
        {
            "shifts": shifts.order_by("-opened_at")[:100],
            "till": till_for(request),
            "everyone": everyone,
        },
    )


@requires(Perm.SHOP_SELL)
@require_POST
def shift_open_view(request: PandaiRequest) -> HttpResponse:
    till = till_for(request)
    if till.terminal is None:
        messages.error(request, _("Pasangkan browser ini dengan terminal kasir dulu."))
        return redirect("shop:terminal")
    try:
        shift = shift_open(terminal=till.terminal, cashier=request.user)
    except ShopError as exc:
        messages.error(request, exc.message)
        return redirect("shop:shift_list")
    messages.success(
        request,
        _("Shift %(no)s dibuka di %(terminal)s.")
        % {"no": shift.number, "terminal": till.terminal.name},
    )
    return redirect("shop:pos")


@requires(Perm.SHOP_SELL)
def shift_detail(request: PandaiRequest, shift_pk: int) -> HttpResponse:
    shift = _shift(request, shift_pk)
    sales = shift.sales.select_related("inmate").order_by("-created_at")[:200]
    returns = SaleReturn.objects.filter(shift=shift).select_related("sale").order_by("-created_at")
    return render(
        request,
        "shop/pos/shift_detail.html",
        {
            "shift": shift,
            "z": _figures(shift),
            "sales": sales,
            "returns": returns,
            "may_close": _may_close(request, shift),
        },
    )


@requires(Perm.SHOP_SELL)
def shift_close_view(request: PandaiRequest, shift_pk: int) -> HttpResponse:
    """Closing shows the Z-report first; confirming freezes it."""
    shift = _shift(request, shift_pk)
    if not shift.is_open:
        messages.info(request, _("Shift ini sudah ditutup."))
        return redirect("shop:zreport", shift_pk=shift.pk)
    if not _may_close(request, shift):
        messages.error(
            request, _("Hanya kasirnya atau pengelola koperasi yang boleh menutup shift ini.")
        )
        return redirect("shop:shift_detail", shift_pk=shift.pk)
    if request.method == "POST":
        try:
            closed = shift_close(shift=shift, actor=request.user)
        except ShopError as exc:
            messages.error(request, exc.message)
            return redirect("shop:shift_detail", shift_pk=shift.pk)
        if closed.ledger_matches:
            messages.success(request, _("Shift ditutup. Laporan Z cocok dengan buku besar."))
        else:
            messages.warning(
                request,
                _(
                    "Shift ditutup, tetapi laporan Z TIDAK cocok dengan buku besar. "
                    "Laporkan ke pengelola koperasi."
                ),
            )
        return redirect("shop:zreport", shift_pk=shift.pk)
    return render(request, "shop/pos/shift_close.html", {"shift": shift, "z": _figures(shift)})


@requires(Perm.SHOP_SELL)
def zreport_view(request: PandaiRequest, shift_pk: int) -> HttpResponse:
    """Printable Z-report (browser print, 80 mm roll or A4)."""
    shift = _shift(request, shift_pk)
    width = "80" if request.GET.get("w") == "80" else "a4"
    return render(
        request,
        "shop/pos/zreport.html",
        {"shift": shift, "z": _figures(shift), "width": width},
    )
