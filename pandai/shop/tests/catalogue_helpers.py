"""Helpers of the catalogue and stock tests: a product in one call, and a snapshot of
everything the catalogue services write, to assert that a refusal changed nothing."""

from __future__ import annotations

from typing import Any

from pandai.core.models import AuditEvent, Site, User
from pandai.shop.models import (
    Barcode,
    CatalogueImport,
    Category,
    PriceChange,
    Product,
    ShopSettings,
    StockCount,
    StockCountLine,
    StockMove,
)
from pandai.shop.services.catalogue import ProductInput, category_create, product_create
from pandai.shop.services.inventory import ReceiveLine, stock_receive

_sequence = iter(range(1, 10**6))


def ean13(body12: str) -> str:
    """A valid EAN-13 from its first 12 digits."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def make_category(site: Site, actor: User, name: str = "Makanan ringan") -> Category:
    found = Category.objects.filter(site=site, name=name).first()
    return found or category_create(site=site, name=name, actor=actor)


def make_product(
    site: Site,
    actor: User,
    *,
    category: Category | None = None,
    stock: int = 0,
    unit_cost_rp: int = 2_000,
    **fields: Any,
) -> Product:
    n = next(_sequence)
    data: dict[str, Any] = {
        "sku": f"BRG-{n:04d}",
        "name": f"Barang uji {n}",
        "category": category or make_category(site, actor),
        "price_rp": 3_000,
    }
    data.update(fields)
    product = product_create(site=site, data=ProductInput(**data), actor=actor)
    if stock:
        stock_receive(
            site=site,
            lines=[ReceiveLine(product, stock, unit_cost_rp)],
            supplier="CV Sumber Rejeki",
            actor=actor,
        )
        product.refresh_from_db()
    return product


def snapshot() -> dict[str, Any]:
    """Counts and stock/price/cost of every catalogue table; equal before and after = nothing
    changed."""
    return {
        "products": sorted(
            Product.objects.values_list(
                "pk", "sku", "name", "price_rp", "cost_rp", "on_hand", "is_active", "category_id"
            )
        ),
        "barcodes": sorted(Barcode.objects.values_list("product_id", "code")),
        "categories": sorted(Category.objects.values_list("pk", "name", "sort_order")),
        "prices": PriceChange.objects.count(),
        "moves": StockMove.objects.count(),
        "counts": sorted(StockCount.objects.values_list("pk", "status")),
        "count_lines": sorted(StockCountLine.objects.values_list("pk", "counted_qty")),
        "imports": sorted(CatalogueImport.objects.values_list("pk", "applied_at")),
        "settings": sorted(
            ShopSettings.objects.values_list(
                "site_id", "card_only", "preorder_hours", "receipt_footer", "receipt_printer"
            )
        ),
        "audit": AuditEvent.objects.count(),
    }


def data_for(product: Product, **changes: Any) -> ProductInput:
    """The product's current fields as a ProductInput, with `changes` applied."""
    fields = {
        "sku": product.sku,
        "name": product.name,
        "category": product.category,
        "price_rp": product.price_rp,
        "unit": product.unit,
        "cost_rp": product.cost_rp,
        "barcodes": tuple(product.barcodes.values_list("code", flat=True)),
        "min_stock": product.min_stock,
        "limit_per_day": product.limit_per_day,
        "limit_per_week": product.limit_per_week,
        "essential": product.essential,
        "is_active": product.is_active,
    }
    fields.update(changes)
    return ProductInput(**fields)
