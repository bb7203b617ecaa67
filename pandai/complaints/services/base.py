"""Shared pieces of the complaint services: the error type, the clock, per-site settings, the
history row every change writes, and text cleaning."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from pandai.complaints.models import Complaint, ComplaintHistory, ComplaintSettings, Status
from pandai.core.audit import audit_append
from pandai.core.models import Membership, Role, Site, User
from pandai.wallet import clock

# A slip is a page or two; beyond this it is pasted junk, not a complaint.
MAX_TEXT_CHARS = 5000
MAX_NOTE_CHARS = 2000
# Control characters other than tab / newline / carriage return have no place in a complaint.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ComplaintError(ValueError):
    """A refused complaint action; `code` is stable, `message` is for the user (translated)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def now() -> dt.datetime:
    # The wallet's clock, so that tests moving time move it for every domain at once.
    return clock.now()


def settings_for(site: Site) -> ComplaintSettings:
    found = ComplaintSettings.objects.filter(site=site).first()
    if found is not None:
        return found
    ComplaintSettings.objects.bulk_create([ComplaintSettings(site=site)], ignore_conflicts=True)
    return ComplaintSettings.objects.get(site=site)


def clean_text(
    raw: str | None, *, label: str, max_chars: int = MAX_TEXT_CHARS, required: bool = True
) -> str:
    text = _CONTROL.sub("", (raw or "").replace("\r\n", "\n")).strip()
    if required and not text:
        raise ComplaintError("empty", _("%(label)s wajib diisi.") % {"label": label})
    if len(text) > max_chars:
        raise ComplaintError(
            "too_long",
            _("%(label)s terlalu panjang (%(n)s karakter; maksimum %(max)s).")
            % {"label": label, "n": f"{len(text):,}".replace(",", "."), "max": max_chars},
        )
    return text


def history_add(
    *,
    complaint: Complaint,
    action: str,
    actor: User | None,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
    public: bool = False,
    at: dt.datetime | None = None,
) -> ComplaintHistory:
    return ComplaintHistory.objects.create(
        complaint=complaint,
        at=at or now(),
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        public=public,
    )


def audit(complaint: Complaint, action: str, actor: User | None, **data: Any) -> None:
    """An audit event about a complaint. Callers never put identity in `data`: the chain is
    read by auditors, and an anonymous item must leave no trace of its author."""
    audit_append(action=action, site=complaint.site, actor=actor, obj=complaint, data=data)


def roles_at(user: User, site: Site) -> frozenset[str]:
    return frozenset(
        Membership.objects.filter(user=user, site=site, user__is_active=True).values_list(
            "role", flat=True
        )
    )


def heads_of(site: Site) -> list[User]:
    return list(
        User.objects.filter(
            memberships__site=site, memberships__role=Role.HEAD, is_active=True
        ).distinct()
    )


def lock(complaint: Complaint) -> Complaint:
    """The complaint re-read under a row lock: state checks see the committed state."""
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def status_label(status: str) -> str:
    return str(Status(status).label)
