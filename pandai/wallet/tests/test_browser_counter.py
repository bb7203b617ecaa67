"""Browser: a family deposit at the counter (card tap, the form, the printed receipt), a
counter shift closed with a cash difference and its reason, and a release payout with the
signed slip."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pandai.inmates import services as inmate_services
from pandai.inmates.models import Card
from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import selectors
from pandai.wallet.models import Account
from pandai.wallet.models_counter import CashDifference, CounterShift, Deposit, Payout

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

UID = "04A1B2C3D4E5F6"


def tap_card(page: Page, selector: str, uid: str) -> None:
    """A keyboard-wedge reader: the UID typed fast into the focused field, then Enter."""
    page.locator(selector).focus()
    page.keyboard.type(uid, delay=15)
    page.keyboard.press("Enter")


@pytest.fixture
def slamet(site, officer):
    inmate = InmateFactory(site=site, full_name="Slamet Riyadi", reg_no="AI.123/2024")
    inmate_services.card_issue(inmate=inmate, raw_uid=UID, actor=officer)
    return inmate


def test_a_counter_deposit_prints_a_receipt_with_the_amount_and_the_new_balance(
    page, live_server, login, officer, counter_shift, slamet, take_deposit
):
    take_deposit(slamet, 20_000)
    login(page, officer)

    page.goto(f"{live_server.url}/kartu/loket/")
    page.locator("#action-new-deposit").click()
    tap_card(page, "#id_q", UID)
    expect(page.get_by_test_id("inmate-name")).to_have_text("Slamet Riyadi")
    expect(page.get_by_test_id("balance-before")).to_have_text("Rp20.000")
    page.fill("#id_depositor_name", "Siti Aminah")
    page.fill("#id_depositor_nik", "3316014507800002")
    page.select_option("#id_relationship", "ibu")
    page.fill("#id_depositor_phone", "081234567890")
    page.fill("#id_amount", "75.000")
    page.locator("#deposit-submit").click()

    receipt = page.get_by_test_id("receipt")
    expect(receipt).to_be_visible()
    expect(page.get_by_test_id("receipt-amount")).to_have_text("Rp75.000")
    expect(page.get_by_test_id("receipt-balance")).to_have_text("Rp95.000")
    expect(page.get_by_test_id("receipt-inmate")).to_have_text("Slamet Riyadi")
    expect(page.get_by_test_id("receipt-reg")).to_have_text("AI.123/2024")
    expect(page.get_by_test_id("receipt-officer")).to_have_text(officer.display_name)
    deposit = Deposit.objects.latest("pk")
    expect(page.get_by_test_id("receipt-no")).to_have_text(deposit.receipt_no)
    assert selectors.balances(inmate=slamet).available_rp == 95_000
    # The receipt fits an 80 mm roll; the 58 mm variant is one click away.
    assert receipt.bounding_box()["width"] == pytest.approx(80 * 96 / 25.4, abs=1)
    page.locator("#receipt-58").click()
    expect(page).to_have_url(re.compile(r"\?w=58$"))
    assert page.get_by_test_id("receipt").bounding_box()["width"] == pytest.approx(
        58 * 96 / 25.4, abs=1
    )


def test_a_shift_closed_with_a_difference_keeps_the_reason(
    page, live_server, login, officer, counter_shift, slamet, take_deposit
):
    take_deposit(slamet, 50_000)
    login(page, officer)

    page.goto(f"{live_server.url}/kartu/loket/")
    expect(page.get_by_test_id("expected-cash")).to_have_text("Rp250.000")
    page.locator("#action-close-shift").click()
    expect(page.get_by_test_id("expected-cash")).to_have_text("Rp250.000")
    page.fill("#id_counted_cash", "240.000")
    page.locator("#shift-close-submit").click()

    # No reason: refused, the shift stays open, the difference is spelled out.
    expect(page.locator(".errorlist")).to_contain_text("selisih -Rp10.000")
    assert CounterShift.objects.get().is_open
    page.fill("#id_reason", "Kembalian Rp10.000 terbawa penyetor")
    page.locator("#shift-close-submit").click()

    expect(page.get_by_test_id("shift-report")).to_be_visible()
    expect(page.get_by_test_id("report-expected")).to_have_text("Rp250.000")
    expect(page.get_by_test_id("report-counted")).to_have_text("Rp240.000")
    expect(page.get_by_test_id("report-difference")).to_have_text("-Rp10.000")
    expect(page.get_by_test_id("difference-reason")).to_have_text(
        "Kembalian Rp10.000 terbawa penyetor"
    )
    expect(page.get_by_test_id("difference-adjustment")).to_contain_text("Menunggu persetujuan")
    difference = CashDifference.objects.get()
    assert difference.amount_rp == -10_000
    assert difference.adjustment is not None and difference.adjustment.amount_rp == 10_000


def test_a_release_payout_ends_with_the_signed_slip(
    page, live_server, login, officer, counter_shift, slamet, take_deposit
):
    take_deposit(slamet, 60_000)
    login(page, officer)

    page.goto(f"{live_server.url}/wbp/{slamet.pk}/")
    page.locator("#action-wallet").click()
    expect(page.get_by_test_id("balance-total")).to_have_text("Rp60.000")
    page.locator("#action-payout").click()
    expect(page.get_by_test_id("payout-total")).to_have_text("Rp60.000")
    page.locator("#id_method_0").check()  # cash from this shift's drawer
    page.locator("#payout-submit").click()
    expect(page.get_by_test_id("payout-confirm")).to_contain_text("Bayar tunai Rp60.000")
    expect(page.get_by_test_id("payout-confirm")).to_contain_text(UID)
    page.locator("#payout-confirm-submit").click()

    slip = page.get_by_test_id("payout-slip")
    expect(slip).to_be_visible()
    expect(page.get_by_test_id("slip-total")).to_have_text("Rp60.000")
    expect(page.get_by_test_id("slip-inmate")).to_have_text("Slamet Riyadi")
    expect(page.get_by_test_id("slip-signatures")).to_contain_text("Penerima (WBP)")
    expect(page.get_by_test_id("slip-signatures")).to_contain_text(officer.display_name)
    payout = Payout.objects.get()
    expect(page.get_by_test_id("slip-no")).to_have_text(payout.slip_no)
    slamet.refresh_from_db()
    assert slamet.status == "released"
    assert not Card.objects.filter(inmate=slamet, status="active").exists()
    assert set(Account.objects.filter(inmate=slamet).values_list("status", flat=True)) == {"closed"}
