"""ledger_check finds what is wrong: each invariant is broken on purpose (with the database
guards lifted, as an attacker with raw access would) and must be named."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection

from pandai.core import dbguards
from pandai.core.audit import audit_seal_pending
from pandai.inmates.models import Inmate
from pandai.wallet import services
from pandai.wallet.checks import run_checks
from pandai.wallet.guards import GUARD_NAMES
from pandai.wallet.models import Account, AccountKind, Batch, LedgerSettings, Transfer

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2025, 5, 2, 3, 0, tzinfo=dt.UTC)


@contextmanager
def guards_lifted():
    with connection.cursor() as cursor:
        for name in GUARD_NAMES:
            for sql in dbguards.statements(connection.vendor, name, create=False):
                cursor.execute(sql)
        yield cursor
        for name in GUARD_NAMES:
            for sql in dbguards.statements(connection.vendor, name, create=True):
                cursor.execute(sql)


@pytest.fixture
def busy(site, inmate, fund, cashier, head):
    """A small ledger with a bit of everything, all correct."""
    services.ledger_settings_update(site=site, actor=head, daily_limit_rp=60_000)
    fund(inmate, 990_000)
    fund(inmate, 30_000)
    sale = services.purchase(
        inmate=inmate, amount_rp=25_000, idempotency_key="s1", actor=cashier, now=T0
    ).transfers[0]
    services.refund(
        inmate=inmate, amount_rp=5_000, purchase=sale, idempotency_key="r1", actor=cashier, now=T0
    )
    hold = services.hold_create(
        inmate=inmate,
        amount_rp=10_000,
        idempotency_key="h1",
        actor=cashier,
        expires_at=T0 + dt.timedelta(hours=1),
        now=T0,
    ).transfers[0]
    services.hold_post(hold=hold, actor=cashier, amount_rp=4_000, now=T0)
    services.premi_credit(inmate=inmate, amount_rp=10_000, idempotency_key="p1", actor=head)
    return {"sale": sale, "hold": hold}


def codes():
    return {p.code for p in run_checks()}


def test_a_correct_ledger_has_no_problems(busy, capsys):
    assert run_checks() == []
    call_command("ledger_check")
    assert "OK" in capsys.readouterr().out


def test_stored_total_edited_by_hand(busy, inmate):
    with guards_lifted() as cursor:
        cursor.execute(
            "UPDATE wallet_account SET credits_posted = credits_posted + 1000 "
            "WHERE inmate_id = %s AND kind = 'spendable'",
            [inmate.pk],
        )
    assert {"account_totals", "trial_balance"} <= codes()


def test_transfer_amount_edited_by_hand(busy):
    with guards_lifted() as cursor:
        cursor.execute(
            "UPDATE wallet_transfer SET amount_rp = amount_rp + 7 WHERE id = %s",
            [busy["sale"].pk],
        )
    assert "account_totals" in codes()


def test_command_exits_non_zero_and_names_the_problem(busy, capsys):
    split = Transfer.objects.get(kind="savings_split")
    with guards_lifted() as cursor:
        cursor.execute("DELETE FROM wallet_transfer WHERE id = %s", [split.pk])
    with pytest.raises(SystemExit) as exit_info:
        call_command("ledger_check", "--no-audit")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "account_totals" in err and "masalah" in err


def test_hold_resolved_twice(busy):
    hold = busy["hold"]
    with guards_lifted() as cursor:
        cursor.execute("UPDATE wallet_transfer SET state = 'voided' WHERE id = %s", [hold.pk])
    assert "hold_posting" in codes()


def test_spending_over_the_limit_is_found(busy, inmate):
    spendable = Account.objects.get(inmate=inmate, kind=AccountKind.SPENDABLE)
    with guards_lifted() as cursor:
        cursor.execute(
            "UPDATE wallet_transfer SET limit_delta_rp = 70000 WHERE id = %s", [busy["sale"].pk]
        )
    assert spendable.pk
    assert codes() >= {"limit_daily"}


def test_closed_account_touched_and_not_empty(busy, inmate):
    spendable = Account.objects.get(inmate=inmate, kind=AccountKind.SPENDABLE)
    with guards_lifted() as cursor:
        cursor.execute(
            "UPDATE wallet_account SET status = 'closed', closed_max_transfer_id = 0 WHERE id = %s",
            [spendable.pk],
        )
    assert {"closed_touched", "closed_not_empty"} <= codes()


def test_balance_over_the_cap_is_found(busy, site):
    # The cap lowered behind the services' back (which would have moved the excess to HELD).
    LedgerSettings.objects.filter(site=site).update(balance_cap_rp=900_000)
    assert "over_cap" in codes()


def test_held_money_waiting_while_there_is_room_is_found(busy, site):
    LedgerSettings.objects.filter(site=site).update(balance_cap_rp=2_000_000)
    assert "held_not_released" in codes()
    services.ledger_settings_update(site=site, actor=None, balance_cap_rp=1_500_000)
    assert run_checks() == []


def test_reversal_not_mirroring_its_original(inmate, fund, head):
    first = fund(inmate, 5_000).transfers[0]
    second = fund(inmate, 7_000).transfers[0]
    reversal = services.transfer_reverse(transfer=first, actor=head, reason="x").transfers[0]
    assert run_checks() == []
    with guards_lifted() as cursor:
        cursor.execute(
            "UPDATE wallet_transfer SET reverses_id = %s WHERE id = %s", [second.pk, reversal.pk]
        )
    assert codes() == {"reversal"}


def test_audit_chain_tampering_is_reported(busy):
    audit_seal_pending()
    with connection.cursor() as cursor:
        for sql in dbguards.statements(connection.vendor, "core_auditevent_guard", create=False):
            cursor.execute(sql)
        cursor.execute(
            "UPDATE core_auditevent SET action = 'x' WHERE action = 'wallet.batch' "
            "AND seq = (SELECT MIN(seq) FROM core_auditevent WHERE action = 'wallet.batch')"
        )
        for sql in dbguards.statements(connection.vendor, "core_auditevent_guard", create=True):
            cursor.execute(sql)
    assert "audit_chain" in codes()


def test_checks_can_be_scoped_to_a_site(busy, site, other_site):
    assert run_checks(site=other_site, audit=False) == []
    assert run_checks(site=site, audit=False) == []
    assert Batch.objects.filter(site=site).exists()


def test_inmate_released_without_the_wallet_is_found(inmate, fund):
    fund(inmate, 5_000)
    # Released behind the ledger's back (the release service itself refuses while money is
    # left): the open, funded accounts are named.
    Inmate.objects.filter(pk=inmate.pk).update(status="released")
    assert codes() == {"departed_not_closed"}
