"""Browser: finding an inmate by a card tap (a keyboard-wedge reader typing into the search)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pandai.inmates import services
from pandai.inmates.tests.factories import InmateFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SEVEN_BYTE_UID = "04A1B2C3D4E5F6"
FOUR_BYTE_UID = "A1B2C3D4"


def tap_card(page: Page, typed: str) -> None:
    """What a USB keyboard-wedge reader does: type the UID quickly into the focused field, then
    Enter."""
    page.locator("#global-find").focus()
    page.keyboard.type(typed, delay=15)
    page.keyboard.press("Enter")


@pytest.fixture
def officer(staff):
    return staff("counter_officer")


@pytest.fixture
def holders(site, officer):
    """Two card holders at the site, so a tap must pick the right one."""
    slamet = InmateFactory(site=site, full_name="Slamet Riyadi", reg_no="AI.123/2024")
    budi = InmateFactory(site=site, full_name="Budi Santoso", reg_no="BI.45/2023")
    services.card_issue(inmate=slamet, raw_uid=SEVEN_BYTE_UID, actor=officer)
    services.card_issue(inmate=budi, raw_uid=FOUR_BYTE_UID, actor=officer)
    return slamet, budi


def test_a_card_tap_in_the_header_search_opens_the_holder(
    page, live_server, login, officer, holders
):
    slamet, _ = holders
    login(page, officer)

    tap_card(page, SEVEN_BYTE_UID)

    expect(page).to_have_url(re.compile(rf"/wbp/{slamet.pk}/$"))
    expect(page.get_by_test_id("inmate-name")).to_have_text("Slamet Riyadi")
    expect(page.get_by_test_id("inmate-reg")).to_have_text("AI.123/2024")


@pytest.mark.parametrize(
    "typed",
    [
        f"{int(FOUR_BYTE_UID, 16):010d}",  # 2712847316: the UID bytes read as one number
        f"{int('D4C3B2A1', 16):010d}",  # 3569595041: the same bytes in the reader's LSB order
    ],
    ids=["decimal", "decimal-reversed"],
)
def test_the_ten_digit_decimal_form_finds_the_same_holder(
    page, live_server, login, officer, holders, typed
):
    _, budi = holders
    assert len(typed) == 10
    login(page, officer)

    tap_card(page, typed)

    expect(page).to_have_url(re.compile(rf"/wbp/{budi.pk}/$"))
    expect(page.get_by_test_id("inmate-name")).to_have_text("Budi Santoso")


def test_an_unknown_card_opens_no_inmate(page, live_server, login, officer, holders):
    login(page, officer)

    tap_card(page, "04FFEEDDCCBBAA")

    expect(page).to_have_url(re.compile(r"/wbp/\?"))
    expect(page.get_by_test_id("inmate-name")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Slamet Riyadi")
    expect(page.locator("main")).not_to_contain_text("Budi Santoso")
