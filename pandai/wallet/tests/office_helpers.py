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
