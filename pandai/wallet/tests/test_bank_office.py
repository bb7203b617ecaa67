"""Virtual-account numbers and suspense money: assigning it to an inmate (cap: the rest to
HELD) or returning it, with a reason, once, only at the officer's own site."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from pandai.core.models import AuditEvent
from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import bank, services
from pandai.wallet.checks import run_checks
from pandai.wallet.models import Account, AccountKind
from pandai.wallet.models_bank import BankCredit, BankCreditStatus, VirtualAccount
from pandai.wallet.selectors import balances
from pandai.wallet.tests.office_helpers import new_ref, snapshot
from pandai.wallet.virtual_accounts import (
    candidate,
    luhn_valid,
    registration_part,
    site_from_number,
    virtual_account_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(staff):
    return staff("official", username="kasubsi-bank")


@pytest.fixture
def parked(site):
    return bank.bank_credit_receive(
        callback=bank.BankCallback(new_ref(), candidate(site, "X.77/2020", 9), 300_000, "Ani")
    ).credit


def balance(site, kind):
    account = Account.objects.filter(site=site, kind=kind, inmate=None).first()
    return account.balance_rp if account else 0


# --- numbers ---------------------------------------------------------------------------------


def test_the_va_number_follows_the_documented_scheme(site, settings):
    settings.PANDAI_BANK_VA_PREFIX = "9880"
    inmate = InmateFactory(site=site, reg_no="AI.123/2024")
    va = virtual_account_for(inmate=inmate)
    assert len(va.number) == 16 and luhn_valid(va.number)
    assert va.number.startswith(f"9880{site.pk:03d}0012324" + "0")
    assert site_from_number(va.number) == site
    assert virtual_account_for(inmate=inmate) == va  # created once


def test_same_digits_in_another_class_get_the_next_disambiguator(site):
    first = virtual_account_for(inmate=InmateFactory(site=site, reg_no="AI.55/2023"))
    second = virtual_account_for(inmate=InmateFactory(site=site, reg_no="BI.55/2023"))
    assert first.number[:14] == second.number[:14]
    assert (first.number[14], second.number[14]) == ("0", "1")
    assert luhn_valid(second.number)
    typo = second.number[:-1] + str((int(second.number[-1]) + 1) % 10)
    assert not luhn_valid(typo)


@pytest.mark.parametrize(
    "reg_no, digits",
    [
        ("AI.123/2024", "0012324"),
        ("BIIa 1234/2019", "0123419"),
        ("T-7", "0000700"),
        ("", "0000000"),
    ],
)
def test_registration_part(reg_no, digits):
    assert registration_part(reg_no) == digits


def test_va_create_command_numbers_active_inmates_only(site, capsys):
    active = [InmateFactory(site=site) for _ in range(3)]
    InmateFactory(site=site, status="released")
    call_command("va_create", "--site", site.code)
    assert VirtualAccount.objects.count() == 3
    assert set(VirtualAccount.objects.values_list("inmate_id", flat=True)) == {i.pk for i in active}
    call_command("va_create")
    assert VirtualAccount.objects.count() == 3
    assert f"{site.code}: 3 nomor VA baru" in capsys.readouterr().out


# --- suspense ------------------------------------------------------------------------------


def test_assigning_suspense_money_works_like_a_deposit_with_the_cap(client, official, site, parked):
    inmate = InmateFactory(site=site)
    services.deposit_credit(
        inmate=inmate,
        amount_rp=800_000,
        source=services.counter_account(site=site, counter="L1"),
        idempotency_key="d1",
        actor=None,
        enforce_rules=False,
    )
    client.force_login(official)
    url = reverse("office:suspense_assign", args=[parked.pk])
    response = client.post(url, {"inmate": inmate.reg_no.lower(), "note": "pengirim menelepon"})
    assert response.status_code == 302
    parked.refresh_from_db()
    assert parked.status == BankCreditStatus.ASSIGNED and parked.inmate == inmate
    assert parked.resolved_by == official and parked.resolution_note == "pengirim menelepon"
    assert parked.held_rp == 100_000
    after = balances(inmate=inmate)
    assert (after.spendable_rp, after.held_rp) == (1_000_000, 100_000)
    assert balance(site, AccountKind.SUSPENSE) == 0
    assert AuditEvent.objects.filter(action="wallet.bank_suspense_assign").count() == 1
    assert run_checks() == []
    # Assigning or returning it again changes nothing.
    state = snapshot()
    client.post(url, {"inmate": inmate.reg_no, "note": "lagi"})
    client.post(reverse("office:suspense_return", args=[parked.pk]), {"reason": "salah"})
    assert snapshot() == state


@pytest.mark.parametrize(
    "data",
    [
        {"inmate": "", "note": "x"},
        {"inmate": "TIDAK.ADA/1", "note": "x"},
        {"inmate": "__OTHER__", "note": "x"},
        {"inmate": "__MINE__", "note": ""},
        {"inmate": "__RELEASED__", "note": "x"},
    ],
)
def test_a_bad_assignment_changes_nothing(client, official, site, other_site, parked, data):
    mine = InmateFactory(site=site)
    elsewhere = InmateFactory(site=other_site)
    released = InmateFactory(site=site, status="released")
    value = {"__OTHER__": elsewhere.reg_no, "__MINE__": mine.reg_no}.get(data["inmate"])
    value = released.reg_no if data["inmate"] == "__RELEASED__" else value
    data = {**data, "inmate": value if value is not None else data["inmate"]}
    client.force_login(official)
    before = snapshot()
    response = client.post(reverse("office:suspense_assign", args=[parked.pk]), data, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert snapshot() == before


def test_returning_suspense_money_needs_a_reason_and_is_recorded(client, official, site, parked):
    client.force_login(official)
    url = reverse("office:suspense_return", args=[parked.pk])
    before = snapshot()
    client.post(url, {"reason": "  "})
    assert snapshot() == before
    client.post(url, {"reason": "VA salah, dana dikembalikan ke rekening pengirim"})
    parked.refresh_from_db()
    assert parked.status == BankCreditStatus.RETURNED and parked.resolution_batch is not None
    assert (
        balance(site, AccountKind.SUSPENSE) == 0 and balance(site, AccountKind.BANK_CLEARING) == 0
    )
    assert AuditEvent.objects.filter(action="wallet.bank_suspense_return").count() == 1
    assert run_checks() == []


def test_suspense_of_another_site_is_out_of_reach(client, staff, other_site, parked):
    stranger = staff("head", at=other_site, username="karutan-smg")
    client.force_login(stranger)
    before = snapshot()
    inmate = InmateFactory(site=other_site)
    response = client.post(
        reverse("office:suspense_assign", args=[parked.pk]), {"inmate": inmate.reg_no, "note": "x"}
    )
    assert response.status_code == 403
    assert snapshot() == before
    assert BankCredit.objects.get(pk=parked.pk).status == BankCreditStatus.SUSPENSE


def test_the_suspense_page_lists_what_waits(client, official, parked):
    client.force_login(official)
    html = client.get(reverse("office:suspense")).content.decode()
    assert parked.ref in html and "Rp300.000" in html
