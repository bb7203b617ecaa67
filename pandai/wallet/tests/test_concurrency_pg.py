"""Concurrency with real processes on PostgreSQL: row locks, not luck, keep the ledger right."""

from __future__ import annotations

import multiprocessing
from collections import Counter

import pytest
from django.db import connections

from pandai.core.tests.factories import SiteFactory, StaffFactory
from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import selectors, services
from pandai.wallet.checks import run_checks
from pandai.wallet.models import Batch, Transfer
from pandai.wallet.tests.ledger_worker import buy_many

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PRICE = 1_000


def run_children(inmate, plan: list[list[str]]) -> list[tuple]:
    """Fork one process per key list; all start together; returns every reported outcome."""
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(plan))
    results = ctx.Queue()
    connections.close_all()  # children must open their own connections
    children = [
        ctx.Process(target=buy_many, args=(inmate.pk, PRICE, keys, barrier, results))
        for keys in plan
    ]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=120) for keys in plan for _ in keys]
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    return outcomes


@pytest.fixture
def funded():
    site = SiteFactory()
    officer = StaffFactory(site=site, roles=["counter_officer"])
    inmate = InmateFactory(site=site)
    drawer = services.counter_account(site=site, counter="L1")
    services.deposit_credit(
        inmate=inmate, amount_rp=50 * PRICE, source=drawer, actor=officer, idempotency_key="fund"
    )
    return inmate


def test_200_purchases_at_once_exactly_50_succeed(funded):
    plan = [[f"sale:{p}:{i}" for i in range(10)] for p in range(20)]
    outcomes = run_children(funded, plan)
    codes = Counter(code for code, *_ in outcomes)
    assert codes == {"ok": 50, "insufficient_funds": 150}, codes
    balances = selectors.balances(inmate=funded)
    assert balances.available_rp == 0 and balances.spendable_rp == 0
    assert Transfer.objects.filter(kind="purchase").count() == 50
    assert run_checks() == []


def test_50_concurrent_repeats_of_one_key_have_one_effect(funded):
    plan = [["sale:same", "sale:same"] for _ in range(25)]
    outcomes = run_children(funded, plan)
    assert {code for code, *_ in outcomes} == {"ok"}, outcomes
    assert len({batch for _, _, batch, _ in outcomes}) == 1
    assert sum(1 for *_, replayed in outcomes if not replayed) == 1
    assert Batch.objects.filter(idempotency_key="sale:same").count() == 1
    assert selectors.balances(inmate=funded).available_rp == 49 * PRICE
    assert run_checks() == []
