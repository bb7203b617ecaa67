"""Records of the reports app: the daily closing as a recorded act (one row per site and day,
append-only in the database: see `closing_guards`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site
from pandai.reports import closing_guards  # noqa: F401  (registers the append-only trigger)


class DayClosing(models.Model):
    """A closed day of one site: the figures as they were when the day was closed (a frozen
    snapshot, never recomputed), the audit chain's last hash of the day, who closed it and who
    countersigned it. Rows are never updated except to add the one countersignature, never
    deleted; a closed day is re-printed from `figures`."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("tanggal"))
    figures = models.JSONField(_("angka penutupan"))
    audit_seq = models.BigIntegerField(_("urutan audit terakhir"))
    audit_hash = models.CharField(_("hash audit terakhir"), max_length=64)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("ditutup pada"))
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    countersigned_at = models.DateTimeField(_("ditandatangani pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("penutupan harian")
        verbose_name_plural = _("penutupan harian")
        constraints = [
            models.UniqueConstraint(fields=["site", "day"], name="reports_one_closing_per_day"),
            models.CheckConstraint(
                condition=models.Q(countersigned_by__isnull=True)
                | ~models.Q(countersigned_by=models.F("closed_by")),
                name="reports_countersigner_not_closer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site.code} {self.day:%Y-%m-%d}"
