"""The pre-order screens under /koperasi/pesanan/: list by block and status, the packing list,
detail, delivery with the inmate's card and PIN, cancel with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pandai.inmates.tests.factories import InmateFactory
from pandai.shop.models import PreOrder, PreOrderStatus, Sale
from pandai.shop.services import CartLine
from pandai.shop.services.preorders import preorder_place
from pandai.shop.tests.factories import fund
from pandai.shop.tests.till_fixtures import PIN, UID, snapshot
from pandai.wallet import selectors as wallet_selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(till, buyer, goods, site) -> dict[str, Any]:
    mine = preorder_place(
        inmate=buyer,
        lines=[CartLine(goods["mie"].pk, 2), CartLine(goods["sabun"].pk, 1)],
        idempotency_key="v-1",
    )
    elsewhere = InmateFactory(site=site)
    fund(elsewhere, 20_000)
    theirs = preorder_place(
        inmate=elsewhere, lines=[CartLine(goods["kopi"].pk, 1)], idempotency_key="v-2"
    )
    return {"mine": mine, "theirs": theirs, "elsewhere": elsewhere}


def test_the_list_shows_open_orders_and_filters_by_block(client, till, buyer, orders):
    client.force_login(till["cashier"])
    page = client.get(reverse("shop:orders"))
    assert page.status_code == 200
    body = page.content.decode()
    assert orders["mine"].number in body and orders["theirs"].number in body
    only = client.get(reverse("shop:orders"), {"block": buyer.block.pk, "status": "open"})
    body = only.content.decode()
    assert orders["mine"].number in body and orders["theirs"].number not in body
    closed = client.get(reverse("shop:orders"), {"status": "delivered"})
    assert orders["mine"].number not in closed.content.decode()


def test_the_packing_list_per_block(client, till, buyer, orders):
    client.force_login(till["cashier"])
    page = client.get(reverse("shop:orders_packing"), {"block": buyer.block.pk})
    body = page.content.decode()
    assert page.status_code == 200
    assert orders["mine"].number in body and orders["theirs"].number not in body
    assert "Mi goreng" in body and "data-print" in body


def test_delivery_with_card_and_pin(client, till, buyer, goods, orders):
    order = orders["mine"]
    client.force_login(till["cashier"])
    url = reverse("shop:order_deliver", kwargs={"order_pk": order.pk})
    form = client.get(url)
    assert form.status_code == 200 and 'data-pin-target="order-pin"' in form.content.decode()
    lines = {line.product_id: line.pk for line in order.lines.all()}
    data = {
        "key": "form-1",
        "card": UID,
        "pin": "000000",
        f"qty_{lines[goods['mie'].pk]}": 2,
        f"qty_{lines[goods['sabun'].pk]}": 0,
    }
    before = snapshot(buyer)
    wrong = client.post(url, data)
    assert wrong.status_code == 400
    assert 'data-code="pin_wrong"' in wrong.content.decode()
    assert snapshot(buyer) == before
    done = client.post(url, {**data, "pin": PIN})
    assert done.status_code == 302
    order.refresh_from_db()
    assert order.status == PreOrderStatus.DELIVERED
    # the sale happened in the cashier's open shift, so it is in that Z-report
    assert Sale.objects.get().total_rp == 7_000 and order.sale.shift == till["shift"]
    assert wallet_selectors.balances(inmate=buyer).available_rp == 100_000 - 7_000
    detail = client.get(done.url)
    assert order.sale.number in detail.content.decode()


def test_cancel_with_a_reason(client, till, buyer, orders):
    order = orders["mine"]
    client.force_login(till["cashier"])
    url = reverse("shop:order_cancel", kwargs={"order_pk": order.pk})
    assert client.post(url, {"reason": ""}).status_code == 400
    assert PreOrder.objects.get(pk=order.pk).status == PreOrderStatus.OPEN
    response = client.post(url, {"reason": "Stok sabun habis"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == PreOrderStatus.CANCELLED and order.cancel_reason == "Stok sabun habis"
    assert "Stok sabun habis" in client.get(response.url).content.decode()


def test_another_sites_order_is_forbidden(client, other_site, staff, orders):
    client.force_login(staff("cashier", at=other_site, username="kasir-smg"))
    url = reverse("shop:order_detail", kwargs={"order_pk": orders["mine"].pk})
    assert client.get(url).status_code == 403
