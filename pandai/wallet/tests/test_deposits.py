"""Money in: deposits with the balance cap (overflow to HELD, released oldest first), the
deposit rules of a counter, premi with its savings share."""

from __future__ import annotations

import datetime as dt

import pytest

from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import selectors, services
from pandai.wallet.errors import LedgerError
from pandai.wallet.models import Account, AccountKind, Transfer, TransferKind
from pandai.wallet.tests.conftest import new_key

pytestmark = pytest.mark.django_db
NOON_WIB = dt.datetime(2025, 3, 10, 5, 0, tzinfo=dt.UTC)


def kinds_of(result):
    return [(t.kind, t.credit_account.kind, t.amount_rp) for t in result.transfers]


def test_deposit_credits_spendable_and_debits_the_drawer(inmate, fund, drawer, ledger_ok):
    result = fund(inmate, 75_000, reference="deposit:1")
    assert result.available_rp == 75_000
    assert kinds_of(result) == [("deposit", AccountKind.SPENDABLE, 75_000)]
    drawer.refresh_from_db()
    assert drawer.balance_rp == 75_000  # cash in the drawer
    assert selectors.balances(inmate=inmate).available_rp == 75_000
    ledger_ok()


def test_deposit_over_the_cap_goes_to_held(inmate, fund, ledger_ok):
    fund(inmate, 900_000)
    result = fund(inmate, 250_000)
    assert kinds_of(result) == [
        ("deposit", AccountKind.SPENDABLE, 100_000),
        ("deposit", AccountKind.HELD, 150_000),
    ]
    b = selectors.balances(inmate=inmate)
    assert (b.spendable_rp, b.held_rp, b.total_rp) == (1_000_000, 150_000, 1_150_000)
    ledger_ok()


def test_held_money_is_released_oldest_first_when_there_is_room(inmate, fund, cashier, ledger_ok):
    fund(inmate, 1_000_000)
    first = fund(inmate, 30_000).transfers[0]  # lot 1 (all HELD)
    second = fund(inmate, 50_000).transfers[0]  # lot 2
    assert first.credit_account.kind == second.credit_account.kind == AccountKind.HELD
    result = services.purchase(
        inmate=inmate, amount_rp=40_000, idempotency_key=new_key("sale"), actor=cashier
    )
    releases = [t for t in result.transfers if t.kind == TransferKind.HELD_RELEASE]
    assert [(t.origin_id, t.amount_rp) for t in releases] == [
        (first.pk, 30_000),
        (second.pk, 10_000),
    ]
    b = selectors.balances(inmate=inmate)
    assert (b.spendable_rp, b.held_rp) == (1_000_000, 40_000)
    assert [(lot.pk, left) for lot, left in selectors.held_lots(inmate=inmate)] == [
        (second.pk, 40_000)
    ]
    ledger_ok()


def test_new_money_waits_behind_older_held_money(site, inmate, fund, head, ledger_ok):
    fund(inmate, 1_000_000)
    fund(inmate, 30_000)  # held
    services.ledger_settings_update(site=site, actor=head, balance_cap_rp=1_010_000)
    b = selectors.balances(inmate=inmate)
    assert (b.spendable_rp, b.held_rp) == (1_010_000, 20_000)  # raising the cap released 10k
    result = fund(inmate, 5_000)
    assert kinds_of(result) == [("deposit", AccountKind.HELD, 5_000)]
    ledger_ok()


def test_lower_cap_moves_the_excess_to_held(site, inmate, fund, head, ledger_ok):
    fund(inmate, 600_000)
    services.ledger_settings_update(site=site, actor=head, balance_cap_rp=500_000)
    b = selectors.balances(inmate=inmate)
    assert (b.spendable_rp, b.held_rp) == (500_000, 100_000)
    assert Transfer.objects.filter(kind=TransferKind.CAP_OVERFLOW, amount_rp=100_000).exists()
    ledger_ok()


def test_held_release_without_room_does_nothing(inmate, fund):
    fund(inmate, 1_000_000)
    fund(inmate, 10_000)
    assert services.held_release(inmate=inmate) is None


def test_counter_rules_max_per_deposit(site, inmate, drawer, officer, head, unchanged):
    services.ledger_settings_update(site=site, actor=head, max_deposit_rp=200_000)
    with unchanged(), pytest.raises(LedgerError) as err:
        services.deposit_credit(
            inmate=inmate, amount_rp=200_001, source=drawer, actor=officer, idempotency_key="d1"
        )
    assert err.value.code == "deposit_max"
    assert "Rp200.000" in err.value.message
    services.deposit_credit(
        inmate=inmate, amount_rp=200_000, source=drawer, actor=officer, idempotency_key="d2"
    )


