"""The koperasi's reports on goods and people: stock on hand with its value, low stock, the
variances of confirmed stock counts, prices beside their last change, and each cashier's
shifts with their Z-report figures (see report_selectors for the conventions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Sum
from django.utils.translation import gettext_lazy as _

from pandai.shop.models import (
    Product,
    SaleLine,
    SaleStatus,
    ShopShift,
    StockCountLine,
    StockCountStatus,
)
from pandai.shop.report_selectors import (
    LOW_STOCK_SALES_DAYS,
    PRICE_COLUMNS,
    Column,
    Period,
    ReportTable,
    pct,
    price_cells,
    with_last_price_change,
)
from pandai.shop.services.shifts import zreport
from pandai.wallet import clock


def _products(period: Period, **filters: object) -> list[Product]:
    products = Product.objects.filter(site=period.site, **filters)
    if period.category_id:
        products = products.filter(category_id=period.category_id)
    return list(
        with_last_price_change(products).order_by("category__sort_order", "category__name", "name")
    )


def stock_on_hand(period: Period) -> ReportTable:
    """Today's stock, valued at the moving average cost (and at the selling price)."""
    table = ReportTable(
        [
            Column(_("SKU")),
            Column(_("Barang")),
            Column(_("Kategori")),
            Column(_("Satuan")),
            Column(_("Stok"), "int"),
            Column(_("Harga pokok rata-rata"), "rp"),
            Column(_("Nilai stok"), "rp"),
            Column(_("Nilai jual"), "rp"),
            *PRICE_COLUMNS,
        ],
        note=_("Stok saat ini; barang nonaktif yang masih punya stok ikut dihitung."),
    )
    products = [p for p in _products(period) if p.is_active or p.on_hand]
    for p in products:
        table.rows.append(
            [
                p.sku,
                p.name,
                p.category.name,
                p.unit,
                p.on_hand,
                p.cost_rp,
                p.on_hand * p.cost_rp,
                p.on_hand * p.price_rp,
                *price_cells(period, p),
            ]
        )
    table.totals = [_("Jumlah"), "", "", "", sum(p.on_hand for p in products), ""]
    table.totals += [sum(p.on_hand * p.cost_rp for p in products)]
    table.totals += [sum(p.on_hand * p.price_rp for p in products), "", "", "", ""]
    return table


def low_stock(period: Period) -> ReportTable:
    """Active products at or under their minimum (an empty shelf is always low), with what
    sold in the last 30 days to size the order."""
    since = clock.now() - dt.timedelta(days=LOW_STOCK_SALES_DAYS)
    products = _products(period, is_active=True, on_hand__lte=F("min_stock"))
    sold = dict(
        SaleLine.objects.filter(
            product__in=[p.pk for p in products],
            sale__status=SaleStatus.COMPLETED,
            sale__created_at__gte=since,
        )
        .values_list("product_id")
        .annotate(q=Sum(F("quantity") - F("returned_qty")))
        .order_by()
    )
    table = ReportTable(
        [
            Column(_("SKU")),
            Column(_("Barang")),
            Column(_("Kategori")),
            Column(_("Stok"), "int"),
            Column(_("Stok minimum"), "int"),
            Column(_("Kurang"), "int"),
            Column(_("Terjual 30 hari"), "int"),
            Column(_("Harga pokok rata-rata"), "rp"),
        ],
        note=_("Barang aktif yang stoknya sama dengan atau di bawah stok minimum (saat ini)."),
    )
    for p in sorted(products, key=lambda p: (p.on_hand - p.min_stock, p.name)):
        table.rows.append(
            [
                p.sku,
                p.name,
                p.category.name,
                p.on_hand,
                p.min_stock,
                p.min_stock - p.on_hand,
                sold.get(p.pk, 0),
                p.cost_rp,
            ]
        )
    return table


