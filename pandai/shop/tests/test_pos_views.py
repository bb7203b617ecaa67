# ruff: noqa: F811  (pytest fixtures imported from pos_fixtures, then requested by name)
"""The cashier's screens through the test client: pairing a browser with a terminal, the basket,
paying with card and PIN (every refusal shown, nothing charged), and the idempotent
resubmit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from pandai.core import services as core_services
from pandai.core.models import AuditEvent
from pandai.inmates import services as inmate_services
from pandai.inmates.models import Card
from pandai.shop import terminals
from pandai.shop.models import PosBasket, Product, Sale, StockMove
from pandai.shop.services.catalogue import product_update
from pandai.shop.tests.catalogue_helpers import data_for
from pandai.shop.tests.factories import pos_terminal
from pandai.shop.tests.pos_fixtures import (  # noqa: F401  (fixtures)
    PIN,
    UID,
    admin,
    basket_key,
    basket_row,
    buyer,
    cashier,
    catalogue,
    manager,
    paired_client,
    scan,
    shift,
    terminal,
    terminal_and_token,
    till,
)
from pandai.wallet import selectors as wallet_selectors

HX = {"HTTP_HX_REQUEST": "true"}


def state(inmate, catalogue):
    """What a refusal must leave untouched."""
    return (
        wallet_selectors.balances(inmate=inmate).available_rp,
        Sale.objects.count(),
        StockMove.objects.count(),
        sorted(Product.objects.values_list("pk", "on_hand")),
    )


# --- pairing ----------------------------------------------------------------------------------


def test_pairing_sets_a_signed_httponly_cookie_and_the_pos_knows_the_terminal(
    cashier, terminal_and_token
):
    device, token = terminal_and_token
    client = Client()
    client.force_login(cashier)
    response = client.post(reverse("shop:terminal"), {"token": token})
    assert response.status_code == 302
    cookie = response.cookies[terminals.COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == terminals.MAX_AGE
    assert token not in cookie.value and str(device.pk) in cookie.value
    assert AuditEvent.objects.filter(action="shop.terminal_pair").count() == 1
    page = client.get(reverse("shop:terminal"))
    assert page.context["current"] == device
    # No shift yet: the POS says how to open one.
    pos = client.get(reverse("shop:pos"))
    assert b'id="shift-open"' in pos.content


@pytest.mark.parametrize("case", ["garbage", "revoked", "other_site", "not_pos"])
def test_pairing_refuses_bad_revoked_other_site_and_non_pos_tokens(
    case, site, other_site, cashier, admin, terminal_and_token, staff
):
    device, token = terminal_and_token
    if case == "garbage":
        token = "bukan-token"
    elif case == "revoked":
        core_services.device_revoke(device=device, actor=admin)
    elif case == "other_site":
        other_admin = staff("admin", at=other_site, username="admin-smg")
        _dev, token = pos_terminal(other_site, other_admin, name="Kasir SMG")
    else:
        _dev, token = core_services.device_register(
            site=site, kind="kiosk", name="Kios Blok A", actor=admin
        )
    client = Client()
    client.force_login(cashier)
    response = client.post(reverse("shop:terminal"), {"token": token})
    assert response.status_code == 200
    assert terminals.COOKIE not in response.cookies
    assert response.context["form"].errors["token"]
    assert not AuditEvent.objects.filter(action="shop.terminal_pair").exists()


def test_a_revoked_terminal_unpairs_the_browser_at_once(till, terminal, admin):
    assert till.get(reverse("shop:pos")).context["till"].ready
    core_services.device_revoke(device=terminal, actor=admin)
    response = till.get(reverse("shop:pos"))
    assert b'id="go-pair"' in response.content
    assert scan(till, "8998866200011").status_code == 409


def test_a_forged_cookie_is_ignored(cashier, terminal):
    client = Client()
    client.force_login(cashier)
    client.cookies[terminals.COOKIE] = f"{terminal.pk}:deadbeef"
    assert b'id="go-pair"' in client.get(reverse("shop:pos")).content


def test_unpair_clears_the_cookie(till):
    response = till.post(reverse("shop:terminal_unpair"))
    assert response.status_code == 302
    assert response.cookies[terminals.COOKIE].value == ""
    assert b'id="go-pair"' in till.get(reverse("shop:pos")).content


# --- the basket -------------------------------------------------------------------------------


def test_scan_tile_and_quantity_edits_build_the_basket(till, catalogue):
    mie, kopi, sabun = catalogue["mie"], catalogue["kopi"], catalogue["sabun"]
    assert scan(till, "8998866200011", **HX).status_code == 200
    scan(till, "8998866200011", **HX)
    till.post(reverse("shop:pos_add"), {"product": kopi.pk}, **HX)
    till.post(reverse("shop:pos_add"), {"product": sabun.pk}, **HX)
    till.post(reverse("shop:pos_line"), {"product": kopi.pk, "op": "inc"}, **HX)
    till.post(reverse("shop:pos_line"), {"product": sabun.pk, "op": "remove"}, **HX)
    response = till.post(
        reverse("shop:pos_line"), {"product": mie.pk, "op": "set", "quantity": "5"}, **HX
    )
    basket = response.context["basket"]
    assert [(line.product.name, line.quantity) for line in basket.lines] == [
        ("Mie instan goreng", 5),
        ("Kopi sachet", 2),
    ]
    assert basket.total_rp == 5 * 3_500 + 2 * 2_000
    assert b"Rp21.500" in response.content
    # Nothing is sold or reserved by a basket.
    assert Sale.objects.count() == 0
    assert Product.objects.get(pk=mie.pk).on_hand == 50


def test_unknown_barcode_is_refused_clearly_and_adds_nothing(till, catalogue):
    response = scan(till, "1234567890123", **HX)
    assert response.context["error"].code == "unknown_barcode"
    assert "Barcode 1234567890123 tidak dikenal" in response.content.decode()
    assert response.context["basket"].lines == []


def test_name_search_suggests_products(till, catalogue):
    response = till.get(reverse("shop:pos_search"), {"code": "kop"})
    assert [p.name for p in response.context["products"]] == ["Kopi sachet"]


def test_a_repeated_minus_or_plus_counts_once(till, catalogue):
    """The same − sent twice (a double tap, a retry) leaves the line as one tap would."""
    mie = catalogue["mie"]
    scan(till, "8998866200011", **HX)
    till.post(reverse("shop:pos_line"), {"product": mie.pk, "op": "set", "quantity": "3"}, **HX)
    for _ in range(2):
        response = till.post(
            reverse("shop:pos_line"), {"product": mie.pk, "op": "dec", "quantity": "3"}, **HX
        )
    assert response.context["basket"].lines[0].quantity == 2
    for _ in range(2):
        response = till.post(
            reverse("shop:pos_line"), {"product": mie.pk, "op": "inc", "quantity": "2"}, **HX
        )
    assert response.context["basket"].lines[0].quantity == 3


def test_a_bad_quantity_is_refused(till, catalogue):
    scan(till, "8998866200011", **HX)
    response = till.post(
        reverse("shop:pos_line"),
        {"product": catalogue["mie"].pk, "op": "set", "quantity": "1000"},
        **HX,
    )
    assert response.context["error"].code == "quantity_invalid"
    assert response.context["basket"].lines[0].quantity == 1


# --- paying -----------------------------------------------------------------------------------


def _basket_of_three(till):
    for code in ("8998866200011", "8991002101111", "8999999000222"):
        scan(till, code, **HX)


def shown_total(till) -> int:
    return till.get(reverse("shop:pos")).context["basket"].total_rp


def pay(till, pin=PIN, card=UID, key=None, total=None, **extra):
    """The pay form as the pay screen renders it (its key and the total it shows)."""
    total = shown_total(till) if total is None else total
    return till.post(
        reverse("shop:pos_checkout"),
        {"key": key or basket_key(till), "card": card, "pin": pin, "total": total},
        **extra,
    )


def test_a_price_changed_after_the_pay_screen_is_refused_and_nothing_is_charged(
    till, catalogue, buyer, manager
):
    """The inmate types the PIN under "Konfirmasi bayar Rp10.000": a price raised in the
    catalogue meanwhile must not charge Rp10.500."""
    _basket_of_three(till)
    screen = till.post(reverse("shop:pos_card"), {"card": UID}, **HX)
    assert 'name="total" value="10000"' in screen.content.decode()
    mie = catalogue["mie"]
    product_update(
        product=mie, data=data_for(mie, price_rp=4_000), actor=manager, reason="Harga naik"
    )
    before = state(buyer, catalogue)
    response = pay(till, total=10_000, **HX)
    assert response.context["error"].code == "total_changed"
    body = response.content.decode()
    assert "Total belanja berubah" in body
    assert "sekarang Rp10.500, yang ditampilkan Rp10.000" in body
    assert "Tidak ada yang ditagih" in body
    assert state(buyer, catalogue) == before
    # The screen shows the new total with the pad: the inmate reads it and types the PIN again.
    assert response.context["show_pad"]
    assert 'name="total" value="10500"' in body
    sold = pay(till, total=10_500, **HX)
    assert sold.status_code == 204
    assert Sale.objects.get().total_rp == 10_500
    assert wallet_selectors.balances(inmate=buyer).available_rp == 89_500


def test_a_pay_form_without_its_total_is_refused(till, catalogue, buyer):
    _basket_of_three(till)
    before = state(buyer, catalogue)
    response = till.post(
        reverse("shop:pos_checkout"),
        {"key": basket_key(till), "card": UID, "pin": PIN},
        **HX,
    )
    assert response.context["error"].code == "total_changed"
    assert state(buyer, catalogue) == before


def test_card_tap_shows_the_customer_and_the_pin_pad(till, catalogue, buyer):
    _basket_of_three(till)
    response = till.post(reverse("shop:pos_card"), {"card": UID}, **HX)
    customer = response.context["customer"]
    assert customer.name == "Slamet Riyadi" and customer.available_rp == 100_000
    assert response.context["show_pad"]
    body = response.content.decode()
    assert "AI.123/2024" in body and "Rp100.000" in body and 'id="pos-pin"' in body


def test_checkout_sells_and_a_resubmit_with_the_same_key_charges_once(till, catalogue, buyer):
    _basket_of_three(till)
    key = basket_key(till)
    first = pay(till, key=key, **HX)
    assert first.status_code == 204
    sale = Sale.objects.get()
    assert first["HX-Redirect"].startswith(reverse("shop:receipt", kwargs={"sale_pk": sale.pk}))
    assert sale.total_rp == 3_500 + 2_000 + 4_500
    assert wallet_selectors.balances(inmate=buyer).available_rp == 90_000
    # The basket starts again with a new key.
    assert basket_key(till) != key
    assert till.get(reverse("shop:pos")).context["basket"].lines == []
    # The same form posted again (double click, reload, a retry after a lost answer).
    again = pay(till, key=key)
    assert again.status_code == 302 and again.url.startswith(
        reverse("shop:receipt", kwargs={"sale_pk": sale.pk})
    )
    assert Sale.objects.count() == 1
    assert wallet_selectors.balances(inmate=buyer).available_rp == 90_000


def test_two_posts_with_the_same_key_before_the_first_answer_make_one_sale(till, catalogue, buyer):
    """Two requests of the same page state (the basket still holds the key for both)."""
    _basket_of_three(till)
    key = basket_key(till)
    row = basket_row(till)
    pay(till, key=key, **HX)
    # Put the basket back as the second request would have read it.
    PosBasket.objects.filter(pk=row.pk).update(key=row.key, lines=row.lines)
    second = pay(till, key=key, **HX)
    assert second.status_code == 204
    assert Sale.objects.count() == 1
    assert wallet_selectors.balances(inmate=buyer).available_rp == 90_000


def test_wrong_pin_shows_tries_left_and_charges_nothing_then_the_right_pin_sells(
    till, catalogue, buyer
):
    _basket_of_three(till)
    before = state(buyer, catalogue)
    key = basket_key(till)
    response = pay(till, pin="111111", **HX)
    assert response.context["error"].code == "pin_wrong"
    body = response.content.decode()
    assert "PIN salah" in body and "Sisa percobaan: 2" in body
    assert "Tidak ada yang ditagih" in body
    assert response.context["show_pad"]  # the inmate may try again on the same screen
    assert state(buyer, catalogue) == before
    assert basket_key(till) == key
    assert pay(till, **HX).status_code == 204
    assert Sale.objects.count() == 1


def test_pin_locked_after_the_last_try(till, catalogue, buyer, settings):
    _basket_of_three(till)
    for _ in range(settings.PANDAI_PIN_MAX_TRIES):
        pay(till, pin="111111", **HX)
    before = state(buyer, catalogue)
    response = pay(till, **HX)
    assert response.context["error"].code == "pin_locked"
    assert "PIN terkunci" in response.content.decode()
    assert not response.context["show_pad"]
    assert state(buyer, catalogue) == before


@pytest.mark.parametrize("status", ["blocked", "lost"])
def test_blocked_or_lost_card_is_refused(till, catalogue, buyer, admin, status):
    card = Card.objects.get(inmate=buyer)
    inmate_services.card_set_status(card=card, status=status, reason="uji", actor=admin)
    _basket_of_three(till)
    before = state(buyer, catalogue)
    tap = till.post(reverse("shop:pos_card"), {"card": UID}, **HX)
    assert tap.context["error"].code == "card_blocked"
    assert tap.context["customer"] is None
    response = pay(till, **HX)
    assert response.context["error"].code == "card_blocked"
    assert "Kartu tidak dapat dipakai" in response.content.decode()
    assert state(buyer, catalogue) == before


def test_insufficient_balance_shows_what_is_available(till, catalogue, buyer):
    till.post(reverse("shop:pos_add"), {"product": catalogue["sabun"].pk}, **HX)
    till.post(
        reverse("shop:pos_line"),
        {"product": catalogue["sabun"].pk, "op": "set", "quantity": "20"},
        **HX,
    )
    # 20 soaps are Rp90.000; spend Rp15.000 first so Rp85.000 is left.
    scan(till, "8998866200011", **HX)
    tap = till.post(reverse("shop:pos_card"), {"card": UID}, **HX)
    assert tap.context["customer"].available_rp == 100_000
    assert not tap.context["blockers"]
    # Make the balance short: a purchase elsewhere through the ledger's door.
    from pandai.wallet import services as wallet_services

    wallet_services.purchase(
        inmate=buyer, amount_rp=15_000, idempotency_key="elsewhere", actor=None
    )
    before = state(buyer, catalogue)
    tap = till.post(reverse("shop:pos_card"), {"card": UID}, **HX)
    assert not tap.context["show_pad"]
    assert "Tersedia Rp85.000" in tap.content.decode()
    response = pay(till, **HX)
    assert response.context["error"].code == "insufficient_funds"
    assert "Saldo tidak cukup. Tersedia Rp85.000" in response.content.decode()
    assert state(buyer, catalogue) == before


def test_restricted_product_under_register_f(till, catalogue, buyer, admin):
    import datetime as dt

    inmate_services.discipline_add(
        inmate=buyer,
        date=dt.date.today() - dt.timedelta(days=1),
        offence="Berkelahi",
        sanction="Pembatasan belanja",
        restricts_shop=True,
        actor=admin,
    )
    scan(till, "8998866200011", **HX)
    before = state(buyer, catalogue)
    tap = till.post(reverse("shop:pos_card"), {"card": UID}, **HX)
    body = tap.content.decode()
    assert "Register F" in body and "Mie instan goreng" in body
    assert not tap.context["show_pad"]
    response = pay(till, **HX)
    assert response.context["error"].code == "restricted_product"
    assert state(buyer, catalogue) == before


def test_product_limit_says_how_many_are_left(till, catalogue, buyer):
    Product.objects.filter(pk=catalogue["kopi"].pk).update(limit_per_day=2)
    till.post(reverse("shop:pos_add"), {"product": catalogue["kopi"].pk}, **HX)
    till.post(
        reverse("shop:pos_line"),
        {"product": catalogue["kopi"].pk, "op": "set", "quantity": "3"},
        **HX,
    )
    before = state(buyer, catalogue)
    response = pay(till, **HX)
    assert response.context["error"].code == "product_limit"
    assert "boleh 2 lagi" in response.content.decode()
    assert state(buyer, catalogue) == before


def test_out_of_stock_is_refused(till, catalogue, buyer):
    till.post(reverse("shop:pos_add"), {"product": catalogue["sabun"].pk}, **HX)
    till.post(
        reverse("shop:pos_line"),
        {"product": catalogue["sabun"].pk, "op": "set", "quantity": "21"},
        **HX,
    )
    before = state(buyer, catalogue)
    response = pay(till, **HX)
    assert response.context["error"].code == "out_of_stock"
    assert "tersisa 20" in response.content.decode()
    assert state(buyer, catalogue) == before


def test_released_inmate_is_refused(till, catalogue, buyer):
    from pandai.inmates.models import Inmate, InmateStatus

    Inmate.objects.filter(pk=buyer.pk).update(status=InmateStatus.RELEASED)
    _basket_of_three(till)
    response = till.post(reverse("shop:pos_card"), {"card": UID}, **HX)
    assert response.context["error"].code in ("inmate_inactive", "card_blocked")
    assert Sale.objects.count() == 0


def test_a_stale_key_without_a_sale_asks_to_check_the_basket(till, catalogue, buyer):
    _basket_of_three(till)
    response = pay(till, key="pos-not-this-one", **HX)
    assert response.context["error"].code == "idempotency_conflict"
    assert Sale.objects.count() == 0


def test_new_sale_button_gives_a_new_key(till, catalogue):
    scan(till, "8998866200011", **HX)
    key = basket_key(till)
    response = till.post(reverse("shop:pos_clear"), **HX)
    assert response.context["basket"].lines == []
    assert basket_key(till) != key
