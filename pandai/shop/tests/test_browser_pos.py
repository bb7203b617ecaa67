"""Browser: a cashier pairs the till and opens a shift, scans three barcodes, the inmate taps
the card and types the PIN on the pad (a wrong one first), the receipt shows the remaining
balance; a return with a manager's approval; the shift's Z-report; no sale without the server."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from pandai.core.tests.factories import STAFF_PASSWORD
from pandai.shop.models import Sale, SaleReturn
from pandai.shop.tests.pos_fixtures import (
    PIN,
    UID,
    admin,
    buyer,
    cashier,
    catalogue,
    manager,
    terminal_and_token,
)
from pandai.wallet import selectors as wallet_selectors

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

__all__ = ["admin", "buyer", "cashier", "catalogue", "manager", "terminal_and_token"]

CODES = ["8998866200011", "8991002101111", "8999999000222"]


@pytest.fixture(autouse=True)
def warm_server(live_server):
    """The live server's first request imports every URL module (a cold start of many seconds
    on a loaded machine), longer than the browser's page timeout: take it outside the browser."""
    urllib.request.urlopen(f"{live_server.url}/masuk/", timeout=120).read()  # noqa: S310 (http)


def wedge(page: Page, selector: str, text: str) -> None:
    """A keyboard-wedge device (scanner, card reader): types fast into the focused field, Enter."""
    page.locator(selector).focus()
    page.keyboard.type(text, delay=10)
    page.keyboard.press("Enter")


def pad(page: Page, digits: str) -> None:
    for d in digits:
        page.locator(f"[data-pin-key='{d}']").click()


def pair_and_open_shift(page: Page, live_server, token: str) -> None:
    page.goto(f"{live_server.url}/koperasi/kasir/")
    page.locator("#go-pair").click()
    page.fill("#id_token", token)
    page.locator("#pair-submit").click()
    page.locator("#shift-open").click()
    expect(page.locator("#scan")).to_be_focused()


def test_a_sale_with_scans_card_and_pin_then_return_and_z_report(
    page, live_server, login, cashier, manager, terminal_and_token, catalogue, buyer
):
    _device, token = terminal_and_token
    login(page, cashier)
    pair_and_open_shift(page, live_server, token)

    # Three barcodes from the scanner, each code + Enter, faster than the answers come back.
    for code in CODES:
        page.keyboard.type(code, delay=5)
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("pos-line")).to_have_count(3)
    expect(page.get_by_test_id("pos-total")).to_have_text("Rp10.000")
    # One more noodle with +, then back to one with −.
    noodle = page.locator(f"[data-testid=pos-line][data-product='{catalogue['mie'].pk}']")
    noodle.get_by_test_id("line-inc").click()
    expect(page.get_by_test_id("pos-total")).to_have_text("Rp13.500")
    page.locator(f"[data-testid=pos-line][data-product='{catalogue['mie'].pk}']").get_by_test_id(
        "line-dec"
    ).click()
    expect(page.get_by_test_id("pos-total")).to_have_text("Rp10.000")

    page.locator("#pos-pay").click()
    expect(page.locator("#pos-card")).to_be_focused()
    wedge(page, "#pos-card", UID)
    expect(page.get_by_test_id("customer-name")).to_have_text("Slamet Riyadi")
    expect(page.get_by_test_id("customer-reg")).to_have_text("AI.123/2024")
    expect(page.get_by_test_id("customer-available")).to_have_text("Rp100.000")

    # A wrong PIN: refused with the tries left, nothing charged, the pad stays.
    pad(page, "111111")
    page.locator("#pos-confirm").click()
    expect(page.get_by_test_id("pos-refusal")).to_contain_text("PIN salah")
    expect(page.get_by_test_id("pos-refusal")).to_contain_text("Sisa percobaan: 2")
    assert Sale.objects.count() == 0
    # The right PIN, typed on the keyboard this time.
    expect(page.locator("#pos-pin")).to_be_focused()
    page.keyboard.type(PIN)
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("receipt")).to_be_visible()
    expect(page.get_by_test_id("receipt-total")).to_have_text("Rp10.000")
    expect(page.get_by_test_id("receipt-balance")).to_have_text("Rp90.000")
    expect(page.get_by_test_id("receipt-inmate")).to_have_text("Slamet Riyadi")
    expect(page.get_by_test_id("receipt-line")).to_have_count(3)
    sale = Sale.objects.get()
    expect(page.get_by_test_id("receipt-no")).to_have_text(sale.number)
    assert wallet_selectors.balances(inmate=buyer).available_rp == 90_000
    receipt = page.get_by_test_id("receipt")
    assert receipt.bounding_box()["width"] == pytest.approx(80 * 96 / 25.4, abs=1)
    page.locator("#receipt-58").click()
    assert page.get_by_test_id("receipt").bounding_box()["width"] == pytest.approx(
        58 * 96 / 25.4, abs=1
    )

    # A return of the soap with the manager's approval typed on this screen.
    page.locator("#sale-return").click()
    soap = sale.lines.get(name="Sabun mandi")
    page.fill(f"#id_line_{soap.pk}", "1")
    page.fill("#id_reason", "Kemasan bocor")
    page.fill("#id_approver", manager.username)
    page.fill("#id_secret", STAFF_PASSWORD)
    page.locator("#return-submit").click()
    expect(page.get_by_test_id("return-total")).to_have_text("Rp4.500")
    expect(page.get_by_test_id("return-balance")).to_have_text("Rp94.500")
    expect(page.get_by_test_id("return-approver")).to_have_text(manager.display_name)
    assert SaleReturn.objects.count() == 1

    # Close the shift: the Z-report agrees with the ledger.
    page.goto(f"{live_server.url}/koperasi/shift/")
    page.locator("[data-testid=shift-list] a").first.click()
    page.locator("#shift-close").click()
    page.locator("#shift-close-confirm").click()
    expect(page.get_by_test_id("zreport")).to_be_visible()
    expect(page.get_by_test_id("z-sales")).to_have_text("Rp10.000")
    expect(page.get_by_test_id("z-returns")).to_have_text("Rp4.500")
    expect(page.get_by_test_id("z-net")).to_have_text("Rp5.500")
    expect(page.get_by_test_id("z-ledger")).to_have_text("Rp5.500")
    expect(page.get_by_test_id("z-verdict")).to_have_text("Cocok dengan buku besar")
    expect(page.get_by_test_id("z-receipts")).to_have_text("1")


