# ruff: noqa: S608  (SQL built from integers and constants of this module; no input)
"""Part 3, growth: do the everyday reads stay as fast with 10,000,000 transfers as with 10,000?

Two PostgreSQL databases, migrated like production and filled by SQL (generate_series, no
ORM, a few minutes for the large one):

- **small** (`bench_growth_small`): one site of 1,000 inmates and 10,000 transfers over 100
  days;
- **large** (`bench_growth`): 1,000 sites shaped exactly like that one (`--growth-sites`):
  1,000,000 inmates (each with a SPENDABLE account: 1,000,000 inmate accounts) and
  10,000,000 transfers, their ids interleaved in time across the sites as a national
  installation writes them (a site's rows are spread over the whole table, not stored
  together).

The timed site, inmate, day and month hold the same rows in both, so each ratio (large ÷
small) shows what the other 999 sites cost the same read: 1.0 is a read that does not notice
the table's size. Rows `growth_balance`, `growth_statement`, `growth_closing`,
`growth_dashboard` (bar <= 3.0; the goal is <= 1.5).

The ledger's invariants hold in the data: every transfer is posted, between two different
accounts, of a positive amount; each account's `debits_posted`/`credits_posted` is the sum of
its transfers (one aggregate over the transfers, joined when the accounts are inserted after
them: the same as an UPDATE ... FROM that aggregate, without writing a million rows twice);
inmate balances never end
below zero; purchases carry their limit columns (`limit_account`, `limit_day`). The bulk
INSERTs run with `session_replication_role = replica` (foreign keys and the append-only guard
triggers are not checked row by row: the ids are generated consistent), with the table's
secondary indexes dropped and rebuilt after, then VACUUM ANALYZE as autovacuum would leave a
table in production. One batch per site and day (the transfers of imported history; the reads
timed here never group by batch).

    python -m bench.growth generate --database NAME --sites N
    python -m bench.growth time --databases SMALL,LARGE   (DATABASE_URL: the server)
    python -m bench.run --only growth [--growth-sites 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from typing import Any

INMATES_PER_SITE = 1000
TRANSFERS_PER_SITE = 10_000
DAYS = 100
START = "2025-01-01 00:00:00+07"  # the first day, site-local (Asia/Jakarta)
SECONDS_PER_STEP = DAYS * 86400 // TRANSFERS_PER_SITE  # 864 s: 100 transfers a site a day
HEAVY_EVERY = 50  # every 50th transfer of a site is the timed inmate's (200 of them)
# The timed subject: site 1, its inmate 0 (id 1), a day and a month inside the history.
SUBJECT_DAY = dt.date(2025, 2, 14)
SUBJECT_MONTH = (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
SMALL_DB = "bench_growth_small"
LARGE_DB = "bench_growth"
TEMPLATE_DB = "bench_growth_tpl"
DEFAULT_SITES = 1000
READS = {
    "balance": "wallet balances() + statements.recent_movements(limit=20)",
    "statement": "statements.plain_statement() for a month (56 lines)",
    "closing": "wallet.closing.closing_figures() of one site and day",
    "dashboard": "reports.selectors.dashboard(site=, day=)",
}


def _log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} growth: {message}", file=sys.stderr, flush=True)


def generate_sql(sites: int) -> list[tuple[str, str]]:
    """The statements that fill a freshly migrated database, with what each does."""
    inmates = sites * INMATES_PER_SITE
    cash = f"{inmates} + 2 * (s - 1) + 1"  # the site's counter cash drawer
    shop = f"{inmates} + 2 * (s - 1) + 2"  # the site's shop sales account
    n_transfers = sites * TRANSFERS_PER_SITE
    # Transfer n (0-based): step j = n / sites (time), site s = n % sites + 1; within the site,
    # inmate k: every HEAVY_EVERY-th step is inmate 0, the others cycle over inmates 1..999.
    # An inmate's o-th movement is a deposit of Rp100.000 when o % 4 = 0, else a purchase of
    # Rp10.000: balances stay positive.
    k = f"CASE WHEN j % {HEAVY_EVERY} = 0 THEN 0 ELSE 1 + j % {INMATES_PER_SITE - 1} END"
    occurrence = f"CASE WHEN j % {HEAVY_EVERY} = 0 THEN j / {HEAVY_EVERY} ELSE j / 999 END"
    return [
        (
            "sites",
            f"""INSERT INTO core_site (id, name, code, site_class, address, time_zone, is_active)
            SELECT s, 'Rutan Growth ' || s, 'G' || s, 'IIB', '', 'Asia/Jakarta', true
            FROM generate_series(1, {sites}) s""",
        ),
        (
            "inmates",
            f"""INSERT INTO inmates_inmate (id, site_id, reg_no, full_name, alias, nik, gender,
                photo, legal_status, status, admission_date, created_at, updated_at)
            SELECT i + 1, i / {INMATES_PER_SITE} + 1,
                'G' || (i / {INMATES_PER_SITE} + 1) || '.'
                    || lpad((i % {INMATES_PER_SITE})::text, 5, '0'),
                'WBP Growth ' || i, '', '', 'L', '', 'narapidana', 'active', '2024-12-01',
                now(), now()
            FROM generate_series(0, {inmates - 1}) i""",
        ),
        (
            "batches (one per site and day)",
            f"""INSERT INTO wallet_batch (id, site_id, idempotency_key, request_hash, kind,
                reference, terminal, created_at)
            SELECT d * {sites} + s, s, 'growth:' || s || ':' || d, '', 'import', '', '',
                timestamptz '{START}' + make_interval(days => d)
            FROM generate_series(0, {DAYS - 1}) d, generate_series(1, {sites}) s""",
        ),
        (
            f"{n_transfers:,} transfers",
            f"""INSERT INTO wallet_transfer (id, site_id, batch_id, debit_account_id,
                credit_account_id, amount_rp, kind, state, reference, terminal, created_at,
                limit_account_id, limit_day, limit_delta_rp)
            SELECT n + 1, s, (j * {DAYS} / {TRANSFERS_PER_SITE}) * {sites} + s,
                CASE WHEN deposit THEN {cash} ELSE acc END,
                CASE WHEN deposit THEN acc ELSE {shop} END,
                CASE WHEN deposit THEN 100000 ELSE 10000 END,
                CASE WHEN deposit THEN 'deposit' ELSE 'purchase' END,
                'posted', '', '', at,
                CASE WHEN deposit THEN NULL ELSE acc END,
                CASE WHEN deposit THEN NULL ELSE (at AT TIME ZONE 'Asia/Jakarta')::date END,
                CASE WHEN deposit THEN 0 ELSE 10000 END
            FROM (
                SELECT n, s, j, (s - 1) * {INMATES_PER_SITE} + ({k}) + 1 AS acc,
                    ({occurrence}) % 4 = 0 AS deposit,
                    timestamptz '{START}' + make_interval(secs => j * {SECONDS_PER_STEP}) AS at
                FROM (
                    SELECT n, n % {sites} + 1 AS s, n / {sites} AS j
                    FROM generate_series(0::bigint, {n_transfers - 1}) n
                ) steps
            ) t""",
        ),
        (
            "account totals (one aggregate over the transfers)",
            """CREATE TEMP TABLE growth_totals AS
            SELECT acc, sum(d)::bigint AS d, sum(c)::bigint AS c FROM (
                SELECT debit_account_id AS acc, amount_rp AS d, 0::bigint AS c
                FROM wallet_transfer
                UNION ALL
                SELECT credit_account_id, 0::bigint, amount_rp FROM wallet_transfer
            ) legs GROUP BY acc""",
        ),
        (
            "accounts with their totals",
            f"""INSERT INTO wallet_account (id, site_id, kind, inmate_id, code, name,
                debits_posted, credits_posted, debits_pending, credits_pending, version,
                status, no_overdraft, created_at)
            SELECT a.id, a.site_id, a.kind, a.inmate_id, a.code, a.name,
                coalesce(x.d, 0), coalesce(x.c, 0), 0, 0, 0, 'open', a.no_overdraft,
                timestamptz '2024-12-01 00:00+07'
            FROM (
                SELECT i + 1 AS id, i / {INMATES_PER_SITE} + 1 AS site_id, 'spendable' AS kind,
                    i + 1 AS inmate_id, '' AS code, 'Saldo belanja' AS name, true AS no_overdraft
                FROM generate_series(0, {inmates - 1}) i
                UNION ALL
                SELECT {cash}, s, 'cash_drawer', NULL, 'LOKET-1', 'Kas loket', false
                FROM generate_series(1, {sites}) s
                UNION ALL
                SELECT {shop}, s, 'shop_sales', NULL, '', 'Penjualan koperasi', false
                FROM generate_series(1, {sites}) s
            ) a LEFT JOIN growth_totals x ON x.acc = a.id""",
        ),
    ]


BULK_TABLES = ("inmates_inmate", "wallet_account", "wallet_batch", "wallet_transfer")


def generate(database: str, sites: int) -> dict[str, Any]:
    """Fill `database` (freshly migrated, empty) with `sites` sites of growth data."""
    import psycopg

    from bench import pg

    started = time.monotonic()
    timings: dict[str, float] = {}
    with psycopg.connect(pg.url(database), autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SET max_parallel_maintenance_workers = 2")
        # Secondary indexes are built once after the INSERTs (faster than row by row);
        # primary keys and unique constraints stay.
        dropped: list[tuple[str, str]] = []
        for table in BULK_TABLES:
            rows = conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                [table],
            ).fetchall()
            for name, definition in rows:
                conn.execute(f'DROP INDEX "{name}"')
                dropped.append((name, definition))
        for what, sql in generate_sql(sites):
            t0 = time.monotonic()
            conn.execute(sql)
            timings[what] = round(time.monotonic() - t0, 1)
            _log(f"{database}: {what} in {timings[what]} s")
        t0 = time.monotonic()
        for _name, definition in dropped:
            conn.execute(definition)
        timings["indexes"] = round(time.monotonic() - t0, 1)
        _log(f"{database}: {len(dropped)} indexes rebuilt in {timings['indexes']} s")
        for table in ("core_site", *BULK_TABLES):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        t0 = time.monotonic()
        for table in ("core_site", *BULK_TABLES):
            conn.execute(f"VACUUM (ANALYZE) {table}")
        timings["vacuum analyze"] = round(time.monotonic() - t0, 1)
        _log(f"{database}: vacuum analyze in {timings['vacuum analyze']} s")
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for table in ("inmates_inmate", "wallet_account", "wallet_transfer")
        }
        # The invariant the generator promises: stored totals = sums of the transfers.
        bad = conn.execute(
            """SELECT count(*) FROM wallet_account a WHERE a.no_overdraft
               AND a.credits_posted < a.debits_posted"""
        ).fetchone()[0]  # type: ignore[index]
        sums = conn.execute(
            """SELECT (SELECT sum(debits_posted) FROM wallet_account),
                      (SELECT sum(credits_posted) FROM wallet_account),
                      (SELECT sum(amount_rp) FROM wallet_transfer)"""
        ).fetchone()
    assert sums is not None
    return {
        "sites": sites,
        "counts": counts,
        "seconds": round(time.monotonic() - started, 1),
        "phases_s": timings,
        "totals_match": sums[0] == sums[1] == sums[2] and not bad,
    }


# --- timing (a Django process on the database in DATABASE_URL) --------------------------------


def _dashboard() -> tuple[Any, str]:
    """reports.selectors.dashboard(site=, day=) when the reports app has it; else the closing
    plus the wallet's selectors (what a dashboard of money would read), said in the note."""
    try:
        from pandai.reports.selectors import dashboard  # type: ignore[attr-defined]
    except ImportError:
        dashboard = None
    if dashboard is not None:
        return (lambda site, day, inmate: dashboard(site=site, day=day)), "reports.dashboard"
    from pandai.wallet.closing import closing_figures
    from pandai.wallet.selectors import balances, limits_remaining

    def stand_in(site: Any, day: dt.date, inmate: Any) -> None:
        closing_figures(site=site, day=day)
        balances(inmate=inmate)
        limits_remaining(inmate=inmate)

    return stand_in, "stand-in: closing_figures + balances + limits_remaining"


