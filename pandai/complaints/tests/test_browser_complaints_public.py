"""Browser: the complainant's tracking page (number + follow-up code, no login) shows the answer
and takes a rating; an overdue item appears in the head's queue."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from pandai.complaints import services
from pandai.complaints.models import Complaint, Rating
from pandai.complaints.services.public import neutral_message

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_tracking_page_shows_the_answer_and_takes_a_rating(  # type: ignore[no-untyped-def]
    page, live_server, oral, officer, official
):
    receipt = oral()
    c = services.complaint_assign(
        complaint=receipt.complaint, actor=officer, assignee=official, instruction="Cek dapur."
    )
    services.complaint_answer(
        complaint=c, actor=official, text="Dapur sudah diperiksa; <b>menu</b> malam diganti."
    )

    page.goto(f"{live_server.url}/pengaduan/lacak/")
    page.get_by_label("Nomor pengaduan").fill(c.number)
    page.get_by_label("Kode tindak lanjut").fill("AAAA-AAAA")
    page.get_by_role("button", name="Lihat").click()
    expect(page.get_by_role("alert")).to_have_text(neutral_message())

    page.get_by_label("Kode tindak lanjut").fill(receipt.followup_code.lower())
    page.get_by_role("button", name="Lihat").click()
    expect(page.locator(".track-status")).to_have_text("Dijawab")
    expect(page.locator("#answer")).to_have_text(
        "Dapur sudah diperiksa; <b>menu</b> malam diganti."
    )
    page.get_by_label("Sebagian terselesaikan").check()
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.locator(".msg-success")).to_contain_text("penilaian Anda sudah dicatat")
    expect(page.get_by_role("button", name="Kirim penilaian")).to_have_count(0)
    assert Complaint.objects.get(pk=c.pk).rating == Rating.PARTLY

    page.get_by_role("button", name="Selesai").click()
    expect(page.get_by_label("Kode tindak lanjut")).to_be_visible()
    page.goto(f"{live_server.url}/pengaduan/lacak/hasil/")
    expect(page.locator("#answer")).to_have_count(0)


def test_an_overdue_item_is_in_the_heads_queue(  # type: ignore[no-untyped-def]
    page, live_server, login, oral, head
):
    c = oral().complaint
    past = dt.date(2026, 1, 5)
    Complaint.objects.filter(pk=c.pk).update(verify_due=past, answer_due=past)
    services.complaints_tick()

    login(page, head)
    page.goto(f"{live_server.url}/pengaduan/?q=overdue")
    expect(page.get_by_role("link", name=c.number)).to_be_visible()
