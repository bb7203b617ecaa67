"""Catalogue and stock screens through the test client: who sees what, forms that refuse bad
input without changing anything, the count sheet (bulk and HTMX), import and export."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pandai.shop.models import PriceChange, Product, ShopSettings, StockCount, StockCountStatus
from pandai.shop.services.inventory import count_create
from pandai.shop.tests.catalogue_helpers import ean13, make_category, make_product, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(staff):
    return staff("shop_manager")


@pytest.fixture
def mgr_client(client, manager):
    client.force_login(manager)
    return client


def test_cashier_sees_list_and_page_without_costs(client, staff, site, manager):
    product = make_product(site, manager, name="Teh kotak", cost_rp=0, stock=5, unit_cost_rp=3_100)
    client.force_login(staff("cashier"))
    page = client.get(reverse("shop:catalogue_products"))
    assert page.status_code == 200 and "Teh kotak" in page.text
    assert "Rp3.100" not in page.text and "Nilai stok" not in page.text
    detail = client.get(reverse("shop:catalogue_product", args=[product.pk]))
    assert detail.status_code == 200 and "Riwayat harga" in detail.text
    assert "Mutasi stok" not in detail.text and "Rp3.100" not in detail.text
    assert client.get(reverse("shop:catalogue_product_edit", args=[product.pk])).status_code == 403


def test_list_search_filter_low_stock_and_value(mgr_client, site, manager):
    drinks = make_category(site, manager, "Minuman")
    code = ean13("899100555001")
    make_product(
        site,
        manager,
        name="Air mineral",
        category=drinks,
        stock=2,
        min_stock=5,
        unit_cost_rp=2_000,
        barcodes=(code,),
    )
    make_product(site, manager, name="Kacang", stock=10, unit_cost_rp=1_000)
    url = reverse("shop:catalogue_products")
    page = mgr_client.get(url)
    assert page.context["stock_value_rp"] == 2 * 2_000 + 10 * 1_000
    assert [p.name for p in mgr_client.get(url, {"q": code}).context["page"]] == ["Air mineral"]
    low = mgr_client.get(url, {"stok": "rendah"}).context["page"]
    assert [p.name for p in low] == ["Air mineral"]
    by_cat = mgr_client.get(url, {"kategori": drinks.pk}).context["page"]
    assert [p.name for p in by_cat] == ["Air mineral"]


def test_list_query_count_does_not_grow_with_products(
    mgr_client, site, manager, django_assert_max_num_queries
):
    for _ in range(15):
        make_product(site, manager, barcodes=(f"INT-{_}",))
    with django_assert_max_num_queries(14):
        assert mgr_client.get(reverse("shop:catalogue_products")).status_code == 200


def _form(category, **over):
    data = {
        "sku": "SBN-1",
        "name": "Sabun batang",
        "category": category.pk,
        "unit": "pcs",
        "barcodes": ean13("899100555002"),
        "price_rp": "4.000",
        "cost_rp": "3.000",
        "min_stock": "5",
        "limit_per_day": "",
        "limit_per_week": "",
        "essential": "on",
        "is_active": "on",
    }
    data.update(over)
    return data


def test_create_and_edit_product_with_price_reason(mgr_client, site, manager):
    cat = make_category(site, manager, "Perlengkapan mandi")
    response = mgr_client.post(reverse("shop:catalogue_product_create"), _form(cat))
    product = Product.objects.get(sku="SBN-1")
    assert response.status_code == 302 and product.price_rp == 4_000 and product.essential
    edit = reverse("shop:catalogue_product_edit", args=[product.pk])
    before = snapshot()
    refused = mgr_client.post(edit, _form(cat, price_rp="4.500"))
    assert refused.status_code == 200 and "alasan perubahan harga" in refused.text.lower()
    assert snapshot() == before
    mgr_client.post(edit, _form(cat, price_rp="4.500", price_reason="Harga pemasok naik"))
    product.refresh_from_db()
    assert product.price_rp == 4_500
    page = mgr_client.get(reverse("shop:catalogue_product", args=[product.pk]))
    assert "Harga pemasok naik" in page.text and "Rp4.500" in page.text
    assert PriceChange.objects.filter(product=product).count() == 2


@pytest.mark.parametrize(
    "over",
    [
        {"price_rp": "0"},
        {"price_rp": "-100"},
        {"barcodes": "4006381333932"},
        {"sku": ""},
        {"limit_per_day": "0"},
        {"limit_per_day": "3", "limit_per_week": "2"},
    ],
)
def test_create_refusals_change_nothing(mgr_client, site, manager, over):
    cat = make_category(site, manager)
    before = snapshot()
    response = mgr_client.post(reverse("shop:catalogue_product_create"), _form(cat, **over))
    assert response.status_code == 200
    assert snapshot() == before


def test_receive_form_by_barcode_and_refusal(mgr_client, site, manager):
    code = ean13("899100555003")
    product = make_product(site, manager, barcodes=(code,))
    url = reverse("shop:catalogue_receive")
    before = snapshot()
    bad = mgr_client.post(
        url,
        {
            "supplier": "CV A",
            "code_0": code,
            "qty_0": "5",
            "cost_0": "2.000",
            "code_1": "TIDAK-ADA",
            "qty_1": "1",
            "cost_1": "1.000",
        },
    )
    assert bad.status_code == 200 and "tidak dikenal" in bad.text
    assert snapshot() == before
    ok = mgr_client.post(url, {"supplier": "CV A", "code_0": code, "qty_0": "5", "cost_0": "2.000"})
    assert ok.status_code == 302
    product.refresh_from_db()
    assert (product.on_hand, product.cost_rp) == (5, 2_000)


def test_adjust_form_never_below_zero(mgr_client, site, manager):
    product = make_product(site, manager, stock=2)
    url = reverse("shop:catalogue_adjust", args=[product.pk])
    before = snapshot()
    response = mgr_client.post(url, {"direction": "out", "quantity": "3", "reason": "Hilang"})
    assert response.status_code == 200 and "tinggal 2" in response.text
    assert snapshot() == before
    mgr_client.post(url, {"direction": "out", "quantity": "2", "reason": "Kedaluwarsa"})
    product.refresh_from_db()
    assert product.on_hand == 0


def test_count_sheet_bulk_htmx_and_confirm(mgr_client, site, manager):
    a = make_product(site, manager, sku="A-1", stock=10, unit_cost_rp=1_000)
    b = make_product(site, manager, sku="B-1", stock=4, unit_cost_rp=2_500)
    mgr_client.post(reverse("shop:catalogue_counts"), {"category": "", "note": ""})
    count = StockCount.objects.get()
    url = reverse("shop:catalogue_count", args=[count.pk])
    assert mgr_client.get(url).status_code == 200
    row = mgr_client.post(
        reverse("shop:catalogue_count_line", args=[count.pk]),
        {"product": a.pk, f"c-{a.pk}": "8"},
        HTTP_HX_REQUEST="true",
    )
    assert row.status_code == 200 and row.text.lstrip().startswith("<tr") and "-2" in row.text
    bad = mgr_client.post(url, {f"c-{b.pk}": "x"})
    assert "Isi angka bulat" in bad.text
    mgr_client.post(url, {f"c-{a.pk}": "8", f"c-{b.pk}": "5"})
    summary = mgr_client.get(reverse("shop:catalogue_count_confirm", args=[count.pk]))
    assert summary.context["summary"].value_rp == -2 * 1_000 + 2_500
    mgr_client.post(reverse("shop:catalogue_count_confirm", args=[count.pk]))
    count.refresh_from_db()
    assert count.status == StockCountStatus.CONFIRMED
    assert dict(Product.objects.values_list("sku", "on_hand")) == {"A-1": 8, "B-1": 5}


def test_count_cancel_needs_reason(mgr_client, site, manager):
    make_product(site, manager, stock=1)
    count = count_create(site=site, actor=manager)
    url = reverse("shop:catalogue_count_cancel", args=[count.pk])
    mgr_client.post(url, {"reason": ""})
    count.refresh_from_db()
    assert count.status == StockCountStatus.DRAFT
    mgr_client.post(url, {"reason": "Salah jadwal"})
    count.refresh_from_db()
    assert count.status == StockCountStatus.CANCELLED


def test_import_upload_preview_apply_and_export(mgr_client, site, manager, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "sku;name;category;price\nTEH-1;Teh celup;Kopi & teh;7500\n"
    upload = SimpleUploadedFile("katalog.csv", text.encode(), content_type="text/csv")
    response = mgr_client.post(reverse("shop:catalogue_import"), {"file": upload})
    assert response.status_code == 302
    preview = mgr_client.get(response.url)
    assert "Kategori baru akan dibuat" in preview.text and Product.objects.count() == 0
    batch_pk = preview.context["batch"].pk
    mgr_client.post(reverse("shop:catalogue_import_apply", args=[batch_pk]))
    assert Product.objects.get(sku="TEH-1").price_rp == 7_500
    settings.PANDAI_MAX_IMPORT_BYTES = 10
    big = SimpleUploadedFile("besar.csv", text.encode(), content_type="text/csv")
    refused = mgr_client.post(reverse("shop:catalogue_import"), {"file": big})
    assert refused.status_code == 200 and "terlalu besar" in refused.text
    csv_export = mgr_client.get(reverse("shop:catalogue_export"))
    assert csv_export["Content-Type"].startswith("text/csv")
    assert "TEH-1;;Teh celup;Kopi & teh;pcs;7500" in csv_export.content.decode("utf-8-sig")
    xlsx = mgr_client.get(reverse("shop:catalogue_export"), {"format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_settings_page_refuses_bad_printer(mgr_client, site):
    url = reverse("shop:catalogue_settings")
    assert mgr_client.get(url).status_code == 200
    bad = mgr_client.post(
        url, {"card_only": "on", "preorder_hours": "48", "receipt_printer": "x:0"}
    )
    assert bad.status_code == 200 and "host:port" in bad.text
    ok = mgr_client.post(
        url, {"card_only": "on", "preorder_hours": "24", "receipt_printer": "10.0.0.9:9100"}
    )
    assert ok.status_code == 302
    site.refresh_from_db()
    assert ShopSettings.objects.get(site=site).preorder_hours == 24
