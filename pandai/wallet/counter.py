"""The deposit counter: counters, document numbers, and counter shifts (opening and closing
cash counts; cash differences recorded and proposed as ledger adjustments, never absorbed).
Family deposits taken on a shift live in `counter_deposits`.

Money moves only through `pandai.wallet.services` (adjustment_request here); this module
records who, where and why around it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.calendar import site_today
from pandai.core.models import Site, User
from pandai.core.money import format_rp
from pandai.wallet import clock, services
from pandai.wallet.errors import LedgerError
from pandai.wallet.models_counter import (
    CashDifference,
    Counter,
    CounterShift,
    Deposit,
    DocumentSequence,
    Payout,
    PayoutMethod,
)

COUNTER_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,39}$")
RECEIPT_PREFIX = "TTP"
PAYOUT_PREFIX = "BYR"


class CounterError(LedgerError):
    """A refused counter action; `code` is stable, the message is for the officer."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# --- document numbers -------------------------------------------------------------------------


def next_document_no(*, site: Site, prefix: str, now: dt.datetime) -> str:
    """'TTP-BLR-2026-000123': the next number of this kind at the site in the site-local
    year. Call it last in the transaction: the sequence row stays locked until COMMIT."""
    year = site_today(site, now).year
    DocumentSequence.objects.bulk_create(
        [DocumentSequence(site=site, prefix=prefix, year=year, last=0)], ignore_conflicts=True
    )
    row = DocumentSequence.objects.select_for_update().get(site=site, prefix=prefix, year=year)
    row.last += 1
    row.save(update_fields=["last"])
    return f"{prefix}-{site.code}-{year}-{row.last:06d}"


# --- counters ---------------------------------------------------------------------------------


@transaction.atomic
def counter_create(*, site: Site, code: str, name: str, actor: User) -> Counter:
    code = code.strip().upper()
    if not COUNTER_CODE_RE.match(code):
        raise CounterError(
            "counter_code", _("Kode loket hanya huruf besar, angka dan tanda -, mis. LOKET-1.")
        )
    if not name.strip():
        raise CounterError("counter_name", _("Nama loket wajib diisi."))
    if Counter.objects.filter(site=site, code=code).exists():
        raise CounterError("counter_exists", _("Kode loket %(code)s sudah ada.") % {"code": code})
    counter = Counter.objects.create(site=site, code=code, name=name.strip())
    services.counter_account(site=site, counter=code)
    audit_append(
        action="wallet.counter_create",
        site=site,
        actor=actor,
        obj=counter,
        data={"code": code, "name": counter.name},
    )
    return counter


@transaction.atomic
def counter_set_active(*, counter: Counter, active: bool, actor: User) -> None:
    locked = Counter.objects.select_for_update().get(pk=counter.pk)
    if not active and CounterShift.objects.filter(counter=locked, closed_at__isnull=True).exists():
        raise CounterError(
            "counter_busy", _("Loket ini masih punya shift terbuka; tutup shift itu dulu.")
        )
    Counter.objects.filter(pk=locked.pk).update(is_active=active)
    counter.is_active = active
    audit_append(
        action="wallet.counter_activate" if active else "wallet.counter_deactivate",
        site=locked.site,
        actor=actor,
        obj=locked,
    )


# --- shifts -----------------------------------------------------------------------------------


def open_shift_of(*, officer: User, site: Site) -> CounterShift | None:
    return (
        CounterShift.objects.select_related("counter")
        .filter(officer=officer, site=site, closed_at__isnull=True)
        .first()
    )


@transaction.atomic
def shift_open(
    *, counter: Counter, officer: User, opening_cash_rp: int, now: dt.datetime | None = None
) -> CounterShift:
    """Open a shift with the counted opening cash. One open shift per counter and per
    officer (checked here for the message, enforced by the database)."""
    now = now or clock.now()
    if not isinstance(opening_cash_rp, int) or opening_cash_rp < 0:
        raise CounterError("opening_cash", _("Kas awal harus angka rupiah, nol atau lebih."))
    counter = Counter.objects.select_for_update().get(pk=counter.pk)
    if not counter.is_active:
        raise CounterError("counter_inactive", _("Loket ini tidak aktif."))
    busy = CounterShift.objects.filter(counter=counter, closed_at__isnull=True).first()
    if busy is not None:
        raise CounterError(
            "counter_busy",
            _("Loket %(code)s sedang dipakai shift lain (dibuka %(who)s).")
            % {"code": counter.code, "who": busy.officer},
        )
    if CounterShift.objects.filter(officer=officer, closed_at__isnull=True).exists():
        raise CounterError(
            "officer_busy", _("Anda masih punya shift terbuka; tutup shift itu dulu.")
        )
    services.counter_account(site=counter.site, counter=counter.code)
    try:
        with transaction.atomic():
            shift = CounterShift.objects.create(
                site=counter.site,
                counter=counter,
                officer=officer,
                opened_at=now,
                opening_cash_rp=opening_cash_rp,
            )
    except IntegrityError as exc:  # another terminal opened one a moment ago
        raise CounterError("shift_busy", _("Shift sudah dibuka di terminal lain.")) from exc
    audit_append(
        action="wallet.shift_open",
        site=counter.site,
        actor=officer,
        obj=shift,
        data={"counter": counter.code, "opening_cash_rp": opening_cash_rp},
    )
    return shift


@dataclass(frozen=True)
class ShiftTotals:
    opening_rp: int
    deposits_rp: int
    deposits_count: int
    payouts_rp: int
    payouts_count: int

    @property
    def expected_rp(self) -> int:
        return self.opening_rp + self.deposits_rp - self.payouts_rp


