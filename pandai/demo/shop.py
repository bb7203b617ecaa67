"""Demo koperasi catalogue: for each demo site the usual categories, ~40 everyday products with
Indonesian names, EAN-13 barcodes, prices, costs, a few per-day limits and essentials, and the
stock received from a supplier a week ago (a second delivery at a new cost shows the average),
all through the shop's services. No tobacco."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from pandai.core.models import Site, User
from pandai.demo.context import DemoContext
from pandai.shop.models import Category, Product
from pandai.shop.services.catalogue import (
    ProductInput,
    category_create,
    product_create,
    shop_settings_update,
)
from pandai.shop.services.inventory import ReceiveLine, stock_adjust, stock_receive

CATEGORIES = (
    "Makanan ringan",
    "Mi instan",
    "Minuman",
    "Kopi & teh",
    "Perlengkapan mandi",
    "Alat tulis",
    "Pakaian",
    "Obat bebas",
)

# category index, name, unit, price, cost, stock, per-day limit, essential
PRODUCTS: tuple[tuple[int, str, str, int, int, int, int | None, bool], ...] = (
    (0, "Roti sobek cokelat", "bks", 6_000, 4_800, 30, None, False),
    (0, "Biskuit kelapa", "bks", 3_500, 2_700, 40, None, False),
    (0, "Wafer cokelat", "bks", 2_000, 1_500, 60, None, False),
    (0, "Kacang kulit 100 g", "bks", 7_000, 5_600, 25, None, False),
    (0, "Keripik singkong pedas", "bks", 5_000, 3_900, 30, None, False),
    (0, "Kerupuk udang", "bks", 4_000, 3_000, 20, None, False),
    (0, "Roti tawar", "bks", 15_000, 12_500, 12, None, True),
    (1, "Mi instan goreng", "bks", 3_500, 2_900, 120, 3, True),
    (1, "Mi instan kuah soto", "bks", 3_500, 2_850, 100, 3, True),
    (1, "Mi instan kuah kari ayam", "bks", 3_500, 2_850, 80, 3, True),
    (1, "Mi gelas", "cup", 2_500, 1_900, 60, 3, False),
    (1, "Bihun instan", "bks", 4_000, 3_100, 30, None, False),
    (2, "Air mineral 600 ml", "btl", 3_000, 2_200, 144, None, True),
    (2, "Air mineral 1,5 liter", "btl", 6_000, 4_700, 48, None, True),
    (2, "Teh kotak 200 ml", "kotak", 4_000, 3_100, 48, None, False),
    (2, "Susu UHT cokelat 200 ml", "kotak", 6_500, 5_300, 36, 2, False),
    (2, "Minuman isotonik 500 ml", "btl", 8_000, 6_400, 24, None, False),
    (2, "Sirup jeruk 460 ml", "btl", 18_000, 15_200, 6, None, False),
    (3, "Kopi sachet susu", "sct", 2_000, 1_500, 150, 4, False),
    (3, "Kopi bubuk hitam 165 g", "bks", 14_000, 11_800, 15, None, False),
    (3, "Teh celup isi 25", "kotak", 7_500, 6_000, 20, None, True),
    (3, "Gula pasir 1 kg", "bks", 18_000, 16_000, 10, None, True),
    (3, "Krimer kental manis sachet", "sct", 2_000, 1_550, 60, None, False),
    (4, "Sabun mandi batang", "pcs", 4_000, 3_100, 60, None, True),
    (4, "Sampo sachet isi 2", "sct", 2_000, 1_400, 200, None, True),
    (4, "Pasta gigi 75 g", "pcs", 9_000, 7_300, 30, None, True),
    (4, "Sikat gigi", "pcs", 5_000, 3_800, 30, None, True),
    (4, "Deterjen bubuk 800 g", "bks", 22_000, 18_700, 12, None, True),
    (4, "Handuk kecil", "pcs", 25_000, 19_000, 8, None, False),
    (4, "Sabun cuci piring 400 ml", "pcs", 10_000, 8_200, 10, None, True),
    (5, "Buku tulis 38 lembar", "pcs", 4_000, 3_000, 40, None, False),
    (5, "Pulpen hitam", "pcs", 3_000, 2_100, 50, None, False),
    (5, "Amplop putih isi 10", "pak", 5_000, 3_800, 20, None, False),
    (5, "Kertas surat bergaris", "pak", 6_000, 4_600, 15, None, False),
    (6, "Kaus dalam putih", "pcs", 35_000, 27_500, 10, None, True),
    (6, "Sandal jepit", "psg", 15_000, 11_000, 12, None, True),
    (6, "Kaus kaki", "psg", 12_000, 9_000, 3, None, False),
    (7, "Obat sakit kepala (strip)", "strip", 5_000, 3_900, 20, 1, True),
    (7, "Obat maag tablet (strip)", "strip", 8_000, 6_400, 15, 1, True),
    (7, "Minyak angin 12 ml", "btl", 12_000, 9_700, 10, None, True),
    (7, "Plester luka isi 10", "pak", 6_000, 4_500, 2, None, True),
)
SUPPLIER = "CV Sumber Makmur Sejahtera"


def ean13(body12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def _at(site: Site, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(site.time_zone))


def load_shop(ctx: DemoContext) -> None:
    # Blora's shop manager; at Semarang the regional head (its only demo login) set it up.
    actors = {"BLR": ctx.staff["koperasi"], "SMG": ctx.staff.get("kanwil", ctx.staff["koperasi"])}
    for n, (code, site) in enumerate(sorted(ctx.sites.items())):
        _load_site(ctx, site, actors.get(code, ctx.staff["koperasi"]), site_no=n)


def _load_site(ctx: DemoContext, site: Site, actor: User, *, site_no: int) -> None:
    rng = ctx.rng(f"shop/{site.code}")
    shop_settings_update(
        site=site,
        actor=actor,
        card_only=True,
        preorder_hours=48,
        receipt_footer="Terima kasih. Belanja tanpa uang tunai, bebas pungli.",
        receipt_printer="",
    )
    categories: list[Category] = [
        category_create(site=site, name=name, sort_order=i * 10, actor=actor)
        for i, name in enumerate(CATEGORIES)
    ]
    week_ago = ctx.today - dt.timedelta(days=7)
    products: list[tuple[Product, int, int]] = []
    for i, (cat, name, unit, price, cost, stock, per_day, essential) in enumerate(PRODUCTS):
        prefix = name.split()[0][:3].upper()
        product = product_create(
            site=site,
            data=ProductInput(
                sku=f"{prefix}-{i + 1:03d}",
                name=name,
                category=categories[cat],
                price_rp=price,
                unit=unit,
                barcodes=(ean13(f"899{site_no}{71000 + i:05d}000"),),
                min_stock=max(2, stock // 5),
                limit_per_day=per_day,
                limit_per_week=per_day * 5 if per_day else None,
                essential=essential,
            ),
            actor=actor,
            now=_at(site, week_ago, 7),
        )
        products.append((product, stock, cost))
    stock_receive(
        site=site,
        lines=[ReceiveLine(p, stock, cost) for p, stock, cost in products],
        supplier=SUPPLIER,
        note="Faktur SMS/0412",
        actor=actor,
        now=_at(site, week_ago, 9),
    )
    # A second delivery of the fast movers at a higher cost: the average cost moves.
    fast = [(p, stock, cost) for p, stock, cost in products if stock >= 100]
    stock_receive(
        site=site,
        lines=[ReceiveLine(p, stock // 2, cost + 100) for p, stock, cost in fast],
        supplier=SUPPLIER,
        note="Faktur SMS/0419",
        actor=actor,
        now=_at(site, ctx.today - dt.timedelta(days=2), 9),
    )
    damaged = products[rng.randrange(len(products))][0]
    stock_adjust(
        product=damaged,
        quantity=-1,
        reason="Kemasan rusak saat bongkar muat",
        actor=actor,
        now=_at(site, ctx.today - dt.timedelta(days=2), 10),
    )
