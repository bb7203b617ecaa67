"""Cashier shifts on a POS terminal and their Z-report.

The Z-report is computed twice, independently: from the shop's own records (receipts, voids,
returns of the shift) and from the ledger (the transfers to and from the shop's sales account
made by this terminal while the shift was open). Closing freezes both and says whether they
match; a mismatch is shown, never hidden.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.models import Device, DeviceKind, User
from pandai.core.permissions import Perm, perms_for
from pandai.shop.errors import ShopError
from pandai.shop.models import (
    PosBasket,
    ReturnLine,
    SaleLine,
    SaleReturn,
    SaleStatus,
    ShopShift,
)
from pandai.wallet import clock
from pandai.wallet.counter import next_document_no
from pandai.wallet.models import AccountKind, Transfer, TransferKind, TransferState

__all__ = ["ZReport", "shift_close", "shift_open", "zreport"]


def _may_sell(user: User, terminal: Device) -> bool:
    roles = user.memberships.filter(site_id=terminal.site_id).values_list("role", flat=True)
    return Perm.SHOP_SELL in perms_for(roles)


@transaction.atomic
def shift_open(*, terminal: Device, cashier: User, now: dt.datetime | None = None) -> ShopShift:
    now = now or clock.now()
    if terminal.kind != DeviceKind.POS or not terminal.is_active:
        raise ShopError("terminal_invalid", _("Perangkat ini bukan terminal kasir yang aktif."))
    if not _may_sell(cashier, terminal):
        raise ShopError("not_cashier", _("Petugas ini bukan kasir koperasi di UPT ini."))
    if ShopShift.objects.filter(terminal=terminal, closed_at__isnull=True).exists():
        raise ShopError(
            "terminal_busy",
            _("Terminal %(name)s masih punya shift terbuka. Tutup dulu shift itu.")
            % {"name": terminal.name},
        )
    if ShopShift.objects.filter(cashier=cashier, closed_at__isnull=True).exists():
        raise ShopError(
            "cashier_busy", _("Anda masih punya shift terbuka di terminal lain. Tutup dulu.")
        )
    try:
        with transaction.atomic():
            shift = ShopShift.objects.create(
                site_id=terminal.site_id,
                terminal=terminal,
                cashier=cashier,
                number=next_document_no(site=terminal.site, prefix="KSR", now=now),
                opened_at=now,
            )
    except IntegrityError as exc:  # the same terminal or cashier opened one a moment ago
        raise ShopError("terminal_busy", _("Shift baru saja dibuka di terminal ini.")) from exc
    audit_append(
        action="shop.shift_open",
        site=terminal.site,
        actor=cashier,
        obj=shift,
        data={"terminal": terminal.pk, "number": shift.number},
    )
    return shift


@dataclass
class ZReport:
    shift_number: str
    sales_count: int = 0
    sales_rp: int = 0
    voids_count: int = 0
    voids_rp: int = 0
    returns_count: int = 0
    returns_rp: int = 0
    receipts_count: int = 0  # every receipt printed, voided ones included
    by_category: list[tuple[str, int, int]] = field(default_factory=list)  # name, qty, rp
    ledger_purchases_rp: int = 0
    ledger_refunds_rp: int = 0

    @property
    def net_rp(self) -> int:
        """Money the shop kept: completed sales minus returns."""
        return self.sales_rp - self.returns_rp

    @property
    def ledger_net_rp(self) -> int:
        return self.ledger_purchases_rp - self.ledger_refunds_rp

    @property
    def matches(self) -> bool:
        return self.net_rp == self.ledger_net_rp

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data.update(net_rp=self.net_rp, ledger_net_rp=self.ledger_net_rp, matches=self.matches)
        return data


def _ledger_side(shift: ShopShift, until: dt.datetime) -> tuple[int, int]:
    """(into the shop, out of the shop) through this terminal during the shift, straight from
    the ledger's transfers: purchases and posted pre-order holds in; refunds and reversals out."""
    window = Transfer.objects.filter(
        site_id=shift.site_id,
        terminal=f"pos:{shift.terminal_id}",
        created_at__gte=shift.opened_at,
        created_at__lte=until,
    ).exclude(state__in=[TransferState.PENDING, TransferState.VOIDED, TransferState.EXPIRED])
    shop_in = window.filter(credit_account__kind=AccountKind.SHOP_SALES).exclude(
        kind=TransferKind.HOLD
    )
    shop_out = window.filter(debit_account__kind=AccountKind.SHOP_SALES)
    into = shop_in.aggregate(s=Sum("amount_rp"))["s"] or 0
    out = shop_out.aggregate(s=Sum("amount_rp"))["s"] or 0
    return int(into), int(out)


