"""Fixtures of the counter tests: a counter with an open shift, logged-in clients per role,
a deposit form poster and a snapshot of everything a refused request must leave alone.

Loaded for the whole suite by pandai/conftest.py (`pytest_plugins`); `officer` and `head`
come from pandai/wallet/tests/conftest.py."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pandai.core.models import Site, User
from pandai.inmates.models import Inmate
from pandai.wallet import counter, counter_deposits
from pandai.wallet.models_counter import CashDifference, Counter, CounterShift, Deposit, Payout
from pandai.wallet.tests.conftest import ledger_snapshot

OPENING_CASH = 200_000
DEPOSITOR = {
    "depositor_name": "Siti Aminah",
    "depositor_nik": "3316014507800002",
    "relationship": "ibu",
    "depositor_phone": "0812-3456-7890",
}


@pytest.fixture
def counter_desk(site: Site, head: User) -> Counter:
    return counter.counter_create(site=site, code="LOKET-1", name="Loket Depan", actor=head)


@pytest.fixture
def counter_shift(counter_desk: Counter, officer: User) -> CounterShift:
    return counter.shift_open(counter=counter_desk, officer=officer, opening_cash_rp=OPENING_CASH)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def officer_client(officer: User) -> Client:
    return logged_in(officer)


@pytest.fixture
def auditor(staff: Callable[..., User]) -> User:
    return staff("auditor", username="auditor1")


@pytest.fixture
def official(staff: Callable[..., User]) -> User:
    return staff("official", username="kasubsi1")


def deposit_data(
    amount: str = "50.000", key: str | None = None, **overrides: str
) -> dict[str, str]:
    return {"key": key or str(uuid.uuid4()), **DEPOSITOR, "amount": amount, **overrides}


@pytest.fixture
def post_deposit() -> Callable[..., Any]:
    """post_deposit(client, inmate, amount="50.000", key=None, **fields) -> response."""

    def post(client: Client, inmate: Inmate, amount: str = "50.000", **kwargs: Any) -> Any:
        url = reverse("wallet:deposit", kwargs={"pk": inmate.pk})
        return client.post(url, deposit_data(amount, **kwargs))

    return post


@pytest.fixture
def take_deposit(counter_shift: CounterShift, officer: User) -> Callable[..., Deposit]:
    """take_deposit(inmate, 50_000, now=...) through the counter service (not the view)."""

    def take(inmate: Inmate, amount_rp: int, **kwargs: Any) -> Deposit:
        kwargs.setdefault("form_key", str(uuid.uuid4()))
        kwargs.setdefault(
            "depositor",
            counter_deposits.Depositor(
                name="Siti Aminah", nik=DEPOSITOR["depositor_nik"], relationship="ibu"
            ),
        )
        return counter_deposits.counter_deposit(
            shift=counter_shift, inmate=inmate, amount_rp=amount_rp, actor=officer, **kwargs
        ).deposit

    return take


def everything() -> dict[str, Any]:
    """The ledger plus the counter's own records."""
    return {
        **ledger_snapshot(),
        "deposits": Deposit.objects.count(),
        "payouts": Payout.objects.count(),
        "differences": CashDifference.objects.count(),
        "shifts": sorted(CounterShift.objects.values_list("pk", "closed_at")),
    }
