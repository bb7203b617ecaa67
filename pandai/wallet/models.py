"""The ledger's tables: accounts, batches, transfers (TigerBeetle's model held in SQL), the
site's money rules, limit exceptions and adjustment requests.

Only `pandai.wallet.services` writes Account, Batch and Transfer rows. Database triggers
(`pandai.wallet.guards`) refuse DELETE of transfers and batches and any UPDATE of a transfer
except a hold leaving the pending state once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site
from pandai.inmates.models import Inmate
from pandai.wallet import guards  # noqa: F401  (registers the append-only triggers)


class AccountKind(models.TextChoices):
    # One of each per inmate (credit-normal, no overdraft):
    SPENDABLE = "spendable", _("Saldo belanja")
    SAVINGS = "savings", _("Tabungan")
    HELD = "held", _("Titipan tertahan (di atas batas saldo)")
    # System accounts of a site:
    CASH_DRAWER = "cash_drawer", _("Kas loket")
    BANK_CLEARING = "bank_clearing", _("Kliring bank")
    SHOP_SALES = "shop_sales", _("Penjualan koperasi")
    PREMI_EXPENSE = "premi_expense", _("Beban premi")
    PAYOUT = "payout", _("Pembayaran keluar (transfer bank)")
    SUSPENSE = "suspense", _("Dana belum teridentifikasi (suspense)")
    ADJUSTMENT = "adjustment", _("Penyesuaian")
    INTERSITE = "intersite", _("Antar-UPT (mutasi)")


INMATE_KINDS = (AccountKind.SPENDABLE, AccountKind.SAVINGS, AccountKind.HELD)
# Accounts whose balance grows with debits (assets and expenses); the rest grow with credits.
DEBIT_NORMAL_KINDS = frozenset(
    {AccountKind.CASH_DRAWER, AccountKind.BANK_CLEARING, AccountKind.PREMI_EXPENSE}
)


class AccountStatus(models.TextChoices):
    OPEN = "open", _("Aktif")
    FROZEN = "frozen", _("Dibekukan (hanya menerima)")
    CLOSED = "closed", _("Ditutup")


class Account(models.Model):
    """Running totals of one account. The totals are sums of its transfers, never set by hand."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(_("jenis"), max_length=16, choices=AccountKind.choices)
    inmate = models.ForeignKey(
        Inmate, on_delete=models.PROTECT, null=True, blank=True, related_name="accounts"
    )
    # For system accounts: which one of its kind ("" for the site's single one, a counter's
    # code for cash drawers).
    code = models.CharField(_("kode"), max_length=40, blank=True, default="")
    name = models.CharField(_("nama"), max_length=120, blank=True)
    debits_posted = models.BigIntegerField(default=0)
    credits_posted = models.BigIntegerField(default=0)
    debits_pending = models.BigIntegerField(default=0)
    credits_pending = models.BigIntegerField(default=0)
    version = models.BigIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=8, choices=AccountStatus.choices, default=AccountStatus.OPEN
    )
    no_overdraft = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The ledger's highest transfer id when the account closed: a transfer touching it with a
    # higher id would have come after the closing (inmate accounts are locked when posting).
    closed_max_transfer_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("rekening")
        verbose_name_plural = _("rekening")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "kind", "inmate"],
                condition=Q(inmate__isnull=False),
                name="account_one_per_inmate_kind",
            ),
            models.UniqueConstraint(
                fields=["site", "kind", "code"],
                condition=Q(inmate__isnull=True),
                name="account_one_per_system_code",
            ),
            models.CheckConstraint(
                condition=Q(debits_posted__gte=0)
                & Q(credits_posted__gte=0)
                & Q(debits_pending__gte=0)
                & Q(credits_pending__gte=0),
                name="account_totals_not_negative",
            ),
            # Available balance of a no-overdraft account never drops below zero, counting
            # money reserved by pending holds.
            models.CheckConstraint(
                condition=Q(no_overdraft=False)
                | Q(credits_posted__gte=F("debits_posted") + F("debits_pending")),
                name="account_no_overdraft",
            ),
        ]
        indexes = [
            # A site's accounts (closing's stored totals, the dashboard's money held): without
            # it every site's read walks every site's accounts (docs/benchmark.md, growth).
            models.Index(fields=["site"], name="account_site"),
            # Migration 0006 also makes, on PostgreSQL only, account_id_kind (id INCLUDE kind):
            # the closing's join of a site's transfers to their accounts' kinds, index only.
        ]

    def __str__(self) -> str:
        owner = (self.inmate_id and f"WBP {self.inmate_id}") or self.code or self.site_id
        return f"{self.get_kind_display()} ({owner})"

    @property
    def is_debit_normal(self) -> bool:
        return self.kind in DEBIT_NORMAL_KINDS

    @property
    def balance_rp(self) -> int:
        """Posted balance on the account's normal side."""
        if self.is_debit_normal:
            return self.debits_posted - self.credits_posted
        return self.credits_posted - self.debits_posted

    @property
    def available_rp(self) -> int:
        """What a credit-normal account can still spend: posted balance minus pending holds."""
        return self.credits_posted - self.debits_posted - self.debits_pending