def test_counter_rules_deposits_per_day_in_site_time(
    site, inmate, drawer, officer, head, unchanged
):
    services.ledger_settings_update(site=site, actor=head, max_deposits_per_day=2)

    def deposit(key, when):
        return services.deposit_credit(
            inmate=inmate,
            amount_rp=10_000,
            source=drawer,
            actor=officer,
            idempotency_key=key,
            now=when,
        )

    deposit("a", NOON_WIB)
    deposit("b", NOON_WIB + dt.timedelta(hours=1))
    with unchanged(), pytest.raises(LedgerError) as err:
        deposit("c", NOON_WIB + dt.timedelta(hours=2))
    assert err.value.code == "deposit_count"
    # 00:30 WIB the next day is a new day for the site.
    deposit("d", dt.datetime(2025, 3, 10, 17, 30, tzinfo=dt.UTC))


def test_bank_money_is_never_refused_by_counter_rules(site, inmate, officer, head):
    services.ledger_settings_update(site=site, actor=head, max_deposit_rp=100_000)
    bank = services.system_account(site=site, kind=AccountKind.BANK_CLEARING)
    result = services.deposit_credit(
        inmate=inmate, amount_rp=1_500_000, source=bank, actor=None, idempotency_key="bank:1"
    )
    assert sum(t.amount_rp for t in result.transfers) == 1_500_000
    assert selectors.balances(inmate=inmate).held_rp == 500_000


def test_deposit_to_a_frozen_account_is_accepted(inmate, fund, head):
    fund(inmate, 1_000)
    spendable = Account.objects.get(inmate=inmate, kind=AccountKind.SPENDABLE)
    services.account_freeze(account=spendable, actor=head, reason="pemeriksaan pungli")
    fund(inmate, 2_000)
    assert selectors.balances(inmate=inmate).spendable_rp == 3_000


def test_deposit_for_a_released_inmate_is_refused(site, drawer, officer, unchanged):
    gone = InmateFactory(site=site, status="released")
    with unchanged(), pytest.raises(LedgerError) as err:
        services.deposit_credit(
            inmate=gone, amount_rp=5_000, source=drawer, actor=officer, idempotency_key="x"
        )
    assert err.value.code == "inmate_inactive"


def test_deposit_replay_returns_the_first_split_even_after_the_balance_moved(inmate, fund, cashier):
    fund(inmate, 950_000)
    first = fund(inmate, 100_000, idempotency_key="dep:same")
    services.purchase(inmate=inmate, amount_rp=500_000, idempotency_key="s1", actor=cashier)
    again = fund(inmate, 100_000, idempotency_key="dep:same")
    assert again.replayed and [t.pk for t in again.transfers] == [t.pk for t in first.transfers]
    with pytest.raises(LedgerError) as err:
        fund(inmate, 100_001, idempotency_key="dep:same")
    assert err.value.code == "idempotency_conflict"


def test_premi_splits_the_savings_share_in_one_batch(site, inmate, officer, ledger_ok):
    result = services.premi_credit(
        inmate=inmate, amount_rp=25_000, idempotency_key="premi:1", actor=officer
    )
    assert {t.batch_id for t in result.transfers} == {result.batch.pk}
    assert kinds_of(result) == [
        ("premi", AccountKind.SPENDABLE, 20_000),
        ("savings_split", AccountKind.SAVINGS, 5_000),
    ]
    b = selectors.balances(inmate=inmate)
    assert (b.spendable_rp, b.savings_rp) == (20_000, 5_000)
    expense = Account.objects.get(site=site, kind=AccountKind.PREMI_EXPENSE)
    assert expense.balance_rp == 25_000
    ledger_ok()


def test_premi_share_rounds_down_and_follows_the_site_setting(site, inmate, officer, head):
    services.ledger_settings_update(site=site, actor=head, savings_share_pct=15)
    result = services.premi_credit(
        inmate=inmate, amount_rp=10_001, idempotency_key="premi:2", actor=officer
    )
    assert [t.amount_rp for t in result.transfers] == [8_501, 1_500]


def test_premi_over_the_cap_goes_to_held(inmate, fund, officer):
    fund(inmate, 990_000)
    result = services.premi_credit(
        inmate=inmate, amount_rp=50_000, idempotency_key="premi:3", actor=officer
    )
    assert kinds_of(result) == [
        ("premi", AccountKind.SPENDABLE, 10_000),
        ("premi", AccountKind.HELD, 30_000),
        ("savings_split", AccountKind.SAVINGS, 10_000),
    ]


def test_settings_are_validated(site, head):
    with pytest.raises(LedgerError):
        services.ledger_settings_update(site=site, actor=head, balance_cap_rp=0)
    with pytest.raises(LedgerError):
        services.ledger_settings_update(site=site, actor=head, savings_share_pct=101)
    with pytest.raises(LedgerError):
        services.ledger_settings_update(site=site, actor=head, daily_limit_rp=-1)
    assert selectors.site_rules(site=site).cap_rp == 1_000_000
