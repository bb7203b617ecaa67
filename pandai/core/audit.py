"""The audit chain: append events, seal them into the hash chain, verify the chain."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from pandai.core.models import AuditEvent, Site, User

GENESIS_HASH = "0" * 64
# Advisory lock key that only sealers take; writers never wait on it while holding other locks.
_SEAL_LOCK_KEY = 0x50414E44


# psycopg counts executions toward automatic preparing only when this is not None; a count no
# query reaches leaves preparing to the cursors that ask for it (`prepared_cursor`).
_ONLY_WHEN_ASKED = 2**62


class _Sent:
    """What Django's query log reads of a psycopg cursor (`_query.query`): the text sent."""

    def __init__(self, text: str) -> None:
        self.query = text.encode()


def _fixed_text_query_class() -> type | None:
    """psycopg turns a text's %s marks into $n at every execution when the text is over 4 KB
    or has over 50 parameters (it caches only shorter ones, guarding against ORM-made texts
    of every length). The hot paths' texts are few and fixed, and the longest -- a batch's
    transfers, totals, limits, audit event and shared increment in one statement -- is both:
    converting it each time cost ~0.2 ms of a purchase's ~1 ms of client CPU. This query
    class caches the conversion of any text (bounded). None if psycopg's internals it uses
    are not there (then the default, uncached, class is kept)."""
    try:
        from psycopg import _queries
    except ImportError:  # pragma: no cover - another psycopg layout
        return None
    base = getattr(_queries, "PostgresQuery", None)
    convert_text = getattr(_queries, "_query2pg_nocache", None)
    if base is None or convert_text is None or not hasattr(base, "_ensure_bytes"):
        return None  # pragma: no cover
    cached = functools.lru_cache(maxsize=512)(convert_text)

    class FixedTextQuery(base):  # type: ignore[misc, valid-type]
        def convert(self, query: Any, vars: Any) -> None:
            if vars is None or not isinstance(query, str | bytes):
                return super().convert(query, vars)
            text = self._ensure_bytes(query)
            self.query, self._want_formats, self._order, self._parts = cached(
                text, self._tx.encoding
            )
            self.dump(vars)
            return None

    return FixedTextQuery


def _prepared_cursor_class() -> type:
    from django.db.backends.postgresql import base as pg

    server_binding: Any = pg.ServerBindingCursor  # only defined with psycopg 3

    class PreparedCursor(server_binding):
        """Binds parameters on the server and prepares every text it runs (once per
        connection; psycopg keeps the names)."""

        _query_cls = _fixed_text_query_class() or server_binding._query_cls

        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            kwargs.setdefault("prepare", True)
            result = super().execute(query, params, **kwargs)
            if self._query is None:  # type: ignore[has-type]  # none kept when prepared
                self._query = _Sent(query)
            return result

    return PreparedCursor


_prepared_class: list[type] = []


