"""The head's dashboard: every figure from records made through the apps' services, the page
and where each number leads, who may open it (cashier refused, another site's head refused,
auditor allowed), bad input, the regional view and the query count."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pandai.core.models import Membership, Role
from pandai.core.tests.factories import SiteFactory, StaffFactory
from pandai.reports.selectors import dashboard
from pandai.reports.tests.dashboard_world import D, build, nightly_checks
from pandai.wallet import clock
from pandai.wallet import selectors as wallet_selectors

pytestmark = pytest.mark.django_db

URL = reverse("reports:dashboard")


@pytest.fixture
def moment(monkeypatch: pytest.MonkeyPatch) -> dict[str, dt.datetime]:
    moment: dict[str, dt.datetime] = {}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def world(site, staff, moment) -> dict[str, Any]:
    return build(site, staff, moment)


@pytest.fixture
def head(staff):
    return staff("head", username="karutan-dash")


def figures(html: str) -> dict[str, dict[str, str]]:
    """data-figure tiles of the page: key -> {value, href}."""
    out = {}
    for m in re.finditer(
        r'<(?:a|div) class="tile[^"]*" data-figure="(\w+)"(?: href="([^"]*)")?>'
        r'<span class="label">[^<]*</span><span class="value">([^<]*)</span>',
        html,
    ):
        out[m.group(1)] = {"value": m.group(3), "href": m.group(2) or ""}
    return out


def query_of(href: str) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(href.replace("&amp;", "&"))
    return parts.path, parse_qs(parts.query)


# --- the figures --------------------------------------------------------------------------


def test_the_figures(world, site):
    d = dashboard(site=site, day=D)
    assert (d.deposits_counter_today.count, d.deposits_counter_today.amount_rp) == (2, 75_000)
    assert (d.deposits_bank_today.count, d.deposits_bank_today.amount_rp) == (1, 40_000)
    assert (d.deposits_counter_month.count, d.deposits_counter_month.amount_rp) == (3, 85_000)
    assert (d.deposits_bank_month.count, d.deposits_bank_month.amount_rp) == (1, 40_000)
    assert (d.sales_today.count, d.sales_today.amount_rp) == (1, 7_000)
    assert (d.sales_month.count, d.sales_month.amount_rp) == (2, 11_000)
    assert [(t.name, t.quantity, t.amount_rp) for t in d.top_items] == [
        ("Mi goreng", 2, 7_000),
        ("Sabun mandi", 1, 4_000),
    ]
    # The money held for inmates, read from the system accounts, equals the inmates' own
    # balances added up: deposits 7+10+50+25 + bank 40 + the buyer's 100 - 11 spent.
    held = sum(wallet_selectors.balances(inmate=i).total_rp for i in world["inmates"])
    assert d.inmate_money_rp == held == 221_000
    by_cat = {c.name: (c.open, c.overdue) for c in d.complaints_by_category}
    assert by_cat == {"Makanan": (2, 1), "Kesehatan": (1, 0)}
    assert (d.complaints_open, d.complaints_overdue) == (3, 1)
    a = d.answers
    assert (a.received, a.answered, a.on_time, a.on_time_pct) == (3, 1, 1, 100)
    assert (a.rated, a.satisfied, a.satisfied_pct) == (1, 1, 100)
    assert (d.promises_open, d.promises_due) == (2, 1)
    assert [(p.name, p.attended, p.expected) for p in d.attendance] == [("Tata boga", 2, 3)]
    assert d.attendance_pct == 67 and d.attended_today == 1
    assert (d.monitoring_flags, d.retaliation_flags, d.low_stock) == (1, 1, 1)
    assert d.audit is not None and d.audit.ok is None  # run_jobs never ran
    months = {(m.month, name): n for m, _pk, name, n in d.complaints_by_month}
    assert months == {(1, "Makanan"): 1, (3, "Makanan"): 2, (3, "Kesehatan"): 1}


def test_a_day_earlier_counts_its_own_day_and_its_month_so_far(world, site):
    d = dashboard(site=site, day=dt.date(2026, 3, 7))
    assert (d.deposits_counter_today.count, d.deposits_counter_today.amount_rp) == (1, 10_000)
    assert d.deposits_counter_month.amount_rp == 10_000
    assert d.sales_month.count == 0
    assert len(d.days) == 7


def test_nightly_checks_show_on_the_audit_tile(world, site, client, head):
    nightly_checks(site, ok=False, summary="baris #12 diubah")
    client.force_login(head)
    html = client.get(URL, {"tanggal": D.isoformat()}).content.decode()
    tile = figures(html)["audit"]
    assert tile["value"] == "Bermasalah"
    assert "baris #12 diubah" in html


def test_the_page_shows_the_figures_and_links_each_to_its_records(world, site, client, head):
    nightly_checks(site, ok=True)
    client.force_login(head)
    response = client.get(URL, {"tanggal": D.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    f = figures(html)
    assert f["deposits_counter_today"]["value"] == "Rp75.000"
    assert f["deposits_bank_today"]["value"] == "Rp40.000"
    assert f["sales_month"]["value"] == "Rp11.000"
    assert f["inmate_money"]["value"] == "Rp221.000"
    assert f["complaints_overdue"]["value"] == "1"
    assert f["answered_on_time"]["value"] == "100%"
    assert f["promises_due"]["value"] == "1"
    assert f["attendance_month"]["value"] == "67%"
    assert f["monitoring_flags"]["value"] == "1"
    assert f["retaliation_flags"]["value"] == "1"
    assert f["low_stock"]["value"] == "1"
    assert f["audit"]["value"] == "Utuh"
    # every figure links somewhere for the head, and the link opens
    for key, tile in f.items():
        assert tile["href"], f"{key} has no link for the head"
        target = client.get(tile["href"].replace("&amp;", "&"))
        assert target.status_code == 200, f"{key}: {tile['href']} -> {target.status_code}"
    path, query = query_of(f["deposits_counter_month"]["href"])
    assert path == reverse("reports:deposits")
    assert query == {"saluran": ["loket"], "dari": ["2026-03-01"], "sampai": ["2026-03-10"]}
    path, query = query_of(f["complaints_overdue"]["href"])
    assert (path, query) == (reverse("complaints:queue"), {"q": ["overdue"]})
    # the charts are inline SVG, each column a link to its day's records
    assert html.count('<svg class="chart') >= 4
    assert f'href="{reverse("reports:deposits")}?dari=2026-03-10&amp;sampai=2026-03-10"' in html
    assert "<script" not in html.split("<main", 1)[1]


def test_the_numbers_match_the_pages_they_link_to(world, site, client, head):
    client.force_login(head)
    f = figures(client.get(URL, {"tanggal": D.isoformat()}).content.decode())
    deposits = client.get(f["deposits_counter_today"]["href"].replace("&amp;", "&"))
    text = deposits.content.decode()
    assert 'data-total="counter">Rp75.000<' in text
    assert text.count("<tr>") - 1 == 2  # header + two deposits
    assert "bank-deposits" not in text
    month_bank = client.get(f["deposits_bank_month"]["href"].replace("&amp;", "&"))
    assert 'data-total="bank">Rp40.000<' in month_bank.content.decode()
    running = client.get(f["complaints_open"]["href"].replace("&amp;", "&")).content.decode()
    assert running.count("<tr class=") == 3
    makanan = world["categories"]["makanan"]
    by_category = client.get(
        reverse("complaints:queue"), {"q": "open", "kategori": makanan.pk}
    ).content.decode()
    assert by_category.count("<tr class=") == 2 and 'id="queue-category"' in by_category


def test_official_sees_figures_without_links_to_pages_they_cannot_open(world, site, staff, client):
    client.force_login(staff("official", username="kasubsi-2"))
    f = figures(client.get(URL, {"tanggal": D.isoformat()}).content.decode())
    assert f["monitoring_flags"] == {"value": "1", "href": ""}
    assert f["retaliation_flags"]["href"] == ""
    assert f["sales_today"]["href"]  # official has the shop reports


def test_the_dashboard_queries_do_not_grow_with_the_records(world, site):
    with CaptureQueriesContext(connection) as small:
        dashboard(site=site, day=D)
    build_more(site, world)
    with CaptureQueriesContext(connection) as large:
        dashboard(site=site, day=D)
    assert len(large) == len(small) <= 30


def build_more(site, world) -> None:
    from pandai.wallet import services as wallet_services

    drawer = wallet_services.counter_account(site=site, counter="LOKET-UJI")
    for n in range(20):
        wallet_services.deposit_credit(
            inmate=world["inmates"][0],
            amount_rp=1_000,
            source=drawer,
            idempotency_key=f"dash-more-{n}",
            actor=None,
            enforce_rules=False,
        )


# --- input, permissions ------------------------------------------------------------------


def test_a_future_or_broken_date_is_refused_in_indonesian_and_today_shown(site, client, head):
    client.force_login(head)
    response = client.get(URL, {"tanggal": "2999-01-01"})
    assert response.status_code == 200
    assert "Tanggal tidak boleh setelah hari ini." in response.content.decode()
    response = client.get(URL, {"tanggal": "kemarin"})
    assert "Masukkan tanggal yang valid." in response.content.decode()
    bad = client.get(reverse("reports:deposits"), {"dari": "2026-03-10", "sampai": "2026-03-01"})
    assert bad.status_code == 400
    assert "Tanggal akhir harus sama dengan atau setelah awal." in bad.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("head", 200), ("official", 200), ("auditor", 200), ("cashier", 403), ("admin", 403)],
)
def test_who_may_open_the_dashboard(site, staff, client, role, status):
    client.force_login(staff(role, username=f"dash-{role}"))
    for name in ("reports:dashboard", "reports:regional", "reports:deposits"):
        assert client.get(reverse(name)).status_code == status, name


def test_another_sites_head_sees_their_own_site_only(world, site, other_site, client):
    stranger = StaffFactory(site=other_site, roles=[Role.HEAD], username="karutan-lain")
    client.force_login(stranger)
    f = figures(client.get(URL, {"tanggal": D.isoformat()}).content.decode())
    assert f["deposits_counter_month"]["value"] == "Rp0"
    assert f["inmate_money"]["value"] == "Rp0"
    listed = client.get(reverse("reports:deposits"), {"dari": "2026-03-01", "sampai": D})
    assert 'data-total="counter">Rp0<' in listed.content.decode()
    assert 'data-total="bank">Rp0<' in listed.content.decode()
    jump = client.get(reverse("reports:site_jump", kwargs={"pk": site.pk}))
    assert jump.status_code == 403
    assert client.get(URL).context["d"].site == other_site


def test_the_dashboard_link_is_in_the_menu_and_on_the_start_page(site, staff, client):
    client.force_login(staff("auditor", username="dash-auditor"))
    html = client.get(reverse("core:home")).content.decode()
    assert 'id="nav-dashboard"' in html and 'id="home-dashboard"' in html
    client.force_login(staff("cashier", username="dash-kasir"))
    html = client.get(reverse("core:home")).content.decode()
    assert "nav-dashboard" not in html


# --- the regional view -------------------------------------------------------------------


def test_regional_view_shows_each_site_side_by_side(world, site, client):
    second = SiteFactory(code="RGB", name="Lapas Kedua")
    third = SiteFactory(code="RGC", name="Lapas Ketiga")
    kanwil = StaffFactory(site=site, roles=[Role.OFFICIAL], username="kanwil")
    Membership.objects.create(user=kanwil, site=second, role=Role.AUDITOR)
    Membership.objects.create(user=kanwil, site=third, role=Role.CASHIER)  # no reports there
    client.force_login(kanwil)
    dash = client.get(URL).content.decode()
    assert 'id="to-regional"' in dash
    response = client.get(reverse("reports:regional"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-site="RGB"' in html and f'data-site="{site.code}"' in html
    assert 'data-site="RGC"' not in html
    columns = response.context["columns"]
    assert [d.site for d, _tiles in columns] == sorted([site, second], key=lambda s: s.name)
    # each site on its own calendar day: the test site's month so far, whatever today is
    # a figure of the other site links through the switch to that site, then to its records
    row = dict(response.context["rows"])["Titipan di loket bulan ini"]
    second_cell = row[[d.site for d, _t in columns].index(second)]
    path, query = query_of(second_cell.url)
    assert path == reverse("reports:site_jump", kwargs={"pk": second.pk})
    landing = client.get(second_cell.url)
    assert landing.status_code == 302 and landing.url == query["next"][0]
    assert client.get(URL).context["d"].site == second


def test_site_jump_refuses_an_outside_target_and_a_site_without_reports(site, client):
    other = SiteFactory(code="RGX")
    user = StaffFactory(site=site, roles=[Role.HEAD], username="karutan-jump")
    Membership.objects.create(user=user, site=other, role=Role.CASHIER)
    client.force_login(user)
    jump = reverse("reports:site_jump", kwargs={"pk": site.pk})
    response = client.get(jump, {"next": "https://contoh.invalid/"})
    assert response.status_code == 302 and response.url == URL
    response = client.get(jump, {"next": "//contoh.invalid/x"})
    assert response.url == URL
    assert client.get(reverse("reports:site_jump", kwargs={"pk": other.pk})).status_code == 403


def test_regional_view_pages_through_many_sites(site, client):
    kanwil = StaffFactory(site=site, roles=[Role.AUDITOR], username="kanwil-besar")
    for n in range(9):
        Membership.objects.create(
            user=kanwil, site=SiteFactory(code=f"PG{n}", name=f"Lapas {n}"), role=Role.AUDITOR
        )
    client.force_login(kanwil)
    first = client.get(reverse("reports:regional"))
    assert len(first.context["columns"]) == 8
    assert 'id="regional-pager"' in first.content.decode()
    second = client.get(reverse("reports:regional"), {"hal": 2})
    assert len(second.context["columns"]) == 2
    shown = {d.site.pk for d, _t in first.context["columns"]}
    shown |= {d.site.pk for d, _t in second.context["columns"]}
    assert len(shown) == 10
