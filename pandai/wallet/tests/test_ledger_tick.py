"""manage.py ledger_tick expires due holds and releases HELD money once there is room."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from pandai.wallet import clock, selectors, services
from pandai.wallet.checks import run_checks
from pandai.wallet.models import AccountKind, Transfer, TransferState

pytestmark = pytest.mark.django_db


def test_tick_expires_due_holds_and_releases_held_money(inmate, staff, monkeypatch):
    officer = staff("counter_officer")
    drawer = services.counter_account(site=inmate.site, counter="L1")
    services.deposit_credit(
        inmate=inmate, amount_rp=1_000_000, source=drawer, idempotency_key="d1", actor=officer
    )
    bank = services.system_account(site=inmate.site, kind=AccountKind.BANK_CLEARING)
    services.deposit_credit(  # over the cap: waits in HELD (a bank transfer cannot be refused)
        inmate=inmate, amount_rp=50_000, source=bank, idempotency_key="d2", actor=None
    )
    assert selectors.balances(inmate=inmate).held_rp == 50_000
    now = timezone.now()
    hold = services.hold_create(
        inmate=inmate,
        amount_rp=80_000,
        idempotency_key="h1",
        actor=None,
        expires_at=now + dt.timedelta(minutes=5),
        now=now,
    ).transfers[0]
    # A purchase makes room under the cap; the hold is still running.
    services.purchase(inmate=inmate, amount_rp=100_000, idempotency_key="p1", actor=officer)
    out = StringIO()
    call_command("ledger_tick", stdout=out)
    assert Transfer.objects.get(pk=hold.pk).state == TransferState.PENDING  # not due yet
    assert selectors.balances(inmate=inmate).held_rp == 0
    assert selectors.balances(inmate=inmate).spendable_rp == 950_000

    assert "0 penahanan kedaluwarsa" in out.getvalue()
    assert selectors.balances(inmate=inmate).available_rp == 950_000 - 80_000

    later = now + dt.timedelta(minutes=6)  # the hold's deadline passes
    monkeypatch.setattr(clock, "now", lambda: later)
    out = StringIO()
    call_command("ledger_tick", stdout=out)
    assert "1 penahanan kedaluwarsa" in out.getvalue()
    assert Transfer.objects.get(pk=hold.pk).state == TransferState.EXPIRED
    assert selectors.balances(inmate=inmate).available_rp == 950_000
    assert run_checks(site=inmate.site, audit=False) == []
