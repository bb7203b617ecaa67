"""Make transfers and batches append-only and account identities fixed, in the database
itself (SQLite and PostgreSQL); see pandai/wallet/guards.py. The column lists are frozen here
as they were at this migration."""

from django.db import migrations

from pandai.core import dbguards
from pandai.wallet.guards import install_version

COLUMNS = {
    "wallet_transfer_guard": [
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
    ],
    "wallet_batch_guard": [
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
    ],
    "wallet_account_guard": ["id", "site_id", "kind", "inmate_id", "code", "no_overdraft"],
}


def forwards(apps, schema_editor):
    for name, columns in COLUMNS.items():
        install_version(schema_editor, name, columns)


def backwards(apps, schema_editor):
    for name in COLUMNS:
        dbguards.uninstall(schema_editor, name)


class Migration(migrations.Migration):
    dependencies = [("wallet", "0001_ledger_accounts_transfers")]
    operations = [migrations.RunPython(forwards, backwards)]
