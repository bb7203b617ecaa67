"""Satisfaction with an answer: the complainant rates it (tracking page, kiosk) or an officer
records the rating they were told. One rating per answer: after a reopen and a new answer the
complainant may rate again."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.complaints.models import Complaint, Rating, Status
from pandai.complaints.services.base import (
    MAX_NOTE_CHARS,
    ComplaintError,
    audit,
    clean_text,
    history_add,
    lock,
    now,
)
from pandai.core.models import User

RATEABLE = (Status.ANSWERED, Status.CLOSED)


def may_rate(complaint: Complaint) -> bool:
    """Answered, and not yet rated since that answer."""
    if complaint.status not in RATEABLE or complaint.answered_at is None:
        return False
    return complaint.rated_at is None or complaint.rated_at < complaint.answered_at


@transaction.atomic
def complaint_rate(
    *,
    complaint: Complaint,
    rating: str,
    actor: User | None = None,
    by_complainant: bool = True,
    note: str = "",
) -> Complaint:
    """Record the complainant's rating. `actor` is the officer who writes down what the
    complainant said (by_complainant=False); the complainant's own rating has no actor. The
    history row is public (the complainant sees what was recorded) but names nobody."""
    if rating not in Rating.values:
        raise ComplaintError("rating", _("Pilih salah satu penilaian."))
    note = clean_text(note, label=_("Catatan"), max_chars=MAX_NOTE_CHARS, required=False)
    if not by_complainant and actor is None:
        raise ComplaintError("actor", _("Petugas yang mencatat penilaian wajib diketahui."))
    c = lock(complaint)
    if actor is not None and c.named_staff.filter(pk=actor.pk).exists():
        raise ComplaintError(
            "named_staff", _("Anda disebut dalam pengaduan ini dan tidak boleh menanganinya.")
        )
    if not may_rate(c):
        if c.status not in RATEABLE:
            raise ComplaintError(
                "not_answered", _("Penilaian diberikan setelah pengaduan dijawab.")
            )
        raise ComplaintError("already_rated", _("Jawaban ini sudah dinilai."))
    c.rating = rating
    c.rated_at = now()
    c.save(update_fields=["rating", "rated_at", "updated_at"])
    label = str(Rating(rating).label)
    if by_complainant:
        text = _("Pelapor menilai jawaban: %(rating)s.") % {"rating": label}
    else:
        text = _("Penilaian pelapor dicatat petugas: %(rating)s.") % {"rating": label}
    # The complainant's own words go on the public row; an officer's note stays internal.
    public_note = f"{text} {note}".strip() if by_complainant else text
    history_add(complaint=c, action="rate", actor=actor, note=public_note, public=True)
    if note and not by_complainant:
        history_add(complaint=c, action="rate_note", actor=actor, note=note)
    audit(c, "complaint.rate", actor, rating=rating, by_complainant=by_complainant)
    return c