def time_reads(databases: list[str], switches: int, samples: int) -> dict[str, Any]:
    """Time each read on each database, the databases taking turns: one process, its
    connection moved from one database to the other `switches` times (after each move two
    warm-up calls, then `samples` timed calls), so both see the same machine at the same
    moments. Per database and read: the median of all its samples."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandai.settings")
    import django

    django.setup()
    from django.db import connection

    from pandai.core.models import Site
    from pandai.inmates.models import Inmate
    from pandai.wallet import selectors, statements
    from pandai.wallet.closing import closing_figures

    dashboard, dashboard_what = _dashboard()
    subject: dict[str, Any] = {}

    def balance() -> int:
        selectors.balances(inmate=subject["inmate"])
        return len(statements.recent_movements(inmate=subject["inmate"], limit=20))

    def statement() -> int:
        return len(
            statements.plain_statement(
                inmate=subject["inmate"], start=SUBJECT_MONTH[0], end=SUBJECT_MONTH[1]
            ).lines
        )

    def closing() -> int:
        figures = closing_figures(site=subject["site"], day=SUBJECT_DAY)
        return figures.purchases.count + figures.deposits_total.count

    def board() -> int:
        dashboard(subject["site"], SUBJECT_DAY, subject["inmate"])
        return 0

    reads = {"balance": balance, "statement": statement, "closing": closing, "dashboard": board}
    taken: dict[str, dict[str, list[float]]] = {db: {r: [] for r in reads} for db in databases}
    rows: dict[str, dict[str, int]] = {db: {} for db in databases}
    for turn in range(switches * len(databases)):
        database = databases[turn % len(databases)]
        connection.close()
        connection.settings_dict["NAME"] = database
        subject["site"] = Site.objects.get(pk=1)
        subject["inmate"] = Inmate.objects.select_related("site").get(pk=1)
        for name, fn in reads.items():
            for _ in range(2):  # warm: plans prepared, pages in memory, as on a server in use
                rows[database][name] = fn()
            for _ in range(samples):
                t0 = time.perf_counter()
                fn()
                taken[database][name].append(1000 * (time.perf_counter() - t0))
    connection.close()
    return {
        "dashboard_what": dashboard_what,
        "ms": {
            db: {r: round(statistics.median(v), 3) for r, v in per.items()}
            for db, per in taken.items()
        },
        "min_ms": {db: {r: round(min(v), 3) for r, v in per.items()} for db, per in taken.items()},
        "rows": rows,
    }


# --- the measurement `make bench` runs ---------------------------------------------------------


def measure(ctx: Any) -> list[Any]:
    from bench import pg
    from bench.core import Row
    from bench.procside import PYTHON, clean_env, run_json

    sites = int(os.environ.get("BENCH_GROWTH_SITES", DEFAULT_SITES))
    logs = ctx.tmp / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    var = ctx.tmp / "growth-var"
    var.mkdir(parents=True, exist_ok=True)
    generated: dict[str, Any] = {}
    try:
        ctx.log(f"[growth] migrating {TEMPLATE_DB} ...")
        pg.recreate(TEMPLATE_DB)
        env = clean_env(
            {"DATABASE_URL": pg.url(TEMPLATE_DB), "PANDAI_VAR_DIR": str(var), "DEBUG": "0"}
        )
        run_json(
            [PYTHON, "-c", "import sys; from bench.growth import _migrate; _migrate()"],
            env=env,
            log=logs / "growth-migrate.log",
            timeout=900,
        )
        for database, n in ((SMALL_DB, 1), (LARGE_DB, sites)):
            pg.drop(database)
            pg.psql(f"CREATE DATABASE {database} TEMPLATE {TEMPLATE_DB}")
            ctx.log(f"[growth] generating {database}: {n} site(s) ...")
            generated[database] = generate(database, n)
            ctx.log(f"[growth] {database}: {generated[database]}")
        pg.drop(TEMPLATE_DB)
        # Both databases in one process, taking turns (bench.growth time).
        env["DATABASE_URL"] = pg.url(SMALL_DB)
        timed = run_json(
            [PYTHON, "-m", "bench.growth", "time", "--databases", f"{SMALL_DB},{LARGE_DB}"],
            env=env,
            log=logs / "growth-time.log",
            timeout=1800,
        )
        ctx.log(f"[growth] medians ms: {timed['ms']}")
    finally:
        for database in (SMALL_DB, LARGE_DB, TEMPLATE_DB):
            try:
                pg.drop(database)
            except Exception as exc:  # reported, never hides the rows
                ctx.log(f"[growth] could not drop {database}: {exc}")
    rows = []
    large = generated.get(LARGE_DB, {})
    for name in ("balance", "statement", "closing", "dashboard"):
        small_ms = timed["ms"][SMALL_DB][name]
        large_ms = timed["ms"][LARGE_DB][name]
        ratio = large_ms / small_ms if small_ms else None
        row = Row(
            name=f"growth_{name}",
            value=round(large_ms, 2),
            unit="ms",
            baseline=f"same read on {TRANSFERS_PER_SITE:,} transfers",
            baseline_value=round(small_ms, 2),
            ratio=round(ratio, 3) if ratio is not None else None,
            bar=3.0,
            bar_op="<=",
            note=READS[name] + (f" ({timed['dashboard_what']})" if name == "dashboard" else ""),
            details={
                "median_ms": {"large": large_ms, "small": small_ms},
                "min_ms": {
                    "large": timed["min_ms"][LARGE_DB][name],
                    "small": timed["min_ms"][SMALL_DB][name],
                },
                "rows_read": {
                    "large": timed["rows"][LARGE_DB][name],
                    "small": timed["rows"][SMALL_DB][name],
                },
                "goal": 1.5,
                "large_db": large,
                "small_db": generated.get(SMALL_DB),
            },
        )
        row.judge()
        if not all(g.get("totals_match") for g in generated.values()):
            row.passed = False  # the generated ledger broke its own invariant: nothing to judge
            row.note += "; generated account totals do not match the transfers"
        rows.append(row)
    return rows


def _migrate() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    print(json.dumps({"migrated": True}))


def _register() -> None:
    from bench.core import add_measurement

    add_measurement("growth", measure)


_register()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.growth")
    sub = parser.add_subparsers(dest="command", required=True)
    p_gen = sub.add_parser("generate")
    p_gen.add_argument("--database", required=True)
    p_gen.add_argument("--sites", type=int, default=DEFAULT_SITES)
    p_time = sub.add_parser("time")
    p_time.add_argument("--databases", required=True, help="comma-separated database names")
    p_time.add_argument("--switches", type=int, default=6)
    p_time.add_argument("--samples", type=int, default=5)
    args = parser.parse_args(argv)
    if args.command == "generate":
        print(json.dumps(generate(args.database, args.sites)))
    else:
        print(json.dumps(time_reads(args.databases.split(","), args.switches, args.samples)))


if __name__ == "__main__":
    main(sys.argv[1:])
