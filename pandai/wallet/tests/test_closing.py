"""The daily closing figures: a day with counter and bank deposits, suspense, purchases, a
refund, premi and a release payout; the trial balance is zero, totals equal the sums of the
day's transfers, the inmates' total equals their accounts, the day's bounds are the site's."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db.models import Q, Sum
from django.utils import timezone

from pandai.core.audit import GENESIS_HASH, audit_last_hash_before, audit_seal_pending
from pandai.core.calendar import site_day_bounds, site_today
from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import bank, services
from pandai.wallet.closing import closing_figures
from pandai.wallet.models import INMATE_KINDS, Account, Transfer, TransferKind
from pandai.wallet.tests.office_helpers import counter_deposit, new_ref, open_shift
from pandai.wallet.virtual_accounts import candidate, virtual_account_for

pytestmark = pytest.mark.django_db


def day_sum(site, day, **filters) -> int:
    start, end = site_day_bounds(site, day)
    qs = Transfer.objects.filter(site=site, created_at__gte=start, created_at__lt=end, **filters)
    return qs.filter(state="posted").exclude(kind="hold").aggregate(s=Sum("amount_rp"))["s"] or 0


@pytest.fixture
def busy_day(site, staff):
    """Everything a site does in a day, today (the audit chain's clock is the real one)."""
    officer = staff("counter_officer", username="loket-closing")
    head = staff("head", username="karutan-closing")
    now = timezone.now()
    yesterday = now - dt.timedelta(days=1)
    a, b, c = (InmateFactory(site=site) for _ in range(3))
    shift = open_shift(site=site, officer=officer, at=yesterday)
    counter_deposit(shift=shift, inmate=c, amount_rp=40_000, at=yesterday)  # not today
    counter_deposit(shift=shift, inmate=a, amount_rp=300_000, at=now)
    counter_deposit(shift=shift, inmate=b, amount_rp=200_000, at=now)
    bank.bank_credit_receive(
        callback=bank.BankCallback(new_ref(), virtual_account_for(inmate=a).number, 150_000),
        now=now,
    )
    parked = bank.bank_credit_receive(
        callback=bank.BankCallback(new_ref(), candidate(site, "X.99999/2099", 9), 75_000), now=now
    ).credit
    bank.suspense_assign(credit=parked, inmate=b, actor=head, note="pengirim menelepon", now=now)
    sale = services.purchase(
        inmate=a, amount_rp=50_000, idempotency_key="sale:1", actor=None, now=now
    )
    services.refund(
        inmate=a,
        amount_rp=10_000,
        idempotency_key="refund:1",
        actor=None,
        purchase=sale.transfers[0],
        now=now,
    )
    services.premi_credit(
        inmate=b, amount_rp=100_000, idempotency_key="premi:1", actor=head, now=now
    )
    drawer = services.counter_account(site=site, counter="LOKET-1")
    services.release_payout(inmate=c, method="cash", actor=officer, counter_account=drawer, now=now)
    return {"a": a, "b": b, "c": c, "now": now, "shift": shift, "head": head}


def test_closing_figures_of_a_busy_day(site, busy_day):
    day = site_today(site, busy_day["now"])
    f = closing_figures(site=site, day=day)
    assert (f.deposits_counter.count, f.deposits_counter.amount_rp) == (2, 500_000)
    assert (f.deposits_bank.count, f.deposits_bank.amount_rp) == (1, 150_000)
    assert f.suspense_in.amount_rp == 75_000 and f.deposits_from_suspense.amount_rp == 75_000
    assert f.deposits_total.amount_rp == 500_000 + 150_000 + 75_000
    assert f.purchases.amount_rp == 50_000 and f.refunds.amount_rp == 10_000
    assert f.premi.amount_rp == 100_000 and f.premi_savings.amount_rp == 20_000
    assert f.payouts.amount_rp == 40_000
    # Each line equals the sum of the day's transfers of that kind.
    assert f.purchases.amount_rp == day_sum(site, day, kind=TransferKind.PURCHASE)
    assert f.payouts.amount_rp == day_sum(site, day, kind=TransferKind.PAYOUT)
    assert f.deposits_total.amount_rp == day_sum(site, day, kind=TransferKind.DEPOSIT)
    assert f.premi.amount_rp == day_sum(
        site, day, kind__in=[TransferKind.PREMI, TransferKind.SAVINGS_SPLIT]
    )
    # The trial balance is zero, both from the transfers and from the stored totals.
    assert f.trial_balance_difference_rp == 0 and f.stored_difference_rp == 0 and f.balanced
    assert f.total_debits_rp == f.total_credits_rp > 0
    # The inmates' money = their accounts' balances (nothing happened after the day).
    accounts = Account.objects.filter(site=site, kind__in=INMATE_KINDS)
    held = sum(acc.balance_rp for acc in accounts)
    assert (
        f.inmates_total_rp
        == held
        == 300_000 + 150_000 - 50_000 + 10_000 + 200_000 + 75_000 + 100_000
    )
    assert f.inmate_savings_rp == 20_000
    assert [s.counter for s in f.shifts] == ["LOKET-1"]


def test_the_day_is_the_sites_day_and_later_days_do_not_leak(site, busy_day):
    day = site_today(site, busy_day["now"])
    yesterday = closing_figures(site=site, day=day - dt.timedelta(days=1))
    assert yesterday.deposits_counter.amount_rp == 40_000
    assert yesterday.inmates_total_rp == 40_000  # C's deposit, before the payout
    assert yesterday.payouts.amount_rp == 0 and yesterday.trial_balance_difference_rp == 0
    before = closing_figures(site=site, day=day)
    tomorrow = busy_day["now"] + dt.timedelta(days=1)
    services.deposit_credit(
        inmate=busy_day["a"],
        amount_rp=5_000,
        source=services.counter_account(site=site, counter="LOKET-1"),
        idempotency_key="dep:tomorrow",
        actor=None,
        enforce_rules=False,
        now=tomorrow,
    )
    after = closing_figures(site=site, day=day)
    assert after.inmates_total_rp == before.inmates_total_rp
    assert after.deposits_counter == before.deposits_counter
    assert closing_figures(site=site, day=day + dt.timedelta(days=1)).inmates_total_rp == (
        before.inmates_total_rp + 5_000
    )


def test_the_audit_chain_anchor_is_the_last_hash_before_the_days_end(site, busy_day):
    audit_seal_pending()
    day = site_today(site, busy_day["now"])
    f = closing_figures(site=site, day=day)
    _start, end = site_day_bounds(site, day)
    assert (f.audit_seq, f.audit_hash) == audit_last_hash_before(end)
    assert re.fullmatch(r"[0-9a-f]{64}", f.audit_hash) and f.audit_hash != GENESIS_HASH
    assert closing_figures(site=site, day=dt.date(2020, 1, 1)).audit_hash == GENESIS_HASH


def test_another_sites_money_is_not_counted(site, other_site, busy_day):
    other = InmateFactory(site=other_site)
    services.deposit_credit(
        inmate=other,
        amount_rp=999_000,
        source=services.counter_account(site=other_site, counter="L1"),
        idempotency_key="dep:other",
        actor=None,
        enforce_rules=False,
        now=busy_day["now"],
    )
    f = closing_figures(site=site, day=site_today(site, busy_day["now"]))
    assert f.deposits_counter.amount_rp == 500_000
    assert not Transfer.objects.filter(Q(site=site) & Q(amount_rp=999_000)).exists()


def test_a_quiet_day_is_all_zero(site):
    f = closing_figures(site=site, day=site_today(site))
    assert f.deposits_total.amount_rp == 0 and f.trial_balance == [] and f.balanced
    assert f.inmates_total_rp == 0 and f.shifts == []
