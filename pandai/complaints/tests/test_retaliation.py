"""The retaliation watch fires for each kind of event inside the 90 days after a named or
confidential complaint, and not after them, not before the complaint, not for anonymous
items; the head decides each flag once, with a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pandai.complaints.models import (
    Complaint,
    Identity,
    RetaliationDecision,
    RetaliationFlag,
    RetaliationKind,
)
from pandai.complaints.services import ComplaintError
from pandai.complaints.services.retaliation import (
    retaliation_decide,
    retaliation_record_event,
    retaliation_scan,
)
from pandai.core.models import AuditEvent
from pandai.inmates import services as inmate_services
from pandai.inmates.tests.factories import CellFactory
from pandai.wallet import rules
from pandai.wallet.accounts import account_freeze, inmate_accounts_open
from pandai.wallet.models_monitoring import Flag, RuleKind

pytestmark = pytest.mark.django_db


def complaint_days_ago(oral: Callable[..., Any], days: int, **kwargs: Any) -> Complaint:
    c = oral(**kwargs).complaint
    Complaint.objects.filter(pk=c.pk).update(received_at=timezone.now() - dt.timedelta(days=days))
    c.refresh_from_db()
    return c


def cell_move(inmate: Any, head: Any) -> None:
    inmate_services.inmate_move_cell(
        inmate=inmate,
        cell=CellFactory(block=inmate.cell.block),
        date=timezone.localdate(),
        actor=head,
    )


def discipline(inmate: Any, head: Any) -> None:
    inmate_services.discipline_add(
        inmate=inmate,
        date=timezone.localdate() - dt.timedelta(days=200),  # back-dated: still counts
        offence="Membawa telepon",
        sanction="Teguran",
        actor=head,
    )


def card_blocked(inmate: Any, head: Any) -> None:
    card = inmate_services.card_issue(inmate=inmate, raw_uid="04AA11BB22CC33", actor=head)
    inmate_services.card_set_status(card=card, status="blocked", reason="Diperiksa", actor=head)


def card_lost(inmate: Any, head: Any) -> None:
    card = inmate_services.card_issue(inmate=inmate, raw_uid="04AA11BB22CC44", actor=head)
    inmate_services.card_set_status(card=card, status="lost", reason="Hilang", actor=head)


def account_frozen(inmate: Any, head: Any) -> None:
    accounts = inmate_accounts_open(inmate=inmate)
    account_freeze(account=accounts.spendable, actor=head, reason="Pemeriksaan")


def limit_below_site(inmate: Any, head: Any) -> None:
    now = timezone.now()
    rules.limit_exception_grant(
        inmate=inmate,
        actor=head,
        reason="Dibatasi",
        valid_from=now,
        valid_until=now + dt.timedelta(days=30),
        daily_limit_rp=10_000,
    )


def limit_exception_revoked(inmate: Any, head: Any) -> None:
    rules.ledger_settings_update(site=inmate.site, actor=head, daily_limit_rp=50_000)
    now = timezone.now()
    exc = rules.limit_exception_grant(
        inmate=inmate,
        actor=head,
        reason="Untuk obat",
        valid_from=now,
        valid_until=now + dt.timedelta(days=30),
        daily_limit_rp=100_000,
    )
    rules.limit_exception_revoke(exception=exc, actor=head, reason="Dicabut")


def program_removed(inmate: Any, head: Any) -> None:
    retaliation_record_event(
        inmate=inmate,
        kind=RetaliationKind.PROGRAM_REMOVED,
        record_type="programs.enrolment",
        record_id=7,
    )


EVENTS = {
    "cell_move": (cell_move, RetaliationKind.CELL_MOVE),
    "discipline": (discipline, RetaliationKind.DISCIPLINE),
    "card_blocked": (card_blocked, RetaliationKind.CARD_BLOCKED),
    "card_lost": (card_lost, RetaliationKind.CARD_BLOCKED),
    "account_frozen": (account_frozen, RetaliationKind.ACCOUNT_FROZEN),
    "limit_below_site": (limit_below_site, RetaliationKind.LIMIT_LOWERED),
    "limit_exception_revoked": (limit_exception_revoked, RetaliationKind.LIMIT_LOWERED),
    "program_removed": (program_removed, RetaliationKind.PROGRAM_REMOVED),
}


@pytest.mark.parametrize("event", list(EVENTS))
@pytest.mark.parametrize("identity", [Identity.NAMED, Identity.CONFIDENTIAL])
def test_each_event_inside_the_watch_is_flagged(oral, inmate, head, event, identity):
    happen, kind = EVENTS[event]
    c = complaint_days_ago(oral, 89, identity=identity)
    happen(inmate, head)
    retaliation_scan()
    flags = list(RetaliationFlag.objects.filter(complaint=c))
    assert [f.kind for f in flags] == [kind]
    assert flags[0].site == c.site and not flags[0].decided
    assert c.received_at < flags[0].event_at
    # Again: nothing new (safe every few minutes).
    assert retaliation_scan() == 0
    assert RetaliationFlag.objects.filter(complaint=c).count() == 1


@pytest.mark.parametrize("event", list(EVENTS))
def test_after_ninety_days_nothing_is_flagged(oral, inmate, head, event):
    happen, _kind = EVENTS[event]
    c = complaint_days_ago(oral, 91)
    happen(inmate, head)
    retaliation_scan()
    assert not RetaliationFlag.objects.filter(complaint=c).exists()


@pytest.mark.parametrize("event", ["cell_move", "discipline", "account_frozen"])
def test_an_event_before_the_complaint_is_not_flagged(oral, inmate, head, event):
    EVENTS[event][0](inmate, head)
    c = oral().complaint
    Complaint.objects.filter(pk=c.pk).update(received_at=timezone.now() + dt.timedelta(seconds=5))
    retaliation_scan()
    assert not RetaliationFlag.objects.exists()


def test_anonymous_items_cannot_be_watched(oral, inmate, head):
    complaint_days_ago(oral, 3, identity=Identity.ANONYMOUS)
    cell_move(inmate, head)
    discipline(inmate, head)
    assert retaliation_scan() == 0
    assert not RetaliationFlag.objects.exists()


def test_a_higher_exception_granted_is_not_a_lowered_limit(oral, inmate, head):
    c = complaint_days_ago(oral, 5)
    rules.ledger_settings_update(site=inmate.site, actor=head, daily_limit_rp=50_000)
    now = timezone.now()
    rules.limit_exception_grant(
        inmate=inmate,
        actor=head,
        reason="Untuk obat",
        valid_from=now,
        valid_until=now + dt.timedelta(days=3),
        daily_limit_rp=80_000,
    )
    retaliation_scan()
    assert not RetaliationFlag.objects.filter(complaint=c).exists()


def test_another_inmates_events_do_not_count(oral, inmate, head, site):
    from pandai.inmates.tests.factories import InmateFactory

    complaint_days_ago(oral, 5)
    other = InmateFactory(site=site)
    cell_move(other, head)
    assert retaliation_scan() == 0


def test_money_restrictions_of_named_complainants_reach_the_money_office(oral, inmate, head):
    complaint_days_ago(oral, 5, identity=Identity.NAMED)
    account_frozen(inmate, head)
    retaliation_scan()
    assert Flag.objects.filter(rule_kind=RuleKind.COMPLAINT_RESTRICTION, inmate=inmate).exists()


def test_confidential_complainants_are_not_told_to_the_money_office(oral, inmate, head):
    complaint_days_ago(oral, 5, identity=Identity.CONFIDENTIAL)
    account_frozen(inmate, head)
    retaliation_scan()
    assert RetaliationFlag.objects.count() == 1
    assert not Flag.objects.filter(rule_kind=RuleKind.COMPLAINT_RESTRICTION).exists()


def test_the_head_decides_once_with_a_reason(oral, inmate, head):
    c = complaint_days_ago(oral, 5)
    cell_move(inmate, head)
    retaliation_scan()
    flag = RetaliationFlag.objects.get(complaint=c)
    with pytest.raises(ComplaintError):
        retaliation_decide(flag=flag, actor=head, decision=RetaliationDecision.JUSTIFIED, reason="")
    flag.refresh_from_db()
    assert not flag.decided
    retaliation_decide(
        flag=flag, actor=head, decision=RetaliationDecision.JUSTIFIED, reason="Renovasi blok."
    )
    flag.refresh_from_db()
    assert flag.decision == RetaliationDecision.JUSTIFIED and flag.decided_by == head
    with pytest.raises(ComplaintError, match="sudah diputuskan"):
        retaliation_decide(
            flag=flag, actor=head, decision=RetaliationDecision.RETALIATION, reason="Lain"
        )
    assert AuditEvent.objects.filter(action="complaint.retaliation_decide").count() == 1


def test_head_named_in_the_complaint_cannot_see_or_decide(oral, inmate, head, client):
    c = complaint_days_ago(oral, 5, named_staff=[head])
    cell_move(inmate, head)
    retaliation_scan()
    flag = RetaliationFlag.objects.get(complaint=c)
    with pytest.raises(ComplaintError):
        retaliation_decide(
            flag=flag, actor=head, decision=RetaliationDecision.JUSTIFIED, reason="Wajar"
        )
    client.force_login(head)
    assert client.get(reverse("complaints:retaliation_detail", args=[flag.pk])).status_code == 403
    assert c.number not in client.get(reverse("complaints:retaliation_list")).content.decode()


def test_review_pages_show_both_records_and_audit_a_confidential_view(oral, inmate, head, client):
    c = complaint_days_ago(oral, 5, identity=Identity.CONFIDENTIAL)
    discipline(inmate, head)
    client.force_login(head)
    client.post(reverse("complaints:retaliation_scan"))
    flag = RetaliationFlag.objects.get(complaint=c)
    listing = client.get(reverse("complaints:retaliation_list")).content.decode()
    assert c.number in listing and inmate.full_name not in listing
    before = AuditEvent.objects.filter(action="complaint.identity_view").count()
    page = client.get(reverse("complaints:retaliation_detail", args=[flag.pk])).content.decode()
    assert "Membawa telepon" in page and inmate.full_name in page and c.number in page
    assert AuditEvent.objects.filter(action="complaint.identity_view").count() == before + 1
    response = client.post(
        reverse("complaints:retaliation_detail", args=[flag.pk]),
        {"decision": RetaliationDecision.RETALIATION, "reason": "Diperiksa Kanwil."},
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.decision == RetaliationDecision.RETALIATION
