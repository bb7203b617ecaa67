"""Read-only admin for the koperasi's records: every write goes through shop.services and its
screens (prices need a reason and a history row, stock only moves through stock_move)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

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


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ShopSettings)
class ShopSettingsAdmin(ReadOnlyAdmin):
    list_display = ["site", "card_only", "preorder_hours", "receipt_printer"]


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ["name", "site", "sort_order"]
    list_filter = ["site"]


class BarcodeInline(admin.TabularInline):
    model = Barcode
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = [
        "sku",
        "name",
        "site",
        "category",
        "price_rp",
        "cost_rp",
        "on_hand",
        "is_active",
    ]
    list_filter = ["site", "is_active", "essential"]
    search_fields = ["sku", "name", "barcodes__code"]
    inlines = [BarcodeInline]


@admin.register(PriceChange)
class PriceChangeAdmin(ReadOnlyAdmin):
    list_display = ["product", "old_price_rp", "new_price_rp", "changed_by", "changed_at"]
    list_filter = ["product__site"]
    search_fields = ["product__sku", "product__name"]


@admin.register(StockMove)
class StockMoveAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "product", "kind", "quantity", "unit_cost_rp", "reference"]
    list_filter = ["site", "kind"]
    search_fields = ["product__sku", "product__name", "reference", "supplier"]


class StockCountLineInline(admin.TabularInline):
    model = StockCountLine
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StockCount)
class StockCountAdmin(ReadOnlyAdmin):
    list_display = ["number", "site", "status", "created_at", "confirmed_at"]
    list_filter = ["site", "status"]
    inlines = [StockCountLineInline]


@admin.register(CatalogueImport)
class CatalogueImportAdmin(ReadOnlyAdmin):
    list_display = ["filename", "site", "uploaded_by", "uploaded_at", "applied_at"]
    list_filter = ["site"]
    exclude = ["rows"]
