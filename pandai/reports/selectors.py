"""The head's dashboard: one site's figures for a day and its month, read through the other
apps' selectors, every one aggregated in SQL on an indexed (site, time) range — no loop over
transfers, sales or complaints in Python. `dashboard(site=, day=)` is what the page shows and
what the growth benchmark times; `regional(sites=, day=)` is the same for several sites.

A "day" and a "month" are the site's calendar (its time zone decides where midnight is); the
month runs from its first day up to `day`, included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pandai.complaints import selectors as complaints
from pandai.core.audit import audit_last_hash_before
from pandai.core.calendar import site_day_bounds, site_today
from pandai.core.models import Site
from pandai.ops.selectors import LastChecks, last_checks
from pandai.programs import selectors as programs
from pandai.shop import report_selectors as shop_reports
from pandai.shop import selectors as shop
from pandai.townhall import selectors as townhall
from pandai.wallet import clock
from pandai.wallet import selectors as wallet

TOP_ITEMS = 5
COMPLAINT_MONTHS = 6  # the complaints chart covers this month and the five before


@dataclass(frozen=True)
class Figure:
    count: int = 0
    amount_rp: int = 0

    def __add__(self, other: Figure) -> Figure:
        return Figure(self.count + other.count, self.amount_rp + other.amount_rp)


@dataclass(frozen=True)
class DayMoney:
    day: dt.date
    counter: Figure = Figure()
    bank: Figure = Figure()
    sales: Figure = Figure()  # receipts and net sales (sales - returns)


@dataclass(frozen=True)
class TopItem:
    name: str
    quantity: int
    amount_rp: int


@dataclass(frozen=True)
class AuditState:
    last_seq: int  # the chain's last sealed row now
    last_hash: str
    checks: LastChecks  # the nightly ledger_check and audit_verify (run_jobs)

    @property
    def ok(self) -> bool | None:
        return self.checks.ok


@dataclass
class Dashboard:
    site: Site
    day: dt.date
    month_start: dt.date
    days: list[DayMoney] = field(default_factory=list)  # every day of the month up to `day`
    top_items: list[TopItem] = field(default_factory=list)
    inmate_money_rp: int = 0
    complaints_by_category: list[complaints.CategoryLoad] = field(default_factory=list)
    complaints_by_month: list[tuple[dt.date, int, str, int]] = field(default_factory=list)
    complaints_from: dt.date | None = None  # first day of the complaints chart
    answers: complaints.AnswerFigures = field(default_factory=complaints.AnswerFigures)
    promises_open: int = 0
    promises_due: int = 0  # open and due today or earlier
    attendance: list[programs.ProgrammeAttendance] = field(default_factory=list)
    attendance_today: list[programs.ProgrammeAttendance] = field(default_factory=list)
    monitoring_flags: int = 0
    retaliation_flags: int = 0
    low_stock: int = 0
    audit: AuditState | None = None

    # --- today and the month ------------------------------------------------------------

    def _today(self) -> DayMoney:
        return next((d for d in self.days if d.day == self.day), DayMoney(self.day))

    @property
    def deposits_counter_today(self) -> Figure:
        return self._today().counter

    @property
    def deposits_bank_today(self) -> Figure:
        return self._today().bank

    @property
    def deposits_today(self) -> Figure:
        return self.deposits_counter_today + self.deposits_bank_today

    @property
    def deposits_counter_month(self) -> Figure:
        return sum((d.counter for d in self.days), Figure())

    @property
    def deposits_bank_month(self) -> Figure:
        return sum((d.bank for d in self.days), Figure())

    @property
    def deposits_month(self) -> Figure:
        return self.deposits_counter_month + self.deposits_bank_month

    @property
    def sales_today(self) -> Figure:
        return self._today().sales

    @property
    def sales_month(self) -> Figure:
        return sum((d.sales for d in self.days), Figure())

    @property
    def complaints_open(self) -> int:
        return sum(c.open for c in self.complaints_by_category)

    @property
    def complaints_overdue(self) -> int:
        return sum(c.overdue for c in self.complaints_by_category)

    @property
    def attended_month(self) -> int:
        return sum(p.attended for p in self.attendance)

    @property
    def expected_month(self) -> int:
        return sum(p.expected for p in self.attendance)

    @property
    def attendance_pct(self) -> int | None:
        expected = self.expected_month
        return round(100 * self.attended_month / expected) if expected else None

    @property
    def attended_today(self) -> int:
        return sum(p.attended for p in self.attendance_today)

    @property
    def waiting_decisions(self) -> int:
        return self.monitoring_flags + self.retaliation_flags


def _months_back(day: dt.date, n: int) -> dt.date:
    """The first day of the month `n` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def _money(d: Dashboard) -> None:
    """Deposits by channel and net shop sales for every day of the month (four grouped
    queries: counter deposits, bank credits, sales, returns)."""
    deposits = wallet.deposits_by_day(site=d.site, start=d.month_start, end=d.day)
    counter = {r.day: Figure(r.count, r.amount_rp) for r in deposits if r.channel == "counter"}
    bank = {r.day: Figure(r.count, r.amount_rp) for r in deposits if r.channel == "bank"}
    period = shop_reports.Period(site=d.site, start=d.month_start, end=d.day)
    # sales_by_day: [day, receipts, items, sales, voided n, voided rp, returns n, returns rp, net]
    sales = {row[0]: Figure(row[1], row[8]) for row in shop_reports.sales_by_day(period).rows}
    day = d.month_start
    while day <= d.day:
        d.days.append(
            DayMoney(
                day,
                counter.get(day, Figure()),
                bank.get(day, Figure()),
                sales.get(day, Figure()),
            )
        )
        day += dt.timedelta(days=1)
    best = shop_reports.best_sellers(period).rows[:TOP_ITEMS]
    # best_sellers: [rank, name, category, net quantity, net sales, receipts, ...]
    d.top_items = [TopItem(row[1], row[3], row[4]) for row in best]


