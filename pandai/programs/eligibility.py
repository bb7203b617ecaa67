"""Who may take part in a programme on a day: legal status, an active Register F sanction that
restricts programmes, and being held at the programme's site."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from pandai.inmates.models import DisciplineEntry, Inmate, InmateStatus, LegalStatus
from pandai.programs.errors import ProgramError
from pandai.programs.models import Programme


def programme_restriction(*, inmate: Inmate, day: dt.date) -> DisciplineEntry | None:
    """The Register F entry that keeps the inmate out of restricted programmes on `day`."""
    return (
        DisciplineEntry.objects.filter(inmate=inmate, restricts_programs=True, date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .order_by("-date")
        .first()
    )


def eligibility_problem(
    *, programme: Programme, inmate: Inmate, day: dt.date
) -> ProgramError | None:
    """Why `inmate` may not take part in `programme` on `day`, or None."""
    if inmate.site_id != programme.site_id:
        return ProgramError("other_site", _("WBP ini terdaftar di UPT lain."))
    if inmate.status != InmateStatus.ACTIVE:
        return ProgramError(
            "inmate_inactive",
            _("WBP ini sudah tidak aktif di UPT ini (%(status)s).")
            % {"status": InmateStatus(inmate.status).label},
        )
    if inmate.legal_status not in programme.allowed_statuses():
        return ProgramError(
            "legal_status",
            _("Program ini tidak terbuka untuk %(status)s.")
            % {"status": LegalStatus(inmate.legal_status).label.lower()},
        )
    if programme.requires_clean_record:
        entry = programme_restriction(inmate=inmate, day=day)
        if entry is not None:
            until = entry.end_date.strftime("%d-%m-%Y") if entry.end_date else "-"
            return ProgramError(
                "discipline",
                _("WBP sedang menjalani sanksi Register F (%(sanction)s, sampai %(until)s).")
                % {"sanction": entry.sanction, "until": until},
            )
    return None


def check_eligible(*, programme: Programme, inmate: Inmate, day: dt.date) -> None:
    problem = eligibility_problem(programme=programme, inmate=inmate, day=day)
    if problem is not None:
        raise problem
