"""PostgreSQL: two functions that let a writer seal the audit chain in three round trips
instead of five (see `pandai.core.audit._seal_autocommit`). SQLite seals in the writer's
own transaction and needs neither.

- `pandai_audit_claim(key, lim)`: try the sealers' advisory lock (session level); if taken,
  no rows. If got, the pending rows in id order with the chain head, read after the lock
  (a VOLATILE function's every query takes a fresh snapshot), the lock kept. If nothing is
  pending, the lock is released and, with a fresh snapshot, looked at again (a writer that
  found the lock taken while we held it relies on that second look).
- `pandai_audit_release(key)`: release the lock, then (fresh snapshot) say whether rows are
  pending: true means "claim again".

They name core_auditevent's columns: a later change of those columns must replace them."""

from django.db import migrations

CLAIM = """
CREATE OR REPLACE FUNCTION pandai_audit_claim(lock_key bigint, lim integer)
RETURNS TABLE (
    o_id bigint, o_site_id bigint, o_at timestamptz, o_actor_id bigint,
    o_actor_label varchar, o_action varchar, o_object_type varchar, o_object_id varchar,
    o_data jsonb, o_head_seq bigint, o_head_hash varchar
) LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    LOOP
        IF NOT pg_try_advisory_lock(lock_key) THEN
            RETURN;
        END IF;
        RETURN QUERY
            SELECT e.id, e.site_id, e.at, e.actor_id, e.actor_label, e.action,
                   e.object_type, e.object_id, e.data, h.seq, h.hash
            FROM core_auditevent e
            LEFT JOIN (SELECT a.seq, a.hash FROM core_auditevent a
                       WHERE a.seq IS NOT NULL ORDER BY a.seq DESC LIMIT 1) h ON true
            WHERE e.seq IS NULL ORDER BY e.id LIMIT lim;
        IF FOUND THEN
            RETURN;
        END IF;
        PERFORM pg_advisory_unlock(lock_key);
        IF NOT EXISTS (SELECT 1 FROM core_auditevent p WHERE p.seq IS NULL) THEN
            RETURN;
        END IF;
    END LOOP;
END $$
"""

RELEASE = """
CREATE OR REPLACE FUNCTION pandai_audit_release(lock_key bigint)
RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_unlock(lock_key);
    RETURN EXISTS (SELECT 1 FROM core_auditevent p WHERE p.seq IS NULL);
END $$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CLAIM)
        schema_editor.execute(RELEASE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS pandai_audit_claim(bigint, integer)")
        schema_editor.execute("DROP FUNCTION IF EXISTS pandai_audit_release(bigint)")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_no_single_fk_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
