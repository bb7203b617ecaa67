"""Aturan & pengumuman and Sosialisasi at the kiosk: what is shown (policies with their dates,
announcements, coming sessions, only the sessions the person is invited to), asking and
upvoting through the town hall's services, and every refusal changing nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pandai.core.calendar import site_today
from pandai.inmates.tests.factories import BlockFactory, CellFactory, InmateFactory
from pandai.kiosk import tts
from pandai.kiosk.tests.conftest import pair
from pandai.townhall import services
from pandai.townhall.models import Audience, Question, SessionStatus, Vote
from pandai.townhall.services.questions import MAX_QUESTION_CHARS
from pandai.wallet import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(staff: Any) -> Any:
    return staff("head", username="karutan-kios")


def make_session(site, head, *, days: int = 3, title="Sosialisasi Kartu Pandai", **kw) -> Any:
    return services.session_create(
        site=site,
        actor=head,
        data=services.SessionInput(
            title=title,
            starts_at=clock.now() + dt.timedelta(days=days),
            place=kw.pop("place", "Aula Hanoman"),
            **kw,
        ),
    )


def floor_question(session, head, text: str, asker: Any = None) -> Question:
    """A question of another inmate, published by the moderator."""
    other = asker or InmateFactory(site=session.site)
    q = services.question_submit(session=session, inmate=other, text=text)
    return services.question_publish(question=q, actor=head)


def close(session) -> None:
    type(session).objects.filter(pk=session.pk).update(
        status=SessionStatus.CLOSED, closed_at=timezone.now(), minutes="Notulen.",
        attendance_count=0,
    )  # fmt: skip


def test_rules_show_policies_with_dates_announcements_and_sessions(signed_in, site, head):
    today = site_today(site)
    services.policy_create(
        site=site, actor=head,
        data=services.PolicyInput(
            title="Kartu Pandai pengganti tunai", text="Koperasi hanya menerima kartu.",
            effective_date=today + dt.timedelta(days=10), decided_by="Kepala Rutan",
        ),
    )  # fmt: skip
    services.policy_create(
        site=site, actor=head,
        data=services.PolicyInput(
            title="Jam kunjungan", text="Kunjungan Senin–Kamis.",
            effective_date=today - dt.timedelta(days=30), decided_by="Kepala Rutan",
        ),
    )  # fmt: skip
    shown = services.announcement_create(
        site=site, actor=head,
        data=services.AnnouncementInput(
            title="Koperasi tutup Jumat", text="Stok opname.", publish_from=today
        ),
    )  # fmt: skip
    later = services.announcement_create(
        site=site, actor=head,
        data=services.AnnouncementInput(
            title="Lomba 17 Agustus", text="Daftar di blok.",
            publish_from=today + dt.timedelta(days=5),
        ),
    )  # fmt: skip
    gone = services.announcement_create(
        site=site, actor=head,
        data=services.AnnouncementInput(title="Salah ketik", text="x", publish_from=today),
    )  # fmt: skip
    services.announcement_withdraw(announcement=gone, actor=head, reason="Salah.")
    s = make_session(site, head, place="Aula Hanoman")
    page = signed_in.get("/kios/aturan/").content.decode()
    day = (today + dt.timedelta(days=10)).strftime("%d-%m-%Y")
    assert f"Berlaku mulai {day}" in page and "Kartu Pandai pengganti tunai" in page
    since = (today - dt.timedelta(days=30)).strftime("%d-%m-%Y")
    assert f"Berlaku sejak {since}" in page and "Jam kunjungan" in page
    assert shown.title in page and later.title not in page and gone.title not in page
    local = timezone.localtime(s.starts_at, timezone.get_fixed_timezone(7 * 60))
    assert f"Sosialisasi tanggal {local:%d-%m-%Y}" in page and "tempat Aula Hanoman" in page
    # What the speaker button reads: the coming rule with its date, and the session.
    spoken = " ".join(signed_in.session.get(tts.SESSION_KEY, {}).values())
    if tts.available():
        assert f"Aturan baru: Kartu Pandai pengganti tunai, berlaku mulai {day}." in spoken
        assert "Sosialisasi tanggal" in spoken and "Koperasi tutup Jumat" in spoken


def test_only_the_sessions_i_am_invited_to(signed_in, holder, site, other_site, head, staff):
    everyone = make_session(site, head, title="Untuk semua")
    my_block = make_session(
        site, head, title="Blok saya", audience=Audience.BLOCKS, blocks=(holder.cell.block,)
    )
    other_block = BlockFactory(site=site)
    other_cell = CellFactory(block=other_block)
    not_mine = make_session(
        site, head, title="Blok lain", audience=Audience.BLOCKS, blocks=(other_block,)
    )
    listed = make_session(
        site, head, title="Daftar saya", audience=Audience.LIST, inmates=(holder,)
    )
    other_head = staff("head", at=other_site, username="karutan-lain")
    elsewhere = make_session(other_site, other_head, title="UPT lain")
    past = make_session(site, head, title="Sudah lewat", days=-5)
    page = signed_in.get("/kios/sosialisasi/").content.decode()
    for s in (everyone, my_block, listed):
        assert s.title in page
    for s in (not_mine, elsewhere, past):
        assert s.title not in page
    assert signed_in.get(f"/kios/sosialisasi/{my_block.pk}/").status_code == 200
    # Not invited, another site: 404 for the page, the question and the vote alike.
    for s in (not_mine, elsewhere):
        assert signed_in.get(f"/kios/sosialisasi/{s.pk}/").status_code == 404
        response = signed_in.post(f"/kios/sosialisasi/{s.pk}/tanya/", {"text": "Boleh tanya?"})
        assert response.status_code == 404
    asker = InmateFactory(site=site, cell=other_cell)
    theirs = floor_question(not_mine, head, "Kapan blok B direnovasi?", asker)
    assert signed_in.post(f"/kios/sosialisasi/pertanyaan/{theirs.pk}/dukung/").status_code == 404
    assert signed_in.post("/kios/sosialisasi/pertanyaan/999999/dukung/").status_code == 404
    assert Question.objects.filter(session__in=[not_mine, elsewhere]).count() == 1
    assert Vote.objects.count() == 0


def test_upvote_once_then_sudah_anda_dukung(signed_in, holder, site, head):
    s = make_session(site, head)
    q = floor_question(s, head, "Apakah harga koperasi sama dengan di luar?")
    pending = services.question_submit(
        session=s, inmate=InmateFactory(site=site), text="Pertanyaan belum diperiksa."
    )
    hidden = floor_question(s, head, "Pertanyaan yang disembunyikan.")
    services.question_hide(question=hidden, actor=head, reason="Menyebut nama.")
    page = signed_in.get(f"/kios/sosialisasi/{s.pk}/").content.decode()
    assert q.text in page and pending.text not in page and hidden.text not in page
    assert "0 dukungan" in page and "Sudah Anda dukung" not in page
    url = f"/kios/sosialisasi/pertanyaan/{q.pk}/dukung/"
    done = signed_in.post(url, follow=True).content.decode()
    assert "Dukungan Anda dicatat" in done and "Sudah Anda dukung" in done and "1 dukungan" in done
    again = signed_in.post(url, follow=True).content.decode()
    assert "sudah memilih pertanyaan ini" in again
    assert Vote.objects.filter(question=q, inmate=holder).count() == 1
    # A hidden or pending question takes no vote: the reason is shown, nothing is written.
    for other in (hidden, pending):
        refused = signed_in.post(f"/kios/sosialisasi/pertanyaan/{other.pk}/dukung/", follow=True)
        assert "tidak sedang dibuka untuk dukungan" in refused.content.decode()
    assert Vote.objects.count() == 1


def test_ask_a_question_and_see_its_moderation_state(signed_in, holder, site, head):
    s = make_session(site, head)
    response = signed_in.post(
        f"/kios/sosialisasi/{s.pk}/tanya/", {"text": "Kapan kartu baru dibagikan?"}
    )
    assert response.status_code == 302
    q = Question.objects.get(session=s, inmate=holder)
    assert q.text == "Kapan kartu baru dibagikan?" and q.status == "pending"
    page = signed_in.get(response.url).content.decode()
    assert "Pertanyaan Anda terkirim" in page and "Menunggu moderasi" in page
    services.question_hide(question=q, actor=head, reason="Sudah dijawab di papan.")
    page = signed_in.get(f"/kios/sosialisasi/{s.pk}/").content.decode()
    assert "Disembunyikan" in page and "Sudah dijawab di papan." in page
    # The person's name is never on the screen next to a question.
    assert holder.full_name not in re.sub(r"Selamat datang[^<]*", "", page)


@pytest.mark.parametrize(
    ("text", "message", "kept"),
    [
        ("   ", "Pertanyaan wajib diisi", False),
        ("x" * (MAX_QUESTION_CHARS + 1), "terlalu panjang", True),
    ],
)
def test_bad_questions_change_nothing(signed_in, site, head, text, message, kept):
    s = make_session(site, head)
    response = signed_in.post(f"/kios/sosialisasi/{s.pk}/tanya/", {"text": text})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if kept:  # the long text stays in the field to be shortened, not typed again
        assert f">{text}</textarea>" in page
    assert Question.objects.count() == 0


def test_the_fourth_question_and_a_closed_session_are_refused(signed_in, holder, site, head):
    s = make_session(site, head)
    for i in range(3):
        signed_in.post(f"/kios/sosialisasi/{s.pk}/tanya/", {"text": f"Pertanyaan {i}"})
    refused = signed_in.post(f"/kios/sosialisasi/{s.pk}/tanya/", {"text": "Keempat"})
    assert refused.status_code == 400 and "batas" in refused.content.decode()
    assert Question.objects.filter(inmate=holder).count() == 3
    q = floor_question(s, head, "Bagaimana dengan titipan?")
    close(s)
    page = signed_in.get(f"/kios/sosialisasi/{s.pk}/")
    assert page.status_code == 200 and "Kirim pertanyaan" not in page.content.decode()
    refused = signed_in.post(f"/kios/sosialisasi/{s.pk}/tanya/", {"text": "Terlambat?"})
    assert refused.status_code == 400 and "sudah ditutup" in refused.content.decode()
    vote = signed_in.post(f"/kios/sosialisasi/pertanyaan/{q.pk}/dukung/", follow=True)
    assert "sudah ditutup" in vote.content.decode()
    assert Question.objects.filter(inmate=holder).count() == 3 and Vote.objects.count() == 0


def test_new_screens_need_a_signed_in_person_at_a_paired_kiosk(
    kiosk_client, kiosk_device, site, head, staff
):
    s = make_session(site, head)
    q = floor_question(s, head, "Tanya?")
    urls = ["/kios/aturan/", "/kios/sosialisasi/", f"/kios/sosialisasi/{s.pk}/"]
    posts = [f"/kios/sosialisasi/{s.pk}/tanya/", f"/kios/sosialisasi/pertanyaan/{q.pk}/dukung/"]
    for url in urls:  # paired, nobody signed in: back to the card screen
        assert kiosk_client.get(url).status_code == 302
    for url in posts:
        assert kiosk_client.post(url, {"text": "Halo"}).status_code == 302
    staff_client = Client()
    staff_client.force_login(staff("head", "admin", username="kepala-admin"))
    for client in (Client(), staff_client):
        for url in urls:
            assert client.get(url).status_code == 403
        for url in posts:
            assert client.post(url, {"text": "Halo"}).status_code == 403
    # A browser that paired and then the kiosk was revoked: refused as well.
    other = Client()
    assert pair(other, kiosk_device[1]).status_code == 302
    from pandai.core import services as core_services

    core_services.device_revoke(device=kiosk_device[0], actor=head)
    assert other.get("/kios/aturan/").status_code == 403
    assert Question.objects.count() == 1 and Vote.objects.count() == 0


def test_menu_has_the_new_tiles(signed_in):
    page = signed_in.get("/kios/").content.decode()
    assert "Aturan &amp; pengumuman" in page and 'href="/kios/sosialisasi/"' in page
