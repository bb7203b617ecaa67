"""The statements of the posting hot path, written once from the models' metadata.

A purchase is a handful of short statements; building each through the ORM's query compiler
costs far more CPU than running it, so the statements every batch runs are plain SQL here
(table and column names still come from the models, values are always parameters). Reads
and rare writes elsewhere use the ORM. On PostgreSQL they run through
`pandai.core.audit.prepared_cursor`: each text is parsed and planned once per connection, not
at every purchase (the texts are few and fixed for that reason: lists of rows go in arrays).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models.base import ModelState

from pandai.core.audit import (
    audit_appended,
    audit_insert_params,
    audit_insert_sql,
    prepared_cursor,
)
from pandai.core.models import AuditEvent
from pandai.wallet.models import Account, AccountDelta, Batch, LedgerSettings, Transfer

# Columns loaded for posting; the rest (timestamps, name) stay deferred.
_ACCOUNT_WANTED = {
    "id",
    "site",
    "kind",
    "inmate",
    "code",
    "debits_posted",
    "credits_posted",
    "debits_pending",
    "credits_pending",
    "version",
    "status",
    "no_overdraft",
}
_ACCOUNT_FIELDS = [f for f in Account._meta.concrete_fields if f.name in _ACCOUNT_WANTED]
_ACCOUNT_ATTNAMES = [f.attname for f in _ACCOUNT_FIELDS]
# Ledger table and column names are plain lower-case identifiers: no quoting needed.
_ACCOUNT_TABLE = Account._meta.db_table


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


@cache
def _postgres() -> bool:
    """One database per process: its vendor, asked once (the `connection` proxy's lookups
    cost more than the short statements of the hot path)."""
    return connections[DEFAULT_DB_ALIAS].vendor == "postgresql"


@cache
def _account_select(vendor: str, where: str, lock: bool) -> str:
    columns = ", ".join(qn(f.column or f.name) for f in _ACCOUNT_FIELDS)
    sql = f"SELECT {columns} FROM {qn(Account._meta.db_table)} WHERE {where} ORDER BY id"  # noqa: S608
    if lock and vendor == "postgresql":
        sql += " FOR NO KEY UPDATE"  # blocks other writers, not foreign-key checks
    return sql


def _accounts(where: str, params: Sequence[Any], *, lock: bool) -> list[Account]:
    sql = _account_select("postgresql" if _postgres() else "other", where, lock)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [_account(row) for row in rows]


def _account(row: Sequence[Any]) -> Account:
    """What `Account.from_db` makes of the posting columns (the others deferred: loaded on
    first access), without `Model.__init__`'s per-field work -- Account has no init signals
    or descriptors that need it. Four of these per purchase."""
    account = Account.__new__(Account)
    account.__dict__.update(zip(_ACCOUNT_ATTNAMES, row, strict=True))
    account.no_overdraft = bool(account.no_overdraft)
    state = ModelState()
    state.adding = False
    state.db = DEFAULT_DB_ALIAS
    account._state = state
    return account


def lock_accounts_of_inmate(inmate_id: int) -> list[Account]:
    """SELECT ... FOR UPDATE of one inmate's accounts, in id order."""
    return _accounts("inmate_id = %s", [inmate_id], lock=True)


def lock_accounts_by_id(ids: Sequence[int]) -> list[Account]:
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    return _accounts(f"id IN ({marks})", list(ids), lock=True)


def find_system_account(site_id: int, kind: str, code: str) -> Account | None:
    found = _accounts(
        "site_id = %s AND kind = %s AND code = %s AND inmate_id IS NULL",
        [site_id, kind, code],
        lock=False,
    )
    return found[0] if found else None


_SETTINGS = (
    "balance_cap_rp",
    "daily_limit_rp",
    "monthly_limit_rp",
    "max_deposit_rp",
    "max_deposits_per_day",
    "savings_share_pct",
)


_SETTINGS_SQL = (
    f"SELECT {', '.join(_SETTINGS)} FROM {LedgerSettings._meta.db_table} "  # noqa: S608
    "WHERE site_id = %s"
)


