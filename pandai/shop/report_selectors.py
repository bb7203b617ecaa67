"""The koperasi's reports as tables: what the page shows is exactly what the XLSX holds.

Every report reads a `Period` (a range of the site's calendar days, an optional category, an
optional cashier) and returns a `ReportTable` of raw values (ints in rupiah, dates, site-local
datetimes); the view formats them for the page and writes them unchanged into the workbook.

Conventions, the same on every report:
- A sale counts on the site-local day of its receipt; a voided sale is not a sale (its own
  columns say how many were voided). A return counts on the day it was made, at the price and
  cost of the line it returns, so "net" = sales - returns made in the period.
- Cost of goods is each line's `unit_cost_rp` (the average cost when it was sold), not today's.
- A product's category is its current category (filters and grouping agree).
- Prices are shown beside their last change (PriceChange) so anyone can check they stay fair.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pandai.core.calendar import site_day_bounds
from pandai.core.models import Site
from pandai.shop.models import PriceChange, Product, ReturnLine, SaleLine, SaleStatus

BEST_SELLERS = 20
LOW_STOCK_SALES_DAYS = 30


@dataclass(frozen=True)
class Period:
    """Site-local days `start`..`end` (both included), optionally one category / cashier."""

    site: Site
    start: dt.date
    end: dt.date
    category_id: int | None = None
    cashier_id: int | None = None

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[first instant, instant after the last day) in the site's time zone."""
        return site_day_bounds(self.site, self.start)[0], site_day_bounds(self.site, self.end)[1]

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.site.time_zone)

    def local(self, moment: dt.datetime | None) -> dt.datetime | None:
        """A stored instant as the site's wall-clock time (naive: a spreadsheet has no zones)."""
        if moment is None:
            return None
        return moment.astimezone(self.tz).replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class Column:
    label: str | Promise
    # text, int, rp, pct (a float, one decimal), date, datetime, bool (None = "-")
    kind: str = "text"


@dataclass
class ReportTable:
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    totals: list[Any] | None = None
    note: str | Promise = ""


def pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- sales -------------------------------------------------------------------------------------


def _lines(period: Period, status: str = SaleStatus.COMPLETED) -> QuerySet[SaleLine]:
    start, end = period.bounds
    lines = SaleLine.objects.filter(
        sale__site=period.site,
        sale__status=status,
        sale__created_at__gte=start,
        sale__created_at__lt=end,
    )
    if period.category_id:
        lines = lines.filter(product__category_id=period.category_id)
    return lines


def _returns(period: Period) -> QuerySet[ReturnLine]:
    start, end = period.bounds
    lines = ReturnLine.objects.filter(
        sale_return__site=period.site,
        sale_return__created_at__gte=start,
        sale_return__created_at__lt=end,
    )
    if period.category_id:
        lines = lines.filter(sale_line__product__category_id=period.category_id)
    return lines


GROSS = Sum(F("quantity") * F("unit_price_rp"))
COST = Sum(F("quantity") * F("unit_cost_rp"))
RETURN_GROSS = Sum(F("quantity") * F("sale_line__unit_price_rp"))
RETURN_COST = Sum(F("quantity") * F("sale_line__unit_cost_rp"))


