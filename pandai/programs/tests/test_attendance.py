"""Attendance: card taps at the room (each refusal changes nothing), the roster in one form,
cancelled sessions, and the lock once premi was paid."""

from __future__ import annotations

import datetime as dt

import pytest

from pandai.core.calendar import site_today
from pandai.core.models import SiteHoliday
from pandai.inmates import services as inmate_services
from pandai.inmates.tests.factories import InmateFactory
from pandai.programs import selectors, services
from pandai.programs.errors import ProgramError
from pandai.programs.models import Attendance, ProgrammeSession
from pandai.programs.services import RosterRow
from pandai.programs.tests.factories import card_holder, make_programme, session_on

pytestmark = pytest.mark.django_db

UID_A = "04AA000000000A"
UID_B = "04BB000000000B"


@pytest.fixture
def officer(staff):
    return staff("program_officer")


@pytest.fixture
def kitchen(site, officer):
    return make_programme(site=site, actor=officer, capacity=5)


@pytest.fixture
def member(site, officer, kitchen):
    inmate = card_holder(site=site, actor=officer, uid=UID_A)
    services.enrolment_add(programme=kitchen, inmate=inmate, actor=officer)
    return inmate


@pytest.fixture
def today_session(kitchen):
    return session_on(kitchen)


def _state():
    return (
        list(Attendance.objects.order_by("pk").values_list("inmate_id", "code", "pieces")),
        list(ProgrammeSession.objects.order_by("pk").values_list("status", flat=True)),
    )


def test_a_tap_records_present_and_a_second_tap_is_refused(officer, member, today_session):
    result = services.attendance_tap(session=today_session, raw=UID_A, actor=officer)
    assert result.inmate == member and result.attendance.code == "hadir"
    today_session.refresh_from_db()
    assert today_session.status == "held"
    before = _state()
    with pytest.raises(ProgramError) as err:
        services.attendance_tap(session=today_session, raw=UID_A, actor=officer)
    assert err.value.code == "double_tap" and member.full_name in err.value.message
    assert _state() == before


def test_a_decimal_reading_of_the_card_works(site, officer, kitchen, today_session):
    inmate = card_holder(site=site, actor=officer, uid="0A0B0C0D")
    services.enrolment_add(programme=kitchen, inmate=inmate, actor=officer)
    decimal = str(int("0A0B0C0D", 16))
    assert (
        services.attendance_tap(session=today_session, raw=decimal, actor=officer).inmate == inmate
    )


def _refusal_setup(kind, *, site, other_site, officer, kitchen, member, today_session):
    """Prepare one refusal case; returns the typed text and the session to tap at."""
    if kind == "unknown":
        return "04DEADBEEF0001", today_session
    if kind == "garbage":
        return "hello", today_session
    if kind == "blocked":
        card = member.cards.get()
        inmate_services.card_set_status(card=card, status="blocked", reason="Rusak", actor=officer)
        return UID_A, today_session
    if kind == "released":
        member.status = "released"
        member.save(update_fields=["status"])
        return UID_A, today_session
    if kind == "other_site":
        card_holder(site=other_site, actor=officer, uid=UID_B)
        return UID_B, today_session
    if kind == "not_enrolled":
        card_holder(site=site, actor=officer, uid=UID_B)
        return UID_B, today_session
    if kind == "sanction":
        inmate_services.discipline_add(
            inmate=member,
            date=dt.date(2024, 1, 1),
            offence="Berkelahi",
            sanction="Register F",
            actor=officer,
            restricts_programs=True,
        )
        return UID_A, today_session
    if kind == "not_today":
        return UID_A, session_on(kitchen, site_today(site) - dt.timedelta(days=1))
    if kind == "cancelled":
        services.session_cancel(session=today_session, reason="Instruktur sakit", actor=officer)
        return UID_A, today_session
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("unknown", "unknown_card"),
        ("garbage", "unknown_card"),
        ("blocked", "card_blocked"),
        ("released", "inmate_inactive"),
        ("other_site", "other_site"),
        ("not_enrolled", "not_enrolled"),
        ("sanction", "discipline"),
        ("not_today", "not_today"),
        ("cancelled", "session_cancelled"),
    ],
)
def test_tap_refusals_are_clear_and_change_nothing(
    kind, code, site, other_site, officer, kitchen, member, today_session
):
    raw, session = _refusal_setup(
        kind,
        site=site,
        other_site=other_site,
        officer=officer,
        kitchen=kitchen,
        member=member,
        today_session=today_session,
    )
    before = _state()
    with pytest.raises(ProgramError) as err:
        services.attendance_tap(session=session, raw=raw, actor=officer)
    assert err.value.code == code and len(err.value.message) > 10
    assert _state() == before


