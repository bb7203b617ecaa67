"""Holds: reserve, then post (fully or partly), void or expire — exactly once."""

from __future__ import annotations

import datetime as dt

import pytest

from pandai.wallet import selectors, services
from pandai.wallet.errors import LedgerError
from pandai.wallet.models import Account, AccountKind, Transfer

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 5, 2, 3, 0, tzinfo=dt.UTC)
LATER = T0 + dt.timedelta(hours=2)


@pytest.fixture
def funded(inmate, fund):
    fund(inmate, 50_000)
    return inmate


def make_hold(inmate, actor, amount=20_000, key="order:1", expires=LATER, **kwargs):
    result = services.hold_create(
        inmate=inmate,
        amount_rp=amount,
        idempotency_key=key,
        actor=actor,
        expires_at=expires,
        now=T0,
        **kwargs,
    )
    return result.transfers[0]


def test_hold_reserves_without_moving(site, funded, cashier, ledger_ok):
    hold = make_hold(funded, cashier)
    assert (hold.kind, hold.state, hold.amount_rp) == ("hold", "pending", 20_000)
    b = selectors.balances(inmate=funded)
    assert (b.spendable_rp, b.available_rp, b.pending_rp) == (50_000, 30_000, 20_000)
    shop = Account.objects.get(site=site, kind=AccountKind.SHOP_SALES)
    assert (shop.credits_pending, shop.credits_posted) == (20_000, 0)
    ledger_ok()


def test_hold_beyond_available_is_refused(funded, cashier, unchanged):
    make_hold(funded, cashier, 40_000)
    with unchanged(), pytest.raises(LedgerError) as err:
        make_hold(funded, cashier, 10_001, key="order:2")
    assert err.value.code == "insufficient_funds"
    assert "Rp10.000" in err.value.message


def test_full_post(site, funded, cashier, ledger_ok):
    hold = make_hold(funded, cashier)
    result = services.hold_post(hold=hold, actor=cashier, now=T0 + dt.timedelta(minutes=5))
    [posting] = result.transfers
    assert (posting.kind, posting.amount_rp, posting.pending_id) == ("purchase", 20_000, hold.pk)
    hold.refresh_from_db()
    assert hold.state == "posted"
    b = selectors.balances(inmate=funded)
    assert (b.spendable_rp, b.available_rp, b.pending_rp) == (30_000, 30_000, 0)
    shop = Account.objects.get(site=site, kind=AccountKind.SHOP_SALES)
    assert (shop.credits_pending, shop.credits_posted) == (0, 20_000)
    ledger_ok()


def test_partial_post_releases_the_rest(funded, cashier, ledger_ok):
    hold = make_hold(funded, cashier)
    services.hold_post(hold=hold, actor=cashier, amount_rp=12_000, now=T0)
    b = selectors.balances(inmate=funded)
    assert (b.spendable_rp, b.available_rp, b.pending_rp) == (38_000, 38_000, 0)
    ledger_ok()


def test_post_more_than_held_is_refused(funded, cashier, unchanged):
    hold = make_hold(funded, cashier)
    with unchanged(), pytest.raises(LedgerError) as err:
        services.hold_post(hold=hold, actor=cashier, amount_rp=20_001, now=T0)
    assert err.value.code == "hold_amount"


def test_void_releases_everything(funded, cashier, ledger_ok):
    hold = make_hold(funded, cashier)
    services.hold_void(hold=hold, actor=cashier, reason="dibatalkan", now=T0)
    hold.refresh_from_db()
    assert hold.state == "voided"
    b = selectors.balances(inmate=funded)
    assert (b.available_rp, b.pending_rp) == (50_000, 0)
    ledger_ok()


@pytest.mark.parametrize("first", ["post", "void", "expire"])
@pytest.mark.parametrize("second", ["post", "void", "expire"])
def test_a_hold_resolves_exactly_once(funded, cashier, first, second, unchanged, ledger_ok):
    hold = make_hold(funded, cashier)

    def resolve(how, key):
        if how == "post":
            return services.hold_post(hold=hold, actor=cashier, idempotency_key=key, now=T0)
        if how == "void":
            return services.hold_void(hold=hold, actor=cashier, idempotency_key=key, now=T0)
        return services.holds_expire(now=LATER)

    resolve(first, "first")
    if second == "expire":
        with unchanged():
            assert services.holds_expire(now=LATER + dt.timedelta(days=1)) == 0
    else:
        with unchanged(), pytest.raises(LedgerError) as err:
            resolve(second, "second")
        assert err.value.code == "hold_resolved"
    assert Transfer.objects.filter(pending=hold).count() == (1 if first == "post" else 0)
    ledger_ok()


def test_repeating_a_post_with_its_key_replays(funded, cashier):
    hold = make_hold(funded, cashier)
    first = services.hold_post(hold=hold, actor=cashier, amount_rp=5_000, now=T0)
    again = services.hold_post(hold=hold, actor=cashier, amount_rp=5_000, now=T0)
    assert again.replayed and again.batch.pk == first.batch.pk
    with pytest.raises(LedgerError) as err:
        services.hold_post(hold=hold, actor=cashier, amount_rp=6_000, now=T0)
    assert err.value.code == "idempotency_conflict"


def test_expired_hold_cannot_be_posted_and_expires_once(funded, cashier, unchanged, ledger_ok):
    hold = make_hold(funded, cashier)
    with unchanged(), pytest.raises(LedgerError) as err:
        services.hold_post(hold=hold, actor=cashier, now=LATER)
    assert err.value.code == "hold_expired"
    assert services.holds_expire(now=LATER - dt.timedelta(seconds=1)) == 0
    assert services.holds_expire(now=LATER) == 1
    hold.refresh_from_db()
    assert hold.state == "expired"
    assert selectors.balances(inmate=funded).available_rp == 50_000
    assert services.holds_expire(now=LATER) == 0
    ledger_ok()


def test_hold_deadline_must_be_in_the_future(funded, cashier, unchanged):
    with unchanged(), pytest.raises(LedgerError) as err:
        make_hold(funded, cashier, expires=T0)
    assert err.value.code == "hold_expiry_invalid"


def test_hold_uses_todays_limit_and_a_void_gives_it_back(site, funded, cashier, head):
    services.ledger_settings_update(site=site, actor=head, daily_limit_rp=25_000)
    hold = make_hold(funded, cashier, 20_000)
    with pytest.raises(LedgerError) as err:
        services.purchase(
            inmate=funded, amount_rp=6_000, idempotency_key="s", actor=cashier, now=T0
        )
    assert err.value.code == "limit_daily"
    services.hold_void(hold=hold, actor=cashier, now=T0)
    services.purchase(inmate=funded, amount_rp=6_000, idempotency_key="s", actor=cashier, now=T0)


def test_posting_a_hold_on_a_frozen_account_is_refused_but_void_works(
    funded, cashier, head, unchanged
):
    hold = make_hold(funded, cashier)
    spendable = Account.objects.get(inmate=funded, kind=AccountKind.SPENDABLE)
    services.account_freeze(account=spendable, actor=head, reason="pemeriksaan")
    with unchanged(), pytest.raises(LedgerError) as err:
        services.hold_post(hold=hold, actor=cashier, now=T0)
    assert err.value.code == "account_frozen"
    services.hold_void(hold=hold, actor=cashier, now=T0)


def test_only_holds_can_be_posted(funded, cashier, fund):
    deposit = fund(funded, 1_000).transfers[0]
    with pytest.raises(LedgerError) as err:
        services.hold_post(hold=deposit, actor=cashier, now=T0)
    assert err.value.code == "not_a_hold"
