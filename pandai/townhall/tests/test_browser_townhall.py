"""Browser: the day of the article — prepare a sosialisasi with a policy and two questions
from the complaint box, open it, count five cards at the door, publish and upvote a question,
pin and answer it while the projector shows it, close with minutes and a promise; the
complaint shows the answer."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from pandai.complaints.models import Status
from pandai.core.calendar import site_today
from pandai.townhall import services
from pandai.townhall.models import Attendance, Question, Session, Vote
from pandai.townhall.tests.conftest import UIDS
from pandai.townhall.tests.factories import waiting_complaint

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def tap_card(page: Page, uid: str) -> None:
    """A keyboard-wedge reader: the UID typed fast into the focused field, then Enter."""
    page.keyboard.type(uid, delay=10)
    page.keyboard.press("Enter")


def test_sosialisasi_day(page, live_server, login, site, head, holders):
    policy = services.policy_create(
        site=site,
        actor=head,
        data=services.PolicyInput(
            title="Kartu Pandai pengganti uang tunai",
            text="Mulai 1 Juli semua transaksi koperasi memakai Kartu Pandai.",
            effective_date=site_today(site) + dt.timedelta(days=5),
            decided_by="Kepala Rutan Blora",
            switch="shop_card_only",
            card_only=True,
        ),
    )
    price = waiting_complaint(site=site, officer=head, inmate=holders[0], title="Harga mi naik")
    waiting_complaint(site=site, officer=head, inmate=holders[1], title="Air kamar mandi")

    login(page, head)
    page.get_by_role("link", name="Sosialisasi").first.click()
    page.locator("#session-new").click()
    page.fill("#id_title", "Sosialisasi Kartu Pandai")
    page.fill("#id_day", site_today(site).isoformat())
    page.fill("#id_time", "09:00")
    page.fill("#id_place", "Aula Hanoman")
    page.locator("#session-form button[type=submit]").click()
    expect(page.get_by_test_id("session-title")).to_have_text("Sosialisasi Kartu Pandai")
    session = Session.objects.get()

    page.fill("#agenda-title", "Penjelasan Kartu Pandai")
    page.locator("#agenda-policy").select_option(str(policy.pk))
    page.locator("#agenda-form button[type=submit]").click()
    expect(page.get_by_test_id("agenda")).to_contain_text(policy.title)
    page.locator("#import-submit").click()
    expect(page.locator(".msg-success")).to_contain_text("2 pertanyaan")
    page.locator("#session-open").click()
    expect(page.get_by_test_id("session-status")).to_have_text("Berlangsung")

    # The door: five cards, one tapped twice.
    page.locator("#go-door").click()
    expect(page.locator("#tap-card")).to_be_focused()
    for n, uid in enumerate(UIDS, start=1):
        tap_card(page, uid)
        expect(page.get_by_test_id("count-present")).to_have_text(str(n))
        expect(page.get_by_test_id("tap-result")).to_contain_text("✓")
        expect(page.locator("#tap-card")).to_be_focused()
    tap_card(page, UIDS[0])
    expect(page.get_by_test_id("tap-result")).to_contain_text("sudah tercatat hadir")
    expect(page.get_by_test_id("count-present")).to_have_text("5")
    assert Attendance.objects.filter(session=session).count() == 5

    # The projector, in a second tab of the same browser.
    screen = page.context.new_page()
    screen.goto(f"{live_server.url}/sosialisasi/{session.pk}/layar/")
    expect(screen.get_by_test_id("presenter-present")).to_have_text("5")

    # Moderator publishes the price question; an inmate supports it with the card.
    question = Question.objects.get(complaint=price)
    page.goto(f"{live_server.url}/sosialisasi/{session.pk}/moderasi/")
    page.get_by_test_id(f"question-{question.pk}").get_by_role("button", name="Tampilkan").click()
    expect(screen.get_by_test_id("presenter-next")).to_contain_text("Harga mi naik")
    page.goto(f"{live_server.url}/sosialisasi/{session.pk}/dukung/")
    page.get_by_test_id(f"vote-q-{question.pk}").check()
    page.locator("#tap-card").focus()
    tap_card(page, UIDS[3])
    expect(page.get_by_test_id("vote-result")).to_contain_text("Dukungan tercatat")
    page.get_by_test_id(f"vote-q-{question.pk}").check()
    page.locator("#tap-card").focus()
    tap_card(page, UIDS[3])
    expect(page.get_by_test_id("vote-result")).to_contain_text("sudah memilih")
    assert Vote.objects.filter(question=question).count() == 1

    # Pin it: the projector shows it as the current question; answer it.
    page.goto(f"{live_server.url}/sosialisasi/{session.pk}/moderasi/")
    card = page.get_by_test_id(f"question-{question.pk}")
    expect(card.get_by_test_id(f"votes-{question.pk}")).to_have_text("1")
    card.get_by_role("button", name="Jawab sekarang").click()
    expect(screen.get_by_test_id("presenter-current")).to_contain_text("Harga mi naik")
    card = page.get_by_test_id(f"question-{question.pk}")
    card.locator("textarea[name=answer]").fill("Harga mengikuti pasar; daftar harga ditempel.")
    card.get_by_role("button", name="Tandai dijawab").click()
    expect(screen.get_by_test_id("presenter-answered")).to_contain_text("daftar harga ditempel")
    expect(screen.get_by_test_id("presenter-current")).not_to_contain_text("Harga mi naik")

    # Close with minutes and a promise.
    page.goto(f"{live_server.url}/sosialisasi/{session.pk}/tutup/")
    page.fill("#id_minutes", "Karutan menjelaskan Kartu Pandai mulai 1 Juli 2024.")
    page.get_by_test_id("promise-what-1").fill("Daftar harga ditempel di setiap blok")
    page.get_by_test_id("promise-who-1").fill("Kasubsi Pelayanan")
    page.get_by_test_id("promise-due-1").fill((site_today(site) + dt.timedelta(days=7)).isoformat())
    page.locator("#close-submit").click()
    expect(page.get_by_test_id("session-status")).to_have_text("Selesai")
    expect(page.get_by_test_id("attendance-count")).to_have_text("5")
    expect(page.get_by_test_id("promises")).to_contain_text("Daftar harga ditempel")

    # The complaint shows the answer given at the session.
    page.goto(f"{live_server.url}/pengaduan/{price.pk}/")
    expect(page.get_by_test_id("history")).to_contain_text("daftar harga ditempel")
    price.refresh_from_db()
    assert price.status == Status.ANSWERED and price.session_answered_at is not None
    screen.close()
