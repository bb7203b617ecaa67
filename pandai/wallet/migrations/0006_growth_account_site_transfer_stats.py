"""Growth (docs/benchmark.md, part 3): what keeps the everyday reads as fast with 10,000,000
transfers in 1,000 sites as with 10,000 transfers in one (measured by `make bench`).

- `account_site`: a site's accounts. Closing's stored totals and the dashboard's money held
  (SUMs over the site's accounts) walked every site's accounts without it (240 ms with
  1,000,000 accounts; 2 ms with it).
- `transfer_site_at` covers what the closing sums (kind, state, amount, the two accounts), and
  `account_id_kind` (PostgreSQL only) gives an account's kind from the index: the closing's
  trial balance over a site's history reads two indexes instead of one heap page per transfer
  of a site whose rows are spread among every other site's (~4x the small database's time
  without them, ~1.5x with them). SQLite ignores INCLUDE and needs no second index on its
  rowid.
- Statistics of `wallet_transfer.debit_account_id` / `credit_account_id` (PostgreSQL only):
  an account's transfers are a tiny share of the table, and the planner is told so
  (n_distinct = -0.1: distinct accounts ~ a tenth of the rows, ~10 rows per account outside
  the most common values, which still carry the busy system accounts). ANALYZE's sample
  guesses a few tens of thousands of distinct accounts among a million, thinks an inmate has
  hundreds of transfers and, for "the last 20 movements" (debit OR credit, newest first),
  walks the primary key backwards through the whole table: 3.4 s. Told the truth, it reads the
  account's own rows through transfer_debit/transfer_credit: 2 ms.
"""

from django.db import migrations, models

COLUMNS = ("debit_account_id", "credit_account_id")


def forwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"ALTER TABLE wallet_transfer ALTER COLUMN {column} SET (n_distinct = -0.1)"
        )
    schema_editor.execute("CREATE INDEX account_id_kind ON wallet_account (id) INCLUDE (kind)")


def backwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"ALTER TABLE wallet_transfer ALTER COLUMN {column} RESET (n_distinct)"
        )
    schema_editor.execute("DROP INDEX IF EXISTS account_id_kind")


class Migration(migrations.Migration):
    dependencies = [
        ("wallet", "0005_counter_shifts_deposits_payouts"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="transfer",
            name="transfer_site_at",
        ),
        migrations.AddIndex(
            model_name="transfer",
            index=models.Index(
                fields=["site", "created_at"],
                include=("kind", "state", "amount_rp", "debit_account", "credit_account"),
                name="transfer_site_at",
            ),
        ),
        migrations.AddIndex(
            model_name="account",
            index=models.Index(fields=["site"], name="account_site"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
