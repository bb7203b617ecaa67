"""Database triggers of the ledger (installed by migration 0002, on SQLite and PostgreSQL).

- Transfers are never deleted; the only UPDATE allowed is a hold leaving `pending` once
  (to posted, voided or expired) with every other column unchanged.
- Batches are never deleted or changed.
- Accounts are never deleted; their identity (site, kind, owner, code, no_overdraft) never
  changes, and a closed account never changes again.
"""

from __future__ import annotations

from django.db.backends.base.schema import BaseDatabaseSchemaEditor

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

# name -> (table, message, condition on OLD/NEW an UPDATE must meet)
RULES = {
    "wallet_transfer_guard": (
        "wallet_transfer",
        "transaksi yang dibukukan tidak bisa diubah atau dihapus; koreksi dengan pembatalan",
        "OLD.kind = 'hold' AND OLD.state = 'pending' "
        "AND NEW.state IN ('posted', 'voided', 'expired')",
    ),
    "wallet_batch_guard": (
        "wallet_batch",
        "batch transaksi tidak bisa diubah atau dihapus",
        "1 = 0",
    ),
    "wallet_account_guard": (
        "wallet_account",
        "rekening tidak bisa dihapus, diganti pemiliknya, atau diubah setelah ditutup",
        "OLD.status <> 'closed'",
    ),
}
CURRENT_COLUMNS = {
    "wallet_transfer_guard": TRANSFER_COLUMNS,
    "wallet_batch_guard": BATCH_COLUMNS,
    "wallet_account_guard": ACCOUNT_IDENTITY,
}

for _name, (_table, _message, _when) in RULES.items():
    dbguards.register(_name, _table, _message, CURRENT_COLUMNS[_name], _when)


def install_version(schema_editor: BaseDatabaseSchemaEditor, name: str, columns: list[str]) -> None:
    """Install guard `name` freezing exactly `columns`. Migrations pass the column list of
    their own time, so an old migration never refers to a column added later."""
    table, message, when = RULES[name]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        same = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in columns)
        guard = dbguards.Guard(name, table, message, f"({when}) AND {same}")
        sql = guard.sqlite_drop() + guard.sqlite_create()
    else:
        same = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in columns)
        guard = dbguards.Guard(name, table, message, f"({when}) AND {same}")
        sql = guard.postgres_create()
    for statement in sql:
        schema_editor.execute(statement)
