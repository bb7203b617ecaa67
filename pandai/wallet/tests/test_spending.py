"""Purchases and refunds: balance, freeze, daily / monthly limits in the site's time zone,
refunds giving the limit back, a head's exception, and the cost of one purchase."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pandai.core.tests.factories import SiteFactory
from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import clock, selectors, services
from pandai.wallet.errors import LedgerError
from pandai.wallet.models import Account, AccountKind, Batch
from pandai.wallet.tests.conftest import new_key

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# 14:30 UTC = 21:30 WIB / 22:30 WITA / 23:30 WIT on 10 March; 16:30 UTC = 23:30 WIB on the
# 10th but 00:30 WITA and 01:30 WIT on the 11th.
EVENING = dt.datetime(2025, 3, 10, 14, 30, tzinfo=UTC)
LATE = dt.datetime(2025, 3, 10, 16, 30, tzinfo=UTC)


def buy(inmate, amount, actor, **kwargs):
    kwargs.setdefault("idempotency_key", new_key("sale"))
    return services.purchase(inmate=inmate, amount_rp=amount, actor=actor, **kwargs)


def test_purchase_pays_the_shop(site, inmate, fund, cashier, ledger_ok):
    fund(inmate, 50_000)
    result = buy(inmate, 12_500, cashier, reference="sale:1", terminal="POS-1")
    [t] = result.transfers
    assert (t.kind, t.amount_rp, t.reference, t.terminal, t.actor_id) == (
        "purchase",
        12_500,
        "sale:1",
        "POS-1",
        cashier.pk,
    )
    assert result.available_rp == 37_500
    shop = Account.objects.get(site=site, kind=AccountKind.SHOP_SALES)
    assert shop.balance_rp == 12_500
    ledger_ok()


def test_purchase_short_of_money_is_refused_with_the_available_amount(
    inmate, fund, cashier, unchanged
):
    fund(inmate, 12_500)
    with unchanged(), pytest.raises(LedgerError) as err:
        buy(inmate, 12_501, cashier)
    assert err.value.code == "insufficient_funds"
    assert err.value.message == "Saldo tidak cukup. Tersedia Rp12.500."
    assert err.value.figures["available_rp"] == 12_500


def test_purchase_without_any_money_is_refused(inmate, cashier):
    with pytest.raises(LedgerError) as err:
        buy(inmate, 1, cashier)
    assert err.value.code == "insufficient_funds"
    assert not Batch.objects.exists()


def test_frozen_account_cannot_buy(inmate, fund, cashier, head, unchanged):
    fund(inmate, 50_000)
    spendable = Account.objects.get(inmate=inmate, kind=AccountKind.SPENDABLE)
    services.account_freeze(account=spendable, actor=head, reason="laporan pemerasan")
    with unchanged(), pytest.raises(LedgerError) as err:
        buy(inmate, 1_000, cashier)
    assert err.value.code == "account_frozen"


@pytest.mark.parametrize("amount", [0, -1_000, 1_000.0, False])
def test_purchase_with_a_bad_amount_is_refused(inmate, fund, cashier, unchanged, amount):
    fund(inmate, 50_000)
    with unchanged(), pytest.raises(LedgerError) as err:
        buy(inmate, amount, cashier)
    assert err.value.code == "amount_invalid"


def test_purchase_retry_is_one_sale(inmate, fund, cashier):
    fund(inmate, 50_000)
    first = buy(inmate, 10_000, cashier, idempotency_key="sale:9")
    again = buy(inmate, 10_000, cashier, idempotency_key="sale:9")
    assert again.replayed and again.batch.pk == first.batch.pk
    assert selectors.balances(inmate=inmate).available_rp == 40_000
    with pytest.raises(LedgerError) as err:
        buy(inmate, 10_500, cashier, idempotency_key="sale:9")
    assert err.value.code == "idempotency_conflict"
    assert selectors.balances(inmate=inmate).available_rp == 40_000


def limited_site(head, tz, daily=50_000, monthly=None):
    site = SiteFactory(time_zone=tz)
    services.ledger_settings_update(
        site=site, actor=head, daily_limit_rp=daily, monthly_limit_rp=monthly
    )
    return site


@pytest.mark.parametrize(
    ("tz", "allowed"), [("Asia/Jakarta", False), ("Asia/Makassar", True), ("Asia/Jayapura", True)]
)
def test_daily_limit_counts_the_site_calendar_day(head, fund, cashier, tz, allowed, ledger_ok):
    site = limited_site(head, tz)
    inmate = InmateFactory(site=site)
    drawer = services.counter_account(site=site, counter="L1")
    services.deposit_credit(
        inmate=inmate, amount_rp=200_000, source=drawer, actor=head, idempotency_key="d"
    )
    buy(inmate, 40_000, cashier, now=EVENING)
    if allowed:  # already the next day in WITA and WIT
        buy(inmate, 20_000, cashier, now=LATE)
    else:
        with pytest.raises(LedgerError) as err:
            buy(inmate, 20_000, cashier, now=LATE)
        assert err.value.code == "limit_daily"
        assert err.value.message == "Melebihi batas harian. Sisa hari ini Rp10.000."
    ledger_ok()


def test_limit_resets_at_site_midnight_with_a_patched_clock(head, cashier, monkeypatch):
    site = limited_site(head, "Asia/Jakarta")
    inmate = InmateFactory(site=site)
    drawer = services.counter_account(site=site, counter="L1")
    services.deposit_credit(
        inmate=inmate, amount_rp=200_000, source=drawer, actor=head, idempotency_key="d"
    )
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2025, 3, 10, 16, 59, tzinfo=UTC))
    buy(inmate, 50_000, cashier)
    with pytest.raises(LedgerError):
        buy(inmate, 1, cashier)
    assert selectors.limits_remaining(inmate=inmate).daily_remaining_rp == 0
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2025, 3, 10, 17, 0, tzinfo=UTC))
    assert selectors.limits_remaining(inmate=inmate).daily_remaining_rp == 50_000
    buy(inmate, 50_000, cashier)


def test_monthly_limit_across_the_month_end(head, cashier, unchanged):
    site = limited_site(head, "Asia/Jakarta", daily=None, monthly=100_000)
    inmate = InmateFactory(site=site)
    drawer = services.counter_account(site=site, counter="L1")
    services.deposit_credit(
        inmate=inmate, amount_rp=500_000, source=drawer, actor=head, idempotency_key="d"
    )
    jan_31_night = dt.datetime(2025, 1, 31, 16, 0, tzinfo=UTC)  # 23:00 WIB, 31 January
    buy(inmate, 60_000, cashier, now=jan_31_night - dt.timedelta(days=3))
    buy(inmate, 40_000, cashier, now=jan_31_night)
    with unchanged(), pytest.raises(LedgerError) as err:
        buy(inmate, 1, cashier, now=jan_31_night)
    assert err.value.code == "limit_monthly"
    assert "Sisa bulan ini Rp0" in err.value.message
    buy(inmate, 100_000, cashier, now=jan_31_night + dt.timedelta(hours=1))  # 1 February


def test_refund_gives_the_limit_back(head, cashier, unchanged, ledger_ok):
    site = limited_site(head, "Asia/Jakarta")
    inmate = InmateFactory(site=site)
    drawer = services.counter_account(site=site, counter="L1")
    services.deposit_credit(
        inmate=inmate, amount_rp=200_000, source=drawer, actor=head, idempotency_key="d"
    )
    sale = buy(inmate, 50_000, cashier, now=EVENING).transfers[0]
    with pytest.raises(LedgerError):
        buy(inmate, 5_000, cashier, now=EVENING)
    services.refund(
        inmate=inmate,
        amount_rp=20_000,
        purchase=sale,
        idempotency_key="ret:1",
        actor=cashier,
        now=EVENING,
    )
    status = selectors.limits_remaining(inmate=inmate, now=EVENING)
    assert (status.spent_today_rp, status.daily_remaining_rp) == (30_000, 20_000)
    buy(inmate, 20_000, cashier, now=EVENING)
    with unchanged(), pytest.raises(LedgerError):
        services.refund(
            inmate=inmate,
            amount_rp=30_001,
            purchase=sale,
            idempotency_key="ret:2",
            actor=cashier,
            now=EVENING,
        )
    ledger_ok()


def test_refund_of_yesterdays_purchase_gives_back_yesterdays_limit(head, cashier):
    site = limited_site(head, "Asia/Jakarta")
    inmate = InmateFactory(site=site)
    drawer = services.counter_account(site=site, counter="L1")
    services.deposit_credit(
        inmate=inmate, amount_rp=200_000, source=drawer, actor=head, idempotency_key="d"
    )
    yesterday = EVENING - dt.timedelta(days=1)
    sale = buy(inmate, 50_000, cashier, now=yesterday).transfers[0]
    buy(inmate, 50_000, cashier, now=EVENING)
    services.refund(
        inmate=inmate,
        amount_rp=50_000,
        purchase=sale,
        idempotency_key="ret",
        actor=cashier,
        now=EVENING,
    )
    with pytest.raises(LedgerError) as err:
        buy(inmate, 1, cashier, now=EVENING)
    assert err.value.code == "limit_daily"


def test_refund_is_capped_and_lands_in_held(inmate, fund, cashier):
    fund(inmate, 1_000_000)
    sale = buy(inmate, 30_000, cashier).transfers[0]
    fund(inmate, 30_000)  # back at the cap
    result = services.refund(
        inmate=inmate, amount_rp=30_000, purchase=sale, idempotency_key="r", actor=cashier
    )
    assert [(t.credit_account.kind, t.amount_rp) for t in result.transfers] == [
        (AccountKind.HELD, 30_000)
    ]
    assert services.refundable_rp(sale) == 0


def test_refund_of_another_inmates_purchase_is_refused(site, inmate, fund, cashier, unchanged):
    other = InmateFactory(site=site)
    fund(inmate, 10_000)
    fund(other, 10_000)
    sale = buy(inmate, 5_000, cashier).transfers[0]
    with unchanged(), pytest.raises(LedgerError) as err:
        services.refund(
            inmate=other, amount_rp=5_000, purchase=sale, idempotency_key="r", actor=cashier
        )
    assert err.value.code == "not_a_purchase"


def excepted_pair(head, **limits):
    """A limited site with two funded inmates; the first has an exception (daily 150.000)
    from an hour before EVENING to an hour after."""
    site = limited_site(head, "Asia/Jakarta", **limits)
    inmate, other = InmateFactory(site=site), InmateFactory(site=site)
    drawer = services.counter_account(site=site, counter="L1")
    for who in (inmate, other):
        services.deposit_credit(
            inmate=who, amount_rp=200_000, source=drawer, actor=head, idempotency_key=f"d{who.pk}"
        )
    services.limit_exception_grant(
        inmate=inmate,
        actor=head,
        reason="obat dari keluarga",
        valid_from=EVENING - dt.timedelta(hours=1),
        valid_until=EVENING + dt.timedelta(hours=1),
        daily_limit_rp=150_000,
    )
    return inmate, other


def test_limit_exception_lets_one_inmate_spend_more(head, cashier):
    inmate, other = excepted_pair(head)
    buy(inmate, 120_000, cashier, now=EVENING)
    with pytest.raises(LedgerError):
        buy(other, 120_000, cashier, now=EVENING)
    with pytest.raises(LedgerError):  # the exception is over
        buy(inmate, 10_000, cashier, now=EVENING + dt.timedelta(hours=2))


def test_the_batch_records_the_limits_in_force(head, cashier):
    """Each purchase's batch keeps the limits it was checked against: the site's, with an
    inmate's exception in force replacing what it sets (and only while it is in force)."""
    inmate, other = excepted_pair(head, daily=50_000, monthly=400_000)

    def limits(result):
        batch = Batch.objects.get(pk=result.batch.pk)
        assert (batch.daily_limit_rp, batch.monthly_limit_rp) == (
            result.batch.daily_limit_rp,
            result.batch.monthly_limit_rp,
        )
        return batch.daily_limit_rp, batch.monthly_limit_rp

    assert limits(buy(inmate, 1_000, cashier, now=EVENING)) == (150_000, 400_000)
    assert limits(buy(other, 1_000, cashier, now=EVENING)) == (50_000, 400_000)
    later = EVENING + dt.timedelta(hours=2)
    assert limits(buy(inmate, 1_000, cashier, now=later)) == (50_000, 400_000)
    unlimited = SiteFactory()
    free = InmateFactory(site=unlimited)
    services.deposit_credit(
        inmate=free,
        amount_rp=10_000,
        source=services.counter_account(site=unlimited, counter="L1"),
        actor=head,
        idempotency_key="free",
    )
    assert limits(buy(free, 1_000, cashier)) == (None, None)


