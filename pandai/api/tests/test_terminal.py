"""GET /api/terminal/card/{uid}: a registered terminal looks a card up (identity, balance,
today's remaining limit); revoked tokens, unknown and blocked cards get stable error codes."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from pandai.core import services as core_services
from pandai.inmates import services as inmate_services
from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import services

pytestmark = pytest.mark.django_db

UID = "04AB12CD34EF56"


@pytest.fixture
def head(staff):
    return staff("head", username="karutan-api")


@pytest.fixture
def device_token(site, head):
    _device, token = core_services.device_register(
        site=site, kind="pos", name="Kasir 1", actor=head
    )
    return token


@pytest.fixture
def card(inmate, head):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (90, 120, 150)).save(buffer, format="JPEG")
    inmate_services.inmate_set_photo(inmate=inmate, data=buffer.getvalue(), actor=head)
    return inmate_services.card_issue(inmate=inmate, raw_uid=UID, actor=head)


def get(client, path, token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(path, **headers)


def test_a_registered_terminal_sees_the_holder_balance_and_remaining_limit(
    client, site, inmate, card, device_token, head
):
    services.ledger_settings_update(site=site, actor=head, daily_limit_rp=50_000)
    drawer = services.counter_account(site=site, counter="LOKET-1")
    services.deposit_credit(
        inmate=inmate, amount_rp=120_000, source=drawer, idempotency_key="d1", actor=head
    )
    services.purchase(inmate=inmate, amount_rp=20_000, idempotency_key="s1", actor=None)

    response = get(client, f"/api/terminal/card/{UID}", device_token)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["name"] == inmate.full_name and data["reg_no"] == inmate.reg_no
    assert data["block"] == inmate.cell.block.name
    assert data["available_rp"] == 100_000
    assert data["daily_limit_rp"] == 50_000 and data["remaining_today_rp"] == 30_000
    assert data["card_status"] == "active" and data["account_status"] == "open"
    photo = get(client, data["photo_url"], device_token)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert get(client, data["photo_url"], "").status_code == 401


def test_no_limit_means_null_remaining_and_decimal_readings_work(client, card, device_token):
    decimal = str(int(UID[:8], 16))  # some readers type the first 4 bytes in decimal
    data = get(client, f"/api/terminal/card/{decimal}", device_token).json()
    assert data["remaining_today_rp"] is None and data["available_rp"] == 0
    assert data["account_status"] == "none"


def test_a_revoked_token_is_refused(client, site, card, head):
    device, token = core_services.device_register(
        site=site, kind="kiosk", name="Kios A", actor=head
    )
    assert get(client, f"/api/terminal/card/{UID}", token).status_code == 200
    core_services.device_revoke(device=device, actor=head)
    response = get(client, f"/api/terminal/card/{UID}", token)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert get(client, f"/api/terminal/card/{UID}", "").status_code == 401
    assert get(client, f"/api/terminal/card/{UID}", "made-up-token").status_code == 401


def test_an_unknown_card_and_another_sites_card(client, other_site, head, device_token):
    response = get(client, "/api/terminal/card/04FFFFFFFFFF01", device_token)
    assert response.status_code == 404
    assert response.json() == {"code": "card_unknown", "message": "Kartu tidak dikenal di UPT ini."}
    elsewhere = InmateFactory(site=other_site)
    inmate_services.card_issue(inmate=elsewhere, raw_uid="04CC12CD34EF99", actor=head)
    assert get(client, "/api/terminal/card/04CC12CD34EF99", device_token).status_code == 404


def test_a_blocked_card_is_refused_with_its_status(client, card, device_token, head):
    inmate_services.card_set_status(card=card, status="blocked", reason="dicuri", actor=head)
    response = get(client, f"/api/terminal/card/{UID}", device_token)
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "card_blocked" and "Diblokir" in body["message"]


def test_an_unreadable_uid(client, device_token):
    response = get(client, "/api/terminal/card/hello-there", device_token)
    assert response.status_code == 400 and response.json()["code"] == "uid_invalid"
