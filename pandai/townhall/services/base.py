"""Shared pieces of the sosialisasi services: the clock, text cleaning, row locks, audit."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.calendar import site_today
from pandai.core.models import User
from pandai.townhall.errors import TownhallError
from pandai.townhall.models import Session, SessionStatus
from pandai.wallet import clock

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def now(value: dt.datetime | None = None) -> dt.datetime:
    # The wallet's clock, so that tests moving time move every domain at once.
    return value or clock.now()


def clean(raw: str | None, *, label: str, max_chars: int, required: bool = True) -> str:
    text = _CONTROL.sub("", (raw or "").replace("\r\n", "\n")).strip()
    if required and not text:
        raise TownhallError("empty", _("%(label)s wajib diisi.") % {"label": label})
    if len(text) > max_chars:
        raise TownhallError(
            "too_long",
            _("%(label)s terlalu panjang (%(n)s karakter; maksimum %(max)s).")
            % {"label": label, "n": len(text), "max": max_chars},
        )
    return text


def lock_session(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("site").get(pk=session.pk)


def not_closed(session: Session) -> None:
    if session.status == SessionStatus.CLOSED:
        raise TownhallError("closed", _("Sosialisasi ini sudah ditutup."))


def must_be_open(session: Session) -> None:
    if session.status != SessionStatus.OPEN:
        raise TownhallError(
            "not_open",
            _("Sosialisasi belum dibuka.")
            if session.status == SessionStatus.PLANNED
            else _("Sosialisasi ini sudah ditutup."),
        )


def is_today(session: Session, moment: dt.datetime) -> bool:
    return site_today(session.site, session.starts_at) == site_today(session.site, moment)


def audit(action: str, obj: Any, actor: User | None, **data: Any) -> None:
    audit_append(action=action, site=obj.site, actor=actor, obj=obj, data=data or None)
