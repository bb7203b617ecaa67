"""Writes of the stock ledger above the primitive: goods received, adjustments and stock counts
(opname). Every change of stock goes through `stock.stock_move`.

Average cost. Goods received at `unit_cost_rp` move the product's cost to the weighted average
    new_cost = (on_hand * cost + qty * unit_cost) // (on_hand + qty)
rounded DOWN to a whole rupiah (money is whole rupiah; the stock's value at cost may be
understated by less than Rp1 a unit, never overstated). With nothing on hand the new cost is
the unit cost.

Stock counts. A count lists the products in scope with the books' quantity (`expected_qty`).
Entering a counted quantity re-reads the books at that moment: the counter counts the shelf as
it is NOW, so the line's expected becomes the current on-hand. Confirming posts, for every
counted line, a COUNT move of `counted - expected` (the variance measured when it was counted).
Sales (or returns) between counting a line and confirming the count are respected: they moved
the books and the shelf alike, so the stock after confirmation is
    on_hand_at_confirm + (counted - expected)
and not `counted` (which would undo them). Lines left blank are not counted and change nothing.
So: enter each quantity as you count it, or stop selling while counting from paper.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.models import Site, User
from pandai.shop.errors import ShopError
from pandai.shop.models import (
    Category,
    Product,
    StockCount,
    StockCountLine,
    StockCountStatus,
    StockMove,
    StockMoveKind,
)
from pandai.shop.services.stock import stock_move
from pandai.wallet.counter import next_document_no

MAX_QUANTITY = 1_000_000
MAX_UNIT_COST_RP = 100_000_000


def average_cost(*, on_hand: int, cost_rp: int, quantity: int, unit_cost_rp: int) -> int:
    """The moving average after receiving `quantity` at `unit_cost_rp` (rounded down)."""
    held = max(on_hand, 0)
    return (held * cost_rp + quantity * unit_cost_rp) // (held + quantity)


def _text(value: str, limit: int) -> str:
    return " ".join(value.split())[:limit]


@dataclass(frozen=True)
class ReceiveLine:
    product: Product
    quantity: int
    unit_cost_rp: int


def _receive_one(
    line: ReceiveLine, supplier: str, reference: str, note: str, actor: User, now: dt.datetime
) -> StockMove:
    if not 0 < line.quantity <= MAX_QUANTITY:
        raise ShopError(
            "quantity_invalid",
            _("Jumlah %(name)s harus lebih dari nol.") % {"name": line.product.name},
        )
    if not 0 <= line.unit_cost_rp <= MAX_UNIT_COST_RP:
        raise ShopError("cost_invalid", _("Harga pokok tidak boleh negatif."))
    # Locked so a sale between reading on_hand and writing the cost cannot skew the average.
    product = Product.objects.select_for_update().get(pk=line.product.pk)
    cost = average_cost(
        on_hand=product.on_hand,
        cost_rp=product.cost_rp,
        quantity=line.quantity,
        unit_cost_rp=line.unit_cost_rp,
    )
    if cost != product.cost_rp:
        Product.objects.filter(pk=product.pk).update(cost_rp=cost)
        product.cost_rp = cost
    return stock_move(
        product=product,
        kind=StockMoveKind.RECEIPT,
        quantity=line.quantity,
        actor=actor,
        now=now,
        unit_cost_rp=line.unit_cost_rp,
        supplier=supplier,
        reason=note,
        reference=reference,
    )


@transaction.atomic
def stock_receive(
    *,
    site: Site,
    lines: list[ReceiveLine],
    supplier: str,
    actor: User,
    note: str = "",
    now: dt.datetime | None = None,
) -> list[StockMove]:
    """Goods received from a supplier (one delivery, one or more products), numbered
    'BM-BLR-2026-000001'. All lines are written or none."""
    now = now or timezone.now()
    supplier = _text(supplier, 120)
    note = _text(note, 200)
    if not supplier:
        raise ShopError("supplier_required", _("Nama pemasok wajib diisi."))
    if not lines:
        raise ShopError("empty_receipt", _("Isi paling sedikit satu barang yang diterima."))
    seen: set[int] = set()
    for line in lines:
        if line.product.site_id != site.pk:
            raise ShopError("unknown_product", _("Barang ini milik UPT lain."))
        if line.product.pk in seen:
            raise ShopError(
                "duplicate_line",
                _("%(name)s ditulis dua kali; jumlahkan dalam satu baris.")
                % {"name": line.product.name},
            )
        seen.add(line.product.pk)
    reference = next_document_no(site=site, prefix="BM", now=now)
    moves = [
        _receive_one(line, supplier, reference, note, actor, now)
        for line in sorted(lines, key=lambda x: x.product.pk)  # lock order: by id
    ]
    audit_append(
        action="shop.stock_receive",
        site=site,
        actor=actor,
        object_type="shop.stockreceipt",
        object_id=reference,
        data={
            "supplier": supplier,
            "note": note,
            "lines": [[m.product_id, m.quantity, m.unit_cost_rp] for m in moves],
        },
    )
    return moves


@transaction.atomic
def stock_adjust(
    *,
    product: Product,
    quantity: int,
    reason: str,
    actor: User,
    now: dt.datetime | None = None,
) -> StockMove:
    """A signed correction with a reason (damaged, expired, found...). Never below zero."""
    reason = _text(reason, 200)
    if not reason:
        raise ShopError("reason_required", _("Tulis alasan penyesuaian stok."))
    if quantity == 0 or abs(quantity) > MAX_QUANTITY:
        raise ShopError("quantity_invalid", _("Jumlah penyesuaian tidak boleh nol."))
    try:
        move = stock_move(
            product=product,
            kind=StockMoveKind.ADJUSTMENT,
            quantity=quantity,
            actor=actor,
            now=now,
            reason=reason,
        )
    except ShopError as exc:
        if exc.code != "out_of_stock":
            raise
        raise ShopError(
            "out_of_stock",
            _("Stok %(name)s tinggal %(left)d; tidak bisa dikurangi %(asked)d.")
            % {"name": product.name, "left": exc.figures.get("left", 0), "asked": -quantity},
            **exc.figures,
        ) from exc
    audit_append(
        action="shop.stock_adjust",
        site=product.site,
        actor=actor,
        obj=product,
        data={"sku": product.sku, "quantity": quantity, "reason": reason},
    )
    return move


# --- stock counts (opname) --------------------------------------------------------------------


def _draft_locked(count: StockCount) -> StockCount:
    locked = StockCount.objects.select_for_update().select_related("site").get(pk=count.pk)
    if locked.status != StockCountStatus.DRAFT:
        raise ShopError(
            "count_closed",
            _("Stok opname %(no)s sudah %(status)s.")
            % {"no": locked.number, "status": locked.get_status_display().lower()},
        )
    return locked


@transaction.atomic
def count_create(
    *,
    site: Site,
    actor: User,
    category: Category | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> StockCount:
    """A draft count of every active product (and every inactive one still in stock) of the
    site or of one category. Refused while another draft count covers the same products."""
    now = now or timezone.now()
    if category is not None and category.site_id != site.pk:
        raise ShopError("category_invalid", _("Kategori ini milik UPT lain."))
    products = Product.objects.filter(site=site).filter(Q(is_active=True) | ~Q(on_hand=0))
    if category is not None:
        products = products.filter(category=category)
    snapshot = list(products.order_by("pk").values_list("pk", "on_hand", "cost_rp"))
    if not snapshot:
        raise ShopError("count_empty", _("Tidak ada barang untuk dihitung."))
    open_line = (
        StockCountLine.objects.filter(
            count__site=site,
            count__status=StockCountStatus.DRAFT,
            product_id__in=[pk for pk, _q, _c in snapshot],
        )
        .select_related("count")
        .first()
    )
    if open_line is not None:
        raise ShopError(
            "count_open",
            _(
                "Stok opname %(no)s masih berjalan untuk sebagian barang ini; "
                "konfirmasi atau batalkan dulu."
            )
            % {"no": open_line.count.number},
        )
    number = next_document_no(site=site, prefix="SO", now=now)
    label = category.name if category is not None else _("semua kategori")
    count = StockCount.objects.create(
        site=site,
        number=number,
        note=_text(note, 200) or label,
        created_by=actor,
        created_at=now,
    )
    StockCountLine.objects.bulk_create(
        [
            StockCountLine(count=count, product_id=pk, expected_qty=qty, unit_cost_rp=cost)
            for pk, qty, cost in snapshot
        ]
    )
    return count


@transaction.atomic
def count_set_line(
    *, count: StockCount, product: Product, counted_qty: int | None, actor: User
) -> StockCountLine:
    """Enter (or clear, with None) what was counted on the shelf for one product; the line's
    expected quantity is the books at this moment (see the module's rule)."""
    count = _draft_locked(count)
    if counted_qty is not None and not 0 <= counted_qty <= MAX_QUANTITY:
        raise ShopError("quantity_invalid", _("Jumlah dihitung tidak boleh negatif."))
    line = StockCountLine.objects.filter(count=count, product_id=product.pk).first()
    if line is None:
        raise ShopError("unknown_product", _("Barang ini tidak termasuk stok opname ini."))
    current = Product.objects.filter(pk=product.pk).values_list("on_hand", "cost_rp").get()
    line.counted_qty = counted_qty
    line.expected_qty, line.unit_cost_rp = current
    line.save(update_fields=["counted_qty", "expected_qty", "unit_cost_rp"])
    return line


@dataclass(frozen=True)
class CountOutcome:
    count: StockCount
    lines_posted: int
    units: int  # net variance in units
    value_rp: int  # net variance at cost (negative = shrinkage)
    uncounted: int


@transaction.atomic
def count_confirm(
    *, count: StockCount, actor: User, now: dt.datetime | None = None
) -> CountOutcome:
    """Post a COUNT move for each counted line with a variance (see the module's rule), all or
    nothing; a line that would leave less than zero refuses the whole count."""
    now = now or timezone.now()
    count = _draft_locked(count)
    lines = list(
        count.lines.select_related("product").order_by("product_id")  # lock order: by id
    )
    counted = [line for line in lines if line.counted_qty is not None]
    if not counted:
        raise ShopError(
            "count_nothing", _("Belum ada jumlah yang dihitung; isi dulu hasil hitungannya.")
        )
    posted = units = value = 0
    for line in counted:
        variance = line.variance or 0
        if variance == 0:
            continue
        product = line.product
        try:
            move = stock_move(
                product=product,
                kind=StockMoveKind.COUNT,
                quantity=variance,
                actor=actor,
                now=now,
                reason=_("Selisih stok opname"),
                reference=count.number,
            )
        except ShopError as exc:
            raise ShopError(
                "count_negative",
                _(
                    "%(name)s: selisih %(var)d akan membuat stok negatif (stok sekarang "
                    "%(left)d). Hitung ulang barang ini."
                )
                % {"name": product.name, "var": variance, "left": exc.figures.get("left", 0)},
            ) from exc
        posted += 1
        units += variance
        value += variance * move.unit_cost_rp
    count.status = StockCountStatus.CONFIRMED
    count.confirmed_by = actor
    count.confirmed_at = now
    count.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    outcome = CountOutcome(count, posted, units, value, len(lines) - len(counted))
    audit_append(
        action="shop.count_confirm",
        site=count.site,
        actor=actor,
        obj=count,
        data={
            "number": count.number,
            "lines_posted": posted,
            "units": units,
            "value_rp": value,
            "uncounted": outcome.uncounted,
        },
    )
    return outcome


@transaction.atomic
def count_cancel(*, count: StockCount, actor: User, reason: str) -> StockCount:
    reason = _text(reason, 160)
    if not reason:
        raise ShopError("reason_required", _("Tulis alasan pembatalan stok opname."))
    count = _draft_locked(count)
    count.status = StockCountStatus.CANCELLED
    count.note = _text(f"{count.note} — {_('dibatalkan')}: {reason}", 200)
    count.save(update_fields=["status", "note"])
    audit_append(
        action="shop.count_cancel",
        site=count.site,
        actor=actor,
        obj=count,
        data={"number": count.number, "reason": reason},
    )
    return count
