"""The monthly report for the regional office: a known month at one site (the dashboard's
world: March 2026), its figures, the page, the XLSX and the PDF, and who may see them."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from pandai.reports.monthly import monthly_figures
from pandai.reports.monthly_export import LINES
from pandai.reports.tests.dashboard_world import at, build
from pandai.townhall import selectors as townhall_selectors
from pandai.townhall.services.attendance import attendance_tick
from pandai.townhall.services.sessions import PromiseInput, session_close, session_open
from pandai.wallet import clock
from pandai.wallet import selectors as wallet_selectors

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)
URL = reverse("reports:monthly")


@pytest.fixture
def moment(monkeypatch: pytest.MonkeyPatch) -> dict[str, dt.datetime]:
    moment: dict[str, dt.datetime] = {}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def world(site, staff, moment) -> dict[str, Any]:
    return build(site, staff, moment)


def line(label: str) -> int:
    return [str(lab) for lab, _v, _k in LINES].index(label)


def test_the_months_figures(world, site):
    f = monthly_figures(site=site, month=dt.date(2026, 3, 17))
    assert (f.month, f.end) == (MARCH, dt.date(2026, 3, 31))
    assert (f.deposits_counter.count, f.deposits_counter.amount_rp) == (3, 85_000)
    assert (f.deposits_bank.count, f.deposits_bank.amount_rp) == (1, 40_000)
    assert f.deposits.amount_rp == 125_000
    assert (f.sales.count, f.sales.amount_rp) == (2, 11_000)
    held = sum(wallet_selectors.balances(inmate=i).total_rp for i in world["inmates"])
    assert f.inmates_total_rp == held
    assert (f.answers.received, f.answers.answered) == (3, 1)
    assert (f.answers.on_time_pct, f.answers.satisfied_pct) == (100, 100)
    assert (f.attended, f.expected, f.attendance_pct) == (2, 3, 67)
    # February's own deposit only
    february = monthly_figures(site=site, month=dt.date(2026, 2, 1))
    assert (february.deposits_counter.count, february.deposits_counter.amount_rp) == (1, 7_000)
    assert february.sales.count == 0


def test_the_page_and_both_files(client, world, site, staff):
    head = staff("head", username="karutan-bulanan")
    client.force_login(head)
    page = client.get(URL, {"bulan": "2026-03"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rp125.000" in html and "Rp11.000" in html and "67%" in html

    export = client.get(URL, {"bulan": "2026-03", "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(export.content))
    summary = list(book.worksheets[0].values)
    assert summary[0][1].endswith(f"({site.code})")
    assert summary[1 + line("Total setoran untuk WBP")][1] == 125_000
    assert summary[1 + line("Pengaduan diterima")][1] == 3
    assert summary[1 + line("Dijawab tepat waktu (%)")][1] == 100
    attendance = list(book.worksheets[1].values)
    assert attendance[1][0] == site.code and attendance[1][3:5] == (2, 3)

    pdf = client.get(URL, {"bulan": "2026-03", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "03-2026" in text and "Rp125.000" in text and site.code in text


def test_sessions_held_and_their_promises(world, site, staff):
    """The world's session of 2 March (two promises made before it) is held: one inmate at the
    door, a third promise at the close."""
    session = townhall_selectors.sessions_for_site(site=site).get()
    assert monthly_figures(site=site, month=MARCH).sessions_held == 0  # planned, not held
    chair = staff("head", username="karutan-sesi")
    moment = at(dt.date(2026, 3, 2), 9, 5)
    session_open(session=session, actor=chair, moment=moment)
    attendance_tick(session=session, inmate=world["inmates"][0], actor=chair, moment=moment)
    promise = PromiseInput("Lampu blok diganti", "Kasubsi", dt.date(2026, 3, 20))
    session_close(
        session=session, actor=chair, minutes="Notulen", promises=[promise], moment=moment
    )
    f = monthly_figures(site=site, month=MARCH)
    assert (f.sessions_held, f.session_attendance) == (1, 1)
    assert (f.promises_made, f.promises_done) == (3, 0)
    assert monthly_figures(site=site, month=dt.date(2026, 4, 1)).sessions_held == 0


def test_only_the_users_sites_and_the_right_roles(client, world, site, other_site, staff):
    kanwil = staff("head", username="kanwil-bulanan")
    staff("cashier", at=other_site, username="kasir-lain")
    client.force_login(kanwil)
    html = client.get(URL, {"bulan": "2026-03"}).content.decode()
    assert site.name in html and other_site.name not in html
    for role in ("cashier", "counter_officer", "complaint_officer"):
        client.force_login(staff(role))
        assert client.get(URL, {"format": "xlsx"}).status_code == 403
