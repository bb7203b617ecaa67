"""Program pembinaan: programmes, schedules, enrolment, attendance, premi payout runs."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site
from pandai.inmates.models import Inmate, LegalStatus


class ProgrammeKind(models.TextChoices):
    PERSONALITY = "kepribadian", _("Kepribadian")
    INDEPENDENCE = "kemandirian", _("Kemandirian")


class Subtype(models.TextChoices):
    RELIGIOUS = "religious", _("Kerohanian")
    NATIONAL = "national", _("Kesadaran berbangsa dan bernegara")
    LEGAL = "legal", _("Kesadaran hukum")
    COUNSELLING = "counselling", _("Konseling")
    SPORT = "sport", _("Olahraga")
    SKILLS = "skills", _("Pelatihan keterampilan")
    KITCHEN = "kitchen", _("Kerja: dapur")
    LAUNDRY = "laundry", _("Kerja: binatu")
    FARM = "farm", _("Kerja: pertanian")
    WORKSHOP = "workshop", _("Kerja: bengkel")


SUBTYPES_OF_KIND: dict[str, frozenset[str]] = {
    ProgrammeKind.PERSONALITY: frozenset(
        {Subtype.RELIGIOUS, Subtype.NATIONAL, Subtype.LEGAL, Subtype.COUNSELLING, Subtype.SPORT}
    ),
    ProgrammeKind.INDEPENDENCE: frozenset(
        {Subtype.SKILLS, Subtype.KITCHEN, Subtype.LAUNDRY, Subtype.FARM, Subtype.WORKSHOP}
    ),
}


class Programme(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="programmes")
    kind = models.CharField(_("jenis"), max_length=12, choices=ProgrammeKind.choices)
    subtype = models.CharField(_("bidang"), max_length=12, choices=Subtype.choices)
    name = models.CharField(_("nama program"), max_length=120)
    description = models.TextField(_("keterangan"), blank=True)
    capacity = models.PositiveIntegerField(_("kapasitas peserta"))
    # Eligibility: which legal statuses may join, and whether an active Register F sanction
    # marked "restricts programmes" keeps an inmate out.
    open_to_remand = models.BooleanField(_("terbuka untuk tahanan"), default=True)
    open_to_convicted = models.BooleanField(_("terbuka untuk narapidana"), default=True)
    requires_clean_record = models.BooleanField(
        _("peserta tidak boleh sedang menjalani sanksi disiplin"), default=False
    )
    instructor = models.CharField(_("instruktur / pembimbing"), max_length=120, blank=True)
    place = models.CharField(_("tempat"), max_length=120, blank=True)
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("program pembinaan")
        verbose_name_plural = _("program pembinaan")
        ordering = ["site", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="programme_name_per_site"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="programme_capacity_min_1"),
        ]

    def __str__(self) -> str:
        return self.name

    def allowed_statuses(self) -> list[str]:
        out = []
        if self.open_to_remand:
            out.append(LegalStatus.REMAND.value)
        if self.open_to_convicted:
            out.append(LegalStatus.CONVICTED.value)
        return out


WEEKDAY_NAMES = (
    _("Senin"),
    _("Selasa"),
    _("Rabu"),
    _("Kamis"),
    _("Jumat"),
    _("Sabtu"),
    _("Minggu"),
)


class Schedule(models.Model):
    """A recurring slot: the weekdays (Monday = 0) and hours, from a date to a date."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="schedules")
    # Digits 0-6, Monday = 0 (Python's weekday()), e.g. "024" for Mon, Wed, Fri.
    weekdays = models.CharField(_("hari"), max_length=7)
    start_time = models.TimeField(_("mulai"))
    end_time = models.TimeField(_("selesai"))
    start_date = models.DateField(_("berlaku dari"))
    end_date = models.DateField(_("berlaku sampai"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("jadwal")
        verbose_name_plural = _("jadwal")
        ordering = ["programme", "start_date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="schedule_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="schedule_times_ordered"
            ),
            models.CheckConstraint(
                condition=Q(weekdays__regex=r"^[0-6]{1,7}$"), name="schedule_weekdays_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday_labels()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def weekday_list(self) -> list[int]:
        return sorted({int(d) for d in self.weekdays})

    def weekday_labels(self) -> str:
        return ", ".join(str(WEEKDAY_NAMES[d]) for d in self.weekday_list())


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Terjadwal")
    HELD = "held", _("Terlaksana")
    CANCELLED = "cancelled", _("Dibatalkan")


class ProgrammeSession(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="sessions")
    schedule = models.ForeignKey(
        Schedule, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    date = models.DateField(_("tanggal"))
    start_time = models.TimeField(_("mulai"))
    end_time = models.TimeField(_("selesai"))
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sesi program")
        verbose_name_plural = _("sesi program")
        ordering = ["date", "start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "date", "start_time"], name="session_once_per_slot"
            ),
        ]
        indexes = [models.Index(fields=["programme", "date"], name="session_programme_date")]

    def __str__(self) -> str:
        return f"{self.programme} {self.date:%d-%m-%Y} {self.start_time:%H:%M}"


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Peserta")
    WAITING = "waiting", _("Daftar tunggu")
    REMOVED = "removed", _("Dikeluarkan")


class Enrolment(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=8, choices=EnrolmentStatus.choices)
    # The waiting list is served in the order of this timestamp (then id).
    requested_at = models.DateTimeField(_("didaftarkan"))
    started_on = models.DateField(_("mulai ikut"), null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    removed_at = models.DateTimeField(_("dikeluarkan"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removal_reason = models.CharField(_("alasan dikeluarkan"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("kepesertaan")
        verbose_name_plural = _("kepesertaan")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "inmate"],
                condition=Q(status__in=["active", "waiting"]),
                name="one_open_enrolment_per_inmate",
            ),
            models.CheckConstraint(
                condition=Q(status="removed", removed_at__isnull=False) & ~Q(removal_reason="")
                | ~Q(status="removed"),
                name="enrolment_removal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inmate} · {self.programme}"


class AttendanceCode(models.TextChoices):
    ATTENDED = "hadir", _("Hadir")
    SICK = "sakit", _("Sakit")
    EXCUSED = "izin", _("Izin")
    REFUSED = "menolak", _("Menolak")
    NOT_REQUIRED = "tidak_diperlukan", _("Tidak diperlukan")
    CANCELLED = "dibatalkan", _("Dibatalkan")


@dataclass(frozen=True)
class CodeRule:
    counts_against: bool  # lowers the attendance rate used for SPPN / remission evidence
    paid: bool  # earns the per-session premi


CODE_RULES: dict[str, CodeRule] = {
    AttendanceCode.ATTENDED: CodeRule(counts_against=False, paid=True),
    AttendanceCode.SICK: CodeRule(counts_against=False, paid=False),
    AttendanceCode.EXCUSED: CodeRule(counts_against=False, paid=False),
    AttendanceCode.REFUSED: CodeRule(counts_against=True, paid=False),
    AttendanceCode.NOT_REQUIRED: CodeRule(counts_against=False, paid=False),
    AttendanceCode.CANCELLED: CodeRule(counts_against=False, paid=False),
}


class AttendanceMethod(models.TextChoices):
    CARD = "card", _("Tap kartu")
    ROSTER = "roster", _("Daftar hadir")
    CANCEL = "cancel", _("Pembatalan sesi")


class Attendance(models.Model):
    session = models.ForeignKey(
        ProgrammeSession, on_delete=models.PROTECT, related_name="attendances"
    )
    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendances")
    code = models.CharField(_("kode"), max_length=16, choices=AttendanceCode.choices)
    pieces = models.PositiveIntegerField(_("hasil (buah)"), default=0)
    method = models.CharField(_("cara"), max_length=8, choices=AttendanceMethod.choices)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("dicatat"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        ordering = ["session", "inmate__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "inmate"], name="attendance_once"),
            models.CheckConstraint(
                condition=Q(pieces=0) | Q(code="hadir"), name="attendance_pieces_only_if_present"
            ),
        ]
        indexes = [models.Index(fields=["inmate", "session"], name="attendance_inmate")]

    def __str__(self) -> str:
        return f"{self.session} {self.inmate} {self.code}"

    @property
    def counts_against(self) -> bool:
        return CODE_RULES[self.code].counts_against


class RateBasis(models.TextChoices):
    SESSION = "session", _("per sesi hadir")
    PIECE = "piece", _("per buah hasil kerja")


class PayRate(models.Model):
    """The premi for one basis from a date on; the newest rate not after a session's date wins."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rates")
    basis = models.CharField(_("dasar"), max_length=8, choices=RateBasis.choices)
    amount_rp = models.BigIntegerField(_("tarif (Rp)"))
    valid_from = models.DateField(_("berlaku mulai"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("tarif premi")
        verbose_name_plural = _("tarif premi")
        ordering = ["programme", "basis", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "basis", "valid_from"], name="one_rate_per_basis_and_day"
            ),
            models.CheckConstraint(condition=Q(amount_rp__gte=0), name="rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.basis} {self.amount_rp}"


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    POSTED = "posted", _("Dibukukan")


class PayoutRun(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="payout_runs")
    period_start = models.DateField(_("periode dari"))
    period_end = models.DateField(_("periode sampai"))
    status = models.CharField(
        _("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    total_rp = models.BigIntegerField(_("total (Rp)"), default=0)
    computed_at = models.DateTimeField(_("dihitung"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    posted_at = models.DateTimeField(_("dibukukan"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("pembayaran premi")
        verbose_name_plural = _("pembayaran premi")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="run_period_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(status="posted") | Q(posted_at__isnull=False), name="run_posted_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.period_start:%d-%m-%Y}–{self.period_end:%d-%m-%Y}"

    @property
    def is_posted(self) -> bool:
        return self.status == RunStatus.POSTED


class PayoutLine(models.Model):
    run = models.ForeignKey(PayoutRun, on_delete=models.CASCADE, related_name="lines")
    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="+")
    sessions_paid = models.PositiveIntegerField(_("sesi dibayar"), default=0)
    pieces = models.PositiveIntegerField(_("hasil (buah)"), default=0)
    amount_rp = models.BigIntegerField(_("jumlah (Rp)"))
    # Why a computed line is not paid through Pandai (e.g. the inmate left the site).
    skip_reason = models.CharField(_("tidak dibayar karena"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=120, blank=True)
    batch_id = models.BigIntegerField(null=True, blank=True)  # the ledger batch that paid it
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rincian premi")
        verbose_name_plural = _("rincian premi")
        ordering = ["run", "inmate__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["run", "inmate"], name="one_line_per_inmate_per_run"),
            models.CheckConstraint(condition=Q(amount_rp__gte=0), name="line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.inmate} {self.amount_rp}"
