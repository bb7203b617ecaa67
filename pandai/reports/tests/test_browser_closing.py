"""Browser: the treasurer closes yesterday from the daily closing page; a second close from a
stale tab is refused; money booked afterwards with yesterday's date does not change the closed
day: the page and the re-printed PDF show the figures as they were signed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from pandai.core.audit import audit_seal_pending
from pandai.core.calendar import site_today
from pandai.inmates.tests.factories import InmateFactory
from pandai.reports.models import DayClosing
from pandai.wallet.tests.office_helpers import counter_deposit, open_shift

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_closing_a_day_and_reprinting_it(page, live_server, login, site, staff):
    yesterday_noon = timezone.now() - dt.timedelta(days=1)
    yesterday = site_today(site, yesterday_noon)
    officer = staff("counter_officer", username="loket-tutup-browser")
    inmate = InmateFactory(site=site, full_name="Slamet Riyadi")
    shift = open_shift(site=site, officer=officer, at=yesterday_noon)
    counter_deposit(shift=shift, inmate=inmate, amount_rp=250_000, at=yesterday_noon)
    audit_seal_pending()
    treasurer = staff("official", username="bendahara-browser")
    login(page, treasurer)

    url = f"{live_server.url}/laporan/penutupan/?tanggal={yesterday:%Y-%m-%d}"
    page.goto(url)
    expect(page.get_by_test_id("closing-status")).to_contain_text("BELUM DITUTUP")
    movements = page.get_by_test_id("movements")
    expect(movements).to_contain_text("Rp250.000")
    stale = page.context.new_page()  # a second tab, opened before the day is closed
    stale.goto(url)

    page.locator("#closing-close").click()
    expect(page.locator(".messages")).to_contain_text("ditutup")
    expect(page.get_by_test_id("closing-status")).to_contain_text("DITUTUP")
    closing = DayClosing.objects.get(site=site, day=yesterday)
    expect(page.get_by_test_id("audit-hash")).to_have_text(closing.audit_hash)

    # The stale tab tries to close the same day again: refused, nothing changes.
    stale.locator("#closing-close").click()
    expect(stale.locator(".messages")).to_contain_text("sudah ditutup")
    stale.close()
    assert DayClosing.objects.filter(site=site, day=yesterday).count() == 1

    # Money booked now with yesterday's date (a late entry) moves the ledger's live figures,
    # not the closed day's.
    counter_deposit(shift=shift, inmate=inmate, amount_rp=40_000, at=yesterday_noon)
    page.reload()
    expect(page.get_by_test_id("closing-status")).to_contain_text("DITUTUP")
    expect(page.get_by_test_id("movements")).to_contain_text("Rp250.000")
    expect(page.get_by_test_id("movements")).not_to_contain_text("Rp290.000")
    expect(page.get_by_test_id("inmates-total")).to_have_text("Rp250.000")

    href = page.locator("#closing-pdf").get_attribute("href") or ""
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.body()))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert "Rp250.000" in text and "Rp290.000" not in text and "DITUTUP" in text
    assert closing.audit_hash in "".join(text.split())
