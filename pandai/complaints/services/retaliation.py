"""Retaliation watch: for `retaliation_days` (90 by default) after a named or confidential
complaint, anything that happens to the complainant that could be a reprisal is flagged for
the head: a cell or block move, a Register F entry, the card blocked or reported lost, the
spending account frozen, a spending limit lowered (a per-inmate exception revoked while it
gave more than the site's limits, or a new one below them), removal from a programme.

Anonymous items cannot be watched: they keep no identity.

How events are found, without the lower apps knowing about complaints (layers: complaints may
read inmates and wallet, never the other way round): `retaliation_scan` reads the records
those apps already write — InmateEvent, DisciplineEntry, LimitException and the audit chain's
`card.status` / `wallet.account_freeze` / `wallet.limit_exception_revoke` events — for the
watched inmates only (indexed lookups), and writes one RetaliationFlag per (complaint, record);
the unique constraint makes the scan safe to run every few minutes and from two places. It runs
from `manage.py retaliation_scan` (and complaints_tick may call it). Programmes (same layer)
call `retaliation_record_event` when they remove someone, since nothing below records that.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.complaints.models import (
    Complaint,
    Identity,
    RetaliationDecision,
    RetaliationFlag,
    RetaliationKind,
)
from pandai.complaints.services.base import (
    MAX_NOTE_CHARS,
    ComplaintError,
    audit,
    clean_text,
    history_add,
    now,
    settings_for,
)
from pandai.core.models import AuditEvent, Site, User
from pandai.inmates.models import Card, CardStatus, DisciplineEntry, EventKind, Inmate, InmateEvent
from pandai.wallet import monitoring
from pandai.wallet.models import Account, LimitException
from pandai.wallet.models_monitoring import RuleKind
from pandai.wallet.selectors import site_settings

WATCHED_IDENTITIES = (Identity.NAMED, Identity.CONFIDENTIAL)
# Wallet-side restrictions that are also raised on the money office's monitoring list (named
# complaints only: for a confidential one that list would tell its readers who complained).
MONEY_KINDS = (RetaliationKind.ACCOUNT_FROZEN, RetaliationKind.LIMIT_LOWERED)


@dataclass(frozen=True)
class WatchEvent:
    """Something that happened to an inmate, and the record that shows it."""

    inmate_id: int
    kind: str
    record_type: str  # "app_label.model"
    record_id: str
    at: dt.datetime


@dataclass(frozen=True)
class _Watch:
    complaint_id: int
    inmate_id: int
    identity: str
    received_at: dt.datetime


def _watches(site: Site, moment: dt.datetime, inmate: Inmate | None = None) -> list[_Watch]:
    days = settings_for(site).retaliation_days
    qs = Complaint.objects.filter(
        site=site,
        identity__in=WATCHED_IDENTITIES,
        inmate__isnull=False,
        received_at__gte=moment - dt.timedelta(days=days),
    )
    if inmate is not None:
        qs = qs.filter(inmate=inmate)
    rows = qs.values_list("pk", "inmate_id", "identity", "received_at")
    return [_Watch(pk, inmate_id, identity, at) for pk, inmate_id, identity, at in rows]


# --- finding events ------------------------------------------------------------------------


def _cell_moves(ids: list[int], since: dt.datetime) -> Iterable[WatchEvent]:
    rows = InmateEvent.objects.filter(
        inmate_id__in=ids, kind=EventKind.CELL_MOVE, at__gt=since
    ).values_list("pk", "inmate_id", "at")
    for pk, inmate_id, at in rows:
        yield WatchEvent(inmate_id, RetaliationKind.CELL_MOVE, "inmates.inmateevent", str(pk), at)


def _discipline(ids: list[int], since: dt.datetime) -> Iterable[WatchEvent]:
    # When it was written down counts, not the date it names: a back-dated entry made after
    # the complaint is exactly what the watch is for.
    rows = DisciplineEntry.objects.filter(inmate_id__in=ids, created_at__gt=since).values_list(
        "pk", "inmate_id", "created_at"
    )
    for pk, inmate_id, at in rows:
        yield WatchEvent(
            inmate_id, RetaliationKind.DISCIPLINE, "inmates.disciplineentry", str(pk), at
        )


def _audited(
    action: str, object_type: str, owners: dict[str, int], since: dt.datetime
) -> Iterable[tuple[AuditEvent, int]]:
    if not owners:
        return
    events = AuditEvent.objects.filter(
        object_type=object_type, object_id__in=list(owners), action=action, at__gt=since
    ).only("pk", "object_id", "at", "data")
    for event in events:
        yield event, owners[event.object_id]


def _card_blocks(ids: list[int], since: dt.datetime) -> Iterable[WatchEvent]:
    owners = {
        str(pk): inmate_id
        for pk, inmate_id in Card.objects.filter(inmate_id__in=ids).values_list("pk", "inmate_id")
    }
    for event, inmate_id in _audited("card.status", "inmates.card", owners, since):
        if (event.data or {}).get("to") in (CardStatus.BLOCKED, CardStatus.LOST):
            yield WatchEvent(
                inmate_id, RetaliationKind.CARD_BLOCKED, "core.auditevent", str(event.pk), event.at
            )


def _account_freezes(ids: list[int], since: dt.datetime) -> Iterable[WatchEvent]:
    owners = {
        str(pk): inmate_id
        for pk, inmate_id in Account.objects.filter(inmate_id__in=ids).values_list(
            "pk", "inmate_id"
        )
    }
    for event, inmate_id in _audited("wallet.account_freeze", "wallet.account", owners, since):
        yield WatchEvent(
            inmate_id, RetaliationKind.ACCOUNT_FROZEN, "core.auditevent", str(event.pk), event.at
        )


def _above(value: int | None, site_value: int | None) -> bool:
    """Is an exception's limit more generous than the site's (None = no limit)?"""
    if value is None:
        return False
    return site_value is not None and value > site_value


def _below(value: int | None, site_value: int | None) -> bool:
    if value is None:
        return False
    return site_value is None or value < site_value


def _limit_changes(site: Site, ids: list[int], since: dt.datetime) -> Iterable[WatchEvent]:
    rules = site_settings(site=site)
    exceptions = {
        e.pk: e
        for e in LimitException.objects.filter(inmate_id__in=ids).only(
            "pk", "inmate_id", "daily_limit_rp", "monthly_limit_rp", "granted_at", "revoked_at"
        )
    }
    for e in exceptions.values():
        lower = _below(e.daily_limit_rp, rules.daily_limit_rp) or _below(
            e.monthly_limit_rp, rules.monthly_limit_rp
        )
        if lower and e.granted_at > since:
            yield WatchEvent(
                e.inmate_id,
                RetaliationKind.LIMIT_LOWERED,
                "wallet.limitexception",
                str(e.pk),
                e.granted_at,
            )
    owners = {
        str(pk): e.inmate_id
        for pk, e in exceptions.items()
        if e.revoked_at is not None
        and e.revoked_at > since
        and (
            _above(e.daily_limit_rp, rules.daily_limit_rp)
            or _above(e.monthly_limit_rp, rules.monthly_limit_rp)
        )
    }
    for event, inmate_id in _audited(
        "wallet.limit_exception_revoke", "wallet.limitexception", owners, since
    ):
        yield WatchEvent(
            inmate_id, RetaliationKind.LIMIT_LOWERED, "core.auditevent", str(event.pk), event.at
        )


def _events(site: Site, ids: list[int], since: dt.datetime) -> Iterable[WatchEvent]:
    yield from _cell_moves(ids, since)
    yield from _discipline(ids, since)
    yield from _card_blocks(ids, since)
    yield from _account_freezes(ids, since)
    yield from _limit_changes(site, ids, since)


# --- raising flags -------------------------------------------------------------------------


def _flag(
    site: Site, watches: list[_Watch], events: Iterable[WatchEvent], days: int
) -> list[RetaliationFlag]:
    by_inmate: dict[int, list[_Watch]] = defaultdict(list)
    for w in watches:
        by_inmate[w.inmate_id].append(w)
    wanted = [
        RetaliationFlag(
            site=site,
            complaint_id=w.complaint_id,
            kind=e.kind,
            record_type=e.record_type,
            record_id=e.record_id,
            event_at=e.at,
        )
        for e in events
        for w in by_inmate.get(e.inmate_id, [])
        if w.received_at < e.at <= w.received_at + dt.timedelta(days=days)
    ]
    if not wanted:
        return []
    existing = set(
        RetaliationFlag.objects.filter(
            complaint_id__in={f.complaint_id for f in wanted}
        ).values_list("complaint_id", "record_type", "record_id")
    )
    new = [f for f in wanted if (f.complaint_id, f.record_type, f.record_id) not in existing]
    # ignore_conflicts: a scan running at the same time may have written the same flag.
    RetaliationFlag.objects.bulk_create(new, ignore_conflicts=True)
    _to_money_office(site, new, {w.complaint_id: w for w in watches})
    return new


def _to_money_office(site: Site, flags: list[RetaliationFlag], watch: dict[int, _Watch]) -> None:
    for f in flags:
        w = watch[f.complaint_id]
        if f.kind not in MONEY_KINDS or w.identity != Identity.NAMED:
            continue
        inmate = Inmate.objects.get(pk=w.inmate_id)
        monitoring.flag_raise(
            site,
            RuleKind.COMPLAINT_RESTRICTION,
            inmate,
            [],
            _("%(kind)s dalam masa pantau setelah WBP ini mengadu.")
            % {"kind": RetaliationKind(f.kind).label},
        )


def retaliation_scan(*, site: Site | None = None, at: dt.datetime | None = None) -> int:
    """Flag what happened to watched complainants; returns the number of new flags. Safe to
    run every few minutes, and from two places at once."""
    moment = at or now()
    sites = [site] if site is not None else list(Site.objects.filter(is_active=True))
    created = 0
    for s in sites:
        watches = _watches(s, moment)
        if not watches:
            continue
        ids = sorted({w.inmate_id for w in watches})
        since = min(w.received_at for w in watches)
        with transaction.atomic():
            new = _flag(s, watches, _events(s, ids, since), settings_for(s).retaliation_days)
        created += len(new)
    return created


@transaction.atomic
def retaliation_record_event(
    *,
    inmate: Inmate,
    kind: str,
    record_type: str,
    record_id: str | int,
    at: dt.datetime | None = None,
) -> int:
    """The hook for records nothing below us keeps (programmes call it with
    kind=PROGRAM_REMOVED when they take someone off a programme, record_type like
    'programs.enrolment'). Cheap when the inmate has no watched complaint: two small queries."""
    if kind not in RetaliationKind.values:
        raise ValueError(f"unknown retaliation kind {kind!r}")
    moment = at or now()
    site = inmate.site
    watches = _watches(site, moment, inmate)
    if not watches:
        return 0
    event = WatchEvent(inmate.pk, kind, record_type, str(record_id), moment)
    return len(_flag(site, watches, [event], settings_for(site).retaliation_days))


# --- the head's decision ---------------------------------------------------------------------


@transaction.atomic
def retaliation_decide(
    *, flag: RetaliationFlag, actor: User, decision: str, reason: str
) -> RetaliationFlag:
    """The head's decision with a written reason. Staff named in the complaint cannot decide
    (for a complaint about the head, the regional office does)."""
    if decision not in RetaliationDecision.values:
        raise ComplaintError("decision", _("Pilih keputusan."))
    reason = clean_text(reason, label=_("Alasan"), max_chars=MAX_NOTE_CHARS)
    locked = RetaliationFlag.objects.select_for_update().select_related("complaint").get(pk=flag.pk)
    complaint = locked.complaint
    if complaint.named_staff.filter(pk=actor.pk).exists():
        raise ComplaintError(
            "named_staff", _("Anda disebut dalam pengaduan ini dan tidak boleh memutuskannya.")
        )
    if locked.decided:
        raise ComplaintError("decided", _("Tanda ini sudah diputuskan."))
    locked.decision = decision
    locked.reason = reason
    locked.decided_at = now()
    locked.decided_by = actor
    locked.save(update_fields=["decision", "reason", "decided_at", "decided_by"])
    history_add(
        complaint=complaint,
        action="retaliation_decide",
        actor=actor,
        note=_("Pantauan pembalasan (%(kind)s): %(decision)s — %(reason)s")
        % {
            "kind": RetaliationKind(locked.kind).label,
            "decision": RetaliationDecision(decision).label,
            "reason": reason,
        },
    )
    audit(complaint, "complaint.retaliation_decide", actor, flag=locked.pk, decision=decision)
    flag.decision, flag.reason, flag.decided_at = decision, reason, locked.decided_at
    return locked
