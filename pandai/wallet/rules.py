"""The site's money rules: balance cap, spending limits, deposit rules, the savings share of
premi, and a head's limit exceptions for one inmate.

Spending limits count per calendar day and month in the site's time zone. Each PURCHASE,
pending HOLD, REFUND and reversal of those carries `limit_account`, `limit_day` (the site-local
day it counts on) and `limit_delta_rp` (+ spends, - gives back); spent = the sum of deltas,
so a refund gives the limit back on the day of the purchase it refunds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.calendar import site_today
from pandai.core.models import Site, User
from pandai.inmates.models import Inmate
from pandai.wallet import clock, sql
from pandai.wallet.errors import CorrectionError, LimitExceeded, SettingsInvalid
from pandai.wallet.models import LedgerSettings, LimitException, TransferKind

SETTINGS_FIELDS = (
    "balance_cap_rp",
    "daily_limit_rp",
    "monthly_limit_rp",
    "max_deposit_rp",
    "max_deposits_per_day",
    "savings_share_pct",
)
DEFAULT_CAP_RP = 1_000_000


@dataclass(frozen=True)
class Rules:
    """The rules in force for one request (site settings with an inmate's exception)."""

    cap_rp: int = DEFAULT_CAP_RP
    daily_limit_rp: int | None = None
    monthly_limit_rp: int | None = None
    max_deposit_rp: int | None = None
    max_deposits_per_day: int | None = None
    savings_share_pct: int = 20
    exception_id: int | None = None

    @property
    def has_limits(self) -> bool:
        return self.daily_limit_rp is not None or self.monthly_limit_rp is not None


def rules_of(row: dict[str, int | None]) -> Rules:
    cap, pct = row["balance_cap_rp"], row["savings_share_pct"]
    assert cap is not None and pct is not None  # NOT NULL columns
    return Rules(
        cap_rp=cap,
        daily_limit_rp=row["daily_limit_rp"],
        monthly_limit_rp=row["monthly_limit_rp"],
        max_deposit_rp=row["max_deposit_rp"],
        max_deposits_per_day=row["max_deposits_per_day"],
        savings_share_pct=pct,
    )


def rules_for(*, site: Site, inmate: Inmate | None = None, now: dt.datetime | None = None) -> Rules:
    """One query for the site's rules, one more for an exception when the site has limits
    (an exception relaxes limits; with no site limit there is nothing to except)."""
    row = sql.site_settings(site.pk)
    rules = Rules() if row is None else rules_of(row)
    if inmate is not None and rules.has_limits:
        return with_exception(rules, sql.active_exception(inmate.pk, now or clock.now()))
    return rules


def with_exception(rules: Rules, exc: tuple[int, int | None, int | None] | None) -> Rules:
    """The site's rules relaxed by an inmate's exception (only when the site has limits)."""
    if rules.has_limits and exc is not None:
        exc_id, daily, monthly = exc
        rules = replace(
            rules,
            daily_limit_rp=daily if daily is not None else rules.daily_limit_rp,
            monthly_limit_rp=monthly if monthly is not None else rules.monthly_limit_rp,
            exception_id=exc_id,
        )
    return rules


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


# Rows that count against a limit: posted non-holds and holds still pending.
COUNTING = Q(state="pending") | ~Q(kind=TransferKind.HOLD)


def spent(*, limit_account_id: int, today: dt.date) -> tuple[int, int]:
    """(spent today, spent this month) for one inmate account, in one query."""
    return sql.spent(limit_account_id, today, month_start(today))


def check_limits(
    *,
    rules: Rules,
    limit_account_id: int,
    today: dt.date,
    new_spend_rp: int,
    spent_rp: tuple[int, int] | None = None,
) -> None:
    """Refuse when `new_spend_rp` more today would pass the daily or monthly limit
    (`spent_rp`: what `spent` answered already, under the same lock)."""
    if not rules.has_limits or new_spend_rp <= 0:
        return
    day, month = spent_rp or spent(limit_account_id=limit_account_id, today=today)
    if rules.daily_limit_rp is not None and day + new_spend_rp > rules.daily_limit_rp:
        raise LimitExceeded(
            period="daily",
            remaining_rp=rules.daily_limit_rp - day,
            limit_rp=rules.daily_limit_rp,
        )
    if rules.monthly_limit_rp is not None and month + new_spend_rp > rules.monthly_limit_rp:
        raise LimitExceeded(
            period="monthly",
            remaining_rp=rules.monthly_limit_rp - month,
            limit_rp=rules.monthly_limit_rp,
        )


def limit_day_for(site: Site, now: dt.datetime) -> dt.date:
    return site_today(site, now)


# --- Changing the rules ------------------------------------------------------------------


def _clean_settings(values: dict[str, int | None]) -> dict[str, int | None]:
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown ledger settings: {sorted(unknown)}")
    for name, value in values.items():
        nullable = name != "balance_cap_rp" and name != "savings_share_pct"
        if value is None and nullable:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise SettingsInvalid(_("Nilai aturan harus bilangan bulat tidak negatif."))
    if values.get("balance_cap_rp", 1) == 0:
        raise SettingsInvalid(_("Batas saldo harus lebih dari nol."))
    pct = values.get("savings_share_pct")
    if pct is not None and pct > 100:
        raise SettingsInvalid(_("Bagian tabungan paling banyak 100%."))
    return values


@transaction.atomic
def ledger_settings_update(*, site: Site, actor: User, **values: int | None) -> LedgerSettings:
    """Change the site's rules (audited). A lower cap moves each balance's excess to HELD; a
    higher cap releases HELD money into the room, oldest first."""
    from pandai.wallet.deposits import cap_rebalance_site  # the rules sit below deposits

    _clean_settings(values)
    row, _created = LedgerSettings.objects.select_for_update().get_or_create(site=site)
    before = {f: getattr(row, f) for f in SETTINGS_FIELDS}
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    after = {f: getattr(row, f) for f in SETTINGS_FIELDS}
    audit_append(
        action="wallet.settings",
        site=site,
        actor=actor,
        obj=row,
        data={"before": before, "after": after},
    )
    if before["balance_cap_rp"] != after["balance_cap_rp"]:
        cap_rebalance_site(site=site, actor=actor)
    return row


@transaction.atomic
def limit_exception_grant(
    *,
    inmate: Inmate,
    actor: User,
    reason: str,
    valid_from: dt.datetime,
    valid_until: dt.datetime,
    daily_limit_rp: int | None = None,
    monthly_limit_rp: int | None = None,
) -> LimitException:
    """A head lets one inmate spend under other limits for a while, with a written reason."""
    if not reason.strip():
        raise CorrectionError.reason_required()
    if valid_until <= valid_from:
        raise SettingsInvalid(_("Akhir masa berlaku harus sesudah awalnya."))
    _clean_settings({"daily_limit_rp": daily_limit_rp, "monthly_limit_rp": monthly_limit_rp})
    exc = LimitException.objects.create(
        site_id=inmate.site_id,
        inmate=inmate,
        daily_limit_rp=daily_limit_rp,
        monthly_limit_rp=monthly_limit_rp,
        reason=reason.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=actor,
    )
    audit_append(
        action="wallet.limit_exception",
        site=inmate.site,
        actor=actor,
        obj=exc,
        data={
            "inmate": inmate.pk,
            "daily_limit_rp": daily_limit_rp,
            "monthly_limit_rp": monthly_limit_rp,
            "reason": exc.reason,
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat(),
        },
    )
    return exc


@transaction.atomic
def limit_exception_revoke(*, exception: LimitException, actor: User, reason: str) -> None:
    if not reason.strip():
        raise CorrectionError.reason_required()
    updated = LimitException.objects.filter(pk=exception.pk, revoked_at__isnull=True).update(
        revoked_at=clock.now()
    )
    if updated:
        audit_append(
            action="wallet.limit_exception_revoke",
            site=exception.site,
            actor=actor,
            obj=exception,
            data={"reason": reason.strip()},
        )
