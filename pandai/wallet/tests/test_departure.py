"""Nobody leaves with money on the books: direct release/transfer is refused while money is
left; the wallet's payout and site transfer settle it and go through."""

import datetime as dt

import pytest

from pandai.inmates import services as inmate_services
from pandai.inmates.models import Inmate, InmateEvent, InmateStatus
from pandai.wallet import selectors, services
from pandai.wallet.models import Account, Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(inmate, staff):
    officer = staff("counter_officer")
    drawer = services.counter_account(site=inmate.site, counter="LOKET-1")
    services.deposit_credit(
        inmate=inmate, amount_rp=75_000, source=drawer, idempotency_key="dep:1", actor=officer
    )
    return inmate, officer, drawer


def _snapshot(inmate):
    inmate.refresh_from_db()
    return (
        inmate.status,
        InmateEvent.objects.filter(inmate=inmate).count(),
        Transfer.objects.count(),
        list(Account.objects.filter(inmate=inmate).values_list("status", flat=True)),
    )


def test_direct_release_with_money_is_refused_and_changes_nothing(funded):
    inmate, officer, _ = funded
    before = _snapshot(inmate)
    with pytest.raises(inmate_services.InmateError, match=r"Rp75\.000"):
        inmate_services.inmate_release(inmate=inmate, date=dt.date(2026, 11, 1), actor=officer)
    assert _snapshot(inmate) == before
    assert inmate.status == InmateStatus.ACTIVE


def test_direct_transfer_with_money_is_refused_and_changes_nothing(funded, other_site):
    inmate, officer, _ = funded
    before = _snapshot(inmate)
    with pytest.raises(inmate_services.InmateError):
        inmate_services.inmate_transfer(
            inmate=inmate, to_site=other_site, date=dt.date(2026, 11, 1), actor=officer
        )
    assert _snapshot(inmate) == before
    assert not Inmate.objects.filter(site=other_site, reg_no=inmate.reg_no).exists()


def test_direct_release_without_money_is_allowed(inmate, staff):
    inmate_services.inmate_release(
        inmate=inmate, date=dt.date(2026, 11, 1), actor=staff("official")
    )
    inmate.refresh_from_db()
    assert inmate.status == InmateStatus.RELEASED


def test_payout_settles_the_money_then_releases(funded):
    inmate, officer, drawer = funded
    services.release_payout(inmate=inmate, method="cash", actor=officer, counter_account=drawer)
    inmate.refresh_from_db()
    assert inmate.status == InmateStatus.RELEASED
    assert selectors.balances(inmate=inmate).spendable_rp == 0
