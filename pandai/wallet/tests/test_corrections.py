"""Corrections: a reversal once per transfer; adjustments need a second officer and a reason."""

from __future__ import annotations

import pytest

from pandai.core.models import AuditEvent
from pandai.wallet import selectors, services
from pandai.wallet.errors import LedgerError
from pandai.wallet.models import Account, AccountKind, AdjustmentRequest, Transfer

pytestmark = pytest.mark.django_db


def test_reverse_a_deposit(inmate, fund, drawer, head, ledger_ok):
    deposit = fund(inmate, 40_000).transfers[0]
    result = services.transfer_reverse(transfer=deposit, actor=head, reason="salah WBP")
    [reversal] = result.transfers
    assert (reversal.kind, reversal.reverses_id, reversal.amount_rp) == (
        "reversal",
        deposit.pk,
        40_000,
    )
    assert (reversal.debit_account_id, reversal.credit_account_id) == (
        deposit.credit_account_id,
        deposit.debit_account_id,
    )
    assert selectors.balances(inmate=inmate).spendable_rp == 0
    drawer.refresh_from_db()
    assert drawer.balance_rp == 0
    ledger_ok()


def test_a_transfer_is_reversed_once(inmate, fund, head, unchanged):
    deposit = fund(inmate, 40_000).transfers[0]
    services.transfer_reverse(transfer=deposit, actor=head, reason="salah")
    again = services.transfer_reverse(transfer=deposit, actor=head, reason="salah")
    assert again.replayed  # the same request again: the first result
    with unchanged(), pytest.raises(LedgerError) as err:
        services.transfer_reverse(
            transfer=deposit, actor=head, reason="salah", idempotency_key="other"
        )
    assert err.value.code == "already_reversed"


def test_reversal_of_spent_money_is_refused(inmate, fund, head, cashier, unchanged):
    deposit = fund(inmate, 40_000).transfers[0]
    services.purchase(inmate=inmate, amount_rp=30_000, idempotency_key="s", actor=cashier)
    with unchanged(), pytest.raises(LedgerError) as err:
        services.transfer_reverse(transfer=deposit, actor=head, reason="salah")
    assert err.value.code == "insufficient_funds"


def test_reversals_and_holds_cannot_be_reversed(inmate, fund, head, cashier):
    deposit = fund(inmate, 40_000).transfers[0]
    reversal = services.transfer_reverse(transfer=deposit, actor=head, reason="x").transfers[0]
    with pytest.raises(LedgerError) as err:
        services.transfer_reverse(transfer=reversal, actor=head, reason="x")
    assert err.value.code == "not_reversible"


def test_reversal_needs_a_reason(inmate, fund, head, unchanged):
    deposit = fund(inmate, 40_000).transfers[0]
    with unchanged(), pytest.raises(LedgerError) as err:
        services.transfer_reverse(transfer=deposit, actor=head, reason=" ")
    assert err.value.code == "reason_required"


def test_reversed_purchase_gives_the_limit_back_and_respects_the_cap(
    site, inmate, fund, head, cashier, ledger_ok
):
    services.ledger_settings_update(site=site, actor=head, daily_limit_rp=50_000)
    fund(inmate, 1_000_000)
    sale = services.purchase(
        inmate=inmate, amount_rp=50_000, idempotency_key="s", actor=cashier
    ).transfers[0]
    fund(inmate, 50_000)  # at the cap again
    result = services.transfer_reverse(transfer=sale, actor=head, reason="kasir salah")
    assert [t.kind for t in result.transfers] == ["reversal", "cap_overflow"]
    b = selectors.balances(inmate=inmate)
    assert (b.spendable_rp, b.held_rp) == (1_000_000, 50_000)
    assert selectors.limits_remaining(inmate=inmate).daily_remaining_rp == 50_000
    assert services.refundable_rp(sale) == 0
    ledger_ok()


