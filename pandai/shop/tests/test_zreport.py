"""The Z-report equals the ledger for a shift with sales, a void and a return — and says so
when it does not: money moved through the ledger with the till's label but no shop record."""

from __future__ import annotations

import pytest

from pandai.shop.services import shift_close, zreport
from pandai.shop.services.corrections import sale_return, sale_void
from pandai.shop.tests.till_fixtures import sell
from pandai.wallet import services as wallet
from pandai.wallet.models import Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_shift(till, buyer, goods):
    """Three sales, one voided, one partly returned."""
    first = sell(till, [(goods["mie"], 3), (goods["sabun"], 1)], idempotency_key="a")  # 14.500
    second = sell(till, [(goods["kopi"], 1)], idempotency_key="b")  # 2.000
    third = sell(till, [(goods["mie"], 2)], idempotency_key="c")  # 7.000
    sale_void(
        sale=second,
        actor=till["cashier"],
        approver=till["manager"],
        reason="salah barang",
        terminal=till["terminal"],
    )
    sale_return(
        sale=first,
        quantities={first.lines.get(product=goods["mie"]).pk: 1},
        reason="kemasan rusak",
        actor=till["cashier"],
        approver=till["manager"],
        shift=till["shift"],
        terminal=till["terminal"],
        idempotency_key="ret-a",
    )
    return {"first": first, "second": second, "third": third}


def test_the_z_report_equals_the_ledger(till, busy_shift):
    report = zreport(shift=till["shift"])
    assert report.receipts_count == 3
    assert (report.sales_count, report.sales_rp) == (2, 14_500 + 7_000)
    assert (report.voids_count, report.voids_rp) == (1, 2_000)
    assert (report.returns_count, report.returns_rp) == (1, 3_500)
    assert report.net_rp == 14_500 + 7_000 - 3_500
    # the ledger saw every sale (the voided one too) in, and the void and the return out
    assert report.ledger_purchases_rp == 14_500 + 2_000 + 7_000
    assert report.ledger_refunds_rp == 2_000 + 3_500
    assert report.ledger_net_rp == report.net_rp and report.matches
    closed = shift_close(shift=till["shift"], actor=till["cashier"])
    assert closed.ledger_matches is True and closed.z_report["matches"] is True


def test_money_moved_in_the_ledger_without_a_shop_record_shows_as_a_mismatch(
    till, buyer, busy_shift
):
    purchase = Transfer.objects.get(batch=busy_shift["third"].batch, kind="purchase")
    wallet.refund(
        inmate=buyer,
        amount_rp=1_000,
        idempotency_key="refund-behind-the-shops-back",
        actor=till["cashier"],
        purchase=purchase,
        terminal=f"pos:{till['terminal'].pk}",
    )
    report = zreport(shift=till["shift"])
    assert not report.matches
    assert report.ledger_net_rp == report.net_rp - 1_000
    closed = shift_close(shift=till["shift"], actor=till["cashier"])
    assert closed.ledger_matches is False
