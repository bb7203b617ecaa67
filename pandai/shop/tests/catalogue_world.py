"""Catalogue and stock samples for the permission matrix (merged by shop_world)."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from pandai.shop.models import CatalogueImport
from pandai.shop.services.catalogue import product_set_photo
from pandai.shop.services.inventory import count_create
from pandai.shop.tests.catalogue_helpers import make_category, make_product

CATALOGUE_SAMPLES: dict[tuple[str, str], str] = {
    ("shop:catalogue_", "pk"): "catalogue_product",
    ("shop:catalogue_categor", "pk"): "catalogue_category",
    ("shop:catalogue_count", "pk"): "catalogue_count",
    ("shop:catalogue_import_", "pk"): "catalogue_import",
}


def catalogue_world(*, site: Any, users: dict[str, Any], admin: Any) -> dict[str, Any]:
    manager = users["shop_manager"]
    category = make_category(site, manager, "Matriks: alat tulis")
    product = make_product(site, manager, category=category, sku="MTX-PULPEN", stock=3)
    out = io.BytesIO()
    Image.new("RGB", (30, 30), (10, 120, 200)).save(out, format="PNG")
    product_set_photo(product=product, data=out.getvalue(), actor=manager)
    return {
        "catalogue_product": product,
        "catalogue_category": category,
        "catalogue_count": count_create(site=site, actor=manager, category=category),
        "catalogue_import": CatalogueImport.objects.create(
            site=site,
            filename="katalog.csv",
            rows=[["sku", "name", "category", "price"], ["MTX-BUKU", "Buku tulis", "ATK", "4000"]],
            uploaded_by=manager,
        ),
    }