def count_variances(period: Period) -> ReportTable:
    """Lines of stock counts confirmed in the period whose count differed from the books."""
    start, end = period.bounds
    lines = (
        StockCountLine.objects.filter(
            count__site=period.site,
            count__status=StockCountStatus.CONFIRMED,
            count__confirmed_at__gte=start,
            count__confirmed_at__lt=end,
            counted_qty__isnull=False,
        )
        .exclude(counted_qty=F("expected_qty"))
        .select_related("count", "count__confirmed_by", "product", "product__category")
        .order_by("count__confirmed_at", "count__number", "product__name")
    )
    if period.category_id:
        lines = lines.filter(product__category_id=period.category_id)
    table = ReportTable(
        [
            Column(_("Nomor opname")),
            Column(_("Dikonfirmasi"), "datetime"),
            Column(_("Dikonfirmasi oleh")),
            Column(_("Barang")),
            Column(_("Kategori")),
            Column(_("Tercatat"), "int"),
            Column(_("Dihitung"), "int"),
            Column(_("Selisih"), "int"),
            Column(_("Harga pokok"), "rp"),
            Column(_("Selisih (Rp)"), "rp"),
        ],
        note=_("Hanya baris yang hasil hitungnya berbeda dari catatan."),
    )
    qty = value = 0
    for line in lines:
        count, p = line.count, line.product
        variance = line.variance or 0
        by = count.confirmed_by.display_name if count.confirmed_by else ""
        table.rows.append(
            [
                count.number,
                period.local(count.confirmed_at),
                by,
                p.name,
                p.category.name,
                line.expected_qty,
                line.counted_qty,
                variance,
                line.unit_cost_rp,
                variance * line.unit_cost_rp,
            ]
        )
        qty += variance
        value += variance * line.unit_cost_rp
    table.totals = [_("Jumlah"), "", "", "", "", "", "", qty, "", value]
    return table


def prices(period: Period) -> ReportTable:
    """Every product's price beside its last change: who changed it, when, from what, why."""
    table = ReportTable(
        [
            Column(_("SKU")),
            Column(_("Barang")),
            Column(_("Kategori")),
            *PRICE_COLUMNS,
            Column(_("Diubah oleh")),
            Column(_("Alasan")),
            Column(_("Harga pokok rata-rata"), "rp"),
            Column(_("Margin %"), "pct"),
            Column(_("Aktif"), "bool"),
        ]
    )
    for p in _products(period):
        table.rows.append(
            [
                p.sku,
                p.name,
                p.category.name,
                *price_cells(period, p),
                getattr(p, "price_changed_by", None) or "",
                getattr(p, "price_reason", None) or "",
                p.cost_rp,
                pct(p.price_rp - p.cost_rp, p.price_rp),
                p.is_active,
            ]
        )
    return table


def shifts(period: Period) -> ReportTable:
    """Shifts opened in the period with their Z-report: frozen at closing, computed now for a
    shift still open (at most one per terminal), and whether it matched the ledger."""
    start, end = period.bounds
    rows = (
        ShopShift.objects.filter(site=period.site, opened_at__gte=start, opened_at__lt=end)
        .select_related("cashier", "terminal")
        .order_by("opened_at", "pk")
    )
    if period.cashier_id:
        rows = rows.filter(cashier_id=period.cashier_id)
    table = ReportTable(
        [
            Column(_("Nomor")),
            Column(_("Kasir")),
            Column(_("Terminal")),
            Column(_("Dibuka"), "datetime"),
            Column(_("Ditutup"), "datetime"),
            Column(_("Struk"), "int"),
            Column(_("Penjualan"), "rp"),
            Column(_("Dibatalkan"), "rp"),
            Column(_("Retur"), "rp"),
            Column(_("Bersih"), "rp"),
            Column(_("Buku besar"), "rp"),
            Column(_("Cocok dengan buku besar"), "bool"),
        ],
        note=_("Shift yang masih buka dihitung sampai saat ini dan belum final."),
    )
    sums = [0] * 6
    for shift in rows:
        z: dict[str, Any] = (
            shift.z_report if shift.z_report is not None else zreport(shift=shift).as_json()
        )
        figures = [
            int(z["receipts_count"]),
            int(z["sales_rp"]),
            int(z["voids_rp"]),
            int(z["returns_rp"]),
            int(z["net_rp"]),
            int(z["ledger_net_rp"]),
        ]
        matches = shift.ledger_matches if shift.closed_at else None
        table.rows.append(
            [
                shift.number,
                shift.cashier.display_name,
                shift.terminal.name,
                period.local(shift.opened_at),
                period.local(shift.closed_at),
                *figures,
                matches,
            ]
        )
        sums = [a + b for a, b in zip(sums, figures, strict=True)]
    table.totals = [_("Jumlah"), "", "", "", "", *sums, ""]
    return table
