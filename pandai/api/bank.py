"""The bank's callback for transfers to inmates' virtual accounts (docs/virtual-accounts.md).

No device token: the bank signs each request. `X-Pandai-Timestamp` is the unix time in
seconds; `X-Pandai-Signature` is hex HMAC-SHA256, keyed with PANDAI_BANK_SECRET, over
`<timestamp> + "." + <raw body>`. A request whose signature or timestamp does not verify, or
whose body is not the expected JSON, is answered 4xx with a stable code and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Router, Schema

from pandai.api.api import ApiError, ErrorOut
from pandai.wallet import bank
from pandai.wallet.errors import IdempotencyConflict, LedgerError

router = Router(tags=["bank"])

SIGNATURE_HEADER = "X-Pandai-Signature"
TIMESTAMP_HEADER = "X-Pandai-Timestamp"
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
_REF = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")
_VA = re.compile(r"^[0-9]{1,32}$")


def sign(secret: str, timestamp: str | int, body: bytes) -> str:
    """The signature the bank sends (also used by tests and the docs' example)."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(request: HttpRequest, body: bytes, now: float | None = None) -> None:
    """Raise ApiError (401) unless the request carries a valid signature and a fresh
    timestamp. The signature is checked first, so an unsigned caller learns nothing else."""
    signature = request.headers.get(SIGNATURE_HEADER, "").strip()
    timestamp = request.headers.get(TIMESTAMP_HEADER, "").strip()
    if not signature or not timestamp:
        raise ApiError(
            "signature_missing", _("Tanda tangan atau stempel waktu permintaan tidak ada."), 401
        )
    if not timestamp.isdigit() or len(timestamp) > 12:
        raise ApiError("timestamp_invalid", _("Stempel waktu harus detik Unix."), 401)
    expected = sign(settings.PANDAI_BANK_SECRET, timestamp, body)
    if not _HEX64.match(signature) or not hmac.compare_digest(expected, signature.lower()):
        raise ApiError("signature_invalid", _("Tanda tangan permintaan tidak cocok."), 401)
    skew = abs((time.time() if now is None else now) - int(timestamp))
    if skew > settings.PANDAI_BANK_MAX_SKEW_SECONDS:
        raise ApiError(
            "timestamp_stale",
            _("Stempel waktu berselisih lebih dari %(n)d detik dari jam server.")
            % {"n": settings.PANDAI_BANK_MAX_SKEW_SECONDS},
            401,
        )


def _invalid(field: str) -> ApiError:
    return ApiError(
        "invalid_request", _("Data permintaan tidak valid: %(fields)s.") % {"fields": field}, 422
    )


def _text(payload: dict[str, Any], name: str, limit: int) -> str:
    value = payload.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _invalid(name)
    return " ".join(value.split())[:limit]


def _paid_at(payload: dict[str, Any]) -> dt.datetime | None:
    raw = payload.get("paid_at")
    if raw in (None, ""):
        return None
    parsed = parse_datetime(raw) if isinstance(raw, str) else None
    if parsed is None:
        raise _invalid("paid_at")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return parsed


def parse(body: bytes) -> bank.BankCallback:
    """The callback's JSON, checked field by field (ApiError 400/422 otherwise)."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError("malformed_json", _("Isi permintaan bukan JSON yang sah."), 400) from exc
    if not isinstance(payload, dict):
        raise ApiError("malformed_json", _("Isi permintaan harus objek JSON."), 400)
    ref = payload.get("reference")
    if not isinstance(ref, str) or not _REF.match(ref):
        raise _invalid("reference")
    va_number = payload.get("va_number")
    if not isinstance(va_number, str) or not _VA.match(va_number.replace(" ", "")):
        raise _invalid("va_number")
    amount = payload.get("amount")
    if (
        not isinstance(amount, int)
        or isinstance(amount, bool)
        or not 0 < amount <= bank.MAX_AMOUNT_RP
    ):
        raise ApiError(
            "amount_invalid", _("Jumlah harus bilangan bulat rupiah lebih dari nol."), 422
        )
    return bank.BankCallback(
        ref=ref,
        va_number=va_number.replace(" ", ""),
        amount_rp=amount,
        payer_name=_text(payload, "payer_name", 120),
        payer_account=_text(payload, "payer_account", 40),
        paid_at=_paid_at(payload),
    )


class CallbackOut(Schema):
    result: str  # credited / held / suspense (or assigned / returned for a late repeat)
    status: str
    reference: str
    credit_id: int
    amount: int
    held: int
    replayed: bool


# The body the bank sends, for the OpenAPI document: the endpoint reads the raw bytes itself
# (the signature covers them exactly), so ninja cannot infer it from a Schema argument.
CALLBACK_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["reference", "va_number", "amount"],
                "properties": {
                    "reference": {"type": "string", "pattern": _REF.pattern},
                    "va_number": {"type": "string", "pattern": "^[0-9 ]{1,32}$"},
                    "amount": {"type": "integer", "minimum": 1, "maximum": bank.MAX_AMOUNT_RP},
                    "payer_name": {"type": ["string", "null"], "maxLength": 120},
                    "payer_account": {"type": ["string", "null"], "maxLength": 40},
                    "paid_at": {"type": ["string", "null"], "format": "date-time"},
                },
            }
        }
    },
}


@router.post(
    "/va-callback",
    auth=None,
    response={200: CallbackOut, 400: ErrorOut, 401: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Callback transfer bank ke rekening virtual WBP",
    openapi_extra={"requestBody": CALLBACK_BODY},
)
def va_callback(request: HttpRequest) -> dict[str, Any]:
    """The bank reports one transfer: `{"reference", "va_number", "amount", "payer_name",
    "payer_account", "paid_at"}`. Answered 200 with the outcome, the same outcome again for a
    repeat of the reference; 409 if the reference was seen with another VA or amount."""
    body = request.body
    verify(request, body)
    callback = parse(body)
    try:
        outcome = bank.bank_credit_receive(callback=callback)
    except IdempotencyConflict as exc:
        raise ApiError(
            "reference_conflict",
            _("Referensi %(ref)s sudah diterima dengan VA atau jumlah lain. Tidak ada yang diubah.")
            % {"ref": callback.ref},
            409,
        ) from exc
    except LedgerError as exc:
        raise ApiError(exc.code, exc.message, 422) from exc
    credit = outcome.credit
    return {
        "result": outcome.result,
        "status": credit.status,
        "reference": credit.ref,
        "credit_id": credit.pk,
        "amount": credit.amount_rp,
        "held": credit.held_rp,
        "replayed": outcome.replayed,
    }