def test_limit_exception_needs_a_reason(inmate, head):
    with pytest.raises(LedgerError) as err:
        services.limit_exception_grant(
            inmate=inmate,
            actor=head,
            reason="  ",
            valid_from=EVENING,
            valid_until=EVENING + dt.timedelta(days=1),
            daily_limit_rp=1,
        )
    assert err.value.code == "reason_required"


def test_one_purchase_costs_few_queries(site, inmate, fund, cashier):
    fund(inmate, 50_000)
    buy(inmate, 1_000, cashier)  # the shop account exists from now on
    with CaptureQueriesContext(connection) as ctx:
        buy(inmate, 1_000, cashier)
    statements = [q["sql"] for q in ctx.captured_queries]
    if connection.vendor == "postgresql":
        # SAVEPOINT; the key, the rules, the shop account and the inmate's lock; the
        # transfer, the totals, the limits, the audit event and the shop's increment;
        # RELEASE (the seal runs after the test's transaction, which never commits).
        assert len(statements) == 4, statements
        return
    ours = [q for q in statements if "core_auditevent" not in q]
    # settings, shop account, batch insert, lock, transfer insert, account update,
    # shop update, plus SAVEPOINT/RELEASE around it inside the test's transaction.
    assert len(ours) <= 9, ours
    assert sum("core_auditevent" in q for q in statements) <= 4


def test_purchase_inside_a_sale_opens_no_savepoint(site, inmate, fund, cashier, unchanged):
    """The checkout's form: no SAVEPOINT of its own; a refusal undoes the caller's whole
    transaction (the caller's atomic block re-raises it), so nothing of it stays."""
    from django.db import transaction

    fund(inmate, 5_000)
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        result = services.purchase_inside(
            inmate=inmate, amount_rp=1_000, idempotency_key=new_key("sale"), actor=cashier
        )
    assert not result.replayed
    # (the first and last are the SAVEPOINT and RELEASE of the test's own atomic block)
    assert not any("SAVEPOINT" in q["sql"] for q in ctx.captured_queries[1:-1])
    assert selectors.balances(inmate=inmate).available_rp == 4_000
    with unchanged(), pytest.raises(LedgerError), transaction.atomic():
        Account.objects.filter(pk=result.transfers[0].credit_account_id).update(name="x")
        services.purchase_inside(
            inmate=inmate, amount_rp=9_000, idempotency_key=new_key("sale"), actor=cashier
        )
