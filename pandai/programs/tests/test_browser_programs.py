"""Browser: a programme officer records a session's attendance (card taps at the room and the
roster) and runs the premi payout for it."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from pandai.core.calendar import site_today
from pandai.programs import services
from pandai.programs.models import Attendance, PayoutRun
from pandai.programs.tests.factories import card_holder, make_programme, session_on
from pandai.wallet import selectors as wallet_selectors

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

UID_SLAMET = "04A1B2C3D4E5F6"
UID_AGUS = "04C0FFEE123456"


def tap_card(page: Page, uid: str) -> None:
    """A keyboard-wedge reader: the UID typed fast into the focused field, then Enter."""
    page.locator("#tap-card").focus()
    page.keyboard.type(uid, delay=15)
    page.keyboard.press("Enter")


@pytest.fixture
def officer(staff):
    return staff("program_officer")


@pytest.fixture
def kitchen(site, officer):
    programme = make_programme(site=site, actor=officer, name="Dapur umum")
    services.rate_set(
        programme=programme,
        basis="session",
        amount_rp=15_000,
        valid_from=site_today(site) - dt.timedelta(days=7),
        actor=officer,
    )
    return programme


def test_officer_records_attendance_and_pays_premi(
    page, live_server, login, site, officer, kitchen
):
    slamet = card_holder(site=site, actor=officer, uid=UID_SLAMET, full_name="Slamet Riyadi")
    agus = card_holder(site=site, actor=officer, uid=UID_AGUS, full_name="Agus Salim")
    ratna = card_holder(site=site, actor=officer, uid="04AB00000000CD", full_name="Ratna Sari")
    for inmate in (slamet, agus, ratna):
        services.enrolment_add(programme=kitchen, inmate=inmate, actor=officer)
    session = session_on(kitchen)

    login(page, officer)
    page.get_by_role("link", name="Pembinaan").click()
    page.get_by_role("link", name="Sesi & kehadiran").click()
    page.get_by_role("link", name="Dapur umum").click()
    expect(page.get_by_test_id("count-expected")).to_have_text("3")

    tap_card(page, UID_SLAMET)
    expect(page.get_by_test_id("tap-result")).to_contain_text("Slamet Riyadi")
    expect(page.get_by_test_id("count-present")).to_have_text("1")
    expect(page.locator("#tap-card")).to_be_focused()
    expect(page.locator(f"select[name=code-{slamet.pk}]")).to_have_value("hadir")

    tap_card(page, UID_SLAMET)  # the same card again
    expect(page.get_by_test_id("tap-result")).to_contain_text("sudah tercatat hadir")
    tap_card(page, "04DEADBEEF0001")
    expect(page.get_by_test_id("tap-result")).to_contain_text("Kartu tidak dikenal")
    tap_card(page, UID_AGUS)
    expect(page.get_by_test_id("count-present")).to_have_text("2")
    assert Attendance.objects.filter(session=session).count() == 2

    # The roster: Ratna is sick today.
    page.locator(f"select[name=code-{ratna.pk}]").select_option("sakit")
    page.locator(f"input[name=note-{ratna.pk}]").fill("Di klinik")
    page.locator("#roster-save").click()
    expect(page.locator(".msg-success")).to_contain_text("Daftar hadir disimpan")
    expect(page.get_by_test_id("count-missing")).to_have_text("0")
    expect(page.get_by_test_id("session-status")).to_have_text("Terlaksana")

    # Premi for today: compute, review, post (and press post again via reload: pays once).
    page.get_by_role("link", name="Dapur umum").first.click()
    page.locator("#payout-new").click()
    today = site_today(site).isoformat()
    page.fill("#id_period_start", today)
    page.fill("#id_period_end", today)
    page.locator("#payout-compute").click()
    expect(page.get_by_test_id("run-total")).to_contain_text("30.000")
    expect(page.get_by_test_id(f"line-{slamet.reg_no}")).to_contain_text("15.000")
    page.locator("#payout-review").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#payout-post").click()
    expect(page.locator(".msg-success")).to_contain_text("Premi dibukukan ke 2 WBP")
    expect(page.get_by_test_id("run-status")).to_have_text("Dibukukan")
    expect(page.get_by_test_id(f"line-{slamet.reg_no}")).to_contain_text("dibayar")

    run = PayoutRun.objects.get()
    assert run.status == "posted" and run.posted_by == officer
    money = wallet_selectors.balances(inmate=slamet)
    assert (money.spendable_rp, money.savings_rp) == (12_000, 3_000)
    assert wallet_selectors.balances(inmate=ratna).spendable_rp == 0
