"""Pandai's side of the ledger benchmark, run as its own process with Pandai's settings.

    python -m bench.pandai_worker seed --inmates 1000 [--parts 4]
        migrate, create a site with limits on, a cashier, N inmates each funded by a counter
        deposit of Rp1.000.000 (the cap) -- all through the public services; with --parts,
        the inmates are admitted and funded by that many processes at once (PostgreSQL).
    python -m bench.pandai_worker serve --worker W --of N --run RUN
        answer window commands (bench.proto) with purchases through
        pandai.wallet.services.purchase, cycling over this worker's share of the inmates
        (inmates W, W+N, W+2N, ...: no two workers ever touch one inmate, every purchase
        credits the one shop account).
    python -m bench.pandai_worker verify --run RUN
        print {"purchases": n} -- the purchase batches this run wrote, to check the counts.

The database comes from the environment as usual: PANDAI_VAR_DIR (SQLite file
var/pandai.sqlite3 in WAL with synchronous=FULL, Pandai's own settings) or DATABASE_URL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys

SITE_CODE = "BNC"
AMOUNT_RP = 1_000
DEPOSIT_RP = 1_000_000
DAILY_LIMIT_RP = 500_000
MONTHLY_LIMIT_RP = 5_000_000


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandai.settings")
    import django

    django.setup()


def seed(inmates: int, parts: int) -> None:
    """The site, its staff and rules; then the inmates, in `parts` processes at once (each
    with its own counter, as several counters would; SQLite takes parts=1)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from pandai.core import services as core
    from pandai.wallet import services as wallet

    site = core.site_create(name="Rutan Bench", code=SITE_CODE, actor=None)
    password = "bench-Pandai-2024!"  # noqa: S105 (a throwaway database)
    staff = {}
    for username, role in (
        ("bench-head", "head"),
        ("bench-loket", "counter_officer"),
        ("bench-kasir", "cashier"),
    ):
        staff[role] = core.staff_create(
            username=username,
            full_name=username,
            password=password,
            site=site,
            roles=[role],
            actor=None,
        )
    wallet.ledger_settings_update(
        site=site,
        actor=staff["head"],
        daily_limit_rp=DAILY_LIMIT_RP,
        monthly_limit_rp=MONTHLY_LIMIT_RP,
    )
    bounds = [(inmates * i // parts, inmates * (i + 1) // parts) for i in range(parts)]
    if parts == 1:
        seed_part(*bounds[0], counter=1)
    else:
        from django.db import connection

        connection.close()
        procs = [
            subprocess.Popen(
                [
                    *(sys.executable, "-m", "bench.pandai_worker", "seed-part"),
                    *("--start", str(a), "--stop", str(b), "--counter", str(i + 1)),
                ]
            )
            for i, (a, b) in enumerate(bounds)
        ]
        if any(proc.wait() != 0 for proc in procs):
            raise SystemExit("a seed-part process failed")
    print(json.dumps({"inmates": inmates, "site": site.pk, "parts": parts}))


def seed_part(start: int, stop: int, *, counter: int) -> None:
    """Admit inmates start..stop-1 and fund each with a counter deposit of the cap."""
    from django.db import transaction

    from pandai.core.models import Site, User
    from pandai.inmates import services as registry
    from pandai.wallet import services as wallet

    site = Site.objects.get(code=SITE_CODE)
    head = User.objects.get(username="bench-head")
    officer = User.objects.get(username="bench-loket")
    drawer = wallet.counter_account(site=site, counter=f"LOKET-{counter}")
    admitted = dt.date(2024, 1, 2)
    for first in range(start, stop, 100):
        with transaction.atomic():  # 100 admissions + deposits per commit: a faster seed
            for n in range(first, min(first + 100, stop)):
                inmate = registry.inmate_admit(
                    site=site,
                    reg_no=f"BNC.{n + 1:05d}/2024",
                    actor=head,
                    full_name=f"WBP Bench {n + 1}",
                    gender="L",
                    legal_status="tahanan",
                    admission_date=admitted,
                )
                wallet.deposit_credit(
                    inmate=inmate,
                    amount_rp=DEPOSIT_RP,
                    source=drawer,
                    idempotency_key=f"seed:{inmate.pk}",
                    actor=officer,
                    terminal=f"LOKET-{counter}",
                    reference=f"setoran-{n + 1}",
                    enforce_rules=False,
                )


def backend_pid() -> int | None:
    """The PostgreSQL backend serving this process (its CPU time is measured too)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def serve(worker: int, of: int, run: str) -> None:
    from bench.proto import serve as proto_serve
    from pandai.core.models import User
    from pandai.inmates.models import Inmate
    from pandai.wallet import services as wallet
    from pandai.wallet.errors import LedgerError

    everyone = list(
        Inmate.objects.filter(site__code=SITE_CODE).select_related("site").order_by("pk")
    )
    mine = everyone[worker::of]
    cashier = User.objects.get(username="bench-kasir")
    terminal = f"POS-{worker + 1}"

    def buy(seq: int) -> None:
        wallet.purchase(
            inmate=mine[seq % len(mine)],
            amount_rp=AMOUNT_RP,
            idempotency_key=f"bench:{run}:{worker}:{seq}",
            actor=cashier,
            terminal=terminal,
            reference=f"bench-{worker}-{seq}",
        )

    def describe(exc: Exception) -> str:
        if isinstance(exc, LedgerError):
            return f"{type(exc).__name__}:{getattr(exc, 'code', '')}"
        return f"{type(exc).__name__}: {str(exc)[:120]}"

    proto_serve(buy, describe=describe, server_pid=backend_pid())


def verify(run: str) -> None:
    from pandai.wallet.models import Batch

    count = Batch.objects.filter(idempotency_key__startswith=f"bench:{run}:").count()
    print(json.dumps({"purchases": count}))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pandai_worker")
    sub = parser.add_subparsers(dest="command", required=True)
    p_seed = sub.add_parser("seed")
    p_seed.add_argument("--inmates", type=int, default=1000)
    p_seed.add_argument("--parts", type=int, default=1)
    p_part = sub.add_parser("seed-part")
    p_part.add_argument("--start", type=int, required=True)
    p_part.add_argument("--stop", type=int, required=True)
    p_part.add_argument("--counter", type=int, required=True)
    p_serve = sub.add_parser("serve")
    p_serve.add_argument("--worker", type=int, default=0)
    p_serve.add_argument("--of", type=int, default=1)
    p_serve.add_argument("--run", required=True)
    p_verify = sub.add_parser("verify")
    p_verify.add_argument("--run", required=True)
    args = parser.parse_args(argv)
    _django()
    if args.command == "seed":
        seed(args.inmates, args.parts)
    elif args.command == "seed-part":
        seed_part(args.start, args.stop, counter=args.counter)
    elif args.command == "serve":
        serve(args.worker, args.of, args.run)
    else:
        verify(args.run)


if __name__ == "__main__":
    main(sys.argv[1:])
