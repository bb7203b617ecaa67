"""The policy register and the settings a policy switches on its effective date.

`policies_tick` (run every minute by `manage.py townhall_tick`) moves each announced policy
whose date has come to "berlaku" and applies its setting — once: the status change is a
conditional UPDATE on a locked row, so two ticks at the same minute cannot both apply it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.core.calendar import site_today
from pandai.core.models import Site, User
from pandai.shop.models import ShopSettings
from pandai.shop.services.catalogue import shop_settings_get, shop_settings_update
from pandai.townhall.errors import TownhallError
from pandai.townhall.models import Policy, PolicyStatus, PolicySwitch
from pandai.townhall.services.base import audit, clean, now
from pandai.wallet import services as wallet_services
from pandai.wallet.errors import LedgerError
from pandai.wallet.models import LedgerSettings

MAX_LIMIT_RP = 100_000_000


@dataclass(frozen=True)
class PolicyInput:
    title: str
    text: str
    effective_date: dt.date
    decided_by: str
    switch: str = PolicySwitch.NONE
    card_only: bool | None = None
    daily_limit_rp: int | None = None
    monthly_limit_rp: int | None = None


def _check(data: PolicyInput) -> dict[str, object]:
    fields: dict[str, object] = {
        "title": clean(data.title, label=_("Judul"), max_chars=200),
        "text": clean(data.text, label=_("Isi aturan"), max_chars=5000),
        "decided_by": clean(data.decided_by, label=_("Diputuskan oleh"), max_chars=150),
        "effective_date": data.effective_date,
        "switch": data.switch,
        "switch_card_only": None,
        "switch_daily_limit_rp": None,
        "switch_monthly_limit_rp": None,
    }
    if data.switch not in PolicySwitch.values:
        raise TownhallError("switch", _("Pilih pengaturan yang diubah kebijakan ini."))
    if data.switch == PolicySwitch.SHOP_CARD_ONLY:
        if data.card_only is None:
            raise TownhallError("card_only", _("Pilih: koperasi hanya kartu, atau boleh tunai."))
        fields["switch_card_only"] = data.card_only
    if data.switch == PolicySwitch.LEDGER_LIMITS:
        if data.daily_limit_rp is None and data.monthly_limit_rp is None:
            raise TownhallError(
                "limits", _("Isi batas belanja harian dan/atau bulanan yang akan berlaku.")
            )
        for value in (data.daily_limit_rp, data.monthly_limit_rp):
            if value is not None and not 0 < value <= MAX_LIMIT_RP:
                raise TownhallError("limits", _("Batas belanja harus lebih dari Rp0."))
        if (
            data.daily_limit_rp is not None
            and data.monthly_limit_rp is not None
            and data.daily_limit_rp > data.monthly_limit_rp
        ):
            raise TownhallError("limits", _("Batas harian tidak boleh melebihi batas bulanan."))
        fields["switch_daily_limit_rp"] = data.daily_limit_rp
        fields["switch_monthly_limit_rp"] = data.monthly_limit_rp
    return fields


@transaction.atomic
def policy_create(*, site: Site, actor: User, data: PolicyInput) -> Policy:
    policy = Policy.objects.create(site=site, created_by=actor, **_check(data))
    audit("townhall.policy_create", policy, actor, effective=str(policy.effective_date))
    return policy


@transaction.atomic
def policy_update(*, policy: Policy, actor: User, data: PolicyInput) -> Policy:
    """Only an announced policy may change; one in force is withdrawn and replaced instead."""
    fields = _check(data)
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if policy.status != PolicyStatus.ANNOUNCED:
        raise TownhallError(
            "not_announced",
            _("Kebijakan yang sudah berlaku atau dicabut tidak bisa diubah; buat kebijakan baru."),
        )
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.save(update_fields=list(fields))
    audit("townhall.policy_update", policy, actor)
    return policy


@transaction.atomic
def policy_withdraw(*, policy: Policy, actor: User, reason: str) -> Policy:
    """Withdraw a rule. A setting already applied stays as it is (change it on its own page or
    with a new policy): undoing it silently would surprise the shop's cashiers."""
    reason = clean(reason, label=_("Alasan pencabutan"), max_chars=1000)
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if policy.status == PolicyStatus.WITHDRAWN:
        raise TownhallError("withdrawn", _("Kebijakan ini sudah dicabut."))
    policy.status = PolicyStatus.WITHDRAWN
    policy.withdrawn_at = now()
    policy.withdraw_reason = reason
    policy.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
    audit("townhall.policy_withdraw", policy, actor, reason=reason)
    return policy


