"""The django-hordak 2.0 peer, run with bench/hordak-env/bin/python (its own virtualenv).

    python -m bench.hordak_worker seed --inmates 1000
        migrate, open 1,000 inmate liability accounts, one shop income account and one cash
        asset account, and fund every inmate with a transfer from cash.
    python -m bench.hordak_worker serve --worker W --of N
        answer window commands (bench.proto) with plain transfers inmate -> shop
        (Account.transfer_to: one Transaction and two Legs, hordak's zero-sum check in a
        trigger), cycling over this worker's share of the inmates like Pandai's side.
    python -m bench.hordak_worker verify --tag TAG
        print {"transfers": n} for this run's transfers.

Hordak checks no balance, no limit, no idempotency key and locks nothing: a lower bound on
the work of a double-entry transfer in Django on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from decimal import Decimal

AMOUNT = Decimal("1000")


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.hordak_project.settings")
    import django

    django.setup()


def seed(inmates: int) -> None:
    from django.core.management import call_command
    from django.db import transaction
    from hordak.models import Account, AccountType
    from moneyed import Money

    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic():
        shop = Account.objects.create(name="Shop sales", code="4", type=AccountType.income)
        cash = Account.objects.create(name="Cash", code="1", type=AccountType.asset)
        liabilities = Account.objects.create(name="Inmates", code="2", type=AccountType.liability)
        for n in range(inmates):
            inmate = Account.objects.create(name=f"Inmate {n + 1}", parent=liabilities)
            # cash (asset) -> inmate (liability): both increase
            inmate.transfer_to(cash, Money(Decimal("1000000"), "IDR"), description="deposit")
    print(json.dumps({"inmates": inmates, "shop": shop.pk}))


def backend_pid() -> int | None:
    """The PostgreSQL backend serving this process (its CPU time is measured too)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def serve(worker: int, of: int, tag: str) -> None:
    from hordak.models import Account
    from moneyed import Money

    from bench.proto import serve as proto_serve

    shop = Account.objects.get(name="Shop sales")
    everyone = list(Account.objects.filter(parent__name="Inmates").order_by("pk"))
    mine = everyone[worker::of]
    amount = Money(AMOUNT, "IDR")

    def transfer(seq: int) -> None:
        # income (shop) -> liability (inmate): the shop's sales grow, the inmate's money shrinks
        shop.transfer_to(mine[seq % len(mine)], amount, description=f"{tag}:{worker}:{seq}")

    proto_serve(
        transfer,
        describe=lambda exc: f"{type(exc).__name__}: {str(exc)[:120]}",
        server_pid=backend_pid(),
    )


def verify(tag: str) -> None:
    from hordak.models import Transaction

    count = Transaction.objects.filter(description__startswith=f"{tag}:").count()
    print(json.dumps({"transfers": count}))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hordak_worker")
    sub = parser.add_subparsers(dest="command", required=True)
    p_seed = sub.add_parser("seed")
    p_seed.add_argument("--inmates", type=int, default=1000)
    p_serve = sub.add_parser("serve")
    p_serve.add_argument("--worker", type=int, default=0)
    p_serve.add_argument("--of", type=int, default=1)
    p_serve.add_argument("--tag", required=True)
    p_verify = sub.add_parser("verify")
    p_verify.add_argument("--tag", required=True)
    args = parser.parse_args(argv)
    _django()
    if args.command == "seed":
        seed(args.inmates)
    elif args.command == "serve":
        serve(args.worker, args.of, args.tag)
    else:
        verify(args.tag)


if __name__ == "__main__":
    main(sys.argv[1:])
