"""Attendance at the door: each refusal is clear and changes nothing; counts per block."""

from __future__ import annotations

import pytest

from pandai.inmates import services as inmate_services
from pandai.inmates.models import InmateStatus
from pandai.townhall import selectors, services
from pandai.townhall.errors import TownhallError
from pandai.townhall.models import Attendance
from pandai.townhall.tests.conftest import UIDS
from pandai.townhall.tests.factories import card_holder

pytestmark = pytest.mark.django_db


def refused(session, raw, actor, code):
    before = Attendance.objects.count()
    with pytest.raises(TownhallError) as caught:
        services.attendance_tap(session=session, raw=raw, actor=actor)
    assert caught.value.code == code, caught.value.message
    assert caught.value.message
    assert Attendance.objects.count() == before


def test_taps_count_per_block(session, holders, secretary):
    for uid in UIDS:
        services.attendance_tap(session=session, raw=uid, actor=secretary)
    counts = selectors.door_counts(session=session)
    assert counts.present == 5 and counts.expected == 5
    assert [(name, p) for name, p, _e in counts.by_block] == [("Blok A", 3), ("Blok B", 2)]


def test_decimal_reader_form_is_recognised(session, holders, secretary):
    # Many wedge readers type the first 4 bytes as a 10-digit decimal number.
    decimal = str(int.from_bytes(bytes.fromhex(UIDS[0][:8]), "little")).zfill(10)
    result = services.attendance_tap(session=session, raw=decimal, actor=secretary)
    assert result.inmate == holders[0]


def test_double_tap_is_refused_and_changes_nothing(session, holders, secretary):
    services.attendance_tap(session=session, raw=UIDS[0], actor=secretary)
    refused(session, UIDS[0], secretary, "double_tap")
    assert Attendance.objects.filter(session=session).count() == 1


def test_released_inmate_is_refused(session, holders, secretary):
    holders[1].status = InmateStatus.RELEASED
    holders[1].save(update_fields=["status"])
    refused(session, UIDS[1], secretary, "inmate_inactive")


def test_other_sites_card_is_refused(session, other_site, head, secretary):
    card_holder(site=other_site, actor=head, uid="04999999999999")
    refused(session, "04999999999999", secretary, "other_site")


def test_blocked_card_is_refused(session, holders, secretary, head):
    card = holders[2].cards.get()
    inmate_services.card_set_status(card=card, status="blocked", reason="hilang", actor=head)
    refused(session, UIDS[2], secretary, "card_blocked")


def test_unknown_card_and_garbage_are_refused(session, holders, secretary):
    refused(session, "04000000000000", secretary, "unknown_card")
    refused(session, "<script>", secretary, "unknown_card")


def test_closed_session_takes_no_taps(session, holders, head):
    services.attendance_tap(session=session, raw=UIDS[0], actor=head)
    services.session_open(session=session, actor=head)
    services.session_close(
        session=session, actor=head, minutes="Notulen.", promises=[], no_promises=True
    )
    refused(session, UIDS[1], head, "closed")


def test_blocks_audience_refuses_other_blocks(site, head, holders, secretary):
    from pandai.inmates.models import Block
    from pandai.townhall.tests.factories import make_session

    only_b = make_session(
        site=site, actor=head, audience="blocks", blocks=(Block.objects.get(site=site, code="B"),)
    )
    refused(only_b, UIDS[0], secretary, "not_invited")
    services.attendance_tap(session=only_b, raw=UIDS[4], actor=secretary)
    assert selectors.door_counts(session=only_b).expected == 2


def test_roster_tick(session, holders, secretary):
    services.attendance_tick(session=session, inmate=holders[3], actor=secretary)
    with pytest.raises(TownhallError):
        services.attendance_tick(session=session, inmate=holders[3], actor=secretary)
    rows = selectors.roster(session=session)
    assert sum(1 for _i, a in rows if a is not None) == 1
