"""Complaint history is append-only, in the database itself."""

from django.db import migrations

from pandai.complaints.guards import APPEND_ONLY
from pandai.core import dbguards


def forwards(apps, schema_editor):
    for name in APPEND_ONLY:
        dbguards.install(schema_editor, name)


def backwards(apps, schema_editor):
    for name in APPEND_ONLY:
        dbguards.uninstall(schema_editor, name)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_complaints_boxes_history_settings")]
    operations = [migrations.RunPython(forwards, backwards)]
