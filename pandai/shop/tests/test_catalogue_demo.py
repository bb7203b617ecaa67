"""The demo's koperasi step: a plausible catalogue with stock at every demo site."""

from __future__ import annotations

import pytest

from pandai.demo import shop, staff
from pandai.demo.context import DemoContext
from pandai.shop.models import Barcode, Category, Product, StockMove
from pandai.shop.services.catalogue import gtin_ok
from pandai.shop.services.stock import stock_check

pytestmark = pytest.mark.django_db


def test_demo_shop_step():
    ctx = DemoContext(inmate_count=0, log=lambda _m: None)
    staff.load_sites_and_staff(ctx)
    shop.load_shop(ctx)
    for site in ctx.sites.values():
        products = Product.objects.filter(site=site)
        assert products.count() == len(shop.PRODUCTS) >= 40
        assert Category.objects.filter(site=site).count() == len(shop.CATEGORIES)
        assert not products.filter(name__icontains="rokok").exists()
        assert all(2_000 <= p.price_rp <= 35_000 and 0 < p.cost_rp < p.price_rp for p in products)
        assert products.filter(essential=True).exists()
        assert products.filter(limit_per_day__isnull=False).exists()
        assert all(
            gtin_ok(c) and len(c) == 13
            for c in Barcode.objects.filter(site=site).values_list("code", flat=True)
        )
        assert not products.filter(on_hand=0).exists()
        assert StockMove.objects.filter(site=site, kind="receipt").exists()
        assert stock_check(site=site) == []
    mi = Product.objects.get(site=ctx.sites["BLR"], name="Mi instan goreng")
    assert mi.cost_rp == (120 * 2_900 + 60 * 3_000) // 180  # the second delivery moved the average
