"""Who is held where: blocks and cells, inmates, their movements and discipline, cards and PINs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pandai.core.models import Site


class Block(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="blocks")
    code = models.CharField(_("kode"), max_length=16)
    name = models.CharField(_("nama"), max_length=80)
    capacity = models.PositiveIntegerField(_("kapasitas"), default=0)

    class Meta:
        verbose_name = _("blok")
        verbose_name_plural = _("blok")
        ordering = ["site", "code"]
        constraints = [models.UniqueConstraint(fields=["site", "code"], name="block_code_per_site")]

    def __str__(self) -> str:
        return self.name


class Cell(models.Model):
    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="cells")
    code = models.CharField(_("kode"), max_length=16)
    capacity = models.PositiveIntegerField(_("kapasitas"), default=0)

    class Meta:
        verbose_name = _("kamar")
        verbose_name_plural = _("kamar")
        ordering = ["block", "code"]
        constraints = [
            models.UniqueConstraint(fields=["block", "code"], name="cell_code_per_block")
        ]

    def __str__(self) -> str:
        return f"{self.block.name} / {self.code}"


class LegalStatus(models.TextChoices):
    REMAND = "tahanan", _("Tahanan")
    CONVICTED = "narapidana", _("Narapidana")


class InmateStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    RELEASED = "released", _("Bebas")
    TRANSFERRED = "transferred", _("Mutasi keluar")


class Gender(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Inmate(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="inmates")
    reg_no = models.CharField(_("no. registrasi"), max_length=32)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    alias = models.CharField(_("alias"), max_length=80, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    photo = models.ImageField(_("foto"), upload_to="inmates/photos/", blank=True)
    legal_status = models.CharField(
        _("status hukum"), max_length=12, choices=LegalStatus.choices, default=LegalStatus.REMAND
    )
    status = models.CharField(
        _("status"), max_length=12, choices=InmateStatus.choices, default=InmateStatus.ACTIVE
    )
    admission_date = models.DateField(_("tanggal masuk"))
    expected_release_date = models.DateField(_("perkiraan bebas"), null=True, blank=True)
    cell = models.ForeignKey(
        Cell, on_delete=models.PROTECT, null=True, blank=True, related_name="inmates"
    )
    transferred_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="transferred_to"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("WBP")
        verbose_name_plural = _("WBP")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "reg_no"], name="inmate_reg_no_per_site"),
            models.CheckConstraint(
                condition=Q(nik="") | Q(nik__regex=r"^[0-9]{16}$"), name="inmate_nik_16_digits"
            ),
        ]
        indexes = [
            models.Index(fields=["site", "status", "full_name"], name="inmate_site_status_name"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.reg_no})"

    @property
    def block(self) -> Block | None:
        return self.cell.block if self.cell_id else None  # type: ignore[union-attr]

    @property
    def is_active(self) -> bool:
        return self.status == InmateStatus.ACTIVE


class EventKind(models.TextChoices):
    ADMISSION = "admission", pgettext_lazy("peristiwa WBP", "Masuk")
    CELL_MOVE = "cell_move", _("Pindah kamar")
    TRANSFER_OUT = "transfer_out", _("Mutasi keluar")
    TRANSFER_IN = "transfer_in", _("Mutasi masuk")
    RELEASE = "release", _("Bebas")
    UPDATE = "update", _("Perubahan data")


class InmateEvent(models.Model):
    """One movement or change in an inmate's history (shown as a timeline)."""

    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("jenis"), max_length=16, choices=EventKind.choices)
    date = models.DateField(_("tanggal"))
    at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    from_cell = models.ForeignKey(
        Cell, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_cell = models.ForeignKey(
        Cell, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    other_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("catatan"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("riwayat WBP")
        verbose_name_plural = _("riwayat WBP")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["inmate", "date"], name="inmate_event_inmate_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class DisciplineEntry(models.Model):
    """Register F: an offence and its sanction. `restricts_shop` limits the shop to essentials."""

    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="discipline")
    date = models.DateField(_("tanggal"))
    offence = models.CharField(_("pelanggaran"), max_length=200)
    sanction = models.CharField(_("sanksi"), max_length=200)
    end_date = models.DateField(_("berakhir"), null=True, blank=True)
    restricts_shop = models.BooleanField(_("hanya boleh belanja kebutuhan pokok"), default=False)
    restricts_programs = models.BooleanField(_("tidak boleh ikut program tertentu"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("register F")
        verbose_name_plural = _("register F")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date")),
                name="discipline_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.offence}"


class CardStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    BLOCKED = "blocked", _("Diblokir")
    LOST = "lost", _("Hilang")
    RETIRED = "retired", _("Ditarik")


class Card(models.Model):
    """A Kartu Pandai. The UID identifies the card; it does not prove who holds it."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="cards")
    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="cards")
    uid = models.CharField(_("UID"), max_length=20, unique=True)
    # First 4 bytes: what readers that truncate 7-byte UIDs to 32 bits type.
    uid32 = models.CharField(max_length=8, db_index=True)
    status = models.CharField(
        _("status"), max_length=8, choices=CardStatus.choices, default=CardStatus.ACTIVE
    )
    issued_at = models.DateTimeField(_("diterbitkan"), auto_now_add=True)
    retired_at = models.DateTimeField(_("ditarik"), null=True, blank=True)
    status_reason = models.CharField(_("alasan"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Kartu Pandai")
        verbose_name_plural = _("Kartu Pandai")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["inmate"], condition=Q(status="active"), name="one_active_card_per_inmate"
            ),
            models.CheckConstraint(
                condition=Q(uid__regex=r"^[0-9A-F]{8,20}$"), name="card_uid_upper_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.uid


class Pin(models.Model):
    """An inmate's 6-digit PIN, stored hashed, with its own lockout after wrong tries."""

    inmate = models.OneToOneField(Inmate, on_delete=models.PROTECT, related_name="pin")
    pin_hash = models.CharField(max_length=200)
    failed_tries = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    set_at = models.DateTimeField()

    class Meta:
        verbose_name = _("PIN")
        verbose_name_plural = _("PIN")

    def __str__(self) -> str:
        return f"PIN {self.inmate_id}"


class ImportBatch(models.Model):
    """One uploaded SDP file: previewed first, applied whole or not at all."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=200)
    content = models.TextField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # encoding, delimiter and row counts at upload; the outcome once applied.
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("impor SDP")
        verbose_name_plural = _("impor SDP")
        indexes = [models.Index(fields=["site", "uploaded_at"], name="import_site_uploaded")]

    def __str__(self) -> str:
        return self.filename
