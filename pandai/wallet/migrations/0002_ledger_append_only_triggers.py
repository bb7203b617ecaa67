"""Make transfers and batches append-only and account identities fixed, in the database
itself (SQLite and PostgreSQL); see pandai/wallet/guards.py."""

from django.db import migrations

from pandai.core import dbguards
from pandai.wallet.guards import GUARD_NAMES


def forwards(apps, schema_editor):
    for name in GUARD_NAMES:
        dbguards.install(schema_editor, name)


def backwards(apps, schema_editor):
    for name in GUARD_NAMES:
        dbguards.uninstall(schema_editor, name)


class Migration(migrations.Migration):
    dependencies = [("wallet", "0001_ledger_accounts_transfers")]
    operations = [migrations.RunPython(forwards, backwards)]
