"""Koperasi reports: figures from sales made through the checkout service (with a void and a
return through the corrections service), in the site's days; the XLSX holds what the page
shows; text that a spreadsheet would run is escaped; queries don't grow with the data; only
the reporting roles get in."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from pandai.core.models import Site
from pandai.inmates.tests.factories import InmateFactory
from pandai.shop.services import CartLine, checkout, shift_close, shift_open
from pandai.shop.services.catalogue import ProductInput, product_update
from pandai.shop.services.corrections import sale_return, sale_void
from pandai.shop.services.inventory import count_confirm, count_create, count_set_line
from pandai.shop.tests.factories import (
    CategoryFactory,
    ProductFactory,
    card_with_pin,
    fund,
    pos_terminal,
)
from pandai.shop.views.reports import REPORTS, _cell
from pandai.wallet import clock

WIB = ZoneInfo("Asia/Jakarta")
D = dt.date(2026, 3, 10)  # a Tuesday
D1 = D + dt.timedelta(days=1)
PIN = "135790"
EVIL = '=HYPERLINK("http://contoh.invalid","klik")'


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WIB)


@pytest.fixture
def clock_at(monkeypatch: pytest.MonkeyPatch) -> dict[str, dt.datetime]:
    """The wallet's clock (limits, shifts, 'last 30 days') at a moment the test moves."""
    moment = {"now": at(D, 7)}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def world(site: Site, staff: Any, clock_at: dict[str, dt.datetime]) -> dict[str, Any]:
    """Two days of a koperasi: 4 receipts (one voided), one return, a price change, a stock
    count with a variance, a closed shift that matches the ledger and one still open."""
    admin = staff("admin", username="admin-lap")
    cashier = staff("cashier", username="kasir-lap")
    manager = staff("shop_manager", username="pengelola-lap")
    food = CategoryFactory(site=site, name="Makanan", sort_order=1)
    care = CategoryFactory(site=site, name="Kebersihan", sort_order=2)
    drink = CategoryFactory(site=site, name="Minuman", sort_order=3)
    other = CategoryFactory(site=site, name="Lain-lain", sort_order=4)
    goods = {
        "mie": ProductFactory(
            site=site, name="Mi goreng", category=food, price_rp=3_500, cost_rp=2_500, stock=20
        ),
        "sabun": ProductFactory(
            site=site, name="Sabun mandi", category=care, price_rp=4_000, cost_rp=3_000, stock=10
        ),
        "kopi": ProductFactory(
            site=site,
            name="Kopi sachet",
            category=drink,
            price_rp=2_000,
            cost_rp=1_200,
            stock=3,
            min_stock=5,
        ),
        "evil": ProductFactory(
            site=site, name=EVIL, category=other, price_rp=1_000, cost_rp=500, stock=5
        ),
    }
    buyers = []
    for uid in ("04AA000000000A", "04AA000000000B"):
        inmate = InmateFactory(site=site)
        card_with_pin(inmate, uid, PIN, admin)
        fund(inmate, 200_000)
        buyers.append(uid)
    terminal, _token = pos_terminal(site, admin)
    clock_at["now"] = at(D, 8)
    shift = shift_open(terminal=terminal, cashier=cashier)
    keys = iter(range(1, 100))

    def sell(uid: str, lines: list[tuple[str, int]], when: dt.datetime) -> Any:
        clock_at["now"] = when
        return checkout(
            site=site,
            card_uid=uid,
            pin=PIN,
            lines=[CartLine(goods[name].pk, q) for name, q in lines],
            idempotency_key=f"lap-{next(keys)}",
            cashier=cashier,
            terminal=terminal,
            shift=shift,
            now=when,
        ).sale

    first = sell(buyers[0], [("mie", 3), ("sabun", 1)], at(D, 10))  # 14.500
    sell(buyers[1], [("kopi", 2), ("mie", 1)], at(D, 23, 30))  # 7.500, 16:30 UTC
    sell(buyers[0], [("evil", 1), ("sabun", 2)], at(D1, 0, 30))  # 9.000, still the 10th in UTC
    wrong = sell(buyers[1], [("mie", 1)], at(D1, 1))  # 3.500, voided
    clock_at["now"] = at(D1, 1, 5)
    sale_void(
        sale=wrong,
        actor=cashier,
        approver=manager,
        reason="salah barang",
        terminal=terminal,
        now=at(D1, 1, 5),
    )
    clock_at["now"] = at(D1, 9)
    mie_line = first.lines.get(product=goods["mie"])
    sale_return(
        sale=first,
        quantities={mie_line.pk: 1},
        reason="kemasan rusak",
        actor=cashier,
        approver=manager,
        shift=shift,
        terminal=terminal,
        idempotency_key="lap-ret-1",
        now=at(D1, 9),
    )
    kopi = goods["kopi"]
    kopi.refresh_from_db()
    product_update(
        product=kopi,
        data=ProductInput(
            sku=kopi.sku,
            name=kopi.name,
            category=drink,
            price_rp=2_500,
            cost_rp=kopi.cost_rp,
            min_stock=5,
        ),
        actor=manager,
        reason="harga pemasok naik",
        now=at(D1, 9, 30),
    )
    count = count_create(site=site, actor=manager, category=drink, now=at(D1, 10))
    count_set_line(count=count, product=kopi, counted_qty=0, actor=manager)  # books say 1
    count_confirm(count=count, actor=manager, now=at(D1, 10, 15))
    clock_at["now"] = at(D1, 12)
    shift_close(shift=shift, actor=cashier, now=at(D1, 12))
    second = staff("cashier", username="kasir-dua")
    terminal2, _t2 = pos_terminal(site, admin, name="Kasir 2")
    open_shift = shift_open(terminal=terminal2, cashier=second)
    return {
        "manager": manager,
        "cashier": cashier,
        "goods": goods,
        "shift": shift,
        "open_shift": open_shift,
        "drink": drink,
        "sell": sell,
        "buyers": buyers,
        "count": count,
    }


