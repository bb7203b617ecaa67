"""PostgreSQL: the audit log's guard decides in the UPDATE trigger's WHEN clause (no
PL/pgSQL call for the allowed one-time seal); see `pandai.core.dbguards`. SQLite's triggers
already work this way and are left as they are."""

from django.db import migrations

from pandai.core import dbguards


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        dbguards.install(schema_editor, "core_auditevent_guard")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only_triggers")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
