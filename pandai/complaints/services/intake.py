"""Intake: witnessed box openings and their slips, oral complaints to an officer, family and
visitors at the counter, and the kiosk. Every item gets a tracking number and a follow-up code
that is shown once (on the receipt slip) and stored only as a hash."""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from pandai.complaints.models import (
    BoxOpening,
    Category,
    Channel,
    Complaint,
    ComplaintType,
    EmergencyKind,
    Escalation,
    EscalationBody,
    FloodCount,
    Identity,
    Status,
)
from pandai.complaints.services.base import (
    ComplaintError,
    audit,
    clean_text,
    history_add,
    now,
    roles_at,
    settings_for,
)
from pandai.complaints.services.deadlines import deadlines_for
from pandai.complaints.services.identity import followup_code_new
from pandai.complaints.services.scans import scan_clean
from pandai.core.audit import audit_append
from pandai.core.calendar import site_today
from pandai.core.models import Device, Membership, Role, Site, User
from pandai.inmates.models import Card, Inmate, InmateStatus
from pandai.wallet.counter import next_document_no

NUMBER_PREFIX = "ADU"
MAX_SLIPS_PER_OPENING = 1000


@dataclass(frozen=True)
class Receipt:
    """What the receipt slip prints. `followup_code` exists only here: it is not stored."""

    complaint: Complaint
    followup_code: str


# --- box openings -----------------------------------------------------------------------------


def _is_staff_at(user: User, site: Site) -> bool:
    return user.is_active and Membership.objects.filter(user=user, site=site).exists()


@transaction.atomic
def box_opening_create(
    *,
    site: Site,
    opened_at: dt.datetime,
    location: str,
    officer_1: User,
    officer_2: User,
    slip_count: int,
    actor: User,
    note: str = "",
) -> BoxOpening:
    """Record that two officers opened a box together and how many slips they found."""
    location = clean_text(location, label=_("Lokasi kotak"), max_chars=120)
    note = clean_text(note, label=_("Catatan"), max_chars=1000, required=False)
    if officer_1.pk == officer_2.pk:
        raise ComplaintError("same_officer", _("Kotak harus dibuka oleh dua petugas yang berbeda."))
    for officer in (officer_1, officer_2):
        if not _is_staff_at(officer, site):
            raise ComplaintError(
                "officer_not_here",
                _("%(name)s bukan petugas aktif di UPT ini.") % {"name": officer.display_name},
            )
    if not 0 <= slip_count <= MAX_SLIPS_PER_OPENING:
        raise ComplaintError(
            "slip_count",
            _("Jumlah lembar harus antara 0 dan %(max)s.") % {"max": MAX_SLIPS_PER_OPENING},
        )
    if opened_at > now() + dt.timedelta(minutes=5):
        raise ComplaintError("future", _("Waktu pembukaan tidak boleh di masa depan."))
    opening = BoxOpening.objects.create(
        site=site,
        opened_at=opened_at,
        location=location,
        officer_1=officer_1,
        officer_2=officer_2,
        slip_count=slip_count,
        note=note,
        recorded_by=actor,
    )
    audit_append(
        action="complaint.box_open",
        site=site,
        actor=actor,
        obj=opening,
        data={"slips": slip_count, "officers": [officer_1.pk, officer_2.pk]},
    )
    return opening


# --- flood limit ------------------------------------------------------------------------------


def _flood_count(site: Site, day: dt.date, source: str) -> int:
    """Count one more item from `source` today; the key cannot be traced to a complaint."""
    key = hmac.new(
        settings.SECRET_KEY.encode(), f"{site.pk}:{day.isoformat()}:{source}".encode(), "sha256"
    ).hexdigest()
    FloodCount.objects.bulk_create(
        [FloodCount(site=site, day=day, key=key, count=0)], ignore_conflicts=True
    )
    FloodCount.objects.filter(site=site, day=day, key=key).update(count=F("count") + 1)
    return FloodCount.objects.get(site=site, day=day, key=key).count


# --- the one way an item is created -----------------------------------------------------------


