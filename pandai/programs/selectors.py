"""Reads of the programmes, always scoped to one site or one inmate.

For other apps:
- complaints' retaliation watch: `removals_since(inmate=, since=)`;
- the kiosk: `inmate_programmes`, `inmate_next_sessions`, `inmate_attendance`, `inmate_premi`;
- SPPN / remission evidence: `participation(inmate=, start=, end=)` (and participation_pdf /
  sdp_export for print and the SDP).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum

from pandai.core.calendar import site_today
from pandai.core.models import Site
from pandai.inmates.models import Inmate, InmateStatus
from pandai.programs.models import (
    CODE_RULES,
    Attendance,
    AttendanceCode,
    Enrolment,
    EnrolmentStatus,
    PayoutLine,
    PayoutRun,
    PayRate,
    Programme,
    ProgrammeSession,
    SessionStatus,
)
from pandai.wallet import clock


def programmes_for_site(*, site: Site, include_inactive: bool = True) -> QuerySet[Programme]:
    qs = Programme.objects.filter(site=site).annotate(
        participants=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ACTIVE)),
        waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
    )
    if not include_inactive:
        qs = qs.filter(active=True)
    return qs.order_by("-active", "kind", "name")


def enrolments(*, programme: Programme, status: str) -> QuerySet[Enrolment]:
    qs = Enrolment.objects.filter(programme=programme, status=status).select_related(
        "inmate__cell__block", "enrolled_by", "removed_by"
    )
    if status == EnrolmentStatus.REMOVED:
        return qs.order_by("-removed_at")
    if status == EnrolmentStatus.WAITING:
        return qs.order_by("requested_at", "id")
    return qs.order_by("inmate__full_name")


def current_rates(*, programme: Programme, day: dt.date) -> dict[str, PayRate | None]:
    out: dict[str, PayRate | None] = {"session": None, "piece": None}
    for rate in PayRate.objects.filter(programme=programme, valid_from__lte=day).order_by(
        "-valid_from"
    ):
        if out.get(rate.basis) is None:
            out[rate.basis] = rate
    return out


def sessions_for_site(
    *, site: Site, start: dt.date, end: dt.date, programme: Programme | None = None
) -> QuerySet[ProgrammeSession]:
    qs = (
        ProgrammeSession.objects.filter(programme__site=site, date__gte=start, date__lte=end)
        .select_related("programme")
        .annotate(
            present=Count("attendances", filter=Q(attendances__code=AttendanceCode.ATTENDED)),
            recorded=Count("attendances"),
        )
    )
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.order_by("date", "start_time", "programme__name")


@dataclass
class RosterLine:
    enrolment: Enrolment
    inmate: Inmate
    attendance: Attendance | None

    @property
    def code(self) -> str:
        return self.attendance.code if self.attendance else ""


def session_roster(*, session: ProgrammeSession) -> list[RosterLine]:
    """Everyone expected at the session (active participants) plus anyone already recorded
    (someone removed since keeps their line), by name."""
    records = {
        a.inmate_id: a
        for a in Attendance.objects.filter(session=session).select_related(
            "enrolment", "inmate__cell__block"
        )
    }
    lines = {
        e.inmate_id: RosterLine(enrolment=e, inmate=e.inmate, attendance=records.get(e.inmate_id))
        for e in Enrolment.objects.filter(
            programme_id=session.programme_id, status=EnrolmentStatus.ACTIVE
        ).select_related("inmate__cell__block")
        if e.inmate.status == InmateStatus.ACTIVE or e.inmate_id in records
    }
    for inmate_id, record in records.items():
        if inmate_id not in lines:
            lines[inmate_id] = RosterLine(
                enrolment=record.enrolment, inmate=record.inmate, attendance=record
            )
    return sorted(lines.values(), key=lambda line: (line.inmate.full_name, line.inmate.pk))


@dataclass(frozen=True)
class SessionCounts:
    expected: int
    by_code: dict[str, int]

    @property
    def present(self) -> int:
        return self.by_code.get(AttendanceCode.ATTENDED, 0)

    @property
    def recorded(self) -> int:
        return sum(self.by_code.values())

    @property
    def missing(self) -> int:
        return max(0, self.expected - self.recorded)

    @property
    def others(self) -> list[tuple[str, int]]:
        """(label, count) of the codes other than 'hadir', in the codes' order."""
        return [
            (str(code.label), self.by_code[code.value])
            for code in AttendanceCode
            if code != AttendanceCode.ATTENDED and self.by_code.get(code.value)
        ]


