"""Catalogue services: categories, products, barcodes, price history, photo, shop settings.
Every refusal leaves every table as it was."""

from __future__ import annotations

import io

import pytest
from django.db import DatabaseError, connection, transaction
from PIL import Image

from pandai.core.models import AuditEvent
from pandai.shop.errors import ShopError
from pandai.shop.models import PriceChange, ShopSettings
from pandai.shop.services.catalogue import (
    ProductInput,
    category_create,
    category_update,
    gtin_ok,
    product_create,
    product_set_photo,
    product_update,
    shop_settings_get,
    shop_settings_update,
)
from pandai.shop.tests.catalogue_helpers import (
    data_for,
    ean13,
    make_category,
    make_product,
    snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(staff):
    return staff("shop_manager")


@pytest.fixture
def snack(site, manager):
    return make_category(site, manager)


def _typo(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


def test_gtin_check_digit():
    assert gtin_ok("4006381333931")  # a published EAN-13
    assert gtin_ok("96385074")  # a published EAN-8
    assert gtin_ok(ean13("899276111111"))
    assert not gtin_ok(_typo("4006381333931"))
    assert not gtin_ok(_typo("96385074"))
    assert gtin_ok("INT-001")  # a shop's own label is taken as it is


def test_create_product_with_barcodes_records_first_price(site, manager, snack):
    code = ean13("899100000001")
    product = product_create(
        site=site,
        data=ProductInput(
            sku=" mi-goreng ",
            name="Mi  goreng",
            category=snack,
            price_rp=3_500,
            cost_rp=2_800,
            barcodes=(code, "INT-7"),
            limit_per_day=2,
            essential=True,
        ),
        actor=manager,
    )
    assert product.sku == "MI-GORENG" and product.name == "Mi goreng"
    assert sorted(product.barcodes.values_list("code", flat=True)) == sorted([code, "INT-7"])
    first = PriceChange.objects.get(product=product)
    assert (first.old_price_rp, first.new_price_rp, first.changed_by) == (None, 3_500, manager)
    assert AuditEvent.objects.filter(action="shop.price_change").count() == 1


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"price_rp": 0}, "price_invalid"),
        ({"price_rp": -5}, "price_invalid"),
        ({"cost_rp": -1}, "cost_invalid"),
        ({"sku": ""}, "sku_invalid"),
        ({"sku": "ÄÖ"}, "sku_invalid"),
        ({"name": "  "}, "name_invalid"),
        ({"limit_per_day": 0}, "limit_invalid"),
        ({"limit_per_day": 3, "limit_per_week": 2}, "limit_invalid"),
        ({"barcodes": (_typo("4006381333931"),)}, "barcode_check_digit"),
        ({"barcodes": ("ab#cd",)}, "barcode_invalid"),
        ({"barcodes": ("INT-1", "INT-1")}, "barcode_duplicate"),
    ],
)
def test_invalid_product_is_refused_and_nothing_changes(site, manager, snack, changes, code):
    fields = {"sku": "NEW-1", "name": "Sabun", "category": snack, "price_rp": 4_000}
    before = snapshot()
    with pytest.raises(ShopError) as err:
        product_create(site=site, data=ProductInput(**{**fields, **changes}), actor=manager)
    assert err.value.code == code
    assert snapshot() == before


def test_sku_and_barcode_unique_per_site_only(site, other_site, manager, snack, staff):
    code = ean13("899100000002")
    make_product(site, manager, sku="SABUN-1", barcodes=(code,))
    before = snapshot()
    with pytest.raises(ShopError) as err:
        make_product(site, manager, sku="sabun-1")
    assert err.value.code == "sku_exists"
    with pytest.raises(ShopError) as err:
        make_product(site, manager, barcodes=(code,))
    assert err.value.code == "barcode_exists" and "Barang uji" in err.value.message
    assert snapshot() == before
    # Another site may use the same SKU and barcode for its own goods.
    other_manager = staff("shop_manager", at=other_site)
    make_product(other_site, other_manager, sku="SABUN-1", barcodes=(code,))


def test_category_of_another_site_is_refused(site, other_site, manager, staff):
    foreign = make_category(other_site, staff("shop_manager", at=other_site))
    before = snapshot()
    with pytest.raises(ShopError) as err:
        make_product(site, manager, category=foreign)
    assert err.value.code == "category_invalid"
    assert snapshot() == before


def test_price_change_needs_reason_and_is_recorded(site, manager, snack):
    product = make_product(site, manager, price_rp=3_000)
    before = snapshot()
    with pytest.raises(ShopError) as err:
        product_update(product=product, data=data_for(product, price_rp=3_500), actor=manager)
    assert err.value.code == "price_reason_required"
    assert snapshot() == before
    product_update(
        product=product,
        data=data_for(product, price_rp=3_500),
        actor=manager,
        reason="Harga pemasok naik",
    )
    history = list(PriceChange.objects.filter(product=product).order_by("pk"))
    assert [(h.old_price_rp, h.new_price_rp) for h in history] == [(None, 3_000), (3_000, 3_500)]
    assert history[1].reason == "Harga pemasok naik"
    # Same price, other fields: no new history row, no reason needed.
    product.refresh_from_db()
    product_update(product=product, data=data_for(product, name="Nama baru"), actor=manager)
    assert PriceChange.objects.filter(product=product).count() == 2


