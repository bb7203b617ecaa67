"""The database itself refuses what the ledger forbids, whatever the code does (raw SQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from pandai.wallet import services
from pandai.wallet.models import Account, AccountKind, Batch, Transfer

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2025, 5, 2, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def ledger(inmate, fund, cashier):
    deposit = fund(inmate, 50_000).transfers[0]
    hold = services.hold_create(
        inmate=inmate,
        amount_rp=5_000,
        idempotency_key="order",
        actor=cashier,
        expires_at=T0 + dt.timedelta(days=1),
        now=T0,
    ).transfers[0]
    return {"deposit": deposit, "hold": hold}


def raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def refused(sql, params=()):
    with pytest.raises(DatabaseError):
        raw(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE wallet_transfer SET amount_rp = amount_rp + 1 WHERE id = %s",
        "UPDATE wallet_transfer SET credit_account_id = debit_account_id WHERE id = %s",
        "UPDATE wallet_transfer SET kind = 'refund' WHERE id = %s",
        "UPDATE wallet_transfer SET state = 'voided' WHERE id = %s",
        "UPDATE wallet_transfer SET reference = 'x' WHERE id = %s",
        "DELETE FROM wallet_transfer WHERE id = %s",
    ],
)
def test_posted_transfer_cannot_be_changed_or_deleted(ledger, sql):
    deposit = ledger["deposit"]
    refused(sql, [deposit.pk])
    deposit_now = Transfer.objects.get(pk=deposit.pk)
    assert (deposit_now.amount_rp, deposit_now.state, deposit_now.kind) == (
        50_000,
        "posted",
        "deposit",
    )


def test_a_second_batch_cannot_be_pointed_at(ledger, site):
    other = Batch.objects.exclude(pk=ledger["deposit"].batch_id).first()
    refused(
        "UPDATE wallet_transfer SET batch_id = %s WHERE id = %s", [other.pk, ledger["deposit"].pk]
    )


def test_hold_leaves_pending_once_and_only_its_state_changes(ledger):
    hold = ledger["hold"]
    refused("UPDATE wallet_transfer SET amount_rp = 1 WHERE id = %s", [hold.pk])
    refused("UPDATE wallet_transfer SET state = 'voided', amount_rp = 1 WHERE id = %s", [hold.pk])
    refused("UPDATE wallet_transfer SET state = 'bogus' WHERE id = %s", [hold.pk])
    raw("UPDATE wallet_transfer SET state = 'voided' WHERE id = %s", [hold.pk])
    refused("UPDATE wallet_transfer SET state = 'pending' WHERE id = %s", [hold.pk])
    refused("UPDATE wallet_transfer SET state = 'expired' WHERE id = %s", [hold.pk])
    refused("DELETE FROM wallet_transfer WHERE id = %s", [hold.pk])


def _insert_transfer(deposit, amount):
    raw(
        "INSERT INTO wallet_transfer (site_id, batch_id, debit_account_id, credit_account_id, "
        "amount_rp, kind, state, reference, terminal, created_at, limit_delta_rp) "
        "VALUES (%s, %s, %s, %s, %s, 'deposit', 'posted', '', '', %s, 0)",
        [
            deposit.site_id,
            deposit.batch_id,
            deposit.debit_account_id,
            deposit.credit_account_id,
            amount,
            T0,
        ],
    )


@pytest.mark.parametrize("amount", [0, -1, -50_000])
def test_zero_or_negative_amount_is_refused(ledger, amount):
    count = Transfer.objects.count()
    with pytest.raises(IntegrityError):
        _insert_transfer(ledger["deposit"], amount)
    assert Transfer.objects.count() == count


def test_positive_amount_passes_the_same_insert(ledger):
    _insert_transfer(ledger["deposit"], 1)  # proves the refusals above are about the amount


def test_non_hold_cannot_be_pending(ledger):
    d = ledger["deposit"]
    with pytest.raises(IntegrityError):
        raw(
            "INSERT INTO wallet_transfer (site_id, batch_id, debit_account_id, "
            "credit_account_id, amount_rp, kind, state, reference, terminal, created_at, "
            "limit_delta_rp) VALUES (%s, %s, %s, %s, 5, 'purchase', 'pending', '', '', %s, 0)",
            [d.site_id, d.batch_id, d.debit_account_id, d.credit_account_id, T0],
        )


def test_duplicate_idempotency_key_is_refused(ledger):
    batch = Batch.objects.get(pk=ledger["deposit"].batch_id)
    with pytest.raises(IntegrityError):
        raw(
            "INSERT INTO wallet_batch (site_id, idempotency_key, request_hash, kind, reference, "
            "terminal, created_at) VALUES (%s, %s, 'x', 'deposit', '', '', %s)",
            [batch.site_id, batch.idempotency_key, T0],
        )
    assert Batch.objects.filter(idempotency_key=batch.idempotency_key).count() == 1


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM wallet_batch WHERE id = %s",
        "UPDATE wallet_batch SET idempotency_key = 'other' WHERE id = %s",
        "UPDATE wallet_batch SET request_hash = 'other' WHERE id = %s",
    ],
)
def test_batches_are_permanent(ledger, sql):
    refused(sql, [ledger["deposit"].batch_id])


def test_available_balance_cannot_go_below_zero_in_the_database(ledger, inmate):
    spendable = Account.objects.get(inmate=inmate, kind=AccountKind.SPENDABLE)
    # 50_000 credited, 5_000 held: 45_001 more debits would go below zero.
    refused(
        "UPDATE wallet_account SET debits_posted = debits_posted + 45001 WHERE id = %s",
        [spendable.pk],
    )
    raw(
        "UPDATE wallet_account SET debits_posted = debits_posted + 45000 WHERE id = %s",
        [spendable.pk],
    )


def test_accounts_keep_their_owner_and_are_never_deleted(ledger, inmate, site):
    spendable = Account.objects.get(inmate=inmate, kind=AccountKind.SPENDABLE)
    refused("UPDATE wallet_account SET kind = 'savings' WHERE id = %s", [spendable.pk])
    refused("UPDATE wallet_account SET no_overdraft = %s WHERE id = %s", [False, spendable.pk])
    refused("DELETE FROM wallet_account WHERE id = %s", [spendable.pk])


def test_closed_account_never_changes_again(inmate, fund, drawer, officer):
    fund(inmate, 10_000)
    services.release_payout(
        inmate=inmate, method="cash", counter_account=drawer, actor=officer, now=T0
    )
    spendable = Account.objects.get(inmate=inmate, kind=AccountKind.SPENDABLE)
    refused("UPDATE wallet_account SET status = 'open' WHERE id = %s", [spendable.pk])
    refused(
        "UPDATE wallet_account SET credits_posted = credits_posted + 1 WHERE id = %s",
        [spendable.pk],
    )
