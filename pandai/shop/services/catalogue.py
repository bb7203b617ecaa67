"""Writes of the catalogue: categories, products with their barcodes and photo, the selling-price
history, and the shop's settings.

Every price a product ever had is a PriceChange row (append-only, the first price too), written
in the same transaction as the price itself and audited, so anyone can check that prices stay
fair. Stock is not written here: only `stock.stock_move` changes `on_hand`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from pandai.core.audit import audit_append
from pandai.core.models import Site, User
from pandai.shop.errors import ShopError
from pandai.shop.models import Barcode, Category, PriceChange, Product, ShopSettings

# Far above any shop price, far below what a BigIntegerField holds.
MAX_PRICE_RP = 100_000_000
MAX_LIMIT = 10_000
SKU_RE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,39}$")
BARCODE_RE = re.compile(r"^[0-9A-Za-z.\-/+]{3,64}$")
PHOTO_MAX_SIDE = 600
PHOTO_FORMATS = {"JPEG", "PNG"}
HOST_RE = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)
MAX_PREORDER_HOURS = 24 * 14


@dataclass(frozen=True)
class ProductInput:
    """Everything a product form (or an import row) says about a product."""

    sku: str
    name: str
    category: Category
    price_rp: int
    unit: str = "pcs"
    cost_rp: int = 0
    barcodes: tuple[str, ...] = field(default_factory=tuple)
    min_stock: int = 0
    limit_per_day: int | None = None
    limit_per_week: int | None = None
    essential: bool = False
    is_active: bool = True


# --- categories ------------------------------------------------------------------------------


def _category_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise ShopError("category_name", _("Nama kategori wajib diisi."))
    if len(clean) > 80:
        raise ShopError("category_name", _("Nama kategori terlalu panjang (maksimum 80 huruf)."))
    return clean


def _category_taken(site: Site, name: str, exclude_pk: int | None = None) -> bool:
    qs = Category.objects.filter(site=site, name__iexact=name)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def category_create(*, site: Site, name: str, actor: User, sort_order: int = 0) -> Category:
    name = _category_name(name)
    if _category_taken(site, name):
        raise ShopError("category_exists", _("Kategori %(name)s sudah ada.") % {"name": name})
    return Category.objects.create(site=site, name=name, sort_order=max(sort_order, 0))


@transaction.atomic
def category_update(*, category: Category, name: str, sort_order: int, actor: User) -> Category:
    name = _category_name(name)
    if _category_taken(category.site, name, exclude_pk=category.pk):
        raise ShopError("category_exists", _("Kategori %(name)s sudah ada.") % {"name": name})
    category.name = name
    category.sort_order = max(sort_order, 0)
    category.save(update_fields=["name", "sort_order"])
    return category


# --- products --------------------------------------------------------------------------------


def normalise_sku(sku: str) -> str:
    return "".join(sku.split()).upper()


def normalise_barcode(code: str) -> str:
    return "".join(code.split())


def gtin_ok(code: str) -> bool:
    """The GS1 check digit of an EAN-8, UPC-A (12) or EAN-13 code; other codes pass as they are
    (shops print their own labels too)."""
    if not code.isdigit() or len(code) not in (8, 12, 13):
        return True
    digits = [int(c) for c in code]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def _clean_barcodes(codes: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for raw in codes:
        code = normalise_barcode(raw)
        if not code:
            continue
        if not BARCODE_RE.match(code):
            raise ShopError(
                "barcode_invalid",
                _("Barcode %(code)s tidak sah: 3–64 huruf/angka tanpa spasi.") % {"code": code},
            )
        if not gtin_ok(code):
            raise ShopError(
                "barcode_check_digit",
                _("Barcode %(code)s salah ketik: angka pemeriksanya tidak cocok.") % {"code": code},
            )
        if code in out:
            raise ShopError(
                "barcode_duplicate", _("Barcode %(code)s ditulis dua kali.") % {"code": code}
            )
        out.append(code)
    return tuple(out)


def _validate(site: Site, data: ProductInput, product_pk: int | None) -> ProductInput:
    """The input cleaned, or ShopError naming the first problem."""
    sku = normalise_sku(data.sku)
    if not SKU_RE.match(sku):
        raise ShopError(
            "sku_invalid",
            _("SKU wajib diisi: huruf dan angka (boleh . _ / -), maksimum 40."),
        )
    name = " ".join(data.name.split())
    if not name or len(name) > 120:
        raise ShopError("name_invalid", _("Nama barang wajib diisi (maksimum 120 huruf)."))
    unit = " ".join(data.unit.split()) or "pcs"
    if len(unit) > 20:
        raise ShopError("unit_invalid", _("Satuan terlalu panjang (maksimum 20 huruf)."))
    if data.category.site_id != site.pk:
        raise ShopError("category_invalid", _("Kategori ini milik UPT lain."))
    if not 0 < data.price_rp <= MAX_PRICE_RP:
        raise ShopError("price_invalid", _("Harga jual harus lebih dari Rp0."))
    if not 0 <= data.cost_rp <= MAX_PRICE_RP:
        raise ShopError("cost_invalid", _("Harga pokok tidak boleh negatif."))
    if not 0 <= data.min_stock <= 1_000_000:
        raise ShopError("min_stock_invalid", _("Stok minimum tidak boleh negatif."))
    for limit in (data.limit_per_day, data.limit_per_week):
        if limit is not None and not 1 <= limit <= MAX_LIMIT:
            raise ShopError(
                "limit_invalid",
                _("Batas pembelian harus 1 atau lebih; kosongkan bila tanpa batas."),
            )
    if (
        data.limit_per_day is not None
        and data.limit_per_week is not None
        and data.limit_per_week < data.limit_per_day
    ):
        raise ShopError(
            "limit_invalid", _("Batas per minggu tidak boleh lebih kecil dari batas per hari.")
        )
    others = Product.objects.filter(site=site, sku=sku)
    if product_pk:
        others = others.exclude(pk=product_pk)
    if others.exists():
        raise ShopError("sku_exists", _("SKU %(sku)s sudah dipakai barang lain.") % {"sku": sku})
    barcodes = _clean_barcodes(data.barcodes)
    taken = Barcode.objects.filter(site=site, code__in=barcodes).select_related("product")
    if product_pk:
        taken = taken.exclude(product_id=product_pk)
    clash = taken.first()
    if clash is not None:
        raise ShopError(
            "barcode_exists",
            _("Barcode %(code)s sudah dipakai %(name)s.")
            % {"code": clash.code, "name": clash.product.name},
        )
    return ProductInput(
        sku=sku,
        name=name,
        category=data.category,
        price_rp=data.price_rp,
        unit=unit,
        cost_rp=data.cost_rp,
        barcodes=barcodes,
        min_stock=data.min_stock,
        limit_per_day=data.limit_per_day,
        limit_per_week=data.limit_per_week,
        essential=data.essential,
        is_active=data.is_active,
    )


def _record_price(
    product: Product, old: int | None, new: int, actor: User, reason: str, now: dt.datetime
) -> PriceChange:
    change = PriceChange.objects.create(
        product=product,
        old_price_rp=old,
        new_price_rp=new,
        changed_by=actor,
        changed_at=now,
        reason=reason[:200],
    )
    audit_append(
        action="shop.price_change",
        site=product.site,
        actor=actor,
        obj=product,
        data={"sku": product.sku, "old_rp": old, "new_rp": new, "reason": reason[:200]},
    )
    return change


def _integrity() -> ShopError:
    # Two managers saving the same SKU/barcode at once: the database's unique index decides.
    return ShopError(
        "duplicate", _("SKU atau barcode baru saja dipakai barang lain. Periksa lalu simpan lagi.")
    )


_FIELDS = (
    "sku",
    "name",
    "category",
    "unit",
    "price_rp",
    "cost_rp",
    "min_stock",
    "limit_per_day",
    "limit_per_week",
    "essential",
    "is_active",
)


@transaction.atomic
def product_create(
    *,
    site: Site,
    data: ProductInput,
    actor: User,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Product:
    """A new product with its barcodes and its first price (recorded as the first PriceChange,
    old price empty)."""
    now = now or timezone.now()
    clean = _validate(site, data, None)
    try:
        with transaction.atomic():
            product = Product.objects.create(
                site=site, **{name: getattr(clean, name) for name in _FIELDS}
            )
            Barcode.objects.bulk_create(
                [Barcode(site=site, product=product, code=code) for code in clean.barcodes]
            )
    except IntegrityError as exc:
        raise _integrity() from exc
    _record_price(product, None, clean.price_rp, actor, reason or _("Harga awal"), now)
    return product


@transaction.atomic
def product_update(
    *,
    product: Product,
    data: ProductInput,
    actor: User,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Product:
    """Save the product as `data` says. A new selling price needs a reason and is recorded in
    the price history; a changed cost is audited (it changes the stock's value)."""
    now = now or timezone.now()
    product = Product.objects.select_for_update().select_related("site").get(pk=product.pk)
    clean = _validate(product.site, data, product.pk)
    old_price, old_cost = product.price_rp, product.cost_rp
    if clean.price_rp != old_price and not reason.strip():
        raise ShopError(
            "price_reason_required", _("Tulis alasan perubahan harga (mis. harga pemasok naik).")
        )
    for name in _FIELDS:
        setattr(product, name, getattr(clean, name))
    try:
        with transaction.atomic():
            product.save(update_fields=[*_FIELDS, "updated_at"])
            current = set(product.barcodes.values_list("code", flat=True))
            product.barcodes.exclude(code__in=clean.barcodes).delete()
            Barcode.objects.bulk_create(
                [
                    Barcode(site=product.site, product=product, code=code)
                    for code in clean.barcodes
                    if code not in current
                ]
            )
    except IntegrityError as exc:
        raise _integrity() from exc
    if clean.price_rp != old_price:
        _record_price(product, old_price, clean.price_rp, actor, reason.strip(), now)
    if clean.cost_rp != old_cost:
        audit_append(
            action="shop.cost_change",
            site=product.site,
            actor=actor,
            obj=product,
            data={"sku": product.sku, "old_rp": old_cost, "new_rp": clean.cost_rp},
        )
    return product


@transaction.atomic
def product_set_photo(*, product: Product, data: bytes, actor: User | None) -> None:
    """Store a photo re-encoded as JPEG (metadata stripped, at most 600 px a side). Only real
    JPEG or PNG data is taken, whatever the file is called."""
    if len(data) > settings.PANDAI_MAX_PHOTO_BYTES:
        raise ShopError(
            "photo_too_large",
            _("Berkas foto terlalu besar (maksimum %(mb)s MB).")
            % {"mb": settings.PANDAI_MAX_PHOTO_BYTES // (1024 * 1024)},
        )
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in PHOTO_FORMATS:
                raise ShopError("photo_format", _("Foto harus berupa JPEG atau PNG."))
            img.load()
            clean = img.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ShopError(
            "photo_unreadable", _("Berkas ini bukan gambar JPEG atau PNG yang dapat dibaca.")
        ) from exc
    clean.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85)  # no exif= argument: metadata is dropped
    product = Product.objects.select_related("site").get(pk=product.pk)
    old = product.photo.name if product.photo else ""
    storage = product.photo.storage
    product.photo.save(
        f"{product.site.code}-{product.pk}.jpg", ContentFile(out.getvalue()), save=False
    )
    product.save(update_fields=["photo", "updated_at"])
    if old and old != product.photo.name:
        # Only once the new photo is committed; a rollback keeps the old one usable.
        transaction.on_commit(lambda: storage.delete(old))


# --- settings --------------------------------------------------------------------------------


def shop_settings_get(*, site: Site) -> ShopSettings:
    """The site's shop settings; the defaults are stored the first time they are asked for."""
    found, _created = ShopSettings.objects.get_or_create(site=site)
    return found


def printer_address(text: str) -> tuple[str, int] | None:
    """'192.168.1.50:9100' -> ('192.168.1.50', 9100); '' -> None; ShopError otherwise."""
    text = text.strip()
    if not text:
        return None
    host, sep, port = text.rpartition(":")
    if not sep:
        host, port = text, "9100"
    if not HOST_RE.match(host) or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ShopError(
            "printer_invalid",
            _("Alamat printer harus host:port, mis. 192.168.1.50:9100."),
        )
    return host, int(port)


@transaction.atomic
def shop_settings_update(
    *,
    site: Site,
    actor: User,
    card_only: bool,
    preorder_hours: int,
    receipt_footer: str,
    receipt_printer: str,
) -> ShopSettings:
    current = shop_settings_get(site=site)
    current = ShopSettings.objects.select_for_update().get(pk=current.pk)
    if not 1 <= preorder_hours <= MAX_PREORDER_HOURS:
        raise ShopError(
            "preorder_hours_invalid",
            _("Batas antar pesanan harus 1 sampai %(max)d jam.") % {"max": MAX_PREORDER_HOURS},
        )
    footer = receipt_footer.strip()
    if len(footer) > 200:
        raise ShopError("footer_invalid", _("Catatan kaki struk maksimum 200 huruf."))
    address = printer_address(receipt_printer)
    printer = f"{address[0]}:{address[1]}" if address else ""
    new = {
        "card_only": card_only,
        "preorder_hours": preorder_hours,
        "receipt_footer": footer,
        "receipt_printer": printer,
    }
    old = {name: getattr(current, name) for name in new}
    if old == new:
        return current
    for name, value in new.items():
        setattr(current, name, value)
    current.save(update_fields=list(new))
    audit_append(
        action="shop.settings",
        site=site,
        actor=actor,
        obj=current,
        data={
            "old": {k: v for k, v in old.items() if new[k] != v},
            "new": {k: v for k, v in new.items() if old[k] != v},
        },
    )
    return current