# --- the settings a policy switches --------------------------------------------------------


def shop_card_only(*, site: Site) -> bool:
    return shop_settings_get(site=site).card_only


def _shop_card_only_set(*, site: Site, actor: User, card_only: bool) -> None:
    # Through the shop's own settings service (validated, audited); the other fields as they are.
    current: ShopSettings = shop_settings_get(site=site)
    shop_settings_update(
        site=site,
        actor=actor,
        card_only=card_only,
        preorder_hours=current.preorder_hours,
        receipt_footer=current.receipt_footer,
        receipt_printer=current.receipt_printer,
    )


def ledger_limits(*, site: Site) -> tuple[int | None, int | None]:
    row = LedgerSettings.objects.filter(site=site).first()
    return (row.daily_limit_rp, row.monthly_limit_rp) if row else (None, None)


def _apply(policy: Policy) -> dict[str, object]:
    actor = policy.created_by
    if policy.switch == PolicySwitch.SHOP_CARD_ONLY:
        before: object = shop_card_only(site=policy.site)
        _shop_card_only_set(site=policy.site, actor=actor, card_only=bool(policy.switch_card_only))
        return {"card_only": [before, bool(policy.switch_card_only)]}
    if policy.switch == PolicySwitch.LEDGER_LIMITS:
        before = ledger_limits(site=policy.site)
        values: dict[str, int | None] = {}
        if policy.switch_daily_limit_rp is not None:
            values["daily_limit_rp"] = policy.switch_daily_limit_rp
        if policy.switch_monthly_limit_rp is not None:
            values["monthly_limit_rp"] = policy.switch_monthly_limit_rp
        wallet_services.ledger_settings_update(site=policy.site, actor=actor, **values)
        after = [values.get("daily_limit_rp"), values.get("monthly_limit_rp")]
        return {"limits": [list(before), after]}
    return {}


@dataclass(frozen=True)
class TickResult:
    applied: list[int]
    failed: list[tuple[int, str]]


def _due(moment: dt.datetime) -> list[Policy]:
    candidates = Policy.objects.filter(
        status=PolicyStatus.ANNOUNCED, effective_date__lte=moment.date() + dt.timedelta(days=1)
    ).select_related("site", "created_by")
    # "Today" is the site's day (WIB / WITA / WIT), not the server's.
    return [p for p in candidates if p.effective_date <= site_today(p.site, moment)]


def policy_apply(*, policy: Policy, moment: dt.datetime | None = None) -> bool:
    """Put one due policy in force and switch its setting, in one transaction. False when
    another tick got there first (nothing happens twice)."""
    moment = now(moment)
    with transaction.atomic():
        locked = (
            Policy.objects.select_for_update()
            .select_related("site", "created_by")
            .filter(pk=policy.pk, status=PolicyStatus.ANNOUNCED, applied_at__isnull=True)
            .first()
        )
        if locked is None or locked.effective_date > site_today(locked.site, moment):
            return False
        change = _apply(locked)
        updated = Policy.objects.filter(pk=locked.pk, status=PolicyStatus.ANNOUNCED).update(
            status=PolicyStatus.IN_FORCE, applied_at=moment
        )
        if updated != 1:  # pragma: no cover - the row lock above makes this unreachable
            raise TownhallError("race", "policy changed under the lock")
        audit("townhall.policy_in_force", locked, None, switch=locked.switch, change=change)
    return True


def policies_tick(*, moment: dt.datetime | None = None) -> TickResult:
    """Apply every due policy. One failing policy (a refused setting) does not stop the others;
    it stays announced and is tried again next minute."""
    moment = now(moment)
    applied: list[int] = []
    failed: list[tuple[int, str]] = []
    for policy in _due(moment):
        try:
            if policy_apply(policy=policy, moment=moment):
                applied.append(policy.pk)
        except (LedgerError, TownhallError, ValueError) as exc:
            failed.append((policy.pk, str(exc)))
    return TickResult(applied=applied, failed=failed)
