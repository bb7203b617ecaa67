# ruff: noqa: F811  (pytest fixtures imported from pos_fixtures, then requested by name)
"""The POS basket lives in its own row, not in the session: a request that ran alongside a
basket change cannot undo it, and two changes at once both count."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse

from pandai.shop.models import PosBasket
from pandai.shop.services.shifts import shift_close, shift_open
from pandai.shop.tests.pos_fixtures import (  # noqa: F401  (fixtures)
    admin,
    basket_row,
    cashier,
    catalogue,
    paired_client,
    scan,
    shift,
    terminal,
    terminal_and_token,
    till,
)

HX = {"HTTP_HX_REQUEST": "true"}
MIE, KOPI = "8998866200011", "8991002101111"


def lines(client) -> list[tuple[str, int]]:
    response = client.get(reverse("shop:pos"))
    return [(line.product.name, line.quantity) for line in response.context["basket"].lines]


@pytest.mark.django_db
def test_a_request_that_ran_alongside_a_change_does_not_undo_it(till, catalogue):
    """The name suggestions are fetched while the scanner types. Every request writes the whole
    session back (SESSION_SAVE_EVERY_REQUEST), so one that read the session before a scan and
    finished after it used to put the old basket back: the sale charged what the screen no
    longer showed."""
    assert settings.SESSION_SAVE_EVERY_REQUEST
    scan(till, MIE, **HX)
    engine = __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"])
    alongside = engine.SessionStore(till.session.session_key)
    alongside.load()  # the suggestions request reads the session ...
    alongside_data = dict(alongside.items())
    till.post(reverse("shop:pos_line"), {"product": catalogue["mie"].pk, "op": "inc"}, **HX)
    scan(till, KOPI, **HX)
    # ... and writes it back as it read it when it ends.
    alongside.update(alongside_data)
    alongside.save()
    assert lines(till) == [("Mie instan goreng", 2), ("Kopi sachet", 1)]


@pytest.mark.django_db
def test_the_basket_outlives_the_session_and_belongs_to_the_cashier(
    till, catalogue, cashier, terminal_and_token, staff
):
    scan(till, MIE, **HX)
    key = basket_row(till).key
    # Signed out and in again (a new session, the browser paired again): the same basket.
    again = paired_client(cashier, terminal_and_token[1])
    assert lines(again) == [("Mie instan goreng", 1)]
    assert basket_row(again).key == key
    # Another cashier on the same till starts with their own basket.
    other = staff("cashier", username="kasir2")
    theirs = PosBasket.objects.create(
        site=basket_row(till).site, terminal=terminal_and_token[0], cashier=other, key="pos-x"
    )
    scan(till, KOPI, **HX)
    theirs.refresh_from_db()
    assert theirs.lines == []
    assert PosBasket.objects.count() == 2


@pytest.mark.django_db
def test_a_new_transaction_empties_the_basket_with_a_new_key(till, catalogue):
    scan(till, MIE, **HX)
    key = basket_row(till).key
    till.post(reverse("shop:pos_clear"), **HX)
    assert lines(till) == []
    assert basket_row(till).key != key


@pytest.mark.django_db
def test_closing_the_shift_empties_the_basket_for_the_next_one(
    till, catalogue, cashier, terminal, shift
):
    scan(till, MIE, **HX)
    key = basket_row(till).key
    shift_close(shift=shift, actor=cashier)
    shift_open(terminal=terminal, cashier=cashier)
    assert lines(till) == []
    assert basket_row(till).key != key


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_change_waits_for_another_and_both_count(till, catalogue):
    """While one change holds the basket's row, a scan waits for it and then adds to what it
    wrote, instead of writing back the basket it had read before."""
    scan(till, MIE, **HX)
    row = basket_row(till)
    done: list[int] = []

    def scan_alongside() -> None:
        try:
            done.append(scan(till, KOPI, **HX).status_code)
        finally:
            connection.close()

    with transaction.atomic():
        PosBasket.objects.select_for_update().get(pk=row.pk)
        worker = threading.Thread(target=scan_alongside)
        worker.start()
        time.sleep(0.5)
        assert worker.is_alive()  # it waits for the row
        PosBasket.objects.filter(pk=row.pk).update(lines=[[catalogue["mie"].pk, 3]])
    worker.join(30)
    assert done == [200]
    assert lines(till) == [("Mie instan goreng", 3), ("Kopi sachet", 1)]
