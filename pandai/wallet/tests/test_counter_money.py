"""An inmate's money on the staff screens: the balances page, statements across a period
boundary (page and real PDF), the release payout and its slip, and the transfer to another
site."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import re
import zlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pandai.inmates import services as inmate_services
from pandai.inmates.models import Card, Inmate
from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import counter, selectors, services
from pandai.wallet.models import Account, LedgerSettings, Transfer
from pandai.wallet.models_counter import Payout
from pandai.wallet.tests.conftest import WIB, new_key
from pandai.wallet.tests.counter_fixtures import OPENING_CASH, everything, logged_in

pytestmark = pytest.mark.django_db


def wib(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


def pdf_text(pdf: bytes) -> str:
    """The text drawn in a reportlab PDF: its page streams, decoded (ASCII85 and/or Flate)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        data = stream.strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data, adobe=True)
        with contextlib.suppress(zlib.error):  # an uncompressed stream stays as it is
            data = zlib.decompress(data)
        out.append(data.decode("latin-1"))
    return "\n".join(out)


# --- the inmate money page ----------------------------------------------------------------------


def test_the_money_page_shows_every_balance_and_the_links(
    site, inmate, counter_shift, officer_client, take_deposit
):
    LedgerSettings.objects.create(site=site, balance_cap_rp=100_000, daily_limit_rp=50_000)
    take_deposit(inmate, 120_000)
    services.premi_credit(inmate=inmate, amount_rp=10_000, idempotency_key=new_key(), actor=None)
    services.hold_create(
        inmate=inmate,
        amount_rp=30_000,
        idempotency_key=new_key(),
        actor=None,
        expires_at=timezone.now() + dt.timedelta(hours=2),
        reference="pesanan-7",
    )

    html = officer_client.get(reverse("wallet:inmate", kwargs={"pk": inmate.pk})).content.decode()

    assert 'data-testid="balance-available">Rp70.000<' in html
    assert 'data-testid="balance-savings">Rp2.000<' in html
    assert 'data-testid="balance-held">Rp28.000<' in html
    assert 'data-testid="balance-pending">Rp30.000<' in html
    assert 'data-testid="balance-total">Rp130.000<' in html
    assert "sisa hari ini Rp20.000 dari Rp50.000" in html
    assert "pesanan-7" in html
    assert "Titipan dari keluarga (Ibu S.)" in html
    for action in ("action-statement", "action-deposit", "action-payout", "action-site-transfer"):
        assert f'id="{action}"' in html


def test_the_inmate_page_links_to_the_money_page_for_those_who_may_see_it(
    inmate, officer_client, staff
):
    detail = reverse("inmates:detail", kwargs={"pk": inmate.pk})
    link = reverse("wallet:inmate", kwargs={"pk": inmate.pk})
    assert link in officer_client.get(detail).content.decode()
    assert link not in logged_in(staff("cashier")).get(detail).content.decode()


def test_another_sites_inmate_money_is_forbidden(other_site, officer_client):
    stranger = InmateFactory(site=other_site)
    for name in ("wallet:inmate", "wallet:statement", "wallet:statement_pdf", "wallet:payout"):
        url = reverse(name, kwargs={"pk": stranger.pk})
        assert officer_client.get(url).status_code == 403, name


# --- statements ---------------------------------------------------------------------------------


@pytest.fixture
def november(site, inmate, counter_shift, officer, take_deposit):
    """Rp100.000 in October, Rp40.000 at 00:15 WIB on 1 November (still 31 October in UTC),
    a Rp15.000 purchase on 10 November, Rp5.000 in December."""
    take_deposit(inmate, 100_000, now=wib(2025, 10, 31, 23, 30))
    take_deposit(inmate, 40_000, now=wib(2025, 11, 1, 0, 15))
    services.purchase(
        inmate=inmate,
        amount_rp=15_000,
        idempotency_key="sale:1",
        actor=None,
        reference="sale:1",
        now=wib(2025, 11, 10, 10, 0),
    )
    take_deposit(inmate, 5_000, now=wib(2025, 12, 1, 8, 0))
    return {"dari": "2025-11-01", "sampai": "2025-11-30"}


def test_a_statement_opens_and_closes_at_the_period_boundary_in_the_sites_time_zone(
    inmate, november, officer_client
):
    url = reverse("wallet:statement", kwargs={"pk": inmate.pk})
    html = officer_client.get(url, november).content.decode()

    assert 'data-testid="statement-opening">Rp100.000<' in html
    assert 'data-testid="statement-in">Rp40.000<' in html
    assert 'data-testid="statement-out">Rp15.000<' in html
    assert 'data-testid="statement-closing"><strong>Rp125.000<' in html
    assert "Titipan dari keluarga (Ibu S.)" in html and "Belanja koperasi" in html
    assert html.count("Titipan dari keluarga") == 1  # October's and December's are outside


