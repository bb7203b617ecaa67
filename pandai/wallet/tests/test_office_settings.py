"""The rule screens: ledger settings and limit exceptions by a head, adjustments asked by one
officer and approved by another (never the same), and reversals — each audited, each bad
input refused with nothing changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pandai.core.calendar import site_today
from pandai.core.models import AuditEvent
from pandai.wallet import services
from pandai.wallet.models import (
    AdjustmentRequest,
    AdjustmentStatus,
    LedgerSettings,
    LimitException,
    Transfer,
    TransferKind,
)
from pandai.wallet.selectors import balances, limits_remaining
from pandai.wallet.tests.office_helpers import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(staff):
    return staff("head", username="karutan-aturan")


@pytest.fixture
def funded(site, inmate):
    services.deposit_credit(
        inmate=inmate,
        amount_rp=200_000,
        source=services.counter_account(site=site, counter="LOKET-1"),
        idempotency_key="dep:settings",
        actor=None,
        enforce_rules=False,
    )
    return inmate


# --- ledger settings ------------------------------------------------------------------------


def test_the_head_sets_the_sites_rules(client, head, site, funded):
    client.force_login(head)
    data = {
        "balance_cap_rp": "150.000",
        "daily_limit_rp": "50.000",
        "monthly_limit_rp": "",
        "max_deposit_rp": "500.000",
        "max_deposits_per_day": "2",
        "savings_share_pct": "25",
    }
    response = client.post(reverse("office:settings"), data)
    assert response.status_code == 302
    row = LedgerSettings.objects.get(site=site)
    assert (row.balance_cap_rp, row.daily_limit_rp, row.monthly_limit_rp) == (150_000, 50_000, None)
    assert (row.max_deposit_rp, row.max_deposits_per_day, row.savings_share_pct) == (500_000, 2, 25)
    assert AuditEvent.objects.filter(action="wallet.settings").count() == 1
    # A lower cap moved the excess to HELD.
    after = balances(inmate=funded)
    assert (after.spendable_rp, after.held_rp) == (150_000, 50_000)


@pytest.mark.parametrize(
    "field, value",
    [
        ("balance_cap_rp", ""),
        ("balance_cap_rp", "0"),
        ("savings_share_pct", "150"),
        ("daily_limit_rp", "-5"),
        ("daily_limit_rp", "1,5"),
        ("max_deposits_per_day", "0"),
    ],
)
def test_bad_settings_change_nothing(client, head, site, funded, field, value):
    client.force_login(head)
    data = {"balance_cap_rp": "1.000.000", "savings_share_pct": "20", field: value}
    before = snapshot()
    response = client.post(reverse("office:settings"), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert snapshot() == before and not LedgerSettings.objects.exists()


@pytest.mark.parametrize("role", ["official", "auditor", "counter_officer"])
def test_only_the_head_changes_the_rules(client, staff, role):
    client.force_login(staff(role))
    data = {"balance_cap_rp": "5.000.000", "savings_share_pct": "0"}
    assert client.post(reverse("office:settings"), data).status_code == 403
    assert not LedgerSettings.objects.exists()


# --- limit exceptions -----------------------------------------------------------------------


def test_a_limit_exception_is_granted_and_revoked_with_reasons(client, head, site, funded):
    services.ledger_settings_update(site=site, actor=head, daily_limit_rp=20_000)
    client.force_login(head)
    today = site_today(site)
    response = client.post(
        reverse("office:exceptions"),
        {
            "inmate": funded.reg_no,
            "daily_limit_rp": "75.000",
            "valid_from": today.isoformat(),
            "valid_until": today.isoformat(),
            "reason": "biaya berobat",
        },
    )
    assert response.status_code == 302
    exc = LimitException.objects.get()
    assert exc.granted_by == head and exc.daily_limit_rp == 75_000
    assert limits_remaining(inmate=funded).daily_limit_rp == 75_000
    services.purchase(inmate=funded, amount_rp=60_000, idempotency_key="obat", actor=None)
    url = reverse("office:exception_revoke", args=[exc.pk])
    before = snapshot()
    client.post(url, {"reason": ""})
    assert snapshot() == before
    client.post(url, {"reason": "sudah selesai"})
    exc.refresh_from_db()
    assert exc.revoked_at is not None
    assert limits_remaining(inmate=funded).daily_limit_rp == 20_000
    assert AuditEvent.objects.filter(action="wallet.limit_exception_revoke").count() == 1


def test_an_exception_without_a_limit_or_for_another_site_is_refused(
    client, head, site, other_site, funded
):
    from pandai.inmates.tests.factories import InmateFactory

    client.force_login(head)
    today = site_today(site).isoformat()
    base = {"valid_from": today, "valid_until": today, "reason": "x"}
    before = snapshot()
    for data in (
        {**base, "inmate": funded.reg_no},
        {**base, "inmate": InmateFactory(site=other_site).reg_no, "daily_limit_rp": "1.000"},
        {**base, "inmate": funded.reg_no, "daily_limit_rp": "1.000", "valid_until": "2000-01-01"},
    ):
        assert client.post(reverse("office:exceptions"), data).status_code == 200
    assert snapshot() == before


def test_the_official_cannot_grant_exceptions(client, staff, funded):
    client.force_login(staff("official"))
    assert client.get(reverse("office:exceptions")).status_code == 403


# --- adjustments: maker and checker ----------------------------------------------------------


def ask(client, inmate, amount="10.000", direction="credit"):
    return client.post(
        reverse("office:adjustments"),
        {
            "inmate": inmate.reg_no,
            "inmate_kind": "spendable",
            "direction": direction,
            "amount_rp": amount,
            "reason": "salah hitung di loket",
        },
    )


def test_maker_cannot_check_their_own_adjustment(client, staff, funded):
    maker = staff("official", username="kasubsi-maker")
    client.force_login(maker)
    assert ask(client, funded).status_code == 302
    request = AdjustmentRequest.objects.get()
    assert request.requested_by == maker and request.status == AdjustmentStatus.REQUESTED
    queue = client.get(reverse("office:adjustment_queue")).content.decode()
    assert "Permintaan Anda sendiri" in queue
    before = snapshot()
    response = client.post(
        reverse("office:adjustment_approve", args=[request.pk]), {"confirm": "1"}, follow=True
    )
    assert "bukan pembuatnya" in response.content.decode()
    assert snapshot() == before
    assert balances(inmate=funded).available_rp == 200_000


def test_another_officer_approves_and_the_money_moves(client, staff, funded):
    client.force_login(staff("counter_officer", username="loket-maker"))
    ask(client, funded, amount="15.000", direction="debit")
    request = AdjustmentRequest.objects.get()
    checker = staff("official", username="kasubsi-checker")
    client.force_login(checker)
    url = reverse("office:adjustment_approve", args=[request.pk])
    before = snapshot()
    client.post(url, {})  # no confirmation: nothing
    assert snapshot() == before
    client.post(url, {"confirm": "1"})
    request.refresh_from_db()
    assert request.status == AdjustmentStatus.APPROVED and request.decided_by == checker
    assert balances(inmate=funded).available_rp == 185_000
    assert Transfer.objects.filter(kind=TransferKind.ADJUSTMENT, amount_rp=15_000).count() == 1


def test_a_rejection_needs_a_reason(client, staff, funded, head):
    client.force_login(staff("counter_officer"))
    ask(client, funded)
    request = AdjustmentRequest.objects.get()
    client.force_login(head)
    url = reverse("office:adjustment_reject", args=[request.pk])
    before = snapshot()
    client.post(url, {"reason": ""})
    assert snapshot() == before
    client.post(url, {"reason": "tidak ada bukti"})
    request.refresh_from_db()
    assert (
        request.status == AdjustmentStatus.REJECTED and request.decision_note == "tidak ada bukti"
    )
    assert balances(inmate=funded).available_rp == 200_000


def test_bad_adjustment_requests_change_nothing(client, staff, funded):
    client.force_login(staff("counter_officer"))
    before = snapshot()
    for amount in ("0", "-1", "abc", ""):
        assert ask(client, funded, amount=amount).status_code == 200
    assert client.post(reverse("office:adjustments"), {"amount_rp": "1.000"}).status_code == 200
    assert snapshot() == before


@pytest.mark.parametrize("role", ["auditor", "cashier", "head"])
def test_roles_without_adjust_make_cannot_ask(client, staff, funded, role):
    client.force_login(staff(role))
    assert ask(client, funded).status_code == 403
    assert not AdjustmentRequest.objects.exists()


# --- reversals ------------------------------------------------------------------------------


def test_a_reversal_needs_a_reason_and_happens_once(client, head, site, funded):
    deposit = Transfer.objects.get(kind=TransferKind.DEPOSIT)
    client.force_login(head)
    url = reverse("office:reverse")
    page = client.get(url, {"transaksi": deposit.pk})
    assert page.status_code == 200 and page.context["reversible"]
    before = snapshot()
    client.post(url, {"transfer": deposit.pk, "reason": ""})
    assert snapshot() == before
    response = client.post(url, {"transfer": deposit.pk, "reason": "setoran dobel"})
    assert response.status_code == 302
    assert Transfer.objects.filter(reverses=deposit).count() == 1
    assert balances(inmate=funded).available_rp == 0
    state = snapshot()
    again = client.get(url, {"transaksi": deposit.pk})
    assert again.context["reversed_by"] is not None
    client.post(url, {"transfer": deposit.pk, "reason": "sekali lagi"})
    assert snapshot() == state


def test_another_sites_transfer_cannot_be_found_or_reversed(client, staff, other_site, funded):
    deposit = Transfer.objects.get(kind=TransferKind.DEPOSIT)
    client.force_login(staff("head", at=other_site, username="karutan-lain"))
    before = snapshot()
    page = client.get(reverse("office:reverse"), {"transaksi": deposit.pk})
    assert page.context["transfer"] is None
    client.post(reverse("office:reverse"), {"transfer": deposit.pk, "reason": "coba"})
    assert snapshot() == before


def test_the_counter_officer_cannot_reverse(client, staff, funded):
    deposit = Transfer.objects.get(kind=TransferKind.DEPOSIT)
    client.force_login(staff("counter_officer"))
    response = client.post(reverse("office:reverse"), {"transfer": deposit.pk, "reason": "x"})
    assert response.status_code == 403
    assert not Transfer.objects.filter(reverses=deposit).exists()
