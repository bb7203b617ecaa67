"""An inmate leaving with their money: the release payout (cash from the officer's open
counter shift or a bank transfer) with its slip number, and the transfer to another site
(balances move with the inmate). Both wrap the ledger's own services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.models import Site, User
from pandai.core.money import format_rp
from pandai.inmates.models import Inmate
from pandai.wallet import clock, services
from pandai.wallet.counter import PAYOUT_PREFIX, CounterError, next_document_no, shift_totals
from pandai.wallet.models import Account, Batch, Transfer
from pandai.wallet.models_counter import CounterShift, Payout, PayoutMethod


def _cash_shift(*, shift: CounterShift | None, inmate: Inmate, actor: User) -> CounterShift:
    if shift is None:
        raise CounterError(
            "no_open_shift",
            _("Pembayaran tunai diambil dari kas loket: buka shift loket Anda dulu."),
        )
    locked = CounterShift.objects.select_for_update().select_related("counter").get(pk=shift.pk)
    if locked.closed_at is not None:
        raise CounterError("shift_closed", _("Shift ini sudah ditutup; buka shift baru."))
    if locked.officer_id != actor.pk:
        raise CounterError(
            "not_your_shift", _("Kas loket hanya dipakai oleh petugas yang membuka shift.")
        )
    if locked.site_id != inmate.site_id:
        raise CounterError("cross_site", _("WBP ini bukan warga binaan UPT loket ini."))
    return locked


@transaction.atomic
def payout_release(
    *,
    inmate: Inmate,
    method: str,
    actor: User,
    shift: CounterShift | None = None,
    bank_reference: str = "",
    note: str = "",
    date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Payout:
    """Pay out everything the site holds for the inmate and release them: the ledger's
    release_payout closes the three accounts, voids pending holds, releases the inmate and
    retires the card in this same transaction. Cash comes from the actor's open shift and
    may not exceed the cash that drawer should hold."""
    now = now or clock.now()
    if method not in PayoutMethod.values:
        raise CounterError("payout_method", _("Pilih cara pembayaran: tunai atau transfer bank."))
    bank_reference = bank_reference.strip()
    drawer: Account | None = None
    locked_shift: CounterShift | None = None
    if method == PayoutMethod.CASH:
        locked_shift = _cash_shift(shift=shift, inmate=inmate, actor=actor)
        drawer = services.counter_account(site=inmate.site, counter=locked_shift.counter.code)
    elif not bank_reference:
        raise CounterError("bank_reference", _("Isi referensi transfer bank (no. bukti transfer)."))
    outcome = services.release_payout(
        inmate=inmate,
        method=method,
        actor=actor,
        counter_account=drawer,
        date=date,
        bank_reference=bank_reference,
        terminal=locked_shift.counter.code if locked_shift else "",
        note=note,
        now=now,
    )
    if outcome.result.replayed:
        return Payout.objects.get(batch=outcome.result.batch)
    if locked_shift is not None:
        in_drawer = shift_totals(shift=locked_shift).expected_rp
        if outcome.total_rp > in_drawer:
            # Raising rolls the whole release back: nothing is paid, nobody is released.
            raise CounterError(
                "drawer_short",
                _(
                    "Kas loket tidak cukup: seharusnya ada %(cash)s, perlu %(total)s. "
                    "Bayar dengan transfer bank atau tambah kas lewat shift baru."
                )
                % {"cash": format_rp(in_drawer), "total": format_rp(outcome.total_rp)},
            )
    payout = Payout.objects.create(
        site_id=inmate.site_id,
        slip_no=next_document_no(site=inmate.site, prefix=PAYOUT_PREFIX, now=now),
        inmate=inmate,
        method=method,
        shift=locked_shift,
        bank_reference=bank_reference if method == PayoutMethod.BANK else "",
        spendable_rp=outcome.spendable_rp,
        savings_rp=outcome.savings_rp,
        held_rp=outcome.held_rp,
        total_rp=outcome.total_rp,
        voided_holds=len(outcome.voided_holds),
        officer=actor,
        batch=outcome.result.batch,
        note=note,
        created_at=now,
    )
    audit_append(
        action="wallet.release_payout",
        site=inmate.site,
        actor=actor,
        obj=payout,
        data={
            "slip_no": payout.slip_no,
            "inmate": inmate.pk,
            "method": method,
            "total_rp": payout.total_rp,
            "shift": locked_shift.pk if locked_shift else None,
            "bank_reference": payout.bank_reference,
            "batch": outcome.result.batch.pk,
        },
    )
    return payout


@dataclass(frozen=True)
class MovedBalance:
    kind: str  # the account kind at the receiving site
    amount_rp: int


@dataclass(frozen=True)
class SiteTransferSummary:
    old: Inmate
    new: Inmate | None
    out: list[Transfer]
    into: list[Transfer]

    @property
    def moved_rp(self) -> int:
        return sum(t.amount_rp for t in self.out)

    def left(self) -> list[MovedBalance]:
        """What left each of the old accounts."""
        return _by_kind(self.out, debit=True)

    def arrived(self) -> list[MovedBalance]:
        """What arrived in each of the new record's accounts."""
        return _by_kind(self.into, debit=False)


def _by_kind(transfers: list[Transfer], *, debit: bool) -> list[MovedBalance]:
    ids = [t.debit_account_id if debit else t.credit_account_id for t in transfers]
    kinds = dict(Account.objects.filter(pk__in=ids).values_list("pk", "kind"))
    totals: dict[str, int] = {}
    for account_id, t in zip(ids, transfers, strict=True):
        kind = kinds[account_id]
        totals[kind] = totals.get(kind, 0) + t.amount_rp
    return [MovedBalance(kind, amount) for kind, amount in totals.items()]


def site_transfer_move(
    *, inmate: Inmate, to_site: Site, date: dt.date, actor: User, note: str = ""
) -> Inmate:
    """Transfer the inmate with their balances (the ledger's site_transfer, which wraps
    inmates.services.inmate_transfer). Returns the new record at the receiving site."""
    return services.site_transfer(
        inmate=inmate, to_site=to_site, date=date, actor=actor, note=note
    ).inmate


def site_transfer_summary(*, inmate: Inmate) -> SiteTransferSummary:
    """Where the balances of a transferred inmate went (read back from the ledger)."""
    new = Inmate.objects.select_related("site").filter(transferred_from=inmate).first()
    out_batch = Batch.objects.filter(
        site_id=inmate.site_id, idempotency_key=f"site-transfer-out:{inmate.pk}"
    ).first()
    into_batch = (
        Batch.objects.filter(
            site_id=new.site_id, idempotency_key=f"site-transfer-in:{new.pk}"
        ).first()
        if new is not None
        else None
    )
    return SiteTransferSummary(
        old=inmate,
        new=new,
        out=list(Transfer.objects.filter(batch=out_batch).order_by("pk")) if out_batch else [],
        into=list(Transfer.objects.filter(batch=into_batch).order_by("pk")) if into_batch else [],
    )
