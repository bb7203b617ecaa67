"""Statistics: the figures (counts, working days to answer, on time, satisfaction, overdue,
box openings that differ), the page and its XLSX (HTML/JS and formula-like text kept as
inert text)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pandai.complaints import services
from pandai.complaints.models import Rating
from pandai.complaints.services.satisfaction import complaint_rate
from pandai.complaints.stats import complaints_stats
from pandai.core.calendar import working_days_between
from pandai.wallet import clock

pytestmark = pytest.mark.django_db

INJECTION = "=cmd|' /C calc'!A0"
SCRIPT = "<script>alert(1)</script>"
RECEIVED = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)  # Monday 10:00 WIB
LATE = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)
PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 6, 1))


def at(monkeypatch: Any, moment: dt.datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


@pytest.fixture
def world(monkeypatch, oral, officer, official, categories, opening):
    """Three items received on 2 March 2026: one answered in 2 working days and rated
    'satisfied', one answered on 1 June (late) and rated 'very dissatisfied', one never
    handled (overdue by June). A box opening that found 3 slips has 1 entered."""
    at(monkeypatch, RECEIVED)
    quick = oral(title=INJECTION).complaint
    slow = oral(category=categories["kesehatan"], title=SCRIPT).complaint
    idle = oral().complaint
    services.complaint_submit_slip(
        opening=opening,
        actor=officer,
        kind="aspiration",
        category=categories["kebersihan"],
        identity="anonymous",
        text="Kamar mandi bocor.",
    )
    for c, moment, rating in (
        (quick, RECEIVED + dt.timedelta(days=2), Rating.SATISFIED),
        (slow, LATE, Rating.VERY_DISSATISFIED),
    ):
        at(monkeypatch, moment)
        c = services.complaint_assign(
            complaint=c, actor=officer, assignee=official, instruction="x"
        )
        c = services.complaint_answer(complaint=c, actor=official, text="Sudah.")
        complaint_rate(complaint=c, rating=rating)
    at(monkeypatch, LATE)
    return {"quick": quick, "slow": slow, "idle": idle}


def test_the_figures(world, site):
    s = complaints_stats(site=site, start=PERIOD[0], end=PERIOD[1])
    slow_days = working_days_between(dt.date(2026, 3, 2), dt.date(2026, 6, 1), site)
    assert s.total == 4
    assert s.answered == 2
    assert s.max_days == slow_days and s.slowest == world["slow"]
    assert s.avg_days == round((2 + slow_days) / 2, 1)
    assert (s.on_time, s.on_time_pct) == (1, 50)
    assert (s.rated, s.satisfied, s.satisfied_pct) == (2, 1, 50)
    assert s.overdue_now == 2  # the idle item and the slip, never verified
    assert {b.label: b.count for b in s.by_category}["Kesehatan"] == 1
    assert {b.key: b.count for b in s.by_channel} == {"box": 1, "oral": 3}
    assert {b.key: b.count for b in s.by_month}["2026-03"] == 4
    assert [b.key for b in s.by_month] == [
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
    ]
    assert [(o.opening.slip_count, o.entered, o.differs) for o in s.openings] == [(3, 1, True)]


def test_an_empty_period(world, site):
    s = complaints_stats(site=site, start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31))
    assert (s.total, s.answered, s.avg_days, s.on_time_pct, s.satisfied_pct) == (
        0,
        0,
        None,
        None,
        None,
    )


def test_page_shows_charts_and_escapes_text(world, client, staff):
    client.force_login(staff("auditor"))
    response = client.get(reverse("complaints:stats"), {"start": "2026-01-01", "end": "2026-06-01"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and 'class="bar' in page
    assert 'data-figure="on_time_pct"><strong>50%' in page
    assert "berbeda" in page
    assert SCRIPT not in page


def test_xlsx_keeps_formulas_and_html_as_plain_text(world, client, staff):
    client.force_login(staff("complaint_officer", username="statistik"))
    response = client.get(
        reverse("complaints:stats_export"), {"start": "2026-01-01", "end": "2026-06-01"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    items = book["Pengaduan"]
    header = [c.value for c in items[1]]
    titles = {
        row[0]: row[header.index("Ringkasan")] for row in items.iter_rows(2, values_only=True)
    }
    assert titles[world["quick"].number] == "'" + INJECTION
    assert titles[world["slow"].number] == SCRIPT
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(2, values_only=True)}
    assert summary["Dijawab tepat waktu (%)"] == 50
    assert summary["Terlambat saat ini"] == 2


def test_stats_are_for_those_who_may_see_them(client, staff, site):
    client.force_login(staff("cashier"))
    assert client.get(reverse("complaints:stats")).status_code == 403
    assert client.get(reverse("complaints:stats_export")).status_code == 403