def test_the_previous_month_closes_where_november_opens(inmate, november, officer_client):
    url = reverse("wallet:statement", kwargs={"pk": inmate.pk})
    october = officer_client.get(url, {"dari": "2025-10-01", "sampai": "2025-10-31"})
    assert 'data-testid="statement-closing"><strong>Rp100.000<' in october.content.decode()


def test_a_bad_period_falls_back_to_this_month_with_a_message(inmate, officer_client):
    url = reverse("wallet:statement", kwargs={"pk": inmate.pk})
    html = officer_client.get(url, {"dari": "2025-11-30", "sampai": "2025-11-01"}).content
    assert "Tanggal awal harus sebelum tanggal akhir." in html.decode()


def test_the_statement_pdf_is_a_real_a4_pdf_with_the_figures(inmate, november, officer_client):
    url = reverse("wallet:statement_pdf", kwargs={"pk": inmate.pk})
    response = officer_client.get(url, november)

    pdf = response.content
    assert response["Content-Type"] == "application/pdf"
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf  # A4
    text = pdf_text(pdf)
    for figure in ("Saldo awal", "Rp100.000", "Rp40.000", "Rp15.000", "Saldo akhir", "Rp125.000"):
        assert figure in text, figure
    assert inmate.reg_no in text


def test_an_auditor_reads_statements(inmate, november, auditor):
    client = logged_in(auditor)
    assert client.get(reverse("wallet:statement", kwargs={"pk": inmate.pk})).status_code == 200
    pdf = client.get(reverse("wallet:statement_pdf", kwargs={"pk": inmate.pk}))
    assert pdf.status_code == 200


# --- the release payout -------------------------------------------------------------------------


