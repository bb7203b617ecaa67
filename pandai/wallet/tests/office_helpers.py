"""Helpers for the tests of the bank, reconciliation, closing, monitoring and settings screens:
signed bank callbacks and a snapshot of everything money-related (to prove a refusal changed
nothing)."""

from __future__ import annotations

import http.client
import itertools
import json
import time
from typing import Any
from urllib.parse import urlsplit

from pandai.api.bank import sign
from pandai.core.models import AuditEvent
from pandai.wallet.models import Account, AdjustmentRequest, Batch, LimitException, Transfer
from pandai.wallet.models_bank import BankCredit, Reconciliation, VirtualAccount
from pandai.wallet.models_monitoring import Flag, MonitoringRule

BANK_SECRET = "rahasia-bank-uji-0123456789"
CALLBACK_PATH = "/api/bank/va-callback"
_refs = itertools.count(1)


def new_ref() -> str:
    return f"BNI{time.strftime('%Y%m%d')}{next(_refs):06d}"


def snapshot() -> dict[str, Any]:
    """Every row that money, the bank or monitoring writes, as comparable tuples."""
    return {
        "accounts": sorted(
            Account.objects.values_list(
                "pk",
                "debits_posted",
                "credits_posted",
                "debits_pending",
                "credits_pending",
                "version",
                "status",
            )
        ),
        "transfers": sorted(Transfer.objects.values_list("pk", "state")),
        "batches": Batch.objects.count(),
        "audit": AuditEvent.objects.count(),
        "credits": sorted(
            BankCredit.objects.values_list("pk", "status", "amount_rp", "held_rp", "batch_id")
        ),
        "vas": VirtualAccount.objects.count(),
        "reconciliations": Reconciliation.objects.count(),
        "flags": sorted(Flag.objects.values_list("pk", "status")),
        "rules": sorted(MonitoringRule.objects.values_list("pk", "threshold_n", "window_days")),
        "adjustments": sorted(AdjustmentRequest.objects.values_list("pk", "status")),
        "exceptions": sorted(LimitException.objects.values_list("pk", "revoked_at")),
    }


def payload(ref: str, va: str, amount: Any, **extra: Any) -> bytes:
    body = {"reference": ref, "va_number": va, "amount": amount, "payer_name": "Siti Aminah"}
    body.update(extra)
    return json.dumps(body).encode()


def signed_headers(
    body: bytes, *, secret: str = BANK_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        "X-Pandai-Timestamp": str(ts),
        "X-Pandai-Signature": sign(secret, ts, body),
    }


def http_post(base_url: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    """POST over a real socket (http.client) and decode the JSON answer."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname or "localhost", parts.port, timeout=30)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None
    finally:
        conn.close()


def client_post(client: Any, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    """The same through Django's test client (for the cases that need no real socket)."""
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    extra.pop("HTTP_CONTENT_TYPE", None)
    response = client.post(CALLBACK_PATH, data=body, content_type="application/json", **extra)
    return response.status_code, response.json()


# --- counter records for the closing and monitoring tests ---------------------------------
# Built the way wallet.counter builds them (money through services.deposit_credit, then the
# Deposit row pointing at the batch), so these tests do not depend on the counter screens.

_receipts = itertools.count(1)


def open_shift(*, site: Any, officer: Any, code: str = "LOKET-1", at: Any = None) -> Any:
    from django.utils import timezone

    from pandai.wallet.models_counter import Counter, CounterShift

    counter, _ = Counter.objects.get_or_create(site=site, code=code, defaults={"name": code})
    return CounterShift.objects.create(
        site=site,
        counter=counter,
        officer=officer,
        opened_at=at or timezone.now(),
        opening_cash_rp=100_000,
    )


def counter_deposit(
    *,
    shift: Any,
    inmate: Any,
    amount_rp: int,
    nik: str = "3316010101900001",
    phone: str = "",
    name: str = "Siti Aminah",
    at: Any = None,
) -> Any:
    from django.utils import timezone

    from pandai.wallet import services
    from pandai.wallet.models_counter import Deposit

    now = at or timezone.now()
    drawer = services.counter_account(site=shift.site, counter=shift.counter.code)
    result = services.deposit_credit(
        inmate=inmate,
        amount_rp=amount_rp,
        source=drawer,
        idempotency_key=f"counter-deposit:test-{next(_receipts)}",
        actor=shift.officer,
        terminal=shift.counter.code,
        enforce_rules=False,
        now=now,
    )
    return Deposit.objects.create(
        site=shift.site,
        receipt_no=f"TTP-T-{next(_receipts):06d}",
        inmate=inmate,
        shift=shift,
        officer=shift.officer,
        batch=result.batch,
        depositor_name=name,
        depositor_nik=nik,
        relationship="ibu",
        depositor_phone=phone,
        amount_rp=amount_rp,
        available_after_rp=result.available_rp or 0,
        created_at=now,
    )
