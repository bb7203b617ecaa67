"""Card issue and replacement, UID reuse in any form, card status; PIN rules and lockout."""

import datetime as dt

import pytest
from django.utils import timezone

from pandai.core.audit import audit_seal_pending, audit_verify
from pandai.core.models import AuditEvent
from pandai.inmates import services
from pandai.inmates.models import Card, CardStatus, InmateStatus, Pin
from pandai.inmates.tests.factories import InmateFactory

pytestmark = pytest.mark.django_db

UID = "04A1B2C3"  # decimal reading of this (big-endian) is 77705923
UID_REVERSED = "C3B2A104"
UID_DECIMAL = "0077705923"
UID_DECIMAL_REVERSED = str(0xC3B2A104)  # readers that read the bytes little-endian


def test_decimal_constants_are_what_readers_type():
    assert int(UID_DECIMAL) == 0x04A1B2C3
    assert len(UID_DECIMAL_REVERSED) == 10


def card_rows():
    return sorted(Card.objects.values_list("uid", "status", "inmate_id"))


def test_issue_first_card(inmate, staff):
    officer = staff("counter_officer")
    card = services.card_issue(inmate=inmate, raw_uid="04:a1:b2:c3", actor=officer)
    assert (card.uid, card.uid32, card.status) == (UID, UID, CardStatus.ACTIVE)
    assert card.site == inmate.site and card.issued_by == officer
    audit = AuditEvent.objects.get(action="card.issue")
    assert audit.data["uid"] == UID and audit.data["replaces"] == []


def test_replacement_blocks_the_old_card(inmate, staff):
    officer = staff("counter_officer")
    old = services.card_issue(inmate=inmate, raw_uid=UID, actor=officer)
    new = services.card_issue(inmate=inmate, raw_uid="0499887766", actor=officer, reason="rusak")
    old.refresh_from_db()
    assert old.status == CardStatus.BLOCKED and old.status_reason == "rusak"
    assert old.retired_at is not None
    assert new.status == CardStatus.ACTIVE
    assert Card.objects.filter(inmate=inmate, status=CardStatus.ACTIVE).get() == new
    assert AuditEvent.objects.filter(action="card.issue").last().data["replaces"] == [UID]


@pytest.mark.parametrize(
    "typed",
    [UID, "04a1b2c3", "04:A1:B2:C3", UID_REVERSED, UID_DECIMAL, "77705923", UID_DECIMAL_REVERSED],
)
@pytest.mark.parametrize("same_inmate", [True, False])
def test_a_uid_in_any_form_can_never_be_issued_again(site, staff, typed, same_inmate):
    officer = staff("counter_officer")
    holder = InmateFactory(site=site)
    services.card_issue(inmate=holder, raw_uid=UID, actor=officer)
    target = holder if same_inmate else InmateFactory(site=site)
    before = card_rows()
    with pytest.raises(services.InmateError, match="sudah pernah dipakai"):
        services.card_issue(inmate=target, raw_uid=typed, actor=officer)
    assert card_rows() == before


def test_a_retired_card_is_never_reused_even_at_another_site(site, other_site, staff):
    holder = InmateFactory(site=site)
    services.card_issue(inmate=holder, raw_uid=UID, actor=staff("counter_officer"))
    services.inmate_release(inmate=holder, date=dt.date(2024, 9, 1), actor=None)
    elsewhere = InmateFactory(site=other_site)
    with pytest.raises(services.InmateError, match="sudah pernah dipakai"):
        services.card_issue(
            inmate=elsewhere, raw_uid=UID, actor=staff("counter_officer", at=other_site)
        )


def test_seven_byte_uid_and_its_truncation_are_the_same_card(site, staff):
    officer = staff("counter_officer")
    services.card_issue(inmate=InmateFactory(site=site), raw_uid="04A1B2C3D4E5F6", actor=officer)
    other = InmateFactory(site=site)
    with pytest.raises(services.InmateError):
        services.card_issue(inmate=other, raw_uid=UID, actor=officer)
    card = services.card_find(site=site, raw=UID_DECIMAL)  # a reader that truncates to 32 bits
    assert card is not None and card.uid == "04A1B2C3D4E5F6"


def test_a_seven_byte_card_whose_prefix_was_issued_is_refused(site, staff):
    officer = staff("counter_officer")
    services.card_issue(inmate=InmateFactory(site=site), raw_uid=UID, actor=officer)
    with pytest.raises(services.InmateError):
        services.card_issue(
            inmate=InmateFactory(site=site), raw_uid="04A1B2C3D4E5F6", actor=officer
        )


