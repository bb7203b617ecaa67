"""Reads of the ledger: an inmate's balances and remaining limits, statements (mutasi
rekening) with opening and closing balances, an account's transfers, HELD lots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from pandai.core.calendar import site_day_bounds, site_today
from pandai.core.models import Site
from pandai.inmates.models import Inmate
from pandai.wallet import clock
from pandai.wallet.models import (
    INMATE_KINDS,
    Account,
    AccountDelta,
    AccountKind,
    LedgerSettings,
    Transfer,
    TransferKind,
    TransferState,
)
from pandai.wallet.models_bank import BankCredit, BankCreditStatus
from pandai.wallet.models_counter import Deposit
from pandai.wallet.models_monitoring import Flag, FlagStatus
from pandai.wallet.rules import Rules, rules_for, spent


@dataclass(frozen=True)
class Balances:
    spendable_rp: int = 0  # posted balance of SPENDABLE
    available_rp: int = 0  # what can be spent now: SPENDABLE minus pending holds
    pending_rp: int = 0  # reserved by pending holds
    savings_rp: int = 0
    held_rp: int = 0  # arrived over the cap, released when there is room
    status: str = "none"  # SPENDABLE's status, "none" before the first money in

    @property
    def total_rp(self) -> int:
        """What the site holds for the inmate (paid out on release)."""
        return self.spendable_rp + self.savings_rp + self.held_rp


def balances(*, inmate: Inmate) -> Balances:
    """One query."""
    rows = {a.kind: a for a in Account.objects.filter(inmate=inmate)}
    spendable = rows.get(AccountKind.SPENDABLE)
    if spendable is None:
        return Balances()
    savings = rows.get(AccountKind.SAVINGS)
    held = rows.get(AccountKind.HELD)
    return Balances(
        spendable_rp=spendable.balance_rp,
        available_rp=spendable.available_rp,
        pending_rp=spendable.debits_pending,
        savings_rp=savings.balance_rp if savings else 0,
        held_rp=held.balance_rp if held else 0,
        status=spendable.status,
    )


@dataclass(frozen=True)
class LimitStatus:
    daily_limit_rp: int | None
    monthly_limit_rp: int | None
    spent_today_rp: int
    spent_month_rp: int
    exception_id: int | None = None

    @property
    def daily_remaining_rp(self) -> int | None:
        if self.daily_limit_rp is None:
            return None
        return max(0, self.daily_limit_rp - self.spent_today_rp)

    @property
    def monthly_remaining_rp(self) -> int | None:
        if self.monthly_limit_rp is None:
            return None
        return max(0, self.monthly_limit_rp - self.spent_month_rp)

    @property
    def remaining_rp(self) -> int | None:
        """What may still be spent today under both limits (None: no limit)."""
        values = [v for v in (self.daily_remaining_rp, self.monthly_remaining_rp) if v is not None]
        return min(values) if values else None


def limits_remaining(*, inmate: Inmate, now: dt.datetime | None = None) -> LimitStatus:
    now = now or clock.now()
    site = inmate.site
    rules = rules_for(site=site, inmate=inmate, now=now)
    spendable = Account.objects.filter(inmate=inmate, kind=AccountKind.SPENDABLE).first()
    day = month = 0
    if spendable is not None:
        day, month = spent(limit_account_id=spendable.pk, today=site_today(site, now))
    return LimitStatus(
        daily_limit_rp=rules.daily_limit_rp,
        monthly_limit_rp=rules.monthly_limit_rp,
        spent_today_rp=day,
        spent_month_rp=month,
        exception_id=rules.exception_id,
    )


def site_rules(*, site: Site) -> Rules:
    return rules_for(site=site)


def site_settings(*, site: Site) -> LedgerSettings:
    """The site's settings row (unsaved defaults if the site never changed them)."""
    return LedgerSettings.objects.filter(site=site).first() or LedgerSettings(site=site)


@dataclass(frozen=True)
class StatementLine:
    transfer: Transfer
    at: dt.datetime
    kind: str
    reference: str
    debit_rp: int  # money out of the account
    credit_rp: int  # money into the account
    balance_rp: int  # after this line


@dataclass
class Statement:
    account: Account | None
    start: dt.date
    end: dt.date
    opening_rp: int = 0
    closing_rp: int = 0
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def total_in_rp(self) -> int:
        return sum(line.credit_rp for line in self.lines)

    @property
    def total_out_rp(self) -> int:
        return sum(line.debit_rp for line in self.lines)


POSTED = Q(state=TransferState.POSTED) & ~Q(kind=TransferKind.HOLD)


