"""Sample objects of the money office screens (keuangan/) for the permission matrix (core's
test_permission_matrix builds them once per module, inside one transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pandai.wallet import bank, monitoring, reconciliation, services
from pandai.wallet.models import AdjustmentRequest
from pandai.wallet.virtual_accounts import candidate

# (URL name prefix, kwarg) -> key of the sample object, merged into KWARG_SAMPLES.
OFFICE_SAMPLES: dict[tuple[str, str], str] = {
    ("office:suspense_", "pk"): "bank_credit",
    ("office:reconcile_", "pk"): "reconciliation",
    ("office:flag_", "pk"): "flag",
    ("office:exception_", "pk"): "limit_exception",
    ("office:adjustment_", "pk"): "adjustment",
}
# Pages any logged-in user may open, with the reason (merged into LOGIN_ONLY).
OFFICE_LOGIN_ONLY = {
    "office:home": "the Keuangan menu entry: redirects to the first office screen the roles "
    "allow, or home with a message",
}


def office_world(*, site: Any, inmate: Any, admin: Any) -> dict[str, Any]:
    """Suspense money, a reconciliation, an open flag, a limit exception and an adjustment
    request waiting for approval (written directly: the ledger's durable adjustment request
    cannot run inside the matrix's one transaction)."""
    parked = bank.bank_credit_receive(
        callback=bank.BankCallback("MTX-REF-1", candidate(site, "MTX.1/2024", 9), 25_000)
    ).credit
    csv = b"referensi;no_va;jumlah\nMTX-REF-1;" + parked.va_number.encode() + b";25.000\n"
    done = reconciliation.reconciliation_create(
        site=site, day=timezone.localdate(), filename="mutasi.csv", data=csv, actor=admin
    )
    flag = monitoring.flag_raise(site, "complaint_restriction", inmate, [], "matriks")
    now = timezone.now()
    exception = services.limit_exception_grant(
        inmate=inmate,
        actor=admin,
        reason="matriks",
        valid_from=now,
        valid_until=now + dt.timedelta(days=7),
        daily_limit_rp=100_000,
    )
    account = services.inmate_accounts_open(inmate=inmate).spendable
    adjustment = AdjustmentRequest.objects.create(
        site=site,
        account=account,
        credit=True,
        amount_rp=1_000,
        reason="matriks",
        requested_by=admin,
        requested_at=now,
    )
    return {
        "bank_credit": parked,
        "reconciliation": done,
        "flag": flag,
        "limit_exception": exception,
        "adjustment": adjustment,
    }