@pytest.mark.parametrize("typed", ["", "hello", "12345", "04A1B2C", "ZZ:ZZ:ZZ:ZZ"])
def test_unreadable_uid_is_refused(inmate, staff, typed):
    with pytest.raises(services.InmateError, match="tidak dikenali"):
        services.card_issue(inmate=inmate, raw_uid=typed, actor=staff("counter_officer"))
    assert not Card.objects.exists()


def test_no_card_for_an_inactive_inmate(inmate, staff):
    services.inmate_release(inmate=inmate, date=dt.date(2024, 9, 1), actor=None)
    with pytest.raises(services.InmateError, match="tidak aktif"):
        services.card_issue(inmate=inmate, raw_uid=UID, actor=staff("counter_officer"))
    assert not Card.objects.exists()


@pytest.mark.parametrize("typed", [UID, UID_REVERSED, UID_DECIMAL, UID_DECIMAL_REVERSED])
def test_card_find_recognises_every_form(inmate, staff, typed):
    services.card_issue(inmate=inmate, raw_uid=UID, actor=staff("counter_officer"))
    assert services.card_find(site=inmate.site, raw=typed).inmate == inmate


def test_card_find_is_scoped_to_the_site(inmate, other_site, staff):
    services.card_issue(inmate=inmate, raw_uid=UID, actor=staff("counter_officer"))
    assert services.card_find(site=other_site, raw=UID) is None


def test_block_lost_and_reactivate(inmate, staff):
    officer = staff("counter_officer")
    card = services.card_issue(inmate=inmate, raw_uid=UID, actor=officer)
    services.card_set_status(card=card, status="lost", reason="hilang di blok", actor=officer)
    card.refresh_from_db()
    assert card.status == CardStatus.LOST and card.retired_at is not None
    services.card_set_status(card=card, status="active", reason="ditemukan", actor=officer)
    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE and card.retired_at is None
    assert [e.data["to"] for e in AuditEvent.objects.filter(action="card.status")] == [
        "lost",
        "active",
    ]


def test_status_change_needs_a_reason(inmate, staff):
    card = services.card_issue(inmate=inmate, raw_uid=UID, actor=staff("counter_officer"))
    with pytest.raises(services.InmateError, match="Alasan"):
        services.card_set_status(card=card, status="blocked", reason="  ", actor=None)
    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE


def test_old_card_cannot_be_reactivated_while_a_replacement_is_active(inmate, staff):
    officer = staff("counter_officer")
    old = services.card_issue(inmate=inmate, raw_uid=UID, actor=officer)
    services.card_issue(inmate=inmate, raw_uid="0499887766", actor=officer)
    with pytest.raises(services.InmateError, match="kartu aktif lain"):
        services.card_set_status(card=old, status="active", reason="salah", actor=officer)
    old.refresh_from_db()
    assert old.status == CardStatus.BLOCKED


@pytest.mark.parametrize("status", ["retired", "bogus"])
def test_retired_is_not_settable_by_hand(inmate, staff, status):
    card = services.card_issue(inmate=inmate, raw_uid=UID, actor=staff("counter_officer"))
    with pytest.raises(services.InmateError):
        services.card_set_status(card=card, status=status, reason="x", actor=None)


def test_retired_card_stays_retired(inmate, staff):
    card = services.card_issue(inmate=inmate, raw_uid=UID, actor=staff("counter_officer"))
    services.inmate_release(inmate=inmate, date=dt.date(2024, 9, 1), actor=None)
    card.refresh_from_db()
    with pytest.raises(services.InmateError, match="ditarik"):
        services.card_set_status(card=card, status="active", reason="x", actor=None)


# --- PINs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pin", "message"),
    [
        ("000000", "angka yang sama"),
        ("777777", "angka yang sama"),
        ("123456", "berurutan"),
        ("654321", "berurutan"),
        ("121212", "pola berulang"),
        ("123123", "pola berulang"),
        ("170590", "tanggal lahir"),  # ddmmyy, born 17-05-1990
        ("900517", "tanggal lahir"),  # yymmdd
        ("051790", "tanggal lahir"),  # mmddyy
        ("12345", "6 angka"),
        ("1234567", "6 angka"),
        ("12a456", "6 angka"),
    ],
)
def test_trivial_pins_are_refused_with_the_reason(inmate, pin, message):
    assert inmate.birth_date == dt.date(1990, 5, 17)
    with pytest.raises(services.InmateError, match=message):
        services.pin_set(inmate=inmate, pin=pin, actor=None)
    assert not Pin.objects.exists()


