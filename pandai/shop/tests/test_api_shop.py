"""POST /api/shop/checkout and GET /api/shop/product/{barcode} for registered POS terminals:
a receipt with the remaining balance, one charge per idempotency key, stable refusal codes
with nothing changed, the shift's cashier as the seller, and the OpenAPI page."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pandai.core import services as core_services
from pandai.shop.models import Sale, SaleSource
from pandai.shop.services import shift_close
from pandai.shop.tests.till_fixtures import PIN, UID, snapshot

pytestmark = pytest.mark.django_db


def post(client: Any, token: str | None, body: dict[str, Any]) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(
        "/api/shop/checkout", data=json.dumps(body), content_type="application/json", **headers
    )


def basket(**kw: Any) -> dict[str, Any]:
    body = {
        "card_uid": UID,
        "pin": PIN,
        "lines": [{"barcode": "8990001", "quantity": 2}, {"barcode": "8990002", "quantity": 1}],
        "idempotency_key": "api-1",
    }
    body.update(kw)
    return body


def test_a_checkout_returns_the_receipt_with_the_balance_left(client, till, buyer, goods):
    response = post(client, till["token"], basket())
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["total_rp"] == 2 * 3_500 + 4_000
    assert data["balance_after_rp"] == 100_000 - 11_000
    assert data["replayed"] is False
    assert data["number"].startswith(till["shift"].number)
    assert data["inmate_name"] == buyer.full_name and data["reg_no"] == buyer.reg_no
    assert data["cashier"] == till["cashier"].display_name
    assert sorted((line["name"], line["quantity"]) for line in data["lines"]) == [
        ("Mi goreng", 2),
        ("Sabun mandi", 1),
    ]
    sale = Sale.objects.get()
    assert sale.source == SaleSource.API and sale.cashier == till["cashier"]
    assert sale.shift == till["shift"]


def test_by_product_id_too(client, till, buyer, goods):
    body = basket(lines=[{"product_id": goods["kopi"].pk, "quantity": 1}])
    assert post(client, till["token"], body).json()["total_rp"] == 2_000


def test_the_same_key_charges_once(client, till, buyer, goods):
    first = post(client, till["token"], basket()).json()
    before = snapshot(buyer)
    again = post(client, till["token"], basket())
    assert again.status_code == 200
    assert again.json()["number"] == first["number"] and again.json()["replayed"] is True
    assert snapshot(buyer) == before


def test_a_retry_after_the_shift_closed_still_gets_its_receipt(client, till, buyer, goods):
    first = post(client, till["token"], basket()).json()
    shift_close(shift=till["shift"], actor=till["cashier"])
    again = post(client, till["token"], basket())
    assert again.status_code == 200 and again.json()["number"] == first["number"]


def refused(client, token, buyer, body, status, code) -> dict[str, Any]:
    before = snapshot(buyer)
    response = post(client, token, body)
    assert response.status_code == status, response.content
    data = response.json()
    assert data["code"] == code and data["message"]
    assert snapshot(buyer) == before
    return data


def test_wrong_pin_says_tries_left(client, till, buyer, goods):
    data = refused(client, till["token"], buyer, basket(pin="000000"), 422, "pin_wrong")
    assert data["figures"]["tries_left"] == 2


def test_no_open_shift(client, till, buyer, goods):
    shift_close(shift=till["shift"], actor=till["cashier"])
    refused(client, till["token"], buyer, basket(idempotency_key="new"), 409, "no_open_shift")


def test_unknown_barcode(client, till, buyer, goods):
    body = basket(lines=[{"barcode": "0000000", "quantity": 1}])
    refused(client, till["token"], buyer, body, 404, "unknown_barcode")


def test_codes_are_barcodes_then_skus_mixed_with_ids(client, till, buyer, goods):
    from pandai.shop.models import Barcode

    # A code that is one product's barcode and another's SKU means the barcode's product.
    Barcode.objects.create(site_id=goods["kopi"].site_id, product=goods["kopi"], code="SHARED")
    goods["sabun"].sku = "SHARED"
    goods["sabun"].save(update_fields=["sku"])
    lines = [
        {"barcode": f" {goods['mie'].sku} ", "quantity": 2},  # a SKU, as typed with spaces
        {"barcode": "SHARED", "quantity": 1},
        {"product_id": goods["sabun"].pk, "quantity": 1},
        {"barcode": "8990001", "quantity": 1},  # the same product again: one line of 3
    ]
    data = post(client, till["token"], basket(lines=lines)).json()
    assert sorted((line["name"], line["quantity"]) for line in data["lines"]) == [
        ("Kopi sachet", 1),
        ("Mi goreng", 3),
        ("Sabun mandi", 1),
    ]
    assert data["total_rp"] == 3 * 3_500 + 2_000 + 4_000


def test_codes_are_refused_in_the_order_of_the_lines(client, till, buyer, goods):
    goods["sabun"].is_active = False
    goods["sabun"].save(update_fields=["is_active"])
    inactive_first = [{"barcode": "8990002", "quantity": 1}, {"barcode": "000", "quantity": 1}]
    data = refused(
        client, till["token"], buyer, basket(lines=inactive_first), 422, "product_inactive"
    )
    assert "Sabun mandi" in data["message"]
    unknown_first = [{"barcode": "000", "quantity": 1}, {"barcode": "8990002", "quantity": 1}]
    data = refused(
        client, till["token"], buyer, basket(lines=unknown_first), 404, "unknown_barcode"
    )
    assert "000" in data["message"]
    invalid_first = [{"quantity": 1}, {"barcode": "000", "quantity": 1}]
    refused(client, till["token"], buyer, basket(lines=invalid_first), 422, "line_invalid")


def test_a_line_without_barcode_or_id(client, till, buyer, goods):
    refused(client, till["token"], buyer, basket(lines=[{"quantity": 1}]), 422, "line_invalid")


def test_out_of_stock_and_insufficient_funds(client, till, buyer, goods):
    body = basket(lines=[{"barcode": "8990003", "quantity": 2}])
    refused(client, till["token"], buyer, body, 422, "out_of_stock")


def test_idempotency_conflict(client, till, buyer, goods):
    post(client, till["token"], basket())
    body = basket(lines=[{"barcode": "8990001", "quantity": 1}])
    refused(client, till["token"], buyer, body, 409, "idempotency_conflict")


def test_a_total_other_than_the_one_shown_is_refused(client, till, buyer, goods):
    """The terminal sends the total it showed the inmate (Rp11.000); today's prices make
    another, so nothing is charged and the terminal learns both figures."""
    data = refused(
        client, till["token"], buyer, basket(expected_total_rp=10_000), 409, "total_changed"
    )
    assert data["figures"] == {"total_rp": 11_000, "shown_total_rp": 10_000}
    assert "sekarang Rp11.000, yang ditampilkan Rp10.000" in data["message"]
    sold = post(client, till["token"], basket(expected_total_rp=11_000))
    assert sold.status_code == 200 and sold.json()["total_rp"] == 11_000


def test_a_negative_total_shown_is_a_validation_error(client, till, buyer, goods):
    refused(client, till["token"], buyer, basket(expected_total_rp=-1), 422, "invalid_request")


def test_bad_json_is_a_validation_error(client, till, buyer, goods):
    refused(client, till["token"], buyer, {"card_uid": UID}, 422, "invalid_request")


def test_only_registered_pos_devices(client, till, buyer, goods, site):
    refused(client, "not-a-token", buyer, basket(), 401, "unauthorized")
    _kiosk, kiosk_token = core_services.device_register(
        site=site, kind="kiosk", name="Kios 1", actor=till["admin"]
    )
    refused(client, kiosk_token, buyer, basket(), 401, "unauthorized")
    core_services.device_revoke(device=till["terminal"], actor=till["admin"])
    refused(client, till["token"], buyer, basket(), 401, "unauthorized")


def test_a_revoked_terminal_is_refused_from_its_next_request(client, till, buyer, goods):
    """The token is looked up afresh on every request (nothing cached per process): a
    terminal that has just sold is refused at once after its revocation, and after a
    deactivation written to the table by any other process."""
    assert post(client, till["token"], basket(idempotency_key="ok-1")).status_code == 200
    core_services.device_revoke(device=till["terminal"], actor=till["admin"])
    refused(
        client, till["token"], buyer, basket(idempotency_key="after-revoke"), 401, "unauthorized"
    )
    assert Sale.objects.count() == 1

    from pandai.core.models import Device

    Device.objects.filter(pk=till["terminal"].pk).update(is_active=True, revoked_at=None)
    assert post(client, till["token"], basket(idempotency_key="ok-2")).status_code == 200
    Device.objects.filter(pk=till["terminal"].pk).update(is_active=False)
    refused(
        client, till["token"], buyer, basket(idempotency_key="after-update"), 401, "unauthorized"
    )
    assert Sale.objects.count() == 2


def test_a_terminal_of_another_kind_or_site_cannot_sell(client, till, buyer, goods):
    other = core_services.site_create(name="Rutan Lain", code="LAIN", actor=till["admin"])
    _pos, other_token = core_services.device_register(
        site=other, kind="pos", name="POS lain", actor=till["admin"]
    )
    # A POS of another site has no open shift here, and its site's cards are not this one's.
    refused(client, other_token, buyer, basket(idempotency_key="x-1"), 409, "no_open_shift")
    _reader, reader_token = core_services.device_register(
        site=till["terminal"].site, kind="reader", name="Pembaca 1", actor=till["admin"]
    )
    refused(client, reader_token, buyer, basket(idempotency_key="x-2"), 401, "unauthorized")


def test_product_lookup_by_barcode(client, till, goods):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {till['token']}"}
    response = client.get("/api/shop/product/8990001", **headers)
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Mi goreng" and data["price_rp"] == 3_500 and data["on_hand"] == 20
    missing = client.get("/api/shop/product/123", **headers)
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_barcode"
    assert client.get("/api/shop/product/8990001").status_code == 401


def test_documented_in_openapi(client):
    schema = client.get("/api/openapi.json").json()
    checkout = schema["paths"]["/api/shop/checkout"]["post"]
    assert "Kartu Pandai" in checkout["summary"] and "idempotency_key" in checkout["description"]
    assert "/api/shop/product/{barcode}" in schema["paths"]