def site_settings(site_id: int) -> dict[str, int | None] | None:
    with prepared_cursor() as cursor:
        cursor.execute(_SETTINGS_SQL, [site_id])
        row = cursor.fetchone()
    return dict(zip(_SETTINGS, row, strict=True)) if row else None


# The newest limit exception in force for an inmate (parameters: inmate, now, now).
_EXCEPTION_SQL = (
    "SELECT id, daily_limit_rp, monthly_limit_rp FROM wallet_limitexception "
    "WHERE inmate_id = %s AND valid_from <= %s AND valid_until > %s "
    "AND revoked_at IS NULL ORDER BY granted_at DESC, id DESC LIMIT 1"
)


def active_exception(inmate_id: int, now: dt.datetime) -> tuple[int, int | None, int | None] | None:
    """(id, daily, monthly) of the newest exception in force for the inmate, if any."""
    moment = connection.ops.adapt_datetimefield_value(now)
    with prepared_cursor() as cursor:
        cursor.execute(_EXCEPTION_SQL, [inmate_id, moment, moment])
        row = cursor.fetchone()
    return (row[0], row[1], row[2]) if row else None


_CONTEXT_SQL = (
    "SELECT "  # noqa: S608
    + ", ".join(f"s.{c}" for c in _SETTINGS)
    + ", x.id, x.daily_limit_rp, x.monthly_limit_rp, "
    + ", ".join(f"a.{f.column}" for f in _ACCOUNT_FIELDS)
    + f" FROM (SELECT 1) AS one LEFT JOIN {LedgerSettings._meta.db_table} s ON s.site_id = %s "
    + f"LEFT JOIN ({_EXCEPTION_SQL}) x ON 1 = 1 "
    f"LEFT JOIN {_ACCOUNT_TABLE} a ON a.site_id = %s AND a.kind = %s AND a.code = %s "
    "AND a.inmate_id IS NULL ORDER BY a.id LIMIT 1"
)


def purchase_context(
    site_id: int, inmate_id: int, now: dt.datetime, kind: str, code: str
) -> Context:
    """One round trip: what `site_settings`, `active_exception` and `find_system_account`
    answer one by one (PostgreSQL folds this into `insert_batch_locking_with_context`)."""
    moment = connection.ops.adapt_datetimefield_value(now)
    with prepared_cursor() as cursor:
        cursor.execute(_CONTEXT_SQL, [site_id, inmate_id, moment, moment, site_id, kind, code])
        row = cursor.fetchone()
    return _context_of(row)


Context = tuple[
    dict[str, int | None] | None, tuple[int, int | None, int | None] | None, Account | None
]
# Width of a context in a row: the settings, the exception's three columns, an account.
_CONTEXT_WIDTH = len(_SETTINGS) + 3 + len(_ACCOUNT_FIELDS)


def _context_of(row: Sequence[Any]) -> Context:
    """(settings, exception, system account) from `_CONTEXT_WIDTH` columns of a row; each
    None where its first column is NULL (nothing found)."""
    n = len(_SETTINGS)
    settings = dict(zip(_SETTINGS, row[:n], strict=True)) if row[0] is not None else None
    exc = (row[n], row[n + 1], row[n + 2]) if row[n] is not None else None
    account = _account(row[n + 3 : _CONTEXT_WIDTH]) if row[n + 3] is not None else None
    return settings, exc, account


_SPENT_SQL = (
    "SELECT COALESCE(SUM(CASE WHEN limit_day = %s THEN limit_delta_rp ELSE 0 END), 0), "
    "COALESCE(SUM(limit_delta_rp), 0) FROM wallet_transfer "
    "WHERE limit_account_id = %s AND limit_day >= %s AND limit_day <= %s "
    "AND (state = 'pending' OR kind <> 'hold')"
)


def _spent_params(limit_account_id: int, today: dt.date, month_start: dt.date) -> list[Any]:
    day = connection.ops.adapt_datefield_value(today)
    return [day, limit_account_id, connection.ops.adapt_datefield_value(month_start), day]


