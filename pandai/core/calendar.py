"""Working days: Indonesian national holidays and cuti bersama, plus days a site adds."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone
from django.utils.translation import get_language

from pandai.core.models import Site, SiteHoliday


@lru_cache(maxsize=128)
def _national(year: int, language: str = "id") -> dict[dt.date, str]:
    # "public" = national holidays, "government" = cuti bersama (collective leave).
    return dict(
        holidays.country_holidays(
            "ID", categories=("public", "government"), years=year, language=language
        )
    )


def national_holidays(year: int) -> dict[dt.date, str]:
    """{date: name} of the year's national holidays and cuti bersama, named in the UI language."""
    language = "en_US" if (get_language() or "id").startswith("en") else "id"
    return _national(year, language)


def _site_days(site: Site | None, start: dt.date, end: dt.date) -> set[dt.date]:
    if site is None:
        return set()
    return set(
        SiteHoliday.objects.filter(site=site, date__gte=start, date__lte=end).values_list(
            "date", flat=True
        )
    )


def is_working_day(day: dt.date, site: Site | None = None) -> bool:
    if day.weekday() >= 5 or day in _national(day.year):
        return False
    return day not in _site_days(site, day, day)


def add_working_days(start: dt.date, n: int, site: Site | None = None) -> dt.date:
    """The n-th working day after `start` (start itself does not count). n=0 returns start."""
    if n < 0:
        raise ValueError("n must be >= 0")
    # Fetch the site's own days for a window wide enough for n working days.
    window_end = start + dt.timedelta(days=n * 3 + 60)
    extra = _site_days(site, start, window_end)
    day = start
    remaining = n
    while remaining > 0:
        day += dt.timedelta(days=1)
        if day > window_end:
            extra |= _site_days(site, day, day + dt.timedelta(days=366))
            window_end = day + dt.timedelta(days=366)
        if day.weekday() < 5 and day not in _national(day.year) and day not in extra:
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, site: Site | None = None) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    if end <= start:
        return 0
    extra = _site_days(site, start, end)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in _national(day.year) and day not in extra:
            count += 1
    return count


def site_today(site: Site, now: dt.datetime | None = None) -> dt.date:
    """Today's date where the site is (WIB / WITA / WIT)."""
    return (now or timezone.now()).astimezone(ZoneInfo(site.time_zone)).date()


def site_day_bounds(site: Site, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a calendar day in the site's time zone, as aware datetimes."""
    tz = ZoneInfo(site.time_zone)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)
