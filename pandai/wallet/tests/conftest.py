"""Wallet test helpers: an officer, a counter's cash drawer, money in, and a snapshot of
everything the ledger stores (to prove a refusal changed nothing)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

from pandai.core.models import AuditEvent, Site, User
from pandai.inmates.models import Inmate
from pandai.wallet import services
from pandai.wallet.checks import run_checks
from pandai.wallet.models import Account, AccountDelta, Batch, Transfer

_keys = itertools.count(1)
WIB = dt.timezone(dt.timedelta(hours=7))


def new_key(prefix: str = "t") -> str:
    return f"{prefix}:{next(_keys)}"


@pytest.fixture
def officer(staff: Callable[..., User]) -> User:
    return staff("counter_officer", username="loket1")


@pytest.fixture
def cashier(staff: Callable[..., User]) -> User:
    return staff("cashier", username="kasir1")


@pytest.fixture
def head(staff: Callable[..., User]) -> User:
    return staff("head", username="karutan")


@pytest.fixture
def drawer(site: Site) -> Account:
    return services.counter_account(site=site, counter="LOKET-1")


@pytest.fixture
def fund(drawer: Account, officer: User) -> Callable[..., services.BatchResult]:
    """fund(inmate, 50_000) -> a counter deposit (rules not enforced)."""

    def make(inmate: Inmate, amount: int, **kwargs: Any) -> services.BatchResult:
        kwargs.setdefault("idempotency_key", new_key("dep"))
        kwargs.setdefault("enforce_rules", False)
        return services.deposit_credit(
            inmate=inmate, amount_rp=amount, source=drawer, actor=officer, **kwargs
        )

    return make


def ledger_snapshot() -> dict[str, Any]:
    return {
        "accounts": sorted(
            Account.objects.values_list(
                "pk",
                "debits_posted",
                "credits_posted",
                "debits_pending",
                "credits_pending",
                "version",
                "status",
            )
        ),
        "transfers": sorted(Transfer.objects.values_list("pk", "state")),
        "batches": Batch.objects.count(),
        "waiting": sorted(AccountDelta.objects.values_list("account_id", "credits_posted")),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture
def unchanged() -> Callable[[], Any]:
    """with unchanged(): <a refused call>  -> asserts nothing in the ledger changed."""
    from contextlib import contextmanager

    @contextmanager
    def check():  # type: ignore[no-untyped-def]
        before = ledger_snapshot()
        yield
        assert ledger_snapshot() == before

    return check


@pytest.fixture
def ledger_ok() -> Callable[[], None]:
    def check() -> None:
        problems = run_checks()
        assert problems == [], problems

    return check
