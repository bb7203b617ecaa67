"""Attendance at a session: a card tapped at the room (keyboard-wedge reader) or the whole
roster at once, with reason codes and pieces produced. A refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.core.calendar import site_today
from pandai.core.models import User
from pandai.inmates.cards import UidError, uid_candidates
from pandai.inmates.models import Card, CardStatus, Inmate, InmateStatus
from pandai.inmates.services import card_find
from pandai.programs.eligibility import check_eligible
from pandai.programs.errors import ProgramError
from pandai.programs.models import (
    Attendance,
    AttendanceCode,
    AttendanceMethod,
    Enrolment,
    EnrolmentStatus,
    PayoutRun,
    ProgrammeSession,
    RunStatus,
    SessionStatus,
)
from pandai.wallet import clock

MAX_PIECES = 100_000
ROSTER_CODES = frozenset(c for c in AttendanceCode.values if c != AttendanceCode.CANCELLED)


def ensure_unlocked(session: ProgrammeSession) -> None:
    """Attendance that a posted premi run paid for is evidence of a payment: it stays."""
    paid = PayoutRun.objects.filter(
        programme_id=session.programme_id,
        status=RunStatus.POSTED,
        period_start__lte=session.date,
        period_end__gte=session.date,
    ).exists()
    if paid:
        raise ProgramError(
            "locked",
            _("Premi untuk tanggal sesi ini sudah dibayarkan; kehadirannya tidak bisa diubah."),
        )


def _lock_session(session: ProgrammeSession) -> ProgrammeSession:
    # One tap or roster save at a time per session: a double tap waits for the first and
    # then finds its row.
    return (
        ProgrammeSession.objects.select_for_update()
        .select_related("programme__site")
        .get(pk=session.pk)
    )


def _mark_held(session: ProgrammeSession) -> None:
    if session.status == SessionStatus.PLANNED:
        session.status = SessionStatus.HELD
        session.save(update_fields=["status"])


@dataclass(frozen=True)
class TapResult:
    inmate: Inmate
    attendance: Attendance
    previous_code: str  # "" when this tap created the record


def _card_for_tap(session: ProgrammeSession, raw: str) -> Card:
    site = session.programme.site
    card = card_find(site=site, raw=raw)
    if card is None:
        try:
            forms = uid_candidates(raw)
        except UidError:
            forms = []
        if forms and Card.objects.filter(uid__in=forms).exclude(site=site).exists():
            raise ProgramError("other_site", _("Kartu ini milik WBP UPT lain."))
        raise ProgramError("unknown_card", _("Kartu tidak dikenal. Tempelkan ulang kartunya."))
    if card.status != CardStatus.ACTIVE:
        raise ProgramError(
            "card_blocked",
            _("Kartu ini berstatus %(status)s dan tidak bisa dipakai.")
            % {"status": CardStatus(card.status).label.lower()},
        )
    return card


@transaction.atomic
def attendance_tap(
    *, session: ProgrammeSession, raw: str, actor: User, now: dt.datetime | None = None
) -> TapResult:
    """Record 'hadir' for the holder of the card a reader typed at the room."""
    now = now or clock.now()
    session = _lock_session(session)
    programme = session.programme
    if session.status == SessionStatus.CANCELLED:
        raise ProgramError("session_cancelled", _("Sesi ini sudah dibatalkan."))
    if session.date != site_today(programme.site, now):
        raise ProgramError(
            "not_today",
            _("Tap kartu hanya untuk sesi hari ini; untuk sesi lain pakai daftar hadir."),
        )
    ensure_unlocked(session)
    card = _card_for_tap(session, raw)
    inmate = card.inmate
    if inmate.status != InmateStatus.ACTIVE:
        raise ProgramError(
            "inmate_inactive",
            _("%(name)s sudah tidak aktif di UPT ini (%(status)s).")
            % {"name": inmate.full_name, "status": InmateStatus(inmate.status).label.lower()},
        )
    enrolment = Enrolment.objects.filter(
        programme=programme, inmate=inmate, status=EnrolmentStatus.ACTIVE
    ).first()
    if enrolment is None:
        waiting = Enrolment.objects.filter(
            programme=programme, inmate=inmate, status=EnrolmentStatus.WAITING
        ).exists()
        message = (
            _("%(name)s masih di daftar tunggu program ini.")
            if waiting
            else _("%(name)s bukan peserta program ini.")
        )
        raise ProgramError("not_enrolled", message % {"name": inmate.full_name})
    check_eligible(programme=programme, inmate=inmate, day=session.date)
    existing = Attendance.objects.filter(session=session, inmate=inmate).first()
    if existing is not None and existing.code == AttendanceCode.ATTENDED:
        raise ProgramError(
            "double_tap",
            _("%(name)s sudah tercatat hadir (%(time)s).")
            % {
                "name": inmate.full_name,
                "time": existing.recorded_at.astimezone(
                    ZoneInfo(programme.site.time_zone)
                ).strftime("%H:%M"),
            },
        )
    previous = ""
    if existing is not None:
        previous = existing.code
        existing.code = AttendanceCode.ATTENDED
        existing.method = AttendanceMethod.CARD
        existing.recorded_at = now
        existing.recorded_by = actor
        existing.save(update_fields=["code", "method", "recorded_at", "recorded_by"])
        attendance = existing
    else:
        attendance = Attendance.objects.create(
            session=session,
            inmate=inmate,
            enrolment=enrolment,
            code=AttendanceCode.ATTENDED,
            method=AttendanceMethod.CARD,
            recorded_at=now,
            recorded_by=actor,
        )
    _mark_held(session)
    return TapResult(inmate=inmate, attendance=attendance, previous_code=previous)


@dataclass(frozen=True)
class RosterRow:
    inmate_id: int
    code: str  # "" = not recorded (left as it is)
    pieces: int = 0
    note: str = ""


def _roster_enrolments(session: ProgrammeSession, inmate_ids: set[int]) -> dict[int, Enrolment]:
    """The enrolment each roster line belongs to: the active one, or the one an existing
    record of this session points at (someone removed since keeps their record)."""
    found = {
        e.inmate_id: e
        for e in Enrolment.objects.filter(
            programme_id=session.programme_id,
            inmate_id__in=inmate_ids,
            status=EnrolmentStatus.ACTIVE,
        ).select_related("inmate")
    }
    for a in Attendance.objects.filter(session=session, inmate_id__in=inmate_ids).select_related(
        "enrolment__inmate"
    ):
        found.setdefault(a.inmate_id, a.enrolment)
    return found


@transaction.atomic
def attendance_roster_save(
    *,
    session: ProgrammeSession,
    rows: list[RosterRow],
    actor: User,
    now: dt.datetime | None = None,
) -> int:
    """Record the whole roster in one go: every line is checked first; one bad line refuses
    the lot (nothing is saved). Returns how many records were created or changed."""
    now = now or clock.now()
    session = _lock_session(session)
    programme = session.programme
    if session.status == SessionStatus.CANCELLED:
        raise ProgramError("session_cancelled", _("Sesi ini sudah dibatalkan."))
    if session.date > site_today(programme.site, now):
        raise ProgramError("future", _("Sesi ini belum berlangsung."))
    ensure_unlocked(session)
    wanted = [r for r in rows if r.code]
    enrolments = _roster_enrolments(session, {r.inmate_id for r in wanted})
    for row in wanted:
        enrolment = enrolments.get(row.inmate_id)
        if enrolment is None:
            raise ProgramError("not_enrolled", _("Ada WBP di daftar yang bukan peserta program."))
        name = enrolment.inmate.full_name
        if row.code not in ROSTER_CODES:
            raise ProgramError(
                "code", _("Kode kehadiran untuk %(name)s tidak dikenal.") % {"name": name}
            )
        if not 0 <= row.pieces <= MAX_PIECES:
            raise ProgramError(
                "pieces", _("Jumlah hasil kerja %(name)s tidak masuk akal.") % {"name": name}
            )
        if row.pieces and row.code != AttendanceCode.ATTENDED:
            raise ProgramError(
                "pieces",
                _("Hasil kerja hanya untuk yang hadir (%(name)s).") % {"name": name},
            )
        if row.code == AttendanceCode.ATTENDED:
            try:
                check_eligible(programme=programme, inmate=enrolment.inmate, day=session.date)
            except ProgramError as exc:
                raise ProgramError(exc.code, f"{name}: {exc.message}") from exc
    existing = {a.inmate_id: a for a in Attendance.objects.filter(session=session)}
    changed = 0
    for row in wanted:
        note = row.note.strip()[:300]
        record = existing.get(row.inmate_id)
        if record is None:
            Attendance.objects.create(
                session=session,
                inmate_id=row.inmate_id,
                enrolment=enrolments[row.inmate_id],
                code=row.code,
                pieces=row.pieces,
                note=note,
                method=AttendanceMethod.ROSTER,
                recorded_at=now,
                recorded_by=actor,
            )
            changed += 1
        elif (record.code, record.pieces, record.note) != (row.code, row.pieces, note):
            record.code, record.pieces, record.note = row.code, row.pieces, note
            record.method = AttendanceMethod.ROSTER
            record.recorded_at, record.recorded_by = now, actor
            record.save(
                update_fields=["code", "pieces", "note", "method", "recorded_at", "recorded_by"]
            )
            changed += 1
    if wanted:
        _mark_held(session)
    return changed
