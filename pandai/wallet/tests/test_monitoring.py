"""Monitoring rules, each firing and not firing; one open flag per rule and subject; the hook
for the complaints app; the head's decisions (audited; freeze stops spending); thresholds
kept as data that only a head changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pandai.core.models import AuditEvent
from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import bank, monitoring, services
from pandai.wallet.errors import AccountFrozen, LedgerError
from pandai.wallet.models import Account, AccountKind
from pandai.wallet.models_monitoring import Flag, FlagStatus, MonitoringRule, RuleKind
from pandai.wallet.tests.office_helpers import counter_deposit, new_ref, open_shift, snapshot
from pandai.wallet.virtual_accounts import virtual_account_for

pytestmark = pytest.mark.django_db

NIK_A = "3316010101900001"
NIK_B = "3316010101900002"


def nik(n: int) -> str:
    return f"33160101019{n:05d}"


@pytest.fixture
def head(staff):
    return staff("head", username="karutan-pantau")


@pytest.fixture
def shift(site, staff):
    return open_shift(site=site, officer=staff("counter_officer", username="loket-pantau"))


@pytest.fixture
def inmates(site):
    return [InmateFactory(site=site) for _ in range(5)]


def scan(site, **kwargs):
    return monitoring.monitoring_scan(site=site, **kwargs)


# --- one depositor, many inmates ----------------------------------------------------------


def test_one_nik_funding_more_than_n_inmates_is_flagged(site, shift, inmates):
    for inmate in inmates[:4]:
        counter_deposit(shift=shift, inmate=inmate, amount_rp=50_000, nik=NIK_A)
    result = scan(site)
    flag = Flag.objects.get(rule_kind=RuleKind.DEPOSITOR_MANY_INMATES)
    assert result.raised == [flag]
    assert flag.subject_key == f"nik:{NIK_A}" and flag.inmate is None
    assert flag.transfers.count() == 4 and flag.details["inmates"] == 4
    assert AuditEvent.objects.filter(action="wallet.flag_raise", object_id=str(flag.pk)).exists()


def test_exactly_n_inmates_or_old_deposits_do_not_fire(site, shift, inmates):
    for inmate in inmates[:3]:
        counter_deposit(shift=shift, inmate=inmate, amount_rp=50_000, nik=NIK_A)
    long_ago = timezone.now() - dt.timedelta(days=9)
    counter_deposit(shift=shift, inmate=inmates[3], amount_rp=50_000, nik=NIK_A, at=long_ago)
    assert scan(site).raised == [] and not Flag.objects.exists()


def test_the_same_person_is_caught_by_phone_across_niks(site, shift, inmates):
    for n, inmate in enumerate(inmates[:4]):
        counter_deposit(
            shift=shift, inmate=inmate, amount_rp=20_000, nik=nik(n), phone="081234567890"
        )
    flag = (
        Flag.objects.get(rule_kind=RuleKind.DEPOSITOR_MANY_INMATES) if scan(site).raised else None
    )
    assert flag is not None and flag.transfers.count() == 4
    assert flag.subject_key == f"nik:{nik(0)}"


# --- one inmate, many depositors ----------------------------------------------------------


def test_an_inmate_receiving_from_more_than_n_depositors_is_flagged(site, shift, inmates):
    target = inmates[0]
    for n in range(3):
        counter_deposit(shift=shift, inmate=target, amount_rp=10_000, nik=nik(n))
    va = virtual_account_for(inmate=target).number
    bank.bank_credit_receive(
        callback=bank.BankCallback(new_ref(), va, 10_000, "Andi", payer_account="0123456789")
    )
    scan(site)
    flag = Flag.objects.get(rule_kind=RuleKind.INMATE_MANY_DEPOSITORS)
    assert flag.inmate == target and flag.subject_key == f"inmate:{target.pk}"
    assert flag.details["depositors"] == 4 and flag.transfers.count() == 4


def test_n_depositors_or_unknown_payers_do_not_fire(site, shift, inmates):
    target = inmates[0]
    for n in range(3):
        counter_deposit(shift=shift, inmate=target, amount_rp=10_000, nik=nik(n))
    va = virtual_account_for(inmate=target).number
    bank.bank_credit_receive(callback=bank.BankCallback(new_ref(), va, 10_000, "Tanpa rekening"))
    scan(site)
    assert not Flag.objects.filter(rule_kind=RuleKind.INMATE_MANY_DEPOSITORS).exists()


# --- just under the cap ---------------------------------------------------------------------


def test_repeated_deposits_just_under_the_maximum_are_flagged(site, shift, inmates, head):
    services.ledger_settings_update(site=site, actor=head, max_deposit_rp=500_000)
    target = inmates[1]
    for amount in (480_000, 499_000, 500_000):
        counter_deposit(shift=shift, inmate=target, amount_rp=amount, nik=NIK_B)
    counter_deposit(shift=shift, inmate=inmates[2], amount_rp=470_000, nik=NIK_B)  # 6% under
    scan(site)
    flag = Flag.objects.get(rule_kind=RuleKind.NEAR_CAP)
    assert flag.inmate == target and flag.details["deposits"] == 3
    assert flag.details["cap_rp"] == 500_000 and flag.details["total_rp"] == 1_479_000
    # The third deposit passed the balance cap: its HELD part is a transfer of its own.
    assert sorted(flag.transfers.values_list("amount_rp", flat=True)) == [
        21_000,
        479_000,
        480_000,
        499_000,
    ]


def test_two_near_cap_deposits_or_no_cap_do_not_fire(site, shift, inmates, head):
    target = inmates[1]
    for amount in (490_000, 495_000, 495_000):
        counter_deposit(shift=shift, inmate=target, amount_rp=amount, nik=NIK_B)
    scan(site)  # the site has no maximum per deposit: nothing to be "just under"
    assert not Flag.objects.filter(rule_kind=RuleKind.NEAR_CAP).exists()
    monitoring.monitoring_rule_update(
        site=site,
        kind=RuleKind.NEAR_CAP,
        actor=head,
        threshold_n=4,
        window_days=7,
        amount_rp=500_000,
    )
    scan(site)
    assert not Flag.objects.filter(rule_kind=RuleKind.NEAR_CAP).exists()
    monitoring.monitoring_rule_update(
        site=site,
        kind=RuleKind.NEAR_CAP,
        actor=head,
        threshold_n=3,
        window_days=7,
        amount_rp=500_000,
    )
    scan(site)
    assert Flag.objects.filter(rule_kind=RuleKind.NEAR_CAP, inmate=target).count() == 1


# --- deduplication --------------------------------------------------------------------------


def test_one_open_flag_per_rule_and_subject(site, shift, inmates, head):
    for inmate in inmates[:4]:
        counter_deposit(shift=shift, inmate=inmate, amount_rp=50_000, nik=NIK_A)
    scan(site)
    before = snapshot()
    assert scan(site).raised == [] and snapshot() == before  # nothing new
    counter_deposit(shift=shift, inmate=inmates[4], amount_rp=50_000, nik=NIK_A)
    result = scan(site)
    assert result.raised == [] and len(result.extended) == 1
    flag = Flag.objects.get()
    assert flag.transfers.count() == 5
    monitoring.flag_decide(flag=flag, decision="dismiss", reason="keluarga besar", actor=head)
    assert scan(site).raised == []  # the same transfers are not raised again
    counter_deposit(shift=shift, inmate=inmates[0], amount_rp=50_000, nik=NIK_A)
    assert len(scan(site).raised) == 1  # the pattern went on after the decision
    assert Flag.objects.filter(status=FlagStatus.OPEN).count() == 1


def test_a_switched_off_rule_raises_nothing(site, shift, inmates, head):
    monitoring.monitoring_rule_update(
        site=site,
        kind=RuleKind.DEPOSITOR_MANY_INMATES,
        actor=head,
        threshold_n=3,
        window_days=8,
        active=False,
    )
    for inmate in inmates[:4]:
        counter_deposit(shift=shift, inmate=inmate, amount_rp=50_000, nik=NIK_A)
    scan(site)
    assert not Flag.objects.exists()


def test_other_sites_deposits_are_not_mixed_in(site, other_site, staff, inmates):
    far_shift = open_shift(site=other_site, officer=staff("counter_officer", at=other_site))
    for inmate in inmates[:2]:
        counter_deposit(
            shift=open_shift(site=site, officer=staff("counter_officer"), code=f"L{inmate.pk}"),
            inmate=inmate,
            amount_rp=10_000,
            nik=NIK_A,
        )
    for _ in range(2):
        counter_deposit(
            shift=far_shift, inmate=InmateFactory(site=other_site), amount_rp=10_000, nik=NIK_A
        )
    assert scan(site).raised == [] and scan(site=other_site).raised == []


# --- the complaints hook ------------------------------------------------------------------


def test_flag_raise_hook_for_a_restriction_after_a_complaint(site, other_site, inmates, head):
    target = inmates[0]
    flag = monitoring.flag_raise(
        site, RuleKind.COMPLAINT_RESTRICTION, target, [], "dibekukan 1 hari setelah pengaduan #12"
    )
    assert flag is not None and flag.status == FlagStatus.OPEN and flag.inmate == target
    assert flag.note.startswith("dibekukan")
    again = monitoring.flag_raise(site, RuleKind.COMPLAINT_RESTRICTION, target, [], "lagi")
    assert again is None  # the open flag already covers it, nothing new
    with pytest.raises(LedgerError):
        monitoring.flag_raise(other_site, RuleKind.COMPLAINT_RESTRICTION, target, [], "UPT lain")
    monitoring.monitoring_rule_update(
        site=site,
        kind=RuleKind.COMPLAINT_RESTRICTION,
        actor=head,
        threshold_n=1,
        window_days=7,
        active=False,
    )
    assert monitoring.flag_raise(site, RuleKind.COMPLAINT_RESTRICTION, inmates[1], [], "x") is None


# --- decisions ------------------------------------------------------------------------------


def test_freezing_from_a_flag_stops_spending_but_not_deposits(client, site, shift, inmates, head):
    target = inmates[0]
    for n in range(4):
        counter_deposit(shift=shift, inmate=target, amount_rp=10_000, nik=nik(n))
    scan(site)
    flag = Flag.objects.get()
    client.force_login(head)
    detail = client.get(reverse("office:flag_detail", args=[flag.pk]))
    assert detail.status_code == 200 and NIK_A[:6] in detail.content.decode()
    url = reverse("office:flag_decide", args=[flag.pk])
    before = snapshot()
    client.post(url, {"decision": "freeze", "reason": ""})
    assert snapshot() == before
    client.post(url, {"decision": "freeze", "reason": "diduga diperas"})
    flag.refresh_from_db()
    assert flag.status == FlagStatus.FROZEN and flag.decided_by == head
    spendable = Account.objects.get(inmate=target, kind=AccountKind.SPENDABLE)
    assert spendable.status == "frozen"
    assert AuditEvent.objects.filter(action="wallet.flag_decide", object_id=str(flag.pk)).exists()
    assert AuditEvent.objects.filter(action="wallet.account_freeze").exists()
    with pytest.raises(AccountFrozen):
        services.purchase(inmate=target, amount_rp=1_000, idempotency_key="buy", actor=None)
    counter_deposit(shift=shift, inmate=target, amount_rp=5_000, nik=nik(9))
    state = snapshot()
    client.post(url, {"decision": "dismiss", "reason": "berubah pikiran"})
    assert snapshot() == state  # decided once


def test_a_depositor_flag_cannot_freeze_but_can_be_escalated(site, shift, inmates, head):
    for inmate in inmates[:4]:
        counter_deposit(shift=shift, inmate=inmate, amount_rp=50_000, nik=NIK_A)
    scan(site)
    flag = Flag.objects.get()
    with pytest.raises(LedgerError) as refused:
        monitoring.flag_decide(flag=flag, decision="freeze", reason="x", actor=head)
    assert refused.value.code == "nothing_to_freeze"
    monitoring.flag_decide(flag=flag, decision="escalate", reason="periksa", actor=head)
    assert Flag.objects.get().status == FlagStatus.ESCALATED


def test_only_the_head_reviews_flags(client, staff, site):
    flag = monitoring.flag_raise(
        site, RuleKind.COMPLAINT_RESTRICTION, InmateFactory(site=site), [], "x"
    )
    for role in ("official", "auditor", "counter_officer"):
        client.force_login(staff(role))
        assert client.get(reverse("office:flags")).status_code == 403
        response = client.post(
            reverse("office:flag_decide", args=[flag.pk]), {"decision": "dismiss", "reason": "x"}
        )
        assert response.status_code == 403
    assert Flag.objects.get().status == FlagStatus.OPEN


# --- thresholds as data -------------------------------------------------------------------


def test_the_head_changes_a_threshold_and_it_is_audited(client, head, site):
    client.force_login(head)
    page = client.get(reverse("office:rules"))
    assert page.status_code == 200 and "near_cap-threshold_n" in page.content.decode()
    data = {
        "kind": "depositor_many_inmates",
        "depositor_many_inmates-threshold_n": "5",
        "depositor_many_inmates-window_days": "14",
        "depositor_many_inmates-margin_pct": "5",
        "depositor_many_inmates-active": "on",
    }
    client.post(reverse("office:rules"), data)
    rule = MonitoringRule.objects.get(site=site, kind="depositor_many_inmates")
    assert (rule.threshold_n, rule.window_days, rule.active) == (5, 14, True)
    event = AuditEvent.objects.get(action="wallet.monitoring_rule")
    assert event.data["before"]["threshold_n"] == 3 and event.data["after"]["threshold_n"] == 5
    before = snapshot()
    bad = {**data, "depositor_many_inmates-window_days": "0"}
    assert client.post(reverse("office:rules"), bad).status_code == 200
    assert snapshot() == before


def test_the_official_cannot_change_thresholds(client, staff, site):
    client.force_login(staff("official"))
    response = client.post(reverse("office:rules"), {"kind": "near_cap"})
    assert response.status_code == 403 and not MonitoringRule.objects.exists()


def test_the_scan_command(site, shift, inmates, capsys):
    for inmate in inmates[:4]:
        counter_deposit(shift=shift, inmate=inmate, amount_rp=50_000, nik=NIK_A)
    call_command("monitoring_scan")
    assert f"{site.code}: 1 tanda baru" in capsys.readouterr().out
    call_command("monitoring_scan", "--site", site.code)
    assert f"{site.code}: 0 tanda baru, 0 tanda terbuka ditambah" in capsys.readouterr().out
