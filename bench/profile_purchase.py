"""Where a purchase's time goes: statements per purchase and a cProfile of N purchases.

    PANDAI_VAR_DIR=... | DATABASE_URL=...  python -m bench.profile_purchase [--n 300]

Needs a database seeded by `python -m bench.pandai_worker seed` (run `python -m bench.run
--keep --only sqlite` and point PANDAI_VAR_DIR at <scratch>/pandai-sqlite, or use the
pandai_bench PostgreSQL database a run leaves behind). Prints every statement of one purchase
with its time, then the functions with the most cumulative time.

On PostgreSQL it also prints the **server CPU per statement**: the CPU time the backend spent
on each statement of the purchase (from /proc/<backend>/schedstat, nanoseconds, read around
every statement; the server must run on this machine), averaged over N purchases -- what
pg_stat_statements would say, without needing it in shared_preload_libraries.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _schedstat(pid: int) -> int:
    """CPU time (ns) the process has run so far."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])


def _label(sql: str) -> str:
    words = sql.split()
    if words[:1] == ["WITH"]:
        return " ".join(words[:4])[:60]
    return " ".join(words[:5])[:60]


def server_cpu(buy: Callable[[int], None], first: int, n: int) -> None:
    """Average backend CPU per statement kind over n purchases (PostgreSQL on this machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = int(cursor.fetchone()[0])
    if not Path(f"/proc/{pid}/schedstat").exists():
        print("== server CPU per statement: the backend is not on this machine")
        return
    cost: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        before, client = _schedstat(pid), time.process_time_ns()
        try:
            return execute(sql, params, many, context)
        finally:
            row = cost[_label(sql)]
            row[0] += 1
            row[1] += _schedstat(pid) - before
            row[2] += time.process_time_ns() - client

    total_before = _schedstat(pid)
    with connection.execute_wrapper(wrapper):
        for i in range(first, first + n):
            buy(i)
    total = (_schedstat(pid) - total_before) / n / 1e6
    print(f"== server CPU per purchase {total:.3f} ms (BEGIN/COMMIT of atomic not wrapped)")
    print("   calls/op  server ms/op  client ms/op  statement")
    for label, (calls, ns, client_ns) in sorted(cost.items(), key=lambda kv: -kv[1][1]):
        print(f"   {calls / n:8.2f}  {ns / n / 1e6:12.3f}  {client_ns / n / 1e6:12.3f}  {label}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_purchase")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--no-profile", action="store_true", help="skip cProfile")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandai.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.pandai_worker import AMOUNT_RP, SITE_CODE
    from pandai.core.models import User
    from pandai.inmates.models import Inmate
    from pandai.wallet import services as wallet

    inmates = list(Inmate.objects.filter(site__code=SITE_CODE).select_related("site"))
    cashier = User.objects.get(username="bench-kasir")
    run = f"profile-{time.time_ns()}"

    def buy(i: int) -> None:
        wallet.purchase(
            inmate=inmates[i % len(inmates)],
            amount_rp=AMOUNT_RP,
            idempotency_key=f"{run}:{i}",
            actor=cashier,
            terminal="POS-P",
            reference=f"p-{i}",
        )

    buy(0)
    with CaptureQueriesContext(connection) as queries:
        buy(1)
    print(f"== {len(queries.captured_queries)} statements in one purchase ({connection.vendor})")
    for q in queries.captured_queries:
        print(f"{float(q['time']) * 1000:7.2f} ms  {q['sql'][:160]}")
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(2, 2 + args.n):
        buy(i)
    wall = (time.perf_counter() - started) / args.n
    cpu = (time.process_time() - cpu) / args.n
    print(
        f"== without the profiler: {wall * 1000:.2f} ms wall, {cpu * 1000:.2f} ms CPU of this "
        f"process per purchase ({1 / wall:.0f}/s in one process)"
    )
    if connection.vendor == "postgresql":
        server_cpu(buy, 2 + args.n, args.n)
    if args.no_profile:
        return
    # CPU time, not wall time: other processes on a busy machine don't inflate the shares.
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for i in range(2 + 2 * args.n, 2 + 3 * args.n):
        buy(i)
    profile.disable()
    for title, restriction in (
        ("Pandai's own functions", ["pandai/"]),
        ("everything", []),
    ):
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
        stats.print_stats(*restriction, args.top)
        print(f"== cProfile (CPU time, {args.n} purchases), {title}")
        print(out.getvalue())


if __name__ == "__main__":
    main(sys.argv[1:])
