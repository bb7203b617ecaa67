"""batch_post: all or nothing, every refusal changes nothing, one key = one effect."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from pandai.core.models import AuditEvent
from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import services
from pandai.wallet.errors import LedgerError
from pandai.wallet.models import Account, AccountKind, AccountStatus, Batch, Transfer
from pandai.wallet.services import TransferSpec
from pandai.wallet.tests.conftest import new_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def clearing(site):
    return services.system_account(site=site, kind=AccountKind.BANK_CLEARING)


@pytest.fixture
def suspense(site):
    return services.system_account(site=site, kind=AccountKind.SUSPENSE)


def post(site, specs, officer, key=None, **kwargs):
    return services.batch_post(
        site=site,
        idempotency_key=key or new_key("b"),
        transfers=specs,
        actor=officer,
        kind=kwargs.pop("kind", "test"),
        **kwargs,
    )


def test_batch_moves_money_and_appends_one_audit_event(site, clearing, suspense, officer):
    audit_before = AuditEvent.objects.count()
    result = post(
        site,
        [
            TransferSpec(clearing, suspense, 7_000, "suspense", reference="bank:1"),
            TransferSpec(clearing, suspense, 3_000, "suspense", reference="bank:2"),
        ],
        officer,
        reference="va:unknown",
    )
    assert [t.amount_rp for t in result.transfers] == [7_000, 3_000]
    assert all(t.pk and t.batch_id == result.batch.pk for t in result.transfers)
    clearing.refresh_from_db()
    suspense.refresh_from_db()
    assert clearing.debits_posted == 10_000 and clearing.balance_rp == 10_000
    assert suspense.credits_posted == 10_000 and suspense.balance_rp == 10_000
    events = AuditEvent.objects.filter(action="wallet.batch")
    assert AuditEvent.objects.count() == audit_before + 1
    data = events.get().data
    assert data["reference"] == "va:unknown" and len(data["transfers"]) == 2


@pytest.mark.parametrize("amount", [0, -5, 1.5, True, "100", None, 10**0 * 0.0])
def test_invalid_amounts_are_refused_and_nothing_changes(
    site, clearing, suspense, officer, amount, unchanged
):
    with unchanged(), pytest.raises(LedgerError) as err:
        post(
            site,
            [
                TransferSpec(clearing, suspense, 5_000, "suspense"),
                TransferSpec(clearing, suspense, amount, "suspense"),
            ],
            officer,
        )
    assert err.value.code == "amount_invalid"
    assert "bilangan bulat" in err.value.message


def test_accounts_of_another_site_are_refused(site, other_site, clearing, officer, unchanged):
    foreign = services.system_account(site=other_site, kind=AccountKind.SUSPENSE)
    with unchanged(), pytest.raises(LedgerError) as err:
        post(site, [TransferSpec(clearing, foreign, 5_000, "suspense")], officer)
    assert err.value.code == "cross_site"


def test_a_stale_object_cannot_smuggle_a_foreign_account(
    site, other_site, clearing, officer, unchanged
):
    foreign = services.system_account(site=other_site, kind=AccountKind.SUSPENSE)
    foreign.site_id = site.pk  # a forged copy claiming to be ours
    with unchanged(), pytest.raises(LedgerError) as err:
        post(site, [TransferSpec(clearing, foreign, 5_000, "suspense")], officer)
    assert err.value.code == "cross_site"


def test_same_account_on_both_sides_is_refused(site, clearing, officer, unchanged):
    with unchanged(), pytest.raises(LedgerError) as err:
        post(site, [TransferSpec(clearing, clearing, 5_000, "suspense")], officer)
    assert err.value.code == "same_account"


def test_frozen_inmate_account_receives_but_cannot_pay(
    site, inmate, fund, head, clearing, officer, unchanged
):
    fund(inmate, 20_000)
    spendable = Account.objects.get(inmate=inmate, kind=AccountKind.SPENDABLE)
    services.account_freeze(account=spendable, actor=head, reason="diperiksa")
    fund(inmate, 5_000)  # still receives
    spendable.refresh_from_db()
    assert spendable.balance_rp == 25_000
    with unchanged(), pytest.raises(LedgerError) as err:
        post(site, [TransferSpec(spendable, clearing, 1_000, "adjustment")], officer)
    assert err.value.code == "account_frozen"
    services.account_unfreeze(account=spendable, actor=head, reason="selesai diperiksa")
    post(site, [TransferSpec(spendable, clearing, 1_000, "adjustment")], officer)


def test_frozen_shared_account_cannot_be_debited(site, clearing, suspense, officer, unchanged):
    Account.objects.filter(pk=clearing.pk).update(status=AccountStatus.FROZEN)
    with unchanged(), pytest.raises(LedgerError) as err:
        post(site, [TransferSpec(clearing, suspense, 1_000, "suspense")], officer)
    assert err.value.code == "account_frozen"
    post(site, [TransferSpec(suspense, clearing, 1, "suspense")], officer)  # may receive


def test_closed_account_takes_nothing(site, clearing, suspense, officer, unchanged):
    Account.objects.filter(pk=suspense.pk).update(status=AccountStatus.CLOSED)
    with unchanged(), pytest.raises(LedgerError) as err:
        post(site, [TransferSpec(clearing, suspense, 1_000, "suspense")], officer)
    assert err.value.code == "account_closed"


def test_overdraft_counts_pending_holds(site, inmate, fund, clearing, officer, unchanged):
    fund(inmate, 10_000)
    spendable = Account.objects.get(inmate=inmate, kind=AccountKind.SPENDABLE)
    post(
        site,
        [TransferSpec(spendable, clearing, 4_000, "hold", hold=True)],
        officer,
    )
    with unchanged(), pytest.raises(LedgerError) as err:
        post(site, [TransferSpec(spendable, clearing, 6_001, "adjustment")], officer)
    assert err.value.code == "insufficient_funds"
    assert err.value.message == "Saldo tidak cukup. Tersedia Rp6.000."
    post(site, [TransferSpec(spendable, clearing, 6_000, "adjustment")], officer)
    spendable.refresh_from_db()
    assert spendable.available_rp == 0 and spendable.debits_pending == 4_000


def test_second_transfer_failing_undoes_the_first(site, inmate, fund, clearing, officer, unchanged):
    fund(inmate, 10_000)
    spendable = Account.objects.get(inmate=inmate, kind=AccountKind.SPENDABLE)
    with unchanged(), pytest.raises(LedgerError):
        post(
            site,
            [
                TransferSpec(clearing, spendable, 1_000, "deposit"),
                TransferSpec(spendable, clearing, 20_000, "adjustment"),
            ],
            officer,
        )


def test_same_key_same_request_replays_without_writing(site, clearing, suspense, officer):
    specs = [TransferSpec(clearing, suspense, 5_000, "suspense", reference="bank:77")]
    first = post(site, specs, officer, key="bank:77")
    snapshot = (Transfer.objects.count(), Batch.objects.count(), AuditEvent.objects.count())
    again = post(site, specs, officer, key="bank:77")
    assert again.replayed and not first.replayed
    assert again.batch.pk == first.batch.pk
    assert [t.pk for t in again.transfers] == [t.pk for t in first.transfers]
    assert (Transfer.objects.count(), Batch.objects.count(), AuditEvent.objects.count()) == snapshot
    suspense.refresh_from_db()
    assert suspense.balance_rp == 5_000


def test_same_key_other_request_is_refused(site, clearing, suspense, officer, unchanged):
    post(site, [TransferSpec(clearing, suspense, 5_000, "suspense")], officer, key="bank:78")
    with unchanged(), pytest.raises(LedgerError) as err:
        post(site, [TransferSpec(clearing, suspense, 5_001, "suspense")], officer, key="bank:78")
    assert err.value.code == "idempotency_conflict"
    assert "bank:78" in err.value.message


def test_keys_are_per_site(site, other_site, clearing, suspense, officer):
    other_clearing = services.system_account(site=other_site, kind=AccountKind.BANK_CLEARING)
    other_suspense = services.system_account(site=other_site, kind=AccountKind.SUSPENSE)
    post(site, [TransferSpec(clearing, suspense, 5_000, "suspense")], officer, key="k")
    result = post(
        other_site, [TransferSpec(other_clearing, other_suspense, 9, "suspense")], officer, key="k"
    )
    assert not result.replayed


def test_empty_key_is_refused(site, clearing, suspense, officer, unchanged):
    with unchanged(), pytest.raises(LedgerError) as err:
        post(site, [TransferSpec(clearing, suspense, 5, "suspense")], officer, key=" ")
    assert err.value.code == "idempotency_key_invalid"


def test_batch_post_joins_the_callers_transaction(site, clearing, suspense, officer):
    with pytest.raises(RuntimeError), transaction.atomic():
        post(site, [TransferSpec(clearing, suspense, 5_000, "suspense")], officer, key="x")
        raise RuntimeError("the caller's sale failed after paying")
    assert not Batch.objects.filter(idempotency_key="x").exists()
    suspense.refresh_from_db()
    assert suspense.credits_posted == 0


def test_database_refuses_a_second_batch_with_the_same_key(site, clearing, suspense, officer):
    first = post(site, [TransferSpec(clearing, suspense, 5, "suspense")], officer, key="dup")
    with pytest.raises(IntegrityError), transaction.atomic():
        Batch.objects.create(
            site=site,
            idempotency_key="dup",
            request_hash="x" * 64,
            kind="test",
            created_at=first.batch.created_at,
        )


def test_inmate_accounts_open_twice_is_harmless(inmate):
    first = services.inmate_accounts_open(inmate=inmate)
    second = services.inmate_accounts_open(inmate=inmate)
    assert [a.pk for a in first.all()] == [a.pk for a in second.all()]
    assert all(a.no_overdraft for a in first.all())
    assert Account.objects.filter(inmate=inmate).count() == 3


def test_released_inmate_gets_no_new_accounts(site):
    gone = InmateFactory(site=site, status="released")
    with pytest.raises(LedgerError) as err:
        services.inmate_accounts_open(inmate=gone)
    assert err.value.code == "inmate_inactive"
    assert not Account.objects.filter(inmate=gone).exists()
