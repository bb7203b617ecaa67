"""Pre-orders from the block ("belanja dari blok"): the order's total is held on the inmate's
card (a ledger HOLD) when it is placed at the kiosk; at delivery the inmate taps the card and
enters the PIN, the hold is posted for what was delivered only (the rest is released) and a
receipt is written; the shop may cancel it with a reason; past its deadline it expires.

The order and its hold always end together and once: delivered <-> posted, cancelled <->
voided, expired <-> expired — each change of an order locks the order row first and checks it
is still open, and the ledger refuses to resolve a hold twice.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.models import Device, Site, User
from pandai.inmates.models import Inmate, InmateStatus
from pandai.shop.errors import ShopError
from pandai.shop.models import (
    PreOrder,
    PreOrderLine,
    PreOrderStatus,
    Product,
    SaleSource,
    ShopSettings,
    ShopShift,
)
from pandai.shop.selectors import card_holder
from pandai.shop.services.checkout import (
    Basket,
    BasketLine,
    CartLine,
    _merged,
    basket_check,
    check_key,
    pin_check,
    sale_record,
    terminal_label,
)
from pandai.wallet import clock
from pandai.wallet import services as wallet
from pandai.wallet.counter import next_document_no
from pandai.wallet.errors import LedgerError
from pandai.wallet.models import Transfer, TransferState
from pandai.wallet.posting import BatchResult

__all__ = [
    "preorder_cancel",
    "preorder_deliver",
    "preorder_place",
    "preorders_expire",
    "shop_settings",
]

MAX_REASON = 200


def shop_settings(*, site: Site) -> ShopSettings:
    settings, _created = ShopSettings.objects.get_or_create(site=site)
    return settings


def _ledger_error(exc: LedgerError) -> ShopError:
    return ShopError(exc.code, exc.message, **exc.figures)


def _status_label(order: PreOrder) -> str:
    return str(PreOrderStatus(order.status).label).lower()


def _replay_place(site: Site, key: str, inmate: Inmate, lines: list[CartLine]) -> PreOrder | None:
    order = PreOrder.objects.filter(site=site, idempotency_key=key).first()
    if order is None:
        return None
    earlier = dict(order.lines.values_list("product_id", "quantity"))
    try:
        same = order.inmate_id == inmate.pk and earlier == _merged(lines)
    except ShopError:
        same = False
    if not same:
        raise ShopError(
            "idempotency_conflict",
            _("Kode transaksi ini sudah dipakai untuk pesanan lain. Mulai pesanan baru."),
        )
    return order


def preorder_place(
    *,
    inmate: Inmate,
    lines: list[CartLine],
    idempotency_key: str,
    actor: User | None = None,
    terminal: str = "",
    now: dt.datetime | None = None,
) -> PreOrder:
    """Place an order from the block. The kiosk checks the card and PIN first. The basket is
    checked as at the till (product limits count open orders too), every item must be in
    stock now, and the total is held on the card until the deadline (ShopSettings
    `preorder_hours`). Same key and basket -> the same order, nothing written again."""
    now = now or clock.now()
    key = check_key(idempotency_key)
    site = inmate.site
    earlier = _replay_place(site, key, inmate, lines)
    if earlier is not None:
        return earlier
    if inmate.status != InmateStatus.ACTIVE:
        raise ShopError(
            "inmate_inactive",
            _("WBP ini sudah tidak aktif di UPT ini (%(status)s).")
            % {"status": InmateStatus(inmate.status).label},
        )
    hours = shop_settings(site=site).preorder_hours
    try:
        with transaction.atomic():
            # One order or checkout per inmate at a time: the product limits stay true.
            Inmate.objects.select_for_update(no_key=True).filter(pk=inmate.pk).first()
            # A request with this key may have committed while we waited for the lock.
            earlier = _replay_place(site, key, inmate, lines)
            if earlier is not None:
                return earlier
            basket = basket_check(inmate=inmate, lines=lines, now=now)
            for line in basket.lines:
                if line.product.on_hand < line.quantity:
                    raise ShopError(
                        "out_of_stock",
                        _("Stok %(name)s tidak cukup: tersisa %(left)d, diminta %(asked)d.")
                        % {
                            "name": line.product.name,
                            "left": line.product.on_hand,
                            "asked": line.quantity,
                        },
                        product=line.product.pk,
                        left=line.product.on_hand,
                    )
            # The hold carries the order number (the inmate's statement shows it), so the
            # number comes first; orders are few, the sequence lock is short.
            number = next_document_no(site=site, prefix="PSN", now=now)
            expires_at = now + dt.timedelta(hours=hours)
            result = wallet.hold_create(
                inmate=inmate,
                amount_rp=basket.total_rp,
                idempotency_key=f"preorder:{key}",
                actor=actor,
                expires_at=expires_at,
                terminal=terminal,
                reference=number,
                now=now,
            )
            order = PreOrder.objects.create(
                site=site,
                number=number,
                inmate=inmate,
                total_rp=basket.total_rp,
                hold=result.transfers[0],
                idempotency_key=key,
                created_at=now,
                expires_at=expires_at,
            )
            PreOrderLine.objects.bulk_create(
                [
                    PreOrderLine(
                        order=order,
                        product=line.product,
                        name=line.product.name,
                        quantity=line.quantity,
                        unit_price_rp=line.unit_price_rp,
                    )
                    for line in basket.lines
                ]
            )
    except LedgerError as exc:
        raise _ledger_error(exc) from exc
    except IntegrityError:
        earlier = _replay_place(site, key, inmate, lines)
        if earlier is None:
            raise
        return earlier
    return order


def _closed(order: PreOrder) -> ShopError:
    return ShopError(
        "order_closed",
        _("Pesanan %(number)s sudah %(status)s.")
        % {"number": order.number, "status": _status_label(order)},
    )


def _close(
    order: PreOrder,
    *,
    status: str,
    actor: User | None,
    now: dt.datetime,
    reason: str = "",
) -> None:
    order.status = status
    order.closed_at = now
    order.closed_by = actor
    order.cancel_reason = reason
    order.save(update_fields=["status", "closed_at", "closed_by", "cancel_reason"])


def preorder_cancel(
    *, order: PreOrder, actor: User, reason: str, now: dt.datetime | None = None
) -> PreOrder:
    """Cancel an open order with a reason: the hold is voided, its money and limit free again.
    Cancelling a cancelled order again changes nothing."""
    now = now or clock.now()
    reason = (reason or "").strip()[:MAX_REASON]
    if not reason:
        raise ShopError("reason_required", _("Tuliskan alasan pembatalan."))
    current = PreOrder.objects.get(pk=order.pk)
    if current.status == PreOrderStatus.CANCELLED:
        return current
    try:
        with transaction.atomic():
            locked = PreOrder.objects.select_for_update().select_related("site").get(pk=order.pk)
            if locked.status == PreOrderStatus.CANCELLED:
                return locked  # cancelled by a concurrent request a moment ago
            if locked.status != PreOrderStatus.OPEN:
                raise _closed(locked)
            wallet.hold_void(
                hold=locked.hold,
                actor=actor,
                reason=reason,
                idempotency_key=f"preorder-cancel:{locked.pk}",
                now=now,
            )
            _close(locked, status=PreOrderStatus.CANCELLED, actor=actor, now=now, reason=reason)
            audit_append(
                action="shop.preorder_cancel",
                site=locked.site,
                actor=actor,
                obj=locked,
                data={"number": locked.number, "total_rp": locked.total_rp, "reason": reason},
            )
    except LedgerError as exc:
        # The hold expired in the ledger a moment ago: the next shop_tick closes the order.
        raise _ledger_error(exc) from exc
    return locked


def _delivered(order: PreOrder, delivered: dict[int, int]) -> dict[int, int]:
    """line id -> quantity delivered (lines not named: none delivered)."""
    lines = dict(order.lines.values_list("pk", "quantity"))
    out = {pk: 0 for pk in lines}
    for line_id, qty in delivered.items():
        if int(line_id) not in lines:
            raise ShopError(
                "line_not_in_order",
                _("Ada barang yang bukan bagian dari pesanan %(number)s.")
                % {"number": order.number},
            )
        if not isinstance(qty, int) or isinstance(qty, bool) or qty < 0:
            raise ShopError(
                "quantity_invalid", _("Jumlah diantar harus bilangan bulat 0 atau lebih.")
            )
        if qty > lines[int(line_id)]:
            raise ShopError(
                "deliver_too_much",
                _("Jumlah diantar tidak boleh lebih dari yang dipesan (%(qty)d).")
                % {"qty": lines[int(line_id)]},
            )
        out[int(line_id)] = qty
    return out


def _replayed_delivery(order: PreOrder, key: str, quantities: dict[int, int]) -> PreOrder | None:
    """The order as the same delivery request left it, or None if it is still open."""
    if order.status == PreOrderStatus.OPEN:
        return None
    if order.status == PreOrderStatus.DELIVERED and order.sale is not None:
        same_key = order.sale.idempotency_key == _sale_key(order, key)
        same_lines = quantities == dict(order.lines.values_list("pk", "delivered_qty"))
        if same_key and same_lines:
            return order
    if order.status == PreOrderStatus.CANCELLED and not any(quantities.values()):
        return order  # nothing delivered is a cancel; asked again, the same cancel
    raise _closed(order)


def _sale_key(order: PreOrder, key: str) -> str:
    return f"preorder:{order.pk}:{key}"[:100]


def _shift_for(shift: ShopShift | None, terminal: Device | None, site_id: int) -> ShopShift | None:
    """The till shift the delivery belongs to: the one given, or the open shift of the given
    terminal. A delivery at the block without a till has none (and no till label)."""
    if shift is None and terminal is not None:
        shift = ShopShift.objects.filter(terminal=terminal, closed_at__isnull=True).first()
    if shift is None:
        return None
    if shift.closed_at is not None or (terminal is not None and shift.terminal_id != terminal.pk):
        raise ShopError(
            "shift_closed", _("Shift kasir sudah ditutup atau bukan milik terminal ini.")
        )
    if shift.site_id != site_id:
        raise ShopError("other_site", _("Pesanan ini milik koperasi UPT lain."))
    return shift


def preorder_deliver(
    *,
    order: PreOrder,
    delivered: dict[int, int],
    card_uid: str,
    pin: str,
    actor: User,
    idempotency_key: str,
    shift: ShopShift | None = None,
    terminal: Device | None = None,
    now: dt.datetime | None = None,
) -> PreOrder:
    """Hand the order over: `delivered` maps order line id -> quantity handed over (lines not
    named: none). The inmate taps their own card and enters the PIN to confirm receipt; the
    hold is posted for the delivered total only (missing items are not charged, the rest of the
    hold is released), a receipt (Sale, source PREORDER) is written and the goods leave the
    stock. Nothing delivered at all cancels the order. Each line is charged at the price held
    when ordered, or today's if that is lower."""
    now = now or clock.now()
    key = check_key(idempotency_key)
    current = PreOrder.objects.select_related("site", "inmate", "sale").get(pk=order.pk)
    quantities = _delivered(current, delivered)
    earlier = _replayed_delivery(current, key, quantities)
    if earlier is not None:
        return earlier
    if not any(quantities.values()):
        return preorder_cancel(
            order=current,
            actor=actor,
            reason=_("Tidak ada barang yang bisa diantar."),
            now=now,
        )
    if now >= current.expires_at:
        raise ShopError(
            "order_expired",
            _("Pesanan %(number)s sudah lewat batas antar; dananya dilepas kembali.")
            % {"number": current.number},
        )
    site = current.site
    shift = _shift_for(shift, terminal, site.pk)
    _card, holder = card_holder(site=site, raw_uid=card_uid or "")
    if holder.pk != current.inmate_id:
        raise ShopError(
            "card_mismatch",
            _("Kartu ini bukan milik pemesan (%(name)s). Pemesan sendiri yang menempelkan kartu.")
            % {"name": current.inmate.full_name},
        )
    label = terminal_label(shift.terminal) if shift is not None else ""
    pin_check(inmate=holder, pin=pin, terminal=label or f"preorder:{current.number}")
    try:
        with transaction.atomic():
            locked = PreOrder.objects.select_for_update().select_related("site").get(pk=order.pk)
            if locked.status != PreOrderStatus.OPEN:
                # Closed while we checked the card: the same delivery by a concurrent request
                # is its replay; anything else is refused.
                fresh = PreOrder.objects.select_related("site", "inmate", "sale").get(pk=order.pk)
                replay = _replayed_delivery(fresh, key, quantities)
                assert replay is not None
                return replay
            lines = list(locked.lines.select_related("product", "product__category"))
            basket_lines = []
            for line in lines:
                qty = quantities[line.pk]
                if not qty:
                    continue
                product = Product.objects.select_related("category").get(pk=line.product_id)
                # Charged at the price held when ordered, or today's if lower (in memory only:
                # sale_record prices the receipt from the product it is given).
                product.price_rp = min(product.price_rp, line.unit_price_rp)
                basket_lines.append(BasketLine(product, qty))
            basket_lines.sort(key=lambda bl: bl.product.pk)
            basket = Basket(basket_lines)

            def pay(number: str) -> BatchResult:
                return wallet.hold_post(
                    hold=locked.hold,
                    actor=actor,
                    amount_rp=basket.total_rp,
                    idempotency_key=f"preorder-deliver:{locked.pk}",
                    terminal=label,
                    reference=locked.number,
                    now=now,
                )

            sale = sale_record(
                inmate=locked.inmate,
                basket=basket,
                idempotency_key=_sale_key(locked, key),
                source=SaleSource.PREORDER,
                shift=shift,
                cashier=actor,
                terminal=label,
                now=now,
                pay=pay,
            )
            for line in lines:
                line.delivered_qty = quantities[line.pk]
            PreOrderLine.objects.bulk_update(lines, ["delivered_qty"])
            locked.sale = sale
            locked.save(update_fields=["sale"])
            _close(locked, status=PreOrderStatus.DELIVERED, actor=actor, now=now)
    except LedgerError as exc:
        raise _ledger_error(exc) from exc
    return locked