def zreport(*, shift: ShopShift, now: dt.datetime | None = None) -> ZReport:
    until = shift.closed_at or now or clock.now()
    report = ZReport(shift_number=shift.number)
    sales = shift.sales.aggregate(
        n=Count("pk"),
        completed=Count("pk", filter=Q(status=SaleStatus.COMPLETED)),
        # A voided sale was charged and given back in the same shift: the sales total counts
        # it (as the receipts printed did) and the voids total takes it out again.
        total=Sum("total_rp"),
        voids=Count("pk", filter=Q(status=SaleStatus.VOIDED)),
        voided=Sum("total_rp", filter=Q(status=SaleStatus.VOIDED)),
    )
    report.receipts_count = sales["n"] or 0
    report.voids_count = sales["voids"] or 0
    report.voids_rp = int(sales["voided"] or 0)
    report.sales_count = sales["completed"] or 0
    report.sales_rp = int(sales["total"] or 0) - report.voids_rp
    returns = SaleReturn.objects.filter(shift=shift).aggregate(n=Count("pk"), t=Sum("total_rp"))
    report.returns_count = returns["n"] or 0
    report.returns_rp = int(returns["t"] or 0)
    sold = {
        row["category_name"]: [row["qty"], row["rp"]]
        for row in SaleLine.objects.filter(sale__shift=shift, sale__status=SaleStatus.COMPLETED)
        .values("category_name")
        .annotate(qty=Sum("quantity"), rp=Sum(F("quantity") * F("unit_price_rp")))
    }
    for row in (
        ReturnLine.objects.filter(sale_return__shift=shift)
        .values("sale_line__category_name")
        .annotate(qty=Sum("quantity"), rp=Sum(F("quantity") * F("sale_line__unit_price_rp")))
    ):
        entry = sold.setdefault(row["sale_line__category_name"], [0, 0])
        entry[0] -= row["qty"]
        entry[1] -= row["rp"]
    report.by_category = sorted((name, int(q), int(rp)) for name, (q, rp) in sold.items())
    report.ledger_purchases_rp, report.ledger_refunds_rp = _ledger_side(shift, until)
    return report


@transaction.atomic
def shift_close(*, shift: ShopShift, actor: User, now: dt.datetime | None = None) -> ShopShift:
    """Close the shift and freeze its Z-report. The cashier closes their own shift; a shop
    manager may close a shift left open."""
    now = now or clock.now()
    locked = ShopShift.objects.select_for_update().get(pk=shift.pk)
    if locked.closed_at is not None:
        raise ShopError("shift_closed", _("Shift ini sudah ditutup."))
    roles = actor.memberships.filter(site_id=locked.site_id).values_list("role", flat=True)
    if actor.pk != locked.cashier_id and Perm.SHOP_MANAGE not in perms_for(roles):
        raise ShopError(
            "not_your_shift", _("Hanya kasirnya atau pengelola koperasi yang boleh menutup.")
        )
    locked.closed_at = now
    report = zreport(shift=locked)
    locked.z_report = report.as_json()
    locked.ledger_matches = report.matches
    locked.save(update_fields=["closed_at", "z_report", "ledger_matches"])
    # A basket left unpaid is not carried into the cashier's next shift on this till.
    PosBasket.objects.filter(terminal_id=locked.terminal_id, cashier_id=locked.cashier_id).delete()
    audit_append(
        action="shop.shift_close",
        site=locked.site,
        actor=actor,
        obj=locked,
        data={
            "number": locked.number,
            "net_rp": report.net_rp,
            "ledger_net_rp": report.ledger_net_rp,
            "matches": report.matches,
        },
    )
    shift.closed_at = locked.closed_at
    shift.z_report = locked.z_report
    shift.ledger_matches = locked.ledger_matches
    return shift