def _signed_sum(account: Account, qs: QuerySet[Transfer]) -> int:
    credits = qs.filter(credit_account=account).aggregate(s=Sum("amount_rp"))["s"] or 0
    debits = qs.filter(debit_account=account).aggregate(s=Sum("amount_rp"))["s"] or 0
    return credits - debits if not account.is_debit_normal else debits - credits


def account_statement(*, account: Account, start: dt.date, end: dt.date) -> Statement:
    """Posted movements of an account from `start` to `end` (whole days in the site's time
    zone), with the balance before and after."""
    site = account.site
    begin_at, _ = site_day_bounds(site, start)
    _, end_at = site_day_bounds(site, end)
    touching = Transfer.objects.filter(POSTED).filter(
        Q(debit_account=account) | Q(credit_account=account)
    )
    opening = _signed_sum(account, touching.filter(created_at__lt=begin_at))
    statement = Statement(account=account, start=start, end=end, opening_rp=opening)
    balance = opening
    rows = touching.filter(created_at__gte=begin_at, created_at__lt=end_at).order_by("pk")
    for t in rows:
        into = t.credit_account_id == account.pk
        if account.is_debit_normal:
            into = not into
        balance += t.amount_rp if into else -t.amount_rp
        statement.lines.append(
            StatementLine(
                transfer=t,
                at=t.created_at,
                kind=t.kind,
                reference=t.reference,
                debit_rp=0 if into else t.amount_rp,
                credit_rp=t.amount_rp if into else 0,
                balance_rp=balance,
            )
        )
    statement.closing_rp = balance
    return statement


def statement(
    *, inmate: Inmate, start: dt.date, end: dt.date, kind: str = AccountKind.SPENDABLE
) -> Statement:
    """An inmate's statement for one of their accounts (SPENDABLE by default)."""
    account = Account.objects.select_related("site").filter(inmate=inmate, kind=kind).first()
    if account is None:
        return Statement(account=None, start=start, end=end)
    return account_statement(account=account, start=start, end=end)


def account_transfers(*, account: Account) -> QuerySet[Transfer]:
    """Every transfer touching the account, newest first (holds included, with their state)."""
    return (
        Transfer.objects.filter(Q(debit_account=account) | Q(credit_account=account))
        .select_related("debit_account", "credit_account", "actor")
        .order_by("-pk")
    )


def account_recent_posted(*, account: Account, limit: int) -> list[Transfer]:
    """The account's latest posted transfers (holds apart), newest first. Two bounded walks,
    one down each index (debit_account, id) and (credit_account, id), merged: a single
    "debit OR credit ORDER BY id DESC LIMIT n" has no index to walk and, with millions of
    transfers, may scan far more than n rows (bench part 3, growth_balance)."""
    posted = Transfer.objects.filter(state=TransferState.POSTED).exclude(kind=TransferKind.HOLD)
    newest = [
        *posted.filter(debit_account=account).order_by("-pk").values_list("pk", flat=True)[:limit],
        *posted.filter(credit_account=account).order_by("-pk").values_list("pk", flat=True)[:limit],
    ]
    ids = sorted(set(newest), reverse=True)[:limit]
    return list(
        Transfer.objects.filter(pk__in=ids)
        .select_related("debit_account", "credit_account", "actor")
        .order_by("-pk")
    )


def inmate_accounts(*, inmate: Inmate) -> dict[str, Account]:
    return {a.kind: a for a in Account.objects.filter(inmate=inmate)}


def pending_holds(*, inmate: Inmate) -> QuerySet[Transfer]:
    return Transfer.objects.filter(
        debit_account__inmate=inmate, kind=TransferKind.HOLD, state=TransferState.PENDING
    ).order_by("expires_at", "pk")


def held_lots(*, inmate: Inmate) -> list[tuple[Transfer, int]]:
    """The HELD account's lots still waiting, oldest first, with what is left of each."""
    held = Account.objects.filter(inmate=inmate, kind=AccountKind.HELD).first()
    if held is None:
        return []
    consumed = held.debits_posted
    out = []
    for lot in Transfer.objects.filter(credit_account=held, state="posted").order_by("pk"):
        if consumed >= lot.amount_rp:
            consumed -= lot.amount_rp
            continue
        out.append((lot, lot.amount_rp - consumed))
        consumed = 0
    return out


def site_today_for(site: Site, now: dt.datetime | None = None) -> dt.date:
    return site_today(site, now or clock.now())


# --- figures for the head's dashboard (aggregated in SQL on the (site, time) indexes) ---------


