"""Money out to the shop: purchases (checked against balance and spending limits) and
refunds (which give the spent limit back on the day of the purchase they refund)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from pandai.core.calendar import site_today
from pandai.core.models import Site, User
from pandai.inmates.models import Inmate
from pandai.wallet import clock, sql
from pandai.wallet.accounts import inmate_accounts_locked, lock_inmate_accounts, system_account
from pandai.wallet.errors import CorrectionError, InsufficientFunds, LedgerError
from pandai.wallet.models import (
    Account,
    AccountKind,
    AccountStatus,
    Batch,
    Transfer,
    TransferKind,
    TransferState,
)
from pandai.wallet.planning import Plan
from pandai.wallet.posting import (
    BatchResult,
    TransferSpec,
    begin,
    begin_locking,
    begin_locking_with_rules,
    check_amount,
    commit,
)
from pandai.wallet.rules import Rules, rules_for, rules_of, with_exception


def _begin_purchase(
    *,
    site: Site,
    inmate: Inmate,
    amount_rp: int,
    idempotency_key: str,
    actor: User | None,
    terminal: str,
    reference: str,
    shop_account: Account | None,
    now: dt.datetime,
) -> tuple[Batch | BatchResult, list[Account], Rules, Account]:
    """Claim the key and lock the inmate's accounts, with the rules in force and the shop's
    sales account: on PostgreSQL (the site's own shop account) all in one statement."""
    request = {
        "op": "purchase",
        "inmate": inmate.pk,
        "amount": amount_rp,
        # The site's shop account unless another is named: the same request either way.
        "shop": shop_account.pk if shop_account is not None else None,
        "reference": reference,
    }
    common: dict[str, Any] = {
        "site": site,
        "idempotency_key": idempotency_key,
        "request": request,
        "kind": TransferKind.PURCHASE,
        "now": now,
        "actor": actor,
        "terminal": terminal,
        "reference": reference,
        "inmate": inmate,
    }
    if shop_account is None and connection.vendor == "postgresql":
        started, locked, rules, shop = begin_locking_with_rules(
            **common, system_kind=AccountKind.SHOP_SALES
        )
        if shop is None and not isinstance(started, BatchResult):
            shop = system_account(site=site, kind=AccountKind.SHOP_SALES)
        return started, locked, rules, shop  # type: ignore[return-value]  # None only on replay
    settings, exc, found = sql.purchase_context(site.pk, inmate.pk, now, AccountKind.SHOP_SALES, "")
    rules = with_exception(Rules() if settings is None else rules_of(settings), exc)
    shop = shop_account or found or system_account(site=site, kind=AccountKind.SHOP_SALES)
    started, locked = begin_locking(**common, limits=rules)
    return started, locked, rules, shop


def _purchase(
    *,
    inmate: Inmate,
    amount_rp: int,
    idempotency_key: str,
    actor: User | None,
    terminal: str = "",
    reference: str = "",
    shop_account: Account | None = None,
    now: dt.datetime | None = None,
) -> BatchResult:
    """Pay the shop from the inmate's SPENDABLE. Refused (nothing written) when the account
    is closed or frozen, the available balance (minus pending holds) is short, or the daily /
    monthly limit would be passed. HELD money then fills any room below the cap."""
    now = now or clock.now()
    check_amount(amount_rp)
    started, locked, rules, shop = _begin_purchase(
        site=inmate.site,
        inmate=inmate,
        amount_rp=amount_rp,
        idempotency_key=idempotency_key,
        actor=actor,
        terminal=terminal,
        reference=reference,
        shop_account=shop_account,
        now=now,
    )
    if isinstance(started, BatchResult):
        return started
    accounts = inmate_accounts_locked(inmate=inmate, rows=locked)
    # Only SPENDABLE money pays: HELD money released into the room this purchase makes must not
    # pay for the purchase itself (the batch's net check alone would let it).
    # (A closed or frozen account is refused as such by the batch's own checks.)
    available = accounts.spendable.available_rp
    if accounts.spendable.status == AccountStatus.OPEN and available < amount_rp:
        raise InsufficientFunds(available, accounts.spendable.pk)
    plan = Plan(accounts, rules)
    plan.add(
        TransferSpec(
            debit=accounts.spendable,
            credit=shop,
            amount_rp=amount_rp,
            kind=TransferKind.PURCHASE,
            limit_account=accounts.spendable,
            limit_day=site_today(inmate.site, now),
            limit_delta_rp=amount_rp,
            check_limit=True,
        )
    )
    plan.release_held()
    return commit(
        started,
        plan.specs,
        locked=accounts.by_id(),
        now=now,
        rules=rules,
        spendable=accounts.spendable,
    )


purchase = transaction.atomic(_purchase)

# The same inside a caller's transaction that is undone whole when the purchase is refused
# (the shop's checkout): no savepoint of its own -- two statements fewer per sale, and on
# PostgreSQL two round trips. Outside a transaction it opens one, as `purchase` does.
purchase_inside = transaction.atomic(savepoint=False)(_purchase)


def refundable_rp(purchase: Transfer) -> int:
    """What of a purchase can still be refunded (nothing once it was reversed)."""
    if Transfer.objects.filter(reverses=purchase).exists():
        return 0
    refunded = (
        Transfer.objects.filter(origin=purchase, kind=TransferKind.REFUND).aggregate(
            total=Sum("amount_rp")
        )["total"]
        or 0
    )
    reversed_refunds = (
        Transfer.objects.filter(
            reverses__origin=purchase, reverses__kind=TransferKind.REFUND
        ).aggregate(total=Sum("amount_rp"))["total"]
        or 0
    )
    return purchase.amount_rp - refunded + reversed_refunds


@transaction.atomic
def refund(
    *,
    inmate: Inmate,
    amount_rp: int,
    idempotency_key: str,
    actor: User | None,
    purchase: Transfer | None = None,
    terminal: str = "",
    reference: str = "",
    shop_account: Account | None = None,
    now: dt.datetime | None = None,
) -> BatchResult:
    """Give money back from the shop. With `purchase` (the PURCHASE transfer refunded) the
    refund is at most what is left of it and the limit comes back on that purchase's day;
    without it, on today. Over the cap the refund lands in HELD."""
    now = now or clock.now()
    check_amount(amount_rp)
    site = inmate.site
    rules = rules_for(site=site)
    shop = shop_account or system_account(site=site, kind=AccountKind.SHOP_SALES)
    if purchase is not None and (
        purchase.kind != TransferKind.PURCHASE
        or purchase.state != TransferState.POSTED
        or purchase.credit_account_id != shop.pk
    ):
        error = LedgerError(_("Itu bukan transaksi belanja di koperasi ini."))
        error.code = "not_a_purchase"
        raise error
    started = begin(
        site=site,
        idempotency_key=idempotency_key,
        request={
            "op": "refund",
            "inmate": inmate.pk,
            "amount": amount_rp,
            "purchase": purchase.pk if purchase else None,
            "shop": shop.pk,
            "reference": reference,
        },
        kind=TransferKind.REFUND,
        now=now,
        actor=actor,
        terminal=terminal,
        reference=reference,
        inmate=inmate,
    )
    if isinstance(started, BatchResult):
        return started
    accounts = lock_inmate_accounts(inmate=inmate, open_missing=False)
    day = site_today(site, now)
    if purchase is not None:
        if purchase.debit_account_id != accounts.spendable.pk:
            error = LedgerError(_("Belanja itu bukan milik WBP ini."))
            error.code = "not_a_purchase"
            raise error
        # Counted under the inmate's lock, so two refunds of one purchase can't both pass.
        left = refundable_rp(purchase)
        if amount_rp > left:
            raise CorrectionError.refund_too_much(left)
        day = purchase.limit_day or day
    plan = Plan(accounts, rules)
    plan.credit_inmate(
        source=shop,
        amount_rp=amount_rp,
        kind=TransferKind.REFUND,
        origin=purchase,
        limit_day=day,
    )
    return commit(
        started,
        plan.specs,
        locked=accounts.by_id(),
        now=now,
        rules=rules,
        spendable=accounts.spendable,
    )
