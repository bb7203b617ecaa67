"""Deadlines in working days across real Indonesian holidays and cuti bersama, weekends and a
day the site adds; the one-time extension."""

from __future__ import annotations

import datetime as dt

import pytest

from pandai.complaints import services
from pandai.complaints.models import Complaint, ComplaintHistory
from pandai.core.models import SiteHoliday

D = dt.date


def due(site, category, day, emergency=False):  # type: ignore[no-untyped-def]
    return services.deadlines_for(
        site=site, category=category, received_on=day, is_emergency=emergency
    )


def test_idul_fitri_2024_cuti_bersama(site, categories):  # type: ignore[no-untyped-def]
    # Fri 5 Apr 2024; 8-12 and 15 Apr are Idul Fitri and cuti bersama, then 1 May, 9-10 May.
    verify, answer = due(site, categories["makanan"], D(2024, 4, 5))
    assert verify == D(2024, 4, 18)
    assert answer == D(2024, 5, 6)


def test_idul_fitri_2025_and_nyepi(site, categories):  # type: ignore[no-untyped-def]
    # Thu 27 Mar 2025: Nyepi cuti bersama 28 Mar, Idul Fitri 31 Mar-7 Apr.
    verify, _ = due(site, categories["makanan"], D(2025, 3, 27))
    assert verify == D(2025, 4, 10)
    assert due(site, categories["kesehatan"], D(2025, 3, 27), emergency=True) == (
        D(2025, 4, 8),
        D(2025, 4, 8),
    )


def test_weekend_receipt_counts_from_monday(site, categories):  # type: ignore[no-untyped-def]
    verify, answer = due(site, categories["makanan"], D(2026, 3, 7))  # a Saturday
    assert verify == D(2026, 3, 11)  # Mon 9, Tue 10, Wed 11
    assert answer.weekday() < 5


def test_site_added_day_is_skipped(site, categories):  # type: ignore[no-untyped-def]
    SiteHoliday.objects.create(site=site, date=D(2024, 4, 16), name="Hari jadi UPT")
    verify, _ = due(site, categories["makanan"], D(2024, 4, 5))
    assert verify == D(2024, 4, 19)


def test_category_override(site, categories, head):  # type: ignore[no-untyped-def]
    cat = categories["kesehatan"]
    services.category_save(
        site=site, actor=head, category=cat, name=cat.name, verify_days=1, answer_days=5
    )
    cat.refresh_from_db()
    assert due(site, cat, D(2026, 3, 2)) == (D(2026, 3, 3), D(2026, 3, 9))


def test_extend_once_with_reason(oral, officer, official):  # type: ignore[no-untyped-def]
    c = oral().complaint
    c = services.complaint_assign(complaint=c, actor=officer, assignee=official, instruction="x")
    before = c.answer_due
    with pytest.raises(services.ComplaintError):
        services.complaint_extend(complaint=c, actor=officer, reason="   ")
    c = services.complaint_extend(complaint=c, actor=officer, reason="Menunggu hasil lab.")
    assert c.answer_due > before and c.extended
    rows = ComplaintHistory.objects.filter(complaint=c).count()
    with pytest.raises(services.ComplaintError) as exc:
        services.complaint_extend(complaint=c, actor=officer, reason="Lagi.")
    assert exc.value.code == "already_extended"
    fresh = Complaint.objects.get(pk=c.pk)
    assert fresh.answer_due == c.answer_due
    assert ComplaintHistory.objects.filter(complaint=c).count() == rows
