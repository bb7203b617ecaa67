"""Pandai's side of the checkout benchmark (part 2), run as its own process.

python -m bench.checkout_worker seed --inmates 1000 --products 240 --terminals 16
    the ledger part's seed (site with limits on, staff, N inmates funded Rp1.000.000 each,
    through the public services), then what the till needs: a card and a PIN for every
    inmate, a catalogue of P products in 8 categories with stock received, T POS devices
    (their tokens, the card UIDs and the product ids written to
    $PANDAI_VAR_DIR/bench-devices.json for the HTTP clients), a
    cashier per device with an open shift.
python -m bench.checkout_worker serve --worker W --of N --run RUN
    answer window commands (bench.proto) with checkouts through
    pandai.shop.services.checkout: a 3-line basket of random products (quantity 1 each),
    the card UID and PIN as the till sends them, on device W's open shift, cycling over
    this worker's share of the inmates (inmates W, W+N, ...: no two workers ever serve one
    inmate; the stock rows are shared, as at a real shop).
python -m bench.checkout_worker verify --run RUN
    print {"sales": n, "stock_ok": bool, "ledger_ok": bool}: the sales this run wrote (to
    check the counts), stock_check() and the ledger's own checks.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

from bench.pandai_worker import SITE_CODE, backend_pid
from bench.pandai_worker import seed as seed_ledger

PIN = "271828"
CATEGORIES = 8
STOCK = 1_000_000  # enough for any run: a sale is never refused for an empty shelf
DEVICES_FILE = "bench-devices.json"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandai.settings")
    import django

    django.setup()


def card_uid(n: int) -> str:
    """A 7-byte card UID as the reader types it (hex)."""
    return f"04B7{n:010X}"


def _took(what: str, since: float) -> float:
    """Seed phases on stderr (the side's seed log), to see where a slow seed spends its time."""
    now = time.monotonic()
    print(f"seed: {what} in {now - since:.1f} s", file=sys.stderr, flush=True)
    return now


def seed(inmates: int, products: int, terminals: int, parts: int) -> None:
    started = time.monotonic()
    seed_ledger(inmates, parts)
    started = _took(f"{inmates} inmates admitted and funded", started)
    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings
    from django.utils import timezone

    from pandai.core import services as core
    from pandai.core.models import Site, User
    from pandai.inmates import pins
    from pandai.inmates.cards import normalise_uid
    from pandai.inmates.models import Card, Inmate, Pin
    from pandai.shop.models import Category, Product, StockMoveKind
    from pandai.shop.services import shift_open, stock_move

    site = Site.objects.get(code=SITE_CODE)
    head = User.objects.get(username="bench-head")
    everyone = list(Inmate.objects.filter(site=site).order_by("pk"))
    # Cards and PINs in two INSERTs, built as card_issue and pin_set build them (normalised
    # UID, peppered PIN hash): issuing 1,000 through the services, each audited, would double
    # the seed's time, and none of it is what is measured.
    issued = timezone.now()
    Card.objects.bulk_create(
        [
            Card(site=site, inmate=inmate, uid=(uid := normalise_uid(card_uid(n))), uid32=uid[:8])
            for n, inmate in enumerate(everyone)
        ],
        batch_size=500,
    )
    Pin.objects.bulk_create(
        [Pin(inmate=inmate, pin_hash=pins.pin_hash(PIN), set_at=issued) for inmate in everyone],
        batch_size=500,
    )
    started = _took("cards and PINs", started)
    rng = random.Random(7)
    product_ids = []
    with transaction.atomic():
        cats = [
            Category.objects.create(site=site, name=f"Kategori {i + 1}", sort_order=i)
            for i in range(CATEGORIES)
        ]
        for i in range(products):
            cost = rng.randrange(3, 60) * 100
            product = Product.objects.create(
                site=site,
                sku=f"BENCH-{i + 1:04d}",
                name=f"Barang bench {i + 1}",
                category=cats[i % CATEGORIES],
                price_rp=cost + rng.randrange(1, 10) * 100,
                cost_rp=cost,
            )
            stock_move(
                product=product,
                kind=StockMoveKind.RECEIPT,
                quantity=STOCK,
                actor=head,
                unit_cost_rp=cost,
                supplier="CV Bench",
            )
            product_ids.append(product.pk)
    started = _took(f"{products} products with stock", started)
    devices = []
    password = "bench-Pandai-2024!"  # noqa: S105 (a throwaway database)
    # The bench's cashiers never log in: a cheap hasher instead of argon2's quarter second each.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    fast.enable()
    for i in range(terminals):
        device, token = core.device_register(
            site=site, kind="pos", name=f"BENCH-POS-{i + 1}", actor=head
        )
        cashier = core.staff_create(
            username=f"bench-kasir-{i + 1}",
            full_name=f"Kasir bench {i + 1}",
            password=password,
            site=site,
            roles=["cashier"],
            actor=None,
        )
        shift_open(terminal=device, cashier=cashier)
        devices.append({"device": device.pk, "token": token, "cashier": cashier.pk})
    fast.disable()
    _took(f"{terminals} terminals with open shifts", started)
    Path(settings.VAR_DIR, DEVICES_FILE).write_text(
        json.dumps(
            {
                "devices": devices,
                "pin": PIN,
                "cards": [card_uid(n) for n in range(len(everyone))],
                "products": product_ids,
            }
        )
    )
    print(json.dumps({"inmates": len(everyone), "products": products, "terminals": terminals}))


def serve(worker: int, of: int, run: str) -> None:
    from bench.proto import serve as proto_serve
    from pandai.core.models import Device, Site
    from pandai.inmates.models import Inmate
    from pandai.shop.errors import ShopError
    from pandai.shop.models import Product, ShopShift
    from pandai.shop.services import CartLine, checkout

    site = Site.objects.get(code=SITE_CODE)
    terminal = Device.objects.get(site=site, name=f"BENCH-POS-{worker + 1}")
    shift = ShopShift.objects.select_related("cashier").get(
        terminal=terminal, closed_at__isnull=True
    )
    count = Inmate.objects.filter(site=site).count()
    mine = [card_uid(n) for n in range(worker, count, of)]
    products = list(Product.objects.filter(site=site).values_list("pk", flat=True))
    rng = random.Random(f"{run}:{worker}")

    def buy(seq: int) -> None:
        checkout(
            site=site,
            card_uid=mine[seq % len(mine)],
            pin=PIN,
            lines=[CartLine(pk, 1) for pk in rng.sample(products, 3)],
            idempotency_key=f"bench:{run}:{worker}:{seq}",
            cashier=shift.cashier,
            terminal=terminal,
            shift=shift,
        )

    def describe(exc: Exception) -> str:
        if isinstance(exc, ShopError):
            return f"ShopError:{exc.code}"
        return f"{type(exc).__name__}: {str(exc)[:120]}"

    proto_serve(buy, describe=describe, server_pid=backend_pid())


def verify(run: str, prefix: str) -> None:
    from pandai.core.models import Site
    from pandai.shop.models import Sale
    from pandai.shop.services import stock_check
    from pandai.wallet.checks import run_checks

    site = Site.objects.get(code=SITE_CODE)
    sales = Sale.objects.filter(site=site, idempotency_key__startswith=f"{prefix}:{run}:").count()
    print(
        json.dumps(
            {
                "sales": sales,
                "stock_ok": stock_check() == [],
                "ledger_ok": run_checks(site=site) == [],
            }
        )
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.checkout_worker")
    sub = parser.add_subparsers(dest="command", required=True)
    p_seed = sub.add_parser("seed")
    p_seed.add_argument("--inmates", type=int, default=1000)
    p_seed.add_argument("--products", type=int, default=240)
    p_seed.add_argument("--terminals", type=int, default=16)
    p_seed.add_argument("--parts", type=int, default=1)
    p_serve = sub.add_parser("serve")
    p_serve.add_argument("--worker", type=int, default=0)
    p_serve.add_argument("--of", type=int, default=1)
    p_serve.add_argument("--run", required=True)
    p_verify = sub.add_parser("verify")
    p_verify.add_argument("--run", required=True)
    p_verify.add_argument("--prefix", default="bench")
    args = parser.parse_args(argv)
    _django()
    if args.command == "seed":
        seed(args.inmates, args.products, args.terminals, args.parts)
    elif args.command == "serve":
        serve(args.worker, args.of, args.run)
    else:
        verify(args.run, args.prefix)


if __name__ == "__main__":
    main(sys.argv[1:])