def _complaints(d: Dashboard, today: dt.date) -> None:
    d.complaints_by_category = complaints.open_by_category(site=d.site, today=today)
    d.complaints_from = _months_back(d.day, COMPLAINT_MONTHS - 1)
    d.complaints_by_month = complaints.received_by_month_and_category(
        site=d.site, start=d.complaints_from, end=d.day
    )
    d.answers = complaints.answer_figures(site=d.site, start=d.month_start, end=d.day)
    d.retaliation_flags = complaints.retaliation_waiting_count(site=d.site)


def _audit(d: Dashboard) -> None:
    _start, end = site_day_bounds(d.site, d.day)
    seq, last_hash = audit_last_hash_before(end)
    d.audit = AuditState(seq, last_hash, last_checks(site=d.site))


def dashboard(*, site: Site, day: dt.date | None = None) -> Dashboard:
    """Every figure of the site's dashboard for `day` (default: today where the site is) and
    its month so far. About twenty queries, each bounded by the site and a time range or by
    the site's open items.

    Flows (deposits, sales, answers, attendance) are those of `day` and its month; states
    (open and overdue complaints, promises due, flags waiting, low stock, the money held) are
    always as of now: yesterday's queue cannot be rebuilt from today's records."""
    today = site_today(site, clock.now())
    day = day or today
    d = Dashboard(site=site, day=day, month_start=day.replace(day=1))
    _money(d)
    d.inmate_money_rp = wallet.inmate_money_rp(site=site)
    _complaints(d, today)
    promises = townhall.promises_open(site=site)
    d.promises_open = promises.count()
    d.promises_due = promises.filter(due_date__lte=today).count()
    d.attendance = programs.attendance_by_programme(site=site, start=d.month_start, end=day)
    d.attendance_today = programs.attendance_by_programme(site=site, start=day, end=day)
    d.monitoring_flags = wallet.open_flags_count(site=site)
    d.low_stock = shop.low_stock_count(site=site)
    _audit(d)
    return d


def regional(*, sites: list[Site], day: dt.date | None = None) -> list[Dashboard]:
    """The same figures for each site, side by side (each on its own calendar day: sites in
    different time zones may be on different dates at the same moment)."""
    return [dashboard(site=site, day=day) for site in sites]