def spent(limit_account_id: int, today: dt.date, month_start: dt.date) -> tuple[int, int]:
    """(today, this month) of the signed limit deltas that still count."""
    with prepared_cursor() as cursor:
        cursor.execute(_SPENT_SQL, _spent_params(limit_account_id, today, month_start))
        row = cursor.fetchone()
    return int(row[0]), int(row[1])


_PLAIN, _DATETIME, _DATE, _BOOL = range(4)


def _prep_kind(field: Any) -> int:
    internal = field.get_internal_type()
    if internal == "DateTimeField":
        return _DATETIME
    if internal == "DateField":
        return _DATE
    if internal == "BooleanField":
        return _BOOL
    return _PLAIN  # integers, strings, foreign keys: the value as it is


@cache
def _insert_plan(model: Any, vendor: str, rows: int, conflict: str) -> tuple[str, list[Any]]:
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = ", ".join(qn(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES "  # noqa: S608
        f"{', '.join([row] * rows)} {conflict} RETURNING id"
    )
    return sql, [(f.attname, _prep_kind(f)) for f in fields]


def _insert_returning_ids(model: type, objs: Sequence[object], conflict: str = "") -> list[int]:
    return [int(r[0]) for r in _insert_returning(model, objs, conflict)]


def _insert_returning(
    model: type,
    objs: Sequence[object],
    conflict: str = "",
    with_sql: str = "",
    with_params: Sequence[Any] = (),
    also_return: str = "",
) -> list[tuple[Any, ...]]:
    sql, fields = _insert_plan(model, "postgresql" if _postgres() else "other", len(objs), conflict)
    sql = with_sql + sql + also_return
    params: list[Any] = list(with_params)
    params += _params(objs, fields)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _params(objs: Sequence[object], fields: Sequence[tuple[str, int]]) -> list[Any]:
    """The INSERT's parameters of `objs`, as the database wants them."""
    ops = connection.ops
    params: list[Any] = []
    for obj in objs:
        for attname, kind in fields:
            value = getattr(obj, attname)
            if value is not None and kind:
                if kind == _DATETIME:
                    value = ops.adapt_datetimefield_value(value)
                elif kind == _DATE:
                    value = ops.adapt_datefield_value(value)
                else:
                    value = bool(value)
            params.append(value)
    return params


def insert_batch(batch: Batch) -> int | None:
    """INSERT ... ON CONFLICT DO NOTHING: the new id, or None if the key exists."""
    conflict = "ON CONFLICT (site_id, idempotency_key) DO NOTHING"
    ids = _insert_returning_ids(Batch, [batch], conflict)
    return ids[0] if ids else None


@cache
def _batch_locking_sql() -> str:
    insert, _fields = _insert_plan(
        Batch, "postgresql", 1, "ON CONFLICT (site_id, idempotency_key) DO NOTHING"
    )
    columns = ", ".join(str(f.column) for f in _ACCOUNT_FIELDS)
    # The lock runs only when the INSERT wrote the row (a replay locks nothing), after it, as
    # a separate SELECT ... FOR NO KEY UPDATE would: it waits for the rows and reads their
    # newest committed version.
    return (
        f"WITH b AS ({insert}), acc AS MATERIALIZED (SELECT {columns} "  # noqa: S608
        f"FROM {_ACCOUNT_TABLE} WHERE inmate_id = %s AND EXISTS (SELECT 1 FROM b) "
        "ORDER BY id FOR NO KEY UPDATE) "
        "SELECT (SELECT id FROM b), acc.* FROM (SELECT 1) AS one LEFT JOIN acc ON true "
        "ORDER BY acc.id"
    )


def insert_batch_locking(batch: Batch, inmate_id: int) -> tuple[int | None, list[Account]]:
    """`insert_batch`, then, if the row was written, `lock_accounts_of_inmate` -- on
    PostgreSQL in one statement."""
    if not _postgres():
        pk = insert_batch(batch)
        return pk, lock_accounts_of_inmate(inmate_id) if pk is not None else []
    _sql, fields = _insert_plan(
        Batch, "postgresql", 1, "ON CONFLICT (site_id, idempotency_key) DO NOTHING"
    )
    params = _params([batch], fields)
    params.append(inmate_id)
    with prepared_cursor() as cursor:
        cursor.execute(_batch_locking_sql(), params)
        rows = cursor.fetchall()
    pk = rows[0][0]
    if pk is None:
        return None, []
    return int(pk), [_account(row[1:]) for row in rows if row[1] is not None]


@cache
def _batch_rules_locking_sql() -> str:
    """`_batch_locking_sql` that also reads the site's rules, the inmate's exception in force
    and one system account, and writes the limits in force into the batch row itself."""
    batch_fields = [f for f in Batch._meta.concrete_fields if not f.primary_key]
    limits = {"daily_limit_rp", "monthly_limit_rp"}
    values = ", ".join(
        (
            f"CASE WHEN s.daily_limit_rp IS NULL AND s.monthly_limit_rp IS NULL THEN NULL "
            f"ELSE COALESCE(x.{f.column}, s.{f.column}) END"
        )
        if f.column in limits
        else "%s"
        for f in batch_fields
    )
    columns = ", ".join(str(f.column) for f in batch_fields)
    account_columns = ", ".join(str(f.column) for f in _ACCOUNT_FIELDS)
    return (
        f"WITH s AS (SELECT {', '.join(_SETTINGS)} FROM {LedgerSettings._meta.db_table} "  # noqa: S608
        "WHERE site_id = %s), "
        f"x AS ({_EXCEPTION_SQL}), "
        f"b AS (INSERT INTO {Batch._meta.db_table} ({columns}) SELECT {values} "
        "FROM (SELECT 1) AS one LEFT JOIN s ON true LEFT JOIN x ON true "
        "ON CONFLICT (site_id, idempotency_key) DO NOTHING RETURNING id), "
        f"sys AS (SELECT {account_columns} FROM {_ACCOUNT_TABLE} WHERE site_id = %s "
        "AND kind = %s AND code = %s AND inmate_id IS NULL ORDER BY id LIMIT 1), "
        f"acc AS MATERIALIZED (SELECT {account_columns} FROM {_ACCOUNT_TABLE} "
        "WHERE inmate_id = %s AND EXISTS (SELECT 1 FROM b) ORDER BY id FOR NO KEY UPDATE) "
        "SELECT (SELECT id FROM b), "
        + ", ".join(f"s.{c}" for c in _SETTINGS)
        + ", x.id, x.daily_limit_rp, x.monthly_limit_rp, "
        + ", ".join(f"sys.{f.column}" for f in _ACCOUNT_FIELDS)
        + ", "
        + ", ".join(f"acc.{f.column}" for f in _ACCOUNT_FIELDS)
        + " FROM (SELECT 1) AS one LEFT JOIN s ON true LEFT JOIN x ON true "
        "LEFT JOIN sys ON true LEFT JOIN acc ON true ORDER BY acc.id"
    )


def insert_batch_locking_with_context(
    batch: Batch, inmate_id: int, now: dt.datetime, kind: str, code: str
) -> tuple[int | None, list[Account], *Context]:
    """PostgreSQL, one round trip: what `site_settings`, `active_exception` and
    `find_system_account` (of `kind` and `code`) answer, and
    `insert_batch_locking`, the batch row taking its `daily_limit_rp`/`monthly_limit_rp`
    from the settings and the exception as `rules.with_exception` combines them (the
    caller's values for those two are ignored). Returns (batch id or None if the key exists,
    the locked accounts, settings, exception, system account)."""
    moment = connection.ops.adapt_datetimefield_value(now)
    _sql, fields = _insert_plan(
        Batch, "postgresql", 1, "ON CONFLICT (site_id, idempotency_key) DO NOTHING"
    )
    skip = {"daily_limit_rp", "monthly_limit_rp"}
    params: list[Any] = [batch.site_id, inmate_id, moment, moment]
    params += _params([batch], [f for f in fields if f[0] not in skip])
    params += [batch.site_id, kind, code, inmate_id]
    with prepared_cursor() as cursor:
        cursor.execute(_batch_rules_locking_sql(), params)
        rows = cursor.fetchall()
    first = rows[0]
    settings, exc, system = _context_of(first[1:])
    if first[0] is None:
        return None, [], settings, exc, system
    at = 1 + _CONTEXT_WIDTH
    locked = [_account(row[at:]) for row in rows if row[at] is not None]
    return int(first[0]), locked, settings, exc, system


def insert_transfers(
    transfers: Sequence[Transfer],
    locked_deltas: Iterable[tuple[int, list[int]]] = (),
    spent_of: tuple[int, dt.date, dt.date] | None = None,
) -> tuple[int, int] | None:
    """One INSERT for all the batch's transfers; sets their ids. With `locked_deltas`, the
    locked accounts are updated as by `add_to_locked`; with `spent_of` (limit account, day,
    month start), returns what `spent` would have before these rows. On PostgreSQL all in
    the same statement (data-modifying WITH; its snapshot is taken after the caller locked
    the inmate's accounts, as a separate SELECT's would be), elsewhere one by one."""
    deltas = list(locked_deltas)
    if not _postgres():
        before = spent(*spent_of) if spent_of else None
        for transfer, pk in zip(transfers, _insert_returning_ids(Transfer, transfers), strict=True):
            transfer.pk = pk
            transfer._state.adding = False
        add_to_locked(deltas)
        return before
    ctes, params, also = [], [], ""
    if deltas:
        ctes.append(f"upd AS ({_LOCKED_UPDATE_PG} RETURNING 1)")
        params += _locked_params(deltas)
    if spent_of:
        ctes.append(f"sp(d, m) AS ({_SPENT_SQL})")
        params += _spent_params(*spent_of)
        also = ", (SELECT d FROM sp), (SELECT m FROM sp)"
    with_sql = f"WITH {', '.join(ctes)} " if ctes else ""
    rows = _insert_returning(Transfer, transfers, "", with_sql, params, also)
    for transfer, row in zip(transfers, rows, strict=True):
        transfer.pk = int(row[0])
        transfer._state.adding = False
    return None if not spent_of else (int(rows[0][1]), int(rows[0][2]))


# The transfers of a batch as its audit event lists them, from the INSERT's own rows.
_AUDIT_TRANSFERS = (
    "jsonb_build_object('transfers', (SELECT jsonb_agg(jsonb_build_array(id, kind, "
    "debit_account_id, credit_account_id, amount_rp, state) ORDER BY id) FROM ins))"
)


def insert_transfers_audited(
    transfers: Sequence[Transfer],
    locked_deltas: Sequence[tuple[int, list[int]]],
    spent_of: tuple[int, dt.date, dt.date] | None,
    event: AuditEvent,
    shared: tuple[int, int, list[int], Sequence[str]] | None,
) -> tuple[tuple[int, int] | None, int]:
    """PostgreSQL, one round trip: `insert_transfers`, the batch's audit event (its data
    gets the key "transfers" from the inserted rows, as the SQLite path lists them) and the
    `shared` account's increment (account id, site id, delta, statuses allowed), as
    `shared_post_ctes` adds it. Returns what `insert_transfers` returns and 1 if the shared
    account took the increment (1 too if there is none), 0 if it is not allowed."""
    insert, _fields = _insert_plan(Transfer, "postgresql", len(transfers), "")
    ctes = [f"ins AS ({insert}, kind, debit_account_id, credit_account_id, amount_rp, state)"]
    params: list[Any] = _params(transfers, _fields)
    select = ["ins.id"]
    if locked_deltas:
        ctes.append(f"upd AS ({_LOCKED_UPDATE_PG} RETURNING 1)")
        params += _locked_params(locked_deltas)
    if spent_of:
        ctes.append(f"sp(d, m) AS ({_SPENT_SQL})")
        params += _spent_params(*spent_of)
        select += ["(SELECT d FROM sp)", "(SELECT m FROM sp)"]
    ctes.append(f"aud AS ({audit_insert_sql(_AUDIT_TRANSFERS)})")
    params += audit_insert_params(event)
    select.append("(SELECT id FROM aud)")
    if shared:
        shared_ctes, shared_params, taken = shared_post_ctes(*shared)
        ctes += shared_ctes
        params += shared_params
        select.append(taken)
    text = f"WITH {', '.join(ctes)} SELECT {', '.join(select)} FROM ins ORDER BY ins.id"  # noqa: S608
    with prepared_cursor() as cursor:
        cursor.execute(text, params)
        rows = cursor.fetchall()
    for transfer, row in zip(transfers, rows, strict=True):
        transfer.pk = int(row[0])
        transfer._state.adding = False
    first = rows[0]
    audit_appended(event, int(first[select.index("(SELECT id FROM aud)")]))
    spent_rp = (int(first[1]), int(first[2])) if spent_of else None
    return spent_rp, int(first[-1]) if shared else 1


_DELTA_TABLE = AccountDelta._meta.db_table
_TOTALS = ("debits_posted", "credits_posted", "debits_pending", "credits_pending")


# Advisory locks (two-key form: their own key space) keyed by a shared account's id: held
# by the batch adding to the account's row, for the rest of its transaction.
_SHARED_LOCK_CLASS = 0x57414C4C


def shared_post_ctes(
    pk: int, site_id: int, delta: list[int], statuses: Sequence[str]
) -> tuple[list[str], list[Any], str]:
    """WITH queries that add `delta` to a shared account without waiting in line for it
    (PostgreSQL). The batch that gets the account's advisory lock at once (a try, never a
    wait) adds the increment and every AccountDelta waiting for the account to its row and
    deletes those deltas; a batch that finds the lock taken writes its increment as an
    AccountDelta instead. Either way only if the account is of the site, shared and in one
    of `statuses` (re-checked on the row by the UPDATE; read as of the statement's snapshot
    when the lock is taken). Returns the queries, their parameters and a SELECT expression:
    1 if the increment was taken, 0 if not allowed.

    Deltas are deleted only by the lock's holder, so each is added once (one deleted by a
    holder that committed after this statement began is skipped by the DELETE); deltas
    still being written by other batches are not visible yet and wait for the next holder.
    `drain_deltas` takes the same lock."""
    marks = ", ".join(["%s"] * len(statuses))
    allowed = (
        f"id = %s AND site_id = %s AND inmate_id IS NULL AND no_overdraft = %s "
        f"AND status IN ({marks})"
    )
    where = [pk, site_id, False, *statuses]
    sums = ", ".join(f"COALESCE(SUM({c}), 0)" for c in _TOTALS)
    sets = ", ".join(f"{c} = a.{c} + %s + w.{c}" for c in _TOTALS)
    ctes = [
        "shl AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(%s, %s) AS got)",
        f"shq AS (DELETE FROM {_DELTA_TABLE} WHERE account_id = %s "  # noqa: S608
        f"AND (SELECT got FROM shl) RETURNING {', '.join(_TOTALS)})",
        f"sh AS (UPDATE {_ACCOUNT_TABLE} AS a SET {sets}, version = a.version + 1 "  # noqa: S608
        f"FROM (SELECT {sums} FROM shq) AS w({', '.join(_TOTALS)}) "
        f"WHERE {allowed.replace('id =', 'a.id =', 1)} AND (SELECT got FROM shl) RETURNING 1)",
        f"shd AS (INSERT INTO {_DELTA_TABLE} (account_id, {', '.join(_TOTALS)}) "  # noqa: S608
        "SELECT %s, %s, %s, %s, %s WHERE NOT (SELECT got FROM shl) "
        f"AND EXISTS (SELECT 1 FROM {_ACCOUNT_TABLE} WHERE {allowed}) RETURNING 1)",
    ]
    params: list[Any] = [_SHARED_LOCK_CLASS, pk, pk, *delta, *where, pk, *delta, *where]
    return ctes, params, "(SELECT count(*) FROM sh) + (SELECT count(*) FROM shd)"


def drain_deltas(account_ids: Sequence[int]) -> int:
    """Add the AccountDelta rows waiting for these accounts to them and delete them, holding
    the accounts' advisory locks (waiting for a batch that holds one; in id order). Inside
    the caller's transaction. Returns the number of deltas added."""
    ids = sorted(set(account_ids))
    if not ids or not _postgres():
        return 0
    sums = ", ".join(f"SUM({c}) AS {c}" for c in _TOTALS)
    sets = ", ".join(f"{c} = a.{c} + w.{c}" for c in _TOTALS)
    with connection.cursor() as cursor:
        for pk in ids:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_SHARED_LOCK_CLASS, pk])
        cursor.execute(
            f"WITH q AS (DELETE FROM {_DELTA_TABLE} WHERE account_id = ANY(%s) "  # noqa: S608
            f"RETURNING account_id, {', '.join(_TOTALS)}), "
            f"w AS (SELECT account_id, count(*) AS n, {sums} FROM q GROUP BY account_id), "
            f"u AS (UPDATE {_ACCOUNT_TABLE} AS a SET {sets}, version = a.version + 1 "
            "FROM w WHERE a.id = w.account_id RETURNING w.n) "
            "SELECT COALESCE(SUM(n), 0) FROM u",
            [ids],
        )
        return int(cursor.fetchone()[0])


