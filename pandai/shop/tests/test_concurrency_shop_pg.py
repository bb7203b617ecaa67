"""Concurrency at the till with real processes on PostgreSQL: two tills selling the last unit
(one sale, the other `out_of_stock`), and 50 checkouts at once with one idempotency key (one
sale, one ledger batch, the stock moved once); pre-orders expired by several shop_tick runs at
once (each order and hold once) and one delivery sent by many requests (charged once)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections import Counter
from typing import Any

import pytest
from django.db import connections

from pandai.core.tests.factories import SiteFactory, StaffFactory
from pandai.inmates.tests.factories import InmateFactory
from pandai.shop.models import PreOrder, PreOrderStatus, Product, Sale, StockMove
from pandai.shop.services import CartLine, shift_open, stock_check
from pandai.shop.services.preorders import preorder_place
from pandai.shop.tests.factories import ProductFactory, card_with_pin, fund, pos_terminal
from pandai.shop.tests.shop_worker import checkout_once, deliver_order, expire_orders
from pandai.wallet import selectors as wallet_selectors
from pandai.wallet.checks import run_checks
from pandai.wallet.models import Batch, Transfer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_children(jobs: list[tuple[Any, ...]], target: Any = checkout_once) -> list[tuple[Any, ...]]:
    """Fork one process per job (the target's arguments before the barrier); all start
    together; returns every reported outcome."""
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(jobs))
    results = ctx.Queue()
    connections.close_all()  # children must open their own connections
    children = [ctx.Process(target=target, args=(*job, barrier, results)) for job in jobs]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=180) for _ in jobs]
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    return outcomes


@pytest.fixture
def world() -> dict[str, Any]:
    site = SiteFactory(code="KON")
    admin = StaffFactory(site=site, roles=["admin"])
    tills = []
    for n in (1, 2):
        terminal, _token = pos_terminal(site, admin, name=f"Kasir {n}")
        cashier = StaffFactory(site=site, roles=["cashier"])
        tills.append((terminal, shift_open(terminal=terminal, cashier=cashier)))
    buyers = []
    for n in (1, 2):
        inmate = InmateFactory(site=site)
        card_with_pin(inmate, f"04AAAAAAAAAA0{n}", "246810", admin)
        fund(inmate, 100_000)
        buyers.append(inmate)
    product = ProductFactory(site=site, name="Gula 1 kg", price_rp=15_000, stock=1)
    return {"site": site, "tills": tills, "buyers": buyers, "product": product}


def test_two_tills_selling_the_last_unit(world):
    product = world["product"]
    jobs = [
        (terminal.pk, shift.pk, f"04AAAAAAAAAA0{n}", "246810", [(product.pk, 1)], f"last-{n}")
        for n, (terminal, shift) in zip((1, 2), world["tills"], strict=True)
    ]
    outcomes = run_children(jobs)
    assert Counter(code for code, *_ in outcomes) == {"ok": 1, "out_of_stock": 1}, outcomes
    assert Sale.objects.count() == 1
    assert Product.objects.get(pk=product.pk).on_hand == 0
    sale = Sale.objects.get()
    loser = next(b for b in world["buyers"] if b.pk != sale.inmate_id)
    assert wallet_selectors.balances(inmate=loser).available_rp == 100_000
    assert stock_check() == [] and run_checks() == []


def test_50_checkouts_with_one_key_have_one_effect(world):
    product = Product.objects.get(pk=world["product"].pk)
    from pandai.shop.tests.factories import stock_in

    stock_in(product, 99)
    terminal, shift = world["tills"][0]
    job = (terminal.pk, shift.pk, "04AAAAAAAAAA01", "246810", [(product.pk, 2)], "same-key")
    outcomes = run_children([job] * 50)
    assert {code for code, *_ in outcomes} == {"ok"}, outcomes
    assert len({sale_id for _, sale_id, _ in outcomes}) == 1
    assert sum(1 for *_, replayed in outcomes if not replayed) == 1
    assert Sale.objects.count() == 1
    assert Batch.objects.filter(idempotency_key="sale:same-key").count() == 1
    assert StockMove.objects.filter(kind="sale").count() == 1
    assert Product.objects.get(pk=product.pk).on_hand == 100 - 2
    buyer = world["buyers"][0]
    assert wallet_selectors.balances(inmate=buyer).available_rp == 100_000 - 30_000
    assert stock_check() == [] and run_checks() == []


def test_several_shop_ticks_at_once_expire_each_order_once(world):
    product = Product.objects.get(pk=world["product"].pk)
    from pandai.shop.tests.factories import stock_in

    stock_in(product, 10)
    placed = dt.datetime.now(dt.UTC) - dt.timedelta(hours=49)
    orders = [
        preorder_place(
            inmate=inmate, lines=[CartLine(product.pk, 1)], idempotency_key=f"po-{n}", now=placed
        )
        for n, inmate in enumerate(world["buyers"])
    ]
    at = dt.datetime.now(dt.UTC).isoformat()
    outcomes = run_children([(world["site"].pk, at)] * 6, target=expire_orders)
    assert {code for code, _ in outcomes} == {"ok"}, outcomes
    assert sum(n for _, n in outcomes) == len(orders)
    for order in orders:
        order.refresh_from_db()
        assert order.status == PreOrderStatus.EXPIRED
        assert Transfer.objects.get(pk=order.hold_id).state == "expired"
    for inmate in world["buyers"]:
        assert wallet_selectors.balances(inmate=inmate).available_rp == 100_000
    assert run_checks() == []


def test_one_delivery_sent_many_times_charges_once(world):
    product = Product.objects.get(pk=world["product"].pk)
    from pandai.shop.tests.factories import stock_in

    stock_in(product, 10)
    buyer = world["buyers"][0]
    order = preorder_place(inmate=buyer, lines=[CartLine(product.pk, 2)], idempotency_key="po-x")
    line = order.lines.get()
    outcomes = run_children([(order.pk, line.pk, 2, "deliver-once")] * 12, target=deliver_order)
    assert {code for code, _ in outcomes} == {"ok"}, outcomes
    assert len({sale for _, sale in outcomes}) == 1
    order.refresh_from_db()
    assert order.status == PreOrderStatus.DELIVERED
    assert PreOrder.objects.filter(sale__isnull=False).count() == 1
    assert Sale.objects.count() == 1
    assert wallet_selectors.balances(inmate=buyer).available_rp == 100_000 - 30_000
    assert Product.objects.get(pk=product.pk).on_hand == 11 - 2
    assert stock_check() == [] and run_checks() == []
