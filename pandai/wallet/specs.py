"""What the ledger is asked to write (TransferSpec) and what it answers (BatchResult), and the
small rules every request obeys: whole positive rupiah, one canonical request hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pandai.wallet.errors import AmountInvalid
from pandai.wallet.models import Account, Batch, Transfer


@dataclass(frozen=True)
class TransferSpec:
    debit: Account
    credit: Account
    amount_rp: int
    kind: str
    reference: str = ""
    hold: bool = False  # a pending hold (kind HOLD): reserves, moves nothing yet
    expires_at: dt.datetime | None = None
    pending: Transfer | None = None  # the hold this transfer posts (set by holds.hold_post)
    reverses: Transfer | None = None
    origin: Transfer | None = None
    limit_account: Account | None = None
    limit_day: dt.date | None = None
    limit_delta_rp: int = 0
    # True for new spending checked against the daily/monthly limits.
    check_limit: bool = False

    def canonical(self) -> list[Any]:
        return [
            self.debit.pk,
            self.credit.pk,
            self.amount_rp,
            str(self.kind),
            self.reference,
            self.hold,
            self.expires_at.isoformat() if self.expires_at else None,
            self.reverses.pk if self.reverses else None,
            self.origin.pk if self.origin else None,
        ]


@dataclass
class BatchResult:
    batch: Batch
    transfers: list[Transfer]
    replayed: bool = False
    # The inmate's spendable balance after this batch (for a replay: as it is now).
    available_rp: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


def request_hash(request: Mapping[str, Any]) -> str:
    """SHA-256 of the request in one canonical JSON form."""
    text = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def check_amount(amount: object) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise AmountInvalid(amount)
    return amount


def needs_lock(account: Account) -> bool:
    """Accounts whose balance is checked are locked before reading; the others (shared system
    accounts) are only ever incremented in place."""
    return account.inmate_id is not None or account.no_overdraft