# One text for any number of accounts (five arrays: ids and the four deltas).
_LOCKED_UPDATE_PG = (
    f"UPDATE {_ACCOUNT_TABLE} AS a SET debits_posted = a.debits_posted + v.dp, "  # noqa: S608
    "credits_posted = a.credits_posted + v.cp, "
    "debits_pending = a.debits_pending + v.dq, "
    "credits_pending = a.credits_pending + v.cq, version = a.version + 1 "
    "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[]) "
    "AS v(id, dp, cp, dq, cq) WHERE a.id = v.id"
)


def _locked_params(rows: Sequence[tuple[int, list[int]]]) -> list[list[int]]:
    return [[pk for pk, _d in rows], *([d[i] for _pk, d in rows] for i in range(4))]


def add_to_locked(deltas: Iterable[tuple[int, list[int]]]) -> None:
    """Add [debits_posted, credits_posted, debits_pending, credits_pending] to locked accounts."""
    rows = list(deltas)
    if not rows:
        return
    table = _ACCOUNT_TABLE
    if _postgres() and len(rows) > 1:
        with prepared_cursor() as cursor:
            cursor.execute(_LOCKED_UPDATE_PG, _locked_params(rows))
        return
    sql = (
        f"UPDATE {table} SET debits_posted = debits_posted + %s, "  # noqa: S608
        "credits_posted = credits_posted + %s, debits_pending = debits_pending + %s, "
        "credits_pending = credits_pending + %s, version = version + 1 WHERE id = %s"
    )
    with prepared_cursor() as cursor:
        for pk, d in rows:
            cursor.execute(sql, [*d, pk])


def add_to_shared(pk: int, site_id: int, delta: list[int], statuses: Sequence[str]) -> int:
    """One UPDATE of a shared (unlocked) account; the WHERE re-checks what a lock would.
    Returns the number of rows changed (0 = not allowed)."""
    sql, params = shared_update(pk, site_id, delta, statuses)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def shared_update(
    pk: int, site_id: int, delta: list[int], statuses: Sequence[str]
) -> tuple[str, list[Any]]:
    """The statement and parameters of `add_to_shared` (to run it along with another)."""
    marks = ", ".join(["%s"] * len(statuses))
    sql = (
        f"UPDATE {_ACCOUNT_TABLE} SET debits_posted = debits_posted + %s, "  # noqa: S608
        "credits_posted = credits_posted + %s, debits_pending = debits_pending + %s, "
        "credits_pending = credits_pending + %s, version = version + 1 "
        "WHERE id = %s AND site_id = %s AND inmate_id IS NULL AND no_overdraft = %s "
        f"AND status IN ({marks})"
    )
    return sql, [*delta, pk, site_id, False, *statuses]