def session_counts(*, session: ProgrammeSession) -> SessionCounts:
    lines = session_roster(session=session)
    by_code = Counter(line.code for line in lines if line.code)
    return SessionCounts(expected=len(lines), by_code=dict(by_code))


def removals_since(*, inmate: Inmate, since: dt.datetime) -> list[Enrolment]:
    """Programme removals of `inmate` at or after `since`, newest first (the complaints
    retaliation watch: a removal soon after a complaint deserves a look)."""
    return list(
        Enrolment.objects.filter(
            inmate=inmate, status=EnrolmentStatus.REMOVED, removed_at__gte=since
        )
        .select_related("programme", "removed_by")
        .order_by("-removed_at")
    )


def payout_runs(*, site: Site, programme: Programme | None = None) -> QuerySet[PayoutRun]:
    qs = PayoutRun.objects.filter(site=site).select_related(
        "programme", "created_by", "reviewed_by", "posted_by"
    )
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.annotate(line_count=Count("lines")).order_by("-period_end", "-pk")


# --- participation record ---------------------------------------------------------------


@dataclass
class ProgrammeParticipation:
    programme: Programme
    enrolments: list[Enrolment]
    by_code: dict[str, int] = field(default_factory=dict)
    premi_rp: int = 0
    pieces: int = 0

    @property
    def attended(self) -> int:
        return self.by_code.get(AttendanceCode.ATTENDED, 0)

    @property
    def against(self) -> int:
        return sum(n for code, n in self.by_code.items() if CODE_RULES[code].counts_against)

    @property
    def rate_pct(self) -> float | None:
        """Attended / (attended + absences that count against the inmate); sick, excused,
        not required and cancelled sessions are left out. None when nothing counts yet."""
        base = self.attended + self.against
        return round(100 * self.attended / base, 1) if base else None

    @property
    def first_day(self) -> dt.date | None:
        days = [e.started_on for e in self.enrolments if e.started_on]
        return min(days) if days else None

    @property
    def last_day(self) -> dt.date | None:
        """None while the inmate still takes part."""
        if any(e.status == EnrolmentStatus.ACTIVE for e in self.enrolments):
            return None
        days = [e.removed_at.date() for e in self.enrolments if e.removed_at]
        return max(days) if days else None

    @property
    def status(self) -> str:
        statuses = {e.status for e in self.enrolments}
        for status in (EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITING):
            if status in statuses:
                return str(EnrolmentStatus(status).label)
        return str(EnrolmentStatus.REMOVED.label)


@dataclass
class Participation:
    inmate: Inmate
    start: dt.date | None
    end: dt.date | None
    programmes: list[ProgrammeParticipation]

    @property
    def attended(self) -> int:
        return sum(p.attended for p in self.programmes)

    @property
    def against(self) -> int:
        return sum(p.against for p in self.programmes)

    @property
    def rate_pct(self) -> float | None:
        base = self.attended + self.against
        return round(100 * self.attended / base, 1) if base else None

    @property
    def premi_rp(self) -> int:
        return sum(p.premi_rp for p in self.programmes)