@dataclass
class _Item:
    site: Site
    channel: str
    kind: str
    category: Category
    identity: str
    text: str
    title: str = ""
    is_emergency: bool = False
    emergency_kind: str = ""
    named_staff: tuple[User, ...] = ()
    inmate: Inmate | None = None
    contact_name: str = ""
    contact_relation: str = ""
    contact_phone: str = ""
    device: Device | None = None
    recorded_by: User | None = None
    opening: BoxOpening | None = None
    received_at: dt.datetime | None = None
    scan: bytes | None = None
    flood_source: str = ""


def _check(item: _Item) -> None:
    if item.kind not in ComplaintType.values:
        raise ComplaintError("kind", _("Pilih jenis pengaduan."))
    if item.identity not in Identity.values:
        raise ComplaintError("identity", _("Pilih cara identitas pelapor dicatat."))
    if item.category.site_id != item.site.pk or not item.category.is_active:
        raise ComplaintError("category", _("Kategori tidak tersedia di UPT ini."))
    if item.emergency_kind and item.emergency_kind not in EmergencyKind.values:
        raise ComplaintError("emergency_kind", _("Jenis keadaan darurat tidak dikenal."))
    for person in item.named_staff:
        if not Membership.objects.filter(user=person, site=item.site).exists():
            raise ComplaintError("named_staff", _("Petugas yang diadukan harus petugas UPT ini."))
    if item.inmate is not None:
        if item.inmate.site_id != item.site.pk:
            raise ComplaintError("inmate_site", _("WBP itu terdaftar di UPT lain."))
        if item.channel != Channel.COUNTER and item.inmate.status != InmateStatus.ACTIVE:
            raise ComplaintError("inmate_inactive", _("WBP itu sudah tidak aktif."))
    if item.identity == Identity.ANONYMOUS:
        if item.inmate is not None or item.contact_name or item.contact_phone:
            raise ComplaintError(
                "anonymous_identity",
                _("Pengaduan anonim tidak boleh mencatat nama atau WBP pelapor."),
            )
    elif item.channel == Channel.COUNTER:
        if not item.contact_name:
            raise ComplaintError("contact_name", _("Nama keluarga / pengunjung wajib diisi."))
    elif item.inmate is None:
        raise ComplaintError("inmate", _("Pilih WBP pelapor (atau catat sebagai anonim)."))


