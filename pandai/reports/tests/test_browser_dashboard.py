"""Browser: the head opens the dashboard from the menu, reads the day's figures and clicks them
through to the records (a tile, a chart column, a category); the regional view shows two sites
side by side and a figure of the second site opens that site's records."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from pandai.core.models import Membership, Role
from pandai.core.tests.factories import SiteFactory
from pandai.reports.tests.dashboard_world import build
from pandai.wallet import clock

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def world(site, staff, monkeypatch):
    moment: dict[str, dt.datetime] = {}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return build(site, staff, moment)  # leaves the clock at 10 March 2026, 15:00 WIB


def test_head_clicks_the_dashboards_numbers_through_to_their_records(  # type: ignore[no-untyped-def]
    page, live_server, login, staff, world
):
    head = staff("head", username="karutan-browser")
    login(page, head)
    page.locator("#nav-dashboard").click()
    expect(page.locator("h1")).to_contain_text("Dasbor")
    tile = page.locator('[data-figure="deposits_counter_today"]')
    expect(tile.locator(".value")).to_have_text("Rp75.000")
    expect(page.locator('[data-figure="inmate_money"] .value')).to_have_text("Rp221.000")
    expect(page.locator('[data-figure="complaints_overdue"] .value')).to_have_text("1")
    expect(page.locator("#chart-deposits svg.chart")).to_be_visible()

    tile.click()
    expect(page).to_have_url(re.compile(r"/laporan/titipan/\?saluran=loket"))
    expect(page.locator('[data-total="counter"]')).to_have_text("Rp75.000")
    expect(page.locator("#counter-deposits tbody tr")).to_have_count(2)
    expect(page.locator("#bank-deposits")).to_have_count(0)

    page.go_back()
    # a column of the deposits chart: that day's records, both channels
    page.locator('#chart-deposits a[href*="dari=2026-03-10"]').first.click()
    expect(page.locator('[data-total="counter"]')).to_have_text("Rp75.000")
    expect(page.locator('[data-total="bank"]')).to_have_text("Rp40.000")

    page.go_back()
    page.locator("#complaints-by-category").get_by_role("link", name="Makanan").click()
    expect(page.locator("#queue-category")).to_contain_text("Makanan")
    expect(page.get_by_test_id("queue").locator("tbody tr")).to_have_count(2)


def test_regional_view_side_by_side_and_through_to_the_other_site(  # type: ignore[no-untyped-def]
    page, live_server, login, staff, site, world
):
    second = SiteFactory(code="KDS", name="Lapas Kudus")
    kanwil = staff("head", username="kanwil-browser")
    Membership.objects.create(user=kanwil, site=second, role=Role.AUDITOR)
    login(page, kanwil)
    page.goto(f"{live_server.url}/laporan/")
    page.locator("#to-regional").click()
    table = page.locator("#regional-table")
    expect(table.locator("thead th[data-site]")).to_have_count(2)
    row = table.locator('tr[data-figure="deposits_counter_month"]')
    names = [s.name for s in sorted([site, second], key=lambda s: s.name)]
    ours = names.index(site.name)
    expect(row.locator("td").nth(ours)).to_contain_text("Rp85.000")
    expect(row.locator("td").nth(1 - ours)).to_contain_text("Rp0")

    row.locator("td").nth(1 - ours).get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/laporan/titipan/\?saluran=loket"))
    expect(page.locator("#site-switch")).to_have_value(str(second.pk))
    expect(page.locator("#counter-deposits")).to_contain_text("Tidak ada titipan di loket")
