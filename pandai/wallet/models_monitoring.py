"""Monitoring against extortion and illegal levies (pungli): rules kept as data per site, and
the flags they raise for the head's review queue (see wallet.monitoring)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site
from pandai.inmates.models import Inmate
from pandai.wallet.models import Transfer


class RuleKind(models.TextChoices):
    DEPOSITOR_MANY_INMATES = "depositor_many_inmates", _("Satu penyetor mengirim ke banyak WBP")
    INMATE_MANY_DEPOSITORS = "inmate_many_depositors", _("Satu WBP menerima dari banyak penyetor")
    NEAR_CAP = "near_cap", _("Setoran berulang tepat di bawah batas")
    COMPLAINT_RESTRICTION = (
        "complaint_restriction",
        _("Rekening dibekukan/dibatasi sesudah pemiliknya mengadu"),
    )


class MonitoringRule(models.Model):
    """One rule of one site. A site without a row for a kind uses wallet.monitoring.DEFAULTS.

    - depositor_many_inmates: one depositor (NIK, phone or bank account) funds MORE than
      `threshold_n` different inmates within `window_days` days;
    - inmate_many_depositors: one inmate receives from MORE than `threshold_n` different
      depositors within `window_days` days;
    - near_cap: AT LEAST `threshold_n` deposits to one inmate within `window_days` days, each
      within `margin_pct` % under the cap (`amount_rp`, or the site's maximum per deposit);
    - complaint_restriction: an account frozen or limited within `window_days` days after its
      holder complained (raised by the complaints app through `flag_raise`).
    """

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("aturan"), max_length=32, choices=RuleKind.choices)
    threshold_n = models.PositiveIntegerField(_("ambang (N)"))
    window_days = models.PositiveIntegerField(_("jangka (hari)"))
    amount_rp = models.BigIntegerField(_("nominal acuan"), null=True, blank=True)
    margin_pct = models.PositiveSmallIntegerField(_("selisih di bawah batas (%)"), default=5)
    active = models.BooleanField(_("aktif"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aturan pemantauan")
        verbose_name_plural = _("aturan pemantauan")
        constraints = [
            models.UniqueConstraint(fields=["site", "kind"], name="monitoring_rule_per_site"),
            models.CheckConstraint(
                condition=Q(window_days__gte=1) & Q(window_days__lte=366),
                name="monitoring_rule_window",
            ),
            models.CheckConstraint(
                condition=Q(margin_pct__lte=50), name="monitoring_rule_margin_max_50"
            ),
            models.CheckConstraint(
                condition=Q(amount_rp__isnull=True) | Q(amount_rp__gt=0),
                name="monitoring_rule_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.kind}"


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Menunggu tinjauan")
    DISMISSED = "dismissed", _("Diabaikan (wajar)")
    ESCALATED = "escalated", _("Diteruskan untuk pemeriksaan")
    FROZEN = "frozen", _("Rekening dibekukan")


class Flag(models.Model):
    """One hit of a rule on one subject (a depositor or an inmate), with the transfers behind
    it. At most one open flag per site, rule and subject (a database constraint): a later scan
    adds new transfers to the open flag instead of raising another."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    rule_kind = models.CharField(_("aturan"), max_length=32, choices=RuleKind.choices)
    # "nik:<16 digits>", "phone:<digits>", "bank:<account>" or "inmate:<id>".
    subject_key = models.CharField(max_length=80)
    subject_label = models.CharField(_("subjek"), max_length=200)
    inmate = models.ForeignKey(
        Inmate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    window_start = models.DateTimeField(_("jangka mulai"))
    window_end = models.DateTimeField(_("jangka sampai"))
    details = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("keterangan"), blank=True)
    transfers = models.ManyToManyField(Transfer, related_name="+", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    raised_at = models.DateTimeField(_("ditandai"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)

    class Meta:
        verbose_name = _("tanda pemantauan")
        verbose_name_plural = _("tanda pemantauan")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "rule_kind", "subject_key"],
                condition=Q(status="open"),
                name="flag_one_open_per_rule_subject",
            )
        ]
        indexes = [models.Index(fields=["site", "status", "raised_at"], name="flag_site_status")]

    def __str__(self) -> str:
        return f"{self.rule_kind} {self.subject_key}"