def prepared_cursor() -> Any:
    """A Django cursor for the fixed SQL texts of a hot path (the audit chain's, the ledger's
    posting statements), used as `with prepared_cursor() as cursor:`. On PostgreSQL each text
    is parsed and planned once per connection (a server-side prepared statement) instead of
    at every call: for these short statements that is most of the server's CPU; and the
    cursor itself is made once per connection (Django's cursor setup costs more client CPU
    than a short statement). With `PANDAI_PG_PREPARED = False` in the settings (e.g.
    behind a transaction-pooling pgbouncer older than 1.21), the usual cursor. On SQLite
    the usual cursor too, also made once per connection. Django's wrapper stays around it
    (query logging, error translation)."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        cached = getattr(db, "_pandai_cursor", None)
        if cached is not None and cached[0] is db.connection and cached[1] == db.queries_logged:
            return nullcontext(cached[2])
        wrapper = db.cursor()
        db._pandai_cursor = (db.connection, db.queries_logged, wrapper)  # type: ignore[attr-defined]
        return nullcontext(wrapper)
    if not getattr(settings, "PANDAI_PG_PREPARED", True):
        return db.cursor()
    raw = db.connection
    logged = db.queries_logged
    cached = getattr(db, "_pandai_prepared", None)
    if cached is not None and cached[0] is raw and cached[1] == logged and not raw.closed:
        return nullcontext(cached[2])  # kept open for the connection's life, not closed here
    db.ensure_connection()
    raw = db.connection
    if raw.prepare_threshold is None:
        # Django turns preparing off for the whole connection; Django's own (client-binding)
        # cursors never prepare whatever this says, so only ours do.
        raw.prepare_threshold = _ONLY_WHEN_ASKED
    if not _prepared_class:
        _prepared_class.append(_prepared_cursor_class())
    default = raw.cursor_factory
    raw.cursor_factory = _prepared_class[0]
    try:
        wrapper = db.cursor()
    finally:
        raw.cursor_factory = default
    db._pandai_prepared = (raw, logged, wrapper)  # type: ignore[attr-defined]
    return nullcontext(wrapper)


def canonical(event: AuditEvent) -> str:
    """The bytes a row's hash covers: its chain position and every recorded field, in one
    stable JSON form (the database id is left out: on SQLite the hash is made before the
    INSERT that assigns it)."""
    return _canonical(
        event.seq,
        event.site_id,
        event.at,
        event.actor_id,
        event.actor_label,
        event.action,
        event.object_type,
        event.object_id,
        event.data,
    )


def _canonical(
    seq: int | None,
    site_id: int | None,
    at: dt.datetime | None,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    data: Any,
) -> str:
    """`canonical` of the values themselves (the sealer hashes rows without making models)."""
    at = at.astimezone(dt.UTC) if at else None
    return json.dumps(
        {
            "seq": seq,
            "site": site_id,
            "at": at.isoformat(timespec="microseconds") if at else None,
            "actor": actor_id,
            "actor_label": actor_label,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "data": data,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + canonical(event)).encode()).hexdigest()


def _chain_head() -> tuple[int, str]:
    """(seq, hash) of the last sealed row; two columns only, through the unique seq index."""
    head = (
        AuditEvent.objects.filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    return (head[0] or 0, head[1]) if head else (0, GENESIS_HASH)


def audit_append(
    *,
    action: str,
    site: Site | None = None,
    actor: User | None = None,
    actor_label: str = "",
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain.

    SQLite: the transaction already holds the database's single write lock, so the row is
    sealed as it is inserted (one small read of the chain head, one INSERT).
    PostgreSQL: the row is inserted unsealed — no shared row or lock is touched, so writers
    never queue behind each other — and sealed in order right after the commit.
    """
    event = _event(action, site, actor, actor_label, obj, object_type, object_id, data)
    if connection.vendor == "postgresql":
        _insert(event)
        transaction.on_commit(audit_seal_pending)
        return event
    # No savepoint when the caller's transaction is open: the chain head and this row are
    # read and written under the write lock that transaction already holds.
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute(_HEAD_SQL)
            head = cursor.fetchone()
        seq, prev = (head[0] or 0, head[1]) if head else (0, GENESIS_HASH)
        event.seq = seq + 1
        event.prev_hash = prev
        event.hash = chain_hash(prev, event)
        _insert(event)
    return event


def _event(
    action: str,
    site: Site | None,
    actor: User | None,
    actor_label: str,
    obj: Any,
    object_type: str,
    object_id: str | int,
    data: dict[str, Any] | None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    if actor is not None and not getattr(actor, "pk", None):
        actor = None
    return AuditEvent(
        site=site,
        at=timezone.now(),
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor else ""),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        data=data or {},
    )


