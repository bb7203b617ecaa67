"""Enrolment: joining a programme (or its waiting list), removal with a reason, and the waiting
list served in order when a place frees up."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.complaints.models import RetaliationKind
from pandai.complaints.services.retaliation import retaliation_record_event
from pandai.core.audit import audit_append
from pandai.core.calendar import site_today
from pandai.core.models import User
from pandai.inmates.models import Inmate, InmateStatus
from pandai.programs.eligibility import check_eligible, eligibility_problem
from pandai.programs.errors import ProgramError
from pandai.programs.models import Enrolment, EnrolmentStatus, Programme
from pandai.wallet import clock


def _lock_programme(programme: Programme) -> Programme:
    # Every change to who holds a place locks the programme row first, so two officers
    # enrolling at once cannot both take the last place.
    return Programme.objects.select_for_update().select_related("site").get(pk=programme.pk)


def active_places(programme: Programme) -> int:
    """Places taken. A participant who was released or transferred no longer holds one (the
    enrolment stays as the record of what they did; the place goes to the queue)."""
    return Enrolment.objects.filter(
        programme=programme, status=EnrolmentStatus.ACTIVE, inmate__status=InmateStatus.ACTIVE
    ).count()


@transaction.atomic
def enrolment_add(
    *, programme: Programme, inmate: Inmate, actor: User, now: dt.datetime | None = None
) -> Enrolment:
    """Give the inmate a place, or put them on the waiting list when the programme is full."""
    now = now or clock.now()
    programme = _lock_programme(programme)
    if not programme.active:
        raise ProgramError("programme_inactive", _("Program ini tidak aktif."))
    today = site_today(programme.site, now)
    check_eligible(programme=programme, inmate=inmate, day=today)
    current = (
        Enrolment.objects.filter(programme=programme, inmate=inmate)
        .exclude(status=EnrolmentStatus.REMOVED)
        .first()
    )
    if current is not None:
        raise ProgramError(
            "already_enrolled",
            _("WBP ini sudah tercatat di program ini (%(status)s).")
            % {"status": current.get_status_display()},
        )
    # The queue first: a place freed since (e.g. by a release) belongs to who waits longest.
    waiting_list_promote(programme=programme, actor=actor, now=now)
    has_place = active_places(programme) < programme.capacity
    enrolment = Enrolment.objects.create(
        programme=programme,
        inmate=inmate,
        status=EnrolmentStatus.ACTIVE if has_place else EnrolmentStatus.WAITING,
        requested_at=now,
        started_on=today if has_place else None,
        enrolled_by=actor,
    )
    audit_append(
        action="programs.enrolled",
        site=programme.site,
        actor=actor,
        obj=enrolment,
        data={"inmate": inmate.pk, "programme": programme.pk, "status": enrolment.status},
    )
    return enrolment


@transaction.atomic
def enrolment_remove(
    *, enrolment: Enrolment, reason: str, actor: User, now: dt.datetime | None = None
) -> Enrolment:
    """Take an inmate out of a programme (or off its waiting list). The reason is required
    and the event `programs.removed` names the inmate: the complaints retaliation watch reads
    it (selectors.removals_since) to see removals that follow a complaint."""
    now = now or clock.now()
    reason = reason.strip()
    if not reason:
        raise ProgramError("reason", _("Tulis alasan mengeluarkan WBP dari program."))
    programme = _lock_programme(enrolment.programme)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.REMOVED:
        raise ProgramError("already_removed", _("WBP ini sudah dikeluarkan dari program."))
    was = enrolment.status
    enrolment.status = EnrolmentStatus.REMOVED
    enrolment.removed_at = now
    enrolment.removed_by = actor
    enrolment.removal_reason = reason[:500]
    enrolment.save(update_fields=["status", "removed_at", "removed_by", "removal_reason"])
    audit_append(
        action="programs.removed",
        site=programme.site,
        actor=actor,
        obj=enrolment,
        data={
            "inmate": enrolment.inmate_id,
            "programme": programme.pk,
            "was": was,
            "reason": enrolment.removal_reason,
        },
    )
    # A removal soon after the inmate complained is flagged for the head (complaints watch).
    retaliation_record_event(
        inmate=enrolment.inmate,
        kind=RetaliationKind.PROGRAM_REMOVED,
        record_type="programs.enrolment",
        record_id=enrolment.pk,
        at=now,
    )
    if was == EnrolmentStatus.ACTIVE:
        waiting_list_promote(programme=programme, actor=actor, now=now)
    return enrolment


def waiting_list_promote(
    *, programme: Programme, actor: User | None, now: dt.datetime | None = None
) -> list[Enrolment]:
    """Fill free places from the waiting list, first come first served. Someone not eligible
    today (e.g. under a Register F sanction) keeps their place in the queue and is passed
    over, not dropped. Runs inside the caller's transaction with the programme locked."""
    now = now or clock.now()
    today = site_today(programme.site, now)
    free = programme.capacity - active_places(programme)
    promoted: list[Enrolment] = []
    if free <= 0:
        return promoted
    queue = (
        Enrolment.objects.filter(programme=programme, status=EnrolmentStatus.WAITING)
        .select_related("inmate")
        .order_by("requested_at", "id")
    )
    for entry in queue:
        if len(promoted) >= free:
            break
        if eligibility_problem(programme=programme, inmate=entry.inmate, day=today) is not None:
            continue
        entry.status = EnrolmentStatus.ACTIVE
        entry.started_on = today
        entry.save(update_fields=["status", "started_on"])
        audit_append(
            action="programs.promoted",
            site=programme.site,
            actor=actor,
            obj=entry,
            data={"inmate": entry.inmate_id, "programme": programme.pk},
        )
        promoted.append(entry)
    return promoted
