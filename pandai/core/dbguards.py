"""Database triggers that make tables append-only, for SQLite and PostgreSQL alike.

A guard refuses DELETE and refuses UPDATE unless `allowed_update_sql` (a condition on OLD/NEW)
holds. Migrations install guards by name; the test suite's flush drops and re-creates them
(see conftest) because Django empties tables with DELETE on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.backends.base.schema import BaseDatabaseSchemaEditor


@dataclass(frozen=True)
class Guard:
    name: str
    table: str
    message: str
    # SQL boolean over OLD and NEW that must be true for an UPDATE to pass; "FALSE" = never.
    allowed_update_sql: str

    def sqlite_create(self) -> list[str]:
        return [
            f"CREATE TRIGGER {self.name}_nodelete BEFORE DELETE ON {self.table} "
            f"BEGIN SELECT RAISE(ABORT, '{self.message}'); END",
            f"CREATE TRIGGER {self.name}_noupdate BEFORE UPDATE ON {self.table} "
            f"WHEN NOT ({self.allowed_update_sql}) "
            f"BEGIN SELECT RAISE(ABORT, '{self.message}'); END",
        ]

    def sqlite_drop(self) -> list[str]:
        return [
            f"DROP TRIGGER IF EXISTS {self.name}_nodelete",
            f"DROP TRIGGER IF EXISTS {self.name}_noupdate",
        ]

    def postgres_create(self) -> list[str]:
        # The UPDATE trigger's own WHEN clause decides (evaluated by the executor, no PL/pgSQL
        # call): the function runs only to refuse. The ledger's accounts and the audit chain
        # are updated on every purchase, so the allowed case must cost next to nothing.
        return [
            f"""CREATE OR REPLACE FUNCTION {self.name}_fn() RETURNS trigger AS $$
            BEGIN
              RAISE EXCEPTION '{self.message}' USING ERRCODE = 'integrity_constraint_violation';
            END $$ LANGUAGE plpgsql""",
            f"DROP TRIGGER IF EXISTS {self.name} ON {self.table}",
            f"DROP TRIGGER IF EXISTS {self.name}_upd ON {self.table}",
            f"CREATE TRIGGER {self.name} BEFORE DELETE ON {self.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {self.name}_fn()",
            f"CREATE TRIGGER {self.name}_upd BEFORE UPDATE ON {self.table} "
            f"FOR EACH ROW WHEN (NOT ({self.allowed_update_sql})) "
            f"EXECUTE FUNCTION {self.name}_fn()",
        ]

    def postgres_drop(self) -> list[str]:
        return [
            f"DROP TRIGGER IF EXISTS {self.name} ON {self.table}",
            f"DROP TRIGGER IF EXISTS {self.name}_upd ON {self.table}",
            f"DROP FUNCTION IF EXISTS {self.name}_fn()",
        ]


def _same(columns: list[str]) -> str:
    """SQL that is true when none of `columns` changed (NULL-safe on both databases)."""
    return " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in columns)


def _same_sqlite(columns: list[str]) -> str:
    return " AND ".join(f"NEW.{c} IS OLD.{c}" for c in columns)


GUARDS: dict[str, tuple[Guard, Guard]] = {}


def register(
    name: str, table: str, message: str, frozen_columns: list[str], update_when: str
) -> None:
    """Register a guard: UPDATE passes only if `frozen_columns` are unchanged and `update_when`."""
    GUARDS[name] = (
        Guard(name, table, message, f"({update_when}) AND {_same_sqlite(frozen_columns)}"),
        Guard(name, table, message, f"({update_when}) AND {_same(frozen_columns)}"),
    )


def statements(vendor: str, name: str, *, create: bool) -> list[str]:
    sqlite_guard, pg_guard = GUARDS[name]
    if vendor == "sqlite":
        return sqlite_guard.sqlite_create() if create else sqlite_guard.sqlite_drop()
    return pg_guard.postgres_create() if create else pg_guard.postgres_drop()


def install(schema_editor: BaseDatabaseSchemaEditor, name: str) -> None:
    for sql in statements(schema_editor.connection.vendor, name, create=True):
        schema_editor.execute(sql)


def uninstall(schema_editor: BaseDatabaseSchemaEditor, name: str) -> None:
    for sql in statements(schema_editor.connection.vendor, name, create=False):
        schema_editor.execute(sql)


register(
    "core_auditevent_guard",
    "core_auditevent",
    "jejak audit hanya bisa ditambah, tidak bisa diubah atau dihapus",
    [
        "id",
        "site_id",
        "at",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "data",
    ],
    # Only the one-time seal may touch a row: an unsealed row gets seq, prev_hash and hash.
    "OLD.seq IS NULL",
)
