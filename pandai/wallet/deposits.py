"""Money in: deposits (counter cash, bank, suspense), premi with its savings share, and the
release of HELD money when SPENDABLE has room.

Counter deposits (source = a counter's CASH_DRAWER) obey the site's maximum per deposit and
deposits per inmate per day; bank and suspense money cannot be refused, so those rules don't
apply to them (money over the cap still goes to HELD).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F

from pandai.core.calendar import site_day_bounds, site_today
from pandai.core.models import Site, User
from pandai.inmates.models import Inmate
from pandai.wallet import clock
from pandai.wallet.accounts import lock_inmate_accounts, system_account
from pandai.wallet.errors import DepositRefused
from pandai.wallet.models import Account, AccountKind, Batch, TransferKind
from pandai.wallet.planning import Plan
from pandai.wallet.posting import BatchResult, TransferSpec, begin, check_amount, commit
from pandai.wallet.rules import rules_for

DEPOSIT_SOURCES = (AccountKind.CASH_DRAWER, AccountKind.BANK_CLEARING, AccountKind.SUSPENSE)


@transaction.atomic
def deposit_credit(
    *,
    inmate: Inmate,
    amount_rp: int,
    source: Account,
    idempotency_key: str,
    actor: User | None,
    terminal: str = "",
    reference: str = "",
    enforce_rules: bool | None = None,
    now: dt.datetime | None = None,
) -> BatchResult:
    """Credit a deposit: SPENDABLE up to the cap, the rest to HELD; debits `source` (a
    counter's CASH_DRAWER, BANK_CLEARING or SUSPENSE). `enforce_rules` (default: only for
    cash drawers) applies the maximum per deposit and the deposits per day."""
    now = now or clock.now()
    check_amount(amount_rp)
    if source.kind not in DEPOSIT_SOURCES:
        raise ValueError(f"a deposit cannot come from a {source.kind} account")
    site = inmate.site
    rules = rules_for(site=site)
    enforce = source.kind == AccountKind.CASH_DRAWER if enforce_rules is None else enforce_rules
    if enforce and rules.max_deposit_rp is not None and amount_rp > rules.max_deposit_rp:
        raise DepositRefused.too_large(rules.max_deposit_rp)
    started = begin(
        site=site,
        idempotency_key=idempotency_key,
        request={
            "op": "deposit",
            "inmate": inmate.pk,
            "amount": amount_rp,
            "source": source.pk,
            "reference": reference,
        },
        kind=TransferKind.DEPOSIT,
        now=now,
        actor=actor,
        terminal=terminal,
        reference=reference,
        inmate=inmate,
    )
    if isinstance(started, BatchResult):
        return started
    accounts = lock_inmate_accounts(inmate=inmate)
    if enforce and rules.max_deposits_per_day is not None:
        start, end = site_day_bounds(site, site_today(site, now))
        # Counted under the inmate's lock; includes this batch's own row.
        today = Batch.objects.filter(
            inmate=inmate, kind=TransferKind.DEPOSIT, created_at__gte=start, created_at__lt=end
        ).count()
        if today > rules.max_deposits_per_day:
            raise DepositRefused.too_many(rules.max_deposits_per_day)
    plan = Plan(accounts, rules)
    plan.credit_inmate(source=source, amount_rp=amount_rp, kind=TransferKind.DEPOSIT)
    return commit(
        started,
        plan.specs,
        locked=accounts.by_id(),
        now=now,
        rules=rules,
        spendable=accounts.spendable,
    )


@transaction.atomic
def premi_credit(
    *,
    inmate: Inmate,
    amount_rp: int,
    idempotency_key: str,
    actor: User | None,
    reference: str = "",
    terminal: str = "",
    now: dt.datetime | None = None,
) -> BatchResult:
    """Pay premi from the site's PREMI_EXPENSE: the site's savings share (floor of the
    percentage) to SAVINGS and the rest to SPENDABLE (over the cap: HELD), in one batch."""
    now = now or clock.now()
    check_amount(amount_rp)
    site = inmate.site
    rules = rules_for(site=site)
    expense = system_account(site=site, kind=AccountKind.PREMI_EXPENSE)
    started = begin(
        site=site,
        idempotency_key=idempotency_key,
        request={"op": "premi", "inmate": inmate.pk, "amount": amount_rp, "reference": reference},
        kind=TransferKind.PREMI,
        now=now,
        actor=actor,
        terminal=terminal,
        reference=reference,
        inmate=inmate,
    )
    if isinstance(started, BatchResult):
        return started
    accounts = lock_inmate_accounts(inmate=inmate)
    savings = amount_rp * rules.savings_share_pct // 100
    plan = Plan(accounts, rules)
    if amount_rp - savings > 0:
        plan.credit_inmate(source=expense, amount_rp=amount_rp - savings, kind=TransferKind.PREMI)
    if savings > 0:
        plan.add(
            TransferSpec(
                debit=expense,
                credit=accounts.savings,
                amount_rp=savings,
                kind=TransferKind.SAVINGS_SPLIT,
            )
        )
    return commit(
        started,
        plan.specs,
        locked=accounts.by_id(),
        now=now,
        rules=rules,
        spendable=accounts.spendable,
        audit_data={"savings_share_pct": rules.savings_share_pct},
    )


def _rebalance(*, inmate_id: int, actor: User | None, now: dt.datetime) -> BatchResult | None:
    accounts = lock_inmate_accounts(inmate=inmate_id, open_missing=False)
    site = accounts.spendable.site
    plan = Plan(accounts, rules_for(site=site))
    plan.sweep_over_cap()
    plan.release_held()
    if not plan.specs:
        return None
    key = f"rebalance:{accounts.spendable.pk}:{accounts.spendable.version}:{accounts.held.version}"
    started = begin(
        site=site,
        idempotency_key=key,
        request={"op": "rebalance", "key": key},
        kind=TransferKind.HELD_RELEASE,
        now=now,
        actor=actor,
        inmate=accounts.spendable.inmate,
    )
    if isinstance(started, BatchResult):
        return started
    return commit(
        started,
        plan.specs,
        locked=accounts.by_id(),
        now=now,
        rules=plan.rules,
        spendable=accounts.spendable,
    )


@transaction.atomic
def held_release(
    *, inmate: Inmate, actor: User | None = None, now: dt.datetime | None = None
) -> BatchResult | None:
    """Release HELD money into SPENDABLE's room, oldest first (and move anything above the
    cap to HELD). Purchases and other debits already do this; this is for a job or a button.
    Returns None when there is nothing to move."""
    return _rebalance(inmate_id=inmate.pk, actor=actor, now=now or clock.now())


def cap_rebalance_site(
    *, site: Site, actor: User | None = None, now: dt.datetime | None = None
) -> int:
    """After the cap changed: rebalance every open inmate account set of the site that is
    above the cap or has HELD money. Returns the number of batches posted."""
    now = now or clock.now()
    rules = rules_for(site=site)
    spendables = Account.objects.filter(
        site=site, kind=AccountKind.SPENDABLE, status__in=["open", "frozen"]
    ).values_list("inmate_id", "credits_posted", "debits_posted")
    over = {i for i, c, d in spendables if c - d > rules.cap_rp}
    with_held = set(
        Account.objects.filter(site=site, kind=AccountKind.HELD, status="open")
        .exclude(credits_posted=F("debits_posted"))
        .values_list("inmate_id", flat=True)
    )
    posted = 0
    for inmate_id in sorted(over | with_held):
        with transaction.atomic():
            if _rebalance(inmate_id=inmate_id, actor=actor, now=now) is not None:
                posted += 1
    return posted
