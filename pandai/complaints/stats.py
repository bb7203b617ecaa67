"""Complaint statistics for a period: counts by category, type, channel, status and month;
working days to answer (average, longest), the share answered within the deadline,
satisfaction, items overdue now, and box openings whose slip count and entered items differ.
Reads only; no identity (numbers, categories and dates)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from pandai.complaints.models import (
    BoxOpening,
    Channel,
    Complaint,
    ComplaintType,
    Rating,
    Status,
)
from pandai.complaints.services.base import now
from pandai.complaints.services.deadlines import overdue
from pandai.core.calendar import site_day_bounds, site_today, working_days_between
from pandai.core.charts import Bar, bars
from pandai.core.models import Site

SATISFIED = (Rating.VERY_SATISFIED, Rating.SATISFIED)
MONTHS = (
    _("Jan"),
    _("Feb"),
    _("Mar"),
    _("Apr"),
    _("Mei"),
    _("Jun"),
    _("Jul"),
    _("Agu"),
    _("Sep"),
    _("Okt"),
    _("Nov"),
    _("Des"),
)


_bars = bars  # the charts are drawn by pandai.core.charts (shared with the dashboard)


@dataclass(frozen=True)
class AnsweredRow:
    complaint: Complaint
    received_on: dt.date
    answered_on: dt.date | None
    days: int | None
    on_time: bool | None


@dataclass(frozen=True)
class OpeningRow:
    opening: BoxOpening
    entered: int

    @property
    def differs(self) -> bool:
        return self.entered != self.opening.slip_count


@dataclass
class Stats:
    site: Site
    start: dt.date
    end: dt.date
    total: int = 0
    by_category: list[Bar] = field(default_factory=list)
    by_kind: list[Bar] = field(default_factory=list)
    by_channel: list[Bar] = field(default_factory=list)
    by_status: list[Bar] = field(default_factory=list)
    by_month: list[Bar] = field(default_factory=list)
    by_rating: list[Bar] = field(default_factory=list)
    rows: list[AnsweredRow] = field(default_factory=list)
    answered: int = 0
    avg_days: float | None = None
    max_days: int | None = None
    slowest: Complaint | None = None
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    overdue_now: int = 0
    emergencies: int = 0
    openings: list[OpeningRow] = field(default_factory=list)

    @property
    def on_time_pct(self) -> int | None:
        return round(100 * self.on_time / self.answered) if self.answered else None

    @property
    def satisfied_pct(self) -> int | None:
        return round(100 * self.satisfied / self.rated) if self.rated else None

    @property
    def openings_differing(self) -> list[OpeningRow]:
        return [o for o in self.openings if o.differs]


class _WorkingDays:
    """working_days_between for many pairs: each distinct date is counted once from the
    period's origin, and a pair is the difference of two such counts."""

    def __init__(self, site: Site, origin: dt.date) -> None:
        self.site, self.origin = site, origin
        self._ordinal: dict[dt.date, int] = {}

    def _of(self, day: dt.date) -> int:
        if day not in self._ordinal:
            self._ordinal[day] = working_days_between(self.origin, day, self.site)
        return self._ordinal[day]

    def between(self, start: dt.date, end: dt.date) -> int:
        if end <= start:
            return 0
        if start < self.origin:
            return working_days_between(start, end, self.site)
        return self._of(end) - self._of(start)


def default_period(site: Site) -> tuple[dt.date, dt.date]:
    today = site_today(site, now())
    return today.replace(month=1, day=1), today


def complaints_stats(*, site: Site, start: dt.date, end: dt.date) -> Stats:
    """Everything the statistics page and its XLSX show, for items received from `start` to
    `end` (whole days where the site is)."""
    begin_at, _ = site_day_bounds(site, start)
    _, end_at = site_day_bounds(site, end)
    items = list(
        Complaint.objects.filter(site=site, received_at__gte=begin_at, received_at__lt=end_at)
        .select_related("category")
        .order_by("received_at", "pk")
    )
    stats = Stats(site=site, start=start, end=end, total=len(items))
    stats.by_category = _bars(
        (str(k), label, n)
        for (k, label), n in Counter((c.category_id, c.category.name) for c in items).most_common()
    )
    kinds = Counter(c.kind for c in items)
    stats.by_kind = _bars((k, str(lbl), kinds[k]) for k, lbl in ComplaintType.choices)
    channels = Counter(c.channel for c in items)
    stats.by_channel = _bars((k, str(lbl), channels[k]) for k, lbl in Channel.choices)
    statuses = Counter(c.status for c in items)
    stats.by_status = _bars((k, str(lbl), statuses[k]) for k, lbl in Status.choices)
    stats.by_month = _months(site, start, end, items)
    ratings = Counter(c.rating for c in items if c.rating)
    stats.by_rating = _bars(((k, str(lbl), ratings[k]) for k, lbl in Rating.choices), True)
    stats.rated = sum(ratings.values())
    stats.satisfied = sum(ratings[k] for k in SATISFIED)
    stats.emergencies = sum(1 for c in items if c.is_emergency)
    _answer_times(stats, site, start, items)
    today = site_today(site, now())
    stats.overdue_now = overdue(Complaint.objects.filter(site=site), today).count()
    stats.openings = [
        OpeningRow(o, o.entered)
        for o in BoxOpening.objects.filter(site=site, opened_at__gte=begin_at, opened_at__lt=end_at)
        .annotate(entered=Count("complaints"))
        .order_by("opened_at", "pk")
    ]
    return stats


def _months(site: Site, start: dt.date, end: dt.date, items: list[Complaint]) -> list[Bar]:
    counts = Counter(site_today(site, c.received_at).strftime("%Y-%m") for c in items)
    pairs = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        key = f"{year:04d}-{month:02d}"
        pairs.append((key, f"{MONTHS[month - 1]} {year}", counts[key]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return _bars(pairs, keep_zero=True)


def _answer_times(stats: Stats, site: Site, origin: dt.date, items: list[Complaint]) -> None:
    counter = _WorkingDays(site, origin)
    total_days = 0
    for c in items:
        received_on = site_today(site, c.received_at)
        if c.answered_at is None:
            stats.rows.append(AnsweredRow(c, received_on, None, None, None))
            continue
        answered_on = site_today(site, c.answered_at)
        days = counter.between(received_on, answered_on)
        on_time = answered_on <= c.answer_due
        stats.rows.append(AnsweredRow(c, received_on, answered_on, days, on_time))
        stats.answered += 1
        stats.on_time += on_time
        total_days += days
        if stats.max_days is None or days > stats.max_days:
            stats.max_days, stats.slowest = days, c
    if stats.answered:
        stats.avg_days = round(total_days / stats.answered, 1)
