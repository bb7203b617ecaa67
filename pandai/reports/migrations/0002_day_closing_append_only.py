"""A closed day is append-only, in the database itself."""

from django.db import migrations

from pandai.core import dbguards
from pandai.reports.closing_guards import APPEND_ONLY


def forwards(apps, schema_editor):
    for name in APPEND_ONLY:
        dbguards.install(schema_editor, name)


def backwards(apps, schema_editor):
    for name in APPEND_ONLY:
        dbguards.uninstall(schema_editor, name)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_day_closing")]
    operations = [migrations.RunPython(forwards, backwards)]