class AccountDelta(models.Model):
    """Totals owed to a shared account (the shop's sales, a bank's clearing) that a batch
    could not add at once because another batch held the row (PostgreSQL only).

    Every purchase of a site credits the one shop account. Instead of waiting in line for
    that row, a batch that finds it locked writes its increment here, in the same
    transaction as its transfers; the next batch that gets the row adds and deletes the
    rows waiting (`manage.py run_jobs` and `ledger_check` too). So an account's totals are
    its stored totals plus its rows here; the checks, the closing and the money-held figure
    count both (`pandai.wallet.selectors.queued_totals`). Written and deleted only by
    `pandai.wallet.services`.
    """

    # No database FK: the transfers that made the delta already reference the account, and
    # another foreign-key lock on the site's hottest row is what this table avoids.
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    debits_posted = models.BigIntegerField(default=0)
    credits_posted = models.BigIntegerField(default=0)
    debits_pending = models.BigIntegerField(default=0)
    credits_pending = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"+{self.credits_posted}/-{self.debits_posted} → {self.account_id}"


class TransferKind(models.TextChoices):
    DEPOSIT = "deposit", _("Setoran / titipan")
    PURCHASE = "purchase", _("Belanja")
    REFUND = "refund", _("Pengembalian belanja")
    PREMI = "premi", _("Premi")
    SAVINGS_SPLIT = "savings_split", _("Bagian tabungan premi")
    PAYOUT = "payout", _("Pembayaran saat bebas")
    REVERSAL = "reversal", _("Pembatalan (koreksi)")
    ADJUSTMENT = "adjustment", _("Penyesuaian")
    HOLD = "hold", _("Dana ditahan (pesanan)")
    HELD_RELEASE = "held_release", _("Pelepasan titipan tertahan")
    CAP_OVERFLOW = "cap_overflow", _("Kelebihan batas saldo ke titipan tertahan")
    SITE_TRANSFER = "site_transfer", _("Pindah saldo karena mutasi")
    SUSPENSE = "suspense", _("Dana belum teridentifikasi")


class TransferState(models.TextChoices):
    POSTED = "posted", _("Dibukukan")
    PENDING = "pending", _("Ditahan")
    VOIDED = "voided", _("Dibatalkan")
    EXPIRED = "expired", _("Kedaluwarsa")


