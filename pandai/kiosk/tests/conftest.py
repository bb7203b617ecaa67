"""Kiosk test fixtures: a paired kiosk browser (`kiosk_client`), an inmate with card and PIN,
and `signed_in` (the same browser after card + PIN)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pandai.core import services as core_services
from pandai.core.models import Device
from pandai.inmates.tests.factories import InmateFactory
from pandai.shop.tests.factories import card_with_pin

PIN = "482916"
UID = "04C0FFEE123456"
OTHER_UID = "04BEEF00654321"


@pytest.fixture
def admin(staff: Any) -> Any:
    return staff("admin", username="kiosk-admin")


@pytest.fixture
def kiosk_device(site: Any, admin: Any) -> tuple[Device, str]:
    return core_services.device_register(site=site, kind="kiosk", name="Kios Blok A", actor=admin)


def pair(client: Client, token: str) -> Any:
    return client.post("/kios/pasang/", {"token": token})


@pytest.fixture
def kiosk_client(kiosk_device: tuple[Device, str]) -> Client:
    client = Client()
    response = pair(client, kiosk_device[1])
    assert response.status_code == 302
    return client


@pytest.fixture
def holder(site: Any, admin: Any) -> Any:
    inmate = InmateFactory(site=site, full_name="Budi Santoso")
    card_with_pin(inmate, UID, PIN, admin)
    return inmate


@pytest.fixture
def other_holder(site: Any, admin: Any) -> Any:
    inmate = InmateFactory(site=site, full_name="Joko Widodo")
    card_with_pin(inmate, OTHER_UID, "111222", admin)
    return inmate


def sign_in(client: Client, uid: str = UID, pin: str = PIN) -> Any:
    client.post("/kios/kartu/", {"uid": uid})
    return client.post("/kios/pin/", {"pin": pin})


@pytest.fixture
def signed_in(kiosk_client: Client, holder: Any) -> Client:
    response = sign_in(kiosk_client)
    assert response.status_code == 302 and response.url == "/kios/", response
    return kiosk_client


@pytest.fixture(autouse=True)
def _fresh_limits(django_db_setup: None, django_db_blocker: Any) -> None:
    """The rate limits live in the database cache: a test in a transaction rolls its counts
    back, but a live-server test commits them, and the cache table is not flushed after it."""
    from django.core.cache import cache

    with django_db_blocker.unblock():
        cache.clear()
