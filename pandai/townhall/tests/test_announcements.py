"""Announcements for the kiosks: written, shown between their dates in the site's day,
withdrawn with a reason; refusals change nothing; only who keeps the policy register writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pandai.core.audit import AuditEvent
from pandai.core.calendar import site_today
from pandai.townhall import selectors, services
from pandai.townhall.errors import TownhallError
from pandai.townhall.models import Announcement
from pandai.wallet import clock

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))


def make(site, actor, *, start: dt.date, until: dt.date | None = None, title="Jam kunjungan"):
    return services.announcement_create(
        site=site,
        actor=actor,
        data=services.AnnouncementInput(
            title=title, text="Kunjungan Sabtu pukul 09.00–12.00.", publish_from=start,
            publish_until=until,
        ),
    )  # fmt: skip


def test_shown_between_its_dates_in_the_sites_day(site, head, monkeypatch):
    july = dt.date(2030, 7, 1)
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2030, 6, 30, 12, tzinfo=WIB))
    a = make(site, head, start=july, until=dt.date(2030, 7, 3))
    forever = make(site, head, start=dt.date(2030, 6, 1), title="Koperasi tutup Jumat")

    def shown(hour_day: dt.datetime) -> list[str]:
        return [x.title for x in selectors.announcements_current(site=site, moment=hour_day)]

    # 30 June 23:30 WIB is still June at Blora (but 1 July further east).
    assert shown(dt.datetime(2030, 6, 30, 23, 30, tzinfo=WIB)) == [forever.title]
    assert shown(dt.datetime(2030, 7, 1, 0, 5, tzinfo=WIB)) == [a.title, forever.title]
    assert shown(dt.datetime(2030, 7, 3, 23, 0, tzinfo=WIB)) == [a.title, forever.title]
    assert shown(dt.datetime(2030, 7, 4, 0, 5, tzinfo=WIB)) == [forever.title]
    event = AuditEvent.objects.get(action="townhall.announcement_create", object_id=str(a.pk))
    assert event.actor == head


def test_withdrawn_leaves_the_kiosk_at_once_and_once(site, head):
    today = site_today(site)
    a = make(site, head, start=today)
    assert list(selectors.announcements_current(site=site)) == [a]
    with pytest.raises(TownhallError) as empty:
        services.announcement_withdraw(announcement=a, actor=head, reason="  ")
    assert empty.value.code == "empty"
    a.refresh_from_db()
    assert a.withdrawn_at is None
    services.announcement_withdraw(announcement=a, actor=head, reason="Salah tanggal.")
    assert list(selectors.announcements_current(site=site)) == []
    a.refresh_from_db()
    assert a.withdrawn_by == head and a.withdraw_reason == "Salah tanggal."
    with pytest.raises(TownhallError) as again:
        services.announcement_withdraw(announcement=a, actor=head, reason="Lagi.")
    assert again.value.code == "withdrawn"
    assert AuditEvent.objects.filter(action="townhall.announcement_withdraw").count() == 1


@pytest.mark.parametrize(
    ("title", "text", "start", "until", "code"),
    [
        ("", "Isi.", 0, None, "empty"),
        ("Judul", "", 0, None, "empty"),
        ("J" * 201, "Isi.", 0, None, "too_long"),
        ("Judul", "x" * 2001, 0, None, "too_long"),
        ("Judul", "Isi.", 3, 1, "dates"),
        ("Judul", "Isi.", -5, -1, "past"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(site, head, title, text, start, until, code):
    today = site_today(site)
    with pytest.raises(TownhallError) as refused:
        services.announcement_create(
            site=site,
            actor=head,
            data=services.AnnouncementInput(
                title=title,
                text=text,
                publish_from=today + dt.timedelta(days=start),
                publish_until=None if until is None else today + dt.timedelta(days=until),
            ),
        )
    assert refused.value.code == code and refused.value.message
    assert Announcement.objects.count() == 0
    assert not AuditEvent.objects.filter(action="townhall.announcement_create").exists()


def test_the_staff_page_creates_lists_and_withdraws(client, site, head):
    client.force_login(head)
    today = site_today(site)
    page = client.get(reverse("townhall:announcement_list"))
    assert page.status_code == 200 and "Belum ada pengumuman" in page.content.decode()
    bad = client.post(
        reverse("townhall:announcement_create"),
        {"title": "Kunjungan", "text": "Isi.", "publish_from": today.isoformat(),
         "publish_until": (today - dt.timedelta(days=2)).isoformat()},
    )  # fmt: skip
    assert bad.status_code == 400 and "tidak boleh sebelum" in bad.content.decode()
    assert Announcement.objects.count() == 0
    done = client.post(
        reverse("townhall:announcement_create"),
        {"title": "Kunjungan Lebaran", "text": "Kunjungan diperpanjang.",
         "publish_from": today.isoformat()},
    )  # fmt: skip
    assert done.status_code == 302
    a = Announcement.objects.get()
    assert a.site == site and a.created_by == head and a.publish_until is None
    page = client.get(reverse("townhall:announcement_list")).content.decode()
    assert "Kunjungan Lebaran" in page and "Tampil" in page
    url = reverse("townhall:announcement_withdraw", args=[a.pk])
    refused = client.post(url, {"reason": ""}, follow=True)
    assert "wajib diisi" in refused.content.decode()
    a.refresh_from_db()
    assert a.withdrawn_at is None
    client.post(url, {"reason": "Dibatalkan."})
    a.refresh_from_db()
    assert a.withdrawn_at is not None and a.withdraw_reason == "Dibatalkan."
    assert "Ditarik" in client.get(reverse("townhall:announcement_list")).content.decode()


def test_who_may_write_and_which_site(client, site, other_site, head, secretary, staff):
    mine = make(site, head, start=site_today(site))
    other_head = staff("head", at=other_site, username="karutan-smg")
    theirs = make(other_site, other_head, start=site_today(other_site))
    # An official sees the list (sessions) but does not keep the policy register.
    client.force_login(secretary)
    assert client.get(reverse("townhall:announcement_list")).status_code == 200
    assert client.get(reverse("townhall:announcement_create")).status_code == 403
    url = reverse("townhall:announcement_withdraw", args=[mine.pk])
    assert client.post(url, {"reason": "x"}).status_code == 403
    # The head of this site cannot touch another site's announcement.
    client.force_login(head)
    url = reverse("townhall:announcement_withdraw", args=[theirs.pk])
    assert client.post(url, {"reason": "x"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None
    page = client.get(reverse("townhall:announcement_list")).content.decode()
    assert mine.title in page and "karutan-smg" not in page
    assert Announcement.objects.filter(site=site).count() == 1
