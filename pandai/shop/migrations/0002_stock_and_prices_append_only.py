"""Stock moves and price changes are append-only, in the database itself."""

from django.db import migrations

from pandai.core import dbguards
from pandai.shop.guards import APPEND_ONLY


def forwards(apps, schema_editor):
    for name in APPEND_ONLY:
        dbguards.install(schema_editor, name)


def backwards(apps, schema_editor):
    for name in APPEND_ONLY:
        dbguards.uninstall(schema_editor, name)


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_catalogue_stock_shifts_sales_preorders")]
    operations = [migrations.RunPython(forwards, backwards)]
