"""Where a checkout's time goes: statements per checkout, CPU per phase, and a cProfile.

    PANDAI_VAR_DIR=... | DATABASE_URL=...  python -m bench.profile_checkout [--n 100]

Needs a database seeded by `python -m bench.checkout_worker seed` (run `python -m bench.run
--keep --only sqlite --sides sqlite_floor,checkout_sqlite` and point PANDAI_VAR_DIR at
<scratch>/checkout-sqlite, or use the pandai_bench_checkout PostgreSQL database a run leaves
behind with PANDAI_VAR_DIR=<scratch>/checkout-pg for its PIN pepper). Prints the statements of
one checkout, then the **CPU time per phase** of the checkout service (process time, so other
processes on the machine don't inflate it; each phase's function wrapped with a timer), then a
cProfile of as many more checkouts: the functions with the most CPU time of their own.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import os
import pstats
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

# Phases of pandai.shop.services.checkout: (label, module, attribute) wrapped with a CPU timer
# (process time; nested phases are counted in their parents too).
PHASES = [
    (
        "card + PIN row + key lookup (checkout_holder)",
        "pandai.shop.services.checkout",
        "checkout_holder",
    ),
    (
        "idempotency replay (_replay; only when the key was used)",
        "pandai.shop.services.checkout",
        "_replay",
    ),
    (
        "PIN verify (pin_verify; only if not right at once)",
        "pandai.shop.services.checkout",
        "pin_check",
    ),
    ("sale's transaction (_sell)", "pandai.shop.services.checkout", "_sell"),
    ("  basket read + locked (shop sql.basket)", "pandai.shop.sql", "basket"),
    ("  rules (_rules_check)", "pandai.shop.services.checkout", "_rules_check"),
    (
        "  receipt number + stock out (shop sql.receipt_stock_out; one statement on PG)",
        "pandai.shop.sql",
        "receipt_stock_out",
    ),
    (
        "    receipt number (SQLite: shop sql.next_receipt_seq)",
        "pandai.shop.sql",
        "next_receipt_seq",
    ),
    ("    stock out (SQLite: shop sql.stock_out)", "pandai.shop.sql", "stock_out"),
    ("  ledger purchase (wallet.services.purchase)", "pandai.wallet.services", "purchase"),
    ("  receipt rows (shop sql.sale_insert)", "pandai.shop.sql", "sale_insert"),
]


def _timed(cpu: dict[str, float], label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        before = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            cpu[label] += time.process_time() - before

    return wrapper


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_checkout")
    parser.add_argument("--n", type=int, default=100)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandai.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.checkout_worker import PIN, SITE_CODE, card_uid
    from pandai.core.models import Device, Site
    from pandai.inmates.models import Inmate
    from pandai.shop.models import Product, ShopShift
    from pandai.shop.services import CartLine, checkout

    site = Site.objects.get(code=SITE_CODE)
    terminal = Device.objects.get(site=site, name="BENCH-POS-1")
    shift = ShopShift.objects.select_related("cashier").get(
        terminal=terminal, closed_at__isnull=True
    )
    inmates = Inmate.objects.filter(site=site).count()
    products = list(Product.objects.filter(site=site).values_list("pk", flat=True))
    rng = random.Random(1)
    run = f"profile:{time.time():.0f}"

    def buy(seq: int) -> None:
        checkout(
            site=site,
            card_uid=card_uid(seq * 7 % inmates),
            pin=PIN,
            lines=[CartLine(pk, 1) for pk in rng.sample(products, 3)],
            idempotency_key=f"{run}:{seq}",
            cashier=shift.cashier,
            terminal=terminal,
            shift=shift,
        )

    buy(0)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        buy(1)
    kinds = Counter(" ".join(q["sql"].split()[:1]) for q in queries.captured_queries)
    print(f"== {len(queries.captured_queries)} statements per checkout: {dict(kinds)}")
    for q in queries.captured_queries:
        print(f"  {q['time']:>6}  {q['sql'][:110]}")

    cpu: dict[str, float] = defaultdict(float)
    for label, module, name in PHASES:
        owner = importlib.import_module(module)
        setattr(owner, name, _timed(cpu, label, getattr(owner, name)))
    started, total = time.monotonic(), time.process_time()
    for seq in range(2, 2 + args.n):
        buy(seq)
    wall, total = time.monotonic() - started, time.process_time() - total
    print(f"\n== {args.n} checkouts: wall {1000 * wall / args.n:.1f} ms per checkout")
    print("== CPU per checkout by phase (ms; a nested phase also counts in its parent)")
    for label, _module, _name in PHASES:
        print(f"  {1000 * cpu[label] / args.n:7.2f}  {label}")
    print(f"  {1000 * total / args.n:7.2f}  whole checkout")
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for seq in range(2 + args.n, 2 + 2 * args.n):
        buy(seq)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(25)
    print("\n== functions by own CPU time")
    print(out.getvalue()[-6000:])


if __name__ == "__main__":
    main(sys.argv[1:])