def test_trivial_pin_on_reset_keeps_the_old_pin(inmate, staff):
    services.pin_set(inmate=inmate, pin="482915", actor=None)
    with pytest.raises(services.InmateError):
        services.pin_set(inmate=inmate, pin="111111", actor=staff("head"), is_reset=True)
    assert services.pin_verify(inmate=inmate, pin="482915").ok


def test_pin_is_stored_hashed(inmate):
    services.pin_set(inmate=inmate, pin="482915", actor=None)
    stored = Pin.objects.get(inmate=inmate).pin_hash
    assert "482915" not in stored and stored.startswith("hmac-sha256$")


def test_three_wrong_tries_lock_for_fifteen_minutes_with_audit(inmate, staff, settings):
    assert settings.PANDAI_PIN_MAX_TRIES == 3 and settings.PANDAI_PIN_LOCK_MINUTES == 15
    services.pin_set(inmate=inmate, pin="482915", actor=None)
    first = services.pin_verify(inmate=inmate, pin="000001", terminal="POS-1")
    second = services.pin_verify(inmate=inmate, pin="000002", terminal="POS-1")
    assert (first.ok, first.tries_left, second.tries_left) == (False, 2, 1)
    start = timezone.now()
    third = services.pin_verify(inmate=inmate, pin="000003", terminal="POS-1")
    assert not third.ok and third.locked_until is not None
    lock = third.locked_until - start
    assert dt.timedelta(minutes=14, seconds=59) < lock <= dt.timedelta(minutes=15, seconds=5)
    # While locked even the right PIN is refused.
    assert not services.pin_verify(inmate=inmate, pin="482915").ok
    actions = list(
        AuditEvent.objects.filter(object_id=str(inmate.pk), action__startswith="pin.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["pin.set", "pin.wrong", "pin.wrong", "pin.locked"]
    audit_seal_pending()
    assert audit_verify().ok


def test_lock_ends_after_the_lock_time(inmate):
    services.pin_set(inmate=inmate, pin="482915", actor=None)
    for wrong in ("000001", "000002", "000003"):
        services.pin_verify(inmate=inmate, pin=wrong)
    Pin.objects.filter(inmate=inmate).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert services.pin_verify(inmate=inmate, pin="482915").ok


def test_reset_unlocks_a_locked_pin(inmate, staff):
    services.pin_set(inmate=inmate, pin="482915", actor=None)
    for wrong in ("000001", "000002", "000003"):
        services.pin_verify(inmate=inmate, pin=wrong)
    assert not services.pin_verify(inmate=inmate, pin="482915").ok
    services.pin_set(inmate=inmate, pin="739164", actor=staff("counter_officer"), is_reset=True)
    assert services.pin_verify(inmate=inmate, pin="739164").ok
    reset = AuditEvent.objects.get(action="pin.reset")
    assert reset.data == {"unlocked": True}


def test_right_pin_resets_the_wrong_try_count(inmate):
    services.pin_set(inmate=inmate, pin="482915", actor=None)
    services.pin_verify(inmate=inmate, pin="000001")
    services.pin_verify(inmate=inmate, pin="000002")
    assert Pin.objects.get(inmate=inmate).failed_tries == 2
    assert services.pin_verify(inmate=inmate, pin="482915").ok
    assert Pin.objects.get(inmate=inmate).failed_tries == 0
    # Two more wrong tries do not lock: the count started again.
    services.pin_verify(inmate=inmate, pin="000001")
    check = services.pin_verify(inmate=inmate, pin="000002")
    assert not check.ok and check.locked_until is None and check.tries_left == 1


def test_no_pin_yet(inmate):
    check = services.pin_verify(inmate=inmate, pin="482915")
    assert not check.ok and "belum dibuat" in check.message


def test_no_pin_reset_for_a_released_inmate(inmate):
    services.inmate_release(inmate=inmate, date=dt.date(2024, 9, 1), actor=None)
    inmate.refresh_from_db()
    assert inmate.status == InmateStatus.RELEASED
    with pytest.raises(services.InmateError):
        services.pin_set(inmate=inmate, pin="482915", actor=None, is_reset=True)
