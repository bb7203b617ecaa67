"""The simple in-memory model the ledger's state machine test compares against: what each
inmate should have, which holds are pending, what counts against the limits, and which error
the ledger must give for a request."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo


@dataclass
class Wbp:
    spend: int = 0
    pending: int = 0
    savings: int = 0
    held: int = 0
    frozen: bool = False
    closed: bool = False


@dataclass
class Hold:
    pk: int
    who: int
    amount: int
    expires: dt.datetime
    day: dt.date
    state: str = "pending"


@dataclass
class Sale:
    transfer: object
    who: int
    amount: int
    day: dt.date
    refunded: int = 0
    reversed: bool = False


@dataclass
class Deposit:
    transfer: object
    who: int
    amount: int
    into: str  # "spend" or "held"
    reversed: bool = False


@dataclass
class Limits:
    cap: int
    daily: int | None
    monthly: int | None
    pct: int
    entries: list[list] = field(default_factory=list)  # [who, day, delta, tag]


class ModelMixin:
    """Model arithmetic, mixed into the state machine (which sets model, rules, now, tz)."""

    model: list[Wbp]
    rules: Limits
    now: dt.datetime
    tz: ZoneInfo
    keys: itertools.count

    # --- model helpers -------------------------------------------------------------------
    def key(self) -> str:
        return f"k{next(self.keys)}"

    def today(self) -> dt.date:
        return self.now.astimezone(self.tz).date()

    def spent(self, who: int) -> tuple[int, int]:
        today = self.today()
        month = today.replace(day=1)
        entries = [e for e in self.rules.entries if e[0] == who]
        day = sum(e[2] for e in entries if e[1] == today)
        return day, sum(e[2] for e in entries if month <= e[1] <= today)

    def limit_error(self, who: int, amount: int) -> str | None:
        day, month = self.spent(who)
        if self.rules.daily is not None and day + amount > self.rules.daily:
            return "limit_daily"
        if self.rules.monthly is not None and month + amount > self.rules.monthly:
            return "limit_monthly"
        return None

    def release(self, who: int) -> None:
        m = self.model[who]
        moved = min(max(0, self.rules.cap - m.spend), m.held)
        m.spend += moved
        m.held -= moved

    def credit(self, who: int, amount: int) -> tuple[int, int]:
        self.release(who)
        m = self.model[who]
        to_spend = min(max(0, self.rules.cap - m.spend), amount)
        m.spend += to_spend
        m.held += amount - to_spend
        return to_spend, amount - to_spend

    def closed_or_frozen(self, who: int, debit: bool) -> str | None:
        m = self.model[who]
        if m.closed:
            return "account_closed"
        if debit and m.frozen:
            return "account_frozen"
        return None
