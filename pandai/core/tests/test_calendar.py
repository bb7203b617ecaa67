"""Working days: weekends, national holidays and cuti bersama (2024, 2025), site holidays,
and "today" in the site's own time zone."""

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from pandai.core.calendar import (
    add_working_days,
    is_working_day,
    national_holidays,
    site_day_bounds,
    site_today,
    working_days_between,
)
from pandai.core.models import Site, SiteHoliday
from pandai.core.tests.factories import SiteFactory

D = dt.date


# --- Idul Fitri 2024: cuti bersama 8, 9, 12 and 15 April, Idul Fitri 10-11 April ------------


@pytest.mark.parametrize("day", [D(2024, 4, 8), D(2024, 4, 9), D(2024, 4, 12), D(2024, 4, 15)])
def test_cuti_bersama_idul_fitri_2024_are_not_working_days(day):
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [D(2024, 4, 10), D(2024, 4, 11)])
def test_idul_fitri_2024_is_a_holiday(day):
    assert not is_working_day(day)


def test_days_around_lebaran_2024_are_working_days():
    assert is_working_day(D(2024, 4, 5))  # Friday before
    assert is_working_day(D(2024, 4, 16))  # Tuesday after


def test_one_working_day_after_the_friday_before_lebaran_2024_is_the_16th():
    assert add_working_days(D(2024, 4, 5), 1) == D(2024, 4, 16)
    assert working_days_between(D(2024, 4, 5), D(2024, 4, 15)) == 0
    assert working_days_between(D(2024, 4, 5), D(2024, 4, 16)) == 1


def test_fourteen_working_days_across_lebaran_and_labour_day_2024():
    # 16-19, 22-26, 29-30 April (11), 1 May is Labour Day, then 2, 3, 6 May.
    assert add_working_days(D(2024, 4, 5), 14) == D(2024, 5, 6)


# --- 2025: Nyepi cuti bersama 28 March, Idul Fitri 31 March-1 April, cuti bersama 2-7 April ----


@pytest.mark.parametrize(
    "day",
    [D(2025, 3, 28), D(2025, 3, 31), D(2025, 4, 1), D(2025, 4, 2), D(2025, 4, 3), D(2025, 4, 7)],
)
def test_lebaran_2025_holidays_and_cuti_bersama(day):
    assert not is_working_day(day)


def test_deadline_arithmetic_across_lebaran_2025():
    assert add_working_days(D(2025, 3, 27), 1) == D(2025, 4, 8)
    # Ditjenpas: 14 working days for a complaint received on Thursday 27 March 2025:
    # 8-11 April (4), 14-17 (8), Good Friday 18 April, 21-25 (13), 28 April (14).
    assert add_working_days(D(2025, 3, 27), 14) == D(2025, 4, 28)
    assert working_days_between(D(2025, 3, 27), D(2025, 4, 28)) == 14


# --- weekends and the edges ------------------------------------------------------------------


def test_weekends_are_skipped():
    friday = D(2024, 8, 2)
    assert add_working_days(friday, 1) == D(2024, 8, 5)
    assert add_working_days(D(2024, 8, 3), 1) == D(2024, 8, 5)  # from a Saturday
    assert add_working_days(friday, 5) == D(2024, 8, 9)
    assert not is_working_day(D(2024, 8, 3)) and not is_working_day(D(2024, 8, 4))


def test_independence_day_on_a_saturday_changes_nothing_extra():
    # 17 August 2024 was a Saturday: no substitute day off in Indonesia.
    assert add_working_days(D(2024, 8, 16), 1) == D(2024, 8, 19)


def test_zero_days_is_the_start_and_negative_is_refused():
    assert add_working_days(D(2024, 4, 10), 0) == D(2024, 4, 10)
    with pytest.raises(ValueError):
        add_working_days(D(2024, 4, 10), -1)
    assert working_days_between(D(2024, 5, 6), D(2024, 5, 6)) == 0
    assert working_days_between(D(2024, 5, 6), D(2024, 5, 1)) == 0


