"""The counter's records: named deposit counters, counter shifts with their cash counts and
cash differences, family deposits with receipt numbers, and release payouts with slip numbers.

The money itself moves only through `pandai.wallet.services`; these rows say who, where and
why, and point at the ledger batch that moved it. Imported at the end of `models.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site
from pandai.inmates.models import Inmate
from pandai.wallet.models import AdjustmentRequest, Batch

__all__ = [
    "CashDifference",
    "Counter",
    "CounterShift",
    "Deposit",
    "DocumentSequence",
    "Payout",
    "PayoutMethod",
    "Relationship",
]


class Counter(models.Model):
    """A deposit counter (loket titipan). Its cash drawer is the CASH_DRAWER account whose
    code is the counter's code."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("kode"), max_length=40, help_text=_("mis. LOKET-1"))
    name = models.CharField(_("nama"), max_length=120)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("loket")
        verbose_name_plural = _("loket")
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="counter_code_per_site"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CounterShift(models.Model):
    """One officer's turn at one counter, from the opening cash count to the closing one.

    Open while `closed_at` is null; one open shift per counter and per officer (database
    constraints). At closing the totals are frozen here: expected = opening + deposits -
    cash payouts; difference = counted - expected (never absorbed: see CashDifference)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="shifts")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("dibuka"))
    opening_cash_rp = models.BigIntegerField(_("kas awal"))
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deposits_rp = models.BigIntegerField(_("total titipan"), null=True, blank=True)
    payouts_rp = models.BigIntegerField(_("total pembayaran tunai"), null=True, blank=True)
    expected_cash_rp = models.BigIntegerField(_("kas seharusnya"), null=True, blank=True)
    counted_cash_rp = models.BigIntegerField(_("kas dihitung"), null=True, blank=True)
    difference_rp = models.BigIntegerField(_("selisih"), null=True, blank=True)

    class Meta:
        verbose_name = _("shift loket")
        verbose_name_plural = _("shift loket")
        indexes = [models.Index(fields=["site", "opened_at"], name="shift_site_opened")]
        constraints = [
            models.UniqueConstraint(
                fields=["counter"],
                condition=Q(closed_at__isnull=True),
                name="shift_one_open_per_counter",
            ),
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(closed_at__isnull=True),
                name="shift_one_open_per_officer",
            ),
            models.CheckConstraint(
                condition=Q(opening_cash_rp__gte=0), name="shift_opening_cash_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True)
                | (
                    Q(counted_cash_rp__gte=0)
                    & Q(expected_cash_rp__isnull=False)
                    & Q(difference_rp=F("counted_cash_rp") - F("expected_cash_rp"))
                ),
                name="shift_closed_has_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counter.code} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CashDifference(models.Model):
    """A counted cash that did not match the expected cash at a shift's close, with the
    officer's reason and the ledger adjustment request that a second officer decides."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    shift = models.OneToOneField(CounterShift, on_delete=models.PROTECT, related_name="difference")
    amount_rp = models.BigIntegerField(_("selisih (dihitung - seharusnya)"))
    reason = models.TextField(_("alasan"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    adjustment = models.OneToOneField(
        AdjustmentRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("selisih kas")
        verbose_name_plural = _("selisih kas")
        constraints = [
            models.CheckConstraint(condition=~Q(amount_rp=0), name="cash_difference_not_zero"),
            models.CheckConstraint(condition=~Q(reason=""), name="cash_difference_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.shift_id}: {self.amount_rp}"

    @property
    def is_short(self) -> bool:
        return self.amount_rp < 0


class Relationship(models.TextChoices):
    FATHER = "ayah", _("Ayah")
    MOTHER = "ibu", _("Ibu")
    HUSBAND = "suami", _("Suami")
    WIFE = "istri", _("Istri")
    CHILD = "anak", _("Anak")
    SIBLING = "saudara", _("Saudara")
    OTHER = "lainnya", _("Lainnya")


class Deposit(models.Model):
    """A family deposit taken in cash at a counter: who brought it, for whom, and the batch
    that credited it (SPENDABLE up to the cap, the rest HELD)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    receipt_no = models.CharField(_("no. tanda terima"), max_length=40, unique=True)
    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="counter_deposits")
    shift = models.ForeignKey(CounterShift, on_delete=models.PROTECT, related_name="deposits")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    batch = models.OneToOneField(Batch, on_delete=models.PROTECT, related_name="counter_deposit")
    depositor_name = models.CharField(_("nama penyetor"), max_length=150)
    depositor_nik = models.CharField(_("NIK penyetor"), max_length=16)
    relationship = models.CharField(_("hubungan"), max_length=10, choices=Relationship.choices)
    depositor_phone = models.CharField(_("no. HP"), max_length=20, blank=True)
    amount_rp = models.BigIntegerField(_("jumlah"))
    held_rp = models.BigIntegerField(_("ditahan (di atas batas saldo)"), default=0)
    available_after_rp = models.BigIntegerField(_("saldo tersedia setelah setoran"))
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("titipan uang")
        verbose_name_plural = _("titipan uang")
        indexes = [
            models.Index(fields=["site", "created_at"], name="deposit_site_at"),
            models.Index(fields=["inmate", "created_at"], name="deposit_inmate_at"),
            models.Index(fields=["site", "depositor_nik", "created_at"], name="deposit_nik_at"),
            models.Index(fields=["site", "depositor_phone", "created_at"], name="deposit_phone_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_rp__gt=0), name="deposit_amount_positive"),
            models.CheckConstraint(
                condition=Q(held_rp__gte=0) & Q(held_rp__lte=F("amount_rp")),
                name="deposit_held_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(depositor_nik__regex=r"^[0-9]{16}$"), name="deposit_nik_16_digits"
            ),
            models.CheckConstraint(condition=~Q(depositor_name=""), name="deposit_has_depositor"),
        ]

    def __str__(self) -> str:
        return self.receipt_no

    @property
    def credited_rp(self) -> int:
        """The part that went to the spendable balance."""
        return self.amount_rp - self.held_rp

    @property
    def depositor_short(self) -> str:
        """'Ibu S.': the relationship and the name's initial, for statements."""
        initial = (self.depositor_name.strip()[:1] or "?").upper()
        return f"{self.get_relationship_display()} {initial}."


class PayoutMethod(models.TextChoices):
    CASH = "cash", _("Tunai dari loket")
    BANK = "bank", _("Transfer bank")


class Payout(models.Model):
    """The release payout of one inmate record: SPENDABLE + SAVINGS + HELD paid out in cash
    from a counter shift's drawer or by bank transfer, with its slip number."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    slip_no = models.CharField(_("no. slip"), max_length=40, unique=True)
    inmate = models.OneToOneField(Inmate, on_delete=models.PROTECT, related_name="release_payout")
    method = models.CharField(_("cara bayar"), max_length=8, choices=PayoutMethod.choices)
    shift = models.ForeignKey(
        CounterShift, on_delete=models.PROTECT, null=True, blank=True, related_name="payouts"
    )
    bank_reference = models.CharField(_("referensi transfer"), max_length=80, blank=True)
    spendable_rp = models.BigIntegerField(_("saldo belanja"))
    savings_rp = models.BigIntegerField(_("tabungan"))
    held_rp = models.BigIntegerField(_("titipan tertahan"))
    total_rp = models.BigIntegerField(_("total dibayarkan"))
    voided_holds = models.PositiveIntegerField(_("pesanan dibatalkan"), default=0)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    batch = models.OneToOneField(Batch, on_delete=models.PROTECT, related_name="release_payout")
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("pembayaran saat bebas")
        verbose_name_plural = _("pembayaran saat bebas")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_rp=F("spendable_rp") + F("savings_rp") + F("held_rp"))
                & Q(spendable_rp__gte=0)
                & Q(savings_rp__gte=0)
                & Q(held_rp__gte=0),
                name="payout_total_is_sum",
            ),
            models.CheckConstraint(
                condition=(Q(method="cash") & Q(shift__isnull=False))
                | (Q(method="bank") & Q(shift__isnull=True) & ~Q(bank_reference="")),
                name="payout_cash_has_shift_bank_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.slip_no


class DocumentSequence(models.Model):
    """The last number given to a kind of document (TTP receipts, BYR slips) per site and
    year; taken under a row lock at the end of the transaction that uses it."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "prefix", "year"], name="docseq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.site_id}-{self.year}: {self.last}"