def test_adjustment_needs_a_second_officer(inmate, fund, officer, head, unchanged, ledger_ok):
    fund(inmate, 10_000)
    spendable = Account.objects.get(inmate=inmate, kind=AccountKind.SPENDABLE)
    request = services.adjustment_request(
        account=spendable,
        credit=True,
        amount_rp=2_000,
        reason="selisih hitung uang titipan 3 Mei",
        actor=officer,
    )
    assert selectors.balances(inmate=inmate).spendable_rp == 10_000  # nothing moved yet
    with unchanged(), pytest.raises(LedgerError) as err:
        services.adjustment_approve(request=request, actor=officer)
    assert err.value.code == "maker_checker"
    result = services.adjustment_approve(request=request, actor=head)
    assert [(t.kind, t.amount_rp) for t in result.transfers] == [("adjustment", 2_000)]
    assert selectors.balances(inmate=inmate).spendable_rp == 12_000
    request.refresh_from_db()
    assert (request.status, request.decided_by_id, request.batch_id) == (
        "approved",
        head.pk,
        result.batch.pk,
    )
    with pytest.raises(LedgerError) as err:
        services.adjustment_approve(request=request, actor=head)
    assert err.value.code == "already_decided"
    ledger_ok()


def test_adjustment_needs_a_written_reason(inmate, officer):
    spendable = services.inmate_accounts_open(inmate=inmate).spendable
    with pytest.raises(LedgerError) as err:
        services.adjustment_request(
            account=spendable, credit=True, amount_rp=1, reason="", actor=officer
        )
    assert err.value.code == "reason_required"
    assert not AdjustmentRequest.objects.exists()


def test_debit_adjustment_cannot_overdraw(inmate, fund, officer, head, unchanged):
    fund(inmate, 1_000)
    spendable = Account.objects.get(inmate=inmate, kind=AccountKind.SPENDABLE)
    request = services.adjustment_request(
        account=spendable, credit=False, amount_rp=1_001, reason="kelebihan setor", actor=officer
    )
    with unchanged(), pytest.raises(LedgerError) as err:
        services.adjustment_approve(request=request, actor=head)
    assert err.value.code == "insufficient_funds"


def test_rejected_adjustment_moves_nothing(inmate, officer, head):
    spendable = services.inmate_accounts_open(inmate=inmate).spendable
    request = services.adjustment_request(
        account=spendable, credit=True, amount_rp=5_000, reason="klaim keluarga", actor=officer
    )
    services.adjustment_reject(request=request, actor=head, reason="tidak ada bukti")
    request.refresh_from_db()
    assert request.status == "rejected"
    assert not Transfer.objects.exists()
    assert AuditEvent.objects.filter(action="wallet.adjustment_reject").count() == 1


def test_a_refunded_purchase_is_not_reversed(inmate, fund, head, cashier, unchanged):
    fund(inmate, 40_000)
    sale = services.purchase(
        inmate=inmate, amount_rp=10_000, idempotency_key="s", actor=cashier
    ).transfers[0]
    services.refund(
        inmate=inmate, amount_rp=1_000, purchase=sale, idempotency_key="r", actor=cashier
    )
    with unchanged(), pytest.raises(LedgerError) as err:
        services.transfer_reverse(transfer=sale, actor=head, reason="salah")
    assert err.value.code == "already_refunded"


def test_reversal_into_a_frozen_account_at_the_cap_parks_the_excess_in_held(
    inmate, fund, head, cashier, ledger_ok
):
    fund(inmate, 1_000_000)
    sale = services.purchase(
        inmate=inmate, amount_rp=10_000, idempotency_key="s", actor=cashier
    ).transfers[0]
    fund(inmate, 10_000)
    spendable = Account.objects.get(inmate=inmate, kind=AccountKind.SPENDABLE)
    services.account_freeze(account=spendable, actor=head, reason="pemeriksaan")
    result = services.transfer_reverse(transfer=sale, actor=head, reason="kasir salah")
    assert [t.kind for t in result.transfers] == ["reversal", "cap_overflow"]
    b = selectors.balances(inmate=inmate)
    assert (b.spendable_rp, b.held_rp, b.status) == (1_000_000, 10_000, "frozen")
    ledger_ok()
