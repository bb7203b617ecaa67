"""Make the audit log append-only in the database itself (SQLite and PostgreSQL)."""

from django.db import migrations

from pandai.core import dbguards


def forwards(apps, schema_editor):
    dbguards.install(schema_editor, "core_auditevent_guard")


def backwards(apps, schema_editor):
    dbguards.uninstall(schema_editor, "core_auditevent_guard")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_sites_staff_roles_devices_audit")]
    operations = [migrations.RunPython(forwards, backwards)]
