"""The shop's sales account is credited by every purchase of the site without making the
terminals wait in line for its row (PostgreSQL): a batch that finds the account busy writes
its increment as an AccountDelta, which the next batch (or the ledger tick) adds. Real
connections and real processes; the ledger's checks count the waiting increments."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection, connections

from pandai.core.tests.factories import SiteFactory, StaffFactory
from pandai.inmates.tests.factories import InmateFactory
from pandai.ops.jobs import run_ledger_tick
from pandai.wallet import clock, selectors, services
from pandai.wallet.checks import run_checks
from pandai.wallet.closing import closing_figures
from pandai.wallet.errors import AccountClosed
from pandai.wallet.models import Account, AccountDelta, AccountKind, AccountStatus, Transfer
from pandai.wallet.sql import _SHARED_LOCK_CLASS
from pandai.wallet.tests.conftest import ledger_snapshot
from pandai.wallet.tests.ledger_worker import buy_many

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PRICE = 1_000


def funded_inmates(site, count: int, counter: str) -> list:
    """`count` new inmates of `site`, each given 100 × PRICE at `counter`."""
    officer = StaffFactory(site=site, roles=["counter_officer"])
    drawer = services.counter_account(site=site, counter=counter)
    inmates = [InmateFactory(site=site) for _ in range(count)]
    for inmate in inmates:
        services.deposit_credit(
            inmate=inmate,
            amount_rp=100 * PRICE,
            source=drawer,
            actor=officer,
            idempotency_key=f"fund:{inmate.pk}",
        )
    return inmates


@pytest.fixture
def shop_site():
    site = SiteFactory()
    cashier = StaffFactory(site=site, roles=["cashier"])
    inmates = funded_inmates(site, 4, "L1")
    shop = services.system_account(site=site, kind=AccountKind.SHOP_SALES)
    return site, cashier, inmates, shop


@contextmanager
def shop_busy(shop: Account) -> Iterator[psycopg.Connection]:
    """Another connection does what a batch adding to the shop account does: it holds the
    account's advisory lock and its row, until the block ends (then rolls back)."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as other:
        other.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_SHARED_LOCK_CLASS, shop.pk])
        other.execute("SELECT id FROM wallet_account WHERE id = %s FOR NO KEY UPDATE", [shop.pk])
        yield other
        other.rollback()


def buy(inmate, cashier, key):
    return services.purchase(inmate=inmate, amount_rp=PRICE, idempotency_key=key, actor=cashier)


def stored_credits(shop: Account) -> int:
    return Account.objects.values_list("credits_posted", flat=True).get(pk=shop.pk)


def test_a_purchase_does_not_wait_for_a_busy_shop_account(shop_site):
    site, cashier, inmates, shop = shop_site
    with connection.cursor() as cursor:  # a wait for the row would fail, not hang
        cursor.execute("SET lock_timeout = '2s'")
    before = stored_credits(shop)
    with shop_busy(shop):
        result = buy(inmates[0], cashier, "sale:busy")
    assert not result.replayed
    # The increment waits beside the account; the account's totals count it.
    assert list(AccountDelta.objects.values_list("account_id", "credits_posted")) == [
        (shop.pk, PRICE)
    ]
    assert stored_credits(shop) == before
    assert selectors.queued_totals(site=site) == {shop.pk: (0, PRICE, 0, 0)}
    assert run_checks() == []
    held = sum(selectors.balances(inmate=i).spendable_rp for i in inmates)
    assert selectors.inmate_money_rp(site=site) == held == 4 * 100 * PRICE - PRICE
    figures = closing_figures(site=site, day=selectors.site_today_for(site, clock.now()))
    assert figures.stored_debits_rp == figures.stored_credits_rp
    # The next purchase that gets the account adds the waiting increment and its own.
    buy(inmates[1], cashier, "sale:free")
    assert AccountDelta.objects.count() == 0
    assert stored_credits(shop) == before + 2 * PRICE
    assert run_checks() == []


def test_the_ledger_tick_adds_what_waits(shop_site):
    site, cashier, inmates, shop = shop_site
    with shop_busy(shop):
        buy(inmates[0], cashier, "sale:1")
        buy(inmates[1], cashier, "sale:2")
    assert AccountDelta.objects.count() == 2
    outcome = run_ledger_tick(site, clock.now())
    assert outcome.ok and "2 tambahan rekening bersama dibukukan" in outcome.summary
    assert AccountDelta.objects.count() == 0
    shop.refresh_from_db()
    assert (
        shop.credits_posted
        == 2 * PRICE
        == sum(Transfer.objects.filter(credit_account=shop).values_list("amount_rp", flat=True))
    )
    assert services.deltas_apply(site=site) == 0
    assert run_checks() == []


def test_a_closed_shop_account_is_refused_busy_or_not(shop_site):
    _site, cashier, inmates, shop = shop_site
    Account.objects.filter(pk=shop.pk).update(status=AccountStatus.CLOSED)
    before = ledger_snapshot()
    with shop_busy(shop), pytest.raises(AccountClosed):
        buy(inmates[0], cashier, "sale:closed-busy")
    with pytest.raises(AccountClosed):
        buy(inmates[0], cashier, "sale:closed-free")
    assert ledger_snapshot() == before
    assert AccountDelta.objects.count() == 0


def test_a_replay_while_the_account_is_busy_adds_nothing(shop_site):
    _site, cashier, inmates, shop = shop_site
    first = buy(inmates[0], cashier, "sale:twice")
    with shop_busy(shop):
        again = buy(inmates[0], cashier, "sale:twice")
    assert again.replayed and again.batch.pk == first.batch.pk
    assert AccountDelta.objects.count() == 0
    assert stored_credits(shop) == PRICE


def test_terminals_buying_at_once_keep_the_ledger_right(shop_site):
    """8 processes, each its own inmate, 10 purchases each, all at once: every one goes
    through, and the shop's totals (stored + waiting) equal its transfers at every check."""
    site, _cashier, inmates, shop = shop_site
    everyone = inmates + funded_inmates(site, 4, "L2")
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(everyone))
    results = ctx.Queue()
    connections.close_all()
    children = [
        ctx.Process(
            target=buy_many,
            args=(inmate.pk, PRICE, [f"sale:{n}:{i}" for i in range(10)], barrier, results),
        )
        for n, inmate in enumerate(everyone)
    ]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=120) for _ in range(10 * len(everyone))]
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    assert Counter(code for code, *_ in outcomes) == {"ok": 80}, outcomes
    assert run_checks() == []
    queued = selectors.queued_totals(site=site).get(shop.pk, (0, 0, 0, 0))
    assert stored_credits(shop) + queued[1] == 80 * PRICE
    services.deltas_apply(site=site)
    assert stored_credits(shop) == 80 * PRICE
    assert run_checks() == []
