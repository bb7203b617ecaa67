"""Kotak pengaduan records: categories and settings per site, box openings, complaints with
their append-only history, external escalations, money links, response templates, retaliation
flags and the flood counter.

Contract for every caller (C2's public pages, the kiosk and town-hall apps, reports):

- Write only through `pandai.complaints.services` (see its docstring); read through
  `pandai.complaints.selectors`. Never `.save()` a Complaint yourself: every status change must
  leave a `ComplaintHistory` row and may touch deadlines.
- Identity: `Complaint.identity` is NAMED, CONFIDENTIAL or ANONYMOUS. For ANONYMOUS the row holds
  no `inmate`, no `contact_*`, no `device`, and no audit event or history note names the person;
  the only way back in is the follow-up code (`followup_code_hash`, a Django password hash;
  check it with `services.identity.followup_code_check`). For CONFIDENTIAL, read the identity
  only through `services.identity.identity_reveal` (head + the complaint's officer, with a
  reason, audited). Lists and public pages never show `inmate` / `contact_*`.
- `named_staff` are staff the complaint is about: they may not see or handle it
  (`selectors.may_access`). `about_head` is set when the site's head is among them; such an item
  has an automatic Kanwil `Escalation`.
- Deadlines are dates in the site's calendar (working days, `pandai.core.calendar`):
  `verify_due`, `answer_due`; `extended` once with `extension_reason`. `warned_at` /
  `escalated_at` are set once by `complaints_tick` with a conditional UPDATE (never twice).
- Public answer: `answer_public_text` is the officer's redacted text, shown on the board when
  `published_at` is set; `answer_at_session` marks items to be answered at the next sosialisasi
  (`session_answered_at` is set through `handling.complaint_mark_session_answered`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Device, Site, User
from pandai.inmates.models import Inmate
from pandai.shop.models import Sale
from pandai.wallet.models import Transfer

USER = settings.AUTH_USER_MODEL


class ComplaintSettings(models.Model):
    """Per-site defaults; a category may override the three deadlines."""

    site = models.OneToOneField(Site, on_delete=models.PROTECT, related_name="complaint_settings")
    verify_days = models.PositiveSmallIntegerField(_("batas verifikasi (hari kerja)"), default=3)
    answer_days = models.PositiveSmallIntegerField(_("batas jawaban (hari kerja)"), default=14)
    extend_days = models.PositiveSmallIntegerField(_("perpanjangan (hari kerja)"), default=14)
    emergency_days = models.PositiveSmallIntegerField(
        _("batas pengaduan darurat (hari kerja)"), default=1
    )
    warn_days = models.PositiveSmallIntegerField(
        _("peringatan sebelum batas (hari kerja)"), default=2
    )
    reopen_days = models.PositiveSmallIntegerField(
        _("batas membuka kembali (hari kerja)"), default=10
    )
    retaliation_days = models.PositiveSmallIntegerField(
        _("masa pantau pembalasan (hari)"), default=90
    )
    flood_limit_per_day = models.PositiveSmallIntegerField(
        _("batas wajar pengaduan per kartu per hari"),
        default=3,
        help_text=_("Lebih dari ini dicatat dan ditandai, tidak pernah dibuang."),
    )

    class Meta:
        verbose_name = _("pengaturan pengaduan")
        verbose_name_plural = _("pengaturan pengaduan")

    def __str__(self) -> str:
        return str(self.site)


class Category(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=80)
    default_section = models.CharField(_("seksi penanggung jawab"), max_length=80, blank=True)
    default_handler = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pejabat penanggung jawab"),
    )
    # Null = the site's default from ComplaintSettings.
    verify_days = models.PositiveSmallIntegerField(_("batas verifikasi"), null=True, blank=True)
    answer_days = models.PositiveSmallIntegerField(_("batas jawaban"), null=True, blank=True)
    extend_days = models.PositiveSmallIntegerField(_("perpanjangan"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("kategori pengaduan")
        verbose_name_plural = _("kategori pengaduan")
        ordering = ["site", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="complaints_category_code")
        ]

    def __str__(self) -> str:
        return self.name


class ResponseTemplate(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="templates"
    )
    title = models.CharField(_("judul"), max_length=120)
    body = models.TextField(_("isi"))
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("templat jawaban")
        verbose_name_plural = _("templat jawaban")
        ordering = ["site", "category", "title"]

    def __str__(self) -> str:
        return self.title


class BoxOpening(models.Model):
    """One witnessed opening of a paper box: nothing taken out can disappear unrecorded."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("waktu pembukaan"))
    location = models.CharField(_("lokasi kotak"), max_length=120)
    officer_1 = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("petugas 1")
    )
    officer_2 = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("petugas 2")
    )
    slip_count = models.PositiveIntegerField(_("jumlah lembar ditemukan"))
    note = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pembukaan kotak")
        verbose_name_plural = _("pembukaan kotak")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(officer_1=F("officer_2")), name="complaints_opening_two_officers"
            )
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.opened_at:%Y-%m-%d %H:%M}"


