"""The rate limits of the kiosk (and the complaints' tracking counters) live in Django's
database cache (settings.CACHES), shared by every server process: its table is made here, so
`migrate` is the only step an installation needs. Idempotent: createcachetable skips a table
that exists, and does nothing when another cache backend is configured."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("kiosk", "0001_kiosk_printer")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
