"""The daily closing of one site (laporan penutupan harian): every figure as one selector,
`closing_figures(site=, day=)`, read by the page, the PDF and later the operations reports.

A day is the calendar day in the site's time zone. Movements count posted transfers created
in the day (holds count when posted); the trial balance and the inmates' balances are as of
the end of the day; the audit chain's last hash is the one sealed before the day ended.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from pandai.core.audit import audit_last_hash_before
from pandai.core.calendar import site_day_bounds
from pandai.core.models import Site
from pandai.wallet.models import (
    DEBIT_NORMAL_KINDS,
    INMATE_KINDS,
    Account,
    AccountKind,
    Transfer,
    TransferKind,
    TransferState,
)
from pandai.wallet.models_counter import CounterShift
from pandai.wallet.selectors import queued_sum

POSTED = Q(state=TransferState.POSTED) & ~Q(kind=TransferKind.HOLD)
K = AccountKind


@dataclass(frozen=True)
class Movement:
    """One line of the day's movements: how many transfers and how much."""

    count: int = 0
    amount_rp: int = 0

    def __add__(self, other: Movement) -> Movement:
        return Movement(self.count + other.count, self.amount_rp + other.amount_rp)


@dataclass(frozen=True)
class TrialBalanceRow:
    kind: str
    label: str
    debits_rp: int  # everything ever debited to accounts of this kind, up to the day's end
    credits_rp: int

    @property
    def balance_rp(self) -> int:
        """On the kind's normal side (debit for cash, bank and expense; credit otherwise)."""
        if self.kind in DEBIT_NORMAL_KINDS:
            return self.debits_rp - self.credits_rp
        return self.credits_rp - self.debits_rp

    @property
    def debit_side_rp(self) -> int:
        return max(self.debits_rp - self.credits_rp, 0)

    @property
    def credit_side_rp(self) -> int:
        return max(self.credits_rp - self.debits_rp, 0)


@dataclass(frozen=True)
class ShiftResult:
    counter: str
    officer: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    opening_cash_rp: int
    deposits_rp: int | None
    payouts_rp: int | None
    expected_cash_rp: int | None
    counted_cash_rp: int | None
    difference_rp: int | None
    difference_reason: str = ""

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass
class ClosingFigures:
    site: Site
    day: dt.date
    start: dt.datetime
    end: dt.datetime
    # Money in, by channel.
    deposits_counter: Movement = Movement()
    deposits_bank: Movement = Movement()
    deposits_from_suspense: Movement = Movement()  # suspense money assigned to an inmate
    suspense_in: Movement = Movement()  # bank money for an unknown VA
    suspense_returned: Movement = Movement()
    # Money out and corrections.
    purchases: Movement = Movement()
    refunds: Movement = Movement()
    premi: Movement = Movement()  # PREMI to SPENDABLE/HELD plus the SAVINGS share
    premi_savings: Movement = Movement()
    payouts: Movement = Movement()
    reversals: Movement = Movement()
    adjustments: Movement = Movement()
    site_transfers: Movement = Movement()
    shifts: list[ShiftResult] | None = None  # None: the counter records are not installed
    trial_balance: list[TrialBalanceRow] = field(default_factory=list)
    stored_debits_rp: int = 0  # the accounts' stored totals now (a second, independent sum)
    stored_credits_rp: int = 0
    audit_seq: int = 0
    audit_hash: str = ""

    @property
    def deposits_total(self) -> Movement:
        return self.deposits_counter + self.deposits_bank + self.deposits_from_suspense

    @property
    def total_debits_rp(self) -> int:
        return sum(row.debit_side_rp for row in self.trial_balance)

    @property
    def total_credits_rp(self) -> int:
        return sum(row.credit_side_rp for row in self.trial_balance)

    @property
    def trial_balance_difference_rp(self) -> int:
        """Must be zero: every transfer debits one account and credits another."""
        return self.total_debits_rp - self.total_credits_rp

    @property
    def stored_difference_rp(self) -> int:
        return self.stored_debits_rp - self.stored_credits_rp

    def balance_of(self, kind: str) -> int:
        return sum(row.balance_rp for row in self.trial_balance if row.kind == kind)

    @property
    def inmate_spendable_rp(self) -> int:
        return self.balance_of(K.SPENDABLE)

    @property
    def inmate_savings_rp(self) -> int:
        return self.balance_of(K.SAVINGS)

    @property
    def inmate_held_rp(self) -> int:
        return self.balance_of(K.HELD)

    @property
    def inmates_total_rp(self) -> int:
        """The money the site holds for inmates at the end of the day."""
        return self.inmate_spendable_rp + self.inmate_savings_rp + self.inmate_held_rp

    @property
    def balanced(self) -> bool:
        return self.trial_balance_difference_rp == 0 and self.stored_difference_rp == 0


