"""Writes of the inmate registry: admission, changes, movements, discipline, photos."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from pandai.core.audit import audit_append
from pandai.core.calendar import site_today
from pandai.core.models import Site, User
from pandai.inmates.models import (
    Card,
    CardStatus,
    Cell,
    DisciplineEntry,
    EventKind,
    Inmate,
    InmateEvent,
    InmateStatus,
    Pin,
)
from pandai.inmates.services.base import (
    INMATE_FIELDS,
    InmateError,
    check_cell,
    check_fields,
    lock_active,
)

REG_NO_MAX = Inmate._meta.get_field("reg_no").max_length or 32


def _clean_reg_no(reg_no: str) -> str:
    reg_no = " ".join(reg_no.split()).upper()
    if not reg_no:
        raise InmateError(_("No. registrasi wajib diisi."))
    if len(reg_no) > REG_NO_MAX:
        raise InmateError(_("No. registrasi terlalu panjang."))
    return reg_no


def _duplicate(reg_no: str) -> InmateError:
    return InmateError(_("No. registrasi %(reg)s sudah terdaftar di UPT ini.") % {"reg": reg_no})


@transaction.atomic
def inmate_admit(
    *,
    site: Site,
    reg_no: str,
    actor: User | None,
    cell: Cell | None = None,
    note: str = "",
    **fields: Any,
) -> Inmate:
    reg_no = _clean_reg_no(reg_no)
    check_fields(fields)
    check_cell(site, cell)
    if Inmate.objects.filter(site=site, reg_no=reg_no).exists():
        raise _duplicate(reg_no)
    try:
        with transaction.atomic():  # a concurrent admission of the same number loses here
            inmate = Inmate.objects.create(site=site, reg_no=reg_no, cell=cell, **fields)
    except IntegrityError as exc:
        raise _duplicate(reg_no) from exc
    InmateEvent.objects.create(
        inmate=inmate,
        kind=EventKind.ADMISSION,
        date=inmate.admission_date,
        to_cell=cell,
        note=note,
        actor=actor,
    )
    audit_append(action="inmate.admit", site=site, actor=actor, obj=inmate, data={"reg_no": reg_no})
    return inmate


@transaction.atomic
def inmate_update(
    *, inmate: Inmate, actor: User | None, note: str = "", **fields: Any
) -> list[str]:
    """Change registry fields; records which fields changed (not their values)."""
    check_fields(fields, current=inmate)
    changed = [name for name, value in fields.items() if getattr(inmate, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(inmate, name, fields[name])
    inmate.save(update_fields=[*changed, "updated_at"])
    labels = ", ".join(str(getattr(Inmate._meta.get_field(n), "verbose_name", n)) for n in changed)
    InmateEvent.objects.create(
        inmate=inmate,
        kind=EventKind.UPDATE,
        date=site_today(inmate.site),
        note=f"{labels} ({note})" if note else labels,
        actor=actor,
    )
    audit_append(
        action="inmate.update", site=inmate.site, actor=actor, obj=inmate, data={"fields": changed}
    )
    return changed


@transaction.atomic
def inmate_move_cell(
    *, inmate: Inmate, cell: Cell, date: dt.date, actor: User | None, note: str = ""
) -> InmateEvent:
    caller_copy, inmate = inmate, lock_active(inmate)
    check_cell(inmate.site, cell)
    if inmate.cell_id == cell.pk:
        raise InmateError(_("WBP sudah berada di kamar itu."))
    event = InmateEvent.objects.create(
        inmate=inmate,
        kind=EventKind.CELL_MOVE,
        date=date,
        from_cell=inmate.cell,
        to_cell=cell,
        note=note,
        actor=actor,
    )
    inmate.cell = caller_copy.cell = cell
    inmate.save(update_fields=["cell", "updated_at"])
    audit_append(
        action="inmate.cell_move",
        site=inmate.site,
        actor=actor,
        obj=inmate,
        data={"from": event.from_cell_id, "to": cell.pk},
    )
    return event


# Checks that must pass before an inmate leaves the site (release or transfer out). Higher
# layers register them (the wallet: no money left behind) without this module importing them.
DepartureGuard = Callable[[Inmate], None]
_departure_guards: list[DepartureGuard] = []


def departure_guard_register(guard: DepartureGuard) -> None:
    if guard not in _departure_guards:
        _departure_guards.append(guard)


def _check_departure(inmate: Inmate, money_settled: bool) -> None:
    """Run the registered guards unless the caller (the wallet's payout or transfer) has
    settled the inmate's money in this same transaction."""
    if not money_settled:
        for guard in _departure_guards:
            guard(inmate)


def _retire_cards(inmate: Inmate, reason: str) -> None:
    Card.objects.filter(inmate=inmate, status=CardStatus.ACTIVE).update(
        status=CardStatus.RETIRED, retired_at=timezone.now(), status_reason=reason
    )


@transaction.atomic
def inmate_release(
    *,
    inmate: Inmate,
    date: dt.date,
    actor: User | None,
    note: str = "",
    money_settled: bool = False,
) -> None:
    """Mark released, empty the cell, retire the card. The wallet's payout wraps this call
    (in its own transaction, with money_settled=True); called alone, the departure guards
    refuse while money is left on the inmate's accounts."""
    inmate = lock_active(inmate)
    _check_departure(inmate, money_settled)
    if date < inmate.admission_date:
        raise InmateError(_("Tanggal bebas tidak boleh sebelum tanggal masuk."))
    InmateEvent.objects.create(
        inmate=inmate,
        kind=EventKind.RELEASE,
        date=date,
        from_cell=inmate.cell,
        note=note,
        actor=actor,
    )
    inmate.status = InmateStatus.RELEASED
    inmate.cell = None
    inmate.save(update_fields=["status", "cell", "updated_at"])
    _retire_cards(inmate, _("bebas"))
    audit_append(action="inmate.release", site=inmate.site, actor=actor, obj=inmate)


@transaction.atomic
def inmate_transfer(
    *,
    inmate: Inmate,
    to_site: Site,
    date: dt.date,
    actor: User | None,
    note: str = "",
    money_settled: bool = False,
) -> Inmate:
    """Transfer to another site of this installation: the old record stays (status
    transferred) and a new one starts at the receiving site, linked to it. The wallet's
    site_transfer wraps this call and moves the balances (money_settled=True)."""
    inmate = lock_active(inmate)
    _check_departure(inmate, money_settled)
    if to_site.pk == inmate.site_id:
        raise InmateError(_("UPT tujuan sama dengan UPT asal."))
    if not to_site.is_active:
        raise InmateError(_("UPT tujuan tidak aktif."))
    if date < inmate.admission_date:
        raise InmateError(_("Tanggal mutasi tidak boleh sebelum tanggal masuk."))
    if Inmate.objects.filter(site=to_site, reg_no=inmate.reg_no).exists():
        raise InmateError(_("No. registrasi ini sudah ada di UPT tujuan."))
    InmateEvent.objects.create(
        inmate=inmate,
        kind=EventKind.TRANSFER_OUT,
        date=date,
        from_cell=inmate.cell,
        other_site=to_site,
        note=note,
        actor=actor,
    )
    inmate.status = InmateStatus.TRANSFERRED
    inmate.cell = None
    inmate.save(update_fields=["status", "cell", "updated_at"])
    _retire_cards(inmate, _("mutasi"))
    moved = Inmate.objects.create(
        site=to_site,
        reg_no=inmate.reg_no,
        transferred_from=inmate,
        **{name: getattr(inmate, name) for name in INMATE_FIELDS if name != "admission_date"},
        admission_date=date,
    )
    if inmate.photo:
        # A copy, so that a new photo at one site never deletes the other site's file.
        with inmate.photo.open("rb") as f:
            moved.photo.save(f"{to_site.code}-{moved.pk}.jpg", ContentFile(f.read()), save=True)
    InmateEvent.objects.create(
        inmate=moved,
        kind=EventKind.TRANSFER_IN,
        date=date,
        other_site=inmate.site,
        note=note,
        actor=actor,
    )
    if hasattr(inmate, "pin"):
        Pin.objects.create(inmate=moved, pin_hash=inmate.pin.pin_hash, set_at=inmate.pin.set_at)
    audit_append(
        action="inmate.transfer",
        site=inmate.site,
        actor=actor,
        obj=inmate,
        data={"to_site": to_site.pk, "new_inmate": moved.pk},
    )
    audit_append(
        action="inmate.transfer_in",
        site=to_site,
        actor=actor,
        obj=moved,
        data={"from_site": inmate.site_id, "old_inmate": inmate.pk},
    )
    return moved


@transaction.atomic
def discipline_add(
    *,
    inmate: Inmate,
    date: dt.date,
    offence: str,
    sanction: str,
    actor: User,
    end_date: dt.date | None = None,
    restricts_shop: bool = False,
    restricts_programs: bool = False,
) -> DisciplineEntry:
    inmate = lock_active(inmate)
    offence, sanction = offence.strip(), sanction.strip()
    if not offence or not sanction:
        raise InmateError(_("Pelanggaran dan sanksi wajib diisi."))
    if end_date is not None and end_date < date:
        raise InmateError(_("Tanggal berakhir tidak boleh sebelum tanggal pelanggaran."))
    entry = DisciplineEntry.objects.create(
        inmate=inmate,
        date=date,
        offence=offence,
        sanction=sanction,
        end_date=end_date,
        restricts_shop=restricts_shop,
        restricts_programs=restricts_programs,
        actor=actor,
    )
    audit_append(
        action="inmate.discipline",
        site=inmate.site,
        actor=actor,
        obj=entry,
        data={"inmate": inmate.pk, "restricts_shop": restricts_shop},
    )
    return entry


PHOTO_MAX_SIDE = 600
PHOTO_FORMATS = {"JPEG", "PNG"}


@transaction.atomic
def inmate_set_photo(*, inmate: Inmate, data: bytes, actor: User | None) -> None:
    """Store a photo re-encoded as JPEG (metadata stripped, at most 600 px a side).

    Only real JPEG or PNG data is taken, whatever the file is called."""
    if len(data) > settings.PANDAI_MAX_PHOTO_BYTES:
        raise InmateError(
            _("Berkas foto terlalu besar (maksimum %(mb)s MB).")
            % {"mb": settings.PANDAI_MAX_PHOTO_BYTES // (1024 * 1024)}
        )
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in PHOTO_FORMATS:
                raise InmateError(_("Foto harus berupa JPEG atau PNG."))
            img.load()
            clean = img.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise InmateError(_("Berkas ini bukan gambar JPEG atau PNG yang dapat dibaca.")) from exc
    clean.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85)  # no exif= argument: metadata is dropped
    old = inmate.photo.name if inmate.photo else ""
    storage = inmate.photo.storage
    inmate.photo.save(
        f"{inmate.site.code}-{inmate.pk}.jpg", ContentFile(out.getvalue()), save=False
    )
    inmate.save(update_fields=["photo", "updated_at"])
    if old and old != inmate.photo.name:
        # Only once the new photo is committed; a rollback keeps the old one usable.
        transaction.on_commit(lambda: storage.delete(old))
    audit_append(action="inmate.photo", site=inmate.site, actor=actor, obj=inmate)
