"""Browser: the card desk (a replacement card tapped on the reader) and the PIN reset pad."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pandai.core.models import AuditEvent
from pandai.inmates import services
from pandai.inmates.models import Card, CardStatus, Pin
from pandai.inmates.tests.factories import InmateFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

OLD_UID = "04A1B2C3D4E5F6"
NEW_UID = "04C0FFEE123456"
OTHERS_UID = "0455AA66BB77CC"
OLD_PIN = "246810"
NEW_PIN = "395172"


def tap_card(page: Page, selector: str, uid: str) -> None:
    """A keyboard-wedge reader: the UID typed fast into the focused field, then Enter."""
    page.locator(selector).focus()
    page.keyboard.type(uid, delay=15)
    page.keyboard.press("Enter")


def press_pin(page: Page, field: str, keys: str | list[str]) -> None:
    """Tap the on-screen pad of `field` (pin1 / pin2) key by key, as the inmate does; a key is
    a digit, "back" or "clear"."""
    pad = page.locator(f"[data-pin-target={field}]")
    for key in keys:
        pad.locator(f"[data-pin-key='{key}']").click()


@pytest.fixture
def officer(staff):
    return staff("counter_officer")


@pytest.fixture
def holder(site, officer):
    inmate = InmateFactory(site=site, full_name="Slamet Riyadi", reg_no="AI.123/2024")
    services.card_issue(inmate=inmate, raw_uid=OLD_UID, actor=officer)
    services.pin_set(inmate=inmate, pin=OLD_PIN, actor=officer)
    return inmate


def test_a_replacement_card_tapped_at_the_desk_blocks_the_old_one(
    page, live_server, login, officer, holder
):
    login(page, officer)
    tap_card(page, "#global-find", OLD_UID)
    expect(page.get_by_test_id("inmate-name")).to_have_text("Slamet Riyadi")

    page.locator("#action-card").click()
    expect(page.get_by_test_id("replace-warning")).to_contain_text(OLD_UID)
    page.get_by_label(re.compile("Alasan penggantian")).fill("Kartu patah")
    tap_card(page, "#card-uid", NEW_UID)

    expect(page).to_have_url(re.compile(rf"/wbp/{holder.pk}/kartu/$"))
    expect(page.locator(".msg-success")).to_contain_text(NEW_UID)
    expect(page.get_by_test_id(f"card-status-{NEW_UID}")).to_have_text("Aktif")
    expect(page.get_by_test_id(f"card-status-{OLD_UID}")).to_have_text("Diblokir")
    cards = dict(Card.objects.filter(inmate=holder).values_list("uid", "status"))
    assert cards == {OLD_UID: CardStatus.BLOCKED, NEW_UID: CardStatus.ACTIVE}
    assert Card.objects.get(uid=OLD_UID).status_reason == "Kartu patah"
    assert AuditEvent.objects.filter(action="card.issue", data__uid=NEW_UID).count() == 1

    # The new card now finds the holder from the header search.
    tap_card(page, "#global-find", NEW_UID)
    expect(page).to_have_url(re.compile(rf"/wbp/{holder.pk}/$"))


def test_a_card_of_another_inmate_is_refused_and_nothing_changes(
    page, live_server, login, officer, holder, site
):
    other = InmateFactory(site=site, full_name="Budi Santoso")
    services.card_issue(inmate=other, raw_uid=OTHERS_UID, actor=officer)
    before = sorted(Card.objects.values_list("uid", "inmate_id", "status"))
    login(page, officer)
    page.goto(f"{live_server.url}/wbp/{holder.pk}/kartu/")

    tap_card(page, "#card-uid", OTHERS_UID)

    expect(page.locator("form[data-testid=card-issue-form]")).to_contain_text(
        "Kartu ini sudah pernah dipakai"
    )
    expect(page.get_by_test_id(f"card-status-{OLD_UID}")).to_have_text("Aktif")
    assert sorted(Card.objects.values_list("uid", "inmate_id", "status")) == before


def test_a_pin_reset_on_the_pad_sets_the_new_pin_and_lifts_the_lock(
    page, live_server, login, officer, holder
):
    for _ in range(3):
        services.pin_verify(inmate=holder, pin="000001")
    assert services.pin_verify(inmate=holder, pin=OLD_PIN).locked_until is not None
    login(page, officer)
    page.goto(f"{live_server.url}/wbp/{holder.pk}/")
    expect(page.get_by_test_id("pin-locked")).to_be_visible()

    page.locator("#action-pin").click()
    expect(page.get_by_test_id("pin-locked")).to_be_visible()
    # A slip of the finger on the fifth digit, taken back with the back key.
    press_pin(page, "pin1", [*NEW_PIN[:5], "9", "back", NEW_PIN[5]])
    press_pin(page, "pin2", NEW_PIN)
    expect(page.locator("#pin1")).to_have_value(NEW_PIN)
    expect(page.locator("#pin2")).to_have_value(NEW_PIN)
    expect(page.locator(".pin-dots").first).to_have_text("●" * 6)
    page.locator("#pin-submit").click()

    expect(page).to_have_url(re.compile(rf"/wbp/{holder.pk}/$"))
    expect(page.locator(".msg-success")).to_contain_text("PIN Slamet Riyadi sudah diganti")
    expect(page.get_by_test_id("pin-locked")).to_have_count(0)
    assert services.pin_verify(inmate=holder, pin=NEW_PIN).ok
    assert not services.pin_verify(inmate=holder, pin=OLD_PIN).ok
    assert AuditEvent.objects.filter(action="pin.reset", object_id=str(holder.pk)).count() == 1


def test_a_trivial_pin_is_refused_on_the_pad_and_the_old_pin_stays(
    page, live_server, login, officer, holder
):
    stored = Pin.objects.get(inmate=holder).pin_hash
    login(page, officer)
    page.goto(f"{live_server.url}/wbp/{holder.pk}/pin/")

    press_pin(page, "pin1", "123456")
    press_pin(page, "pin2", "123456")
    page.locator("#pin-submit").click()

    expect(page.get_by_test_id("pin-error")).to_contain_text("berurutan")
    expect(page).to_have_url(re.compile(rf"/wbp/{holder.pk}/pin/$"))
    assert Pin.objects.get(inmate=holder).pin_hash == stored
    assert services.pin_verify(inmate=holder, pin=OLD_PIN).ok