def _create(item: _Item) -> Receipt:
    item.text = clean_text(item.text, label=_("Isi pengaduan"))
    item.title = clean_text(item.title, label=_("Ringkasan"), max_chars=200, required=False)
    item.contact_name = clean_text(
        item.contact_name, label=_("Nama"), max_chars=150, required=False
    )
    item.contact_relation = clean_text(
        item.contact_relation, label=_("Hubungan"), max_chars=80, required=False
    )
    item.contact_phone = clean_text(
        item.contact_phone, label=_("Telepon"), max_chars=30, required=False
    )
    if item.emergency_kind:
        item.is_emergency = True
    _check(item)
    scan = scan_clean(item.scan) if item.scan else None
    site = item.site
    received_at = item.received_at or now()
    received_on = site_today(site, received_at)
    verify_due, answer_due = deadlines_for(
        site=site, category=item.category, received_on=received_on, is_emergency=item.is_emergency
    )
    flood_count = 0
    if item.flood_source:
        flood_count = _flood_count(site, site_today(site, now()), item.flood_source)
    flooded = flood_count > settings_for(site).flood_limit_per_day
    named_ids = {u.pk for u in item.named_staff}
    officer = None
    if (
        item.recorded_by is not None
        and item.recorded_by.pk not in named_ids
        and roles_at(item.recorded_by, site) & {Role.COMPLAINT_OFFICER, Role.HEAD}
    ):
        officer = item.recorded_by
    about_head = Membership.objects.filter(
        site=site, role=Role.HEAD, user_id__in=named_ids
    ).exists()
    slip_no = None
    if item.opening is not None:
        # Under the opening's row lock: two officers typing slips of one opening number them
        # without a gap or a clash.
        BoxOpening.objects.select_for_update().filter(pk=item.opening.pk).first()
        slip_no = (
            Complaint.objects.filter(opening=item.opening).aggregate(m=Max("slip_no"))["m"] or 0
        ) + 1
    code, code_hash = followup_code_new()
    anonymous = item.identity == Identity.ANONYMOUS
    complaint = Complaint(
        site=site,
        followup_code_hash=code_hash,
        kind=item.kind,
        channel=item.channel,
        category=item.category,
        identity=item.identity,
        inmate=None if anonymous else item.inmate,
        contact_name=item.contact_name,
        contact_relation=item.contact_relation,
        contact_phone=item.contact_phone,
        device=None if anonymous else item.device,
        recorded_by=item.recorded_by,
        opening=item.opening,
        slip_no=slip_no,
        title=item.title,
        text=item.text,
        is_emergency=item.is_emergency,
        emergency_kind=item.emergency_kind,
        about_head=about_head,
        flood_flagged=flooded,
        status=Status.RECEIVED,
        officer=officer,
        received_at=received_at,
        verify_due=verify_due,
        answer_due=answer_due,
    )
    # Last before the INSERT: the per-site sequence row stays locked until COMMIT.
    complaint.number = next_document_no(site=site, prefix=NUMBER_PREFIX, now=received_at)
    complaint.save()
    if named_ids:
        complaint.named_staff.set(list(named_ids))
    history_add(
        complaint=complaint,
        action="receive",
        actor=item.recorded_by,
        to_status=Status.RECEIVED,
        note=_("Diterima melalui %(channel)s.") % {"channel": Channel(item.channel).label},
        public=True,
        at=received_at,
    )
    if about_head:
        note = _("Mengadukan Karutan/Kalapas: diteruskan ke Kantor Wilayah.")
        Escalation.objects.create(
            complaint=complaint,
            body=EscalationBody.KANWIL,
            note=note,
            automatic=True,
            recorded_by=item.recorded_by,
        )
        history_add(complaint=complaint, action="escalate", actor=None, note=note)
    if flooded:
        history_add(
            complaint=complaint,
            action="flood",
            actor=None,
            note=_(
                "Pengaduan ke-%(n)s hari ini dari kartu yang sama (batas %(limit)s): "
                "dicatat dan ditandai, tetap diproses."
            )
            % {"n": flood_count, "limit": settings_for(site).flood_limit_per_day},
        )
        audit(complaint, "complaint.flood", None, count=flood_count)
    # Never the inmate, the name or the device: the chain is readable by auditors, and an
    # anonymous item must leave no trace of its author.
    audit(
        complaint,
        "complaint.receive",
        item.recorded_by,
        channel=item.channel,
        kind=item.kind,
        identity=item.identity,
        emergency=item.is_emergency,
    )
    if scan is not None:
        _store_scan(complaint, *scan)
    return Receipt(complaint=complaint, followup_code=code)


def _store_scan(complaint: Complaint, data: bytes, ext: str) -> None:
    """Written last in the transaction, so that only a failing COMMIT could orphan the file;
    a replaced scan is deleted only once the new one is committed."""
    old = complaint.scan.name if complaint.scan else ""
    storage = complaint.scan.storage
    complaint.scan.save(f"slip.{ext}", ContentFile(data), save=False)
    complaint.save(update_fields=["scan", "updated_at"])
    if old and old != complaint.scan.name:
        transaction.on_commit(lambda: storage.delete(old))


# --- the public services, one per channel -----------------------------------------------------


@transaction.atomic
def complaint_submit_slip(
    *,
    opening: BoxOpening,
    actor: User,
    kind: str,
    category: Category,
    identity: str,
    text: str,
    inmate: Inmate | None = None,
    title: str = "",
    is_emergency: bool = False,
    emergency_kind: str = "",
    named_staff: Iterable[User] = (),
    scan: bytes | None = None,
) -> Receipt:
    """One paper slip from a box opening, typed in by staff (numbered within the opening)."""
    return _create(
        _Item(
            site=opening.site,
            channel=Channel.BOX,
            kind=kind,
            category=category,
            identity=identity,
            text=text,
            title=title,
            is_emergency=is_emergency,
            emergency_kind=emergency_kind,
            named_staff=tuple(named_staff),
            inmate=inmate,
            recorded_by=actor,
            opening=opening,
            received_at=opening.opened_at,
            scan=scan,
        )
    )


