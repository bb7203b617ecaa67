"""Sample objects of the counter screens for the permission matrix (core's
test_permission_matrix builds them once per module, inside one transaction)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import counter, counter_deposits, payouts, services
from pandai.wallet.models import AdjustmentRequest
from pandai.wallet.models_counter import CashDifference, CounterShift

# (URL name prefix, kwarg) -> key of the sample object, merged into KWARG_SAMPLES.
COUNTER_SAMPLES: dict[tuple[str, str], str] = {
    ("wallet:", "pk"): "inmate",
    ("wallet:", "shift_pk"): "shift",
    ("wallet:", "counter_pk"): "counter",
    ("wallet:", "deposit_pk"): "deposit",
    ("wallet:", "payout_pk"): "payout",
    ("wallet:", "difference_pk"): "cash_difference",
}


def counter_world(*, site: Any, users: dict[str, Any], inmate: Any, admin: Any) -> dict[str, Any]:
    """A counter with the counter_officer's open shift and one deposit, a closed shift with a
    recorded difference (its adjustment already requested), and a released inmate's payout.

    The difference is written directly: the matrix's world lives in one transaction, where
    the ledger's durable adjustment request cannot run."""
    officer = users["counter_officer"]
    desk = counter.counter_create(site=site, code="MTX-1", name="Loket Matriks", actor=admin)
    shift = counter.shift_open(counter=desk, officer=officer, opening_cash_rp=100_000)
    deposit = counter_deposits.counter_deposit(
        shift=shift,
        inmate=inmate,
        amount_rp=10_000,
        depositor=counter_deposits.Depositor(
            name="Ibu Matriks", nik="3316014507800002", relationship="ibu"
        ),
        form_key="matrix-deposit",
        actor=officer,
    ).deposit
    now = timezone.now()
    old_desk = counter.counter_create(site=site, code="MTX-2", name="Loket Lama", actor=admin)
    closed = CounterShift.objects.create(
        site=site,
        counter=old_desk,
        officer=admin,
        opened_at=now,
        opening_cash_rp=50_000,
        closed_at=now,
        closed_by=admin,
        deposits_rp=0,
        payouts_rp=0,
        expected_cash_rp=50_000,
        counted_cash_rp=45_000,
        difference_rp=-5_000,
    )
    drawer = services.counter_account(site=site, counter=old_desk.code)
    request = AdjustmentRequest.objects.create(
        site=site,
        account=drawer,
        credit=True,
        amount_rp=5_000,
        reason="Selisih matriks",
        requested_by=admin,
        requested_at=now,
    )
    difference = CashDifference.objects.create(
        site=site,
        shift=closed,
        amount_rp=-5_000,
        reason="Uang kembalian salah",
        recorded_by=admin,
        recorded_at=now,
        adjustment=request,
    )
    leaving = InmateFactory(site=site, cell=inmate.cell, reg_no="MTX.9/2024")
    payout = payouts.payout_release(
        inmate=leaving, method="bank", bank_reference="TRF-MTX-1", actor=admin
    )
    return {
        "counter": desk,
        "shift": shift,
        "deposit": deposit,
        "cash_difference": difference,
        "payout": payout,
    }
