"""Browser: the daily closing page for a day with activity — reached from the menu, the trial
balance is zero, the figures are the day's, the audit chain's last hash is printed in full."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pandai.core.audit import audit_last_hash_before, audit_seal_pending
from pandai.core.calendar import site_day_bounds, site_today
from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import bank, services
from pandai.wallet.tests.office_helpers import counter_deposit, new_ref, open_shift
from pandai.wallet.virtual_accounts import virtual_account_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def busy_site(site, staff):
    officer = staff("counter_officer", username="loket-browser")
    inmate = InmateFactory(site=site, full_name="Slamet Riyadi")
    shift = open_shift(site=site, officer=officer)
    counter_deposit(shift=shift, inmate=inmate, amount_rp=250_000)
    bank.bank_credit_receive(
        callback=bank.BankCallback(new_ref(), virtual_account_for(inmate=inmate).number, 100_000)
    )
    services.purchase(inmate=inmate, amount_rp=35_000, idempotency_key="sale:b1", actor=None)
    services.premi_credit(inmate=inmate, amount_rp=50_000, idempotency_key="premi:b1", actor=None)
    return site


def test_the_daily_closing_shows_a_zero_trial_balance_and_the_last_hash(
    page, live_server, login, staff, busy_site
):
    auditor = staff("auditor", username="auditor-browser")
    login(page, auditor)
    page.get_by_role("link", name="Keuangan").click()
    expect(page.locator("h1")).to_contain_text("Penutupan harian")

    expect(page.get_by_test_id("trial-balance-difference")).to_have_text("Rp0")
    expect(page.get_by_test_id("deposits-counter")).to_have_text("Rp250.000")
    expect(page.get_by_test_id("deposits-bank")).to_have_text("Rp100.000")
    expect(page.get_by_test_id("purchases")).to_have_text("Rp35.000")
    expect(page.get_by_test_id("premi")).to_have_text("Rp50.000")
    expect(page.get_by_test_id("inmates-total")).to_have_text("Rp365.000")
    expect(page.get_by_test_id("shifts")).to_contain_text("LOKET-1")

    audit_seal_pending()
    _start, end = site_day_bounds(busy_site, site_today(busy_site, timezone.now()))
    _seq, last_hash = audit_last_hash_before(end)
    hash_text = page.get_by_test_id("audit-hash")
    expect(hash_text).to_have_text(last_hash)
    assert len(hash_text.inner_text().strip()) == 64

    href = page.locator("#closing-pdf").get_attribute("href") or ""
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"

    # The previous day: no activity, still balanced.
    page.get_by_role("link", name="Hari sebelumnya").click()
    expect(page.get_by_test_id("trial-balance-difference")).to_have_text("Rp0")
    expect(page.get_by_test_id("deposits-total")).to_have_text("Rp0")