def sales_by_day(period: Period) -> ReportTable:
    """Every day of the period, the quiet ones too (a day without sales is worth seeing)."""
    tz = period.tz
    day = TruncDate("sale__created_at", tzinfo=tz)
    sold: dict[dt.date, dict[str, Any]] = {
        r["day"]: dict(r)
        for r in _lines(period)
        .annotate(day=day)
        .values("day")
        .annotate(n=Count("sale", distinct=True), qty=Sum("quantity"), rp=GROSS)
        .order_by()
    }
    voided: dict[dt.date, dict[str, Any]] = {
        r["day"]: dict(r)
        for r in _lines(period, SaleStatus.VOIDED)
        .annotate(day=day)
        .values("day")
        .annotate(n=Count("sale", distinct=True), rp=GROSS)
        .order_by()
    }
    returned: dict[dt.date, dict[str, Any]] = {
        r["day"]: dict(r)
        for r in _returns(period)
        .annotate(day=TruncDate("sale_return__created_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("sale_return", distinct=True), rp=RETURN_GROSS)
        .order_by()
    }
    table = ReportTable(
        [
            Column(_("Tanggal"), "date"),
            Column(_("Struk"), "int"),
            Column(_("Barang terjual"), "int"),
            Column(_("Penjualan"), "rp"),
            Column(_("Dibatalkan (struk)"), "int"),
            Column(_("Dibatalkan"), "rp"),
            Column(_("Retur (kali)"), "int"),
            Column(_("Retur"), "rp"),
            Column(_("Bersih"), "rp"),
        ]
    )
    totals = [0] * 8
    day_ = period.start
    while day_ <= period.end:
        s, v, r = sold.get(day_, {}), voided.get(day_, {}), returned.get(day_, {})
        figures = [
            s.get("n", 0),
            s.get("qty") or 0,
            int(s.get("rp") or 0),
            v.get("n", 0),
            int(v.get("rp") or 0),
            r.get("n", 0),
            int(r.get("rp") or 0),
        ]
        figures.append(figures[2] - figures[6])
        table.rows.append([day_, *figures])
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        day_ += dt.timedelta(days=1)
    table.totals = [_("Jumlah"), *totals]
    return table


@dataclass
class ProductFigures:
    product: Product
    receipts: int = 0
    sold_qty: int = 0
    sold_rp: int = 0
    sold_cost_rp: int = 0
    returned_qty: int = 0
    returned_rp: int = 0
    returned_cost_rp: int = 0

    @property
    def net_qty(self) -> int:
        return self.sold_qty - self.returned_qty

    @property
    def net_rp(self) -> int:
        return self.sold_rp - self.returned_rp

    @property
    def net_cost_rp(self) -> int:
        return self.sold_cost_rp - self.returned_cost_rp

    @property
    def margin_rp(self) -> int:
        return self.net_rp - self.net_cost_rp


def with_last_price_change(products: QuerySet[Product]) -> QuerySet[Product]:
    """Each product with its last price change (when, old, new, why, by whom) in one query."""
    last = PriceChange.objects.filter(product=OuterRef("pk")).order_by("-changed_at", "-pk")[:1]
    return products.select_related("category").annotate(
        price_changed_at=Subquery(last.values("changed_at")),
        price_old_rp=Subquery(last.values("old_price_rp")),
        price_reason=Subquery(last.values("reason")),
        price_changed_by=Subquery(last.values("changed_by__full_name")),
    )


def price_cells(period: Period, product: Any) -> list[Any]:
    """Price now | changed at | price before | change % — the columns of PRICE_COLUMNS."""
    old = product.price_old_rp
    return [
        product.price_rp,
        period.local(product.price_changed_at),
        old,
        pct(product.price_rp - old, old) if old else None,
    ]


PRICE_COLUMNS = [
    Column(_("Harga sekarang"), "rp"),
    Column(_("Harga terakhir diubah"), "datetime"),
    Column(_("Harga sebelumnya"), "rp"),
    Column(_("Perubahan harga %"), "pct"),
]


def product_figures(period: Period) -> list[ProductFigures]:
    """Sales and returns of the period per product (3 queries), busiest first."""
    figures: dict[int, dict[str, int]] = {}
    for r in (
        _lines(period)
        .values("product_id")
        .annotate(n=Count("sale", distinct=True), qty=Sum("quantity"), rp=GROSS, cost=COST)
        .order_by()
    ):
        figures[r["product_id"]] = {
            "receipts": r["n"],
            "sold_qty": r["qty"] or 0,
            "sold_rp": int(r["rp"] or 0),
            "sold_cost_rp": int(r["cost"] or 0),
        }
    for back in (
        _returns(period)
        .values("sale_line__product_id")
        .annotate(qty=Sum("quantity"), rp=RETURN_GROSS, cost=RETURN_COST)
        .order_by()
    ):
        figures.setdefault(back["sale_line__product_id"], {}).update(
            returned_qty=back["qty"] or 0,
            returned_rp=int(back["rp"] or 0),
            returned_cost_rp=int(back["cost"] or 0),
        )
    products = with_last_price_change(Product.objects.filter(pk__in=list(figures)))
    out = [ProductFigures(product=p, **figures[p.pk]) for p in products]
    out.sort(key=lambda f: (-f.net_rp, f.product.name))
    return out


def sales_by_product(period: Period) -> ReportTable:
    table = ReportTable(
        [
            Column(_("SKU")),
            Column(_("Barang")),
            Column(_("Kategori")),
            Column(_("Struk"), "int"),
            Column(_("Terjual"), "int"),
            Column(_("Retur"), "int"),
            Column(_("Bersih"), "int"),
            Column(_("Penjualan bersih"), "rp"),
            *PRICE_COLUMNS,
        ]
    )
    rows = product_figures(period)
    for f in rows:
        p = f.product
        table.rows.append(
            [
                p.sku,
                p.name,
                p.category.name,
                f.receipts,
                f.sold_qty,
                f.returned_qty,
                f.net_qty,
                f.net_rp,
                *price_cells(period, p),
            ]
        )
    table.totals = [_("Jumlah"), "", "", "", sum(f.sold_qty for f in rows)]
    table.totals += [sum(f.returned_qty for f in rows), sum(f.net_qty for f in rows)]
    table.totals += [sum(f.net_rp for f in rows), "", "", "", ""]
    return table


def best_sellers(period: Period) -> ReportTable:
    """The most sold products by quantity, net of returns."""
    table = ReportTable(
        [
            Column(_("Peringkat"), "int"),
            Column(_("Barang")),
            Column(_("Kategori")),
            Column(_("Jumlah bersih"), "int"),
            Column(_("Penjualan bersih"), "rp"),
            Column(_("Struk"), "int"),
            *PRICE_COLUMNS,
        ],
        note=_("%(n)d barang terlaris menurut jumlah terjual dikurangi retur.")
        % {"n": BEST_SELLERS},
    )
    ranked = sorted(
        (f for f in product_figures(period) if f.net_qty > 0),
        key=lambda f: (-f.net_qty, -f.net_rp, f.product.name),
    )[:BEST_SELLERS]
    for rank, f in enumerate(ranked, start=1):
        p = f.product
        table.rows.append(
            [
                rank,
                p.name,
                p.category.name,
                f.net_qty,
                f.net_rp,
                f.receipts,
                *price_cells(period, p),
            ]
        )
    return table


def sales_by_category(period: Period) -> ReportTable:
    receipts = dict(
        _lines(period)
        .values_list("product__category__name")
        .annotate(n=Count("sale", distinct=True))
        .order_by()
    )
    by_cat: dict[str, list[int]] = {}
    for f in product_figures(period):
        entry = by_cat.setdefault(f.product.category.name, [0, 0, 0, 0])
        entry[0] += f.net_qty
        entry[1] += f.sold_rp
        entry[2] += f.returned_rp
        entry[3] += f.net_rp
    whole = sum(v[3] for v in by_cat.values())
    table = ReportTable(
        [
            Column(_("Kategori")),
            Column(_("Struk"), "int"),
            Column(_("Jumlah bersih"), "int"),
            Column(_("Penjualan"), "rp"),
            Column(_("Retur"), "rp"),
            Column(_("Bersih"), "rp"),
            Column(_("Bagian %"), "pct"),
        ],
        note=_("Satu struk bisa berisi barang dari beberapa kategori."),
    )
    for name, (qty, sold, back, net) in sorted(by_cat.items(), key=lambda kv: -kv[1][3]):
        table.rows.append([name, receipts.get(name, 0), qty, sold, back, net, pct(net, whole)])
    sums = [sum(v[i] for v in by_cat.values()) for i in range(4)]
    table.totals = [_("Jumlah"), "", *sums, pct(whole, whole)]
    return table


def margin(period: Period) -> ReportTable:
    """Revenue - cost of goods at each line's cost when sold, both net of returns."""
    table = ReportTable(
        [
            Column(_("Barang")),
            Column(_("Kategori")),
            Column(_("Jumlah bersih"), "int"),
            Column(_("Pendapatan bersih"), "rp"),
            Column(_("Harga pokok penjualan"), "rp"),
            Column(_("Margin"), "rp"),
            Column(_("Margin %"), "pct"),
        ],
        note=_(
            "Harga pokok = harga pokok rata-rata barang saat terjual; retur mengurangi "
            "pendapatan dan harga pokok."
        ),
    )
    rows = product_figures(period)
    for f in sorted(rows, key=lambda f: (-f.margin_rp, f.product.name)):
        table.rows.append(
            [
                f.product.name,
                f.product.category.name,
                f.net_qty,
                f.net_rp,
                f.net_cost_rp,
                f.margin_rp,
                pct(f.margin_rp, f.net_rp),
            ]
        )
    revenue = sum(f.net_rp for f in rows)
    cost = sum(f.net_cost_rp for f in rows)
    table.totals = [_("Jumlah"), "", sum(f.net_qty for f in rows), revenue, cost]
    table.totals += [revenue - cost, pct(revenue - cost, revenue)]
    return table