def test_year_boundary_with_christmas_cuti_bersama_and_new_year():
    # 2024: 25 Dec Christmas, 26 Dec cuti bersama, 1 Jan 2025 New Year.
    assert add_working_days(D(2024, 12, 24), 1) == D(2024, 12, 27)
    assert add_working_days(D(2024, 12, 27), 2) == D(2024, 12, 31)
    assert add_working_days(D(2024, 12, 27), 3) == D(2025, 1, 2)


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=D(2023, 1, 1), max_value=D(2026, 6, 30)),
    n=st.integers(min_value=0, max_value=60),
)
def test_between_counts_back_what_add_adds(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert end == start or is_working_day(end)


# --- a day the site adds itself ------------------------------------------------------------


@pytest.mark.django_db
def test_site_holiday_moves_the_deadline_only_at_that_site():
    blora = SiteFactory(code="BLR")
    semarang = SiteFactory(code="SMG")
    SiteHoliday.objects.create(site=blora, date=D(2024, 4, 16), name="Hari jadi Kabupaten")
    assert add_working_days(D(2024, 4, 5), 1, blora) == D(2024, 4, 17)
    assert add_working_days(D(2024, 4, 5), 1, semarang) == D(2024, 4, 16)
    assert not is_working_day(D(2024, 4, 16), blora)
    assert is_working_day(D(2024, 4, 16), semarang)
    assert working_days_between(D(2024, 4, 5), D(2024, 4, 17), blora) == 1
    assert working_days_between(D(2024, 4, 5), D(2024, 4, 17), semarang) == 2


@pytest.mark.django_db
def test_site_holiday_far_ahead_is_still_counted():
    site = SiteFactory(code="BLR")
    far = add_working_days(D(2024, 1, 2), 150)
    SiteHoliday.objects.create(site=site, date=far, name="Libur lokal")
    assert add_working_days(D(2024, 1, 2), 150, site) > far
    assert working_days_between(D(2024, 1, 2), far, site) == 149


# --- the site's time zone decides "today" -------------------------------------------------


def _site(tz: str) -> Site:
    return Site(name="x", code="X", time_zone=tz)


def test_site_today_around_midnight_wib_vs_wit():
    # 16:30 UTC on 31 Dec 2024 is 23:30 WIB (UTC+7), 00:30 WITA (UTC+8), 01:30 WIT (UTC+9).
    now = dt.datetime(2024, 12, 31, 16, 30, tzinfo=dt.UTC)
    assert site_today(_site("Asia/Jakarta"), now) == D(2024, 12, 31)
    assert site_today(_site("Asia/Makassar"), now) == D(2025, 1, 1)
    assert site_today(_site("Asia/Jayapura"), now) == D(2025, 1, 1)
    # One hour later it is the new year in Blora too.
    later = now + dt.timedelta(hours=1)
    assert site_today(_site("Asia/Jakarta"), later) == D(2025, 1, 1)


def test_site_day_bounds_follow_the_site_time_zone():
    start, end = site_day_bounds(_site("Asia/Jayapura"), D(2025, 1, 1))
    assert start == dt.datetime(2024, 12, 31, 15, 0, tzinfo=dt.UTC)
    assert end - start == dt.timedelta(days=1)
    wib_start, _ = site_day_bounds(_site("Asia/Jakarta"), D(2025, 1, 1))
    assert wib_start == dt.datetime(2024, 12, 31, 17, 0, tzinfo=dt.UTC)
    now = dt.datetime(2024, 12, 31, 16, 30, tzinfo=dt.UTC)
    assert start <= now < end  # already 1 Jan in Jayapura
    assert not (wib_start <= now)  # still 31 Dec in Blora


def test_national_holiday_names_follow_the_ui_language():
    with translation.override("id"):
        assert national_holidays(2024)[D(2024, 4, 10)] == "Hari Raya Idul Fitri"
    with translation.override("en"):
        assert national_holidays(2024)[D(2024, 4, 10)] == "Eid al-Fitr"
