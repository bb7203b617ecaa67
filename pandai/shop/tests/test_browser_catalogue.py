"""Browser: a shop manager creates a product with a scanned barcode, receives goods, and runs a
stock count with a variance through to confirmation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pandai.shop.models import Product, StockMove
from pandai.shop.tests.catalogue_helpers import ean13, make_category

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_product_receipt_and_stock_count(page: Page, live_server, login, staff, site):
    manager = staff("shop_manager")
    make_category(site, manager, "Mi instan")
    code = ean13("899100888001")
    login(page, manager)
    base = f"{live_server.url}/koperasi/katalog/"

    # a new product, its barcode typed as a scanner would
    page.goto(base)
    page.click("#action-product-create")
    page.fill("#id_sku", "MIN-900")
    page.fill("#id_name", "Mi instan goreng")
    page.select_option("#id_category", label="Mi instan")
    page.fill("#id_price_rp", "3.500")
    page.locator("#id_barcodes").focus()
    page.keyboard.type(code, delay=5)
    page.fill("#id_limit_per_day", "2")
    page.check("#id_essential")
    page.click("#product-save")
    expect(page.get_by_test_id("product-barcodes")).to_contain_text(code)
    expect(page.get_by_test_id("product-price")).to_contain_text("Rp3.500")

    # goods received: scan, Enter moves on to quantity and cost
    page.goto(base + "barang-masuk/")
    page.fill("#id_supplier", "CV Sumber Makmur")
    page.locator("#id_code_0").focus()
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")
    expect(page.locator("#id_qty_0")).to_be_focused()
    page.keyboard.type("24")
    page.keyboard.press("Enter")
    page.keyboard.type("2.900")
    page.click("#receive-save")
    expect(page.locator(".msg-success")).to_contain_text("BM-")
    product = Product.objects.get(sku="MIN-900")
    assert (product.on_hand, product.cost_rp) == (24, 2_900)

    # stock count: 22 on the shelf, saved by Enter (HTMX), then confirmed
    page.goto(base + "opname/")
    page.click("#count-create")
    expect(page.get_by_test_id("count-status")).to_contain_text("Draf")
    field = page.get_by_test_id("count-MIN-900")
    field.fill("22")
    field.press("Tab")
    expect(page.get_by_test_id("variance-MIN-900")).to_have_text("-2")
    page.click("#count-review")
    expect(page.get_by_test_id("variance-total")).to_contain_text("-Rp5.800")
    page.click("#count-confirm")
    expect(page.get_by_test_id("count-status")).to_contain_text("Dikonfirmasi")
    product.refresh_from_db()
    assert product.on_hand == 22
    assert StockMove.objects.filter(product=product, kind="count", quantity=-2).exists()
    page.goto(base + f"barang/{product.pk}/")
    expect(page.get_by_test_id("stock-moves")).to_contain_text(re.compile("Stok opname"))
