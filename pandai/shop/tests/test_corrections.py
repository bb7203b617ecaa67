"""Voids and returns at the till with a shop manager's approval: money and spent limit back
through the ledger's own corrections, goods back on the shelf, and every refusal changing
nothing."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory

from pandai.core.models import AuditEvent
from pandai.inmates.models import Inmate
from pandai.inmates.tests.factories import InmateFactory
from pandai.shop.errors import ShopError
from pandai.shop.models import Product, SaleReturn, SaleStatus, StockMove, StockMoveKind
from pandai.shop.services import shift_close, shift_open, stock_check
from pandai.shop.services.corrections import approver_check, sale_return, sale_void
from pandai.shop.tests.factories import card_with_pin, fund, pos_terminal
from pandai.shop.tests.till_fixtures import PASSWORD, sell, snapshot
from pandai.wallet import selectors as wallet_selectors
from pandai.wallet import services as wallet
from pandai.wallet.checks import run_checks
from pandai.wallet.models import Transfer

pytestmark = pytest.mark.django_db


def void(till: dict[str, Any], sale: Any, **kw: Any) -> Any:
    kw.setdefault("actor", till["cashier"])
    kw.setdefault("approver", till["manager"])
    kw.setdefault("reason", "salah scan")
    kw.setdefault("terminal", till["terminal"])
    return sale_void(sale=sale, **kw)


def give_back(till: dict[str, Any], sale: Any, quantities: dict[int, int], **kw: Any) -> Any:
    kw.setdefault("actor", till["cashier"])
    kw.setdefault("approver", till["manager"])
    kw.setdefault("reason", "kemasan rusak")
    kw.setdefault("shift", till["shift"])
    kw.setdefault("terminal", till["terminal"])
    kw.setdefault("idempotency_key", "ret-1")
    return sale_return(sale=sale, quantities=quantities, **kw)


def refused(inmate: Inmate, code: str, action: Any) -> ShopError:
    before = snapshot(inmate)
    with pytest.raises(ShopError) as err:
        action()
    assert err.value.code == code, err.value.message
    assert err.value.message
    assert snapshot(inmate) == before
    return err.value


class TestApproval:
    def test_a_shop_manager_approves_with_their_password(self, till, site):
        user = approver_check(
            site=site, username="manajer-kop", secret=PASSWORD, cashier=till["cashier"]
        )
        assert user == till["manager"]

    def test_a_wrong_password_is_refused_and_counted_like_a_login(self, till, site):
        request = RequestFactory().post("/koperasi/", REMOTE_ADDR="10.0.0.7")
        with pytest.raises(ShopError) as err:
            approver_check(
                site=site,
                username="manajer-kop",
                secret="salah",
                cashier=till["cashier"],
                request=request,
            )
        assert err.value.code == "approval_invalid"
        attempt = AccessAttempt.objects.get(username="manajer-kop")
        assert attempt.failures_since_start == 1
        assert not getattr(request, "axes_locked_out", False)  # the cashier's page is untouched

    def test_after_too_many_wrong_tries_even_the_right_password_is_refused(
        self, till, site, settings
    ):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            with pytest.raises(ShopError):
                approver_check(site=site, username="manajer-kop", secret="x", cashier=None)
        with pytest.raises(ShopError) as err:
            approver_check(site=site, username="manajer-kop", secret=PASSWORD, cashier=None)
        assert err.value.code == "approval_locked"

    def test_the_cashier_cannot_approve_their_own_correction(self, till, site, staff):
        both = staff("cashier", "shop_manager", username="kasir-manajer")
        with pytest.raises(ShopError) as err:
            approver_check(site=site, username="kasir-manajer", secret=PASSWORD, cashier=both)
        assert err.value.code == "approval_self"

    def test_a_cashier_cannot_approve(self, till, site, staff):
        staff("cashier", username="kasir-lain")
        with pytest.raises(ShopError) as err:
            approver_check(
                site=site, username="kasir-lain", secret=PASSWORD, cashier=till["cashier"]
            )
        assert err.value.code == "approval_not_allowed"

    def test_a_manager_of_another_site_cannot_approve(self, till, site, other_site, staff):
        staff("shop_manager", at=other_site, username="manajer-smg")
        with pytest.raises(ShopError) as err:
            approver_check(
                site=site, username="manajer-smg", secret=PASSWORD, cashier=till["cashier"]
            )
        assert err.value.code == "approval_not_allowed"

    def test_empty_fields(self, till, site):
        with pytest.raises(ShopError) as err:
            approver_check(site=site, username=" ", secret="", cashier=till["cashier"])
        assert err.value.code == "approval_invalid"


class TestVoid:
    def test_a_void_gives_money_limit_and_stock_back(self, till, buyer, goods, site):
        wallet.ledger_settings_update(site=site, actor=till["admin"], daily_limit_rp=20_000)
        sale = sell(till, [(goods["mie"], 2), (goods["sabun"], 1)])
        assert wallet_selectors.limits_remaining(inmate=buyer).spent_today_rp == 11_000
        voided = void(till, sale)
        assert voided.status == SaleStatus.VOIDED
        assert voided.voided_by == till["cashier"]
        assert voided.void_approved_by == till["manager"]
        assert voided.void_reason == "salah scan" and voided.void_batch is not None
        assert wallet_selectors.balances(inmate=buyer).available_rp == 100_000
        assert wallet_selectors.limits_remaining(inmate=buyer).spent_today_rp == 0
        assert Product.objects.get(pk=goods["mie"].pk).on_hand == 20
        moves = StockMove.objects.filter(kind=StockMoveKind.VOID, reference=sale.number)
        assert sorted(moves.values_list("quantity", flat=True)) == [1, 2]
        reversal = Transfer.objects.get(batch=voided.void_batch, kind="reversal")
        assert reversal.terminal == f"pos:{till['terminal'].pk}"
        assert AuditEvent.objects.filter(action="shop.sale_void").count() == 1
        assert run_checks(site=site) == [] and stock_check() == []

    def test_voiding_twice_is_refused_clearly(self, till, buyer, goods):
        sale = sell(till, [(goods["mie"], 1)])
        void(till, sale)
        err = refused(buyer, "already_voided", lambda: void(till, sale))
        assert sale.number in err.message

    def test_only_while_the_shift_is_open(self, till, buyer, goods):
        sale = sell(till, [(goods["mie"], 1)])
        shift_close(shift=till["shift"], actor=till["cashier"])
        err = refused(buyer, "void_shift_closed", lambda: void(till, sale))
        assert "retur" in err.message

    def test_only_on_the_sales_terminal(self, till, buyer, goods, site, staff):
        sale = sell(till, [(goods["mie"], 1)])
        other, _token = pos_terminal(site, till["admin"], name="Kasir 2")
        shift_open(terminal=other, cashier=staff("cashier", username="kasir-dua"))
        refused(buyer, "void_wrong_terminal", lambda: void(till, sale, terminal=other))

    def test_the_cashier_cannot_approve_it(self, till, buyer, goods):
        sale = sell(till, [(goods["mie"], 1)])
        refused(buyer, "approval_self", lambda: void(till, sale, approver=till["cashier"]))

    def test_a_non_manager_approver_is_refused(self, till, buyer, goods, staff):
        sale = sell(till, [(goods["mie"], 1)])
        helper = staff("cashier", username="kasir-tiga")
        refused(buyer, "approval_not_allowed", lambda: void(till, sale, approver=helper))

    def test_a_reason_is_required(self, till, buyer, goods):
        sale = sell(till, [(goods["mie"], 1)])
        refused(buyer, "reason_required", lambda: void(till, sale, reason="  "))

    def test_a_sale_with_a_return_cannot_be_voided(self, till, buyer, goods):
        sale = sell(till, [(goods["mie"], 2)])
        give_back(till, sale, {sale.lines.get().pk: 1})
        refused(buyer, "sale_has_returns", lambda: void(till, sale))


class TestReturn:
    def test_a_partial_return_gives_money_limit_and_stock_back(self, till, buyer, goods, site):
        wallet.ledger_settings_update(site=site, actor=till["admin"], daily_limit_rp=20_000)
        sale = sell(till, [(goods["mie"], 3), (goods["sabun"], 1)])
        mie = sale.lines.get(product=goods["mie"])
        back = give_back(till, sale, {mie.pk: 2})
        assert back.total_rp == 7_000 and back.number.startswith("RTR-BLR-")
        assert back.approved_by == till["manager"] and back.shift == till["shift"]
        mie.refresh_from_db()
        assert mie.returned_qty == 2
        assert wallet_selectors.balances(inmate=buyer).available_rp == 100_000 - 7_500
        assert wallet_selectors.limits_remaining(inmate=buyer).spent_today_rp == 7_500
        assert Product.objects.get(pk=goods["mie"].pk).on_hand == 19
        refund = Transfer.objects.get(batch=back.batch, kind="refund")
        assert refund.origin_id == Transfer.objects.get(batch=sale.batch, kind="purchase").pk
        assert refund.terminal == f"pos:{till['terminal'].pk}"
        assert refund.reference == back.number
        assert AuditEvent.objects.filter(action="shop.sale_return").count() == 1
        assert run_checks(site=site) == [] and stock_check() == []

    def test_the_same_key_returns_the_same_return(self, till, buyer, goods):
        sale = sell(till, [(goods["mie"], 3)])
        line = sale.lines.get()
        first = give_back(till, sale, {line.pk: 1})
        before = snapshot(buyer)
        assert give_back(till, sale, {line.pk: 1}).pk == first.pk
        assert snapshot(buyer) == before
        refused(buyer, "idempotency_conflict", lambda: give_back(till, sale, {line.pk: 2}))

    def test_never_more_than_bought_minus_returned(self, till, buyer, goods):
        sale = sell(till, [(goods["mie"], 3)])
        line = sale.lines.get()
        give_back(till, sale, {line.pk: 2}, idempotency_key="r1")
        err = refused(
            buyer,
            "return_too_much",
            lambda: give_back(till, sale, {line.pk: 2}, idempotency_key="r2"),
        )
        assert "paling banyak 1" in err.message
        give_back(till, sale, {line.pk: 1}, idempotency_key="r3")
        refused(
            buyer,
            "return_too_much",
            lambda: give_back(till, sale, {line.pk: 1}, idempotency_key="r4"),
        )

    def test_a_return_in_a_later_shift_of_another_cashier(self, till, buyer, goods, staff):
        sale = sell(till, [(goods["mie"], 2)])
        shift_close(shift=till["shift"], actor=till["cashier"])
        later_cashier = staff("cashier", username="kasir-sore")
        later = shift_open(terminal=till["terminal"], cashier=later_cashier)
        back = give_back(till, sale, {sale.lines.get().pk: 2}, shift=later, actor=later_cashier)
        assert back.shift == later

    def test_a_voided_sale(self, till, buyer, goods):
        sale = sell(till, [(goods["mie"], 2)])
        void(till, sale)
        refused(buyer, "sale_voided", lambda: give_back(till, sale, {sale.lines.get().pk: 1}))

    @pytest.mark.parametrize("qty", [0, -1])
    def test_zero_or_negative_quantities(self, till, buyer, goods, qty):
        sale = sell(till, [(goods["mie"], 2)])
        refused(
            buyer, "quantity_invalid", lambda: give_back(till, sale, {sale.lines.get().pk: qty})
        )

    def test_nothing_chosen(self, till, buyer, goods):
        sale = sell(till, [(goods["mie"], 2)])
        refused(buyer, "empty_return", lambda: give_back(till, sale, {}))

    def test_a_line_of_another_sale(self, till, buyer, goods):
        sale = sell(till, [(goods["mie"], 2)], idempotency_key="a")
        other = sell(till, [(goods["sabun"], 1)], idempotency_key="b")
        refused(buyer, "line_not_in_sale", lambda: give_back(till, sale, {other.lines.get().pk: 1}))

    def test_another_sites_sale(self, till, buyer, goods, other_site, staff):
        sale = sell(till, [(goods["mie"], 2)])
        admin = staff("admin", at=other_site, username="admin-smg")
        far_terminal, _token = pos_terminal(other_site, admin, name="Kasir SMG")
        far_shift = shift_open(
            terminal=far_terminal, cashier=staff("cashier", at=other_site, username="kasir-smg")
        )
        refused(
            buyer,
            "other_site",
            lambda: give_back(
                till, sale, {sale.lines.get().pk: 1}, shift=far_shift, terminal=far_terminal
            ),
        )

    def test_a_released_inmate_explains_why(self, till, buyer, goods):
        sale = sell(till, [(goods["mie"], 2)])
        Inmate.objects.filter(pk=buyer.pk).update(status="released")
        sale.inmate.refresh_from_db()
        err = refused(
            buyer, "inmate_inactive", lambda: give_back(till, sale, {sale.lines.get().pk: 1})
        )
        assert "rekening" in err.message

    def test_a_closed_shift(self, till, buyer, goods):
        sale = sell(till, [(goods["mie"], 2)])
        shift_close(shift=till["shift"], actor=till["cashier"])
        refused(buyer, "shift_closed", lambda: give_back(till, sale, {sale.lines.get().pk: 1}))

    def test_the_cashier_cannot_approve_it(self, till, buyer, goods):
        sale = sell(till, [(goods["mie"], 2)])
        refused(
            buyer,
            "approval_self",
            lambda: give_back(till, sale, {sale.lines.get().pk: 1}, approver=till["cashier"]),
        )

    def test_returned_goods_free_the_product_limit_again(self, till, buyer, goods):
        Product.objects.filter(pk=goods["mie"].pk).update(limit_per_day=2)
        sale = sell(till, [(goods["mie"], 2)], idempotency_key="a")
        give_back(till, sale, {sale.lines.get().pk: 1})
        assert sell(till, [(goods["mie"], 1)], idempotency_key="b").total_rp == 3_500


def test_another_inmates_lines_are_never_mixed(till, buyer, goods, site):
    stranger = InmateFactory(site=site)
    card_with_pin(stranger, "04CCCCCCCCCC01", "135790", till["admin"])
    fund(stranger, 50_000)
    theirs = sell(till, [(goods["mie"], 1)], card_uid="04CCCCCCCCCC01", pin="135790")
    mine = sell(till, [(goods["mie"], 1)], idempotency_key="mine")
    refused(buyer, "line_not_in_sale", lambda: give_back(till, mine, {theirs.lines.get().pk: 1}))
    assert SaleReturn.objects.count() == 0
