"""An inmate leaving: release (pay everything out, close the accounts, release the inmate and
retire the card — one transaction) and transfer to another site of this installation (the
balances move with the inmate, through each site's INTERSITE account).

Pending holds are voided first (their money is paid out / moved with the rest). A frozen
account blocks both: unfreeze it (with a reason) before paying out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pandai.core.calendar import site_today
from pandai.core.models import Site, User
from pandai.inmates import services as inmate_services
from pandai.inmates.models import Inmate
from pandai.wallet import clock
from pandai.wallet.accounts import (
    InmateAccounts,
    inmate_accounts_open,
    lock_inmate_accounts,
    system_account,
)
from pandai.wallet.errors import LedgerError
from pandai.wallet.models import (
    INMATE_KINDS,
    Account,
    AccountKind,
    AccountStatus,
    Transfer,
    TransferKind,
)
from pandai.wallet.planning import Plan
from pandai.wallet.posting import BatchResult, TransferSpec, begin, commit
from pandai.wallet.rules import rules_for

PAYOUT_METHODS = ("cash", "bank")


@dataclass
class PayoutResult:
    result: BatchResult
    spendable_rp: int
    savings_rp: int
    held_rp: int
    voided_holds: list[int] = field(default_factory=list)

    @property
    def total_rp(self) -> int:
        return self.spendable_rp + self.savings_rp + self.held_rp


def _pending_holds(accounts: InmateAccounts) -> list[Transfer]:
    return list(
        Transfer.objects.select_for_update(no_key=True)
        .filter(debit_account=accounts.spendable, kind=TransferKind.HOLD, state="pending")
        .order_by("pk")
    )


def _empty_out(
    accounts: InmateAccounts, target: Account, kind: str, reference: str
) -> tuple[list[TransferSpec], dict[str, int]]:
    """Transfers that move every posted balance of the inmate to `target`."""
    amounts = {a.kind: a.balance_rp for a in accounts.all()}
    specs = [
        TransferSpec(debit=a, credit=target, amount_rp=a.balance_rp, kind=kind, reference=reference)
        for a in accounts.all()
        if a.balance_rp > 0
    ]
    return specs, amounts


def _close(accounts: InmateAccounts, now: dt.datetime) -> None:
    ids = [a.pk for a in accounts.all()]
    high = Transfer.objects.aggregate(high=Max("pk"))["high"] or 0
    Account.objects.filter(pk__in=ids).update(
        status=AccountStatus.CLOSED, closed_at=now, closed_max_transfer_id=high
    )
    for account in accounts.all():
        account.status = AccountStatus.CLOSED
        account.closed_at = now


@transaction.atomic
def release_payout(
    *,
    inmate: Inmate,
    method: str,
    actor: User,
    counter_account: Account | None = None,
    date: dt.date | None = None,
    bank_reference: str = "",
    terminal: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> PayoutResult:
    """Pay out SPENDABLE + SAVINGS + HELD (cash from `counter_account`, a CASH_DRAWER, or by
    bank through the site's PAYOUT account), close the three accounts and release the inmate
    (inmates.services.inmate_release retires the card) — all or nothing."""
    now = now or clock.now()
    if method not in PAYOUT_METHODS:
        raise ValueError(f"payout method must be one of {PAYOUT_METHODS}")
    site = inmate.site
    if method == "cash":
        if counter_account is None or counter_account.kind != AccountKind.CASH_DRAWER:
            error = LedgerError(_("Pilih loket kas untuk pembayaran tunai."))
            error.code = "counter_required"
            raise error
        target = counter_account
    else:
        target = system_account(site=site, kind=AccountKind.PAYOUT)
    reference = f"release:{inmate.pk}" + (f":{bank_reference}" if bank_reference else "")
    started = begin(
        site=site,
        idempotency_key=f"release:{inmate.pk}",
        request={"op": "release", "inmate": inmate.pk, "method": method, "target": target.pk},
        kind=TransferKind.PAYOUT,
        now=now,
        actor=actor,
        terminal=terminal,
        reference=reference,
        inmate=inmate,
    )
    if isinstance(started, BatchResult):
        return _replayed_payout(started)
    accounts = lock_inmate_accounts(inmate=inmate)
    holds = _pending_holds(accounts)
    specs, amounts = _empty_out(accounts, target, TransferKind.PAYOUT, reference)
    result = commit(
        started,
        specs,
        locked=accounts.by_id(),
        now=now,
        resolutions=[(h, "voided") for h in holds],
        spendable=accounts.spendable,
        audit_data={"method": method, "closes": [a.pk for a in accounts.all()], "note": note},
    )
    _close(accounts, now)
    inmate_services.inmate_release(
        inmate=inmate,
        date=date or site_today(site, now),
        actor=actor,
        note=note,
        money_settled=True,
    )
    return PayoutResult(
        result=result,
        spendable_rp=amounts[AccountKind.SPENDABLE],
        savings_rp=amounts[AccountKind.SAVINGS],
        held_rp=amounts[AccountKind.HELD],
        voided_holds=[h.pk for h in holds],
    )


def _replayed_payout(result: BatchResult) -> PayoutResult:
    kinds = dict(
        Account.objects.filter(pk__in=[t.debit_account_id for t in result.transfers]).values_list(
            "pk", "kind"
        )
    )
    amounts: dict[str, int] = {k: 0 for k in INMATE_KINDS}
    for t in result.transfers:
        amounts[kinds[t.debit_account_id]] += t.amount_rp
    return PayoutResult(
        result=result,
        spendable_rp=amounts[AccountKind.SPENDABLE],
        savings_rp=amounts[AccountKind.SAVINGS],
        held_rp=amounts[AccountKind.HELD],
    )


@dataclass
class SiteTransferResult:
    inmate: Inmate  # the new record at the receiving site
    out: BatchResult | None
    into: BatchResult | None
    moved_rp: int


@transaction.atomic
def site_transfer(
    *,
    inmate: Inmate,
    to_site: Site,
    date: dt.date,
    actor: User,
    note: str = "",
    now: dt.datetime | None = None,
) -> SiteTransferResult:
    """Transfer the inmate (inmates.services.inmate_transfer) and move the balances: out of
    the old accounts into this site's INTERSITE account, and from the receiving site's
    INTERSITE account into the new record's accounts (SPENDABLE up to that site's cap, the
    rest HELD; SAVINGS to SAVINGS). The old accounts close."""
    now = now or clock.now()
    old_site = inmate.site
    has_accounts = Account.objects.filter(inmate=inmate).exists()
    accounts = lock_inmate_accounts(inmate=inmate, open_missing=False) if has_accounts else None
    moved = inmate_services.inmate_transfer(
        inmate=inmate, to_site=to_site, date=date, actor=actor, note=note, money_settled=True
    )
    if accounts is None:
        return SiteTransferResult(moved, None, None, 0)
    holds = _pending_holds(accounts)
    out_account = system_account(site=old_site, kind=AccountKind.INTERSITE)
    reference = f"site-transfer:{inmate.pk}:{moved.pk}"
    started = begin(
        site=old_site,
        idempotency_key=f"site-transfer-out:{inmate.pk}",
        request={"op": "site_transfer_out", "inmate": inmate.pk, "to": moved.pk},
        kind=TransferKind.SITE_TRANSFER,
        now=now,
        actor=actor,
        reference=reference,
        inmate=inmate,
    )
    assert not isinstance(started, BatchResult)  # inmate_transfer succeeded only now
    specs, amounts = _empty_out(accounts, out_account, TransferKind.SITE_TRANSFER, reference)
    out = commit(
        started,
        specs,
        locked=accounts.by_id(),
        now=now,
        resolutions=[(h, "voided") for h in holds],
        spendable=accounts.spendable,
        audit_data={"to_site": to_site.pk, "new_inmate": moved.pk},
    )
    _close(accounts, now)
    inmate_accounts_open(inmate=moved)
    new_accounts = lock_inmate_accounts(inmate=moved)
    in_account = system_account(site=to_site, kind=AccountKind.INTERSITE)
    rules = rules_for(site=to_site)
    started_in = begin(
        site=to_site,
        idempotency_key=f"site-transfer-in:{moved.pk}",
        request={"op": "site_transfer_in", "inmate": moved.pk, "from": inmate.pk},
        kind=TransferKind.SITE_TRANSFER,
        now=now,
        actor=actor,
        reference=reference,
        inmate=moved,
    )
    assert not isinstance(started_in, BatchResult)
    plan = Plan(new_accounts, rules)
    spend = amounts[AccountKind.SPENDABLE] + amounts[AccountKind.HELD]
    if spend > 0:
        plan.credit_inmate(
            source=in_account, amount_rp=spend, kind=TransferKind.SITE_TRANSFER, reference=reference
        )
    if amounts[AccountKind.SAVINGS] > 0:
        plan.add(
            TransferSpec(
                debit=in_account,
                credit=new_accounts.savings,
                amount_rp=amounts[AccountKind.SAVINGS],
                kind=TransferKind.SITE_TRANSFER,
                reference=reference,
            )
        )
    into = commit(
        started_in,
        plan.specs,
        locked=new_accounts.by_id(),
        now=now,
        rules=rules,
        spendable=new_accounts.spendable,
        audit_data={"from_site": old_site.pk, "old_inmate": inmate.pk},
    )
    return SiteTransferResult(moved, out, into, sum(amounts.values()))