def test_update_swaps_barcodes(site, manager):
    a, b = ean13("899100000003"), ean13("899100000004")
    product = make_product(site, manager, barcodes=(a,))
    product_update(product=product, data=data_for(product, barcodes=(b,)), actor=manager)
    assert list(product.barcodes.values_list("code", flat=True)) == [b]


def test_update_refuses_barcode_of_other_product(site, manager):
    a = ean13("899100000005")
    make_product(site, manager, barcodes=(a,))
    product = make_product(site, manager)
    before = snapshot()
    with pytest.raises(ShopError) as err:
        product_update(product=product, data=data_for(product, barcodes=(a,)), actor=manager)
    assert err.value.code == "barcode_exists"
    assert snapshot() == before


@pytest.mark.parametrize("table", ["shop_pricechange", "shop_stockmove"])
@pytest.mark.parametrize(
    "statement", ["UPDATE {t} SET id = id WHERE id = %s", "DELETE FROM {t} WHERE id = %s"]
)
def test_price_history_and_moves_are_append_only(site, manager, table, statement):
    product = make_product(site, manager, stock=5)
    pk = (
        PriceChange.objects.filter(product=product).values_list("pk", flat=True).first()
        if table == "shop_pricechange"
        else product.moves.values_list("pk", flat=True).first()
    )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(t=table), [pk])
    assert PriceChange.objects.filter(product=product).count() == 1
    assert product.moves.count() == 1


def test_categories(site, manager):
    cat = category_create(site=site, name=" Minuman ", actor=manager, sort_order=2)
    assert cat.name == "Minuman"
    before = snapshot()
    for bad in ("minuman", "", "x" * 81):
        with pytest.raises(ShopError):
            category_create(site=site, name=bad, actor=manager)
    assert snapshot() == before
    other = category_create(site=site, name="Kopi & teh", actor=manager)
    with pytest.raises(ShopError):
        category_update(category=other, name="MINUMAN", sort_order=0, actor=manager)
    assert snapshot() == {**before, "categories": snapshot()["categories"]}
    category_update(category=other, name="Kopi dan teh", sort_order=5, actor=manager)
    other.refresh_from_db()
    assert (other.name, other.sort_order) == ("Kopi dan teh", 5)


def _image(fmt: str, size=(1200, 900)) -> bytes:
    out = io.BytesIO()
    img = Image.new("RGB", size, (200, 30, 30))
    if fmt == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "KameraRahasia"
        img.save(out, format=fmt, exif=exif)
    else:
        img.save(out, format=fmt)
    return out.getvalue()


def test_photo_is_reencoded_small_and_without_metadata(site, manager):
    product = make_product(site, manager)
    product_set_photo(product=product, data=_image("JPEG"), actor=manager)
    product.refresh_from_db()
    with product.photo.open("rb") as f, Image.open(f) as img:
        assert img.format == "JPEG" and max(img.size) == 600
        assert not img.getexif()


@pytest.mark.parametrize("data", [b"not an image", _image("GIF", (10, 10))])
def test_bad_photo_refused(site, manager, data):
    product = make_product(site, manager)
    with pytest.raises(ShopError):
        product_set_photo(product=product, data=data, actor=manager)
    product.refresh_from_db()
    assert not product.photo


def test_photo_too_large_refused(site, manager, settings):
    settings.PANDAI_MAX_PHOTO_BYTES = 1000
    product = make_product(site, manager)
    with pytest.raises(ShopError) as err:
        product_set_photo(product=product, data=_image("PNG"), actor=manager)
    assert err.value.code == "photo_too_large"


def test_settings_defaults_update_and_audit(site, manager):
    current = shop_settings_get(site=site)
    assert current.card_only and current.preorder_hours == 48
    updated = shop_settings_update(
        site=site,
        actor=manager,
        card_only=True,
        preorder_hours=24,
        receipt_footer=" Terima kasih ",
        receipt_printer="192.168.1.50:9100",
    )
    assert (updated.preorder_hours, updated.receipt_footer, updated.receipt_printer) == (
        24,
        "Terima kasih",
        "192.168.1.50:9100",
    )
    event = AuditEvent.objects.get(action="shop.settings")
    assert event.data["old"] == {"preorder_hours": 48, "receipt_footer": "", "receipt_printer": ""}
    assert ShopSettings.objects.count() == 1


@pytest.mark.parametrize(
    ("printer", "hours"),
    [
        ("192.168.1.50:99999", 24),
        ("host name:9100", 24),
        ("printer:abc", 24),
        ("", 0),
        ("", 10_000),
    ],
)
def test_settings_refusals_change_nothing(site, manager, printer, hours):
    shop_settings_get(site=site)
    before = snapshot()
    with pytest.raises(ShopError):
        shop_settings_update(
            site=site,
            actor=manager,
            card_only=False,
            preorder_hours=hours,
            receipt_footer="",
            receipt_printer=printer,
        )
    assert snapshot() == before


def test_printer_without_port_gets_9100(site, manager):
    updated = shop_settings_update(
        site=site,
        actor=manager,
        card_only=True,
        preorder_hours=48,
        receipt_footer="",
        receipt_printer="struk-koperasi.lan",
    )
    assert updated.receipt_printer == "struk-koperasi.lan:9100"
