"""Deadlines in working days (national holidays, cuti bersama and the site's own days off are
skipped through `pandai.core.calendar`), the one-time extension, and the periodic tick that
warns before a deadline and escalates to the head once it has passed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, DateField, F, Q, QuerySet, When
from django.utils.translation import gettext as _

from pandai.complaints.models import (
    OPEN_STATUSES,
    Category,
    Complaint,
    ComplaintSettings,
    Escalation,
    EscalationBody,
    FloodCount,
    Status,
)
from pandai.complaints.services.base import (
    ComplaintError,
    audit,
    clean_text,
    history_add,
    lock,
    now,
    settings_for,
)
from pandai.core.calendar import add_working_days, site_today
from pandai.core.models import Site, User


def _days(category: Category, field: str, conf: ComplaintSettings) -> int:
    own = getattr(category, field)
    return int(own if own is not None else getattr(conf, field))


def deadlines_for(
    *, site: Site, category: Category, received_on: dt.date, is_emergency: bool
) -> tuple[dt.date, dt.date]:
    """(verify_due, answer_due) for an item received on `received_on` (that day itself does not
    count; an item dropped on a Saturday starts on Monday). Emergencies: both in 1 working day."""
    conf = settings_for(site)
    if is_emergency:
        due = add_working_days(received_on, conf.emergency_days, site)
        return due, due
    return (
        add_working_days(received_on, _days(category, "verify_days", conf), site),
        add_working_days(received_on, _days(category, "answer_days", conf), site),
    )


def due_expression() -> Case:
    """The deadline that matters now: verification while unverified, else the answer."""
    return Case(
        When(status=Status.RECEIVED, then=F("verify_due")),
        default=F("answer_due"),
        output_field=DateField(),
    )


def overdue(qs: QuerySet[Complaint], today: dt.date) -> QuerySet[Complaint]:
    return qs.filter(status__in=OPEN_STATUSES).alias(due=due_expression()).filter(due__lt=today)


@transaction.atomic
def complaint_extend(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """Push the answer deadline once by the category's extension (14 working days by
    default); the reason is kept and shown to the complainant."""
    reason = clean_text(reason, label=_("Alasan perpanjangan"), max_chars=1000)
    c = lock(complaint)
    if c.status not in OPEN_STATUSES or c.status == Status.RECEIVED:
        raise ComplaintError(
            "bad_state", _("Hanya pengaduan terverifikasi yang belum dijawab dapat diperpanjang.")
        )
    if c.extended:
        raise ComplaintError("already_extended", _("Batas waktu hanya dapat diperpanjang sekali."))
    old = c.answer_due
    c.answer_due = add_working_days(
        old, _days(c.category, "extend_days", settings_for(c.site)), c.site
    )
    c.extended = True
    c.extension_reason = reason
    # A new deadline earns a new warning and, if missed, a new escalation.
    c.warned_at = None
    c.escalated_at = None
    c.save(
        update_fields=[
            "answer_due",
            "extended",
            "extension_reason",
            "warned_at",
            "escalated_at",
            "updated_at",
        ]
    )
    history_add(
        complaint=c,
        action="extend",
        actor=actor,
        note=_("Batas jawaban diperpanjang dari %(old)s ke %(new)s: %(reason)s")
        % {"old": old.isoformat(), "new": c.answer_due.isoformat(), "reason": reason},
        public=True,
    )
    audit(c, "complaint.extend", actor, old=old.isoformat(), new=c.answer_due.isoformat())
    return c


@dataclass
class TickResult:
    warned: int = 0
    escalated: int = 0
    flood_rows_purged: int = 0


def _escalate(pk: int, moment: dt.datetime, due: dt.date) -> bool:
    with transaction.atomic():
        # The conditional UPDATE is the guard: of two ticks running at once only one changes
        # the row (PostgreSQL re-checks the WHERE after the first commits; SQLite serialises).
        if not Complaint.objects.filter(pk=pk, escalated_at__isnull=True).update(
            escalated_at=moment
        ):
            return False
        c = Complaint.objects.select_related("site").get(pk=pk)
        note = _("Melewati batas waktu %(due)s: diteruskan ke Karutan/Kalapas.") % {
            "due": due.isoformat()
        }
        Escalation.objects.create(
            complaint=c, body=EscalationBody.HEAD, sent_on=moment.date(), note=note, automatic=True
        )
        history_add(complaint=c, action="escalate", actor=None, note=note, at=moment)
        audit(c, "complaint.escalate", None, due=due.isoformat())
    return True


def _warn(pk: int, moment: dt.datetime, due: dt.date) -> bool:
    with transaction.atomic():
        if not Complaint.objects.filter(pk=pk, warned_at__isnull=True).update(warned_at=moment):
            return False
        c = Complaint.objects.get(pk=pk)
        history_add(
            complaint=c,
            action="warn",
            actor=None,
            note=_("Batas waktu %(due)s sudah dekat.") % {"due": due.isoformat()},
            at=moment,
        )
    return True


def complaints_tick(*, at: dt.datetime | None = None) -> TickResult:
    """Warn items whose deadline is within `warn_days` working days, escalate items past it,
    drop old flood counters. Safe to run every few minutes and from two places at once: each
    item is warned once and escalated once per deadline."""
    moment = at or now()
    result = TickResult()
    for site in Site.objects.filter(is_active=True):
        today = site_today(site, moment)
        conf = settings_for(site)
        warn_until = add_working_days(today, conf.warn_days, site)
        open_items = Complaint.objects.filter(site=site, status__in=OPEN_STATUSES).annotate(
            due=due_expression()
        )
        for pk, due in open_items.filter(due__lt=today, escalated_at__isnull=True).values_list(
            "pk", "due"
        ):
            result.escalated += _escalate(pk, moment, due)
        for pk, due in open_items.filter(
            Q(due__gte=today) & Q(due__lte=warn_until), warned_at__isnull=True
        ).values_list("pk", "due"):
            result.warned += _warn(pk, moment, due)
        deleted, _detail = FloodCount.objects.filter(
            site=site, day__lt=today - dt.timedelta(days=1)
        ).delete()
        result.flood_rows_purged += deleted
    return result
