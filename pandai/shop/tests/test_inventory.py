"""Stock services above the primitive: goods received (moving average cost), adjustments, stock
counts (opname) with variances, and the rule for sales made while a count is running."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pandai.core.models import AuditEvent
from pandai.shop.errors import ShopError
from pandai.shop.models import Product, StockCountStatus, StockMove, StockMoveKind
from pandai.shop.services.inventory import (
    ReceiveLine,
    average_cost,
    count_cancel,
    count_confirm,
    count_create,
    count_set_line,
    stock_adjust,
    stock_receive,
)
from pandai.shop.services.stock import stock_check, stock_move
from pandai.shop.tests.catalogue_helpers import make_category, make_product, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(staff):
    return staff("shop_manager")


def receive(site, manager, *lines, supplier="CV Sumber Rejeki"):
    return stock_receive(
        site=site,
        lines=[ReceiveLine(p, q, c) for p, q, c in lines],
        supplier=supplier,
        actor=manager,
    )


def test_average_cost_formula():
    assert average_cost(on_hand=0, cost_rp=0, quantity=10, unit_cost_rp=2_500) == 2_500
    assert average_cost(on_hand=10, cost_rp=2_500, quantity=10, unit_cost_rp=3_000) == 2_750
    # (3*1000 + 2*1001) / 5 = 1000.4 -> rounded down
    assert average_cost(on_hand=3, cost_rp=1_000, quantity=2, unit_cost_rp=1_001) == 1_000
    # (1*1000 + 2*1001) / 3 = 1000.67 -> rounded down, never up
    assert average_cost(on_hand=1, cost_rp=1_000, quantity=2, unit_cost_rp=1_001) == 1_000


@given(
    on_hand=st.integers(0, 10_000),
    cost=st.integers(0, 1_000_000),
    qty=st.integers(1, 10_000),
    unit=st.integers(0, 1_000_000),
)
def test_average_cost_lies_between_and_never_overstates(on_hand, cost, qty, unit):
    new = average_cost(on_hand=on_hand, cost_rp=cost, quantity=qty, unit_cost_rp=unit)
    exact_value = on_hand * cost + qty * unit
    assert new * (on_hand + qty) <= exact_value < (new + 1) * (on_hand + qty)
    if on_hand:
        assert min(cost, unit) <= new <= max(cost, unit)


def test_receive_updates_stock_cost_and_records_moves(site, manager):
    a = make_product(site, manager, cost_rp=0)
    b = make_product(site, manager)
    moves = receive(site, manager, (a, 10, 2_500), (b, 4, 1_000))
    assert {m.reference for m in moves} == {moves[0].reference}
    assert moves[0].reference.startswith("BM-BLR-")
    receive(site, manager, (a, 10, 3_000))
    a.refresh_from_db()
    assert (a.on_hand, a.cost_rp) == (20, 2_750)
    move = StockMove.objects.filter(product=a).order_by("pk").last()
    assert (move.kind, move.quantity, move.unit_cost_rp, move.supplier) == (
        "receipt",
        10,
        3_000,
        "CV Sumber Rejeki",
    )
    assert stock_check(site=site) == []
    assert AuditEvent.objects.filter(action="shop.stock_receive").count() == 2


@pytest.mark.parametrize(
    ("lines", "supplier", "code"),
    [
        ([(0, 5, 1_000)], "", "supplier_required"),
        ([], "CV A", "empty_receipt"),
        ([(0, 0, 1_000)], "CV A", "quantity_invalid"),
        ([(0, -3, 1_000)], "CV A", "quantity_invalid"),
        ([(0, 3, -1)], "CV A", "cost_invalid"),
        ([(0, 3, 1_000), (0, 2, 1_000)], "CV A", "duplicate_line"),
        ([(0, 3, 1_000), (1, 0, 1_000)], "CV A", "quantity_invalid"),  # second line bad: none in
    ],
)
def test_receive_refusals_change_nothing(site, manager, lines, supplier, code):
    products = [make_product(site, manager, stock=2), make_product(site, manager)]
    before = snapshot()
    with pytest.raises(ShopError) as err:
        receive(site, manager, *[(products[i], q, c) for i, q, c in lines], supplier=supplier)
    assert err.value.code == code
    assert snapshot() == before


def test_receive_refuses_product_of_other_site(site, other_site, manager, staff):
    foreign = make_product(other_site, staff("shop_manager", at=other_site))
    before = snapshot()
    with pytest.raises(ShopError):
        receive(site, manager, (foreign, 5, 1_000))
    assert snapshot() == before


def test_adjust_signed_with_reason_never_below_zero(site, manager):
    product = make_product(site, manager, stock=5)
    stock_adjust(product=product, quantity=-2, reason="Kemasan rusak", actor=manager)
    product.refresh_from_db()
    assert product.on_hand == 3
    before = snapshot()
    for quantity, reason, code in [
        (-4, "Hilang", "out_of_stock"),
        (0, "Nol", "quantity_invalid"),
        (2, "   ", "reason_required"),
    ]:
        with pytest.raises(ShopError) as err:
            stock_adjust(product=product, quantity=quantity, reason=reason, actor=manager)
        assert err.value.code == code
    assert snapshot() == before
    with pytest.raises(ShopError, match="tinggal 3"):
        stock_adjust(product=product, quantity=-9, reason="x", actor=manager)
    stock_adjust(product=product, quantity=-3, reason="Kedaluwarsa", actor=manager)
    product.refresh_from_db()
    assert product.on_hand == 0
    assert AuditEvent.objects.filter(action="shop.stock_adjust").count() == 2


# --- stock counts ---------------------------------------------------------------------------


@pytest.fixture
def shelf(site, manager):
    drinks = make_category(site, manager, "Minuman")
    snacks = make_category(site, manager, "Makanan ringan")
    return {
        "teh": make_product(site, manager, category=drinks, stock=10, unit_cost_rp=2_000),
        "air": make_product(site, manager, category=drinks, stock=24, unit_cost_rp=1_500),
        "kacang": make_product(site, manager, category=snacks, stock=7, unit_cost_rp=4_000),
        "old": make_product(site, manager, category=snacks, is_active=False),
        "drinks": drinks,
    }


def test_count_snapshot_scope_and_number(site, manager, shelf):
    count = count_create(site=site, actor=manager, category=shelf["drinks"])
    assert count.number.startswith("SO-BLR-")
    lines = {line.product_id: line for line in count.lines.all()}
    assert set(lines) == {shelf["teh"].pk, shelf["air"].pk}
    assert lines[shelf["teh"].pk].expected_qty == 10
    assert lines[shelf["teh"].pk].unit_cost_rp == 2_000
    count_cancel(count=count, actor=manager, reason="Diganti opname seluruh koperasi")
    whole = count_create(site=site, actor=manager, note="Opname akhir bulan")
    # every active product, and inactive ones only while they still have stock
    assert set(whole.lines.values_list("product_id", flat=True)) == {
        shelf["teh"].pk,
        shelf["air"].pk,
        shelf["kacang"].pk,
    }


def test_overlapping_draft_counts_are_refused(site, manager, shelf):
    count_create(site=site, actor=manager, category=shelf["drinks"])
    before = snapshot()
    with pytest.raises(ShopError) as err:
        count_create(site=site, actor=manager)
    assert err.value.code == "count_open"
    assert snapshot() == before


def test_count_confirm_posts_variances_in_units_and_rupiah(site, manager, shelf):
    count = count_create(site=site, actor=manager)
    count_set_line(count=count, product=shelf["teh"], counted_qty=8, actor=manager)  # -2
    count_set_line(count=count, product=shelf["air"], counted_qty=25, actor=manager)  # +1
    count_set_line(count=count, product=shelf["kacang"], counted_qty=7, actor=manager)  # 0
    outcome = count_confirm(count=count, actor=manager)
    assert (outcome.lines_posted, outcome.units, outcome.value_rp) == (2, -1, -2 * 2_000 + 1_500)
    assert outcome.uncounted == 0
    moves = StockMove.objects.filter(kind=StockMoveKind.COUNT, reference=count.number)
    assert sorted(moves.values_list("product_id", "quantity")) == sorted(
        [(shelf["teh"].pk, -2), (shelf["air"].pk, 1)]
    )
    on_hand = dict(Product.objects.values_list("pk", "on_hand"))
    assert (on_hand[shelf["teh"].pk], on_hand[shelf["air"].pk]) == (8, 25)
    count.refresh_from_db()
    assert count.status == StockCountStatus.CONFIRMED and count.confirmed_by == manager
    assert stock_check(site=site) == []
    # a confirmed count is closed for good
    before = snapshot()
    for call in (
        lambda: count_confirm(count=count, actor=manager),
        lambda: count_set_line(count=count, product=shelf["teh"], counted_qty=1, actor=manager),
        lambda: count_cancel(count=count, actor=manager, reason="salah"),
    ):
        with pytest.raises(ShopError) as err:
            call()
        assert err.value.code == "count_closed"
    assert snapshot() == before


def test_sales_during_the_count_are_respected(site, manager, shelf):
    """Counted 8 of 10 teh (2 missing); then 3 were sold before the count was confirmed. The
    books say 7 at confirmation, the shelf holds 5: the stock after confirming is 5, not 8."""
    count = count_create(site=site, actor=manager)
    count_set_line(count=count, product=shelf["teh"], counted_qty=8, actor=manager)
    stock_move(product=shelf["teh"], kind=StockMoveKind.SALE, quantity=-3, actor=None)
    # a sale before the line is counted is inside the line's expected quantity
    stock_move(product=shelf["air"], kind=StockMoveKind.SALE, quantity=-4, actor=None)
    count_set_line(count=count, product=shelf["air"], counted_qty=20, actor=manager)
    outcome = count_confirm(count=count, actor=manager)
    on_hand = dict(Product.objects.values_list("pk", "on_hand"))
    assert on_hand[shelf["teh"].pk] == 5
    assert on_hand[shelf["air"].pk] == 20
    assert outcome.units == -2  # only the real shortage, not the sales
    assert outcome.uncounted == 1  # kacang left blank: untouched
    assert on_hand[shelf["kacang"].pk] == 7


def test_confirm_refused_when_a_variance_would_go_negative(site, manager, shelf):
    count = count_create(site=site, actor=manager)
    count_set_line(count=count, product=shelf["air"], counted_qty=25, actor=manager)  # +1
    count_set_line(count=count, product=shelf["teh"], counted_qty=1, actor=manager)  # -9
    stock_move(product=shelf["teh"], kind=StockMoveKind.SALE, quantity=-5, actor=None)
    before = snapshot()
    with pytest.raises(ShopError) as err:
        count_confirm(count=count, actor=manager)
    assert err.value.code == "count_negative"
    assert snapshot() == before  # the +1 of air was not posted either


def test_confirm_with_nothing_counted_and_bad_quantities(site, manager, shelf):
    count = count_create(site=site, actor=manager)
    before = snapshot()
    with pytest.raises(ShopError) as err:
        count_confirm(count=count, actor=manager)
    assert err.value.code == "count_nothing"
    with pytest.raises(ShopError) as err:
        count_set_line(count=count, product=shelf["teh"], counted_qty=-1, actor=manager)
    assert err.value.code == "quantity_invalid"
    with pytest.raises(ShopError) as err:
        count_set_line(count=count, product=shelf["old"], counted_qty=1, actor=manager)
    assert err.value.code == "unknown_product"
    assert snapshot() == before


def test_cancel_needs_reason_and_frees_the_products(site, manager, shelf):
    count = count_create(site=site, actor=manager)
    count_set_line(count=count, product=shelf["teh"], counted_qty=1, actor=manager)
    before = snapshot()
    with pytest.raises(ShopError):
        count_cancel(count=count, actor=manager, reason=" ")
    assert snapshot() == before
    count_cancel(count=count, actor=manager, reason="Salah jadwal")
    count.refresh_from_db()
    assert count.status == StockCountStatus.CANCELLED and "Salah jadwal" in count.note
    assert Product.objects.get(pk=shelf["teh"].pk).on_hand == 10
    count_create(site=site, actor=manager)  # no longer blocked
