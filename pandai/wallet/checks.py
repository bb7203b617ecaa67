"""The ledger's invariants (DESIGN.md, "The ledger"), checked from the stored rows.

`run_checks()` returns a list of Problems (empty = all good); `manage.py ledger_check` prints
them, the tests call it after every step, the dashboard can show them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from pandai.core.audit import audit_verify
from pandai.core.calendar import site_today
from pandai.core.models import Site
from pandai.wallet.models import (
    Account,
    AccountKind,
    AccountStatus,
    Batch,
    Transfer,
    TransferKind,
    TransferState,
)
from pandai.wallet.rules import month_start, rules_for
from pandai.wallet.selectors import queued_sum, queued_totals


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    object_id: int | None = None

    def __str__(self) -> str:
        where = f" (#{self.object_id})" if self.object_id is not None else ""
        return f"[{self.code}]{where} {self.message}"


def _scoped(qs, site: Site | None):
    return qs if site is None else qs.filter(site=site)


def check_trial_balance(site: Site | None = None) -> list[Problem]:
    """1. Every transfer debits one account and credits another: Σ debits = Σ credits."""
    t = _scoped(Account.objects, site).aggregate(
        dp=Sum("debits_posted"),
        cp=Sum("credits_posted"),
        dpend=Sum("debits_pending"),
        cpend=Sum("credits_pending"),
    )
    out = []
    qdp, qcp, qdq, qcq = queued_sum(site=site)
    dp, cp = (t["dp"] or 0) + qdp, (t["cp"] or 0) + qcp
    dpend, cpend = (t["dpend"] or 0) + qdq, (t["cpend"] or 0) + qcq
    if dp != cp:
        out.append(Problem("trial_balance", f"debit {dp} != kredit {cp} (posted)"))
    if dpend != cpend:
        out.append(Problem("trial_balance", f"debit {dpend} != kredit {cpend} (pending)"))
    wrong_site = _scoped(Transfer.objects, site).filter(
        ~Q(debit_account__site=F("site"))
        | ~Q(credit_account__site=F("site"))
        | ~Q(batch__site=F("site"))
    )
    out += [
        Problem("cross_site", "transaksi menyentuh rekening/batch UPT lain", pk)
        for pk in wrong_site.values_list("pk", flat=True)[:50]
    ]
    return out


def _sums(site: Site | None, side: str) -> dict[int, tuple[int, int]]:
    qs = _scoped(Transfer.objects, site)
    posted = Sum("amount_rp", filter=Q(state=TransferState.POSTED) & ~Q(kind=TransferKind.HOLD))
    pending = Sum("amount_rp", filter=Q(state=TransferState.PENDING))
    rows = qs.values(side).annotate(p=posted, q=pending).values_list(side, "p", "q")
    return {pk: (p or 0, q or 0) for pk, p, q in rows}


def check_account_totals(site: Site | None = None) -> list[Problem]:
    """2. Each account's stored totals (with the increments still waiting for a shared
    account, see AccountDelta) equal the sums of its transfers by state."""
    debits = _sums(site, "debit_account")
    credits = _sums(site, "credit_account")
    queued = queued_totals(site=site)
    out = []
    fields = ("pk", "debits_posted", "credits_posted", "debits_pending", "credits_pending")
    for pk, dp, cp, dpend, cpend in _scoped(Account.objects, site).values_list(*fields):
        if pk in queued:
            qdp, qcp, qdq, qcq = queued[pk]
            dp, cp, dpend, cpend = dp + qdp, cp + qcp, dpend + qdq, cpend + qcq
        want_dp, want_dpend = debits.get(pk, (0, 0))
        want_cp, want_cpend = credits.get(pk, (0, 0))
        if (dp, cp, dpend, cpend) != (want_dp, want_cp, want_dpend, want_cpend):
            out.append(
                Problem(
                    "account_totals",
                    f"tersimpan {(dp, cp, dpend, cpend)} != jumlah transaksi "
                    f"{(want_dp, want_cp, want_dpend, want_cpend)}",
                    pk,
                )
            )
    return out


def check_no_overdraft(site: Site | None = None) -> list[Problem]:
    """3. No inmate account below zero, counting pending holds."""
    below = _scoped(Account.objects, site).filter(
        Q(no_overdraft=True) | Q(inmate__isnull=False),
        credits_posted__lt=F("debits_posted") + F("debits_pending"),
    )
    return [
        Problem("overdraft", "saldo tersedia di bawah nol", pk)
        for pk in below.values_list("pk", flat=True)
    ]


def check_holds(site: Site | None = None) -> list[Problem]:
    """6. A hold resolves once; a posting matches its hold; only holds are ever pending."""
    out = []
    transfers = _scoped(Transfer.objects, site)
    for posting in transfers.filter(pending__isnull=False).select_related("pending"):
        hold = posting.pending
        assert hold is not None
        if hold.kind != TransferKind.HOLD or hold.state != TransferState.POSTED:
            out.append(
                Problem("hold_posting", f"posting untuk hold berstatus {hold.state}", posting.pk)
            )
        if posting.amount_rp > hold.amount_rp:
            out.append(Problem("hold_posting", "posting melebihi jumlah hold", posting.pk))
        if (posting.debit_account_id, posting.credit_account_id) != (
            hold.debit_account_id,
            hold.credit_account_id,
        ):
            out.append(Problem("hold_posting", "rekening posting berbeda dari hold", posting.pk))
    posted_holds = transfers.filter(kind=TransferKind.HOLD, state=TransferState.POSTED)
    postings = set(transfers.filter(pending__isnull=False).values_list("pending_id", flat=True))
    for pk in posted_holds.values_list("pk", flat=True):
        if pk not in postings:
            out.append(Problem("hold_posting", "hold berstatus posted tanpa transaksi posting", pk))
    twice = (
        transfers.filter(pending__isnull=False)
        .values("pending_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    out += [
        Problem("hold_twice", "hold diselesaikan lebih dari sekali", r["pending_id"]) for r in twice
    ]
    odd = transfers.filter(~Q(kind=TransferKind.HOLD), ~Q(state=TransferState.POSTED))
    out += [
        Problem("state", "hanya hold yang boleh pending/void", pk)
        for pk in odd.values_list("pk", flat=True)
    ]
    return out


def check_limits(site: Site | None = None) -> list[Problem]:
    """7. Daily / monthly limits held when each spending was posted (recomputed in id order,
    per site-local day and month), and spending counts on the day it happened."""
    out = []
    qs = (
        _scoped(Transfer.objects, site)
        .filter(limit_account__isnull=False)
        .filter(Q(state=TransferState.PENDING) | ~Q(kind=TransferKind.HOLD))
        .select_related("batch", "site")
        .order_by("limit_account_id", "pk")
    )
    day_sum: dict[tuple[int, object], int] = defaultdict(int)
    month_sum: dict[tuple[int, object], int] = defaultdict(int)
    for t in qs.iterator():
        assert t.limit_day is not None and t.limit_account_id is not None
        day_key = (t.limit_account_id, t.limit_day)
        month_key = (t.limit_account_id, month_start(t.limit_day))
        day_sum[day_key] += t.limit_delta_rp
        month_sum[month_key] += t.limit_delta_rp
        new_spending = (
            t.limit_delta_rp > 0
            and t.pending_id is None
            and t.kind
            in (
                TransferKind.PURCHASE,
                TransferKind.HOLD,
            )
        )
        if not new_spending:
            continue
        if t.limit_day != site_today(t.site, t.created_at):
            out.append(Problem("limit_day", "hari batas tidak sama dengan hari transaksi", t.pk))
        daily, monthly = t.batch.daily_limit_rp, t.batch.monthly_limit_rp
        if daily is not None and day_sum[day_key] > daily:
            out.append(
                Problem("limit_daily", f"belanja hari itu {day_sum[day_key]} > {daily}", t.pk)
            )
        if monthly is not None and month_sum[month_key] > monthly:
            out.append(
                Problem(
                    "limit_monthly", f"belanja bulan itu {month_sum[month_key]} > {monthly}", t.pk
                )
            )
    return out


def check_cap(site: Site | None = None) -> list[Problem]:
    """7. SPENDABLE within the cap; HELD money waits only while SPENDABLE has no room."""
    out = []
    caps: dict[int, int] = {}
    accounts = (
        _scoped(Account.objects, site)
        .filter(inmate__isnull=False)
        .exclude(status=AccountStatus.CLOSED)
    )
    by_inmate: dict[int, dict[str, Account]] = defaultdict(dict)
    for account in accounts.select_related("site"):
        assert account.inmate_id is not None
        by_inmate[account.inmate_id][account.kind] = account
    for group in by_inmate.values():
        spendable = group.get(AccountKind.SPENDABLE)
        held = group.get(AccountKind.HELD)
        if spendable is None:
            continue
        if spendable.site_id not in caps:
            caps[spendable.site_id] = rules_for(site=spendable.site).cap_rp
        cap = caps[spendable.site_id]
        if spendable.balance_rp > cap:
            out.append(
                Problem("over_cap", f"saldo {spendable.balance_rp} > batas {cap}", spendable.pk)
            )
        if (
            held is not None
            and held.balance_rp > 0
            and held.status == AccountStatus.OPEN
            and spendable.balance_rp < cap
        ):
            out.append(
                Problem("held_not_released", "titipan tertahan padahal saldo masih muat", held.pk)
            )
    return out


def check_closed(site: Site | None = None) -> list[Problem]:
    """8. Closed accounts are empty and took no transfer after closing."""
    closed = _scoped(Account.objects, site).filter(status=AccountStatus.CLOSED)
    not_empty = closed.filter(
        ~Q(debits_posted=F("credits_posted")) | ~Q(debits_pending=0) | ~Q(credits_pending=0)
    )
    out = [
        Problem("closed_not_empty", "rekening ditutup masih bersaldo", pk)
        for pk in not_empty.values_list("pk", flat=True)
    ]
    late = _scoped(Transfer.objects, site).filter(
        Q(
            debit_account__status=AccountStatus.CLOSED,
            pk__gt=Coalesce(F("debit_account__closed_max_transfer_id"), 0),
        )
        | Q(
            credit_account__status=AccountStatus.CLOSED,
            pk__gt=Coalesce(F("credit_account__closed_max_transfer_id"), 0),
        )
    )
    out += [
        Problem("closed_touched", "transaksi setelah rekening ditutup", pk)
        for pk in late.values_list("pk", flat=True)
    ]
    return out


def check_departed(site: Site | None = None) -> list[Problem]:
    """8. A released or transferred inmate's money was paid out or moved: no open account."""
    left = (
        _scoped(Account.objects, site)
        .filter(inmate__isnull=False)
        .exclude(inmate__status="active")
        .exclude(status=AccountStatus.CLOSED)
    )
    return [
        Problem("departed_not_closed", "WBP sudah keluar tetapi rekeningnya masih terbuka", pk)
        for pk in left.values_list("pk", flat=True)
    ]


