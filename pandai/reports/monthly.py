"""The monthly report for the regional office (Kanwil): per site, the month's deposits, shop
sales, the money held for inmates at the month's end, complaints (received, answered, within
the deadline, satisfaction), information sessions held and their promises, programme
attendance and premi paid. Read through the other apps' selectors, each bounded by the site
and the month; the same figures feed the page, the XLSX and the PDF."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from pandai.complaints import selectors as complaints
from pandai.core.calendar import site_day_bounds, site_today
from pandai.core.models import Site
from pandai.programs import selectors as programs
from pandai.shop import report_selectors as shop_reports
from pandai.townhall import selectors as townhall
from pandai.wallet import selectors as wallet
from pandai.wallet.closing import closing_figures


@dataclass(frozen=True)
class Tally:
    count: int = 0
    amount_rp: int = 0


@dataclass
class MonthlyFigures:
    site: Site
    month: dt.date  # its first day
    end: dt.date  # the last day counted: the month's last, or today in the current month
    deposits_counter: Tally = Tally()
    deposits_bank: Tally = Tally()
    sales: Tally = Tally()  # receipts and net sales (sales - voids - returns)
    inmates_spendable_rp: int = 0
    inmates_savings_rp: int = 0
    inmates_held_rp: int = 0
    answers: complaints.AnswerFigures = field(default_factory=complaints.AnswerFigures)
    sessions_held: int = 0
    session_attendance: int = 0
    promises_made: int = 0
    promises_done: int = 0  # of the month's promises, done by now
    attendance: list[programs.ProgrammeAttendance] = field(default_factory=list)
    premi_runs: int = 0
    premi_rp: int = 0

    @property
    def deposits(self) -> Tally:
        return Tally(
            self.deposits_counter.count + self.deposits_bank.count,
            self.deposits_counter.amount_rp + self.deposits_bank.amount_rp,
        )

    @property
    def inmates_total_rp(self) -> int:
        return self.inmates_spendable_rp + self.inmates_savings_rp + self.inmates_held_rp

    @property
    def attended(self) -> int:
        return sum(p.attended for p in self.attendance)

    @property
    def expected(self) -> int:
        return sum(p.expected for p in self.attendance)

    @property
    def attendance_pct(self) -> int | None:
        return round(100 * self.attended / self.expected) if self.expected else None


def month_bounds(site: Site, month: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, last day counted) of `month` where the site is; None-free: a future month
    is empty (its last day counted is before its first)."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, min(last, site_today(site))


def _money(f: MonthlyFigures) -> None:
    rows = wallet.deposits_by_day(site=f.site, start=f.month, end=f.end)
    for channel in ("counter", "bank"):
        mine = [r for r in rows if r.channel == channel]
        total = Tally(sum(r.count for r in mine), sum(r.amount_rp for r in mine))
        setattr(f, f"deposits_{channel}", total)
    # sales_by_day: [day, receipts, items, sales, voided n, voided rp, returns n, returns rp, net]
    period = shop_reports.Period(site=f.site, start=f.month, end=f.end)
    sales = shop_reports.sales_by_day(period).rows
    f.sales = Tally(sum(r[1] for r in sales), sum(r[8] for r in sales))
    held = closing_figures(site=f.site, day=f.end)  # balances as of the end of the last day
    f.inmates_spendable_rp = held.inmate_spendable_rp
    f.inmates_savings_rp = held.inmate_savings_rp
    f.inmates_held_rp = held.inmate_held_rp


def _townhall(f: MonthlyFigures) -> None:
    start, _ = site_day_bounds(f.site, f.month)
    _, end = site_day_bounds(f.site, f.end)
    held = (
        townhall.sessions_for_site(site=f.site)
        .filter(starts_at__gte=start, starts_at__lt=end, status="closed")
        .annotate(
            promises_made=Count("promises", distinct=True),
            promises_done=Count(
                "promises", filter=Q(promises__done_at__isnull=False), distinct=True
            ),
        )
    )
    for session in held:
        f.sessions_held += 1
        f.session_attendance += session.present  # type: ignore[attr-defined]
        f.promises_made += session.promises_made
        f.promises_done += session.promises_done


def _programs(f: MonthlyFigures) -> None:
    f.attendance = programs.attendance_by_programme(site=f.site, start=f.month, end=f.end)
    start, _ = site_day_bounds(f.site, f.month)
    _, end = site_day_bounds(f.site, f.end)
    posted = programs.payout_runs(site=f.site).filter(
        status="posted", posted_at__gte=start, posted_at__lt=end
    )
    f.premi_runs = posted.count()
    f.premi_rp = sum(run.total_rp for run in posted)


def monthly_figures(*, site: Site, month: dt.date) -> MonthlyFigures:
    first, end = month_bounds(site, month)
    f = MonthlyFigures(site=site, month=first, end=end)
    if end < first:
        return f
    _money(f)
    f.answers = complaints.answer_figures(site=site, start=first, end=end)
    _townhall(f)
    _programs(f)
    return f
