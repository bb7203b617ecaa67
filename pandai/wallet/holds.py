"""Holds (two-phase transfers): reserve money now, then post it (fully or partly; the rest
is released), void it, or let it expire — exactly once.

A hold is a Transfer of kind HOLD in state `pending`: it adds to the accounts'
debits_pending / credits_pending, so the inmate's available balance already excludes it.
Resolving it sets its state once (posted / voided / expired, a database trigger refuses any
other change) and, when posted, writes a new transfer whose `pending` points at the hold.
The hold row is locked first, then the batch row is written, then the accounts.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.core.calendar import site_today
from pandai.core.models import Site, User
from pandai.inmates.models import Inmate
from pandai.wallet import clock
from pandai.wallet.accounts import lock_inmate_accounts, system_account
from pandai.wallet.errors import HoldError, LedgerError
from pandai.wallet.models import Account, AccountKind, Transfer, TransferKind, TransferState
from pandai.wallet.planning import Plan
from pandai.wallet.posting import BatchResult, TransferSpec, begin, check_amount, commit
from pandai.wallet.rules import rules_for


@transaction.atomic
def hold_create(
    *,
    inmate: Inmate,
    amount_rp: int,
    idempotency_key: str,
    actor: User | None,
    expires_at: dt.datetime,
    credit_account: Account | None = None,
    counts_as_spending: bool = True,
    terminal: str = "",
    reference: str = "",
    now: dt.datetime | None = None,
) -> BatchResult:
    """Reserve `amount_rp` of the inmate's SPENDABLE for `credit_account` (default: the shop)
    until `expires_at`. With `counts_as_spending` it uses today's spending limit at once (a
    void or expiry gives it back). `result.transfers[0]` is the hold."""
    now = now or clock.now()
    check_amount(amount_rp)
    if expires_at <= now:
        error = LedgerError(_("Batas waktu penahanan harus di masa depan."))
        error.code = "hold_expiry_invalid"
        raise error
    site = inmate.site
    rules = rules_for(site=site, inmate=inmate, now=now)
    target = credit_account or system_account(site=site, kind=AccountKind.SHOP_SALES)
    started = begin(
        site=site,
        idempotency_key=idempotency_key,
        request={
            "op": "hold",
            "inmate": inmate.pk,
            "amount": amount_rp,
            "credit": target.pk,
            "expires_at": expires_at.isoformat(),
            "spending": counts_as_spending,
            "reference": reference,
        },
        kind=TransferKind.HOLD,
        now=now,
        actor=actor,
        terminal=terminal,
        reference=reference,
        inmate=inmate,
        limits=rules if counts_as_spending else None,
    )
    if isinstance(started, BatchResult):
        return started
    accounts = lock_inmate_accounts(inmate=inmate)
    limit = {}
    if counts_as_spending:
        limit = {
            "limit_account": accounts.spendable,
            "limit_day": site_today(site, now),
            "limit_delta_rp": amount_rp,
            "check_limit": True,
        }
    spec = TransferSpec(
        debit=accounts.spendable,
        credit=target,
        amount_rp=amount_rp,
        kind=TransferKind.HOLD,
        hold=True,
        expires_at=expires_at,
        **limit,  # type: ignore[arg-type]
    )
    return commit(
        started,
        [spec],
        locked=accounts.by_id(),
        now=now,
        rules=rules,
        spendable=accounts.spendable,
    )


def _lock_hold(hold: Transfer) -> Transfer:
    # Lock the hold row only (not the joined site row, which every batch of the site needs).
    locked = (
        Transfer.objects.select_for_update(of=("self",), no_key=True)
        .select_related("site")
        .get(pk=hold.pk)
    )
    if locked.kind != TransferKind.HOLD:
        raise HoldError.not_a_hold()
    return locked


def _require_pending(hold: Transfer) -> None:
    if hold.state != TransferState.PENDING:
        raise HoldError.resolved(str(TransferState(hold.state).label))


@transaction.atomic
def hold_post(
    *,
    hold: Transfer,
    actor: User | None,
    amount_rp: int | None = None,
    kind: str = TransferKind.PURCHASE,
    idempotency_key: str | None = None,
    terminal: str = "",
    reference: str = "",
    now: dt.datetime | None = None,
) -> BatchResult:
    """Post a pending hold: `amount_rp` (default: all of it) moves for real, the rest of the
    reservation is released. Refused after `expires_at` or once the hold is resolved."""
    now = now or clock.now()
    if kind == TransferKind.HOLD or kind not in TransferKind.values:
        raise ValueError(f"a hold cannot be posted as {kind}")
    locked = _lock_hold(hold)
    amount = locked.amount_rp if amount_rp is None else check_amount(amount_rp)
    site: Site = locked.site
    started = begin(
        site=site,
        idempotency_key=idempotency_key or f"hold-post:{locked.pk}",
        request={"op": "hold_post", "hold": locked.pk, "amount": amount, "kind": str(kind)},
        kind=kind,
        now=now,
        actor=actor,
        terminal=terminal,
        reference=reference or locked.reference,
    )
    if isinstance(started, BatchResult):
        return started
    _require_pending(locked)
    if locked.expires_at is not None and now >= locked.expires_at:
        raise HoldError.expired()
    if amount > locked.amount_rp:
        raise HoldError.too_much(locked.amount_rp)
    debit = Account.objects.get(pk=locked.debit_account_id)
    credit = Account.objects.get(pk=locked.credit_account_id)
    accounts = lock_inmate_accounts(inmate=debit.inmate_id or 0, open_missing=False)
    rules = rules_for(site=site)
    plan = Plan(accounts, rules)
    plan.add(
        TransferSpec(
            debit=accounts.spendable,
            credit=credit,
            amount_rp=amount,
            kind=kind,
            reference=reference or locked.reference,
            pending=locked,
            limit_account=accounts.spendable if locked.limit_account_id else None,
            limit_day=locked.limit_day,
            limit_delta_rp=amount if locked.limit_account_id else 0,
        )
    )
    plan.release_held()
    return commit(
        started,
        plan.specs,
        locked=accounts.by_id(),
        now=now,
        rules=rules,
        resolutions=[(locked, TransferState.POSTED)],
        spendable=accounts.spendable,
        audit_data={"hold": locked.pk, "hold_rp": locked.amount_rp, "posted_rp": amount},
    )


def _release(
    *, hold: Transfer, state: str, actor: User | None, key: str, now: dt.datetime, reason: str
) -> BatchResult:
    locked = _lock_hold(hold)
    started = begin(
        site=locked.site,
        idempotency_key=key,
        request={"op": f"hold_{state}", "hold": locked.pk},
        kind=f"hold_{state}",
        now=now,
        actor=actor,
        reference=locked.reference,
    )
    if isinstance(started, BatchResult):
        return started
    _require_pending(locked)
    accounts = lock_inmate_accounts(
        inmate=Account.objects.values_list("inmate_id", flat=True).get(pk=locked.debit_account_id),
        open_missing=False,
    )
    return commit(
        started,
        [],
        locked=accounts.by_id(),
        now=now,
        resolutions=[(locked, state)],
        spendable=accounts.spendable,
        audit_data={"hold": locked.pk, "hold_rp": locked.amount_rp, "reason": reason},
    )


@transaction.atomic
def hold_void(
    *,
    hold: Transfer,
    actor: User | None,
    reason: str = "",
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> BatchResult:
    """Cancel a pending hold: the reservation is released, nothing moves."""
    return _release(
        hold=hold,
        state=TransferState.VOIDED,
        actor=actor,
        key=idempotency_key or f"hold-void:{hold.pk}",
        now=now or clock.now(),
        reason=reason,
    )


def holds_expire(*, now: dt.datetime | None = None, site: Site | None = None) -> int:
    """Expire every pending hold whose deadline has passed (one short transaction each, for a
    periodic job). Returns how many expired."""
    now = now or clock.now()
    due = Transfer.objects.filter(state=TransferState.PENDING, expires_at__lte=now)
    if site is not None:
        due = due.filter(site=site)
    count = 0
    for pk in list(due.order_by("expires_at", "pk").values_list("pk", flat=True)):
        with transaction.atomic():
            hold = Transfer.objects.select_for_update(no_key=True).get(pk=pk)
            if hold.state != TransferState.PENDING:
                continue  # resolved meanwhile by someone else
            _release(
                hold=hold,
                state=TransferState.EXPIRED,
                actor=None,
                key=f"hold-expire:{pk}",
                now=now,
                reason="expired",
            )
            count += 1
    return count