def preorders_expire(*, now: dt.datetime | None = None, site: Site | None = None) -> int:
    """Expire the open orders past their deadline (for `manage.py shop_tick`, safe to run every
    minute and twice at once). The ledger's `holds_expire` releases the due holds first; each
    order is then closed in its own short transaction, after checking under its row lock that
    it is still open and its hold really ended. Returns how many orders expired."""
    now = now or clock.now()
    wallet.holds_expire(now=now, site=site)
    due = PreOrder.objects.filter(status=PreOrderStatus.OPEN, expires_at__lte=now)
    if site is not None:
        due = due.filter(site=site)
    count = 0
    for pk in list(due.order_by("expires_at", "pk").values_list("pk", flat=True)):
        with transaction.atomic():
            order = PreOrder.objects.select_for_update().select_related("site").get(pk=pk)
            if order.status != PreOrderStatus.OPEN:
                continue  # delivered or cancelled meanwhile
            state = Transfer.objects.filter(pk=order.hold_id).values_list("state", flat=True).get()
            if state not in (TransferState.EXPIRED, TransferState.VOIDED):
                # Still pending (the ledger has not released it yet: the next tick will), or
                # posted, which only a delivery does — and a delivery closes the order itself.
                continue
            _close(order, status=PreOrderStatus.EXPIRED, actor=None, now=now)
            audit_append(
                action="shop.preorder_expire",
                site=order.site,
                obj=order,
                data={"number": order.number, "total_rp": order.total_rp, "hold": state},
            )
            count += 1
    return count
