"""Bank transfers to virtual accounts: credit a callback (or a statement line) once, park
money for an unknown VA in SUSPENSE, and let an officer assign or return suspense money.

Every money movement goes through the ledger's services (deposit_credit / batch_post) with
the bank's reference in the idempotency key ("bank:<ref>"), so a repeated callback credits
once; the BankCredit row records what the bank said and which batch answered it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.models import Site, User
from pandai.inmates.models import Inmate, InmateStatus
from pandai.wallet import clock
from pandai.wallet.accounts import system_account
from pandai.wallet.deposits import deposit_credit
from pandai.wallet.errors import (
    AccountClosed,
    AccountMissing,
    AmountInvalid,
    CorrectionError,
    CrossSite,
    IdempotencyConflict,
    InmateInactive,
    LedgerError,
)
from pandai.wallet.models import Account, AccountKind, TransferKind
from pandai.wallet.models_bank import (
    BankCredit,
    BankCreditChannel,
    BankCreditStatus,
    VirtualAccount,
)
from pandai.wallet.posting import BatchResult, TransferSpec, batch_post, request_hash
from pandai.wallet.virtual_accounts import site_from_number, va_find

MAX_AMOUNT_RP = 1_000_000_000_000  # no single bank transfer to an inmate comes near this


class BankError(LedgerError):
    def __init__(self, *, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code

    @classmethod
    def site_unknown(cls) -> BankError:
        return cls(
            code="va_site_unknown",
            message=_("Nomor VA tidak dikenal dan tidak menunjuk ke UPT mana pun."),
        )

    @classmethod
    def resolved(cls) -> BankError:
        return cls(code="already_resolved", message=_("Dana ini sudah tidak berada di suspense."))


@dataclass(frozen=True)
class BankCallback:
    """What the bank reports about one incoming transfer."""

    ref: str
    va_number: str
    amount_rp: int
    payer_name: str = ""
    payer_account: str = ""
    paid_at: dt.datetime | None = None

    def digest(self) -> str:
        # What identifies the money: a repeat of the reference must say the same.
        return request_hash({"ref": self.ref, "va": self.va_number, "amount": self.amount_rp})


@dataclass(frozen=True)
class CreditOutcome:
    credit: BankCredit
    replayed: bool = False

    @property
    def result(self) -> str:
        """credited / held (part or all over the cap) / suspense (or what became of it)."""
        if self.credit.status == BankCreditStatus.CREDITED and self.credit.held_rp:
            return "held"
        return str(self.credit.status)


def _replay(existing: BankCredit, callback: BankCallback) -> CreditOutcome:
    if existing.request_hash != callback.digest():
        raise IdempotencyConflict(f"bank:{callback.ref}")
    return CreditOutcome(existing, replayed=True)


def _site_for(number: str) -> Site:
    """The site whose SUSPENSE takes money for an unknown VA: the one the number's prefix
    names, else the only site, else PANDAI_BANK_SUSPENSE_SITE (a site code)."""
    site = site_from_number(number)
    if site is not None:
        return site
    sites = list(Site.objects.filter(is_active=True)[:2])
    if len(sites) == 1:
        return sites[0]
    code = getattr(settings, "PANDAI_BANK_SUSPENSE_SITE", "")
    site = Site.objects.filter(code=code).first() if code else None
    if site is None:
        raise BankError.site_unknown()
    return site


def _held_part(result: BatchResult, inmate: Inmate) -> int:
    held = Account.objects.filter(inmate=inmate, kind=AccountKind.HELD).values_list("pk", flat=True)
    held_ids = set(held)
    return sum(
        t.amount_rp
        for t in result.transfers
        if t.credit_account_id in held_ids and t.kind == TransferKind.DEPOSIT
    )


def _to_inmate(
    credit: BankCredit, va: VirtualAccount, actor: User | None, now: dt.datetime
) -> tuple[BatchResult | None, str]:
    inmate = va.inmate
    if inmate.status != InmateStatus.ACTIVE:
        return None, _("WBP pemilik VA sudah tidak aktif di UPT ini.")
    try:
        with transaction.atomic():
            result = deposit_credit(
                inmate=inmate,
                amount_rp=credit.amount_rp,
                source=system_account(site=credit.site, kind=AccountKind.BANK_CLEARING),
                idempotency_key=f"bank:{credit.ref}",
                actor=actor,
                terminal="bank",
                reference=f"bank:{credit.ref}",
                enforce_rules=False,
                now=now,
            )
    except (InmateInactive, AccountClosed, AccountMissing) as exc:
        return None, exc.message
    return result, ""


def _to_suspense(credit: BankCredit, actor: User | None, now: dt.datetime) -> BatchResult:
    site = credit.site
    return batch_post(
        site=site,
        idempotency_key=f"bank:{credit.ref}",
        transfers=[
            TransferSpec(
                debit=system_account(site=site, kind=AccountKind.BANK_CLEARING),
                credit=system_account(site=site, kind=AccountKind.SUSPENSE),
                amount_rp=credit.amount_rp,
                kind=TransferKind.SUSPENSE,
                reference=f"bank:{credit.ref}",
            )
        ],
        actor=actor,
        kind=TransferKind.SUSPENSE,
        terminal="bank",
        reference=f"bank:{credit.ref}",
        now=now,
    )


def _receive(
    callback: BankCallback, channel: str, actor: User | None, now: dt.datetime
) -> BankCredit:
    va = va_find(callback.va_number)
    site = va.site if va is not None else _site_for(callback.va_number)
    credit = BankCredit.objects.create(
        site=site,
        ref=callback.ref,
        va_number=callback.va_number,
        virtual_account=va,
        amount_rp=callback.amount_rp,
        payer_name=callback.payer_name[:120],
        payer_account=callback.payer_account[:40],
        paid_at=callback.paid_at,
        received_at=now,
        channel=channel,
        status=BankCreditStatus.SUSPENSE,
        request_hash=callback.digest(),
    )
    result, note = (
        (None, _("Nomor VA tidak dikenal.")) if va is None else _to_inmate(credit, va, actor, now)
    )
    if result is not None and va is not None:
        credit.status = BankCreditStatus.CREDITED
        credit.inmate = va.inmate
        credit.held_rp = _held_part(result, va.inmate)
    else:
        result = _to_suspense(credit, actor, now)
        credit.note = note[:200]
    credit.batch = result.batch
    credit.save(update_fields=["status", "inmate", "held_rp", "batch", "note"])
    return credit


def bank_credit_receive(
    *,
    callback: BankCallback,
    channel: str = BankCreditChannel.CALLBACK,
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> CreditOutcome:
    """Credit one bank transfer exactly once: to the inmate of its VA (SPENDABLE up to the
    cap, the rest HELD; the bank's money cannot be refused), or to SUSPENSE when the VA is
    unknown or its inmate is gone. The same reference again returns the first outcome and
    writes nothing; the same reference with another VA or amount raises
    IdempotencyConflict, also writing nothing."""
    now = now or clock.now()
    amount = callback.amount_rp
    if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= MAX_AMOUNT_RP:
        raise AmountInvalid(amount)
    existing = BankCredit.objects.filter(ref=callback.ref).first()
    if existing is not None:
        return _replay(existing, callback)
    try:
        with transaction.atomic():
            return CreditOutcome(_receive(callback, channel, actor, now))
    except IntegrityError:
        # A concurrent request with the same reference committed first.
        existing = BankCredit.objects.filter(ref=callback.ref).first()
        if existing is None:
            raise
        return _replay(existing, callback)


def _lock_suspense(credit: BankCredit) -> BankCredit:
    locked = (
        BankCredit.objects.select_for_update(of=("self",)).select_related("site").get(pk=credit.pk)
    )
    if locked.status != BankCreditStatus.SUSPENSE:
        raise BankError.resolved()
    return locked


@transaction.atomic
def suspense_assign(
    *, credit: BankCredit, inmate: Inmate, actor: User, note: str, now: dt.datetime | None = None
) -> BatchResult:
    """Move suspense money to an inmate, like a deposit (cap: the rest to HELD)."""
    now = now or clock.now()
    if not note.strip():
        raise CorrectionError.reason_required()
    locked = _lock_suspense(credit)
    if inmate.site_id != locked.site_id:
        raise CrossSite()
    if inmate.status != InmateStatus.ACTIVE:
        raise InmateInactive()
    result = deposit_credit(
        inmate=inmate,
        amount_rp=locked.amount_rp,
        source=system_account(site=locked.site, kind=AccountKind.SUSPENSE),
        idempotency_key=f"bank-assign:{locked.ref}",
        actor=actor,
        terminal="bank",
        reference=f"bank:{locked.ref}",
        enforce_rules=False,
        now=now,
    )
    BankCredit.objects.filter(pk=locked.pk).update(
        status=BankCreditStatus.ASSIGNED,
        inmate=inmate,
        held_rp=_held_part(result, inmate),
        resolution_batch=result.batch,
        resolved_by=actor,
        resolved_at=now,
        resolution_note=note.strip(),
    )
    audit_append(
        action="wallet.bank_suspense_assign",
        site=locked.site,
        actor=actor,
        obj=locked,
        data={"ref": locked.ref, "inmate": inmate.pk, "amount_rp": locked.amount_rp, "note": note},
    )
    credit.refresh_from_db()
    return result


@transaction.atomic
def suspense_return(
    *, credit: BankCredit, actor: User, reason: str, now: dt.datetime | None = None
) -> BatchResult:
    """Record that suspense money goes back to the payer: SUSPENSE -> BANK_CLEARING."""
    now = now or clock.now()
    if not reason.strip():
        raise CorrectionError.reason_required()
    locked = _lock_suspense(credit)
    site = locked.site
    result = batch_post(
        site=site,
        idempotency_key=f"bank-return:{locked.ref}",
        transfers=[
            TransferSpec(
                debit=system_account(site=site, kind=AccountKind.SUSPENSE),
                credit=system_account(site=site, kind=AccountKind.BANK_CLEARING),
                amount_rp=locked.amount_rp,
                kind=TransferKind.SUSPENSE,
                reference=f"bank-return:{locked.ref}",
            )
        ],
        actor=actor,
        kind=TransferKind.SUSPENSE,
        terminal="bank",
        reference=f"bank-return:{locked.ref}",
        now=now,
    )
    BankCredit.objects.filter(pk=locked.pk).update(
        status=BankCreditStatus.RETURNED,
        resolution_batch=result.batch,
        resolved_by=actor,
        resolved_at=now,
        resolution_note=reason.strip(),
    )
    audit_append(
        action="wallet.bank_suspense_return",
        site=site,
        actor=actor,
        obj=locked,
        data={"ref": locked.ref, "amount_rp": locked.amount_rp, "reason": reason.strip()},
    )
    credit.refresh_from_db()
    return result
