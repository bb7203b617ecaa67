"""Premi payout runs: compute each participant's premi for a period from attendance, pieces
and the programme's rates; show it for review; post every line through the ledger's
`premi_credit` (which splits off the compulsory savings share) with a key derived from the run
and the line, so pressing "post" twice pays once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.calendar import site_today
from pandai.core.models import User
from pandai.inmates.models import Inmate, InmateStatus
from pandai.programs.errors import ProgramError
from pandai.programs.models import (
    Attendance,
    AttendanceCode,
    PayoutLine,
    PayoutRun,
    PayRate,
    Programme,
    RateBasis,
    RunStatus,
    SessionStatus,
)
from pandai.wallet import clock
from pandai.wallet import services as wallet
from pandai.wallet.errors import LedgerError

MAX_PERIOD_DAYS = 62


@dataclass
class LineFigures:
    inmate: Inmate
    sessions_paid: int = 0
    pieces: int = 0
    amount_rp: int = 0
    skip_reason: str = ""
    days: list[dt.date] = field(default_factory=list)


def _rate_on(rates: list[PayRate], basis: str, day: dt.date) -> int:
    """The newest rate of `basis` in force on `day` (rates are sorted newest first)."""
    for rate in rates:
        if rate.basis == basis and rate.valid_from <= day:
            return rate.amount_rp
    return 0


def payout_compute(
    *, programme: Programme, period_start: dt.date, period_end: dt.date
) -> list[LineFigures]:
    """Each participant's premi for the period: sessions attended x the per-session rate plus
    pieces x the per-piece rate, each at the rate in force on the session's date."""
    rates = list(PayRate.objects.filter(programme=programme).order_by("-valid_from"))
    records = (
        Attendance.objects.filter(
            session__programme=programme,
            session__date__gte=period_start,
            session__date__lte=period_end,
            code=AttendanceCode.ATTENDED,
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("inmate", "session")
        .order_by("inmate__full_name", "inmate_id", "session__date")
    )
    lines: dict[int, LineFigures] = {}
    for record in records:
        line = lines.setdefault(record.inmate_id, LineFigures(inmate=record.inmate))
        day = record.session.date
        line.sessions_paid += 1
        line.pieces += record.pieces
        line.amount_rp += _rate_on(rates, RateBasis.SESSION, day)
        line.amount_rp += record.pieces * _rate_on(rates, RateBasis.PIECE, day)
        line.days.append(day)
    for line in lines.values():
        if line.inmate.status != InmateStatus.ACTIVE or line.inmate.site_id != programme.site_id:
            # Their accounts are closed or moved with them: the ledger would refuse.
            line.skip_reason = _("WBP sudah tidak aktif di UPT ini (%(status)s).") % {
                "status": InmateStatus(line.inmate.status).label.lower()
            }
    return list(lines.values())


def _overlapping(programme: Programme, start: dt.date, end: dt.date) -> list[PayoutRun]:
    return list(
        PayoutRun.objects.filter(
            programme=programme, period_start__lte=end, period_end__gte=start
        ).order_by("pk")
    )


def _write_lines(run: PayoutRun) -> None:
    figures = payout_compute(
        programme=run.programme, period_start=run.period_start, period_end=run.period_end
    )
    PayoutLine.objects.bulk_create(
        PayoutLine(
            run=run,
            inmate=f.inmate,
            sessions_paid=f.sessions_paid,
            pieces=f.pieces,
            amount_rp=f.amount_rp,
            skip_reason=f.skip_reason,
        )
        for f in figures
    )
    run.total_rp = sum(f.amount_rp for f in figures if not f.skip_reason)


@transaction.atomic
def payout_run_create(
    *,
    programme: Programme,
    period_start: dt.date,
    period_end: dt.date,
    actor: User,
    now: dt.datetime | None = None,
) -> PayoutRun:
    """A draft run for the period with every participant's amount, for review."""
    now = now or clock.now()
    programme = Programme.objects.select_for_update().select_related("site").get(pk=programme.pk)
    if period_end < period_start:
        raise ProgramError("period", _("Akhir periode tidak boleh sebelum awalnya."))
    if (period_end - period_start).days >= MAX_PERIOD_DAYS:
        raise ProgramError("period", _("Periode paling lama dua bulan (mingguan atau bulanan)."))
    if period_end > site_today(programme.site, now):
        raise ProgramError("period", _("Periode tidak boleh melewati hari ini."))
    for other in _overlapping(programme, period_start, period_end):
        if other.is_posted:
            raise ProgramError(
                "overlap_posted",
                _("Periode ini bertumpang tindih dengan premi yang sudah dibayarkan (%(run)s).")
                % {"run": f"{other.period_start:%d-%m-%Y} – {other.period_end:%d-%m-%Y}"},
            )
        raise ProgramError(
            "overlap_draft",
            _("Sudah ada draf premi untuk sebagian periode ini; buka draf itu (%(run)s).")
            % {"run": f"{other.period_start:%d-%m-%Y} – {other.period_end:%d-%m-%Y}"},
        )
    run = PayoutRun.objects.create(
        site=programme.site,
        programme=programme,
        period_start=period_start,
        period_end=period_end,
        computed_at=now,
        created_by=actor,
    )
    _write_lines(run)
    run.save(update_fields=["total_rp"])
    return run


def _lock_run(run: PayoutRun) -> PayoutRun:
    # Programme first, then the run: the same order as payout_run_create.
    Programme.objects.select_for_update().filter(pk=run.programme_id).first()
    return PayoutRun.objects.select_for_update().select_related("programme__site").get(pk=run.pk)


@transaction.atomic
def payout_run_recompute(
    *, run: PayoutRun, actor: User, now: dt.datetime | None = None
) -> PayoutRun:
    """Compute a draft again (after attendance or rates were corrected); the review is void."""
    run = _lock_run(run)
    if run.is_posted:
        raise ProgramError("posted", _("Premi ini sudah dibukukan dan tidak bisa dihitung ulang."))
    run.lines.all().delete()
    _write_lines(run)
    run.computed_at = now or clock.now()
    run.reviewed_at, run.reviewed_by = None, None
    run.save(update_fields=["total_rp", "computed_at", "reviewed_at", "reviewed_by"])
    return run


@transaction.atomic
def payout_run_review(*, run: PayoutRun, actor: User, now: dt.datetime | None = None) -> PayoutRun:
    """Record that the amounts were checked (required before posting)."""
    run = _lock_run(run)
    if run.is_posted:
        raise ProgramError("posted", _("Premi ini sudah dibukukan."))
    run.reviewed_at, run.reviewed_by = now or clock.now(), actor
    run.save(update_fields=["reviewed_at", "reviewed_by"])
    return run


@dataclass(frozen=True)
class PostResult:
    run: PayoutRun
    replayed: bool  # True: the run had been posted already and nothing was paid now
    paid_lines: int = 0


def _same_figures(run: PayoutRun) -> bool:
    stored = {
        (line.inmate_id, line.sessions_paid, line.pieces, line.amount_rp)
        for line in run.lines.all()
    }
    fresh = {
        (f.inmate.pk, f.sessions_paid, f.pieces, f.amount_rp)
        for f in payout_compute(
            programme=run.programme, period_start=run.period_start, period_end=run.period_end
        )
    }
    return stored == fresh


def line_key(run: PayoutRun, line: PayoutLine) -> str:
    """One ledger key per run and line: a retry or a second press replays, never pays again."""
    return f"premi:run{run.pk}:inmate{line.inmate_id}"


@transaction.atomic
def payout_run_post(*, run: PayoutRun, actor: User, now: dt.datetime | None = None) -> PostResult:
    """Pay every line of a reviewed draft through the ledger, all lines or none."""
    now = now or clock.now()
    run = _lock_run(run)
    if run.is_posted:
        return PostResult(run=run, replayed=True)
    if run.reviewed_at is None:
        raise ProgramError("not_reviewed", _("Periksa dan tandai rincian premi sebelum dibukukan."))
    if any(o.is_posted for o in _overlapping(run.programme, run.period_start, run.period_end)):
        raise ProgramError(
            "overlap_posted", _("Sebagian periode ini sudah dibayarkan oleh premi lain.")
        )
    if not _same_figures(run):
        raise ProgramError(
            "stale",
            _("Kehadiran atau tarif berubah sesudah dihitung. Hitung ulang dan periksa lagi."),
        )
    programme = run.programme
    reference = f"premi {programme.name} {run.period_start:%d/%m}-{run.period_end:%d/%m/%Y}"
    paid = 0
    lines = run.lines.select_related("inmate__site").filter(amount_rp__gt=0, skip_reason="")
    for line in lines:
        key = line_key(run, line)
        try:
            result = wallet.premi_credit(
                inmate=line.inmate,
                amount_rp=line.amount_rp,
                idempotency_key=key,
                actor=actor,
                reference=reference[:120],
                now=now,
            )
        except LedgerError as exc:
            raise ProgramError("ledger", f"{line.inmate.full_name}: {exc.message}") from exc
        line.idempotency_key = key
        line.batch_id = result.batch.pk
        line.posted_at = now
        line.save(update_fields=["idempotency_key", "batch_id", "posted_at"])
        paid += 1
    run.status = RunStatus.POSTED
    run.posted_at, run.posted_by = now, actor
    run.save(update_fields=["status", "posted_at", "posted_by"])
    audit_append(
        action="programs.premi_posted",
        site=run.site,
        actor=actor,
        obj=run,
        data={"programme": programme.pk, "total_rp": run.total_rp, "lines": paid},
    )
    return PostResult(run=run, replayed=False, paid_lines=paid)
