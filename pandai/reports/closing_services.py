"""Closing a day and countersigning it: the two writes of the daily closing, each one
transaction with its audit row. A closed day is never changed afterwards (the database refuses
it, see `closing_guards`); a correction of the ledger shows on a later day's figures."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.calendar import site_today
from pandai.core.models import Site, User
from pandai.core.permissions import Perm, perms_for
from pandai.reports.closing import closing_snapshot
from pandai.reports.models import DayClosing


class ClosingError(ValueError):
    """Why a closing or countersignature was refused: a stable `code` and a message for the
    user. A refusal changes nothing."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


def _may_close(actor: User, site: Site) -> bool:
    roles = actor.memberships.filter(site=site).values_list("role", flat=True)
    return actor.is_active and Perm.DAY_CLOSE in perms_for(roles)


@transaction.atomic
def day_closing_close(
    *, site: Site, day: dt.date, actor: User, now: dt.datetime | None = None
) -> DayClosing:
    """Close `day` at `site`: freeze its figures, counter and till shifts and the audit chain's
    last hash of the day. Refused for a day not yet over, a day already closed, and anyone
    without the right to close days at this site (head, officials)."""
    now = now or timezone.now()
    if not _may_close(actor, site):
        raise ClosingError(
            "not_allowed", _("Hanya Karutan atau pejabat keuangan UPT ini yang boleh menutup hari.")
        )
    if day >= site_today(site, now):
        raise ClosingError(
            "day_not_over",
            _("Hari %(day)s belum berakhir; hari hanya bisa ditutup setelah lewat tengah malam.")
            % {"day": f"{day:%d-%m-%Y}"},
        )
    if DayClosing.objects.filter(site=site, day=day).exists():
        raise ClosingError(
            "already_closed",
            _("Hari %(day)s sudah ditutup; angkanya bisa dicetak ulang tetapi tidak diubah.")
            % {"day": f"{day:%d-%m-%Y}"},
        )
    figures = closing_snapshot(site=site, day=day)
    try:
        with transaction.atomic():
            closing = DayClosing.objects.create(
                site=site,
                day=day,
                figures=figures,
                audit_seq=figures["audit_seq"],
                audit_hash=figures["audit_hash"],
                closed_by=actor,
                closed_at=now,
            )
    except IntegrityError as exc:  # closed a moment ago by someone else
        raise ClosingError(
            "already_closed", _("Hari ini baru saja ditutup oleh petugas lain.")
        ) from exc
    audit_append(
        action="reports.day_close",
        site=site,
        actor=actor,
        obj=closing,
        data={
            "day": day.isoformat(),
            "audit_seq": closing.audit_seq,
            "audit_hash": closing.audit_hash,
            "deposits_rp": figures["movements"]["deposits_total"][1],
            "purchases_rp": figures["movements"]["purchases"][1],
        },
    )
    return closing


@transaction.atomic
def day_closing_countersign(
    *, closing: DayClosing, actor: User, now: dt.datetime | None = None
) -> DayClosing:
    """The second signature on a closed day, by another official or the head (once)."""
    now = now or timezone.now()
    locked = DayClosing.objects.select_for_update().get(pk=closing.pk)
    if not _may_close(actor, locked.site):
        raise ClosingError(
            "not_allowed",
            _("Hanya Karutan atau pejabat keuangan UPT ini yang boleh menandatangani."),
        )
    if locked.closed_by_id == actor.pk:
        raise ClosingError(
            "same_person", _("Tanda tangan kedua harus dari petugas lain, bukan yang menutup hari.")
        )
    if locked.countersigned_by_id is not None:
        raise ClosingError("already_signed", _("Penutupan hari ini sudah ditandatangani."))
    locked.countersigned_by = actor
    locked.countersigned_at = now
    locked.save(update_fields=["countersigned_by", "countersigned_at"])
    audit_append(
        action="reports.day_countersign",
        site=locked.site,
        actor=actor,
        obj=locked,
        data={"day": locked.day.isoformat(), "audit_hash": locked.audit_hash},
    )
    return locked
