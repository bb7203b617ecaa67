"""Who may see a complainant: follow-up codes (the only key to an anonymous item), the rule
that staff named in a complaint stay out of it, and the audited reveal of a confidential
identity to the head and the complaint's officer."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils.translation import gettext as _

from pandai.complaints.models import Complaint, Identity
from pandai.complaints.services.base import ComplaintError, audit, clean_text
from pandai.core.models import Role, User
from pandai.inmates.models import Inmate

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: the code is read off paper by people with little schooling.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8  # 25^8 ≈ 1.5e11, with the tracking page's rate limit per number


def followup_code_new() -> tuple[str, str]:
    """(code as printed 'XXXX-XXXX', its hash to store). The code is shown once, never kept."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}", make_password(raw)


def followup_code_normalize(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def followup_code_check(*, complaint: Complaint, code: str) -> bool:
    """True when `code` is the item's follow-up code (spaces, dashes and case ignored). No
    rate limit here: the public page counts failures on `code_failures` itself."""
    raw = followup_code_normalize(code)
    if len(raw) != CODE_LENGTH:
        return False
    return check_password(raw, complaint.followup_code_hash)


def may_access(*, user: User, complaint: Complaint) -> bool:
    """Staff named in the complaint may neither see nor handle it."""
    return not complaint.named_staff.filter(pk=user.pk).exists()


def may_see_identity(*, user: User, roles: frozenset[str], complaint: Complaint) -> bool:
    if complaint.identity == Identity.ANONYMOUS or not may_access(user=user, complaint=complaint):
        return False
    if complaint.identity == Identity.NAMED:
        return True
    return Role.HEAD in roles or complaint.officer_id == user.pk


@dataclass(frozen=True)
class RevealedIdentity:
    inmate: Inmate | None
    contact_name: str
    contact_relation: str
    contact_phone: str


@transaction.atomic
def identity_reveal(
    *, complaint: Complaint, actor: User, roles: frozenset[str], reason: str
) -> RevealedIdentity:
    """The complainant of a named or confidential item, for someone allowed to see it. A
    confidential reveal needs a reason and writes the audit chain every time."""
    if complaint.identity == Identity.ANONYMOUS:
        raise ComplaintError("anonymous", _("Pengaduan anonim tidak menyimpan identitas pelapor."))
    if not may_see_identity(user=actor, roles=roles, complaint=complaint):
        raise ComplaintError(
            "not_allowed",
            _(
                "Identitas pelapor yang dirahasiakan hanya dapat dilihat Karutan/Kalapas dan "
                "petugas pengaduan yang menangani."
            ),
        )
    if complaint.identity == Identity.CONFIDENTIAL:
        reason = clean_text(reason, label=_("Alasan membuka identitas"), max_chars=300)
        audit(complaint, "complaint.identity_view", actor, reason=reason)
    return RevealedIdentity(
        inmate=complaint.inmate,
        contact_name=complaint.contact_name,
        contact_relation=complaint.contact_relation,
        contact_phone=complaint.contact_phone,
    )
