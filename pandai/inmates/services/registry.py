"""Writes of the inmate registry: admission, changes, movements, discipline, cards and PINs."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from PIL import Image, UnidentifiedImageError

from pandai.core.audit import audit_append
from pandai.core.models import Site, User
from pandai.inmates import pins
from pandai.inmates.cards import UidError, normalise_uid, uid_candidates
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


def _require_active(inmate: Inmate) -> None:
    if inmate.status != InmateStatus.ACTIVE:
        raise InmateError(
            _("WBP ini sudah tidak aktif (%(status)s).") % {"status": inmate.get_status_display()}
        )


def _check_cell(site: Site, cell: Cell | None) -> None:
    if cell is not None and cell.block.site_id != site.pk:
        raise InmateError(_("Kamar itu milik UPT lain."))


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
    reg_no = reg_no.strip().upper()
    if Inmate.objects.filter(site=site, reg_no=reg_no).exists():
        raise InmateError(_("No. registrasi %(reg)s sudah terdaftar di UPT ini.") % {"reg": reg_no})
    _check_cell(site, cell)
    unknown = set(fields) - set(INMATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown inmate fields: {sorted(unknown)}")
    inmate = Inmate.objects.create(site=site, reg_no=reg_no, cell=cell, **fields)
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
def inmate_update(*, inmate: Inmate, actor: User | None, **fields: Any) -> list[str]:
    """Change registry fields; records which fields changed (not their old values' secrets)."""
    unknown = set(fields) - set(INMATE_FIELDS)
    if unknown:
        raise TypeError(f"unknown inmate fields: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(inmate, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(inmate, name, fields[name])
    inmate.save(update_fields=[*changed, "updated_at"])
    InmateEvent.objects.create(
        inmate=inmate,
        kind=EventKind.UPDATE,
        date=timezone.localdate(),
        note=", ".join(str(getattr(Inmate._meta.get_field(n), "verbose_name", n)) for n in changed),
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
    _require_active(inmate)
    _check_cell(inmate.site, cell)
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
    inmate.cell = cell
    inmate.save(update_fields=["cell", "updated_at"])
    audit_append(
        action="inmate.cell_move",
        site=inmate.site,
        actor=actor,
        obj=inmate,
        data={"from": event.from_cell_id, "to": cell.pk},
    )
    return event


def _retire_cards(inmate: Inmate, reason: str) -> None:
    Card.objects.filter(inmate=inmate, status=CardStatus.ACTIVE).update(
        status=CardStatus.RETIRED, retired_at=timezone.now(), status_reason=reason
    )


@transaction.atomic
def inmate_release(*, inmate: Inmate, date: dt.date, actor: User | None, note: str = "") -> None:
    """Mark released, empty the cell, retire the card. The wallet's payout wraps this call."""
    inmate = Inmate.objects.select_for_update().get(pk=inmate.pk)
    _require_active(inmate)
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
    *, inmate: Inmate, to_site: Site, date: dt.date, actor: User | None, note: str = ""
) -> Inmate:
    """Transfer to another site of this installation: the old record stays (status
    transferred) and a new one starts at the receiving site, linked to it."""
    inmate = Inmate.objects.select_for_update().get(pk=inmate.pk)
    _require_active(inmate)
    if to_site.pk == inmate.site_id:
        raise InmateError(_("UPT tujuan sama dengan UPT asal."))
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
        photo=inmate.photo,
        transferred_from=inmate,
        **{name: getattr(inmate, name) for name in INMATE_FIELDS if name != "admission_date"},
        admission_date=date,
    )
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


@transaction.atomic
def inmate_set_photo(*, inmate: Inmate, data: bytes, actor: User | None) -> None:
    """Store a photo re-encoded as JPEG (metadata stripped, at most 600 px a side)."""
    if len(data) > settings.PANDAI_MAX_PHOTO_BYTES:
        raise InmateError(_("Berkas foto terlalu besar."))
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            if img.format not in {"JPEG", "PNG", "WEBP"}:
                raise InmateError(_("Foto harus berupa JPEG atau PNG."))
            clean = img.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise InmateError(_("Berkas ini bukan gambar yang dapat dibaca.")) from exc
    clean.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85)  # no exif= argument: metadata is dropped
    if inmate.photo:
        inmate.photo.delete(save=False)
    inmate.photo.save(
        f"{inmate.site.code}-{inmate.pk}.jpg", ContentFile(out.getvalue()), save=False
    )
    inmate.save(update_fields=["photo", "updated_at"])
    audit_append(action="inmate.photo", site=inmate.site, actor=actor, obj=inmate)


# --- Cards -------------------------------------------------------------------------------


def card_find(*, site: Site, raw: str) -> Card | None:
    """The card a reader typed, in any of the forms readers use; None if unknown here."""
    try:
        forms = uid_candidates(raw)
    except UidError:
        return None
    short = [f for f in forms if len(f) == 8]
    cards = Card.objects.select_related("inmate", "inmate__cell__block").filter(site=site)
    card = cards.filter(uid__in=forms).order_by("-issued_at").first()
    if card is None and short:
        card = cards.filter(uid32__in=short).order_by("-issued_at").first()
    return card