def audit_append_with(
    statement: str,
    params: Sequence[Any],
    *,
    action: str,
    site: Site | None = None,
    actor: User | None = None,
    object_type: str = "",
    object_id: str | int = "",
    data: dict[str, Any] | None = None,
) -> tuple[AuditEvent, int]:
    """`audit_append`, plus one more data-modifying `statement` (without RETURNING) run in
    the same round trip on PostgreSQL (after it elsewhere); returns the event and the number
    of rows the statement changed."""
    if connection.vendor != "postgresql":
        event = audit_append(
            action=action,
            site=site,
            actor=actor,
            object_type=object_type,
            object_id=object_id,
            data=data,
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return event, int(cursor.rowcount)
    event = audit_event(action, site, actor, object_type, object_id, data)
    with prepared_cursor() as cursor:
        cursor.execute(
            f"WITH ins AS ({_INSERT_SQL}), stmt AS ({statement} RETURNING 1) "  # noqa: S608
            "SELECT (SELECT id FROM ins), (SELECT count(*) FROM stmt)",
            [*audit_insert_params(event), *params],
        )
        pk, changed = cursor.fetchone()
    audit_appended(event, pk)
    return event, int(changed)


# --- Appending inside another statement (PostgreSQL) --------------------------------------
# For a hot path that writes its own rows and the event in one round trip: make the event
# with `audit_event`, put `audit_insert_sql(...)` in the statement (as a WITH query) with
# `audit_insert_params(event)` as its parameters, and give the new id to `audit_appended`.


def audit_event(
    action: str,
    site: Site | None,
    actor: User | None,
    object_type: str,
    object_id: str | int,
    data: dict[str, Any] | None,
) -> AuditEvent:
    """The unsaved event `audit_append` would write."""
    return _event(action, site, actor, "", None, object_type, object_id, data)


@functools.cache
def audit_insert_sql(data_sql: str = "") -> str:
    """The event's INSERT (ending in RETURNING id). With `data_sql`, a jsonb expression of
    the same statement (e.g. built from another WITH query's rows), the stored `data` is the
    event's own data with that object's keys added."""
    if not data_sql:
        return _INSERT_SQL
    values = ", ".join(
        f"(%s::jsonb || {data_sql})" if f.attname == "data" else "%s" for f in _INSERT_FIELDS
    )
    columns = ", ".join(str(f.column) for f in _INSERT_FIELDS)
    return f"INSERT INTO {AuditEvent._meta.db_table} ({columns}) SELECT {values} RETURNING id"


def audit_insert_params(event: AuditEvent) -> list[Any]:
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the proxy, for 11 fields
    return [f.get_db_prep_save(getattr(event, f.attname), db) for f in _INSERT_FIELDS]


def audit_appended(event: AuditEvent, pk: int) -> None:
    """The event was inserted with id `pk` (unsealed): seal it right after the commit."""
    event.pk = pk
    event._state.adding = False
    event._state.db = connection.alias
    transaction.on_commit(audit_seal_pending)


_HEAD_SQL = (
    f"SELECT seq, hash FROM {AuditEvent._meta.db_table} "  # noqa: S608
    "WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1"
)
_INSERT_FIELDS = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
_INSERT_SQL = (
    f"INSERT INTO {AuditEvent._meta.db_table} "  # noqa: S608
    f"({', '.join(str(f.column) for f in _INSERT_FIELDS)}) "
    f"VALUES ({', '.join(['%s'] * len(_INSERT_FIELDS))}) RETURNING id"
)


def _insert(event: AuditEvent) -> None:
    """The row's INSERT as one fixed statement (the ORM's compiler costs more than the
    round trip); values go through each field's own database preparation."""
    with prepared_cursor() as cursor:
        cursor.execute(_INSERT_SQL, audit_insert_params(event))
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias


def _seal_batch(*, limit: int) -> int:
    pending = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:limit])
    if not pending:
        return 0
    seq, prev = _chain_head()
    for event in pending:
        seq += 1
        event.seq = seq
        event.prev_hash = prev
        event.hash = chain_hash(prev, event)
        prev = event.hash
    AuditEvent.objects.bulk_update(pending, ["seq", "prev_hash", "hash"])
    return len(pending)


def _try_seal_lock() -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_SEAL_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _unsealed_exist() -> bool:
    return AuditEvent.objects.filter(seq__isnull=True).exists()


_TABLE = AuditEvent._meta.db_table
_CANON = ("site_id", "at", "actor_id", "actor_label", "action", "object_type", "object_id")
# The pending rows in id order, each with the chain head as of the same snapshot.
_PENDING_SQL = (
    f"SELECT e.id, {', '.join('e.' + c for c in _CANON)}, e.data, h.seq, h.hash "  # noqa: S608
    f"FROM {_TABLE} e LEFT JOIN (SELECT seq, hash FROM {_TABLE} WHERE seq IS NOT NULL "
    "ORDER BY seq DESC LIMIT 1) h ON true WHERE e.seq IS NULL ORDER BY e.id LIMIT %s"
)


# One text for any number of rows (arrays, not a VALUES list per count): prepared once.
_SEAL_SQL = (
    f"UPDATE {_TABLE} AS e SET seq = v.seq, prev_hash = v.prev, hash = v.hash "  # noqa: S608
    "FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[]) AS v(id, seq, prev, hash) "
    "WHERE e.id = v.id AND e.seq IS NULL"
)


def _seal_batch_sql(cursor: Any, *, limit: int) -> int:
    """One statement reads the pending rows and the chain head, one UPDATE seals them (the
    caller holds the sealers' lock, so nobody else moves the head in between)."""
    cursor.execute(_PENDING_SQL, [limit])
    return _seal_rows(cursor, cursor.fetchall())


def _seal_rows(cursor: Any, rows: list[Any]) -> int:
    """Seal `rows` (as `_PENDING_SQL` returns them: id, _CANON's columns, data, head seq,
    head hash) with one UPDATE."""
    if not rows:
        return 0
    head_seq, prev = rows[0][-2:]
    seq = head_seq or 0
    prev = prev if head_seq is not None else GENESIS_HASH
    params: list[Any] = []
    for row in rows:
        seq += 1
        data = row[8]
        if isinstance(data, str):  # psycopg hands jsonb to Django as text
            data = json.loads(data)
        # row: id, then _CANON's columns in the order of _canonical's arguments, then data
        text = _canonical(seq, row[1], row[2], row[3], row[4], row[5], row[6], row[7], data)
        digest = hashlib.sha256((prev + text).encode()).hexdigest()
        params += [row[0], seq, prev, digest]
        prev = digest
    cursor.execute(_SEAL_SQL, [params[0::4], params[1::4], params[2::4], params[3::4]])
    if cursor.rowcount != len(rows):
        raise RuntimeError("audit rows sealed by someone else while holding the seal lock")
    return len(rows)


