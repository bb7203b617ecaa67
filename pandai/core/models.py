"""Sites, staff users and their roles, registered devices, the audit chain, site holidays."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (Asia/Jakarta)")
    WITA = "Asia/Makassar", _("WITA (Asia/Makassar)")
    WIT = "Asia/Jayapura", _("WIT (Asia/Jayapura)")


class Site(models.Model):
    """One UPT: a Rutan or Lapas. Every piece of site data hangs off one of these."""

    name = models.CharField(_("nama"), max_length=120)
    code = models.CharField(
        _("kode"), max_length=8, unique=True, help_text=_("Kode singkat, mis. BLR")
    )
    site_class = models.CharField(_("kelas"), max_length=40, blank=True)
    address = models.TextField(_("alamat"), blank=True)
    time_zone = models.CharField(
        _("zona waktu"), max_length=32, choices=TimeZone.choices, default=TimeZone.WIB
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("UPT")
        verbose_name_plural = _("UPT")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    HEAD = "head", _("Karutan / Kalapas")
    OFFICIAL = "official", _("Pejabat struktural")
    CASHIER = "cashier", _("Kasir koperasi")
    SHOP_MANAGER = "shop_manager", _("Pengelola koperasi")
    COUNTER_OFFICER = "counter_officer", _("Petugas loket titipan")
    COMPLAINT_OFFICER = "complaint_officer", _("Petugas pengaduan")
    PROGRAM_OFFICER = "program_officer", _("Petugas pembinaan")
    AUDITOR = "auditor", _("Auditor (hanya baca)")


class User(AbstractUser):
    """A staff member. Inmates never log in here; they use a card and PIN at a kiosk."""

    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    sites = models.ManyToManyField(Site, through="Membership", related_name="staff")

    class Meta:
        verbose_name = _("petugas")
        verbose_name_plural = _("petugas")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    """One role of one user at one site; a user may hold several roles at several sites."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("peran"), max_length=24, choices=Role.choices)

    class Meta:
        verbose_name = _("peran petugas")
        verbose_name_plural = _("peran petugas")
        constraints = [
            models.UniqueConstraint(fields=["user", "site", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.site.code}: {self.get_role_display()}"


class DeviceKind(models.TextChoices):
    POS = "pos", _("Terminal kasir (POS)")
    KIOSK = "kiosk", _("Kios layanan mandiri")
    READER = "reader", _("Pembaca kartu")
    COUNTER = "counter", _("Loket titipan")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Device(models.Model):
    """A registered terminal, kiosk or reader. Its secret token is shown once and stored hashed."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="devices")
    kind = models.CharField(_("jenis"), max_length=12, choices=DeviceKind.choices)
    name = models.CharField(_("nama"), max_length=80)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("perangkat")
        verbose_name_plural = _("perangkat")
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="device_name_unique_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash_token(token: str) -> str:
        return _token_hash(token)


class SiteHoliday(models.Model):
    """A day a site does not work beyond the national calendar (e.g. a local holiday)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("tanggal"))
    name = models.CharField(_("keterangan"), max_length=120)

    class Meta:
        verbose_name = _("hari libur UPT")
        verbose_name_plural = _("hari libur UPT")
        constraints = [models.UniqueConstraint(fields=["site", "date"], name="site_holiday_once")]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"


class AuditEvent(models.Model):
    """One link of the append-only audit chain.

    Rows are appended unsealed (no shared lock); a sealer then gives them a chain position
    (`seq`) and `hash = SHA-256(prev_hash || canonical row)` in order. Database triggers refuse
    DELETE and any UPDATE except the one-time seal.
    """

    # No single-column indexes on the two foreign keys: a site's events are found through
    # audit_site_at, nothing looks events up by actor alone, and every event's INSERT and
    # its seal would write both (measured on the purchase's hot path).
    site = models.ForeignKey(Site, on_delete=models.PROTECT, null=True, blank=True, db_index=False)
    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, db_index=False)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(_("kejadian"), max_length=64)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        indexes = [
            models.Index(fields=["site", "at"], name="audit_site_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(
                fields=["id"], name="audit_unsealed", condition=models.Q(seq__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq or '-'} {self.action}"