def check_idempotency(site: Site | None = None) -> list[Problem]:
    """5. One idempotency key, one batch (the database enforces it; this proves it)."""
    dupes = (
        _scoped(Batch.objects, site)
        .values("site_id", "idempotency_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    return [
        Problem("idempotency", f"kunci {d['idempotency_key']} dipakai {d['n']} kali") for d in dupes
    ]


def check_reversals(site: Site | None = None) -> list[Problem]:
    """4. Corrections are mirror images of what they correct."""
    out = []
    for r in (
        _scoped(Transfer.objects, site).filter(reverses__isnull=False).select_related("reverses")
    ):
        original = r.reverses
        assert original is not None
        mirrored = (
            r.debit_account_id == original.credit_account_id
            and r.credit_account_id == original.debit_account_id
            and r.amount_rp == original.amount_rp
        )
        if not mirrored or r.kind != TransferKind.REVERSAL:
            out.append(Problem("reversal", "pembatalan tidak sama dengan transaksi asal", r.pk))
    return out


CHECKS = (
    check_trial_balance,
    check_account_totals,
    check_no_overdraft,
    check_holds,
    check_limits,
    check_cap,
    check_closed,
    check_departed,
    check_idempotency,
    check_reversals,
)


def run_checks(*, site: Site | None = None, audit: bool = True) -> list[Problem]:
    problems: list[Problem] = []
    for check in CHECKS:
        problems += check(site)
    if audit:
        result = audit_verify()
        if not result.ok:
            problems.append(
                Problem(
                    "audit_chain",
                    f"{result.problem} (seq {result.first_bad_seq})",
                    result.first_bad_id,
                )
            )
    return problems
