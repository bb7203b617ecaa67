"""What every registry write shares: the domain error, the field list and the checks on them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from pandai.core.models import Site
from pandai.inmates.models import Cell, Gender, Inmate, InmateStatus, LegalStatus


class InmateError(ValueError):
    """A refused change; the message is for the user, in their language."""


@dataclass(frozen=True)
class PinCheck:
    ok: bool
    tries_left: int
    locked_until: dt.datetime | None
    message: str = ""


INMATE_FIELDS = (
    "full_name",
    "alias",
    "nik",
    "gender",
    "birth_date",
    "legal_status",
    "admission_date",
    "expected_release_date",
)

_NIK = re.compile(r"^[0-9]{16}$")


def require_active(inmate: Inmate) -> None:
    if inmate.status != InmateStatus.ACTIVE:
        raise InmateError(
            _("WBP ini sudah tidak aktif (%(status)s).") % {"status": inmate.get_status_display()}
        )


def lock_active(inmate: Inmate) -> Inmate:
    """The inmate as stored now, locked for this transaction; refused unless active.

    Checks the stored status, not the caller's copy, which may be stale."""
    fresh = Inmate.objects.select_for_update(of=("self",)).select_related("site").get(pk=inmate.pk)
    require_active(fresh)
    return fresh


def check_cell(site: Site, cell: Cell | None) -> None:
    if cell is not None and cell.block.site_id != site.pk:
        raise InmateError(_("Kamar itu milik UPT lain."))


def check_fields(fields: dict[str, Any], current: Inmate | None = None) -> None:
    """Refuse values the database would refuse, with a message a person can act on.

    `current` supplies the values of fields not being changed (for cross-field rules)."""
    unknown = set(fields) - set(INMATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown inmate fields: {sorted(unknown)}")

    def value(name: str) -> Any:
        if name in fields:
            return fields[name]
        return getattr(current, name, None) if current is not None else None

    if "full_name" in fields and not str(fields["full_name"] or "").strip():
        raise InmateError(_("Nama lengkap wajib diisi."))
    if "nik" in fields and fields["nik"] and not _NIK.match(str(fields["nik"])):
        raise InmateError(_("NIK harus 16 angka atau dikosongkan."))
    if "gender" in fields and fields["gender"] not in Gender.values:
        raise InmateError(_("Jenis kelamin harus L atau P."))
    if "legal_status" in fields and fields["legal_status"] not in LegalStatus.values:
        raise InmateError(_("Status hukum harus tahanan atau narapidana."))
    admitted, release, born = (
        value("admission_date"),
        value("expected_release_date"),
        value("birth_date"),
    )
    if current is None and admitted is None:
        raise InmateError(_("Tanggal masuk wajib diisi."))
    if admitted and release and release < admitted:
        raise InmateError(_("Perkiraan bebas tidak boleh sebelum tanggal masuk."))
    if admitted and born and born >= admitted:
        raise InmateError(_("Tanggal lahir harus sebelum tanggal masuk."))
