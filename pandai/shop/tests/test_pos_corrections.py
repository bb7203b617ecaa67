"""Void and return screens at the till: a shop manager approves on the cashier's screen; bad
approvals change nothing; a return never exceeds what was bought minus returned."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pandai.core.tests.factories import STAFF_PASSWORD
from pandai.shop.models import Product, Sale, SaleReturn, SaleStatus, StockMove
from pandai.shop.services.checkout import CartLine, checkout
from pandai.shop.services.shifts import shift_close
from pandai.shop.tests.pos_fixtures import (
    PIN,
    UID,
    admin,
    buyer,
    cashier,
    catalogue,
    manager,
    shift,
    terminal,
    terminal_and_token,
    till,
)
from pandai.wallet import selectors as wallet_selectors

__all__ = [  # fixtures used by name
    "admin",
    "buyer",
    "cashier",
    "catalogue",
    "manager",
    "shift",
    "terminal",
    "terminal_and_token",
    "till",
]


@pytest.fixture
def sale(site, catalogue, buyer, terminal, shift, cashier) -> Sale:
    return checkout(
        site=site,
        card_uid=UID,
        pin=PIN,
        lines=[CartLine(catalogue["mie"].pk, 3), CartLine(catalogue["kopi"].pk, 2)],
        idempotency_key="koreksi-uji",
        cashier=cashier,
        terminal=terminal,
        shift=shift,
    ).sale


def frozen(inmate):
    return (
        wallet_selectors.balances(inmate=inmate).available_rp,
        StockMove.objects.count(),
        sorted(Product.objects.values_list("pk", "on_hand")),
        list(Sale.objects.values_list("pk", "status")),
        SaleReturn.objects.count(),
    )


def test_void_with_a_managers_approval_gives_money_and_stock_back(till, sale, buyer, manager):
    assert wallet_selectors.balances(inmate=buyer).available_rp == 100_000 - 14_500
    receipt = till.get(reverse("shop:receipt", kwargs={"sale_pk": sale.pk}))
    assert b'id="sale-void"' in receipt.content
    response = till.post(
        reverse("shop:sale_void", kwargs={"sale_pk": sale.pk}),
        {"reason": "Salah ambil barang", "approver": manager.username, "secret": STAFF_PASSWORD},
    )
    assert response.status_code == 302
    sale.refresh_from_db()
    assert sale.status == SaleStatus.VOIDED and sale.void_approved_by == manager
    assert wallet_selectors.balances(inmate=buyer).available_rp == 100_000
    assert Product.objects.get(name="Mie instan goreng").on_hand == 50
    page = till.get(response.url)
    assert b"DIBATALKAN" in page.content and b'id="sale-void"' not in page.content


@pytest.mark.parametrize("who", ["wrong_password", "cashier_self", "not_manager"])
def test_bad_approvals_are_refused_and_change_nothing(
    till, sale, buyer, manager, cashier, staff, who
):
    username, secret = manager.username, STAFF_PASSWORD
    if who == "wrong_password":
        secret = "salah-sekali"
    elif who == "cashier_self":
        username = cashier.username
    else:
        username = staff("cashier", username="kasir2").username
    before = frozen(buyer)
    response = till.post(
        reverse("shop:sale_void", kwargs={"sale_pk": sale.pk}),
        {"reason": "Salah ambil", "approver": username, "secret": secret},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["approver"]
    assert secret.encode() not in response.content  # the password is never echoed back
    assert frozen(buyer) == before


def test_void_after_the_shift_closed_points_to_a_return(till, sale, shift, cashier, manager):
    shift_close(shift=shift, actor=cashier)
    response = till.get(reverse("shop:sale_void", kwargs={"sale_pk": sale.pk}))
    assert "gunakan retur" in response.context["problem"]
    posted = till.post(
        reverse("shop:sale_void", kwargs={"sale_pk": sale.pk}),
        {"reason": "x", "approver": manager.username, "secret": STAFF_PASSWORD},
    )
    assert posted.status_code == 200
    assert Sale.objects.get(pk=sale.pk).status == SaleStatus.COMPLETED


def test_return_part_of_a_receipt_found_by_its_number(till, sale, buyer, manager):
    found = till.get(reverse("shop:return_find"), {"number": sale.number.lower()})
    assert found.status_code == 302
    form_page = till.get(found.url)
    key = form_page.context["form"].initial["key"]
    mie = sale.lines.get(name="Mie instan goreng")
    data = {
        "key": key,
        f"line_{mie.pk}": "2",
        "reason": "Kemasan rusak",
        "approver": manager.username,
        "secret": STAFF_PASSWORD,
    }
    response = till.post(found.url, data)
    assert response.status_code == 302
    returned = SaleReturn.objects.get()
    assert returned.total_rp == 7_000 and returned.approved_by == manager
    assert wallet_selectors.balances(inmate=buyer).available_rp == 100_000 - 14_500 + 7_000
    # The same form again (double click): one return.
    again = till.post(found.url, data)
    assert again.status_code == 302
    assert SaleReturn.objects.count() == 1
    receipt = till.get(response.url)
    body = receipt.content.decode()
    assert returned.number in body and "Rp7.000" in body and manager.display_name in body
    assert "Rp92.500" in body  # balance now


def test_a_return_never_exceeds_what_was_bought_minus_returned(till, sale, buyer, manager):
    mie = sale.lines.get(name="Mie instan goreng")
    url = reverse("shop:sale_return", kwargs={"sale_pk": sale.pk})
    ok = {
        "key": "ret-satu",
        f"line_{mie.pk}": "2",
        "reason": "Rusak",
        "approver": manager.username,
        "secret": STAFF_PASSWORD,
    }
    assert till.post(url, ok).status_code == 302
    before = frozen(buyer)
    too_many = {**ok, "key": "ret-dua", f"line_{mie.pk}": "2"}
    response = till.post(url, too_many)
    assert response.status_code == 200
    assert response.context["form"].errors[f"line_{mie.pk}"]
    nothing = {**ok, "key": "ret-tiga", f"line_{mie.pk}": "0"}
    response = till.post(url, nothing)
    assert "minimal satu barang" in response.content.decode()
    assert frozen(buyer) == before
