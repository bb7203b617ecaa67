"""Announcements (pengumuman) for the kiosks: written by whoever keeps the policy register,
shown between their dates in the site's day, withdrawn with a reason (never deleted)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.core.calendar import site_today
from pandai.core.models import Site, User
from pandai.townhall.errors import TownhallError
from pandai.townhall.models import Announcement
from pandai.townhall.services.base import audit, clean, now

MAX_TITLE_CHARS = 200
# Read aloud at the kiosk: a long text would keep the next person waiting.
MAX_TEXT_CHARS = 2000


@dataclass(frozen=True)
class AnnouncementInput:
    title: str
    text: str
    publish_from: dt.date
    publish_until: dt.date | None = None


@transaction.atomic
def announcement_create(*, site: Site, actor: User, data: AnnouncementInput) -> Announcement:
    title = clean(data.title, label=_("Judul"), max_chars=MAX_TITLE_CHARS)
    text = clean(data.text, label=_("Isi pengumuman"), max_chars=MAX_TEXT_CHARS)
    if data.publish_until is not None:
        if data.publish_until < data.publish_from:
            raise TownhallError(
                "dates", _("Tanggal akhir tampil tidak boleh sebelum tanggal mulai.")
            )
        if data.publish_until < site_today(site, now()):
            raise TownhallError(
                "past", _("Tanggal akhir tampil sudah lewat: pengumuman ini tidak akan tampil.")
            )
    announcement = Announcement.objects.create(
        site=site,
        title=title,
        text=text,
        publish_from=data.publish_from,
        publish_until=data.publish_until,
        created_by=actor,
    )
    audit(
        "townhall.announcement_create",
        announcement,
        actor,
        publish_from=str(data.publish_from),
        publish_until=str(data.publish_until or ""),
    )
    return announcement


@transaction.atomic
def announcement_withdraw(*, announcement: Announcement, actor: User, reason: str) -> Announcement:
    """Take an announcement off the kiosks at once; it stays in the list with the reason."""
    reason = clean(reason, label=_("Alasan penarikan"), max_chars=1000)
    locked = Announcement.objects.select_for_update().select_related("site").get(pk=announcement.pk)
    if locked.withdrawn_at is not None:
        raise TownhallError("withdrawn", _("Pengumuman ini sudah ditarik."))
    locked.withdrawn_at = now()
    locked.withdrawn_by = actor
    locked.withdraw_reason = reason
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    audit("townhall.announcement_withdraw", locked, actor, reason=reason)
    return locked
