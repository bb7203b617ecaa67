"""Fixtures of the cashier's screens (import them into a test module): a cashier and a shop
manager, a POS terminal and its token, a stocked catalogue with barcodes, and an inmate with a
card, a PIN and money on the card."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pandai.core.models import Device, Site, User
from pandai.inmates.models import Inmate
from pandai.inmates.tests.factories import InmateFactory
from pandai.shop.models import PosBasket, Product, ShopShift
from pandai.shop.services.shifts import shift_open
from pandai.shop.tests.factories import (
    CategoryFactory,
    ProductFactory,
    card_with_pin,
    fund,
    pos_terminal,
)

UID = "04A1B2C3D4E5F6"
PIN = "480213"


@pytest.fixture
def admin(staff: Callable[..., User]) -> User:
    return staff("admin", username="admin-upt")


@pytest.fixture
def cashier(staff: Callable[..., User]) -> User:
    return staff("cashier", username="kasir1")


@pytest.fixture
def manager(staff: Callable[..., User]) -> User:
    return staff("shop_manager", username="pengelola")


@pytest.fixture
def terminal_and_token(site: Site, admin: User) -> tuple[Device, str]:
    return pos_terminal(site, admin, name="Kasir 1")


@pytest.fixture
def terminal(terminal_and_token: tuple[Device, str]) -> Device:
    return terminal_and_token[0]


@pytest.fixture
def catalogue(site: Site) -> dict[str, Product]:
    food = CategoryFactory(site=site, name="Makanan", sort_order=1)
    care = CategoryFactory(site=site, name="Perlengkapan mandi", sort_order=2)
    return {
        "mie": ProductFactory(
            site=site, name="Mie instan goreng", category=food, price_rp=3_500,
            cost_rp=2_800, barcode="8998866200011", stock=50,
        ),
        "kopi": ProductFactory(
            site=site, name="Kopi sachet", category=food, price_rp=2_000,
            cost_rp=1_500, barcode="8991002101111", stock=50,
        ),
        "sabun": ProductFactory(
            site=site, name="Sabun mandi", category=care, price_rp=4_500,
            cost_rp=3_600, barcode="8999999000222", stock=20, essential=True,
        ),
    }  # fmt: skip


@pytest.fixture
def buyer(site: Site, admin: User) -> Inmate:
    inmate = InmateFactory(site=site, full_name="Slamet Riyadi", reg_no="AI.123/2024")
    card_with_pin(inmate, UID, PIN, admin)
    fund(inmate, 100_000, actor=admin)
    return inmate


@pytest.fixture
def shift(terminal: Device, cashier: User) -> ShopShift:
    return shift_open(terminal=terminal, cashier=cashier)


def paired_client(user: User, token: str) -> Client:
    """A logged-in browser paired with the terminal (through the real pairing form)."""
    client = Client()
    client.force_login(user)
    response = client.post(reverse("shop:terminal"), {"token": token})
    assert response.status_code == 302, response.content[:500]
    return client


@pytest.fixture
def till(cashier: User, terminal_and_token: tuple[Device, str], shift: ShopShift) -> Client:
    """The cashier's browser, paired, with the shift open."""
    return paired_client(cashier, terminal_and_token[1])


def basket_row(client: Client) -> PosBasket:
    """The basket of the cashier logged in on this client (the last one changed)."""
    cashier_id = client.session["_auth_user_id"]
    return PosBasket.objects.filter(cashier_id=cashier_id).latest("updated_at")


def basket_key(client: Client) -> str:
    return basket_row(client).key


def scan(client: Client, code: str, **extra: Any) -> Any:
    return client.post(reverse("shop:pos_scan"), {"code": code}, **extra)
