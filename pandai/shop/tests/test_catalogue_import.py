"""Catalogue import (preview, apply, broken files) and export (round trip, formula injection)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from pandai.shop import catalogue_io
from pandai.shop.errors import ShopError
from pandai.shop.models import CatalogueImport, Category, PriceChange, Product
from pandai.shop.services.catalogue_import import catalogue_import_apply, catalogue_import_create
from pandai.shop.tests.catalogue_helpers import ean13, make_category, make_product, snapshot

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "katalog-koperasi.csv"
HEADER = ";".join(catalogue_io.COLUMNS)


@pytest.fixture
def manager(staff):
    return staff("shop_manager")


def upload(site, manager, text: str | bytes, filename="katalog.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return catalogue_import_create(site=site, filename=filename, data=data, actor=manager)


def plans_of(batch):
    from pandai.shop.catalogue_selectors import import_plan

    return import_plan(batch=batch)[1]


def test_sample_file_previews_then_applies(site, manager):
    batch = upload(site, manager, SAMPLE.read_bytes(), "katalog-koperasi.csv")
    assert Product.objects.count() == 0  # nothing applied at upload
    plans = plans_of(batch)
    assert catalogue_io.count(plans) == {"baru": 6, "berubah": 0, "sama": 0, "galat": 0}
    outcome = catalogue_import_apply(batch=batch, actor=manager, skip_errors=False)
    assert (outcome.created, outcome.categories) == (6, 5)
    mi = Product.objects.get(site=site, sku="MIN-001")
    assert (mi.price_rp, mi.cost_rp, mi.limit_per_day, mi.limit_per_week, mi.essential) == (
        3_500,
        2_900,
        2,
        10,
        True,
    )
    assert Product.objects.get(sku="MNM-001").barcodes.count() == 2
    assert PriceChange.objects.filter(old_price_rp__isnull=True).count() == 6
    # applying twice is refused, and nothing changes
    before = snapshot()
    with pytest.raises(ShopError) as err:
        catalogue_import_apply(batch=batch, actor=manager, skip_errors=False)
    assert err.value.code == "import_applied"
    assert snapshot() == before


def test_existing_sku_updates_and_records_the_price_change(site, manager):
    drinks = make_category(site, manager, "Minuman")
    product = make_product(site, manager, sku="MNM-001", category=drinks, price_rp=2_500)
    text = f"{HEADER}\nMNM-001;;Air mineral 600 ml;minuman;btl;3000;;;;;;\n"
    batch = upload(site, manager, text)
    [plan] = plans_of(batch)
    assert plan.status == catalogue_io.RowStatus.CHANGED
    assert {c.field for c in plan.changes} == {"name", "unit", "price_rp"}
    catalogue_import_apply(batch=batch, actor=manager, skip_errors=False)
    product.refresh_from_db()
    assert (product.price_rp, product.category, product.name) == (
        3_000,
        drinks,
        "Air mineral 600 ml",
    )
    change = PriceChange.objects.filter(product=product).order_by("pk").last()
    assert (change.old_price_rp, change.new_price_rp) == (2_500, 3_000)
    assert "katalog.csv" in change.reason
    # an identical file is "unchanged" and has nothing to apply
    again = upload(site, manager, text)
    assert catalogue_io.count(plans_of(again))["sama"] == 1
    with pytest.raises(ShopError) as err:
        catalogue_import_apply(batch=again, actor=manager, skip_errors=False)
    assert err.value.code == "import_nothing"


ROW_ERRORS = [
    ("X-1;;Teh;Minuman;pcs;0;;;;;;", "price harus lebih dari 0"),
    ("X-1;;Teh;Minuman;pcs;abc;;;;;;", "price harus rupiah bulat"),
    ("X-1;;Teh;Minuman;pcs;3000;-5;;;;;", "cost harus rupiah bulat"),
    ("X-1;;Teh;Minuman;pcs;3000;;;0;;;", "limit_per_day harus antara"),
    ("X-1;;Teh;Minuman;pcs;3000;;;3;2;;", "limit_per_week lebih kecil"),
    ("X-1;;Teh;Minuman;pcs;3000;;;;;mungkin;", "essential harus ya atau tidak"),
    ("X-1;8,99E+12;Teh;Minuman;pcs;3000;;;;;;", "diubah Excel"),
    ("X-1;4006381333932;Teh;Minuman;pcs;3000;;;;;;", "angka pemeriksanya"),
    (";;Teh;Minuman;pcs;3000;;;;;;", "sku kosong"),
    ("X-1;;;Minuman;pcs;3000;;;;;;", "name kosong"),
    ("X-1;;Teh;;pcs;3000;;;;;;", "category kosong"),
    ("X-1;;Teh;Minuman;pcs;3000;;;;;;;extra", "jumlah kolom"),
]


@pytest.mark.parametrize(("line", "message"), ROW_ERRORS)
def test_row_errors_are_shown_and_stop_the_apply(site, manager, line, message):
    batch = upload(site, manager, f"{HEADER}\n{line}\nOK-1;;Kopi;Minuman;pcs;2000;;;;;;\n")
    plans = plans_of(batch)
    assert plans[0].status == catalogue_io.RowStatus.ERROR
    assert any(message in e for e in plans[0].errors), plans[0].errors
    before = snapshot()
    with pytest.raises(ShopError) as err:
        catalogue_import_apply(batch=batch, actor=manager, skip_errors=False)
    assert err.value.code == "import_errors"
    assert snapshot() == before
    # the user may skip the bad rows: the good one is applied
    outcome = catalogue_import_apply(batch=batch, actor=manager, skip_errors=True)
    assert (outcome.created, outcome.skipped) == (1, 1)
    assert list(Product.objects.values_list("sku", flat=True)) == ["OK-1"]


def test_duplicates_in_file_and_barcode_of_another_product(site, manager):
    taken = ean13("899100999001")
    make_product(site, manager, sku="LAMA-1", barcodes=(taken,))
    text = (
        f"{HEADER}\n"
        "A-1;;Teh;Minuman;pcs;3000;;;;;;\n"
        "A-1;;Teh 2;Minuman;pcs;3000;;;;;;\n"
        f"B-1;{taken};Kopi;Minuman;pcs;2000;;;;;;\n"
    )
    plans = plans_of(upload(site, manager, text))
    assert [p.status for p in plans] == [catalogue_io.RowStatus.ERROR] * 3
    assert "muncul lebih dari sekali" in plans[0].errors[0]
    assert "LAMA-1" in plans[2].errors[0]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "k.csv", "kosong"),
        (b"sku;name\nA;B\n", "k.csv", "Kolom wajib tidak ada: category, price"),
        (b"sku;sku;name;category;price\n", "k.csv", "Kolom ganda"),
        (HEADER.encode() + b"\n", "k.csv", "tidak berisi baris data"),
        (b"PK\x03\x04garbage-not-a-zip", "k.xlsx", "XLSX rusak"),
        (b"just text", "k.xlsx", "XLSX rusak"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "k.xls", ".xls"),
        (b"sku\x00name", "k.csv", "bukan CSV"),
        (b"\xff\xfes\x00k\x00u", "k.csv", "UTF-16"),
    ],
)
def test_broken_files_are_refused_and_nothing_is_stored(site, manager, data, filename, message):
    before = snapshot()
    with pytest.raises(ShopError) as err:
        upload(site, manager, data, filename)
    assert message in err.value.message
    assert snapshot() == before


def test_oversized_file_refused(site, manager, settings):
    settings.PANDAI_MAX_IMPORT_BYTES = 100
    with pytest.raises(ShopError) as err:
        upload(site, manager, HEADER + "\n" + "A;;B;C;pcs;1000;;;;;;\n" * 10)
    assert err.value.code == "file_too_large"
    assert CatalogueImport.objects.count() == 0


def test_too_many_rows_refused(site, manager, monkeypatch):
    monkeypatch.setattr(catalogue_io, "MAX_ROWS", 3)
    with pytest.raises(ShopError) as err:
        upload(site, manager, HEADER + "\n" + "A;;B;C;pcs;1000;;;;;;\n" * 5)
    assert "Terlalu banyak baris" in err.value.message


def test_cp1252_comma_and_bom_files(site, manager):
    text = "sku,name,category,price\r\nCAF-1,Caf\xe9 susu,Kopi & teh,Rp 2.500\r\n"
    batch = upload(site, manager, text.encode("cp1252"))
    assert batch.summary["encoding"] == "cp1252" and batch.summary["delimiter"] == ","
    [plan] = plans_of(batch)
    assert plan.values["name"] == "Café susu" and plan.values["price_rp"] == 2_500
    bom = upload(site, manager, b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert bom.summary["encoding"] == "utf-8-sig"


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_numbers_imports(site, manager):
    data = _xlsx(
        [
            ["sku", "barcode", "name", "category", "price", "cost", "essential", "limit_per_day"],
            ["XL-1", 8991001000019, "Roti", "Makanan ringan", 6000, 4800.0, "ya", 2],
        ]
    )
    batch = upload(site, manager, data, "katalog.xlsx")
    assert batch.summary["format"] == "xlsx"
    catalogue_import_apply(batch=batch, actor=manager, skip_errors=False)
    product = Product.objects.get(sku="XL-1")
    assert (product.price_rp, product.cost_rp, product.limit_per_day, product.essential) == (
        6_000,
        4_800,
        2,
        True,
    )
    assert list(product.barcodes.values_list("code", flat=True)) == ["8991001000019"]


def test_export_round_trip_is_unchanged_and_formula_safe(site, manager):
    evil = make_category(site, manager, '=HYPERLINK("http://x")')
    make_product(
        site,
        manager,
        sku="EVIL-1",
        name="@SUM(A1:A9)",
        category=evil,
        barcodes=(ean13("899100777001"),),
        limit_per_day=2,
    )
    make_product(site, manager, sku="PLAIN-1", name="+62 pulsa", essential=True)
    from pandai.shop.catalogue_selectors import export_data

    rows = catalogue_io.export_rows(export_data(site=site))
    body = catalogue_io.write_csv(rows).decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(body), delimiter=";"))
    cells = [c for row in parsed[1:] for c in row]
    assert "'@SUM(A1:A9)" in cells and "'+62 pulsa" in cells
    assert '\'=HYPERLINK("http://x")' in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells if c and not c[0].isdigit())
    book = load_workbook(io.BytesIO(catalogue_io.write_xlsx(rows, title="Katalog")))
    values = [c.value for row in book.active.iter_rows() for c in row]
    assert all(not (isinstance(v, str) and v.startswith(("=", "+", "@", "-"))) for v in values)
    assert book.active["C2"].data_type == "s"
    # what was exported comes back unchanged, apostrophes and all
    for data, name in (
        (catalogue_io.write_csv(rows), "ekspor.csv"),
        (catalogue_io.write_xlsx(rows, title="Katalog"), "ekspor.xlsx"),
    ):
        counts = catalogue_io.count(plans_of(upload(site, manager, data, name)))
        assert counts == {"baru": 0, "berubah": 0, "sama": 2, "galat": 0}, name
    assert Category.objects.filter(name=evil.name).count() == 1
