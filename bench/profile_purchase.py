"""Where a purchase's time goes: statements per purchase and a cProfile of N purchases.

    PANDAI_VAR_DIR=... | DATABASE_URL=...  python -m bench.profile_purchase [--n 300]

Needs a database seeded by `python -m bench.pandai_worker seed` (run `python -m bench.run
--keep --only sqlite` and point PANDAI_VAR_DIR at <scratch>/pandai-sqlite, or use the
pandai_bench PostgreSQL database a run leaves behind). Prints every statement of one purchase
with its time, then the functions with the most cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_purchase")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
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
    # CPU time, not wall time: other processes on a busy machine don't inflate the shares.
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for i in range(2 + args.n, 2 + 2 * args.n):
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
