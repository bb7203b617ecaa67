"""Pre-orders from the block: the total held on the card, delivery of what was there (only
that charged, the rest released), cancel, expiry exactly once, all idempotent and visible in
the inmate's statement; every refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from pandai.core.models import AuditEvent
from pandai.inmates.models import Inmate
from pandai.inmates.tests.factories import InmateFactory
from pandai.shop.errors import ShopError
from pandai.shop.models import (
    PreOrder,
    PreOrderStatus,
    Product,
    Sale,
    SaleSource,
    ShopSettings,
)
from pandai.shop.preorder_selectors import open_orders_of, orders_for_site, packing_list
from pandai.shop.services import CartLine, stock_check, zreport
from pandai.shop.services.preorders import (
    preorder_cancel,
    preorder_deliver,
    preorder_place,
    preorders_expire,
)
from pandai.shop.tests.factories import card_with_pin, fund
from pandai.shop.tests.till_fixtures import PIN, UID, snapshot
from pandai.wallet import selectors as wallet_selectors
from pandai.wallet import services as wallet
from pandai.wallet.checks import run_checks
from pandai.wallet.models import Transfer

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(dt.datetime(2026, 11, 24, 9, 0))


def place(buyer: Inmate, goods: dict[str, Product], **kw: Any) -> PreOrder:
    kw.setdefault("idempotency_key", "po-1")
    kw.setdefault("now", T0)
    lines = kw.pop("lines", [(goods["mie"], 2), (goods["sabun"], 1)])
    return preorder_place(inmate=buyer, lines=[CartLine(p.pk, q) for p, q in lines], **kw)


def deliver(order: PreOrder, till: dict[str, Any], delivered: dict[int, int], **kw: Any) -> Any:
    kw.setdefault("card_uid", UID)
    kw.setdefault("pin", PIN)
    kw.setdefault("actor", till["cashier"])
    kw.setdefault("idempotency_key", "dl-1")
    kw.setdefault("now", T0 + dt.timedelta(hours=3))
    return preorder_deliver(order=order, delivered=delivered, **kw)


def line_of(order: PreOrder, product: Product) -> int:
    return order.lines.get(product=product).pk


def refused(inmate: Inmate, code: str, action: Any) -> ShopError:
    before = snapshot(inmate)
    with pytest.raises(ShopError) as err:
        action()
    assert err.value.code == code, err.value.message
    assert err.value.message
    assert snapshot(inmate) == before
    return err.value


class TestPlace:
    def test_the_total_is_held_on_the_card_until_the_deadline(self, till, buyer, goods, site):
        order = place(buyer, goods)
        assert order.total_rp == 2 * 3_500 + 4_000
        assert order.number.startswith("PSN-BLR-")
        assert order.status == PreOrderStatus.OPEN
        assert order.expires_at == T0 + dt.timedelta(hours=48)
        balances = wallet_selectors.balances(inmate=buyer)
        assert balances.available_rp == 100_000 - 11_000
        assert balances.spendable_rp == 100_000  # held, not spent
        hold = order.hold
        assert hold.kind == "hold" and hold.state == "pending" and hold.reference == order.number
        assert list(wallet_selectors.pending_holds(inmate=buyer)) == [hold]
        assert [o.pk for o in open_orders_of(inmate=buyer, now=T0)] == [order.pk]
        assert ShopSettings.objects.filter(site=site).exists()
        # stock is taken at delivery, not at the order
        assert Product.objects.get(pk=goods["mie"].pk).on_hand == 20

    def test_the_deadline_follows_the_shop_settings(self, till, buyer, goods, site):
        ShopSettings.objects.create(site=site, preorder_hours=6)
        assert place(buyer, goods).expires_at == T0 + dt.timedelta(hours=6)

    def test_the_same_key_places_once(self, till, buyer, goods):
        first = place(buyer, goods)
        before = snapshot(buyer)
        assert place(buyer, goods).pk == first.pk
        assert snapshot(buyer) == before
        refused(
            buyer, "idempotency_conflict", lambda: place(buyer, goods, lines=[(goods["mie"], 1)])
        )

    def test_open_orders_count_toward_the_product_limit(self, till, buyer, goods):
        Product.objects.filter(pk=goods["mie"].pk).update(limit_per_day=2)
        place(buyer, goods)
        refused(
            buyer,
            "product_limit",
            lambda: place(buyer, goods, idempotency_key="po-2", lines=[(goods["mie"], 1)]),
        )

    def test_not_enough_balance(self, till, buyer, goods, site):
        fancy = Product.objects.create(
            site=site, sku="X1", name="Radio", category=goods["mie"].category, price_rp=200_000
        )
        from pandai.shop.tests.factories import stock_in

        stock_in(fancy, 1)
        err = refused(buyer, "insufficient_funds", lambda: place(buyer, goods, lines=[(fancy, 1)]))
        assert "100.000" in err.message

    def test_over_the_daily_limit(self, till, buyer, goods, site):
        wallet.ledger_settings_update(site=site, actor=till["admin"], daily_limit_rp=5_000)
        refused(buyer, "limit_daily", lambda: place(buyer, goods))

    def test_out_of_stock_now(self, till, buyer, goods):
        err = refused(
            buyer, "out_of_stock", lambda: place(buyer, goods, lines=[(goods["kopi"], 2)])
        )
        assert "tersisa 1" in err.message

    def test_released_inmate(self, till, buyer, goods):
        Inmate.objects.filter(pk=buyer.pk).update(status="released")
        buyer.refresh_from_db()
        refused(buyer, "inmate_inactive", lambda: place(buyer, goods))

    def test_empty_basket(self, till, buyer, goods):
        refused(buyer, "empty_cart", lambda: place(buyer, goods, lines=[]))


class TestDeliver:
    def test_a_partial_delivery_charges_only_what_was_delivered(self, till, buyer, goods, site):
        order = place(buyer, goods)
        done = deliver(order, till, {line_of(order, goods["mie"]): 1})
        assert done.status == PreOrderStatus.DELIVERED
        sale = done.sale
        assert sale.source == SaleSource.PREORDER and sale.total_rp == 3_500
        assert sale.shift is None and sale.number.startswith("KOP-BLR-")
        assert sorted(done.lines.values_list("name", "delivered_qty")) == [
            ("Mi goreng", 1),
            ("Sabun mandi", 0),
        ]
        balances = wallet_selectors.balances(inmate=buyer)
        assert balances.available_rp == balances.spendable_rp == 100_000 - 3_500
        assert sale.balance_after_rp == 100_000 - 3_500
        assert wallet_selectors.limits_remaining(inmate=buyer, now=T0).spent_today_rp == 3_500
        hold = Transfer.objects.get(pk=order.hold_id)
        assert hold.state == "posted"
        posted = Transfer.objects.get(pending=hold)
        assert posted.kind == "purchase" and posted.amount_rp == 3_500
        assert Product.objects.get(pk=goods["mie"].pk).on_hand == 19
        assert Product.objects.get(pk=goods["sabun"].pk).on_hand == 5
        assert open_orders_of(inmate=buyer, now=T0) == []
        assert run_checks(site=site) == [] and stock_check() == []

    def test_the_statement_shows_the_order_number(self, till, buyer, goods):
        order = place(buyer, goods)
        deliver(order, till, {line_of(order, goods["mie"]): 2})
        day = timezone.localdate(T0)
        lines = wallet_selectors.statement(inmate=buyer, start=day, end=day).lines
        assert [(line.kind, line.reference, line.debit_rp) for line in lines][-1] == (
            "purchase",
            order.number,
            7_000,
        )

    def test_delivery_in_a_shift_is_in_its_z_report(self, till, buyer, goods):
        order = place(buyer, goods, now=timezone.now())
        deliver(
            order,
            till,
            {line_of(order, goods["mie"]): 2},
            shift=till["shift"],
            now=timezone.now(),
        )
        report = zreport(shift=till["shift"])
        assert report.sales_rp == 7_000 == report.ledger_net_rp and report.matches

    def test_the_same_delivery_twice_charges_once(self, till, buyer, goods):
        order = place(buyer, goods)
        delivered = {line_of(order, goods["mie"]): 2}
        first = deliver(order, till, delivered)
        before = snapshot(buyer)
        assert deliver(order, till, delivered).sale_id == first.sale_id
        assert snapshot(buyer) == before
        refused(
            buyer,
            "order_closed",
            lambda: deliver(order, till, delivered, idempotency_key="dl-other"),
        )

    def test_nothing_delivered_cancels(self, till, buyer, goods):
        order = place(buyer, goods)
        done = deliver(order, till, {})
        assert done.status == PreOrderStatus.CANCELLED
        assert Transfer.objects.get(pk=order.hold_id).state == "voided"
        assert wallet_selectors.balances(inmate=buyer).available_rp == 100_000
        assert Sale.objects.count() == 0

    def test_the_price_held_is_kept_when_the_price_went_up(self, till, buyer, goods):
        order = place(buyer, goods)
        Product.objects.filter(pk=goods["mie"].pk).update(price_rp=5_000)
        sale = deliver(order, till, {line_of(order, goods["mie"]): 2}).sale
        assert sale.total_rp == 7_000
        assert sale.lines.get().unit_price_rp == 3_500

    def test_the_card_must_be_the_orderers(self, till, buyer, goods, site):
        other = InmateFactory(site=site)
        card_with_pin(other, "04DDDDDDDDDD01", "135790", till["admin"])
        order = place(buyer, goods)
        err = refused(
            buyer,
            "card_mismatch",
            lambda: deliver(
                order, till, {line_of(order, goods["mie"]): 1}, card_uid="04DDDDDDDDDD01"
            ),
        )
        assert buyer.full_name in err.message

    def test_a_wrong_pin(self, till, buyer, goods):
        order = place(buyer, goods)
        err = refused(
            buyer,
            "pin_wrong",
            lambda: deliver(order, till, {line_of(order, goods["mie"]): 1}, pin="000000"),
        )
        assert err.figures["tries_left"] == 2

    def test_more_than_ordered(self, till, buyer, goods):
        order = place(buyer, goods)
        refused(
            buyer,
            "deliver_too_much",
            lambda: deliver(order, till, {line_of(order, goods["mie"]): 3}),
        )

    def test_a_line_of_another_order(self, till, buyer, goods):
        order = place(buyer, goods)
        other = place(buyer, goods, idempotency_key="po-2", lines=[(goods["kopi"], 1)])
        refused(
            buyer,
            "line_not_in_order",
            lambda: deliver(order, till, {line_of(other, goods["kopi"]): 1}),
        )

    def test_negative_quantity(self, till, buyer, goods):
        order = place(buyer, goods)
        refused(
            buyer,
            "quantity_invalid",
            lambda: deliver(order, till, {line_of(order, goods["mie"]): -1}),
        )

    def test_after_the_deadline(self, till, buyer, goods):
        order = place(buyer, goods)
        refused(
            buyer,
            "order_expired",
            lambda: deliver(
                order, till, {line_of(order, goods["mie"]): 1}, now=T0 + dt.timedelta(hours=49)
            ),
        )

    def test_goods_gone_meanwhile(self, till, buyer, goods):
        order = place(buyer, goods, lines=[(goods["kopi"], 1)])
        from pandai.shop.services import stock_move

        stock_move(
            product=goods["kopi"], kind="adjustment", quantity=-1, actor=None, reason="rusak"
        )
        refused(
            buyer, "out_of_stock", lambda: deliver(order, till, {line_of(order, goods["kopi"]): 1})
        )

    def test_a_cancelled_order(self, till, buyer, goods):
        order = place(buyer, goods)
        preorder_cancel(order=order, actor=till["cashier"], reason="stok habis", now=T0)
        refused(
            buyer, "order_closed", lambda: deliver(order, till, {line_of(order, goods["mie"]): 1})
        )


class TestCancelAndExpire:
    def test_cancel_releases_the_hold_with_a_reason(self, till, buyer, goods):
        order = place(buyer, goods)
        cancelled = preorder_cancel(order=order, actor=till["cashier"], reason="stok habis", now=T0)
        assert cancelled.status == PreOrderStatus.CANCELLED
        assert cancelled.cancel_reason == "stok habis" and cancelled.closed_by == till["cashier"]
        assert Transfer.objects.get(pk=order.hold_id).state == "voided"
        assert wallet_selectors.balances(inmate=buyer).available_rp == 100_000
        assert wallet_selectors.limits_remaining(inmate=buyer, now=T0).spent_today_rp == 0
        assert AuditEvent.objects.filter(action="shop.preorder_cancel").count() == 1
        before = snapshot(buyer)
        preorder_cancel(order=order, actor=till["cashier"], reason="lagi", now=T0)
        assert snapshot(buyer) == before

    def test_cancel_needs_a_reason(self, till, buyer, goods):
        order = place(buyer, goods)
        refused(
            buyer,
            "reason_required",
            lambda: preorder_cancel(order=order, actor=till["cashier"], reason=" "),
        )

    def test_a_delivered_order_cannot_be_cancelled(self, till, buyer, goods):
        order = place(buyer, goods)
        deliver(order, till, {line_of(order, goods["mie"]): 1})
        refused(
            buyer,
            "order_closed",
            lambda: preorder_cancel(order=order, actor=till["cashier"], reason="x"),
        )

    def test_expiry_via_shop_tick_twice_expires_once(self, till, buyer, goods, site):
        order = place(buyer, goods, now=timezone.now() - dt.timedelta(hours=50))
        out = StringIO()
        call_command("shop_tick", stdout=out)
        assert "BLR: 1 pesanan kedaluwarsa" in out.getvalue()
        order.refresh_from_db()
        assert order.status == PreOrderStatus.EXPIRED
        assert Transfer.objects.get(pk=order.hold_id).state == "expired"
        assert wallet_selectors.balances(inmate=buyer).available_rp == 100_000
        before = snapshot(buyer)
        out = StringIO()
        call_command("shop_tick", stdout=out)
        assert "BLR: 0 pesanan kedaluwarsa" in out.getvalue()
        assert snapshot(buyer) == before
        assert AuditEvent.objects.filter(action="shop.preorder_expire").count() == 1

    def test_an_order_whose_hold_the_ledger_tick_expired_first(self, till, buyer, goods):
        order = place(buyer, goods)
        later = T0 + dt.timedelta(hours=48)
        assert wallet.holds_expire(now=later) == 1
        assert preorders_expire(now=later) == 1
        order.refresh_from_db()
        assert order.status == PreOrderStatus.EXPIRED
        assert preorders_expire(now=later) == 0

    def test_orders_not_yet_due_stay_open(self, till, buyer, goods):
        order = place(buyer, goods)
        assert preorders_expire(now=T0 + dt.timedelta(hours=47)) == 0
        order.refresh_from_db()
        assert order.status == PreOrderStatus.OPEN


def test_the_packing_list_groups_open_orders_by_block(till, buyer, goods, site):
    neighbour = InmateFactory(site=site, cell=buyer.cell)
    fund(neighbour, 50_000)
    elsewhere = InmateFactory(site=site)
    fund(elsewhere, 50_000)
    place(buyer, goods)
    place(neighbour, goods, idempotency_key="po-n", lines=[(goods["mie"], 1)])
    place(elsewhere, goods, idempotency_key="po-e", lines=[(goods["sabun"], 2)])
    blocks = packing_list(site=site, now=T0)
    by_block = {entry.block.pk: entry for entry in blocks}
    mine = by_block[buyer.block.pk]
    assert len(mine.orders) == 2
    assert mine.totals == [("Mi goreng", 3), ("Sabun mandi", 1)]
    assert mine.total_rp == 11_000 + 3_500
    assert by_block[elsewhere.block.pk].totals == [("Sabun mandi", 2)]
    only = packing_list(site=site, block_id=elsewhere.block.pk, now=T0)
    assert [entry.block.pk for entry in only] == [elsewhere.block.pk]
    assert orders_for_site(site=site, status="open", block_id=buyer.block.pk).count() == 2
