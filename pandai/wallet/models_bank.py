"""Bank money in: each inmate's virtual-account number, every bank callback received, and the
daily reconciliations of the bank's statement against those callbacks.

The numbering scheme and the statement CSV are documented in docs/virtual-accounts.md. Money
itself moves only through `pandai.wallet.services`; these rows record what the bank said and
which batch answered it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site
from pandai.inmates.models import Inmate
from pandai.wallet.models import Batch


class VirtualAccount(models.Model):
    """An inmate's virtual-account number at the bank (one per inmate, never reused)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    inmate = models.OneToOneField(Inmate, on_delete=models.PROTECT, related_name="virtual_account")
    number = models.CharField(_("nomor VA"), max_length=20, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rekening virtual")
        verbose_name_plural = _("rekening virtual")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=r"^[0-9]{10,20}$"), name="va_number_digits"
            )
        ]

    def __str__(self) -> str:
        return self.number


class BankCreditStatus(models.TextChoices):
    CREDITED = "credited", _("Masuk ke rekening WBP")
    SUSPENSE = "suspense", _("Belum teridentifikasi (suspense)")
    ASSIGNED = "assigned", _("Dialihkan dari suspense ke WBP")
    RETURNED = "returned", _("Dikembalikan ke pengirim")


class BankCreditChannel(models.TextChoices):
    CALLBACK = "callback", _("Callback bank")
    STATEMENT = "statement", _("Dari rekening koran (rekonsiliasi)")


class BankCredit(models.Model):
    """One transfer the bank reported. `ref` (the bank's reference) is unique: the ledger's
    idempotency key is "bank:<ref>", so a repeated callback credits once."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    ref = models.CharField(_("referensi bank"), max_length=64, unique=True)
    va_number = models.CharField(_("nomor VA"), max_length=32)
    virtual_account = models.ForeignKey(
        VirtualAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="credits"
    )
    # The inmate whose accounts received the money (on credit, or when assigned from suspense).
    inmate = models.ForeignKey(
        Inmate, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_credits"
    )
    amount_rp = models.BigIntegerField(_("jumlah"))
    payer_name = models.CharField(_("nama pengirim"), max_length=120, blank=True)
    payer_account = models.CharField(_("rekening pengirim"), max_length=40, blank=True)
    paid_at = models.DateTimeField(_("waktu bank"), null=True, blank=True)
    received_at = models.DateTimeField(_("diterima"))
    channel = models.CharField(
        max_length=10, choices=BankCreditChannel.choices, default=BankCreditChannel.CALLBACK
    )
    status = models.CharField(_("status"), max_length=10, choices=BankCreditStatus.choices)
    # Part of the money that went to the inmate's HELD account (over the balance cap).
    held_rp = models.BigIntegerField(default=0)
    # SHA-256 of what identifies the transfer (VA number and amount): a repeat must match.
    request_hash = models.CharField(max_length=64)
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # For suspense money: the batch that assigned or returned it, who did it and why.
    resolution_batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(_("catatan"), blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("transfer bank masuk")
        verbose_name_plural = _("transfer bank masuk")
        constraints = [
            models.CheckConstraint(condition=Q(amount_rp__gt=0), name="bank_credit_amount_positive")
        ]
        indexes = [
            models.Index(fields=["site", "received_at"], name="bank_credit_site_at"),
            models.Index(fields=["site", "status"], name="bank_credit_site_status"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.amount_rp}"


class Reconciliation(models.Model):
    """One uploaded bank statement for one day, matched line by line against the callbacks.

    `result` keeps the outcome as the officer saw it: {"matched": [...], "statement_only":
    [...], "credit_only": [...], "ignored": [...]} (see wallet.reconciliation)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("tanggal"))
    filename = models.CharField(_("berkas"), max_length=200)
    content = models.TextField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("rekonsiliasi bank")
        verbose_name_plural = _("rekonsiliasi bank")
        indexes = [models.Index(fields=["site", "day"], name="reconciliation_site_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.filename}"