@transaction.atomic
def complaint_submit_oral(
    *,
    site: Site,
    actor: User,
    kind: str,
    category: Category,
    identity: str,
    text: str,
    inmate: Inmate | None = None,
    title: str = "",
    is_emergency: bool = False,
    emergency_kind: str = "",
    named_staff: Iterable[User] = (),
) -> Receipt:
    """A complaint told to an officer, who writes it down (counted against the inmate's
    daily limit when the inmate is named)."""
    return _create(
        _Item(
            site=site,
            channel=Channel.ORAL,
            kind=kind,
            category=category,
            identity=identity,
            text=text,
            title=title,
            is_emergency=is_emergency,
            emergency_kind=emergency_kind,
            named_staff=tuple(named_staff),
            inmate=inmate,
            recorded_by=actor,
            flood_source=f"inmate:{inmate.pk}" if inmate is not None else "",
        )
    )


@transaction.atomic
def complaint_submit_counter(
    *,
    site: Site,
    actor: User,
    kind: str,
    category: Category,
    identity: str,
    text: str,
    contact_name: str = "",
    contact_relation: str = "",
    contact_phone: str = "",
    inmate: Inmate | None = None,
    title: str = "",
    is_emergency: bool = False,
    emergency_kind: str = "",
    named_staff: Iterable[User] = (),
) -> Receipt:
    """A family member or visitor at the counter; `inmate` is the inmate the item concerns
    (optional; not kept for an anonymous item)."""
    return _create(
        _Item(
            site=site,
            channel=Channel.COUNTER,
            kind=kind,
            category=category,
            identity=identity,
            text=text,
            title=title,
            is_emergency=is_emergency,
            emergency_kind=emergency_kind,
            named_staff=tuple(named_staff),
            inmate=inmate,
            contact_name=contact_name,
            contact_relation=contact_relation,
            contact_phone=contact_phone,
            recorded_by=actor,
        )
    )


@transaction.atomic
def complaint_submit_kiosk(
    *,
    inmate: Inmate,
    kind: str,
    category: Category,
    identity: str,
    text: str,
    device: Device | None = None,
    card: Card | None = None,
    is_emergency: bool = False,
    emergency_kind: str = "",
    named_staff: Iterable[User] = (),
) -> Receipt:
    """An inmate's own item from a kiosk (after card + PIN: the kiosk checks the PIN). For an
    anonymous item the inmate, card and device are used only to count the daily limit and are
    not stored anywhere; the kiosk must not log them either."""
    if inmate.status != InmateStatus.ACTIVE:
        raise ComplaintError("inmate_inactive", _("WBP itu sudah tidak aktif."))
    anonymous = identity == Identity.ANONYMOUS
    source = f"card:{card.uid}" if card is not None else f"inmate:{inmate.pk}"
    return _create(
        _Item(
            site=inmate.site,
            channel=Channel.KIOSK,
            kind=kind,
            category=category,
            identity=identity,
            text=text,
            is_emergency=is_emergency,
            emergency_kind=emergency_kind,
            named_staff=tuple(named_staff),
            inmate=None if anonymous else inmate,
            device=None if anonymous else device,
            flood_source=source,
        )
    )


@transaction.atomic
def complaint_attach_scan(*, complaint: Complaint, actor: User, data: bytes) -> Complaint:
    """Attach (or replace) the scan of a paper slip."""
    stored, ext = scan_clean(data)
    c = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if c.channel != Channel.BOX:
        raise ComplaintError("not_box", _("Pindaian hanya untuk lembar dari kotak pengaduan."))
    history_add(complaint=c, action="scan", actor=actor, note=_("Pindaian lembar dilampirkan."))
    audit(c, "complaint.scan", actor)
    _store_scan(c, stored, ext)
    return c
