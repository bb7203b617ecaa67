"""Koperasi URLs, one module per area so each can grow on its own."""

from django.urls import include, path

app_name = "shop"

urlpatterns = [
    path("", include("pandai.shop.urls_pos")),  # home, terminal pairing, shifts, POS, receipts
    path("katalog/", include("pandai.shop.urls_catalogue")),  # products, stock, counts, import
    path("pesanan/", include("pandai.shop.urls_orders")),  # pre-orders from the blocks
    path("laporan/", include("pandai.shop.urls_reports")),  # reports + XLSX
]
