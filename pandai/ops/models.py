"""Records of operations: scheduled job runs (and their locks)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site


class JobState(models.Model):
    """One row per scheduled job (per site for the per-site ones): when it is next due and who
    holds it now. A run claims the row with one conditional UPDATE (free lease, due), so two
    `run_jobs` at once run each job once; a crashed run's lease simply runs out."""

    key = models.CharField(_("kunci"), max_length=80, primary_key=True)
    job = models.CharField(_("tugas"), max_length=40)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, null=True, blank=True)
    next_due = models.DateTimeField(_("jatuh tempo berikutnya"), null=True, blank=True)
    lease_until = models.DateTimeField(_("dikunci sampai"), null=True, blank=True)
    holder = models.CharField(_("pemegang kunci"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("status tugas terjadwal")
        verbose_name_plural = _("status tugas terjadwal")

    def __str__(self) -> str:
        return self.key


class JobRun(models.Model):
    """One run of a scheduled job: written when it starts, completed when it ends."""

    job = models.CharField(_("tugas"), max_length=40)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, null=True, blank=True)
    started_at = models.DateTimeField(_("mulai"))
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    ok = models.BooleanField(_("berhasil"), null=True)
    summary = models.TextField(_("ringkasan"), blank=True)

    class Meta:
        verbose_name = _("jalannya tugas terjadwal")
        verbose_name_plural = _("jalannya tugas terjadwal")
        indexes = [models.Index(fields=["job", "site", "-started_at"], name="ops_jobrun_last")]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M}"
