"""Koperasi terminals over the API: a registered POS device sells a basket to the holder of a
card (PIN checked, one idempotency key per checkout) inside its cashier's open shift, and looks
a product up by barcode. Refusals are the shop's stable codes with a message to show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from pandai.api.api import DeviceAuth, ErrorOut
from pandai.core.models import Device
from pandai.shop.errors import ShopError
from pandai.shop.models import Product, Sale, SaleLine, SaleSource
from pandai.shop.selectors import product_by_barcode, terminal_open_shift
from pandai.shop.services import checkout
from pandai.shop.services.checkout import ReceiptLine, cart_by_code

router = Router(tags=["koperasi"])
POS = DeviceAuth("pos")
SHOP_TERMINALS = DeviceAuth("pos", "kiosk")

# The HTTP status of each refusal; any other shop refusal (balance, limit, stock, PIN...) is
# 422: the request was understood and refused by a rule.
STATUS = {
    "card_unknown": 404,
    "unknown_barcode": 404,
    "unknown_product": 404,
    "no_open_shift": 409,
    "shift_closed": 409,
    "idempotency_conflict": 409,
    "total_changed": 409,
    "terminal_invalid": 403,
}


class LineIn(Schema):
    barcode: str | None = Field(None, max_length=64, description="Barcode atau SKU barang")
    product_id: int | None = Field(None, description="ID barang (bila tanpa barcode)")
    quantity: int = Field(..., description="Jumlah (1-999)")


class CheckoutIn(Schema):
    card_uid: str = Field(..., max_length=40, description="UID kartu seperti diketik pembaca")
    pin: str = Field(..., max_length=12, description="PIN WBP")
    lines: list[LineIn] = Field(..., max_length=60)
    idempotency_key: str = Field(
        ...,
        max_length=80,
        description="Satu kode per transaksi; kirim ulang kode yang sama bila jawaban hilang",
    )
    expected_total_rp: int | None = Field(
        None,
        ge=0,
        description=(
            "Total yang ditampilkan kepada WBP saat mengetik PIN. Bila harga sekarang membuat "
            "total lain, transaksi ditolak (total_changed, 409) dan tidak ada yang ditagih."
        ),
    )


class ReceiptLineOut(Schema):
    product_id: int
    name: str
    quantity: int
    unit_price_rp: int
    total_rp: int


class ReceiptOut(Schema):
    number: str
    created_at: dt.datetime
    cashier: str
    inmate_name: str
    reg_no: str
    lines: list[ReceiptLineOut]
    total_rp: int
    balance_after_rp: int
    replayed: bool = Field(..., description="true: transaksi ini sudah tercatat sebelumnya")


class ShopErrorOut(ErrorOut):
    figures: dict[str, Any] = Field(
        default_factory=dict, description="Angka pendukung, mis. tries_left, left"
    )


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    category: str
    unit: str
    price_rp: int
    on_hand: int
    essential: bool
    limit_per_day: int | None
    limit_per_week: int | None


def _refusal(exc: ShopError) -> Status[dict[str, Any]]:
    figures = {
        k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in exc.figures.items()
    }
    body = {"code": exc.code, "message": exc.message, "figures": figures}
    return Status(STATUS.get(exc.code, 422), body)


def _receipt(
    sale: Sale, replayed: bool, lines: Sequence[SaleLine | ReceiptLine] | None = None
) -> dict[str, Any]:
    """The receipt's JSON; `lines` as the checkout returned them (read back when not given)."""
    if lines is None:
        lines = list(sale.lines.all())
    return {
        "number": sale.number,
        "created_at": sale.created_at,
        "cashier": sale.cashier.display_name if sale.cashier else "",
        "inmate_name": sale.inmate.full_name,
        "reg_no": sale.inmate.reg_no,
        "lines": [
            {
                "product_id": line.product_id,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price_rp": line.unit_price_rp,
                "total_rp": line.total_rp,
            }
            for line in lines
        ],
        "total_rp": sale.total_rp,
        "balance_after_rp": sale.balance_after_rp,
        "replayed": replayed,
    }


@router.post(
    "/checkout",
    auth=POS,
    response={
        200: ReceiptOut,
        401: ErrorOut,
        403: ShopErrorOut,
        404: ShopErrorOut,
        409: ShopErrorOut,
        422: ShopErrorOut,
    },
    summary="Belanja dengan Kartu Pandai di terminal kasir",
    description=(
        "Terminal kasir terdaftar (token perangkat) menjual keranjang kepada pemegang kartu: "
        "PIN diperiksa, lalu stok, pembayaran di buku besar dan struk dalam satu transaksi. "
        "Terminal harus punya shift kasir yang terbuka; kasir shift itu tercatat sebagai "
        "penjual. Satu `idempotency_key` per transaksi: permintaan ulang dengan kode dan isi "
        "yang sama mengembalikan struk yang sama (`replayed: true`) tanpa menagih lagi. "
        "Penolakan berisi `code` tetap (mis. pin_wrong, pin_locked, insufficient_funds, "
        "limit_daily, out_of_stock, product_limit, restricted_product, unknown_barcode, "
        "no_open_shift, total_changed) dan `message` untuk ditampilkan."
    ),
)
def shop_checkout(request: HttpRequest, body: CheckoutIn) -> Any:
    device: Device = request.device  # type: ignore[attr-defined]
    key = body.idempotency_key.strip()
    shift = terminal_open_shift(terminal_id=device.pk)
    try:
        if shift is None:
            # A retry of a sale whose shift was closed meanwhile still gets its receipt.
            earlier = (
                Sale.objects.select_related("cashier", "inmate")
                .filter(site_id=device.site_id, idempotency_key=key, shift__terminal=device)
                .first()
            )
            if earlier is not None:
                return _receipt(earlier, replayed=True)
            raise ShopError(
                "no_open_shift",
                _("Terminal ini belum punya shift kasir yang terbuka. Buka shift dulu."),
            )
        result = checkout(
            site=device.site,
            card_uid=body.card_uid,
            pin=body.pin,
            lines=cart_by_code(
                site_id=device.site_id,
                lines=[(line.barcode, line.product_id, line.quantity) for line in body.lines],
            ),
            idempotency_key=key,
            cashier=shift.cashier,
            terminal=device,
            shift=shift,
            source=SaleSource.API,
            shown_total_rp=body.expected_total_rp,
        )
    except ShopError as exc:
        return _refusal(exc)
    return _receipt(result.sale, replayed=result.replayed, lines=result.lines)


@router.get(
    "/product/{barcode}",
    auth=SHOP_TERMINALS,
    response={200: ProductOut, 401: ErrorOut, 404: ShopErrorOut, 422: ShopErrorOut},
    summary="Cari barang koperasi menurut barcode",
    description=(
        "Barang aktif dengan barcode (atau SKU) ini di UPT terminal: nama, harga, stok dan "
        "batas pembelian per WBP."
    ),
)
def shop_product(request: HttpRequest, barcode: str) -> Any:
    device: Device = request.device  # type: ignore[attr-defined]
    try:
        product: Product = product_by_barcode(site=device.site, code=barcode)
    except ShopError as exc:
        return _refusal(exc)
    return {
        "id": product.pk,
        "sku": product.sku,
        "name": product.name,
        "category": product.category.name,
        "unit": product.unit,
        "price_rp": product.price_rp,
        "on_hand": product.on_hand,
        "essential": product.essential,
        "limit_per_day": product.limit_per_day,
        "limit_per_week": product.limit_per_week,
    }