def page(client: Any, user: Any, name: str, **query: Any) -> Any:
    client.force_login(user)
    response = client.get(reverse(f"shop:reports_{name}"), query)
    assert response.status_code == 200, response.content[:500]
    return response


def cells(response: Any) -> list[list[str]]:
    return [[text for text, _css in row] for row in response.context["rows"]]


def totals(response: Any) -> list[str]:
    return [text for text, _css in response.context["totals"]]


def table(response: Any) -> Any:
    return response.context["table"]


TWO_DAYS = {"dari": D.isoformat(), "sampai": D1.isoformat()}


@pytest.mark.django_db
class TestFigures:
    def test_sales_by_day_in_the_sites_days(self, client, world):
        r = page(client, world["manager"], "sales_day", **TWO_DAYS)
        rows = table(r).rows
        # date, receipts, items, sales, voided receipts, voided rp, returns, returns rp, net
        assert rows[0] == [D, 2, 7, 22_000, 0, 0, 0, 0, 22_000]
        assert rows[1] == [D1, 1, 3, 9_000, 1, 3_500, 1, 3_500, 5_500]
        assert totals(r)[-1] == "Rp27.500"

    def test_one_day_filter_is_that_day_in_the_site_time_zone(self, client, world):
        r = page(client, world["manager"], "sales_day", dari=D1.isoformat(), sampai=D1.isoformat())
        assert table(r).rows == [[D1, 1, 3, 9_000, 1, 3_500, 1, 3_500, 5_500]]

    def test_by_product_net_of_returns_with_price_beside_its_last_change(self, client, world):
        r = page(client, world["manager"], "sales_product", **TWO_DAYS)
        by_name = {row[1]: row for row in table(r).rows}
        mie = by_name["Mi goreng"]
        # receipts, sold, returned, net qty, net rp (the voided receipt is not a sale)
        assert mie[3:8] == [2, 4, 1, 3, 10_500]
        kopi = by_name["Kopi sachet"]
        assert kopi[7:] == [4_000, 2_500, dt.datetime(2026, 3, 11, 9, 30), 2_000, 25.0]

    def test_by_category_and_its_filter(self, client, world):
        r = page(client, world["manager"], "sales_category", **TWO_DAYS)
        rows = {row[0]: row[1:6] for row in table(r).rows}
        assert rows["Makanan"] == [2, 3, 14_000, 3_500, 10_500]
        assert rows["Kebersihan"] == [2, 3, 12_000, 0, 12_000]
        assert sum(row[5] for row in table(r).rows) == 27_500
        only = page(
            client, world["manager"], "sales_category", kategori=world["drink"].pk, **TWO_DAYS
        )
        assert [row[0] for row in table(only).rows] == ["Minuman"]

    def test_best_sellers_by_net_quantity(self, client, world):
        r = page(client, world["manager"], "best_sellers", **TWO_DAYS)
        assert [(row[0], row[1], row[3]) for row in table(r).rows][:2] == [
            (1, "Sabun mandi", 3),  # a tie on quantity: the larger net sales first
            (2, "Mi goreng", 3),
        ]

    def test_margin_at_each_lines_cost_net_of_returns(self, client, world):
        r = page(client, world["manager"], "margin", **TWO_DAYS)
        revenue, cost, margin = table(r).totals[3:6]
        assert (revenue, cost, margin) == (27_500, 19_400, 8_100)
        by_name = {row[0]: row for row in table(r).rows}
        assert by_name["Mi goreng"][3:6] == [10_500, 7_500, 3_000]

    def test_stock_on_hand_valued_at_average_cost(self, client, world):
        r = page(client, world["manager"], "stock")
        by_name = {row[1]: row for row in table(r).rows}
        # 20 - 3 - 1 - 1 (voided: back) + 1 + 1 (returned)
        assert by_name["Mi goreng"][4:8] == [17, 2_500, 42_500, 59_500]
        assert by_name["Kopi sachet"][4] == 0  # 3 - 2 sold - 1 lost at the count

    def test_low_stock(self, client, world):
        r = page(client, world["manager"], "low_stock")
        assert [row[1:7] for row in table(r).rows] == [["Kopi sachet", "Minuman", 0, 5, 5, 2]]

    def test_count_variances(self, client, world):
        r = page(client, world["manager"], "count_variances", **TWO_DAYS)
        (row,) = table(r).rows
        assert row[0] == world["count"].number
        assert row[3] == "Kopi sachet"
        assert row[5:] == [1, 0, -1, 1_200, -1_200]

    def test_prices_beside_the_last_change(self, client, world):
        r = page(client, world["manager"], "prices")
        by_name = {row[1]: row for row in table(r).rows}
        assert by_name["Kopi sachet"][3:9] == [
            2_500,
            dt.datetime(2026, 3, 11, 9, 30),
            2_000,
            25.0,
            world["manager"].display_name,
            "harga pemasok naik",
        ]
        assert "Rp2.500" in cells(r)[[*by_name].index("Kopi sachet")]

    def test_shifts_with_z_report_and_ledger_match(self, client, world):
        r = page(client, world["manager"], "shifts", **TWO_DAYS)
        rows = table(r).rows
        closed = next(row for row in rows if row[0] == world["shift"].number)
        # receipts, sales, voided, returns, net, ledger, matches
        assert closed[5:] == [4, 31_000, 3_500, 3_500, 27_500, 27_500, True]
        only = page(client, world["manager"], "shifts", kasir=world["cashier"].pk, **TWO_DAYS)
        assert [row[0] for row in table(only).rows] == [world["shift"].number]

    def test_open_shift_is_shown_as_not_final(self, client, world, clock_at):
        today = clock_at["now"].astimezone(WIB).date()
        r = page(client, world["manager"], "shifts", dari=today.isoformat())
        row = next(row for row in table(r).rows if row[0] == world["open_shift"].number)
        assert row[4] is None and row[-1] is None

    def test_bad_dates_are_refused_with_a_message(self, client, world):
        r = page(client, world["manager"], "sales_day", dari=D1.isoformat(), sampai=D.isoformat())
        assert r.context["table"] is None
        assert "Tanggal awal harus sebelum tanggal akhir." in r.content.decode()


