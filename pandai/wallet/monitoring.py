"""Monitoring against extortion and illegal levies: the site's rules (data a head can tune),
the scan that evaluates them and raises flags, the hook other apps call to raise one, and the
head's decision on each flag (dismiss, escalate, freeze the account), all audited.

Rules (wallet.models_monitoring.MonitoringRule documents each threshold):
- depositor_many_inmates: one depositor (by NIK, phone or bank account) funds more than N
  inmates in D days;
- inmate_many_depositors: one inmate receives from more than N depositors in D days;
- near_cap: at least N deposits to one inmate in D days each within margin % under the cap
  (the rule's amount, else the site's maximum per deposit);
- complaint_restriction: raised by the complaints app through `flag_raise`.

Deduplication: at most one open flag per site, rule and subject (a database constraint). A
scan that finds the subject again adds the new transfers to the open flag; after a decision a
new flag is raised only when transfers that no earlier flag showed keep the pattern going.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.models import Site, User
from pandai.inmates.models import Inmate
from pandai.wallet import clock
from pandai.wallet.accounts import account_freeze
from pandai.wallet.errors import CorrectionError, LedgerError
from pandai.wallet.models import Account, AccountKind, AccountStatus, Transfer
from pandai.wallet.models_monitoring import Flag, FlagStatus, MonitoringRule, RuleKind
from pandai.wallet.monitoring_sources import MoneyIn, depositor_groups, money_in
from pandai.wallet.rules import rules_for

DEFAULTS: dict[str, dict[str, int]] = {
    RuleKind.DEPOSITOR_MANY_INMATES: {"threshold_n": 3, "window_days": 8},
    RuleKind.INMATE_MANY_DEPOSITORS: {"threshold_n": 3, "window_days": 8},
    RuleKind.NEAR_CAP: {"threshold_n": 3, "window_days": 7, "margin_pct": 5},
    RuleKind.COMPLAINT_RESTRICTION: {"threshold_n": 1, "window_days": 7},
}
DECISIONS = {
    "dismiss": FlagStatus.DISMISSED,
    "escalate": FlagStatus.ESCALATED,
    "freeze": FlagStatus.FROZEN,
}


class MonitoringError(LedgerError):
    def __init__(self, *, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# --- rules -----------------------------------------------------------------------------------


def monitoring_rules(*, site: Site) -> list[MonitoringRule]:
    """The site's rules in kind order; kinds never changed are unsaved defaults."""
    saved = {r.kind: r for r in MonitoringRule.objects.filter(site=site)}
    return [
        saved.get(kind) or MonitoringRule(site=site, kind=kind, **DEFAULTS[kind])
        for kind in RuleKind.values
    ]


def monitoring_rule(*, site: Site, kind: str) -> MonitoringRule:
    return next(r for r in monitoring_rules(site=site) if r.kind == kind)


@transaction.atomic
def monitoring_rule_update(
    *,
    site: Site,
    kind: str,
    actor: User,
    threshold_n: int,
    window_days: int,
    amount_rp: int | None = None,
    margin_pct: int = 5,
    active: bool = True,
) -> MonitoringRule:
    """A head changes one rule's thresholds (audited with the values before and after)."""
    RuleKind(kind)
    if threshold_n < 1 or not 1 <= window_days <= 366:
        raise MonitoringError(
            code="rule_invalid",
            message=_("Ambang minimal 1 dan jangka 1 sampai 366 hari."),
        )
    if not 0 <= margin_pct <= 50 or (amount_rp is not None and amount_rp <= 0):
        raise MonitoringError(
            code="rule_invalid",
            # xgettext:no-python-format  (the "% d" in "50% dan" is not a placeholder)
            message=_("Selisih 0 sampai 50% dan nominal acuan harus lebih dari nol."),
        )
    fields = ("threshold_n", "window_days", "amount_rp", "margin_pct", "active")
    rule, _created = MonitoringRule.objects.select_for_update().get_or_create(
        site=site, kind=kind, defaults=DEFAULTS[kind]
    )
    before = {f: getattr(rule, f) for f in fields}
    rule.threshold_n, rule.window_days, rule.amount_rp = threshold_n, window_days, amount_rp
    rule.margin_pct, rule.active, rule.updated_by = margin_pct, active, actor
    rule.save()
    audit_append(
        action="wallet.monitoring_rule",
        site=site,
        actor=actor,
        obj=rule,
        data={"kind": kind, "before": before, "after": {f: getattr(rule, f) for f in fields}},
    )
    return rule


# --- raising flags -----------------------------------------------------------------------


@dataclass
class ScanResult:
    raised: list[Flag] = field(default_factory=list)
    extended: list[Flag] = field(default_factory=list)


