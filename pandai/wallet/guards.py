"""Database triggers of the ledger (installed by migration 0002, on SQLite and PostgreSQL).

- Transfers are never deleted; the only UPDATE allowed is a hold leaving `pending` once
  (to posted, voided or expired) with every other column unchanged.
- Batches are never deleted or changed.
- Accounts are never deleted; their identity (site, kind, owner, code, no_overdraft) never
  changes, and a closed account never changes again.
"""

from __future__ import annotations

from pandai.core import dbguards

TRANSFER_COLUMNS = [
    "id",
    "site_id",
    "batch_id",
    "debit_account_id",
    "credit_account_id",
    "amount_rp",
    "kind",
    "pending_id",
    "reverses_id",
    "origin_id",
    "reference",
    "actor_id",
    "terminal",
    "created_at",
    "expires_at",
    "limit_account_id",
    "limit_day",
    "limit_delta_rp",
]
BATCH_COLUMNS = [
    "id",
    "site_id",
    "idempotency_key",
    "request_hash",
    "kind",
    "reference",
    "inmate_id",
    "actor_id",
    "terminal",
    "created_at",
    "daily_limit_rp",
    "monthly_limit_rp",
]
ACCOUNT_IDENTITY = ["id", "site_id", "kind", "inmate_id", "code", "no_overdraft"]

GUARD_NAMES = ("wallet_transfer_guard", "wallet_batch_guard", "wallet_account_guard")

dbguards.register(
    "wallet_transfer_guard",
    "wallet_transfer",
    "transaksi yang dibukukan tidak bisa diubah atau dihapus; koreksi dengan pembatalan",
    TRANSFER_COLUMNS,
    "OLD.kind = 'hold' AND OLD.state = 'pending' AND NEW.state IN ('posted', 'voided', 'expired')",
)
dbguards.register(
    "wallet_batch_guard",
    "wallet_batch",
    "batch transaksi tidak bisa diubah atau dihapus",
    BATCH_COLUMNS,
    "1 = 0",
)
dbguards.register(
    "wallet_account_guard",
    "wallet_account",
    "rekening tidak bisa dihapus, diganti pemiliknya, atau diubah setelah ditutup",
    ACCOUNT_IDENTITY,
    "OLD.status <> 'closed'",
)
