"""Reads: statements with opening and closing balances by site-local day, balances, limits."""

from __future__ import annotations

import datetime as dt

import pytest

from pandai.wallet import selectors, services
from pandai.wallet.models import AccountKind

pytestmark = pytest.mark.django_db
UTC = dt.UTC
DAY1 = dt.date(2025, 4, 14)


def at(day: dt.date, hour_wib: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour_wib), tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_statement_has_opening_closing_and_running_balance(inmate, fund, cashier):
    fund(inmate, 100_000, now=at(DAY1, 9))
    services.purchase(
        inmate=inmate, amount_rp=30_000, idempotency_key="s1", actor=cashier, now=at(DAY1, 10)
    )
    day2 = DAY1 + dt.timedelta(days=1)
    fund(inmate, 20_000, now=at(day2, 0))  # 00:00 WIB belongs to the second day
    sale = services.purchase(
        inmate=inmate, amount_rp=5_000, idempotency_key="s2", actor=cashier, now=at(day2, 23)
    ).transfers[0]
    services.refund(
        inmate=inmate,
        amount_rp=2_000,
        purchase=sale,
        idempotency_key="r",
        actor=cashier,
        now=at(day2 + dt.timedelta(days=1), 8),
    )
    statement = selectors.statement(inmate=inmate, start=day2, end=day2)
    assert statement.opening_rp == 70_000
    assert [
        (line.kind, line.credit_rp, line.debit_rp, line.balance_rp) for line in statement.lines
    ] == [
        ("deposit", 20_000, 0, 90_000),
        ("purchase", 0, 5_000, 85_000),
    ]
    assert statement.closing_rp == 85_000
    assert (statement.total_in_rp, statement.total_out_rp) == (20_000, 5_000)
    whole = selectors.statement(inmate=inmate, start=DAY1, end=day2 + dt.timedelta(days=1))
    assert whole.opening_rp == 0 and whole.closing_rp == 87_000 and len(whole.lines) == 5
    assert whole.closing_rp == selectors.balances(inmate=inmate).spendable_rp


def test_statement_of_savings_and_of_an_inmate_without_accounts(site, inmate, officer):
    empty = selectors.statement(inmate=inmate, start=DAY1, end=DAY1)
    assert empty.account is None and empty.lines == [] and empty.closing_rp == 0
    services.premi_credit(
        inmate=inmate, amount_rp=10_000, idempotency_key="p", actor=officer, now=at(DAY1, 12)
    )
    savings = selectors.statement(inmate=inmate, start=DAY1, end=DAY1, kind=AccountKind.SAVINGS)
    assert [(line.kind, line.credit_rp) for line in savings.lines] == [("savings_split", 2_000)]


def test_statement_of_a_cash_drawer_grows_with_debits(site, inmate, fund, drawer):
    fund(inmate, 15_000, now=at(DAY1, 9))
    statement = selectors.account_statement(account=drawer, start=DAY1, end=DAY1)
    assert [(line.credit_rp, line.balance_rp) for line in statement.lines] == [(15_000, 15_000)]


def test_balances_show_holds_held_money_and_total(inmate, fund, cashier):
    assert selectors.balances(inmate=inmate) == selectors.Balances()
    fund(inmate, 1_050_000)
    services.hold_create(
        inmate=inmate,
        amount_rp=40_000,
        idempotency_key="h",
        actor=cashier,
        expires_at=dt.datetime(2099, 1, 1, tzinfo=UTC),
    )
    b = selectors.balances(inmate=inmate)
    assert (b.spendable_rp, b.available_rp, b.pending_rp, b.held_rp, b.total_rp) == (
        1_000_000,
        960_000,
        40_000,
        50_000,
        1_050_000,
    )
    assert selectors.pending_holds(inmate=inmate).count() == 1
    assert [left for _, left in selectors.held_lots(inmate=inmate)] == [50_000]
    spendable = selectors.inmate_accounts(inmate=inmate)[AccountKind.SPENDABLE]
    assert selectors.account_transfers(account=spendable).count() == 2


def test_limits_remaining_without_limits_is_none(inmate):
    status = selectors.limits_remaining(inmate=inmate)
    assert status.remaining_rp is None and status.daily_remaining_rp is None


def test_limits_remaining_takes_the_smaller_of_day_and_month(site, inmate, fund, cashier, head):
    services.ledger_settings_update(
        site=site, actor=head, daily_limit_rp=50_000, monthly_limit_rp=60_000
    )
    fund(inmate, 200_000)
    now = at(DAY1, 10)
    services.purchase(
        inmate=inmate,
        amount_rp=20_000,
        idempotency_key="a",
        actor=cashier,
        now=now - dt.timedelta(days=1),
    )
    services.purchase(inmate=inmate, amount_rp=10_000, idempotency_key="b", actor=cashier, now=now)
    status = selectors.limits_remaining(inmate=inmate, now=now)
    assert (status.daily_remaining_rp, status.monthly_remaining_rp, status.remaining_rp) == (
        40_000,
        30_000,
        30_000,
    )


def test_recent_posted_merges_both_sides_newest_first_without_holds(inmate, fund, cashier):
    """The two index walks give exactly what one debit-OR-credit query gives: deposits
    (credits) and purchases (debits) interleaved newest first, holds apart, cut at the limit."""
    for n in range(6):
        fund(inmate, 10_000 + n, now=at(DAY1, 8 + n))
        services.purchase(
            inmate=inmate,
            amount_rp=1_000 + n,
            idempotency_key=f"p{n}",
            actor=cashier,
            now=at(DAY1, 8 + n),
        )
    services.hold_create(
        inmate=inmate,
        amount_rp=500,
        idempotency_key="h",
        actor=cashier,
        expires_at=dt.datetime(2099, 1, 1, tzinfo=UTC),
    )
    spendable = selectors.inmate_accounts(inmate=inmate)[AccountKind.SPENDABLE]
    everything = [
        t
        for t in selectors.account_transfers(account=spendable)
        if t.state == "posted" and t.kind != "hold"
    ]
    assert len(everything) == 12
    for limit in (1, 5, 7, 12, 20):
        got = selectors.account_recent_posted(account=spendable, limit=limit)
        assert [t.pk for t in got] == [t.pk for t in everything[:limit]]
    kinds = {t.kind for t in selectors.account_recent_posted(account=spendable, limit=4)}
    assert kinds == {"deposit", "purchase"}
