"""Corrections of a sale at the till, each approved by a shop manager on the cashier's screen:
a void (the whole receipt undone, only while its shift is still open on the same terminal)
and a return (some items brought back against an earlier receipt, money and spent limit back).

Money goes back only through the ledger's own corrections (`transfer_reverse`, `refund`),
with the till's terminal label, so the shift's Z-report sees them on both of its sides.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.models import Device, User
from pandai.inmates.models import InmateStatus
from pandai.shop.errors import ShopError
from pandai.shop.models import (
    ReturnLine,
    Sale,
    SaleLine,
    SaleReturn,
    SaleStatus,
    ShopShift,
    StockMoveKind,
)
from pandai.shop.services.approval import approver_check, check_approval
from pandai.shop.services.checkout import MAX_QUANTITY, check_key, terminal_label
from pandai.shop.services.stock import stock_move
from pandai.wallet import clock
from pandai.wallet import services as wallet
from pandai.wallet.counter import next_document_no
from pandai.wallet.errors import LedgerError
from pandai.wallet.models import Transfer, TransferKind

__all__ = ["approver_check", "sale_return", "sale_void"]

MAX_REASON = 200


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ShopError("reason_required", _("Tuliskan alasannya."))
    return reason[:MAX_REASON]


def _purchase_of(sale: Sale) -> Transfer:
    return Transfer.objects.get(batch_id=sale.batch_id, kind=TransferKind.PURCHASE)


def _ledger_error(exc: LedgerError) -> ShopError:
    return ShopError(exc.code, exc.message, **exc.figures)


def sale_void(
    *,
    sale: Sale,
    actor: User,
    approver: User,
    reason: str,
    terminal: Device,
    now: dt.datetime | None = None,
) -> Sale:
    """Undo a whole receipt: the ledger's purchase reversed (its spent limit comes back), the
    goods back on the shelf (VOID moves), the sale marked voided with who, who approved and
    why. Only in the sale's own shift, still open, at the same terminal; later it is a return."""
    now = now or clock.now()
    reason = _reason(reason)
    check_approval(site=sale.site, actor=actor, approver=approver)
    try:
        with transaction.atomic():
            locked = Sale.objects.select_for_update().select_related("site").get(pk=sale.pk)
            if locked.status == SaleStatus.VOIDED:
                raise ShopError(
                    "already_voided",
                    _("Struk %(number)s sudah dibatalkan sebelumnya.") % {"number": locked.number},
                )
            shift = (
                ShopShift.objects.filter(pk=locked.shift_id).first() if locked.shift_id else None
            )
            if shift is None or shift.closed_at is not None:
                raise ShopError(
                    "void_shift_closed",
                    _(
                        "Pembatalan hanya bisa dalam shift yang sama selagi masih buka. "
                        "Untuk struk ini gunakan retur."
                    ),
                )
            if terminal.pk != shift.terminal_id:
                raise ShopError(
                    "void_wrong_terminal",
                    _("Struk ini dibuat di terminal lain; batalkan dari terminal itu."),
                )
            if locked.returns.exists():
                raise ShopError(
                    "sale_has_returns",
                    _("Sebagian barang struk ini sudah diretur; tidak bisa dibatalkan utuh."),
                )
            label = terminal_label(terminal)
            for line in locked.lines.select_related("product").order_by("product_id"):
                stock_move(
                    product=line.product,
                    kind=StockMoveKind.VOID,
                    quantity=line.quantity,
                    actor=actor,
                    now=now,
                    unit_cost_rp=line.unit_cost_rp,
                    reason=reason,
                    reference=locked.number,
                )
            result = wallet.transfer_reverse(
                transfer=_purchase_of(locked),
                actor=actor,
                reason=f"{locked.number}: {reason}",
                idempotency_key=f"sale-void:{locked.pk}",
                terminal=label,
                now=now,
            )
            locked.status = SaleStatus.VOIDED
            locked.voided_at = now
            locked.voided_by = actor
            locked.void_approved_by = approver
            locked.void_reason = reason
            locked.void_batch = result.batch
            locked.save(
                update_fields=[
                    "status",
                    "voided_at",
                    "voided_by",
                    "void_approved_by",
                    "void_reason",
                    "void_batch",
                ]
            )
            audit_append(
                action="shop.sale_void",
                site=locked.site,
                actor=actor,
                obj=locked,
                data={
                    "number": locked.number,
                    "total_rp": locked.total_rp,
                    "approved_by": approver.pk,
                    "reason": reason,
                    "terminal": label,
                },
            )
    except LedgerError as exc:
        raise _ledger_error(exc) from exc
    return locked