def test_roster_records_everyone_in_one_go_and_a_tap_upgrades_a_code(
    site, officer, kitchen, member, today_session
):
    others = [InmateFactory(site=site) for _ in range(2)]
    for o in others:
        services.enrolment_add(programme=kitchen, inmate=o, actor=officer)
    rows = [
        RosterRow(inmate_id=member.pk, code="izin", note="Sidang"),
        RosterRow(inmate_id=others[0].pk, code="hadir", pieces=12),
        RosterRow(inmate_id=others[1].pk, code="menolak"),
    ]
    assert services.attendance_roster_save(session=today_session, rows=rows, actor=officer) == 3
    # The same roster again changes nothing.
    assert services.attendance_roster_save(session=today_session, rows=rows, actor=officer) == 0
    counts = selectors.session_counts(session=today_session)
    assert (counts.expected, counts.present, counts.missing) == (3, 1, 0)
    assert counts.by_code == {"izin": 1, "hadir": 1, "menolak": 1}
    # The inmate came after all: the tap turns "izin" into "hadir".
    result = services.attendance_tap(session=today_session, raw=UID_A, actor=officer)
    assert result.previous_code == "izin" and result.attendance.code == "hadir"


@pytest.mark.parametrize(
    "bad",
    [
        RosterRow(inmate_id=0, code="hadir"),  # replaced by a stranger below
        RosterRow(inmate_id=0, code="dibatalkan"),
        RosterRow(inmate_id=0, code="bolos"),
        RosterRow(inmate_id=0, code="sakit", pieces=3),
    ],
    ids=["stranger", "cancel_code", "unknown_code", "pieces_when_absent"],
)
def test_one_bad_roster_line_refuses_the_whole_roster(
    bad, site, officer, kitchen, member, today_session
):
    stranger = InmateFactory(site=site)
    other = InmateFactory(site=site)
    services.enrolment_add(programme=kitchen, inmate=other, actor=officer)
    target = stranger.pk if bad.code == "hadir" else other.pk
    rows = [
        RosterRow(inmate_id=member.pk, code="hadir", pieces=4),
        RosterRow(inmate_id=target, code=bad.code, pieces=bad.pieces),
    ]
    before = _state()
    with pytest.raises(ProgramError):
        services.attendance_roster_save(session=today_session, rows=rows, actor=officer)
    assert _state() == before


def test_cancelling_a_session_records_dibatalkan_which_never_counts_against(
    site, officer, kitchen, member, today_session
):
    services.attendance_tap(session=today_session, raw=UID_A, actor=officer)
    services.session_cancel(session=today_session, reason="Listrik padam", actor=officer)
    record = Attendance.objects.get(session=today_session, inmate=member)
    assert record.code == "dibatalkan" and not record.counts_against
    summary = selectors.participation(inmate=member)
    assert summary.rate_pct is None and summary.programmes[0].by_code == {"dibatalkan": 1}


def test_sessions_are_generated_from_the_schedule_once(site, officer, kitchen):
    start = dt.date(2025, 7, 7)  # a Monday; no national holiday in the next two weeks
    services.schedule_create(
        programme=kitchen,
        weekdays=[0, 2],
        start_time=dt.time(8),
        end_time=dt.time(10),
        start_date=start,
        end_date=start + dt.timedelta(days=13),
        actor=officer,
    )
    days = list(ProgrammeSession.objects.order_by("date").values_list("date", flat=True))
    assert days == [start + dt.timedelta(days=n) for n in (0, 2, 7, 9)]
    assert services.sessions_generate(programme=kitchen) == 0
    assert ProgrammeSession.objects.count() == 4


def test_sessions_skip_national_holidays_cuti_bersama_and_the_sites_days_off(
    site, officer, kitchen
):
    SiteHoliday.objects.create(site=site, date=dt.date(2025, 7, 9), name="Kunjungan Kanwil")
    services.schedule_create(
        programme=kitchen,
        weekdays=[0, 2],
        start_time=dt.time(8),
        end_time=dt.time(10),
        start_date=dt.date(2025, 6, 2),
        end_date=dt.date(2025, 7, 13),
        actor=officer,
    )
    days = set(ProgrammeSession.objects.values_list("date", flat=True))
    assert dt.date(2025, 6, 9) not in days  # cuti bersama Idul Adha
    assert dt.date(2025, 7, 9) not in days  # the site's own day off
    assert dt.date(2025, 6, 2) in days and dt.date(2025, 7, 7) in days