def _classify(kind: str, debit: str, credit: str) -> str | None:
    """Which line of the report a transfer belongs to (None: internal moves between an
    inmate's own accounts, e.g. HELD released into SPENDABLE)."""
    if kind == TransferKind.DEPOSIT:
        channels: dict[str, str] = {
            K.CASH_DRAWER: "deposits_counter",
            K.BANK_CLEARING: "deposits_bank",
            K.SUSPENSE: "deposits_from_suspense",
        }
        return channels.get(debit, "deposits_counter")
    if kind == TransferKind.SUSPENSE:
        return "suspense_in" if credit == K.SUSPENSE else "suspense_returned"
    lines: dict[str, str] = {
        TransferKind.PURCHASE: "purchases",
        TransferKind.REFUND: "refunds",
        TransferKind.PREMI: "premi",
        TransferKind.SAVINGS_SPLIT: "premi_savings",
        TransferKind.PAYOUT: "payouts",
        TransferKind.REVERSAL: "reversals",
        TransferKind.ADJUSTMENT: "adjustments",
        TransferKind.SITE_TRANSFER: "site_transfers",
    }
    return lines.get(kind)


def _movements(figures: ClosingFigures) -> None:
    rows = (
        Transfer.objects.filter(POSTED, site=figures.site)
        .filter(created_at__gte=figures.start, created_at__lt=figures.end)
        .values_list("kind", "debit_account__kind", "credit_account__kind")
        .annotate(n=Count("pk"), total=Sum("amount_rp"))
        .order_by()
    )
    for kind, debit, credit, n, total in rows:
        line = _classify(kind, debit, credit)
        if line is not None:
            setattr(figures, line, getattr(figures, line) + Movement(n, total or 0))
    figures.premi = figures.premi + figures.premi_savings


def _trial_balance(figures: ClosingFigures) -> None:
    posted = Transfer.objects.filter(POSTED, site=figures.site, created_at__lt=figures.end)
    # Summed per account (an index-only walk of the site's transfers), then folded by the
    # kind of the site's accounts read on their own: joining the transfers to the accounts
    # made PostgreSQL hash the whole account table of a mid-sized installation (100 sites:
    # 6 ms for one site, 44 ms with 100; docs/benchmark.md, growth).
    kinds = dict(Account.objects.filter(site=figures.site).values_list("pk", "kind"))
    sides = {
        side: list(posted.values_list(side).annotate(s=Sum("amount_rp")).order_by())
        for side in ("debit_account_id", "credit_account_id")
    }
    # Another site's account (refused by the ledger, shown anyway if ever there): one read.
    foreign = {pk for rows in sides.values() for pk, _total in rows} - kinds.keys()
    if foreign:
        kinds.update(Account.objects.filter(pk__in=foreign).values_list("pk", "kind"))
    debits: dict[str, int] = defaultdict(int)
    credits: dict[str, int] = defaultdict(int)
    for side, totals in (("debit_account_id", debits), ("credit_account_id", credits)):
        for pk, total in sides[side]:
            totals[kinds[pk]] += total or 0
    order = [*INMATE_KINDS, *(k for k in AccountKind if k not in INMATE_KINDS)]
    figures.trial_balance = [
        TrialBalanceRow(k.value, str(k.label), debits.get(k.value, 0), credits.get(k.value, 0))
        for k in order
        if k.value in debits or k.value in credits
    ]
    stored = Account.objects.filter(site=figures.site).aggregate(
        d=Sum("debits_posted"), c=Sum("credits_posted")
    )
    queued_dp, queued_cp, _dq, _cq = queued_sum(site=figures.site)
    figures.stored_debits_rp = (stored["d"] or 0) + queued_dp
    figures.stored_credits_rp = (stored["c"] or 0) + queued_cp


def _shifts(figures: ClosingFigures) -> list[ShiftResult]:
    shifts = (
        CounterShift.objects.filter(site=figures.site, opened_at__lt=figures.end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=figures.start))
        .select_related("counter", "officer", "difference")
        .order_by("counter__code", "opened_at", "pk")
    )
    out = []
    for shift in shifts:
        difference = getattr(shift, "difference", None)
        out.append(
            ShiftResult(
                counter=shift.counter.code,
                officer=shift.officer.display_name,
                opened_at=shift.opened_at,
                closed_at=shift.closed_at,
                opening_cash_rp=shift.opening_cash_rp,
                deposits_rp=shift.deposits_rp,
                payouts_rp=shift.payouts_rp,
                expected_cash_rp=shift.expected_cash_rp,
                counted_cash_rp=shift.counted_cash_rp,
                difference_rp=shift.difference_rp,
                difference_reason=difference.reason if difference is not None else "",
            )
        )
    return out


def closing_figures(*, site: Site, day: dt.date) -> ClosingFigures:
    """Every figure of the site's daily closing for `day` (about six queries)."""
    start, end = site_day_bounds(site, day)
    figures = ClosingFigures(site=site, day=day, start=start, end=end)
    _movements(figures)
    _trial_balance(figures)
    figures.shifts = _shifts(figures)
    figures.audit_seq, figures.audit_hash = audit_last_hash_before(end)
    return figures
