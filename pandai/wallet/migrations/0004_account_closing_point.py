"""Accounts remember the ledger's highest transfer id when they closed, so ledger_check can
prove no transfer touched them later (a closed row is frozen by the account guard)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("wallet", "0003_bank_credits_reconciliation_monitoring")]

    operations = [
        migrations.AddField(
            model_name="account",
            name="closed_max_transfer_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
    ]
