"""Attendance at the hall door: a card typed by the keyboard-wedge reader, or a tick on the
roster. Every refusal (unknown or blocked card, another site's card, a released or
transferred inmate, someone not invited, someone already counted) changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pandai.core.models import User
from pandai.inmates.cards import UidError, uid_candidates
from pandai.inmates.models import Card, CardStatus, Inmate, InmateStatus
from pandai.inmates.services import card_find
from pandai.townhall.errors import TownhallError
from pandai.townhall.models import Attendance, AttendanceMethod, Audience, Session
from pandai.townhall.services.base import is_today, lock_session, not_closed, now


def card_holder(*, session: Session, raw: str) -> tuple[Card, Inmate]:
    """The active inmate of this site holding the active card a reader typed, or a refusal."""
    site = session.site
    raw = (raw or "").strip()[:64]
    card = card_find(site=site, raw=raw)
    if card is None:
        try:
            forms = uid_candidates(raw)
        except UidError:
            forms = []
        if forms and Card.objects.filter(uid__in=forms).exclude(site=site).exists():
            raise TownhallError("other_site", _("Kartu ini milik WBP UPT lain."))
        raise TownhallError("unknown_card", _("Kartu tidak dikenal. Tempelkan ulang kartunya."))
    if card.status != CardStatus.ACTIVE:
        raise TownhallError(
            "card_blocked",
            _("Kartu ini berstatus %(status)s dan tidak bisa dipakai.")
            % {"status": CardStatus(card.status).label.lower()},
        )
    inmate = card.inmate
    check_member(session=session, inmate=inmate)
    return card, inmate


def check_member(*, session: Session, inmate: Inmate) -> None:
    if inmate.site_id != session.site_id:
        raise TownhallError("other_site", _("WBP ini terdaftar di UPT lain."))
    if inmate.status != InmateStatus.ACTIVE:
        raise TownhallError(
            "inmate_inactive",
            _("%(name)s sudah tidak aktif di UPT ini (%(status)s).")
            % {"name": inmate.full_name, "status": InmateStatus(inmate.status).label.lower()},
        )
    if session.audience == Audience.BLOCKS:
        block_id = inmate.cell.block_id if inmate.cell is not None else 0
        if not session.audience_blocks.filter(pk=block_id).exists():
            raise TownhallError(
                "not_invited",
                _("%(name)s tidak termasuk blok yang diundang.") % {"name": inmate.full_name},
            )
    if (
        session.audience == Audience.LIST
        and not session.audience_inmates.filter(pk=inmate.pk).exists()
    ):
        raise TownhallError(
            "not_invited", _("%(name)s tidak ada di daftar undangan.") % {"name": inmate.full_name}
        )


@dataclass(frozen=True)
class TapResult:
    inmate: Inmate
    attendance: Attendance


def _record(
    session: Session, inmate: Inmate, method: str, actor: User, moment: dt.datetime
) -> Attendance:
    existing = Attendance.objects.filter(session=session, inmate=inmate).first()
    if existing is not None:
        at = existing.recorded_at.astimezone(ZoneInfo(session.site.time_zone)).strftime("%H:%M")
        raise TownhallError(
            "double_tap",
            _("%(name)s sudah tercatat hadir (%(time)s).") % {"name": inmate.full_name, "time": at},
        )
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                session=session,
                inmate=inmate,
                block_id=inmate.cell.block_id if inmate.cell_id else None,  # type: ignore[union-attr]
                method=method,
                recorded_at=moment,
                recorded_by=actor,
            )
    except IntegrityError as exc:  # a second reader at another door, same instant
        raise TownhallError(
            "double_tap", _("%(name)s sudah tercatat hadir.") % {"name": inmate.full_name}
        ) from exc


def _ready(session: Session, moment: dt.datetime) -> Session:
    session = lock_session(session)
    not_closed(session)
    if not is_today(session, moment):
        raise TownhallError(
            "not_today", _("Kehadiran hanya dicatat pada hari sosialisasi berlangsung.")
        )
    return session


@transaction.atomic
def attendance_tap(
    *, session: Session, raw: str, actor: User, moment: dt.datetime | None = None
) -> TapResult:
    """Count the holder of the card typed at the door."""
    moment = now(moment)
    session = _ready(session, moment)
    _card, inmate = card_holder(session=session, raw=raw)
    attendance = _record(session, inmate, AttendanceMethod.CARD, actor, moment)
    return TapResult(inmate=inmate, attendance=attendance)


@transaction.atomic
def attendance_tick(
    *, session: Session, inmate: Inmate, actor: User, moment: dt.datetime | None = None
) -> Attendance:
    """Count an inmate ticked on the roster (no card at hand)."""
    moment = now(moment)
    session = _ready(session, moment)
    check_member(session=session, inmate=inmate)
    return _record(session, inmate, AttendanceMethod.ROSTER, actor, moment)