def back(value: Any, kind: str) -> str:
    """A cell read from the file, shown as the page shows it (openpyxl reads a date back as a
    datetime and a whole float as an int; the escape apostrophe is the only change to text)."""
    if value is None:
        value = ""
    elif kind == "date" and isinstance(value, dt.datetime):
        value = value.date()
    elif kind == "pct" and isinstance(value, int):
        value = float(value)
    elif kind == "bool":
        value = {"ya": True, "tidak": False}.get(value, value)
    elif isinstance(value, str) and value.startswith("'"):
        value = value[1:]
    return _cell(value, kind)


@pytest.mark.django_db
class TestXlsx:
    def xlsx(self, client: Any, user: Any, name: str, **query: Any) -> list[list[Any]]:
        client.force_login(user)
        response = client.get(reverse(f"shop:reports_{name}"), {**query, "format": "xlsx"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response["Content-Disposition"].startswith("attachment;")
        book = load_workbook(io.BytesIO(response.content))
        return [list(row) for row in book.active.iter_rows(values_only=True)]

    @pytest.mark.parametrize("report", [r.name for r in REPORTS])
    def test_the_file_holds_what_the_page_shows(self, client, world, report):
        shown = page(client, world["manager"], report, **TWO_DAYS)
        rows = self.xlsx(client, world["manager"], report, **TWO_DAYS)
        columns = table(shown).columns
        header_at = rows.index([str(c.label) for c in columns])
        body = rows[header_at + 1 : header_at + 1 + len(shown.context["rows"])]
        as_page = [[back(v, c.kind) for v, c in zip(row, columns, strict=False)] for row in body]
        assert as_page == cells(shown)
        if shown.context["totals"] and shown.context["rows"]:
            total_row = rows[header_at + 1 + len(body)]
            assert [back(v, c.kind) for v, c in zip(total_row, columns, strict=False)] == totals(
                shown
            )

    def test_numbers_stay_numbers_and_the_filters_are_written(self, client, world):
        rows = self.xlsx(client, world["manager"], "sales_day", **TWO_DAYS)
        assert rows[0] == ["Penjualan per hari", *[None] * (len(rows[0]) - 1)][: len(rows[0])]
        assert any("10-03-2026 s.d. 11-03-2026" in str(row[0]) for row in rows[:4])
        last = next(row for row in rows if row[0] == "Jumlah")
        assert last[-1] == 27_500

    def test_text_a_spreadsheet_would_run_is_escaped(self, client, world):
        rows = self.xlsx(client, world["manager"], "sales_product", **TWO_DAYS)
        names = [row[1] for row in rows if row and len(row) > 1]
        assert "'" + EVIL in names
        assert EVIL not in names


@pytest.mark.django_db
class TestAccess:
    @pytest.mark.parametrize("role", ["shop_manager", "head", "official", "auditor"])
    def test_reporting_roles_get_in(self, client, site, staff, role):
        user = staff(role, username=f"lap-{role}")
        client.force_login(user)
        assert client.get(reverse("shop:reports")).status_code == 200
        for report in REPORTS:
            assert client.get(reverse(f"shop:reports_{report.name}")).status_code == 200

    @pytest.mark.parametrize("role", ["cashier", "counter_officer", "admin", "complaint_officer"])
    def test_other_roles_are_refused(self, client, site, staff, role):
        client.force_login(staff(role, username=f"lap-{role}"))
        assert client.get(reverse("shop:reports")).status_code == 403
        for report in REPORTS:
            url = reverse(f"shop:reports_{report.name}")
            assert client.get(url).status_code == 403
            assert client.get(url, {"format": "xlsx"}).status_code == 403

    def test_another_sites_manager_sees_only_their_own_site(self, client, world, other_site, staff):
        stranger = staff("shop_manager", at=other_site, username="pengelola-smg")
        r = page(client, stranger, "sales_product", **TWO_DAYS)
        assert table(r).rows == []
        assert table(page(client, stranger, "stock")).rows == []


@pytest.mark.django_db
class TestQueries:
    def count(self, client: Any, name: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"shop:reports_{name}"), TWO_DAYS)
        assert response.status_code == 200
        return len(queries)

    def test_queries_do_not_grow_with_the_data(self, client, world, clock_at):
        client.force_login(world["manager"])
        client.get("/")  # the first request stores the acting site in the session
        before = {r.name: self.count(client, r.name) for r in REPORTS}
        site = world["shift"].site
        extra = CategoryFactory(site=site, name="Rokok")
        for n in range(5):
            world["goods"][f"x{n}"] = ProductFactory(
                site=site, category=extra, price_rp=1_000 + n, stock=5, min_stock=9
            )
        clock_at["now"] = at(D1, 13)
        open_shift = world["open_shift"]

        def sell_more(uid: str, lines: list[tuple[str, int]], key: str) -> None:
            checkout(
                site=site,
                card_uid=uid,
                pin=PIN,
                lines=[CartLine(world["goods"][n].pk, q) for n, q in lines],
                idempotency_key=key,
                cashier=open_shift.cashier,
                terminal=open_shift.terminal,
                shift=open_shift,
                now=at(D1, 13),
            )

        sell_more(world["buyers"][0], [(f"x{n}", 1) for n in range(5)], "more-1")
        sell_more(world["buyers"][1], [("x0", 2), ("mie", 1)], "more-2")
        after = {r.name: self.count(client, r.name) for r in REPORTS}
        assert after == before
        assert max(before.values()) <= 16, before
