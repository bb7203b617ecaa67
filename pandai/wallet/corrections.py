"""Corrections: posted transfers are never edited. A mistake is undone by a REVERSAL (a new
transfer the other way, at most one per transfer); any other correction is an ADJUSTMENT
that one officer requests with a written reason and another officer approves (maker is not
checker) before it is posted against the site's ADJUSTMENT account."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from pandai.core.audit import audit_append
from pandai.core.models import User
from pandai.wallet import clock
from pandai.wallet.accounts import InmateAccounts, lock_inmate_accounts, system_account
from pandai.wallet.errors import CorrectionError, InsufficientFunds
from pandai.wallet.models import (
    Account,
    AccountKind,
    AccountStatus,
    AdjustmentRequest,
    AdjustmentStatus,
    Transfer,
    TransferKind,
    TransferState,
)
from pandai.wallet.planning import Plan
from pandai.wallet.posting import BatchResult, TransferSpec, begin, check_amount, commit
from pandai.wallet.rules import rules_for
from pandai.wallet.spending import refundable_rp

# Holds are voided, not reversed; internal moves between an inmate's own accounts and the
# moves of a release or site transfer are not business events one can undo.
NOT_REVERSIBLE = (
    TransferKind.HOLD,
    TransferKind.REVERSAL,
    TransferKind.HELD_RELEASE,
    TransferKind.CAP_OVERFLOW,
    TransferKind.SITE_TRANSFER,
    TransferKind.PAYOUT,
)


def _owner_accounts(*accounts: Account) -> InmateAccounts | None:
    owners = sorted({a.inmate_id for a in accounts if a.inmate_id is not None})
    if len(owners) > 1:
        raise CorrectionError.not_reversible()
    return lock_inmate_accounts(inmate=owners[0], open_missing=False) if owners else None


@transaction.atomic
def transfer_reverse(
    *,
    transfer: Transfer,
    actor: User | None,
    reason: str,
    idempotency_key: str | None = None,
    terminal: str = "",
    now: dt.datetime | None = None,
) -> BatchResult:
    """Undo a posted transfer with a REVERSAL of the same amount the other way. Refused if it
    was already reversed, if it is a hold or a reversal, or if the money is no longer there
    (e.g. a deposit already spent: insufficient_funds). A reversed purchase gives its limit
    back; money the reversal puts above the cap goes to HELD."""
    now = now or clock.now()
    if not reason.strip():
        raise CorrectionError.reason_required()
    original = Transfer.objects.select_related("site").get(pk=transfer.pk)
    if original.kind in NOT_REVERSIBLE or original.state != TransferState.POSTED:
        raise CorrectionError.not_reversible()
    started = begin(
        site=original.site,
        idempotency_key=idempotency_key or f"reverse:{original.pk}",
        request={"op": "reverse", "transfer": original.pk},
        kind=TransferKind.REVERSAL,
        now=now,
        actor=actor,
        terminal=terminal,
        reference=f"reverse:{original.pk}",
    )
    if isinstance(started, BatchResult):
        return started
    debit = Account.objects.get(pk=original.credit_account_id)
    credit = Account.objects.get(pk=original.debit_account_id)
    owned = _owner_accounts(debit, credit)
    if owned is not None:
        # Use the locked rows for the inmate's side.
        debit = owned.by_id().get(debit.pk, debit)
        credit = owned.by_id().get(credit.pk, credit)
    if Transfer.objects.filter(reverses=original).exists():
        raise CorrectionError.already_reversed()
    if original.kind == TransferKind.PURCHASE and refundable_rp(original) < original.amount_rp:
        raise CorrectionError.already_refunded()
    limit = {}
    if original.limit_account_id is not None:
        limit = {
            "limit_account": Account.objects.get(pk=original.limit_account_id),
            "limit_day": original.limit_day,
            "limit_delta_rp": -original.limit_delta_rp,
        }
    spec = TransferSpec(
        debit=debit,
        credit=credit,
        amount_rp=original.amount_rp,
        kind=TransferKind.REVERSAL,
        reverses=original,
        reference=f"reverse:{original.pk}",
        **limit,  # type: ignore[arg-type]
    )
    if (
        owned is not None
        and debit.pk == owned.spendable.pk
        and debit.status == AccountStatus.OPEN
        and debit.available_rp < original.amount_rp
    ):
        # As for a purchase: the money must be in SPENDABLE now; HELD money released into the
        # room the reversal makes must not pay for the reversal itself.
        raise InsufficientFunds(debit.available_rp, debit.pk)
    if owned is None:
        specs, locked, spendable, rules = [spec], {}, None, None
    else:
        rules = rules_for(site=original.site)
        plan = Plan(owned, rules)
        plan.add(spec)
        plan.sweep_over_cap()
        plan.release_held()
        specs, locked, spendable = plan.specs, owned.by_id(), owned.spendable
    return commit(
        started,
        specs,
        locked=locked,
        now=now,
        rules=rules,
        spendable=spendable,
        audit_data={"reverses": original.pk, "reason": reason.strip()},
    )


@transaction.atomic(durable=True)
def adjustment_request(
    *,
    account: Account,
    credit: bool,
    amount_rp: int,
    reason: str,
    actor: User,
    now: dt.datetime | None = None,
) -> AdjustmentRequest:
    """Propose a correction of `account` (credit=True adds money). Nothing moves until a
    different officer approves it."""
    check_amount(amount_rp)
    if not reason.strip():
        raise CorrectionError.reason_required()
    request = AdjustmentRequest.objects.create(
        site_id=account.site_id,
        account=account,
        credit=credit,
        amount_rp=amount_rp,
        reason=reason.strip(),
        requested_by=actor,
        requested_at=now or clock.now(),
    )
    audit_append(
        action="wallet.adjustment_request",
        site=request.site,
        actor=actor,
        obj=request,
        data={
            "account": account.pk,
            "credit": credit,
            "amount_rp": amount_rp,
            "reason": request.reason,
        },
    )
    return request


def _lock_request(request: AdjustmentRequest, actor: User) -> AdjustmentRequest:
    locked = AdjustmentRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != AdjustmentStatus.REQUESTED:
        raise CorrectionError.not_requested()
    if locked.requested_by_id == actor.pk:
        raise CorrectionError.maker_checker()
    return locked


@transaction.atomic(durable=True)
def adjustment_approve(
    *, request: AdjustmentRequest, actor: User, terminal: str = "", now: dt.datetime | None = None
) -> BatchResult:
    """A second officer approves: the adjustment is posted (checked like any transfer)."""
    now = now or clock.now()
    locked = _lock_request(request, actor)
    site = locked.site
    account = Account.objects.get(pk=locked.account_id)
    counter = system_account(site=site, kind=AccountKind.ADJUSTMENT)
    started = begin(
        site=site,
        idempotency_key=f"adjustment:{locked.pk}",
        request={"op": "adjustment", "request": locked.pk},
        kind=TransferKind.ADJUSTMENT,
        now=now,
        actor=actor,
        terminal=terminal,
        reference=f"adjustment:{locked.pk}",
        inmate=account.inmate,
    )
    assert not isinstance(started, BatchResult)  # the request row is locked and undecided
    owned = _owner_accounts(account)
    if owned is None:
        debit, credit = (counter, account) if locked.credit else (account, counter)
        specs = [TransferSpec(debit, credit, locked.amount_rp, TransferKind.ADJUSTMENT)]
        result = commit(started, specs, locked={}, now=now)
    else:
        rules = rules_for(site=site)
        plan = Plan(owned, rules)
        target = owned.by_id()[account.pk]
        if locked.credit and target.kind == AccountKind.SPENDABLE:
            plan.credit_inmate(
                source=counter, amount_rp=locked.amount_rp, kind=TransferKind.ADJUSTMENT
            )
        else:
            debit, credit = (counter, target) if locked.credit else (target, counter)
            plan.add(TransferSpec(debit, credit, locked.amount_rp, TransferKind.ADJUSTMENT))
            plan.release_held()
        result = commit(
            started,
            plan.specs,
            locked=owned.by_id(),
            now=now,
            rules=rules,
            spendable=owned.spendable,
            audit_data={"adjustment": locked.pk, "reason": locked.reason},
        )
    AdjustmentRequest.objects.filter(pk=locked.pk).update(
        status=AdjustmentStatus.APPROVED, decided_by=actor, decided_at=now, batch=result.batch
    )
    request.status = AdjustmentStatus.APPROVED
    return result


@transaction.atomic(durable=True)
def adjustment_reject(
    *, request: AdjustmentRequest, actor: User, reason: str, now: dt.datetime | None = None
) -> None:
    if not reason.strip():
        raise CorrectionError.reason_required()
    locked = _lock_request(request, actor)
    AdjustmentRequest.objects.filter(pk=locked.pk).update(
        status=AdjustmentStatus.REJECTED,
        decided_by=actor,
        decided_at=now or clock.now(),
        decision_note=reason.strip(),
    )
    request.status = AdjustmentStatus.REJECTED
    audit_append(
        action="wallet.adjustment_reject",
        site=locked.site,
        actor=actor,
        obj=locked,
        data={"reason": reason.strip()},
    )