class Batch(models.Model):
    """Transfers written together: all succeed or none. One idempotency key = one effect."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", db_index=False)
    idempotency_key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    kind = models.CharField(max_length=24)
    reference = models.CharField(max_length=120, blank=True)
    inmate = models.ForeignKey(
        Inmate, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    terminal = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField()
    # The spending limits this batch was checked against (kept so ledger_check can recompute).
    daily_limit_rp = models.BigIntegerField(null=True, blank=True)
    monthly_limit_rp = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("batch transaksi")
        verbose_name_plural = _("batch transaksi")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "idempotency_key"], name="batch_idempotency_key_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["inmate", "kind", "created_at"],
                name="batch_inmate_kind_at",
                condition=Q(inmate__isnull=False),
            ),
            models.Index(fields=["site", "created_at"], name="batch_site_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key}"


class Transfer(models.Model):
    """One movement of `amount_rp` from `debit_account` to `credit_account`.

    Non-hold transfers are born posted and never change. A hold (kind HOLD) is born pending,
    reserves money (debits_pending/credits_pending) and leaves that state exactly once:
    posted (a new transfer with `pending` = the hold moves the posted amount), voided or
    expired.
    """

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", db_index=False)
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="transfers")
    debit_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    credit_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    amount_rp = models.BigIntegerField()
    kind = models.CharField(max_length=16, choices=TransferKind.choices)
    state = models.CharField(max_length=8, choices=TransferState.choices)
    # The hold this transfer posts (TigerBeetle's pending_id).
    pending = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    # The transfer this one answers (a refund's purchase).
    origin = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    reference = models.CharField(max_length=120, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    terminal = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    # Spending limits: the inmate account whose limit this counts against, the site-local day
    # it counts on, and the signed amount (+ spends, - gives back).
    limit_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    limit_day = models.DateField(null=True, blank=True)
    limit_delta_rp = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("transaksi")
        verbose_name_plural = _("transaksi")
        constraints = [
            models.CheckConstraint(condition=Q(amount_rp__gt=0), name="transfer_amount_positive"),
            models.CheckConstraint(
                condition=~Q(debit_account=F("credit_account")),
                name="transfer_two_different_accounts",
            ),
            models.CheckConstraint(
                condition=Q(kind="hold") | Q(state="posted"), name="transfer_only_holds_pend"
            ),
            models.UniqueConstraint(
                fields=["pending"],
                condition=Q(pending__isnull=False),
                name="transfer_hold_posted_once",
            ),
            models.UniqueConstraint(
                fields=["reverses"],
                condition=Q(reverses__isnull=False),
                name="transfer_reversed_once",
            ),
        ]
        indexes = [
            models.Index(fields=["debit_account", "id"], name="transfer_debit"),
            models.Index(fields=["credit_account", "id"], name="transfer_credit"),
            # Covering (PostgreSQL): the closing's sums over a site's days read the index
            # alone, not one heap page per row of a site whose rows are spread among every
            # other site's (docs/benchmark.md, growth). SQLite ignores INCLUDE.
            models.Index(
                fields=["site", "created_at"],
                name="transfer_site_at",
                include=["kind", "state", "amount_rp", "debit_account", "credit_account"],
            ),
            models.Index(
                fields=["limit_account", "limit_day"],
                name="transfer_limit",
                condition=Q(limit_account__isnull=False),
            ),
            models.Index(
                fields=["origin"], name="transfer_origin", condition=Q(origin__isnull=False)
            ),
            models.Index(
                fields=["expires_at"], name="transfer_pending_hold", condition=Q(state="pending")
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.amount_rp}"


class LedgerSettings(models.Model):
    """A site's money rules. A site without a row uses the defaults below."""

    site = models.OneToOneField(Site, on_delete=models.PROTECT, related_name="ledger_settings")
    balance_cap_rp = models.BigIntegerField(
        _("batas saldo"),
        default=1_000_000,
        help_text=_("Permenkumham 8/2024 Pasal 30: paling banyak Rp1.000.000."),
    )
    daily_limit_rp = models.BigIntegerField(_("batas belanja harian"), null=True, blank=True)
    monthly_limit_rp = models.BigIntegerField(_("batas belanja bulanan"), null=True, blank=True)
    max_deposit_rp = models.BigIntegerField(_("setoran maksimum"), null=True, blank=True)
    max_deposits_per_day = models.PositiveIntegerField(
        _("setoran per WBP per hari"), null=True, blank=True
    )
    savings_share_pct = models.PositiveSmallIntegerField(_("bagian tabungan premi (%)"), default=20)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aturan saldo")
        verbose_name_plural = _("aturan saldo")
        constraints = [
            models.CheckConstraint(condition=Q(balance_cap_rp__gt=0), name="settings_cap_positive"),
            models.CheckConstraint(
                condition=Q(savings_share_pct__lte=100), name="settings_savings_pct_max_100"
            ),
            models.CheckConstraint(
                condition=(Q(daily_limit_rp__isnull=True) | Q(daily_limit_rp__gte=0))
                & (Q(monthly_limit_rp__isnull=True) | Q(monthly_limit_rp__gte=0))
                & (Q(max_deposit_rp__isnull=True) | Q(max_deposit_rp__gt=0)),
                name="settings_limits_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site_id}"


class LimitException(models.Model):
    """A head's exception for one inmate: other spending limits for a period, with a reason.

    A null limit keeps the site's limit for that period."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    inmate = models.ForeignKey(Inmate, on_delete=models.PROTECT, related_name="limit_exceptions")
    daily_limit_rp = models.BigIntegerField(_("batas harian"), null=True, blank=True)
    monthly_limit_rp = models.BigIntegerField(_("batas bulanan"), null=True, blank=True)
    reason = models.TextField(_("alasan"))
    valid_from = models.DateTimeField(_("berlaku mulai"))
    valid_until = models.DateTimeField(_("berlaku sampai"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pengecualian batas")
        verbose_name_plural = _("pengecualian batas")
        indexes = [models.Index(fields=["inmate", "valid_until"], name="limit_exc_inmate")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")), name="limit_exc_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inmate_id}: {self.valid_from:%Y-%m-%d}..{self.valid_until:%Y-%m-%d}"


class AdjustmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Menunggu persetujuan")
    APPROVED = "approved", _("Disetujui dan dibukukan")
    REJECTED = "rejected", _("Ditolak")


class AdjustmentRequest(models.Model):
    """A correction proposed by one officer (maker) and posted only when another one
    (checker) approves it."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    # True: money goes into `account` (credit); False: out of it (debit).
    credit = models.BooleanField(_("menambah saldo"))
    amount_rp = models.BigIntegerField(_("jumlah"))
    reason = models.TextField(_("alasan"))
    status = models.CharField(
        max_length=10, choices=AdjustmentStatus.choices, default=AdjustmentStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("permintaan penyesuaian")
        verbose_name_plural = _("permintaan penyesuaian")
        constraints = [
            models.CheckConstraint(condition=Q(amount_rp__gt=0), name="adjustment_amount_positive"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="adjustment_maker_not_checker",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.amount_rp}"


# Models kept in their own modules, imported here so that Django registers them with the app.
from pandai.wallet import models_bank, models_counter, models_monitoring  # noqa: E402, F401