@transaction.atomic
def card_issue(*, inmate: Inmate, raw_uid: str, actor: User, reason: str = "") -> Card:
    """Issue a card; a replacement blocks the holder's previous active card."""
    _require_active(inmate)
    try:
        uid = normalise_uid(raw_uid)
    except UidError as exc:
        raise InmateError(_("Nomor kartu tidak dikenali. Tempelkan kartu pada pembaca.")) from exc
    forms = uid_candidates(uid)
    if Card.objects.filter(uid__in=forms).exists() or (
        len(uid) == 8 and Card.objects.filter(uid32__in=forms).exists()
    ):
        raise InmateError(_("Kartu ini sudah pernah dipakai dan tidak bisa diterbitkan lagi."))
    Inmate.objects.select_for_update().filter(pk=inmate.pk).first()
    old = list(Card.objects.filter(inmate=inmate, status=CardStatus.ACTIVE))
    for previous in old:
        previous.status = CardStatus.BLOCKED
        previous.retired_at = timezone.now()
        previous.status_reason = reason or _("diganti kartu baru")
        previous.save(update_fields=["status", "retired_at", "status_reason"])
    card = Card.objects.create(
        site=inmate.site, inmate=inmate, uid=uid, uid32=uid[:8], issued_by=actor
    )
    audit_append(
        action="card.issue",
        site=inmate.site,
        actor=actor,
        obj=card,
        data={"inmate": inmate.pk, "uid": uid, "replaces": [c.uid for c in old], "reason": reason},
    )
    return card


@transaction.atomic
def card_set_status(*, card: Card, status: str, reason: str, actor: User) -> None:
    status = CardStatus(status)
    if card.status == CardStatus.RETIRED:
        raise InmateError(_("Kartu yang sudah ditarik tidak bisa diubah."))
    if status == CardStatus.ACTIVE:
        if (
            Card.objects.filter(inmate=card.inmate, status=CardStatus.ACTIVE)
            .exclude(pk=card.pk)
            .exists()
        ):
            raise InmateError(_("WBP ini sudah punya kartu aktif lain."))
        _require_active(card.inmate)
    old = card.status
    card.status = status
    card.status_reason = reason
    card.retired_at = None if status == CardStatus.ACTIVE else timezone.now()
    card.save(update_fields=["status", "status_reason", "retired_at"])
    audit_append(
        action="card.status",
        site=card.site,
        actor=actor,
        obj=card,
        data={"from": old, "to": status.value, "reason": reason},
    )


# --- PINs --------------------------------------------------------------------------------

TRIVIAL_MESSAGES = {
    "format": N_("PIN harus 6 angka."),
    "same_digit": N_("PIN tidak boleh angka yang sama semua."),
    "sequence": N_("PIN tidak boleh angka berurutan seperti 123456."),
    "repeat": N_("PIN tidak boleh pola berulang seperti 121212."),
    "birth_date": N_("PIN tidak boleh tanggal lahir."),
}


@transaction.atomic
def pin_set(*, inmate: Inmate, pin: str, actor: User | None, is_reset: bool = False) -> None:
    """Set (or, by a counter officer or the head, reset) the inmate's PIN."""
    reason = pins.trivial_reason(pin, inmate.birth_date)
    if reason is not None:
        raise InmateError(_(TRIVIAL_MESSAGES[reason]))
    Pin.objects.update_or_create(
        inmate=inmate,
        defaults={
            "pin_hash": pins.pin_hash(pin),
            "failed_tries": 0,
            "locked_until": None,
            "set_at": timezone.now(),
        },
    )
    audit_append(
        action="pin.reset" if is_reset else "pin.set", site=inmate.site, actor=actor, obj=inmate
    )


def pin_verify(*, inmate: Inmate, pin: str, terminal: str = "") -> PinCheck:
    """Check a PIN, counting wrong tries; locks after PANDAI_PIN_MAX_TRIES for a while.

    Runs in its own transaction so a wrong try is remembered even if the caller's
    transaction (a purchase) is rolled back.
    """
    max_tries = settings.PANDAI_PIN_MAX_TRIES
    with transaction.atomic():
        record = Pin.objects.select_for_update().filter(inmate=inmate).first()
        if record is None:
            return PinCheck(False, 0, None, _("PIN belum dibuat. Minta petugas loket membuatnya."))
        now = timezone.now()
        if record.locked_until and record.locked_until > now:
            minutes = max(1, int((record.locked_until - now).total_seconds() // 60) + 1)
            return PinCheck(
                False,
                0,
                record.locked_until,
                _("PIN terkunci. Coba lagi dalam %(m)d menit.") % {"m": minutes},
            )
        if pins.pin_matches(pin, record.pin_hash):
            if record.failed_tries or record.locked_until:
                record.failed_tries = 0
                record.locked_until = None
                record.save(update_fields=["failed_tries", "locked_until"])
            return PinCheck(True, max_tries, None)
        record.failed_tries += 1
        if record.failed_tries >= max_tries:
            record.failed_tries = 0
            record.locked_until = now + dt.timedelta(minutes=settings.PANDAI_PIN_LOCK_MINUTES)
            record.save(update_fields=["failed_tries", "locked_until"])
            audit_append(
                action="pin.locked",
                site=inmate.site,
                obj=inmate,
                data={"terminal": terminal, "until": record.locked_until.isoformat()},
            )
            return PinCheck(
                False,
                0,
                record.locked_until,
                _("PIN salah %(n)d kali. PIN terkunci %(m)d menit.")
                % {"n": max_tries, "m": settings.PANDAI_PIN_LOCK_MINUTES},
            )
        record.save(update_fields=["failed_tries"])
        left = max_tries - record.failed_tries
        audit_append(
            action="pin.wrong",
            site=inmate.site,
            obj=inmate,
            data={"terminal": terminal, "left": left},
        )
        return PinCheck(False, left, None, _("PIN salah. Sisa %(n)d kali percobaan.") % {"n": left})
