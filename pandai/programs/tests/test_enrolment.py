"""Enrolment: places, the waiting list served in order, eligibility, removal with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from pandai.core.models import AuditEvent
from pandai.inmates import services as inmate_services
from pandai.inmates.tests.factories import InmateFactory
from pandai.programs import selectors, services
from pandai.programs.errors import ProgramError
from pandai.programs.models import Enrolment, EnrolmentStatus
from pandai.programs.tests.factories import make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(staff):
    return staff("program_officer")


@pytest.fixture
def kitchen(site, officer):
    return make_programme(site=site, actor=officer, capacity=2)


def test_places_then_waiting_list_then_promotion_in_order(site, officer, kitchen):
    people = [InmateFactory(site=site) for _ in range(5)]
    rows = [services.enrolment_add(programme=kitchen, inmate=p, actor=officer) for p in people]
    assert [r.status for r in rows] == ["active", "active", "waiting", "waiting", "waiting"]

    services.enrolment_remove(enrolment=rows[0], reason="Pindah ke program lain", actor=officer)

    statuses = dict(Enrolment.objects.values_list("inmate_id", "status"))
    assert statuses[people[2].pk] == "active"  # first in the queue
    assert statuses[people[3].pk] == statuses[people[4].pk] == "waiting"
    assert AuditEvent.objects.filter(action="programs.promoted").count() == 1


def test_a_waiting_inmate_under_sanction_keeps_the_queue_place_but_is_passed_over(
    site, officer, kitchen
):
    a, b, sanctioned, d = (InmateFactory(site=site) for _ in range(4))
    first = services.enrolment_add(programme=kitchen, inmate=a, actor=officer)
    services.enrolment_add(programme=kitchen, inmate=b, actor=officer)
    queued = services.enrolment_add(programme=kitchen, inmate=sanctioned, actor=officer)
    services.enrolment_add(programme=kitchen, inmate=d, actor=officer)
    inmate_services.discipline_add(
        inmate=sanctioned,
        date=dt.date(2024, 1, 1),
        offence="Berkelahi",
        sanction="Tutup sunyi",
        actor=officer,
        restricts_programs=True,
    )
    services.enrolment_remove(enrolment=first, reason="Bebas bersyarat", actor=officer)
    queued.refresh_from_db()
    assert queued.status == "waiting"
    assert Enrolment.objects.get(inmate=d).status == "active"


def test_capacity_increase_lets_the_waiting_list_in(site, officer, kitchen):
    people = [InmateFactory(site=site) for _ in range(3)]
    for p in people:
        services.enrolment_add(programme=kitchen, inmate=p, actor=officer)
    fields = {name: getattr(kitchen, name) for name in services.PROGRAMME_FIELDS}
    services.programme_update(programme=kitchen, actor=officer, fields={**fields, "capacity": 3})
    assert Enrolment.objects.filter(status="active").count() == 3


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("released", "inmate_inactive"),
        ("convicted_only", "legal_status"),
        ("sanction", "discipline"),
        ("other_site", "other_site"),
        ("twice", "already_enrolled"),
    ],
)
def test_enrolment_refusals_change_nothing(site, other_site, officer, kitchen, setup, code):
    inmate = InmateFactory(site=site, legal_status="tahanan")
    if setup == "released":
        inmate.status = "released"
        inmate.save(update_fields=["status"])
    elif setup == "convicted_only":
        kitchen.open_to_remand = False
        kitchen.save(update_fields=["open_to_remand"])
    elif setup == "sanction":
        inmate_services.discipline_add(
            inmate=inmate,
            date=dt.date(2024, 1, 1),
            offence="Membawa HP",
            sanction="Register F 12 hari",
            actor=officer,
            restricts_programs=True,
        )
    elif setup == "other_site":
        inmate = InmateFactory(site=other_site)
    elif setup == "twice":
        services.enrolment_add(programme=kitchen, inmate=inmate, actor=officer)
    before = Enrolment.objects.count()
    events = AuditEvent.objects.count()
    with pytest.raises(ProgramError) as err:
        services.enrolment_add(programme=kitchen, inmate=inmate, actor=officer)
    assert err.value.code == code and err.value.message
    assert Enrolment.objects.count() == before and AuditEvent.objects.count() == events


def test_an_ended_sanction_or_one_that_does_not_restrict_programmes_is_no_bar(
    site, officer, kitchen
):
    inmate = InmateFactory(site=site)
    inmate_services.discipline_add(
        inmate=inmate,
        date=dt.date(2024, 1, 1),
        end_date=dt.date(2024, 1, 10),
        offence="Terlambat apel",
        sanction="Teguran",
        actor=officer,
        restricts_programs=True,
    )
    inmate_services.discipline_add(
        inmate=inmate,
        date=dt.date(2024, 2, 1),
        offence="Berjudi",
        sanction="Pembatasan belanja",
        actor=officer,
        restricts_shop=True,
    )
    assert services.enrolment_add(programme=kitchen, inmate=inmate, actor=officer).status == (
        "active"
    )


def test_removal_needs_a_reason_and_is_seen_by_the_retaliation_watch(site, officer, kitchen):
    inmate = InmateFactory(site=site)
    enrolment = services.enrolment_add(programme=kitchen, inmate=inmate, actor=officer)
    with pytest.raises(ProgramError):
        services.enrolment_remove(enrolment=enrolment, reason="  ", actor=officer)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert selectors.removals_since(inmate=inmate, since=enrolment.requested_at) == []

    services.enrolment_remove(enrolment=enrolment, reason="Tidak disiplin kerja", actor=officer)
    removed = selectors.removals_since(inmate=inmate, since=enrolment.requested_at)
    assert [r.pk for r in removed] == [enrolment.pk]
    event = AuditEvent.objects.get(action="programs.removed")
    assert event.data["inmate"] == inmate.pk and event.data["reason"] == "Tidak disiplin kerja"
    later = removed[0].removed_at + dt.timedelta(seconds=1)
    assert selectors.removals_since(inmate=inmate, since=later) == []
    # Enrolling again after a removal is allowed (a new row).
    again = services.enrolment_add(programme=kitchen, inmate=inmate, actor=officer)
    assert again.pk != enrolment.pk


def test_kiosk_reads_programmes_and_waiting_position(site, officer, kitchen):
    people = [InmateFactory(site=site) for _ in range(4)]
    for p in people:
        services.enrolment_add(programme=kitchen, inmate=p, actor=officer)
    mine = selectors.inmate_programmes(inmate=people[3])
    assert mine[0].status == "waiting" and mine[0].waiting_position == 2


def test_a_released_participant_frees_the_place_for_the_queue_not_for_a_newcomer(
    site, officer, kitchen
):
    a, b, queued, newcomer = (InmateFactory(site=site) for _ in range(4))
    for p in (a, b, queued):
        services.enrolment_add(programme=kitchen, inmate=p, actor=officer)
    a.status = "released"
    a.save(update_fields=["status"])
    late = services.enrolment_add(programme=kitchen, inmate=newcomer, actor=officer)
    assert Enrolment.objects.get(inmate=queued).status == "active"
    assert late.status == "waiting"


def test_a_removal_after_a_named_complaint_is_flagged_for_the_head(site, officer, kitchen, staff):
    from pandai.complaints import services as complaints
    from pandai.complaints.models import Category, Identity, RetaliationFlag, RetaliationKind

    inmate = InmateFactory(site=site)
    enrolment = services.enrolment_add(programme=kitchen, inmate=inmate, actor=officer)
    complaints.categories_ensure(site=site)
    complaints.complaint_submit_oral(
        site=site,
        actor=staff("complaint_officer", username="petugas-aduan"),
        kind="complaint",
        category=Category.objects.filter(site=site).first(),
        identity=Identity.NAMED,
        text="Jatah makan dikurangi oleh petugas dapur.",
        inmate=inmate,
    )
    assert not RetaliationFlag.objects.exists()
    services.enrolment_remove(enrolment=enrolment, reason="Tidak disiplin kerja", actor=officer)
    flag = RetaliationFlag.objects.get()
    assert flag.kind == RetaliationKind.PROGRAM_REMOVED
    assert flag.record_id == str(enrolment.pk)