def shift_totals(*, shift: CounterShift) -> ShiftTotals:
    """What the drawer should hold now: opening cash + deposits taken - cash paid out."""
    deposits = Deposit.objects.filter(shift=shift).aggregate(s=Sum("amount_rp"))
    payouts = Payout.objects.filter(shift=shift, method=PayoutMethod.CASH).aggregate(
        s=Sum("total_rp")
    )
    return ShiftTotals(
        opening_rp=shift.opening_cash_rp,
        deposits_rp=deposits["s"] or 0,
        deposits_count=Deposit.objects.filter(shift=shift).count(),
        payouts_rp=payouts["s"] or 0,
        payouts_count=Payout.objects.filter(shift=shift, method=PayoutMethod.CASH).count(),
    )


def _difference_reason(shift: CounterShift, reason: str) -> str:
    return _("Selisih kas loket %(code)s, shift #%(pk)s: %(reason)s") % {
        "code": shift.counter.code,
        "pk": shift.pk,
        "reason": reason,
    }


# Not durable: closing a balanced shift may be part of a larger unit (the demo loader, a
# day-end job). The adjustment request for a difference is durable and follows the commit.
@transaction.atomic
def _close(
    *, shift: CounterShift, actor: User, counted_cash_rp: int, reason: str, now: dt.datetime
) -> CounterShift:
    locked = CounterShift.objects.select_for_update().select_related("counter").get(pk=shift.pk)
    if locked.closed_at is not None:
        raise CounterError("shift_closed", _("Shift ini sudah ditutup."))
    if locked.officer_id != actor.pk:
        raise CounterError(
            "not_your_shift", _("Shift hanya bisa ditutup oleh petugas yang membukanya.")
        )
    totals = shift_totals(shift=locked)
    difference = counted_cash_rp - totals.expected_rp
    if difference and not reason:
        raise CounterError(
            "reason_required",
            _(
                "Kas dihitung %(counted)s, seharusnya %(expected)s (selisih %(diff)s). "
                "Tulis alasan selisih; selisih tidak boleh didiamkan."
            )
            % {
                "counted": format_rp(counted_cash_rp),
                "expected": format_rp(totals.expected_rp),
                "diff": format_rp(difference, sign=True),
            },
        )
    locked.closed_at = now
    locked.closed_by = actor
    locked.deposits_rp = totals.deposits_rp
    locked.payouts_rp = totals.payouts_rp
    locked.expected_cash_rp = totals.expected_rp
    locked.counted_cash_rp = counted_cash_rp
    locked.difference_rp = difference
    locked.save(
        update_fields=[
            "closed_at",
            "closed_by",
            "deposits_rp",
            "payouts_rp",
            "expected_cash_rp",
            "counted_cash_rp",
            "difference_rp",
        ]
    )
    if difference:
        CashDifference.objects.create(
            site=locked.site,
            shift=locked,
            amount_rp=difference,
            reason=reason,
            recorded_by=actor,
            recorded_at=now,
        )
    audit_append(
        action="wallet.shift_close",
        site=locked.site,
        actor=actor,
        obj=locked,
        data={
            "counter": locked.counter.code,
            "opening_cash_rp": totals.opening_rp,
            "deposits_rp": totals.deposits_rp,
            "payouts_rp": totals.payouts_rp,
            "expected_cash_rp": totals.expected_rp,
            "counted_cash_rp": counted_cash_rp,
            "difference_rp": difference,
            "reason": reason,
        },
    )
    return locked


def shift_close(
    *,
    shift: CounterShift,
    actor: User,
    counted_cash_rp: int,
    reason: str = "",
    now: dt.datetime | None = None,
) -> CounterShift:
    """Close with the counted cash. Any difference from the expected cash needs a written
    reason; it is kept as a CashDifference and proposed as a ledger adjustment of the
    counter's drawer, which a second officer approves or rejects (maker is not checker).

    Two steps, because the ledger's adjustment request is a durable action of its own: the
    close commits first; if the request then fails, the report offers to file it again."""
    if not isinstance(counted_cash_rp, int) or counted_cash_rp < 0:
        raise CounterError("counted_cash", _("Kas dihitung harus angka rupiah, nol atau lebih."))
    closed = _close(
        shift=shift,
        actor=actor,
        counted_cash_rp=counted_cash_rp,
        reason=reason.strip(),
        now=now or clock.now(),
    )
    if closed.difference_rp:
        difference_request_adjustment(difference=closed.difference, actor=actor)
    return closed


def difference_request_adjustment(*, difference: CashDifference, actor: User) -> CashDifference:
    """Propose the ledger adjustment that makes the drawer's account match the counted cash:
    a shortage credits the drawer (less cash), a surplus debits it (more cash). Safe to call
    again: it does nothing when the request was filed."""
    if difference.adjustment_id is not None:
        return difference
    shift = difference.shift
    if difference.recorded_by_id != actor.pk:
        raise CounterError(
            "not_your_shift", _("Penyesuaian diajukan oleh petugas yang mencatat selisih.")
        )
    drawer = services.counter_account(site=shift.site, counter=shift.counter.code)
    request = services.adjustment_request(
        account=drawer,
        credit=difference.amount_rp < 0,
        amount_rp=abs(difference.amount_rp),
        reason=_difference_reason(shift, difference.reason),
        actor=actor,
    )
    # Only the first filing is linked. (Two filings at once need two failed closes and two
    # clicks; the unlinked one stays visible in the adjustment queue for the checker.)
    CashDifference.objects.filter(pk=difference.pk, adjustment__isnull=True).update(
        adjustment=request
    )
    difference.refresh_from_db()
    return difference