@dataclass(frozen=True)
class DayDeposits:
    day: dt.date
    channel: str  # "counter" or "bank"
    count: int
    amount_rp: int


def _credited_bank() -> Q:
    """Bank money that reached an inmate (suspense money counts once assigned)."""
    return Q(status__in=[BankCreditStatus.CREDITED, BankCreditStatus.ASSIGNED])


def deposits_by_day(*, site: Site, start: dt.date, end: dt.date) -> list[DayDeposits]:
    """Counter deposits and bank credits to inmates per site-local day, `start`..`end`
    (two grouped queries)."""
    begin_at, _ = site_day_bounds(site, start)
    _, end_at = site_day_bounds(site, end)
    tz = ZoneInfo(site.time_zone)
    counter = (
        Deposit.objects.filter(site=site, created_at__gte=begin_at, created_at__lt=end_at)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values_list("day")
        .annotate(n=Count("pk"), rp=Sum("amount_rp"))
        .order_by()
    )
    bank = (
        BankCredit.objects.filter(_credited_bank(), site=site)
        .filter(received_at__gte=begin_at, received_at__lt=end_at)
        .annotate(day=TruncDate("received_at", tzinfo=tz))
        .values_list("day")
        .annotate(n=Count("pk"), rp=Sum("amount_rp"))
        .order_by()
    )
    return [
        *(DayDeposits(day, "counter", n, rp or 0) for day, n, rp in counter),
        *(DayDeposits(day, "bank", n, rp or 0) for day, n, rp in bank),
    ]


def counter_deposits(
    *, site: Site, start_at: dt.datetime, end_at: dt.datetime
) -> QuerySet[Deposit]:
    return (
        Deposit.objects.filter(site=site, created_at__gte=start_at, created_at__lt=end_at)
        .select_related("inmate", "officer")
        .order_by("-created_at", "-pk")
    )


def bank_deposits(
    *, site: Site, start_at: dt.datetime, end_at: dt.datetime
) -> QuerySet[BankCredit]:
    return (
        BankCredit.objects.filter(_credited_bank(), site=site)
        .filter(received_at__gte=start_at, received_at__lt=end_at)
        .select_related("inmate")
        .order_by("-received_at", "-pk")
    )


def inmate_money_rp(*, site: Site) -> int:
    """What the site holds for its inmates now (SPENDABLE + SAVINGS + HELD, posted).

    Read from the site's few system accounts, not from every inmate's: every transfer debits
    one account of the site and credits another (moves between sites pass through each
    site's INTERSITE account), so the inmates' credit balances equal the system accounts'
    debits minus credits. One query on the system accounts' (site, kind, code) index,
    whatever the number of inmates."""
    system_kinds = [k for k in AccountKind if k not in INMATE_KINDS]
    totals = Account.objects.filter(
        site=site, kind__in=system_kinds, inmate__isnull=True
    ).aggregate(d=Sum("debits_posted"), c=Sum("credits_posted"))
    queued_dp, queued_cp, _dq, _cq = queued_sum(site=site)
    return (totals["d"] or 0) - (totals["c"] or 0) + queued_dp - queued_cp


def waiting_deltas(*, site: Site | None = None) -> QuerySet[AccountDelta]:
    """The increments waiting for shared accounts (of one site, or all)."""
    deltas = AccountDelta.objects.all()
    return deltas if site is None else deltas.filter(account__site=site)


def queued_totals(*, site: Site | None = None) -> dict[int, tuple[int, int, int, int]]:
    """Per shared account, the increments still waiting in AccountDelta rows (debits and
    credits posted, debits and credits pending): an account's totals are its stored totals
    plus these. Usually empty: each is added by the next batch that gets the account."""
    rows = (
        waiting_deltas(site=site)
        .values("account_id")
        .annotate(
            dp=Sum("debits_posted"),
            cp=Sum("credits_posted"),
            dq=Sum("debits_pending"),
            cq=Sum("credits_pending"),
        )
    )
    return {r["account_id"]: (r["dp"], r["cp"], r["dq"], r["cq"]) for r in rows.order_by()}


def queued_sum(*, site: Site | None = None) -> tuple[int, int, int, int]:
    """`queued_totals` of every shared account added up (debits and credits posted, debits
    and credits pending)."""
    queued = queued_totals(site=site).values()
    dp, cp, dq, cq = (sum(q[i] for q in queued) for i in range(4))
    return dp, cp, dq, cq


def open_flags_count(*, site: Site) -> int:
    """Monitoring flags waiting for a decision."""
    return Flag.objects.filter(site=site, status=FlagStatus.OPEN).count()
