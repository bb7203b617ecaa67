"""The redaction check before an answer goes on the public board: no names of inmates or staff,
no registration numbers, no cell or block numbers. The officer rewrites; Pandai only refuses
what it can recognise."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from pandai.complaints.models import Complaint
from pandai.complaints.services.base import ComplaintError
from pandai.core.models import User
from pandai.inmates.models import Inmate, InmateStatus

# 'AI.123/2024', 'B I 45/2023', 'BIIa 7/2022': letters, a number, a slash, a year.
_REG_NO = re.compile(r"\b[A-Z]{1,4}(?:[ .][IVX]{1,4}[a-z]?)?[ .]?\d{1,6}\s?/\s?(?:19|20)\d{2}\b")
_CELL = re.compile(r"\b(?:kamar|blok|sel|wisma|ruang)\s+[A-Za-z0-9][\w./-]*", re.IGNORECASE)
_MIN_NAME = 4  # shorter names ("Adi") match too many ordinary words


def _names(complaint: Complaint) -> set[str]:
    names = set(
        Inmate.objects.filter(site=complaint.site)
        .exclude(status__in=[InmateStatus.RELEASED])
        .values_list("full_name", flat=True)
    )
    if complaint.inmate is not None:
        names |= {complaint.inmate.full_name, complaint.inmate.reg_no}
    names.add(complaint.contact_name)
    names |= set(
        User.objects.filter(memberships__site=complaint.site).values_list("full_name", flat=True)
    )
    return {n.strip() for n in names if n and len(n.strip()) >= _MIN_NAME}


def redaction_problems(complaint: Complaint, text: str) -> list[str]:
    found: list[str] = []
    lowered = text.casefold()
    for name in _names(complaint):
        if re.search(rf"(?<!\w){re.escape(name.casefold())}(?!\w)", lowered):
            found.append(name)
    found += _REG_NO.findall(text)
    found += _CELL.findall(text)
    return sorted(set(found))


def publish_check(complaint: Complaint, public_text: str) -> None:
    problems = redaction_problems(complaint, public_text)
    if problems:
        raise ComplaintError(
            "not_redacted",
            _(
                "Teks untuk papan publik masih memuat nama, nomor registrasi atau kamar: "
                "%(found)s. Hapus atau samarkan dulu."
            )
            % {"found": ", ".join(problems)},
        )
