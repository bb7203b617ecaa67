"""A policy with an effective date switches its setting on that date — not before, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from pandai.core.audit import AuditEvent
from pandai.shop.services.catalogue import shop_settings_get, shop_settings_update
from pandai.townhall import selectors, services
from pandai.townhall.errors import TownhallError
from pandai.townhall.models import Policy, PolicyStatus
from pandai.townhall.services.policies import ledger_limits, shop_card_only
from pandai.wallet import clock

pytestmark = pytest.mark.django_db

WIB = dt.timezone(dt.timedelta(hours=7))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)


JULY_1 = dt.date(2024, 7, 1)


@pytest.fixture
def cash_allowed(site, head):
    current = shop_settings_get(site=site)
    shop_settings_update(
        site=site,
        actor=head,
        card_only=False,
        preorder_hours=current.preorder_hours,
        receipt_footer="Terima kasih",
        receipt_printer="",
    )


def card_only_policy(site, head) -> Policy:
    return services.policy_create(
        site=site,
        actor=head,
        data=services.PolicyInput(
            title="Kartu Pandai pengganti uang tunai di koperasi",
            text="Semua transaksi di koperasi memakai Kartu Pandai.",
            effective_date=JULY_1,
            decided_by="Kepala Rutan Blora",
            switch="shop_card_only",
            card_only=True,
        ),
    )


def test_card_only_switches_on_the_date_in_the_sites_day(site, head, cash_allowed, monkeypatch):
    policy = card_only_policy(site, head)
    # 30 June 23:59 WIB is still June at Blora (but already 1 July in UTC+8 and later).
    monkeypatch.setattr(clock, "now", lambda: at(dt.date(2024, 6, 30), 23, 59))
    assert services.policies_tick().applied == []
    assert shop_card_only(site=site) is False
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.ANNOUNCED

    monkeypatch.setattr(clock, "now", lambda: at(JULY_1, 0, 1))
    call_command("townhall_tick", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert shop_card_only(site=site) is True
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.IN_FORCE and policy.applied_at == at(JULY_1, 0, 1)
    # The footer etc. are untouched; the change is audited once.
    assert shop_settings_get(site=site).receipt_footer == "Terima kasih"
    assert AuditEvent.objects.filter(action="townhall.policy_in_force").count() == 1

    # Someone allows cash again by hand; the next ticks do not apply the policy a second time.
    current = shop_settings_get(site=site)
    shop_settings_update(
        site=site,
        actor=head,
        card_only=False,
        preorder_hours=current.preorder_hours,
        receipt_footer=current.receipt_footer,
        receipt_printer="",
    )
    for minute in range(2, 5):
        monkeypatch.setattr(clock, "now", lambda m=minute: at(JULY_1, 0, m))
        assert services.policies_tick().applied == []
    assert shop_card_only(site=site) is False
    assert AuditEvent.objects.filter(action="townhall.policy_in_force").count() == 1


def test_ledger_limits_switch(site, head):
    policy = services.policy_create(
        site=site,
        actor=head,
        data=services.PolicyInput(
            title="Batas belanja",
            text="Belanja paling banyak Rp50.000 sehari dan Rp1.000.000 sebulan.",
            effective_date=JULY_1,
            decided_by="Kepala Rutan",
            switch="ledger_limits",
            daily_limit_rp=50_000,
            monthly_limit_rp=1_000_000,
        ),
    )
    assert services.policies_tick(moment=at(dt.date(2024, 6, 29), 12)).applied == []
    assert ledger_limits(site=site) == (None, None)
    assert services.policies_tick(moment=at(JULY_1, 7)).applied == [policy.pk]
    assert ledger_limits(site=site) == (50_000, 1_000_000)
    assert services.policies_tick(moment=at(JULY_1, 8)).applied == []


def test_bad_policy_input_changes_nothing(site, head):
    bad = services.PolicyInput(
        title="Batas",
        text="x",
        effective_date=JULY_1,
        decided_by="Karutan",
        switch="ledger_limits",
        daily_limit_rp=100_000,
        monthly_limit_rp=50_000,
    )
    with pytest.raises(TownhallError):
        services.policy_create(site=site, actor=head, data=bad)
    assert Policy.objects.count() == 0


def test_withdrawn_policy_is_never_applied(site, head, cash_allowed):
    policy = card_only_policy(site, head)
    services.policy_withdraw(policy=policy, actor=head, reason="Ditunda oleh Kanwil")
    assert services.policies_tick(moment=at(JULY_1, 9)).applied == []
    assert shop_card_only(site=site) is False
    assert list(selectors.policies_current(site=site)) == []