def test_no_sale_when_the_server_cannot_be_reached(
    page, live_server, login, cashier, terminal_and_token, catalogue, buyer, page_problems
):
    _device, token = terminal_and_token
    login(page, cashier)
    pair_and_open_shift(page, live_server, token)
    wedge(page, "#scan", CODES[0])
    expect(page.get_by_test_id("pos-total")).to_have_text("Rp3.500")
    page.locator("#pos-pay").click()
    wedge(page, "#pos-card", UID)
    expect(page.get_by_test_id("customer-name")).to_have_text("Slamet Riyadi")
    pad(page, PIN)
    # The network goes away before "pay".
    page_problems.allow(r"Failed to load resource|ERR_FAILED|net::")
    page.route(re.compile(r".*/koperasi/kasir/selesai/.*"), lambda route: route.abort())
    page.locator("#pos-confirm").click()
    expect(page.get_by_test_id("pos-offline")).to_be_visible()
    expect(page.get_by_test_id("pos-offline")).to_contain_text(
        "Server tidak dapat dihubungi — transaksi tidak diproses"
    )
    assert Sale.objects.count() == 0
    assert wallet_selectors.balances(inmate=buyer).available_rp == 100_000
    # Back online: the same form (same key) goes through once.
    page.unroute(re.compile(r".*/koperasi/kasir/selesai/.*"))
    page.locator("#pos-confirm").click()
    expect(page.get_by_test_id("receipt-balance")).to_have_text("Rp96.500")
    assert Sale.objects.count() == 1


def test_the_pos_fits_a_1024_touch_screen(
    page, live_server, login, cashier, terminal_and_token, catalogue
):
    _device, token = terminal_and_token
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, cashier)
    pair_and_open_shift(page, live_server, token)
    page.get_by_test_id(f"tile-{catalogue['kopi'].pk}").click()
    expect(page.get_by_test_id("pos-total")).to_have_text("Rp2.000")
    pay = page.locator("#pos-pay").bounding_box()
    assert pay["y"] + pay["height"] <= 768 and pay["x"] + pay["width"] <= 1024
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1024
