"""Release payout (pays everything, closes the accounts, retires the card) and transfer to
another site (the balances move with the inmate)."""

from __future__ import annotations

import datetime as dt

import pytest

from pandai.inmates.models import Card, Inmate
from pandai.inmates.tests.factories import CardFactory
from pandai.wallet import selectors, services
from pandai.wallet.errors import LedgerError
from pandai.wallet.models import Account, AccountKind, Transfer
from pandai.wallet.tests.conftest import new_key

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 6, 2, 4, 0, tzinfo=dt.UTC)


@pytest.fixture
def rich(inmate, fund, officer):
    """Spendable at the cap, 150k held, 10k savings, a 20k pending hold."""
    fund(inmate, 1_100_000)
    services.premi_credit(inmate=inmate, amount_rp=50_000, idempotency_key="p", actor=officer)
    services.hold_create(
        inmate=inmate,
        amount_rp=20_000,
        idempotency_key="h",
        actor=officer,
        expires_at=NOW + dt.timedelta(days=1),
        now=NOW,
    )
    return inmate


def test_release_pays_everything_out_in_cash_and_closes(rich, drawer, officer, ledger_ok):
    card = CardFactory(inmate=rich)
    before = selectors.balances(inmate=rich)
    assert (before.spendable_rp, before.savings_rp, before.held_rp) == (1_000_000, 10_000, 140_000)
    drawer.refresh_from_db()
    cash_before = drawer.balance_rp
    payout = services.release_payout(
        inmate=rich, method="cash", counter_account=drawer, actor=officer, now=NOW
    )
    assert (payout.spendable_rp, payout.savings_rp, payout.held_rp) == (1_000_000, 10_000, 140_000)
    assert payout.total_rp == 1_150_000
    assert len(payout.voided_holds) == 1
    drawer.refresh_from_db()
    assert cash_before - drawer.balance_rp == 1_150_000
    accounts = Account.objects.filter(inmate=rich)
    assert {a.status for a in accounts} == {"closed"}
    assert all(a.balance_rp == 0 and a.debits_pending == 0 for a in accounts)
    rich.refresh_from_db()
    card.refresh_from_db()
    assert rich.status == "released" and card.status == "retired"
    ledger_ok()


def test_closed_accounts_take_nothing(rich, drawer, officer, cashier):
    services.release_payout(
        inmate=rich, method="cash", counter_account=drawer, actor=officer, now=NOW
    )
    bank = services.system_account(site=rich.site, kind=AccountKind.BANK_CLEARING)
    with pytest.raises(LedgerError) as err:
        services.deposit_credit(
            inmate=rich, amount_rp=1_000, source=bank, actor=None, idempotency_key="bank:late"
        )
    assert err.value.code == "account_closed"
    with pytest.raises(LedgerError) as err:
        services.purchase(inmate=rich, amount_rp=1, idempotency_key=new_key(), actor=cashier)
    assert err.value.code == "account_closed"


def test_release_by_bank_goes_through_the_payout_account(inmate, fund, officer, ledger_ok):
    fund(inmate, 30_000)
    payout = services.release_payout(
        inmate=inmate, method="bank", actor=officer, bank_reference="BRI-991", now=NOW
    )
    [t] = payout.result.transfers
    assert t.credit_account.kind == AccountKind.PAYOUT and t.amount_rp == 30_000
    assert "BRI-991" in t.reference
    ledger_ok()


def test_release_is_one_effect(inmate, fund, drawer, officer):
    fund(inmate, 30_000)
    first = services.release_payout(
        inmate=inmate, method="cash", counter_account=drawer, actor=officer, now=NOW
    )
    again = services.release_payout(
        inmate=inmate, method="cash", counter_account=drawer, actor=officer, now=NOW
    )
    assert again.result.replayed and again.total_rp == first.total_rp == 30_000
    with pytest.raises(LedgerError) as err:
        services.release_payout(inmate=inmate, method="bank", actor=officer, now=NOW)
    assert err.value.code == "idempotency_conflict"


def test_release_of_a_frozen_account_is_refused_and_nothing_changes(
    inmate, fund, drawer, officer, head, unchanged
):
    card = CardFactory(inmate=inmate)
    fund(inmate, 30_000)
    spendable = Account.objects.get(inmate=inmate, kind=AccountKind.SPENDABLE)
    services.account_freeze(account=spendable, actor=head, reason="pemeriksaan")
    with unchanged(), pytest.raises(LedgerError) as err:
        services.release_payout(
            inmate=inmate, method="cash", counter_account=drawer, actor=officer, now=NOW
        )
    assert err.value.code == "account_frozen"
    inmate.refresh_from_db()
    card.refresh_from_db()
    assert inmate.status == "active" and card.status == "active"


def test_cash_release_needs_a_counter(inmate, fund, officer, unchanged):
    fund(inmate, 30_000)
    with unchanged(), pytest.raises(LedgerError) as err:
        services.release_payout(inmate=inmate, method="cash", actor=officer, now=NOW)
    assert err.value.code == "counter_required"


def test_release_with_no_money_still_releases(inmate, drawer, officer):
    payout = services.release_payout(
        inmate=inmate, method="cash", counter_account=drawer, actor=officer, now=NOW
    )
    assert payout.total_rp == 0 and payout.result.transfers == []
    inmate.refresh_from_db()
    assert inmate.status == "released"


def test_site_transfer_moves_the_balances(rich, other_site, officer, head, ledger_ok):
    services.ledger_settings_update(site=other_site, actor=head, balance_cap_rp=500_000)
    result = services.site_transfer(
        inmate=rich, to_site=other_site, date=dt.date(2025, 6, 2), actor=officer, now=NOW
    )
    moved = result.inmate
    assert moved.site_id == other_site.pk and moved.transferred_from_id == rich.pk
    assert result.moved_rp == 1_150_000
    old = selectors.balances(inmate=Inmate.objects.get(pk=rich.pk))
    assert old.total_rp == 0 and old.status == "closed"
    new = selectors.balances(inmate=moved)
    assert (new.spendable_rp, new.held_rp, new.savings_rp) == (500_000, 640_000, 10_000)
    for site in (rich.site, other_site):
        intersite = Account.objects.get(site=site, kind=AccountKind.INTERSITE)
        assert abs(intersite.balance_rp) == 1_150_000
    assert not Transfer.objects.filter(state="pending").exists()
    ledger_ok()


def test_site_transfer_without_money(inmate, other_site, officer):
    result = services.site_transfer(
        inmate=inmate, to_site=other_site, date=dt.date(2025, 6, 2), actor=officer, now=NOW
    )
    assert result.moved_rp == 0 and result.out is None
    assert not Card.objects.filter(inmate=result.inmate).exists()
