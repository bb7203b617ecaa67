"""The money office pages: every page renders for a role allowed to use it; the auditor reads
the closing (page and PDF) but cannot change rules, exceptions or adjustments; the start page
sends each role to its first screen; list pages keep a fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pandai.core.calendar import site_today
from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import bank, services
from pandai.wallet.models import LedgerSettings
from pandai.wallet.tests.office_helpers import new_ref, snapshot
from pandai.wallet.virtual_accounts import candidate

pytestmark = pytest.mark.django_db

HEAD_PAGES = [
    "office:closing",
    "office:bank_credits",
    "office:suspense",
    "office:reconcile",
    "office:flags",
    "office:rules",
    "office:settings",
    "office:exceptions",
    "office:adjustment_queue",
    "office:reverse",
]


@pytest.fixture
def head(staff):
    return staff("head", username="karutan-office")


@pytest.fixture
def auditor(staff):
    return staff("auditor", username="auditor-office")


@pytest.mark.parametrize("name", HEAD_PAGES)
def test_each_page_renders_for_the_head(client, head, name):
    client.force_login(head)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert b"office-tabs" in response.content


def test_adjustment_requests_render_for_a_counter_officer(client, staff):
    client.force_login(staff("counter_officer"))
    assert client.get(reverse("office:adjustments")).status_code == 200
    assert client.get(reverse("office:adjustment_queue")).status_code == 403


def test_the_auditor_reads_the_closing_but_changes_nothing(client, auditor, site, inmate):
    client.force_login(auditor)
    page = client.get(reverse("office:closing"), {"tanggal": site_today(site).isoformat()})
    assert page.status_code == 200
    assert b'data-testid="audit-hash"' in page.content
    pdf = client.get(reverse("office:closing_pdf"), follow=True)  # the reports app prints it
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    before = snapshot()
    for name, data in [
        ("office:settings", {"balance_cap_rp": "2.000.000", "savings_share_pct": "20"}),
        ("office:rules", {"kind": "near_cap", "near_cap-threshold_n": "1"}),
        ("office:exceptions", {"inmate": inmate.reg_no, "reason": "x"}),
        ("office:adjustments", {"inmate": inmate.reg_no, "amount_rp": "1000"}),
    ]:
        assert client.get(reverse(name)).status_code == 403, name
        assert client.post(reverse(name), data).status_code == 403, name
    assert client.get(reverse("office:suspense")).status_code == 403
    assert snapshot() == before
    assert not LedgerSettings.objects.exists()


@pytest.mark.parametrize(
    "role, target",
    [
        ("head", "office:closing"),
        ("auditor", "office:closing"),
        ("official", "office:closing"),
        ("counter_officer", "office:adjustments"),
    ],
)
def test_the_start_page_sends_each_role_to_its_first_screen(client, staff, role, target):
    client.force_login(staff(role))
    response = client.get(reverse("office:home"))
    assert response.status_code == 302 and response.url == reverse(target)


def test_the_start_page_sends_roles_without_money_rights_home(client, staff):
    client.force_login(staff("cashier"))
    response = client.get(reverse("office:home"))
    assert response.status_code == 302 and response.url == reverse("core:home")


def test_closing_page_shows_the_figures_and_a_zero_trial_balance(client, head, site, inmate):
    services.deposit_credit(
        inmate=inmate,
        amount_rp=123_000,
        source=services.counter_account(site=site, counter="LOKET-1"),
        idempotency_key="d",
        actor=None,
        enforce_rules=False,
    )
    client.force_login(head)
    response = client.get(reverse("office:closing"))
    html = response.content.decode()
    assert "Rp123.000" in html
    assert 'data-testid="trial-balance-difference">Rp0<' in html


def test_the_closing_of_a_future_day_shows_today(client, head, site):
    client.force_login(head)
    response = client.get(reverse("office:closing"), {"tanggal": "2999-01-01"})
    assert response.context["day"] == site_today(site)


def test_bank_lists_keep_their_query_count(client, head, site, django_assert_max_num_queries):
    for _ in range(5):
        bank.bank_credit_receive(
            callback=bank.BankCallback(new_ref(), candidate(site, "X.1/2020", 9), 1_000)
        )
    for inmate in (InmateFactory(site=site) for _ in range(3)):
        from pandai.wallet.virtual_accounts import virtual_account_for

        bank.bank_credit_receive(
            callback=bank.BankCallback(new_ref(), virtual_account_for(inmate=inmate).number, 500)
        )
    client.force_login(head)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("office:bank_credits")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("office:suspense")).status_code == 200