class ComplaintType(models.TextChoices):
    ASPIRATION = "aspiration", _("Aspirasi")
    COMPLAINT = "complaint", _("Pengaduan")
    INFORMATION = "information", _("Permintaan informasi")
    MISCONDUCT = "misconduct", _("Laporan pungli / pelanggaran")


class Channel(models.TextChoices):
    BOX = "box", _("Kotak pengaduan")
    KIOSK = "kiosk", _("Kios")
    ORAL = "oral", _("Lisan ke petugas")
    COUNTER = "counter", _("Keluarga / pengunjung di loket")


class Identity(models.TextChoices):
    NAMED = "named", _("Terbuka")
    CONFIDENTIAL = "confidential", _("Dirahasiakan")
    ANONYMOUS = "anonymous", _("Anonim")


class Status(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    VERIFIED = "verified", _("Diverifikasi")
    ASSIGNED = "assigned", _("Didisposisikan")
    IN_PROGRESS = "in_progress", _("Ditindaklanjuti")
    ANSWERED = "answered", _("Dijawab")
    CLOSED = "closed", _("Selesai")
    REJECTED = "rejected", _("Ditolak")
    DUPLICATE = "duplicate", _("Duplikat")
    REOPENED = "reopened", _("Dibuka kembali")


# Items still owed work: they have a running deadline and appear in the queues.
OPEN_STATUSES = (
    Status.RECEIVED,
    Status.VERIFIED,
    Status.ASSIGNED,
    Status.IN_PROGRESS,
    Status.REOPENED,
)


class EmergencyKind(models.TextChoices):
    LIFE = "life", _("Ancaman terhadap nyawa")
    HEALTH = "health", _("Kesehatan darurat")
    SEXUAL_ABUSE = "sexual_abuse", _("Kekerasan / pelecehan seksual")
    STAFF_VIOLENCE = "staff_violence", _("Kekerasan oleh petugas")


class RejectReason(models.TextChoices):
    NOT_AUTHORITY = "not_authority", _("Bukan kewenangan UPT")
    INCOMPLETE = "incomplete", _("Isi tidak lengkap / tidak dapat dipahami")
    NOT_COMPLAINT = "not_complaint", _("Bukan pengaduan")
    ALREADY_DECIDED = "already_decided", _("Sudah diputus / sedang di pengadilan")
    ABUSIVE = "abusive", _("Berisi hinaan atau ancaman")
    OTHER = "other", _("Lainnya")


class Rating(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Sangat puas")
    SATISFIED = "satisfied", _("Puas")
    PARTLY = "partly", _("Sebagian terselesaikan")
    DISSATISFIED = "dissatisfied", _("Tidak puas")
    VERY_DISSATISFIED = "very_dissatisfied", _("Sangat tidak puas")


def scan_path(instance: Complaint, filename: str) -> str:
    # Never the uploaded name: it may carry the complainant's name.
    return f"complaints/scans/{instance.site_id}/{instance.number}.{filename.rsplit('.', 1)[-1]}"


class Complaint(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("nomor"), max_length=32, unique=True)  # ADU-BLR-2024-000123
    followup_code_hash = models.CharField(max_length=200, editable=False)
    # Wrong follow-up codes against this number (the public tracking page rate-limits on it).
    code_failures = models.PositiveSmallIntegerField(default=0)
    code_locked_until = models.DateTimeField(null=True, blank=True)

    kind = models.CharField(_("jenis"), max_length=12, choices=ComplaintType.choices)
    channel = models.CharField(_("saluran"), max_length=8, choices=Channel.choices)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("kategori")
    )
    identity = models.CharField(_("identitas"), max_length=12, choices=Identity.choices)
    # The complainant (or, for a counter item, the inmate the family writes about). Null when
    # anonymous — the database refuses identity on an anonymous row (constraint below).
    inmate = models.ForeignKey(
        Inmate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    contact_relation = models.CharField(_("hubungan dengan WBP"), max_length=80, blank=True)
    contact_phone = models.CharField(_("telepon"), max_length=30, blank=True)
    device = models.ForeignKey(Device, on_delete=models.PROTECT, null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    opening = models.ForeignKey(
        BoxOpening, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    slip_no = models.PositiveIntegerField(_("nomor lembar"), null=True, blank=True)
    scan = models.FileField(_("pindaian lembar"), upload_to=scan_path, blank=True)

    title = models.CharField(_("ringkasan"), max_length=200, blank=True)
    text = models.TextField(_("isi"))
    is_emergency = models.BooleanField(_("darurat"), default=False)
    emergency_kind = models.CharField(
        _("jenis darurat"), max_length=16, choices=EmergencyKind.choices, blank=True
    )
    named_staff = models.ManyToManyField(
        User, blank=True, related_name="+", verbose_name=_("petugas yang diadukan")
    )
    about_head = models.BooleanField(_("mengadukan Karutan/Kalapas"), default=False)
    flood_flagged = models.BooleanField(_("melebihi batas harian"), default=False)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    reject_reason = models.CharField(
        _("alasan penolakan"), max_length=16, choices=RejectReason.choices, blank=True
    )
    reject_note = models.TextField(_("keterangan penolakan"), blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    # The complaint officer in charge (with the head, the only one who may reveal a
    # confidential identity) and the official it is disposed to.
    officer = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_to = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_section = models.CharField(_("seksi"), max_length=80, blank=True)
    instruction = models.TextField(_("instruksi disposisi"), blank=True)

    received_at = models.DateTimeField(_("diterima"))
    verify_due = models.DateField(_("batas verifikasi"))
    answer_due = models.DateField(_("batas jawaban"))
    extended = models.BooleanField(_("diperpanjang"), default=False)
    extension_reason = models.TextField(_("alasan perpanjangan"), blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    answer_text = models.TextField(_("jawaban"), blank=True)
    answered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer_at_session = models.BooleanField(_("dijawab di sosialisasi berikutnya"), default=False)
    session_answered_at = models.DateTimeField(null=True, blank=True)
    answer_public_text = models.TextField(_("jawaban untuk papan publik"), blank=True)
    published_at = models.DateTimeField(_("diumumkan"), null=True, blank=True)
    published_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    rating = models.CharField(_("penilaian"), max_length=20, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    reopen_reason = models.TextField(_("alasan dibuka kembali"), blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["site", "status", "answer_due"], name="complaints_queue"),
            models.Index(fields=["site", "published_at"], name="complaints_board"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(identity=Identity.ANONYMOUS)
                | (
                    Q(inmate__isnull=True)
                    & Q(contact_name="")
                    & Q(contact_relation="")
                    & Q(contact_phone="")
                    & Q(device__isnull=True)
                ),
                name="complaints_anonymous_has_no_identity",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DUPLICATE) | Q(duplicate_of__isnull=False),
                name="complaints_duplicate_has_original",
            ),
            models.CheckConstraint(
                condition=Q(opening__isnull=True) | Q(channel=Channel.BOX),
                name="complaints_opening_only_for_box",
            ),
            models.UniqueConstraint(
                fields=["opening", "slip_no"], name="complaints_slip_once_per_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ComplaintHistory(models.Model):
    """Append-only (database guard): who changed what, when, and why. `public` rows are the
    updates the complainant sees on the tracking page (and the duplicates' complainants too)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="history")
    at = models.DateTimeField()
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True)
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action}"


class EscalationBody(models.TextChoices):
    KANWIL = "kanwil", _("Kantor Wilayah (Kanwil)")
    LAPOR = "lapor", _("SP4N-LAPOR!")
    OMBUDSMAN = "ombudsman", _("Ombudsman RI")
    HEAD = "head", _("Karutan / Kalapas (internal)")


class Escalation(models.Model):
    """An item sent above the site (or, kind HEAD, raised to the head by the deadline tick)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="escalations")
    body = models.CharField(_("dikirim ke"), max_length=12, choices=EscalationBody.choices)
    reference = models.CharField(_("nomor referensi"), max_length=80, blank=True)
    sent_on = models.DateField(_("tanggal dikirim"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    automatic = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} → {self.body}"


class MoneyLink(models.Model):
    """A money dispute's link to one ledger transfer or one shop sale (shown on both sides)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="money_links")
    transfer = models.ForeignKey(
        Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sale = models.ForeignKey(
        Sale, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(transfer__isnull=True, sale__isnull=False)
                | Q(transfer__isnull=False, sale__isnull=True),
                name="complaints_moneylink_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} ↔ {self.transfer_id or self.sale_id}"


class RetaliationKind(models.TextChoices):
    CELL_MOVE = "cell_move", _("Pindah kamar / blok")
    DISCIPLINE = "discipline", _("Catatan Register F")
    CARD_BLOCKED = "card_blocked", _("Kartu diblokir")
    ACCOUNT_FROZEN = "account_frozen", _("Rekening dibekukan")
    LIMIT_LOWERED = "limit_lowered", _("Batas belanja diturunkan")
    PROGRAM_REMOVED = "program_removed", _("Dikeluarkan dari program")


class RetaliationDecision(models.TextChoices):
    JUSTIFIED = "justified", _("Wajar, bukan pembalasan")
    RETALIATION = "retaliation", _("Indikasi pembalasan, ditindaklanjuti")


class RetaliationFlag(models.Model):
    """An event that happened to a (named or confidential) complainant inside the watch period;
    the head decides on it. One flag per (complaint, record)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="retaliation_flags"
    )
    kind = models.CharField(_("kejadian"), max_length=16, choices=RetaliationKind.choices)
    record_type = models.CharField(max_length=64)  # "app_label.model"
    record_id = models.CharField(max_length=64)
    event_at = models.DateTimeField(_("waktu kejadian"))
    detected_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(
        _("keputusan"), max_length=12, choices=RetaliationDecision.choices, blank=True
    )
    reason = models.TextField(_("alasan"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-event_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "record_type", "record_id"], name="complaints_flag_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"

    @property
    def decided(self) -> bool:
        return bool(self.decision)


class FloodCount(models.Model):
    """Items per card per day, for the flood limit. `key` is an HMAC of (site, day, card UID)
    under the server secret and is linked to no complaint, so an anonymous item stays
    anonymous; rows older than two days are deleted by complaints_tick."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    key = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "day", "key"], name="complaints_flood_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.count}"
