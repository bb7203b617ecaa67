"""External escalations: an item sent to the regional office (Kanwil), SP4N-LAPOR! or the
Ombudsman, with their reference number, the date and a note. (Escalations to the head are
written by the deadline tick, not by hand.)"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.complaints.models import Complaint, Escalation, EscalationBody
from pandai.complaints.services.base import (
    MAX_NOTE_CHARS,
    ComplaintError,
    audit,
    clean_text,
    history_add,
    lock,
    now,
)
from pandai.core.calendar import site_today
from pandai.core.models import User

EXTERNAL_BODIES = (EscalationBody.KANWIL, EscalationBody.LAPOR, EscalationBody.OMBUDSMAN)


@transaction.atomic
def escalation_record(
    *,
    complaint: Complaint,
    actor: User,
    body: str,
    reference: str = "",
    sent_on: dt.date | None = None,
    note: str = "",
) -> Escalation:
    """Record that the item went above the site. The complainant's tracking page says where it
    went and under which reference, so they can follow it there too."""
    if body not in EXTERNAL_BODIES:
        raise ComplaintError("body", _("Pilih tujuan: Kanwil, SP4N-LAPOR! atau Ombudsman."))
    reference = clean_text(reference, label=_("Nomor referensi"), max_chars=80, required=False)
    note = clean_text(note, label=_("Catatan"), max_chars=MAX_NOTE_CHARS, required=False)
    c = lock(complaint)
    if c.named_staff.filter(pk=actor.pk).exists():
        raise ComplaintError(
            "named_staff", _("Anda disebut dalam pengaduan ini dan tidak boleh menanganinya.")
        )
    today = site_today(c.site, now())
    sent_on = sent_on or today
    if sent_on > today:
        raise ComplaintError("future", _("Tanggal dikirim tidak boleh di masa depan."))
    if sent_on < site_today(c.site, c.received_at):
        raise ComplaintError(
            "before_received", _("Tanggal dikirim tidak boleh sebelum pengaduan diterima.")
        )
    if reference and c.escalations.filter(body=body, reference__iexact=reference).exists():
        raise ComplaintError("duplicate", _("Rujukan dengan nomor itu sudah dicatat."))
    escalation = Escalation.objects.create(
        complaint=c,
        body=body,
        reference=reference,
        sent_on=sent_on,
        note=note,
        recorded_by=actor,
    )
    label = str(EscalationBody(body).label)
    public = (
        _("Diteruskan ke %(body)s, nomor referensi %(ref)s.") % {"body": label, "ref": reference}
        if reference
        else _("Diteruskan ke %(body)s.") % {"body": label}
    )
    history_add(complaint=c, action="escalate_external", actor=actor, note=public, public=True)
    if note:
        history_add(complaint=c, action="escalate_note", actor=actor, note=note)
    audit(c, "complaint.escalate_external", actor, body=body, reference=reference)
    return escalation
