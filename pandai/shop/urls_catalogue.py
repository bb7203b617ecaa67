"""Koperasi catalogue and stock screens under /koperasi/katalog/ (names prefixed `catalogue_`)."""

from django.urls import URLPattern, URLResolver, path

from pandai.shop.views import catalogue, catalogue_import, inventory

urlpatterns: list[URLPattern | URLResolver] = [
    path("", catalogue.product_list, name="catalogue_products"),
    path("barang/baru/", catalogue.product_create, name="catalogue_product_create"),
    path("barang/<int:pk>/", catalogue.product_detail, name="catalogue_product"),
    path("barang/<int:pk>/ubah/", catalogue.product_edit, name="catalogue_product_edit"),
    path("barang/<int:pk>/foto/", catalogue.product_photo, name="catalogue_product_photo"),
    path(
        "barang/<int:pk>/foto/unggah/",
        catalogue.product_photo_upload,
        name="catalogue_product_photo_upload",
    ),
    path("barang/<int:pk>/penyesuaian/", inventory.adjust, name="catalogue_adjust"),
    path("kategori/", catalogue.category_list, name="catalogue_categories"),
    path("kategori/<int:pk>/", catalogue.category_edit, name="catalogue_category_edit"),
    path("barang-masuk/", inventory.receive, name="catalogue_receive"),
    path("opname/", inventory.count_list, name="catalogue_counts"),
    path("opname/<int:pk>/", inventory.count_detail, name="catalogue_count"),
    path("opname/<int:pk>/baris/", inventory.count_line, name="catalogue_count_line"),
    path("opname/<int:pk>/konfirmasi/", inventory.count_confirm, name="catalogue_count_confirm"),
    path("opname/<int:pk>/batal/", inventory.count_cancel, name="catalogue_count_cancel"),
    path("impor/", catalogue_import.import_start, name="catalogue_import"),
    path("impor/<int:pk>/", catalogue_import.import_preview, name="catalogue_import_preview"),
    path("impor/<int:pk>/terapkan/", catalogue_import.import_apply, name="catalogue_import_apply"),
    path("ekspor/", catalogue_import.export, name="catalogue_export"),
    path("pengaturan/", catalogue.shop_settings, name="catalogue_settings"),
]