@pytest.fixture
def leaving(site, inmate, officer, counter_shift, take_deposit):
    """Rp50.000 spendable (the cap), Rp18.000 held, Rp2.000 savings, one pending order of
    Rp5.000 and an active card."""
    LedgerSettings.objects.create(site=site, balance_cap_rp=50_000)
    take_deposit(inmate, 60_000)
    services.premi_credit(inmate=inmate, amount_rp=10_000, idempotency_key=new_key(), actor=None)
    services.hold_create(
        inmate=inmate,
        amount_rp=5_000,
        idempotency_key=new_key(),
        actor=None,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    inmate_services.card_issue(inmate=inmate, raw_uid="04A1B2C3D4E5F6", actor=officer)
    return inmate


def pay(client, inmate: Inmate, confirm: bool = True, **data: str):
    data.setdefault("method", "cash")
    if confirm:
        data["confirm"] = "yes"
    return client.post(reverse("wallet:payout", kwargs={"pk": inmate.pk}), data)


def test_the_payout_page_shows_everything_that_will_be_paid(leaving, officer_client):
    html = officer_client.get(reverse("wallet:payout", kwargs={"pk": leaving.pk})).content.decode()
    assert 'data-testid="payout-spendable">Rp50.000<' in html
    assert 'data-testid="payout-savings">Rp2.000<' in html
    assert 'data-testid="payout-held">Rp18.000<' in html
    assert 'data-testid="payout-total">Rp70.000<' in html
    assert 'data-testid="payout-holds"' in html


def test_the_first_step_only_asks_to_confirm(leaving, officer_client):
    before = everything()
    response = pay(officer_client, leaving, confirm=False)
    assert 'data-testid="payout-confirm"' in response.content.decode()
    assert "Rp70.000" in response.content.decode()
    assert everything() == before


def test_a_cash_payout_closes_the_accounts_retires_the_card_and_prints_the_slip(
    site, leaving, officer, counter_shift, officer_client, ledger_ok
):
    response = pay(officer_client, leaving)

    payout = Payout.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("wallet:payout_slip", kwargs={"payout_pk": payout.pk})
    assert (payout.spendable_rp, payout.savings_rp, payout.held_rp, payout.total_rp) == (
        50_000,
        2_000,
        18_000,
        70_000,
    )
    assert (payout.method, payout.shift, payout.officer, payout.voided_holds) == (
        "cash",
        counter_shift,
        officer,
        1,
    )
    leaving.refresh_from_db()
    assert leaving.status == "released"
    assert set(Account.objects.filter(inmate=leaving).values_list("status", flat=True)) == {
        "closed"
    }
    assert not Card.objects.filter(inmate=leaving, status="active").exists()
    assert services.counter_account(site=site, counter="LOKET-1").balance_rp == 60_000 - 70_000
    assert counter.shift_totals(shift=counter_shift).expected_rp == OPENING_CASH + 60_000 - 70_000
    ledger_ok()

    slip = officer_client.get(response.url).content.decode()
    assert 'data-testid="slip-total">Rp70.000<' in slip
    assert payout.slip_no in slip and payout.slip_no.startswith("BYR-BLR-")
    assert leaving.full_name in slip and leaving.reg_no in slip
    assert "Penerima (WBP)" in slip and officer.display_name in slip


def test_paying_twice_pays_once(leaving, officer_client):
    first = pay(officer_client, leaving)
    again = pay(officer_client, leaving)
    assert Payout.objects.count() == 1
    assert again.status_code == 302 and again.url == first.url
    assert Transfer.objects.filter(kind="payout").count() == 3


def test_cash_beyond_the_drawer_is_refused_and_nothing_changes(
    site, inmate, officer, counter_desk, counter_shift, take_deposit, officer_client
):
    # The money came in on an earlier shift; this shift's drawer started empty.
    take_deposit(inmate, 80_000)
    counter.shift_close(shift=counter_shift, actor=officer, counted_cash_rp=OPENING_CASH + 80_000)
    counter.shift_open(counter=counter_desk, officer=officer, opening_cash_rp=30_000)
    before = everything()

    response = pay(officer_client, inmate)

    assert "Kas loket tidak cukup: seharusnya ada Rp30.000, perlu Rp80.000." in (
        response.content.decode()
    )
    assert everything() == before
    inmate.refresh_from_db()
    assert inmate.status == "active"


def test_a_bank_payout_needs_its_reference(leaving, officer_client, ledger_ok):
    before = everything()
    missing = pay(officer_client, leaving, method="bank", bank_reference=" ")
    assert "Isi referensi transfer bank" in missing.content.decode()
    assert everything() == before

    pay(officer_client, leaving, method="bank", bank_reference="TRF-BRI-889")

    payout = Payout.objects.get()
    assert (payout.method, payout.bank_reference, payout.shift) == ("bank", "TRF-BRI-889", None)
    ledger_ok()


def test_cash_without_an_open_shift_is_refused(site, inmate, head, officer, take_deposit):
    take_deposit(inmate, 10_000)
    client = logged_in(head)  # may pay out, but has no counter shift
    before = everything()
    response = pay(client, inmate)
    assert "buka shift loket Anda dulu" in response.content.decode()
    assert everything() == before


def test_a_frozen_account_blocks_the_payout(leaving, officer, officer_client):
    spendable = Account.objects.get(inmate=leaving, kind="spendable")
    services.account_freeze(account=spendable, actor=officer, reason="pemeriksaan pungli")
    before = everything()
    response = pay(officer_client, leaving)
    assert "dibekukan" in response.content.decode()
    assert everything() == before


def test_an_auditor_reads_the_slip_but_cannot_pay(leaving, auditor, officer_client):
    pay(officer_client, leaving)
    client = logged_in(auditor)
    slip = reverse("wallet:payout_slip", kwargs={"payout_pk": Payout.objects.get().pk})
    assert client.get(slip).status_code == 200
    other = InmateFactory(site=leaving.site)
    before = everything()
    assert client.get(reverse("wallet:payout", kwargs={"pk": other.pk})).status_code == 403
    assert pay(client, other).status_code == 403
    assert everything() == before


# --- transfer to another site -------------------------------------------------------------------


def test_a_site_transfer_moves_the_balances_and_shows_where_they_went(
    site, other_site, leaving, officer_client, ledger_ok
):
    response = officer_client.post(
        reverse("wallet:site_transfer", kwargs={"pk": leaving.pk}),
        {"to_site": other_site.pk, "date": "2025-11-20", "note": "pindah"},
    )

    assert response.status_code == 302
    moved = Inmate.objects.get(site=other_site, transferred_from=leaving)
    after = selectors.balances(inmate=moved)
    assert after.total_rp == 70_000
    assert after.savings_rp == 2_000
    assert after.spendable_rp + after.held_rp == 68_000
    assert selectors.balances(inmate=leaving).total_rp == 0
    ledger_ok()
    html = officer_client.get(response.url).content.decode()
    assert "Saldo yang dipindah: Rp70.000." in html
    assert other_site.name in html
    assert 'data-testid="moved-out"' in html and 'data-testid="moved-in"' in html


# --- list pages do not grow a query per row -----------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_statement_money_page_and_shift_report_queries_do_not_grow_with_rows(
    inmate, counter_shift, officer_client, take_deposit
):
    urls = [
        reverse("wallet:statement", kwargs={"pk": inmate.pk}),
        reverse("wallet:inmate", kwargs={"pk": inmate.pk}),
        reverse("wallet:shift_report", kwargs={"shift_pk": counter_shift.pk}),
    ]
    take_deposit(inmate, 1_000)
    officer_client.get("/")  # the first request stores the acting site in the session
    few = [count_queries(officer_client, url) for url in urls]
    for _ in range(8):
        take_deposit(inmate, 1_000)
    many = [count_queries(officer_client, url) for url in urls]
    assert many == few
