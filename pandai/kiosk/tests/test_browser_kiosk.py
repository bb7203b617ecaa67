"""Browser (Chromium): the kiosk at 1080x1920 (portrait) and 1366x768 (landscape) — pair the
screen, tap the card (the reader types UID + Enter), PIN on the pad, saldo, an anonymous
complaint with its tracking number, sign-out that leaves nothing (the back button shows the
card screen), and the idle timer's countdown and sign-out.

Screenshots of each screen are saved under test-artifacts/kiosk/ so people can see the kiosk
without a kiosk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from pandai.browser_conftest import TIMEOUT_MS, warm_up
from pandai.complaints.models import Complaint, Identity
from pandai.core import services as core_services
from pandai.inmates.tests.factories import InmateFactory
from pandai.shop.tests.factories import card_with_pin, fund

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "kiosk"
UID = "04A1B2C3D4E5F6"
PIN = "246810"
PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1366, "height": 768}


def _kiosk_page(browser: Any, page_problems: Any, viewport: dict[str, int]) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport, locale="id-ID", has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    tab.on("console", page_problems.on_console)
    tab.on("pageerror", page_problems.on_page_error)
    try:
        yield tab
    finally:
        context.close()
    problems = page_problems.unexpected()
    if problems:
        pytest.fail("The page had JavaScript errors:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def portrait(browser: Any, page_problems: Any) -> Iterator[Page]:
    yield from _kiosk_page(browser, page_problems, PORTRAIT)


@pytest.fixture
def landscape(browser: Any, page_problems: Any) -> Iterator[Page]:
    yield from _kiosk_page(browser, page_problems, LANDSCAPE)


@pytest.fixture
def world(site: Any, staff: Any) -> dict[str, Any]:
    admin = staff("admin", username="kiosk-admin")
    _device, token = core_services.device_register(
        site=site, kind="kiosk", name="Kios Blok A", actor=admin
    )
    inmate = InmateFactory(site=site, full_name="Budi Santoso")
    card_with_pin(inmate, UID, PIN, admin)
    fund(inmate, 125_000)
    return {"token": token, "inmate": inmate}


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def pair(page: Page, base: str, token: str) -> None:
    # The live server's first request compiles everything: paid outside the page's timeout.
    warm_up(base)
    page.goto(f"{base}/kios/pasang/")
    page.get_by_label("Token kios").fill(token)
    page.get_by_role("button", name="Pasang").click()
    expect(page.locator("#k-say")).to_contain_text("Tempelkan Kartu Pandai")


def tap_and_pin(page: Page, pin: str = PIN) -> None:
    # The reader is a keyboard: it types into whatever has the focus, then Enter.
    page.keyboard.type(UID)
    page.keyboard.press("Enter")
    expect(page.locator("#k-say")).to_contain_text("Halo, Budi")
    for digit in pin:
        page.locator(f'.k-pad [data-key="{digit}"]').click()
    page.locator(".k-key-ok").click()
    expect(page.locator("#k-say")).to_contain_text("Selamat datang, Budi")


def test_kiosk_portrait_sign_in_saldo_complaint_sign_out(  # type: ignore[no-untyped-def]
    portrait, live_server, world
):
    page = portrait
    pair(page, live_server.url, world["token"])
    shot(page, "01-tempel-kartu-portrait")
    page.keyboard.type(UID)
    page.keyboard.press("Enter")
    page.locator('.k-pad [data-key="1"]').click()
    expect(page.locator("#id_pin")).to_have_value("1")
    page.locator('.k-pad [data-key="del"]').click()
    expect(page.locator("#id_pin")).to_have_value("")
    shot(page, "02-pin-portrait")
    for digit in PIN:
        page.locator(f'.k-pad [data-key="{digit}"]').click()
    page.locator(".k-key-ok").click()
    expect(page.locator("#k-say")).to_contain_text("Selamat datang, Budi")
    shot(page, "03-menu-portrait")

    page.get_by_role("link", name="Saldo").click()
    expect(page.locator('[data-figure="available"]')).to_have_text("Rp125.000")
    expect(page.locator(".k-movements")).to_contain_text("Titipan tunai di loket")
    shot(page, "04-saldo-portrait")

    page.get_by_role("link", name="Menu").click()
    page.get_by_role("link", name="Pengaduan").click()
    page.get_by_role("link", name="Tulis baru").click()
    page.locator(".k-choice", has_text="Laporan pungli").click()
    page.locator(".k-choice", has_text="Makanan").click()
    page.locator(".k-choice", has_text="Anonim").click()
    page.locator("#id_text").click()
    keyboard = page.locator('[data-osk-for="id_text"]')
    expect(keyboard).to_be_visible()
    for key in "NASI BASI":
        keyboard.get_by_role("button", name="␣" if key == " " else key, exact=True).click()
    expect(page.locator("#id_text")).to_have_value("Nasi basi")
    shot(page, "05-pengaduan-baru-portrait")
    page.get_by_role("button", name="Kirim", exact=True).click()
    c = Complaint.objects.get()
    expect(page.locator("[data-tracking-number]")).to_have_text(c.number)
    assert c.identity == Identity.ANONYMOUS and c.inmate_id is None
    assert c.text == "Nasi basi"
    shot(page, "06-pengaduan-terkirim-portrait")

    page.get_by_role("button", name="Keluar").click()
    expect(page.locator("#k-say")).to_contain_text("Tempelkan Kartu Pandai")
    assert "?" not in page.url
    page.go_back()
    expect(page.locator("#k-say")).to_contain_text("Tempelkan Kartu Pandai")
    body = page.locator("body").inner_text()
    assert c.number not in body and "Budi" not in body and "125.000" not in body


def test_kiosk_landscape_idle_countdown_signs_out(  # type: ignore[no-untyped-def]
    landscape, live_server, world, settings
):
    settings.PANDAI_KIOSK_IDLE_SECONDS = 12
    page = landscape
    pair(page, live_server.url, world["token"])
    shot(page, "11-tempel-kartu-landscape")
    tap_and_pin(page)
    shot(page, "12-menu-landscape")
    page.get_by_role("link", name="Saldo").click()
    expect(page.locator('[data-figure="available"]')).to_have_text("Rp125.000")
    shot(page, "13-saldo-landscape")
    page.get_by_role("link", name="Menu").click()
    page.get_by_role("link", name="Belanja").click()
    shot(page, "14-belanja-landscape")
    page.get_by_role("link", name="Menu").click()
    page.get_by_role("link", name="Papan jawaban").click()
    shot(page, "15-papan-landscape")
    page.get_by_role("link", name="Kembali").click()
    # No touch: the countdown shows, then the card screen replaces the page.
    countdown = page.locator("#k-countdown")
    expect(countdown).to_be_visible(timeout=12_000)
    shot(page, "16-hitung-mundur-landscape")
    expect(page.locator("#k-say")).to_contain_text("Tempelkan Kartu Pandai", timeout=12_000)
    # Back through the history: the public board (open to anyone), then the pages of the
    # signed-in person, which the server now answers with the card screen.
    for _ in range(3):
        page.go_back()
        body = page.locator("body").inner_text()
        assert "Budi" not in body and "125.000" not in body
        expect(page.locator("#k-signout")).to_have_count(0)
    expect(page.locator("#k-say")).to_contain_text("Tempelkan Kartu Pandai")
