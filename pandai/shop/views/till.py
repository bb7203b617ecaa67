"""What every cashier screen needs to know first: which terminal this browser is, the cashier's
open shift, and the basket as the screen shows it (priced from the catalogue)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from pandai.core.http import PandaiRequest
from pandai.core.models import Device
from pandai.shop import pos_basket
from pandai.shop.models import Product, ShopShift
from pandai.shop.selectors import open_shift_for
from pandai.shop.terminals import paired_terminal

# Headings over a refusal at the till; the message itself (with its figures) comes from the
# service that refused.
REFUSAL_TITLES = {
    "pin_wrong": _("PIN salah"),
    "pin_locked": _("PIN terkunci"),
    "pin_missing": _("PIN belum dibuat"),
    "card_unknown": _("Kartu tidak dikenal"),
    "card_blocked": _("Kartu diblokir"),
    "inmate_inactive": _("WBP tidak aktif"),
    "account_frozen": _("Rekening dibekukan"),
    "account_closed": _("Rekening ditutup"),
    "account_missing": _("Rekening belum ada"),
    "insufficient_funds": _("Saldo tidak cukup"),
    "limit_daily": _("Melebihi batas belanja harian"),
    "limit_monthly": _("Melebihi batas belanja bulanan"),
    "product_limit": _("Melebihi batas jumlah barang"),
    "restricted_product": _("Barang tidak boleh dibeli"),
    "unknown_barcode": _("Barcode tidak dikenal"),
    "product_inactive": _("Barang tidak dijual lagi"),
    "out_of_stock": _("Stok tidak cukup"),
    "empty_cart": _("Keranjang kosong"),
    "idempotency_conflict": _("Transaksi sudah berubah"),
    "total_changed": _("Total belanja berubah"),
}


def is_htmx(request: PandaiRequest) -> bool:
    """A request from the POS screen's JS (or htmx), answered with a panel, not a page."""
    return bool(getattr(request, "htmx", False))


def refusal_title(code: str) -> str:
    return str(REFUSAL_TITLES.get(code, _("Transaksi ditolak")))


@dataclass
class Till:
    terminal: Device | None
    shift: ShopShift | None  # the cashier's open shift on THIS terminal
    shift_elsewhere: ShopShift | None  # the cashier's open shift on another terminal

    @property
    def ready(self) -> bool:
        return self.terminal is not None and self.shift is not None


def till_for(request: PandaiRequest) -> Till:
    terminal = paired_terminal(request, request.site)
    shift = open_shift_for(cashier=request.user, site=request.site)
    if shift is not None and (terminal is None or shift.terminal_id != terminal.pk):
        return Till(terminal, None, shift)
    return Till(terminal, shift, None)


@dataclass(frozen=True)
class ShownLine:
    product: Product
    quantity: int

    @property
    def total_rp(self) -> int:
        return self.quantity * self.product.price_rp


@dataclass
class ShownBasket:
    key: str
    lines: list[ShownLine]
    dropped: list[str]  # products that left the catalogue since they were scanned

    @property
    def total_rp(self) -> int:
        return sum(line.total_rp for line in self.lines)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


def shown_basket(request: PandaiRequest, basket: pos_basket.Basket) -> ShownBasket:
    """The basket priced from the catalogue. A product deactivated (or gone) since it
    was added is taken out and named, so the total on screen is what checkout will charge."""
    products = (
        Product.objects.filter(site=request.site, pk__in=list(basket.lines))
        .select_related("category")
        .in_bulk()
    )
    lines: list[ShownLine] = []
    dropped: list[str] = []
    for pid, qty in basket.as_pairs():
        product = products.get(pid)
        if product is None or not product.is_active:
            dropped.append(product.name if product else str(pid))
            basket.set(pid, 0)
            continue
        lines.append(ShownLine(product, qty))
    if dropped:
        with pos_basket.changing(request, basket.terminal_id) as stored:
            for pid in set(stored.lines) - set(basket.lines):
                stored.set(pid, 0)
    return ShownBasket(basket.key, lines, dropped)