def _shown_before(site: Site, kind: str, subject_key: str) -> set[int]:
    through = Flag.transfers.through
    return set(
        through.objects.filter(
            flag__site=site, flag__rule_kind=kind, flag__subject_key=subject_key
        ).values_list("transfer_id", flat=True)
    )


def _raise(
    *,
    site: Site,
    kind: str,
    subject_key: str,
    subject_label: str,
    inmate: Inmate | int | None,
    transfer_ids: Iterable[int],
    window: tuple[dt.datetime, dt.datetime],
    details: dict[str, Any],
    note: str,
    now: dt.datetime,
) -> tuple[str, Flag] | None:
    """Raise a flag, or extend the open one; None when there is nothing new to show."""
    ids = set(transfer_ids)
    open_flag = (
        Flag.objects.select_for_update()
        .filter(site=site, rule_kind=kind, subject_key=subject_key, status=FlagStatus.OPEN)
        .first()
    )
    new = ids - _shown_before(site, kind, subject_key)
    if open_flag is not None:
        if not new:
            return None
        open_flag.transfers.add(*new)
        open_flag.details, open_flag.window_end = details, window[1]
        open_flag.save(update_fields=["details", "window_end"])
        return "extended", open_flag
    if ids and not new:
        return None  # everything here was already shown in a decided flag
    inmate_id = inmate.pk if isinstance(inmate, Inmate) else inmate
    with transaction.atomic():
        flag = Flag.objects.create(
            site=site,
            rule_kind=kind,
            subject_key=subject_key[:80],
            subject_label=subject_label[:200],
            inmate_id=inmate_id,
            window_start=window[0],
            window_end=window[1],
            details=details,
            note=note,
            raised_at=now,
        )
    flag.transfers.set(ids)
    audit_append(
        action="wallet.flag_raise",
        site=site,
        obj=flag,
        actor_label="pemantauan",
        data={"rule": kind, "subject": subject_key, "transfers": sorted(ids), **details},
    )
    return "raised", flag


def _record(result: ScanResult, outcome: tuple[str, Flag] | None) -> None:
    if outcome is not None:
        (result.raised if outcome[0] == "raised" else result.extended).append(outcome[1])


def _transfers(rows: list[MoneyIn]) -> list[int]:
    return [pk for row in rows for pk in row.transfer_ids]


def _inmate_labels(ids: Iterable[int]) -> dict[int, str]:
    return {
        pk: f"{name} ({reg})"
        for pk, name, reg in Inmate.objects.filter(pk__in=set(ids)).values_list(
            "pk", "full_name", "reg_no"
        )
    }


def _scan_rule(site: Site, rule: MonitoringRule, now: dt.datetime) -> list[dict[str, Any]]:
    """The hits of one rule: dicts of _raise's keyword arguments."""
    window = (now - dt.timedelta(days=rule.window_days), now)
    rows = money_in(site=site, since=window[0], until=window[1])
    hits: list[dict[str, Any]] = []
    n = rule.threshold_n
    if rule.kind == RuleKind.DEPOSITOR_MANY_INMATES:
        for key, group in depositor_groups(rows).items():
            inmates = {r.inmate_id for r in group}
            if len(inmates) > n:
                hits.append(
                    {
                        "subject_key": key,
                        "subject_label": group[-1].label,
                        "inmate": None,
                        "rows": group,
                        "details": {"inmates": len(inmates), "deposits": len(group)},
                    }
                )
    elif rule.kind == RuleKind.INMATE_MANY_DEPOSITORS:
        by_inmate: dict[int, dict[str, list[MoneyIn]]] = defaultdict(dict)
        for key, group in depositor_groups(rows).items():
            for row in group:
                by_inmate[row.inmate_id].setdefault(key, []).append(row)
        labels = _inmate_labels(i for i, d in by_inmate.items() if len(d) > n)
        for inmate_id, depositors in sorted(by_inmate.items()):
            if len(depositors) > n:
                group = [r for rs in depositors.values() for r in rs]
                hits.append(
                    {
                        "subject_key": f"inmate:{inmate_id}",
                        "subject_label": labels.get(inmate_id, str(inmate_id)),
                        "inmate": inmate_id,
                        "rows": group,
                        "details": {"depositors": len(depositors), "deposits": len(group)},
                    }
                )
    elif rule.kind == RuleKind.NEAR_CAP:
        cap = rule.amount_rp or rules_for(site=site).max_deposit_rp
        if not cap:
            return []
        near: dict[int, list[MoneyIn]] = defaultdict(list)
        for row in rows:
            if row.amount_rp <= cap and row.amount_rp * 100 >= cap * (100 - rule.margin_pct):
                near[row.inmate_id].append(row)
        labels = _inmate_labels(i for i, g in near.items() if len(g) >= n)
        for inmate_id, group in sorted(near.items()):
            if len(group) >= n:
                hits.append(
                    {
                        "subject_key": f"inmate:{inmate_id}",
                        "subject_label": labels.get(inmate_id, str(inmate_id)),
                        "inmate": inmate_id,
                        "rows": group,
                        "details": {"deposits": len(group), "cap_rp": cap},
                    }
                )
    for hit in hits:
        hit["window"] = window
        hit["details"] = {
            **hit["details"],
            "threshold_n": n,
            "window_days": rule.window_days,
            "total_rp": sum(r.amount_rp for r in hit["rows"]),
        }
    return hits


