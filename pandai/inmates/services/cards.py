"""Writes for Kartu Pandai cards and PINs: issue, replace, block, PIN set/reset and checks."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from pandai.core.audit import audit_append
from pandai.core.models import Site, User
from pandai.inmates import pins
from pandai.inmates.cards import UidError, normalise_uid, uid_candidates
from pandai.inmates.models import Card, CardStatus, Inmate, Pin
from pandai.inmates.services.base import InmateError, PinCheck, lock_active


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


def _uid_used(forms: list[str]) -> bool:
    """Has any card, anywhere in this installation, ever carried one of these forms? A 4-byte
    form also matches a 7-byte card it is the truncation of, and the other way round."""
    short = [f for f in forms if len(f) == 8]
    prefixes = [f[:8] for f in forms if len(f) > 8]
    query = Q(uid__in=forms) | Q(uid__in=prefixes)
    if short:
        query |= Q(uid32__in=short)
    return Card.objects.filter(query).exists()


@transaction.atomic
def card_issue(*, inmate: Inmate, raw_uid: str, actor: User, reason: str = "") -> Card:
    """Issue a card; a replacement blocks the holder's previous active card."""
    # Lock the holder first so two replacements for one inmate cannot interleave.
    inmate = lock_active(inmate)
    try:
        uid = normalise_uid(raw_uid)
        forms = uid_candidates(raw_uid)
    except UidError as exc:
        raise InmateError(_("Nomor kartu tidak dikenali. Tempelkan kartu pada pembaca.")) from exc
    if _uid_used(forms):
        raise InmateError(_("Kartu ini sudah pernah dipakai dan tidak bisa diterbitkan lagi."))
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


# Statuses staff may set by hand; RETIRED is set only by release and transfer.
SETTABLE_STATUSES = (CardStatus.ACTIVE, CardStatus.BLOCKED, CardStatus.LOST)


@transaction.atomic
def card_set_status(*, card: Card, status: str, reason: str, actor: User) -> None:
    card = (
        Card.objects.select_for_update(of=("self",))
        .select_related("inmate", "site")
        .get(pk=card.pk)
    )
    try:
        new = CardStatus(status)
    except ValueError:
        new = CardStatus.RETIRED
    if new not in SETTABLE_STATUSES:
        raise InmateError(_("Status kartu itu tidak bisa dipilih."))
    if card.status == CardStatus.RETIRED:
        raise InmateError(_("Kartu yang sudah ditarik tidak bisa diubah."))
    if card.status == new:
        raise InmateError(
            _("Kartu sudah berstatus %(status)s.") % {"status": card.get_status_display()}
        )
    reason = reason.strip()
    if not reason:
        raise InmateError(_("Alasan wajib diisi."))
    if new == CardStatus.ACTIVE:
        lock_active(card.inmate)
        if (
            Card.objects.filter(inmate=card.inmate, status=CardStatus.ACTIVE)
            .exclude(pk=card.pk)
            .exists()
        ):
            raise InmateError(_("WBP ini sudah punya kartu aktif lain."))
    old = card.status
    card.status = new
    card.status_reason = reason
    card.retired_at = None if new == CardStatus.ACTIVE else timezone.now()
    card.save(update_fields=["status", "status_reason", "retired_at"])
    audit_append(
        action="card.status",
        site=card.site,
        actor=actor,
        obj=card,
        data={"from": old, "to": new.value, "reason": reason},
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
    """Set (or, by a counter officer or the head, reset) the inmate's PIN; a reset also
    lifts a lockout."""
    inmate = lock_active(inmate)
    reason = pins.trivial_reason(pin, inmate.birth_date)
    if reason is not None:
        raise InmateError(_(TRIVIAL_MESSAGES[reason]))
    previous = Pin.objects.select_for_update().filter(inmate=inmate).first()
    was_locked = bool(previous and previous.locked_until and previous.locked_until > timezone.now())
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
        action="pin.reset" if is_reset else "pin.set",
        site=inmate.site,
        actor=actor,
        obj=inmate,
        data={"unlocked": was_locked},
    )


def pin_verify(*, inmate: Inmate, pin: str, terminal: str = "") -> PinCheck:
    """Check a PIN, counting wrong tries; locks after PANDAI_PIN_MAX_TRIES for a while.

    The count is written in its own (nested) transaction. Callers must check the PIN
    *before* opening the transaction of the operation it guards: a wrong try written inside
    a transaction that is later rolled back would be forgotten.
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