_CLAIM_SQL = "SELECT * FROM pandai_audit_claim(%s, %s)"
_RELEASE_SQL = "SELECT pandai_audit_release(%s)"


def _seal_autocommit(limit: int) -> int:
    """PostgreSQL outside a transaction: a session-level lock and no BEGIN/COMMIT (each
    statement commits by itself). `pandai_audit_claim` (migration core 0005) tries the lock
    and, if it got it, returns the pending rows read after taking it: a writer that finds
    the lock taken, or nothing to seal, pays that one round trip. The holder seals them in one
    UPDATE per batch, then `pandai_audit_release` releases the lock and looks again, with a
    snapshot taken after the release: rows committed by writers that found the lock taken
    are seen there and claimed again. Three round trips for a sealer (five before)."""
    sealed = 0
    with prepared_cursor() as cursor:
        cursor.execute(_CLAIM_SQL, [_SEAL_LOCK_KEY, limit])
        rows = cursor.fetchall()
        while rows:
            try:
                batch = _seal_rows(cursor, rows)
                sealed += batch
                while batch == limit:
                    batch = _seal_batch_sql(cursor, limit=limit)
                    sealed += batch
            finally:
                cursor.execute(_RELEASE_SQL, [_SEAL_LOCK_KEY])
                again = bool(cursor.fetchone()[0])
            rows = []
            if again:
                cursor.execute(_CLAIM_SQL, [_SEAL_LOCK_KEY, limit])
                rows = cursor.fetchall()
    return sealed


def audit_seal_pending(*, limit: int = 2000) -> int:
    """Seal every committed, unsealed event into the chain, in id order.

    Only one sealer works at a time (an advisory lock only sealers take). A writer that finds
    the lock taken returns at once: the sealer holding it checks for unsealed rows again
    after it has released the lock, and that check comes after this writer's commit, so the
    writer's row is sealed by it (or by the next sealer) — never left behind, never waited on.
    """
    if connection.vendor == "postgresql" and connection.get_autocommit():
        return _seal_autocommit(limit)
    sealed = 0
    while True:
        with transaction.atomic():
            if not _try_seal_lock():
                return sealed
            while batch := _seal_batch(limit=limit):
                sealed += batch
        # The lock is released with the commit above; look once more for rows committed by
        # writers that found it taken.
        if not _unsealed_exist():
            return sealed


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    last_seq: int
    last_hash: str
    first_bad_id: int | None = None
    first_bad_seq: int | None = None
    problem: str = ""


def audit_verify(*, chunk: int = 5000) -> VerifyResult:
    """Walk the chain from the genesis and name the first row that does not verify."""
    audit_seal_pending()
    prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_seen = 0
    while True:
        rows = list(
            AuditEvent.objects.filter(seq__gt=last_seen, seq__isnull=False).order_by("seq")[:chunk]
        )
        if not rows:
            break
        for event in rows:
            problem = ""
            if event.seq != expected_seq:
                problem = f"urutan terputus: diharapkan #{expected_seq}, ditemukan #{event.seq}"
            elif event.prev_hash != prev:
                problem = "prev_hash tidak sama dengan hash baris sebelumnya"
            elif event.hash != chain_hash(prev, event):
                problem = "hash tidak cocok dengan isi baris (baris diubah)"
            if problem:
                return VerifyResult(
                    False, checked, expected_seq - 1, prev, event.pk, event.seq, problem
                )
            prev = event.hash
            expected_seq += 1
            checked += 1
            last_seen = event.seq or 0
    unsealed = AuditEvent.objects.filter(seq__isnull=True).order_by("id").first()
    if unsealed is not None:
        return VerifyResult(
            False, checked, expected_seq - 1, prev, unsealed.pk, None, "baris belum disegel"
        )
    return VerifyResult(True, checked, expected_seq - 1, prev)


def audit_last_hash_before(moment: Any) -> tuple[int, str]:
    """The chain's position and hash as of `moment` (for anchoring it on a daily report)."""
    event = AuditEvent.objects.filter(seq__isnull=False, at__lt=moment).order_by("-seq").first()
    return (event.seq or 0, event.hash) if event else (0, GENESIS_HASH)