def participation(
    *, inmate: Inmate, start: dt.date | None = None, end: dt.date | None = None
) -> Participation:
    """The inmate's programmes with attendance by code and premi paid, over [start, end]
    (session dates; premi by the paid run's period end). Four queries."""
    records = Attendance.objects.filter(inmate=inmate)
    lines = PayoutLine.objects.filter(inmate=inmate, posted_at__isnull=False)
    if start:
        records = records.filter(session__date__gte=start)
        lines = lines.filter(run__period_end__gte=start)
    if end:
        records = records.filter(session__date__lte=end)
        lines = lines.filter(run__period_end__lte=end)
    by_programme: dict[int, ProgrammeParticipation] = {}
    for e in (
        Enrolment.objects.filter(inmate=inmate)
        .select_related("programme")
        .order_by("programme__name", "requested_at")
    ):
        entry = by_programme.setdefault(
            e.programme_id, ProgrammeParticipation(programme=e.programme, enrolments=[])
        )
        entry.enrolments.append(e)
    counted = records.values("session__programme_id", "code").annotate(
        n=Count("id"), pieces=Sum("pieces")
    )
    for row in counted:
        found = by_programme.get(row["session__programme_id"])
        if found is not None:
            found.by_code[row["code"]] = row["n"]
            found.pieces += row["pieces"] or 0
    for paid in lines.values("run__programme_id").annotate(total=Sum("amount_rp")):
        found = by_programme.get(paid["run__programme_id"])
        if found is not None:
            found.premi_rp = paid["total"] or 0
    return Participation(
        inmate=inmate, start=start, end=end, programmes=list(by_programme.values())
    )


# --- for the kiosk ----------------------------------------------------------------------


def inmate_programmes(*, inmate: Inmate) -> list[Enrolment]:
    """The inmate's current places and waiting-list entries (with `waiting_position`)."""
    out = list(
        Enrolment.objects.filter(
            inmate=inmate, status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITING]
        )
        .select_related("programme")
        .order_by("programme__name")
    )
    for e in out:
        if e.status == EnrolmentStatus.WAITING:
            ahead = Enrolment.objects.filter(
                programme_id=e.programme_id, status=EnrolmentStatus.WAITING
            ).filter(
                Q(requested_at__lt=e.requested_at) | Q(requested_at=e.requested_at, pk__lt=e.pk)
            )
            e.waiting_position = ahead.count() + 1  # type: ignore[attr-defined]
    return out


def inmate_next_sessions(
    *, inmate: Inmate, now: dt.datetime | None = None, limit: int = 10
) -> list[ProgrammeSession]:
    """Sessions from today on of the programmes the inmate has a place in."""
    today = site_today(inmate.site, now or clock.now())
    programme_ids = Enrolment.objects.filter(inmate=inmate, status=EnrolmentStatus.ACTIVE).values(
        "programme_id"
    )
    return list(
        ProgrammeSession.objects.filter(programme_id__in=programme_ids, date__gte=today)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("programme")
        .order_by("date", "start_time")[:limit]
    )


def inmate_attendance(*, inmate: Inmate, limit: int = 30) -> list[Attendance]:
    """The inmate's latest attendance records (with session and programme), newest first."""
    return list(
        Attendance.objects.filter(inmate=inmate)
        .select_related("session__programme")
        .order_by("-session__date", "-session__start_time")[:limit]
    )


def inmate_premi(*, inmate: Inmate, limit: int = 24) -> list[PayoutLine]:
    """Premi paid to the inmate (posted lines with programme and period), newest first."""
    return list(
        PayoutLine.objects.filter(inmate=inmate, posted_at__isnull=False)
        .select_related("run__programme")
        .order_by("-run__period_end", "-pk")[:limit]
    )


@dataclass(frozen=True)
class ProgrammeAttendance:
    programme_id: int
    name: str
    sessions: int  # sessions with attendance recorded
    attended: int
    expected: int  # attendance rows that were owed (not "not required", not cancelled)

    @property
    def rate_pct(self) -> int | None:
        return round(100 * self.attended / self.expected) if self.expected else None


NOT_OWED = (AttendanceCode.NOT_REQUIRED, AttendanceCode.CANCELLED)


def attendance_by_programme(
    *, site: Site, start: dt.date, end: dt.date
) -> list[ProgrammeAttendance]:
    """Attendance recorded in sessions dated `start`..`end`, per programme (one query)."""
    rows = (
        Attendance.objects.filter(
            session__programme__site=site, session__date__gte=start, session__date__lte=end
        )
        .values_list("session__programme_id", "session__programme__name")
        .annotate(
            sessions=Count("session", distinct=True),
            attended=Count("pk", filter=Q(code=AttendanceCode.ATTENDED)),
            expected=Count("pk", filter=~Q(code__in=NOT_OWED)),
        )
        .order_by("session__programme__name")
    )
    return [ProgrammeAttendance(*row) for row in rows]
