"""The audit log keeps no single-column index on its site and actor (see AuditEvent).

On SQLite, altering a field rebuilds the table, which drops its triggers: the append-only
guard is installed again right after (dropped first, so it also runs on a database whose
rebuild kept them)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from pandai.core import dbguards


def guard_again(apps, schema_editor):
    dbguards.uninstall(schema_editor, "core_auditevent_guard")
    dbguards.install(schema_editor, "core_auditevent_guard")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_guards_decide_in_trigger_when"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="site",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="core.site",
            ),
        ),
        migrations.RunPython(guard_again, migrations.RunPython.noop),
    ]