def _wanted(quantities: dict[int, int]) -> dict[int, int]:
    if not quantities:
        raise ShopError("empty_return", _("Pilih barang yang diretur dan jumlahnya."))
    out: dict[int, int] = {}
    for line_id, qty in quantities.items():
        if not isinstance(qty, int) or isinstance(qty, bool) or qty <= 0 or qty > MAX_QUANTITY:
            raise ShopError(
                "quantity_invalid",
                _("Jumlah retur harus bilangan bulat antara 1 dan %(max)d.")
                % {"max": MAX_QUANTITY},
            )
        out[int(line_id)] = qty
    return dict(sorted(out.items()))


def _replay_return(site_id: int, key: str, sale: Sale, wanted: dict[int, int]) -> SaleReturn | None:
    earlier = SaleReturn.objects.filter(site_id=site_id, idempotency_key=key).first()
    if earlier is None:
        return None
    lines = dict(earlier.lines.values_list("sale_line_id", "quantity"))
    if earlier.sale_id != sale.pk or lines != wanted:
        raise ShopError(
            "idempotency_conflict",
            _("Kode transaksi ini sudah dipakai untuk retur lain. Mulai retur baru."),
        )
    return earlier


def sale_return(
    *,
    sale: Sale,
    quantities: dict[int, int],
    reason: str,
    actor: User,
    approver: User,
    shift: ShopShift | None,
    terminal: Device | None,
    idempotency_key: str,
    now: dt.datetime | None = None,
) -> SaleReturn:
    """Take goods back against an earlier receipt (`quantities`: sale line id -> how many).
    Never more than was bought minus what came back before; the goods go back on the shelf
    (RETURN moves) and the money and spent limit back to the inmate (a ledger refund of the
    sale's purchase, the limit restored on the purchase's day). Same key -> same return."""
    now = now or clock.now()
    key = check_key(idempotency_key)
    wanted = _wanted(quantities)
    earlier = _replay_return(sale.site_id, key, sale, wanted)
    if earlier is not None:
        return earlier
    reason = _reason(reason)
    if shift is not None:
        if terminal is None:
            terminal = shift.terminal
        if shift.closed_at is not None or shift.terminal_id != terminal.pk:
            raise ShopError(
                "shift_closed", _("Shift kasir sudah ditutup atau bukan milik terminal ini.")
            )
    for place in (shift, terminal):
        if place is not None and place.site_id != sale.site_id:
            raise ShopError("other_site", _("Struk ini milik koperasi UPT lain."))
    check_approval(site=sale.site, actor=actor, approver=approver)
    if sale.status == SaleStatus.VOIDED:
        raise ShopError(
            "sale_voided",
            _("Struk %(number)s sudah dibatalkan; tidak ada yang bisa diretur.")
            % {"number": sale.number},
        )
    inmate = sale.inmate
    if inmate.status != InmateStatus.ACTIVE:
        raise ShopError(
            "inmate_inactive",
            _(
                "%(name)s sudah %(status)s: rekeningnya ditutup dan sisa uangnya sudah "
                "diselesaikan, jadi uang retur tidak bisa masuk ke kartu lagi. Barang tidak "
                "diterima kembali lewat kasir; hubungi petugas keuangan bila perlu koreksi."
            )
            % {"name": inmate.full_name, "status": InmateStatus(inmate.status).label.lower()},
        )
    # Only when the return happens at a till in its open shift does the ledger carry the till's
    # label: that is what the shift's Z-report counts on its ledger side.
    label = terminal_label(shift.terminal) if shift is not None else ""
    try:
        with transaction.atomic():
            lines = {
                line.pk: line
                for line in SaleLine.objects.select_for_update()
                .select_related("product")
                .filter(sale=sale, pk__in=list(wanted))
                .order_by("pk")
            }
            # A request with this key may have committed while we waited for the lines' lock.
            earlier = _replay_return(sale.site_id, key, sale, wanted)
            if earlier is not None:
                return earlier
            if set(lines) != set(wanted):
                raise ShopError(
                    "line_not_in_sale",
                    _("Ada baris yang bukan bagian dari struk %(number)s.")
                    % {"number": sale.number},
                )
            if Sale.objects.filter(pk=sale.pk, status=SaleStatus.VOIDED).exists():
                raise ShopError(
                    "sale_voided",
                    _("Struk %(number)s sudah dibatalkan; tidak ada yang bisa diretur.")
                    % {"number": sale.number},
                )
            for line_id, qty in wanted.items():
                line = lines[line_id]
                left = line.quantity - line.returned_qty
                if qty > left:
                    raise ShopError(
                        "return_too_much",
                        _(
                            "%(name)s: dibeli %(bought)d, sudah diretur %(done)d, paling banyak "
                            "%(left)d lagi."
                        )
                        % {
                            "name": line.name,
                            "bought": line.quantity,
                            "done": line.returned_qty,
                            "left": left,
                        },
                        line=line_id,
                        left=left,
                    )
            for line_id, qty in sorted(wanted.items(), key=lambda kv: lines[kv[0]].product_id):
                line = lines[line_id]
                SaleLine.objects.filter(pk=line_id).update(returned_qty=F("returned_qty") + qty)
                stock_move(
                    product=line.product,
                    kind=StockMoveKind.RETURN,
                    quantity=qty,
                    actor=actor,
                    now=now,
                    unit_cost_rp=line.unit_cost_rp,
                    reason=reason,
                    reference=sale.number,
                )
            total = sum(lines[pk].unit_price_rp * qty for pk, qty in wanted.items())
            number = next_document_no(site=sale.site, prefix="RTR", now=now)
            result = wallet.refund(
                inmate=inmate,
                amount_rp=total,
                idempotency_key=f"sale-return:{key}",
                actor=actor,
                purchase=_purchase_of(sale),
                terminal=label,
                reference=number,
                now=now,
            )
            sale_return_row = SaleReturn.objects.create(
                site_id=sale.site_id,
                number=number,
                sale=sale,
                shift=shift,
                total_rp=total,
                reason=reason,
                actor=actor,
                approved_by=approver,
                idempotency_key=key,
                batch=result.batch,
                created_at=now,
            )
            ReturnLine.objects.bulk_create(
                [
                    ReturnLine(sale_return=sale_return_row, sale_line_id=pk, quantity=qty)
                    for pk, qty in wanted.items()
                ]
            )
            audit_append(
                action="shop.sale_return",
                site=sale.site,
                actor=actor,
                obj=sale_return_row,
                data={
                    "number": number,
                    "sale": sale.number,
                    "total_rp": total,
                    "lines": {str(pk): qty for pk, qty in wanted.items()},
                    "approved_by": approver.pk,
                    "reason": reason,
                },
            )
    except LedgerError as exc:
        raise _ledger_error(exc) from exc
    except IntegrityError:
        # The same key committed by a concurrent request between our check and our INSERT.
        earlier = _replay_return(sale.site_id, key, sale, wanted)
        if earlier is None:
            raise
        return earlier
    return sale_return_row