def monitoring_scan(*, site: Site, now: dt.datetime | None = None) -> ScanResult:
    """Evaluate the site's active rules over their windows ending `now` and raise flags."""
    now = now or clock.now()
    result = ScanResult()
    for rule in monitoring_rules(site=site):
        if not rule.active or rule.kind == RuleKind.COMPLAINT_RESTRICTION:
            continue
        for hit in _scan_rule(site, rule, now):
            rows = hit.pop("rows")
            for _attempt in range(2):
                try:
                    with transaction.atomic():
                        outcome = _raise(
                            site=site,
                            kind=rule.kind,
                            transfer_ids=_transfers(rows),
                            note="",
                            now=now,
                            **hit,
                        )
                    break
                except IntegrityError:
                    continue  # another scan opened this flag meanwhile: extend it instead
            else:
                outcome = None
            _record(result, outcome)
    return result


@transaction.atomic
def flag_raise(
    site: Site,
    rule_kind: str,
    inmate: Inmate | None,
    transfers: Iterable[Transfer | int],
    note: str,
    *,
    subject_key: str = "",
    subject_label: str = "",
    details: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Flag | None:
    """The hook for other apps (the complaints app raises complaint_restriction when an
    account was frozen or limited right after its holder complained). Returns the open flag
    (new or extended), or None when the rule is switched off or there is nothing new."""
    now = now or clock.now()
    rule = monitoring_rule(site=site, kind=rule_kind)
    if not rule.active:
        return None
    if inmate is not None and inmate.site_id != site.pk:
        raise MonitoringError(code="cross_site", message=_("WBP itu milik UPT lain."))
    ids = [t if isinstance(t, int) else t.pk for t in transfers]
    if Transfer.objects.filter(pk__in=ids).exclude(site=site).exists():
        raise MonitoringError(code="cross_site", message=_("Transaksi itu milik UPT lain."))
    key = subject_key or (f"inmate:{inmate.pk}" if inmate is not None else "")
    if not key:
        raise ValueError("flag_raise needs an inmate or a subject_key")
    label = subject_label or (f"{inmate.full_name} ({inmate.reg_no})" if inmate else key)
    window = (now - dt.timedelta(days=rule.window_days), now)
    with transaction.atomic():
        outcome = _raise(
            site=site,
            kind=rule_kind,
            subject_key=key,
            subject_label=label,
            inmate=inmate,
            transfer_ids=ids,
            window=window,
            details=details or {},
            note=note,
            now=now,
        )
    return outcome[1] if outcome else None


# --- deciding ------------------------------------------------------------------------------


@transaction.atomic
def flag_decide(*, flag: Flag, decision: str, reason: str, actor: User) -> Flag:
    """The head's decision with a written reason: dismiss (nothing wrong), escalate (for
    investigation) or freeze (the inmate's spendable account stops spending; money still
    comes in)."""
    if decision not in DECISIONS:
        raise MonitoringError(code="decision_invalid", message=_("Pilih keputusan."))
    if not reason.strip():
        raise CorrectionError.reason_required()
    locked = (
        Flag.objects.select_for_update(of=("self",))
        .select_related("site", "inmate")
        .get(pk=flag.pk)
    )
    if locked.status != FlagStatus.OPEN:
        raise MonitoringError(code="already_decided", message=_("Tanda ini sudah diputuskan."))
    froze = None
    if decision == "freeze":
        account = (
            Account.objects.filter(inmate_id=locked.inmate_id, kind=AccountKind.SPENDABLE).first()
            if locked.inmate_id
            else None
        )
        if account is None:
            raise MonitoringError(
                code="nothing_to_freeze",
                message=_("Tanda ini tidak menunjuk rekening WBP yang bisa dibekukan."),
            )
        if account.status == AccountStatus.OPEN:
            account_freeze(
                account=account,
                actor=actor,
                reason=_("Pemantauan #%(n)d: ") % {"n": locked.pk} + reason.strip(),
            )
            froze = account.pk
    now = clock.now()
    Flag.objects.filter(pk=locked.pk).update(
        status=DECISIONS[decision], decided_by=actor, decided_at=now, decision_reason=reason.strip()
    )
    audit_append(
        action="wallet.flag_decide",
        site=locked.site,
        actor=actor,
        obj=locked,
        data={"decision": decision, "reason": reason.strip(), "frozen_account": froze},
    )
    flag.refresh_from_db()
    return flag
