"""The programme catalogue: programmes, their recurring schedules and the sessions those
generate, session cancellation, and premi pay rates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.calendar import national_holidays, site_today
from pandai.core.models import SiteHoliday, User
from pandai.programs.errors import ProgramError
from pandai.programs.models import (
    SUBTYPES_OF_KIND,
    Attendance,
    AttendanceCode,
    AttendanceMethod,
    Enrolment,
    EnrolmentStatus,
    PayoutRun,
    PayRate,
    Programme,
    ProgrammeSession,
    RunStatus,
    Schedule,
    SessionStatus,
)
from pandai.programs.services.attendance import ensure_unlocked
from pandai.programs.services.enrolment import active_places, waiting_list_promote
from pandai.wallet import clock

# How far ahead sessions are generated; a schedule may run longer, the rest comes later.
HORIZON_DAYS = 56
PROGRAMME_FIELDS = (
    "kind",
    "subtype",
    "name",
    "description",
    "capacity",
    "open_to_remand",
    "open_to_convicted",
    "requires_clean_record",
    "instructor",
    "place",
    "active",
)


def _check_fields(site_id: int, fields: dict[str, Any], pk: int | None = None) -> None:
    if fields["subtype"] not in SUBTYPES_OF_KIND.get(fields["kind"], frozenset()):
        raise ProgramError("subtype", _("Bidang tidak sesuai dengan jenis program."))
    if not str(fields["name"]).strip():
        raise ProgramError("name", _("Nama program wajib diisi."))
    if int(fields["capacity"]) < 1:
        raise ProgramError("capacity", _("Kapasitas paling sedikit 1 peserta."))
    if not (fields["open_to_remand"] or fields["open_to_convicted"]):
        raise ProgramError(
            "legal_status", _("Pilih paling sedikit satu status hukum yang boleh ikut.")
        )
    clash = Programme.objects.filter(site_id=site_id, name__iexact=str(fields["name"]).strip())
    if pk is not None:
        clash = clash.exclude(pk=pk)
    if clash.exists():
        raise ProgramError("name_taken", _("Sudah ada program dengan nama itu di UPT ini."))


@transaction.atomic
def programme_create(*, site: Any, actor: User, fields: dict[str, Any]) -> Programme:
    """`fields`: the PROGRAMME_FIELDS (as a ProgrammeForm's cleaned_data gives them)."""
    data = {name: fields[name] for name in PROGRAMME_FIELDS}
    _check_fields(site.pk, data)
    data["name"] = str(data["name"]).strip()
    programme = Programme.objects.create(site=site, created_by=actor, **data)
    audit_append(
        action="programs.programme_create",
        site=site,
        actor=actor,
        obj=programme,
        data={"name": programme.name, "capacity": programme.capacity},
    )
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, actor: User, fields: dict[str, Any]) -> Programme:
    """Change a programme; a larger capacity lets the waiting list in, in order."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    data = {name: fields[name] for name in PROGRAMME_FIELDS}
    _check_fields(programme.site_id, data, pk=programme.pk)
    data["name"] = str(data["name"]).strip()
    active = active_places(programme)
    if int(data["capacity"]) < active:
        raise ProgramError(
            "capacity_below_active",
            _(
                "Kapasitas tidak boleh kurang dari jumlah peserta sekarang (%(n)s). "
                "Keluarkan peserta dulu, dengan alasan."
            )
            % {"n": active},
        )
    changed = {k: v for k, v in data.items() if getattr(programme, k) != v}
    for name, value in data.items():
        setattr(programme, name, value)
    programme.save(update_fields=list(data))
    if changed:
        audit_append(
            action="programs.programme_update",
            site=programme.site,
            actor=actor,
            obj=programme,
            data={k: str(v) for k, v in changed.items()},
        )
    waiting_list_promote(programme=programme, actor=actor)
    return programme


def _holidays(site_id: int, start: dt.date, end: dt.date) -> set[dt.date]:
    days: set[dt.date] = set()
    for year in range(start.year, end.year + 1):
        days |= set(national_holidays(year))
    days |= set(
        SiteHoliday.objects.filter(site_id=site_id, date__gte=start, date__lte=end).values_list(
            "date", flat=True
        )
    )
    return days


def _schedule_dates(schedule: Schedule, until: dt.date) -> list[dt.date]:
    end = min(schedule.end_date, until)
    if end < schedule.start_date:
        return []
    skip = _holidays(schedule.programme.site_id, schedule.start_date, end)
    weekdays = set(schedule.weekday_list())
    out = []
    day = schedule.start_date
    while day <= end:
        if day.weekday() in weekdays and day not in skip:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


@transaction.atomic
def sessions_generate(
    *, programme: Programme, until: dt.date | None = None, now: dt.datetime | None = None
) -> int:
    """Create the sessions the schedules call for up to `until` (default: 8 weeks ahead),
    skipping national holidays, cuti bersama and the site's own days off. Idempotent: a slot
    that already has a session is left as it is. Returns how many were created."""
    today = site_today(programme.site, now or clock.now())
    until = until or today + dt.timedelta(days=HORIZON_DAYS)
    existing = set(
        ProgrammeSession.objects.filter(programme=programme).values_list("date", "start_time")
    )
    new = []
    for schedule in Schedule.objects.filter(programme=programme).select_related("programme"):
        for day in _schedule_dates(schedule, until):
            if (day, schedule.start_time) in existing:
                continue
            existing.add((day, schedule.start_time))
            new.append(
                ProgrammeSession(
                    programme=programme,
                    schedule=schedule,
                    date=day,
                    start_time=schedule.start_time,
                    end_time=schedule.end_time,
                )
            )
    # ignore_conflicts: a second officer pressing the button at the same moment adds nothing.
    ProgrammeSession.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def schedule_create(
    *,
    programme: Programme,
    weekdays: list[int],
    start_time: dt.time,
    end_time: dt.time,
    start_date: dt.date,
    end_date: dt.date,
    actor: User,
    now: dt.datetime | None = None,
) -> Schedule:
    """Add a recurring slot and generate its sessions."""
    if not weekdays or any(d not in range(7) for d in weekdays):
        raise ProgramError("weekdays", _("Pilih paling sedikit satu hari."))
    if end_time <= start_time:
        raise ProgramError("times", _("Jam selesai harus setelah jam mulai."))
    if end_date < start_date:
        raise ProgramError("dates", _("Tanggal akhir tidak boleh sebelum tanggal mulai."))
    if (end_date - start_date).days > 366 * 2:
        raise ProgramError("dates", _("Jadwal paling lama dua tahun; buat jadwal baru sesudahnya."))
    schedule = Schedule.objects.create(
        programme=programme,
        weekdays="".join(str(d) for d in sorted(set(weekdays))),
        start_time=start_time,
        end_time=end_time,
        start_date=start_date,
        end_date=end_date,
        created_by=actor,
    )
    sessions_generate(programme=programme, now=now)
    return schedule


@transaction.atomic
def session_cancel(
    *, session: ProgrammeSession, reason: str, actor: User, now: dt.datetime | None = None
) -> ProgrammeSession:
    """Cancel a session: every active participant is recorded 'dibatalkan' (never counted
    against them), replacing what had been recorded."""
    session = ProgrammeSession.objects.select_for_update().get(pk=session.pk)
    reason = reason.strip()
    if not reason:
        raise ProgramError("reason", _("Tulis alasan pembatalan sesi."))
    if session.status == SessionStatus.CANCELLED:
        raise ProgramError("already_cancelled", _("Sesi ini sudah dibatalkan."))
    ensure_unlocked(session)
    now = now or clock.now()
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason[:300]
    session.save(update_fields=["status", "cancel_reason"])
    enrolments = Enrolment.objects.filter(
        programme_id=session.programme_id, status=EnrolmentStatus.ACTIVE
    )
    Attendance.objects.filter(session=session).update(
        code=AttendanceCode.CANCELLED, pieces=0, method=AttendanceMethod.CANCEL
    )
    have = set(Attendance.objects.filter(session=session).values_list("inmate_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            inmate_id=e.inmate_id,
            enrolment=e,
            code=AttendanceCode.CANCELLED,
            method=AttendanceMethod.CANCEL,
            recorded_at=now,
            recorded_by=actor,
        )
        for e in enrolments
        if e.inmate_id not in have
    )
    audit_append(
        action="programs.session_cancel",
        site=session.programme.site,
        actor=actor,
        obj=session,
        data={"reason": session.cancel_reason},
    )
    return session


@transaction.atomic
def rate_set(
    *, programme: Programme, basis: str, amount_rp: int, valid_from: dt.date, actor: User
) -> PayRate:
    """A new premi rate from a date on. Rates of periods already paid stay as they were."""
    if amount_rp < 0:
        raise ProgramError("amount", _("Tarif tidak boleh negatif."))
    paid = PayoutRun.objects.filter(
        programme=programme, status=RunStatus.POSTED, period_end__gte=valid_from
    ).exists()
    if paid:
        raise ProgramError(
            "period_paid",
            _("Premi sudah dibayarkan sampai sesudah tanggal itu; pilih tanggal sesudahnya."),
        )
    rate, _created = PayRate.objects.update_or_create(
        programme=programme,
        basis=basis,
        valid_from=valid_from,
        defaults={"amount_rp": amount_rp, "created_by": actor},
    )
    audit_append(
        action="programs.rate_set",
        site=programme.site,
        actor=actor,
        obj=rate,
        data={"basis": basis, "amount_rp": amount_rp, "valid_from": valid_from.isoformat()},
    )
    return rate
