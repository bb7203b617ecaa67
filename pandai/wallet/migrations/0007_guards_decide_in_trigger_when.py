"""PostgreSQL: the ledger's guards decide in the UPDATE trigger's WHEN clause, so the
allowed updates every purchase makes (the accounts' totals) call no PL/pgSQL function; see
`pandai.core.dbguards`. The column lists are those of migration 0002, unchanged since.
SQLite's triggers already work this way and are left as they are."""

from importlib import import_module

from django.db import migrations

from pandai.wallet.guards import install_version

COLUMNS = import_module("pandai.wallet.migrations.0002_ledger_append_only_triggers").COLUMNS


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, columns in COLUMNS.items():
            install_version(schema_editor, name, columns)


class Migration(migrations.Migration):
    dependencies = [("wallet", "0006_growth_account_site_transfer_stats")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
