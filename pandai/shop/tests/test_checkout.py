"""The checkout service: a sale in one transaction (stock, ledger, receipt), one effect per
idempotency key, and every refusal of the issue — each proven to change nothing but a counted
wrong PIN try."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from pandai.core.models import Site, User
from pandai.inmates import services as inmate_services
from pandai.inmates.models import Inmate, Pin
from pandai.inmates.tests.factories import InmateFactory
from pandai.shop import selectors
from pandai.shop.errors import ShopError
from pandai.shop.models import Product, Sale, SaleLine, ShopShift, StockMove
from pandai.shop.services import CartLine, checkout, shift_open, stock_check
from pandai.shop.tests.factories import ProductFactory, card_with_pin, fund, pos_terminal
from pandai.wallet import selectors as wallet_selectors
from pandai.wallet import services as wallet
from pandai.wallet.checks import run_checks
from pandai.wallet.models import Account, Batch, Transfer

UID = "04A1B2C3D4E501"
PIN = "246810"


@pytest.fixture
def till(site: Site, staff: Callable[..., User]) -> dict[str, Any]:
    admin = staff("admin", username="admin-till")
    cashier = staff("cashier", username="kasir-till")
    terminal, _token = pos_terminal(site, admin)
    shift = shift_open(terminal=terminal, cashier=cashier)
    return {"admin": admin, "cashier": cashier, "terminal": terminal, "shift": shift}


@pytest.fixture
def buyer(site: Site, inmate: Inmate, till: dict[str, Any]) -> Inmate:
    card_with_pin(inmate, UID, PIN, till["admin"])
    fund(inmate, 100_000)
    return inmate


@pytest.fixture
def goods(site: Site) -> dict[str, Product]:
    return {
        "mie": ProductFactory(
            site=site, name="Mi goreng", price_rp=3_500, barcode="8990001", stock=20
        ),
        "sabun": ProductFactory(
            site=site,
            name="Sabun mandi",
            price_rp=4_000,
            barcode="8990002",
            stock=5,
            essential=True,
        ),
        "kopi": ProductFactory(
            site=site, name="Kopi sachet", price_rp=2_000, barcode="8990003", stock=1
        ),
    }


def sell(till: dict[str, Any], lines: list[tuple[Product, int]], **kw: Any) -> Any:
    kw.setdefault("card_uid", UID)
    kw.setdefault("pin", PIN)
    kw.setdefault("idempotency_key", "co-1")
    return checkout(
        site=till["terminal"].site,
        lines=[CartLine(p.pk, q) for p, q in lines],
        cashier=till["cashier"],
        terminal=till["terminal"],
        shift=till["shift"],
        **kw,
    )


def snapshot(inmate: Inmate) -> dict[str, Any]:
    return {
        "sales": Sale.objects.count(),
        "lines": SaleLine.objects.count(),
        "moves": StockMove.objects.count(),
        "stock": sorted(Product.objects.values_list("pk", "on_hand")),
        "batches": Batch.objects.count(),
        "transfers": Transfer.objects.count(),
        "accounts": sorted(
            Account.objects.values_list("pk", "debits_posted", "credits_posted", "debits_pending")
        ),
        "available": wallet_selectors.balances(inmate=inmate).available_rp,
    }


@pytest.mark.django_db
class TestSale:
    def test_a_sale_moves_stock_money_and_writes_the_receipt(self, till, buyer, goods):
        result = sell(till, [(goods["mie"], 3), (goods["sabun"], 1)])
        sale = result.sale
        assert not result.replayed
        assert sale.total_rp == 3 * 3_500 + 4_000
        assert sale.balance_after_rp == 100_000 - sale.total_rp
        assert wallet_selectors.balances(inmate=buyer).available_rp == sale.balance_after_rp
        assert sale.number == f"{till['shift'].number}-0001"
        assert sorted(sale.lines.values_list("name", "quantity", "unit_price_rp")) == [
            ("Mi goreng", 3, 3_500),
            ("Sabun mandi", 1, 4_000),
        ]
        goods["mie"].refresh_from_db()
        assert goods["mie"].on_hand == 17
        purchase = Transfer.objects.get(batch=sale.batch, kind="purchase")
        assert purchase.amount_rp == sale.total_rp
        assert purchase.reference == sale.number
        assert purchase.terminal == f"pos:{till['terminal'].pk}"
        assert run_checks(site=buyer.site) == []
        assert stock_check() == []

    def test_receipts_of_a_shift_are_numbered_in_order(self, till, buyer, goods):
        first = sell(till, [(goods["mie"], 1)], idempotency_key="a").sale
        second = sell(till, [(goods["mie"], 1)], idempotency_key="b").sale
        assert first.number.endswith("-0001") and second.number.endswith("-0002")

    def test_the_receipt_number_is_the_stock_moves_reference_past_9999_too(
        self, till, buyer, goods
    ):
        ShopShift.objects.filter(pk=till["shift"].pk).update(receipt_seq=9_998)
        first = sell(till, [(goods["mie"], 1), (goods["sabun"], 2)], idempotency_key="a").sale
        second = sell(till, [(goods["mie"], 1)], idempotency_key="b").sale
        shift_number = till["shift"].number
        assert (first.number, second.number) == (f"{shift_number}-9999", f"{shift_number}-10000")
        moves = StockMove.objects.filter(kind="sale").order_by("product_id", "pk")
        assert sorted(moves.values_list("reference", "product_id", "quantity")) == sorted(
            [
                (first.number, goods["mie"].pk, -1),
                (first.number, goods["sabun"].pk, -2),
                (second.number, goods["mie"].pk, -1),
            ]
        )
        assert Sale.objects.get(pk=second.pk).number == second.number
        assert ShopShift.objects.get(pk=till["shift"].pk).receipt_seq == 10_000

    def test_the_same_key_and_basket_charges_once(self, till, buyer, goods):
        first = sell(till, [(goods["mie"], 2)])
        before = snapshot(buyer)
        again = sell(till, [(goods["mie"], 2)])
        assert again.replayed and again.sale.pk == first.sale.pk
        assert snapshot(buyer) == before

    def test_the_same_key_with_another_basket_is_refused(self, till, buyer, goods):
        sell(till, [(goods["mie"], 2)])
        before = snapshot(buyer)
        with pytest.raises(ShopError) as err:
            sell(till, [(goods["mie"], 3)])
        assert err.value.code == "idempotency_conflict"
        assert snapshot(buyer) == before

    def test_one_product_twice_in_the_basket_is_one_line(self, till, buyer, goods):
        sale = sell(till, [(goods["mie"], 1), (goods["mie"], 2)]).sale
        assert list(sale.lines.values_list("quantity", flat=True)) == [3]

    def test_a_held_release_after_the_sale_is_not_lost(self, till, buyer, goods, site):
        wallet.ledger_settings_update(site=site, actor=till["admin"], balance_cap_rp=100_000)
        fund(buyer, 20_000)  # over the cap: HELD
        assert wallet_selectors.balances(inmate=buyer).held_rp == 20_000
        sell(till, [(goods["mie"], 2)])
        assert wallet_selectors.balances(inmate=buyer).held_rp == 13_000
        assert run_checks(site=site) == []


@pytest.mark.django_db
class TestRefusals:
    """Every refusal: a clear code and message, and nothing written."""

    def refused(self, till, buyer, lines, code, **kw) -> ShopError:
        before = snapshot(buyer)
        with pytest.raises(ShopError) as err:
            sell(till, lines, **kw)
        assert err.value.code == code, err.value.message
        assert err.value.message
        assert snapshot(buyer) == before
        return err.value

    def test_wrong_pin_says_tries_left_then_locks(self, till, buyer, goods):
        err = self.refused(till, buyer, [(goods["mie"], 1)], "pin_wrong", pin="111111")
        assert "2" in err.message and err.figures["tries_left"] == 2
        self.refused(till, buyer, [(goods["mie"], 1)], "pin_wrong", pin="111112")
        self.refused(till, buyer, [(goods["mie"], 1)], "pin_locked", pin="111113")
        # locked: even the right PIN is refused
        self.refused(till, buyer, [(goods["mie"], 1)], "pin_locked")

    def test_a_wrong_then_right_pin_sells(self, till, buyer, goods):
        self.refused(till, buyer, [(goods["mie"], 1)], "pin_wrong", pin="000001")
        assert sell(till, [(goods["mie"], 1)]).sale.total_rp == 3_500
        assert Pin.objects.get(inmate=buyer).failed_tries == 0

    def test_unknown_card(self, till, buyer, goods):
        self.refused(till, buyer, [(goods["mie"], 1)], "card_unknown", card_uid="04FFFFFFFFFFFF")

    @pytest.mark.parametrize("status", ["blocked", "lost"])
    def test_blocked_or_lost_card(self, till, buyer, goods, status):
        card = buyer.cards.get()
        inmate_services.card_set_status(card=card, status=status, reason="uji", actor=till["admin"])
        err = self.refused(till, buyer, [(goods["mie"], 1)], "card_blocked")
        assert str(card.get_status_display()) in err.message or "Kartu" in err.message

    def test_released_inmate(self, till, buyer, goods):
        Inmate.objects.filter(pk=buyer.pk).update(status="released")
        self.refused(till, buyer, [(goods["mie"], 1)], "inmate_inactive")

    def test_frozen_account(self, till, buyer, goods):
        spendable = Account.objects.get(inmate=buyer, kind="spendable")
        wallet.account_freeze(account=spendable, actor=till["admin"], reason="pemeriksaan")
        self.refused(till, buyer, [(goods["mie"], 1)], "account_frozen")

    def test_not_enough_balance_shows_what_is_available(self, till, buyer, goods, site):
        big = ProductFactory(site=site, name="Sepatu", price_rp=150_000, stock=2)
        err = self.refused(till, buyer, [(big, 1)], "insufficient_funds")
        assert "100.000" in err.message

    def test_over_the_daily_limit_shows_what_is_left(self, till, buyer, goods, site):
        wallet.ledger_settings_update(site=site, actor=till["admin"], daily_limit_rp=10_000)
        sell(till, [(goods["mie"], 2)], idempotency_key="first")
        err = self.refused(till, buyer, [(goods["mie"], 1)], "limit_daily", idempotency_key="x")
        assert "3.000" in err.message

    def test_over_the_monthly_limit(self, till, buyer, goods, site):
        wallet.ledger_settings_update(site=site, actor=till["admin"], monthly_limit_rp=5_000)
        self.refused(till, buyer, [(goods["mie"], 2)], "limit_monthly")

    def test_product_quantity_limit_per_day(self, till, buyer, goods):
        Product.objects.filter(pk=goods["mie"].pk).update(limit_per_day=2)
        sell(till, [(goods["mie"], 2)], idempotency_key="first")
        err = self.refused(till, buyer, [(goods["mie"], 1)], "product_limit", idempotency_key="x")
        assert "boleh 0 lagi" in err.message

    def test_product_quantity_limit_per_week_counts_earlier_days(self, till, buyer, goods, site):
        Product.objects.filter(pk=goods["mie"].pk).update(limit_per_week=3)
        monday = timezone.make_aware(dt.datetime(2026, 11, 23, 10, 0))
        sell(till, [(goods["mie"], 2)], idempotency_key="mon", now=monday)
        wednesday = monday + dt.timedelta(days=2)
        err = self.refused(
            till, buyer, [(goods["mie"], 2)], "product_limit", idempotency_key="x", now=wednesday
        )
        assert "minggu" in err.message
        # next week the count starts again
        sell(till, [(goods["mie"], 3)], idempotency_key="next", now=monday + dt.timedelta(days=7))

    def test_disciplinary_restriction_allows_only_essentials(self, till, buyer, goods):
        inmate_services.discipline_add(
            inmate=buyer,
            date=timezone.localdate(),
            offence="Berkelahi",
            sanction="Pembatasan belanja",
            restricts_shop=True,
            actor=till["admin"],
        )
        err = self.refused(
            till, buyer, [(goods["mie"], 1), (goods["sabun"], 1)], "restricted_product"
        )
        assert "Mi goreng" in err.message
        assert sell(till, [(goods["sabun"], 1)]).sale.total_rp == 4_000
        assert selectors.customer_for_card(site=buyer.site, raw_uid=UID).restricted_to_essentials

    def test_inactive_or_foreign_product(self, till, buyer, goods, other_site):
        Product.objects.filter(pk=goods["mie"].pk).update(is_active=False)
        self.refused(till, buyer, [(goods["mie"], 1)], "product_inactive")
        foreign = ProductFactory(site=other_site, name="Barang UPT lain", stock=3)
        self.refused(till, buyer, [(foreign, 1)], "unknown_product")

    def test_out_of_stock(self, till, buyer, goods):
        err = self.refused(till, buyer, [(goods["kopi"], 2)], "out_of_stock")
        assert "tersisa 1" in err.message

    @pytest.mark.parametrize("qty", [0, -1, 1000])
    def test_bad_quantities(self, till, buyer, goods, qty):
        self.refused(till, buyer, [(goods["mie"], qty)], "quantity_invalid")

    def test_empty_basket(self, till, buyer):
        self.refused(till, buyer, [], "empty_cart")

    def test_closed_shift(self, till, buyer, goods):
        from pandai.shop.services import shift_close

        shift_close(shift=till["shift"], actor=till["cashier"])
        self.refused(till, buyer, [(goods["mie"], 1)], "shift_closed")

    def test_revoked_terminal(self, till, buyer, goods):
        from pandai.core import services as core_services

        core_services.device_revoke(device=till["terminal"], actor=till["admin"])
        till["terminal"].refresh_from_db()
        self.refused(till, buyer, [(goods["mie"], 1)], "terminal_invalid")

    def test_card_of_another_site(self, till, buyer, goods, other_site, staff):
        stranger = InmateFactory(site=other_site)
        card_with_pin(stranger, "04EEEEEEEEEE01", "135790", staff("admin", at=other_site))
        self.refused(till, buyer, [(goods["mie"], 1)], "card_unknown", card_uid="04EEEEEEEEEE01")

    def test_unknown_barcode(self, site):
        with pytest.raises(ShopError) as err:
            selectors.product_by_barcode(site=site, code="12345")
        assert err.value.code == "unknown_barcode"


@pytest.mark.django_db
def test_customer_for_card_shows_balance_limit_and_block(till, buyer, site):
    wallet.ledger_settings_update(site=site, actor=till["admin"], daily_limit_rp=25_000)
    shown = selectors.customer_for_card(site=site, raw_uid=UID)
    assert shown.name == buyer.full_name and shown.reg_no == buyer.reg_no
    assert shown.available_rp == 100_000
    assert shown.remaining_today_rp == 25_000
    assert not shown.restricted_to_essentials


@pytest.mark.django_db
def test_the_sale_writes_the_audit_chain(till, buyer, goods):
    from pandai.core.models import AuditEvent

    before = AuditEvent.objects.count()
    sell(till, [(goods["mie"], 1)])
    assert AuditEvent.objects.count() > before
    assert connection.vendor in {"sqlite", "postgresql"}
