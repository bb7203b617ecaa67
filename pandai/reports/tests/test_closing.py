"""Closing a day: the act is recorded once, by the right people, after the day is over; the
closed day's figures are frozen (the database refuses an edit or a delete), re-printed from
the snapshot even after the ledger moves on; the one-page PDF carries the hash and its QR."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from pandai.core.audit import audit_last_hash_before, audit_seal_pending
from pandai.core.calendar import site_day_bounds, site_today
from pandai.core.models import AuditEvent
from pandai.reports.closing import closing_snapshot, sheet_from_snapshot
from pandai.reports.closing_pdf import render_closing_sheet_pdf
from pandai.reports.closing_services import (
    ClosingError,
    day_closing_close,
    day_closing_countersign,
)
from pandai.reports.models import DayClosing
from pandai.shop.tests.till_fixtures import buyer, goods, sell, till  # noqa: F401
from pandai.wallet import services as wallet
from pandai.wallet.closing import closing_figures
from pandai.wallet.tests.office_helpers import counter_deposit, open_shift

pytestmark = pytest.mark.django_db

TOMORROW = dt.timedelta(days=1)


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def day_of_work(site, staff, till, buyer, goods):  # noqa: F811
    """Today: the buyer's Rp100.000 and a Rp120.000 counter deposit, two shop sales at a till;
    returns today's date."""
    officer = staff("counter_officer", username="loket-tutup")
    shift = open_shift(site=site, officer=officer)
    counter_deposit(shift=shift, inmate=buyer, amount_rp=120_000)
    sell(till, [(goods["mie"], 2)], idempotency_key="tutup-a")
    sell(till, [(goods["kopi"], 1)], idempotency_key="tutup-b")
    audit_seal_pending()
    return site_today(site)


@pytest.fixture
def treasurer(staff):
    return staff("official", username="bendahara")


@pytest.fixture
def head(staff):
    return staff("head", username="karutan-tutup")


def test_closing_freezes_the_days_figures_and_is_audited(site, day_of_work, treasurer, buyer):  # noqa: F811
    live = closing_snapshot(site=site, day=day_of_work)
    _start, end = site_day_bounds(site, day_of_work)
    anchor = audit_last_hash_before(end)
    closing = day_closing_close(
        site=site, day=day_of_work, actor=treasurer, now=timezone.now() + TOMORROW
    )
    assert closing.figures == live
    sheet = sheet_from_snapshot(closing.figures, site=site)
    f = sheet.figures
    assert f.deposits_counter.amount_rp == 100_000 + 120_000
    assert f.purchases.count == 2
    assert [s.counter for s in f.shifts or []] == ["LOKET-1"]
    assert len(sheet.shop_shifts) == 1 and sheet.shop_shifts[0]["receipts"] == 2
    assert f.balanced
    # Read back, the snapshot is the wallet's figures of the day as they were.
    now = closing_figures(site=site, day=day_of_work)
    for key in ("deposits_total", "purchases", "premi", "refunds"):
        assert getattr(f, key) == getattr(now, key), key
    assert f.trial_balance == now.trial_balance and f.shifts == now.shifts
    assert f.inmates_total_rp == now.inmates_total_rp
    assert (closing.audit_seq, closing.audit_hash) == anchor
    event = AuditEvent.objects.get(action="reports.day_close")
    assert event.actor == treasurer and event.data["audit_hash"] == closing.audit_hash

    # Money moves later in the day: the closed figures stay as they were.
    wallet.purchase(inmate=buyer, amount_rp=1_000, idempotency_key="later", actor=None)
    assert closing_snapshot(site=site, day=day_of_work) != live
    closing.refresh_from_db()
    assert closing.figures == live


def test_refusals_change_nothing(site, other_site, staff, day_of_work, treasurer):
    tomorrow = timezone.now() + TOMORROW
    with pytest.raises(ClosingError) as not_over:
        day_closing_close(site=site, day=day_of_work, actor=treasurer)
    assert not_over.value.code == "day_not_over" and "belum berakhir" in not_over.value.message
    for role in ("counter_officer", "auditor", "cashier"):
        with pytest.raises(ClosingError) as refused:
            day_closing_close(site=site, day=day_of_work, actor=staff(role), now=tomorrow)
        assert refused.value.code == "not_allowed"
    elsewhere = staff("official", at=other_site, username="bendahara-lain")
    with pytest.raises(ClosingError):
        day_closing_close(site=site, day=day_of_work, actor=elsewhere, now=tomorrow)
    assert not DayClosing.objects.exists()
    assert not AuditEvent.objects.filter(action="reports.day_close").exists()

    day_closing_close(site=site, day=day_of_work, actor=treasurer, now=tomorrow)
    with pytest.raises(ClosingError) as twice:
        day_closing_close(site=site, day=day_of_work, actor=treasurer, now=tomorrow)
    assert twice.value.code == "already_closed" and "sudah ditutup" in twice.value.message
    assert DayClosing.objects.count() == 1


def test_the_database_refuses_to_change_or_delete_a_closed_day(site, day_of_work, treasurer):
    closing = day_closing_close(
        site=site, day=day_of_work, actor=treasurer, now=timezone.now() + TOMORROW
    )
    changed = dict(closing.figures, audit_hash="0" * 64)
    for attempt in (
        lambda: DayClosing.objects.filter(pk=closing.pk).update(figures=changed),
        lambda: DayClosing.objects.filter(pk=closing.pk).update(audit_hash="f" * 64),
        lambda: DayClosing.objects.filter(pk=closing.pk).delete(),
    ):
        with pytest.raises(IntegrityError) as refused, transaction.atomic():
            attempt()
        assert "tidak bisa diubah" in str(refused.value)
    closing.refresh_from_db()
    assert closing.audit_hash != "f" * 64


def test_countersigning_once_by_another_official(site, day_of_work, treasurer, head):
    closing = day_closing_close(
        site=site, day=day_of_work, actor=treasurer, now=timezone.now() + TOMORROW
    )
    with pytest.raises(ClosingError) as same:
        day_closing_countersign(closing=closing, actor=treasurer)
    assert same.value.code == "same_person"
    signed = day_closing_countersign(closing=closing, actor=head)
    assert signed.countersigned_by == head
    with pytest.raises(ClosingError) as again:
        day_closing_countersign(closing=closing, actor=head)
    assert again.value.code == "already_signed"
    # The one update the database allows was spent: a second signature is refused there too.
    with pytest.raises(IntegrityError), transaction.atomic():
        DayClosing.objects.filter(pk=closing.pk).update(countersigned_by=treasurer)


def test_the_pdf_is_one_page_with_the_hash_and_the_signatures(site, day_of_work, treasurer, head):
    closing = day_closing_close(
        site=site, day=day_of_work, actor=treasurer, now=timezone.now() + TOMORROW
    )
    day_closing_countersign(closing=closing, actor=head)
    closing.refresh_from_db()
    pdf = render_closing_sheet_pdf(
        sheet=sheet_from_snapshot(closing.figures, site=site),
        closing=closing,
        printed_by=head,
        now=timezone.now(),
    )
    pages, text = pdf_text(pdf)
    assert pages == 1
    assert closing.audit_hash in re.sub(r"\s+", "", text)
    assert "Rp220.000" in text and "LOKET-1" in text
    assert "Bendahara" in text and "Kepala UPT" in text
    assert treasurer.display_name in text and head.display_name in text
    assert b"/Subtype /Image" in pdf  # the QR code of the hash


def test_a_day_with_many_shifts_still_fits_one_page(site, day_of_work, treasurer):
    data = closing_snapshot(site=site, day=day_of_work)
    data["counter_shifts"] = data["counter_shifts"] * 30
    data["shop_shifts"] = data["shop_shifts"] * 30
    pdf = render_closing_sheet_pdf(
        sheet=sheet_from_snapshot(data, site=site),
        closing=None,
        printed_by=treasurer,
        now=timezone.now(),
    )
    pages, text = pdf_text(pdf)
    assert pages == 1 and "shift lainnya" in text and "SEMENTARA" in text


# --- the screens ---------------------------------------------------------------------------


def test_closing_through_the_page_and_reprinting(client, site, day_of_work, treasurer, buyer):  # noqa: F811
    client.force_login(treasurer)
    url = reverse("reports:closing")
    today = client.get(url, {"tanggal": day_of_work.isoformat()})
    assert today.status_code == 200 and b"closing-close" not in today.content  # not over yet
    refused = client.post(
        reverse("reports:closing_close"), {"tanggal": day_of_work.isoformat()}, follow=True
    )
    assert "belum berakhir" in refused.content.decode()
    assert not DayClosing.objects.exists()

    # The day is over once the site's clock passes midnight: close it from the page.
    closing = day_closing_close(
        site=site, day=day_of_work, actor=treasurer, now=timezone.now() + TOMORROW
    )
    wallet.purchase(inmate=buyer, amount_rp=2_500, idempotency_key="after", actor=None)
    page = client.get(url, {"tanggal": day_of_work.isoformat()})
    assert b"DITUTUP" in page.content and closing.audit_hash.encode() in page.content
    pdf = client.get(reverse("reports:closing_pdf"), {"tanggal": day_of_work.isoformat()})
    assert pdf["Content-Type"] == "application/pdf"
    pages, text = pdf_text(pdf.content)
    assert pages == 1 and "DITUTUP" in text and "Rp2.500" not in text
    # The wallet's office page prints the same signed sheet.
    office = client.get(reverse("office:closing_pdf"), {"tanggal": day_of_work.isoformat()})
    assert office.status_code == 302 and office.url.startswith(reverse("reports:closing_pdf"))


def test_the_page_closes_a_past_day_and_the_list_exports_it(client, site, staff, treasurer):
    yesterday = site_today(site) - dt.timedelta(days=1)
    client.force_login(treasurer)
    response = client.post(
        reverse("reports:closing_close"), {"tanggal": yesterday.isoformat()}, follow=True
    )
    assert "ditutup" in response.content.decode()
    closing = DayClosing.objects.get(site=site, day=yesterday)
    assert closing.closed_by == treasurer
    listed = client.get(reverse("reports:closing_list"))
    assert yesterday.strftime("%d-%m-%Y").encode() in listed.content
    export = client.get(reverse("reports:closing_list"), {"format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert len(rows) == 2 and rows[1][5] == closing.audit_hash

    auditor = staff("auditor", username="auditor-tutup")
    client.force_login(auditor)
    assert client.get(reverse("reports:closing")).status_code == 200
    before = DayClosing.objects.count()
    for name in ("reports:closing_close", "reports:closing_countersign"):
        assert client.post(reverse(name), {"tanggal": yesterday.isoformat()}).status_code == 403
    assert DayClosing.objects.count() == before


def test_the_second_signature_from_the_page(client, site, treasurer, head):
    yesterday = site_today(site) - dt.timedelta(days=1)
    day = {"tanggal": yesterday.isoformat()}
    client.force_login(treasurer)
    client.post(reverse("reports:closing_close"), day)
    page = client.get(reverse("reports:closing"), day).content.decode()
    assert 'id="closing-countersign"' not in page  # not for the one who closed it
    client.force_login(head)
    assert (
        'id="closing-countersign"' in client.get(reverse("reports:closing"), day).content.decode()
    )
    signed = client.post(reverse("reports:closing_countersign"), day, follow=True)
    assert "sudah ditandatangani" in signed.content.decode()
    assert DayClosing.objects.get(site=site, day=yesterday).countersigned_by == head
    pdf = client.get(reverse("reports:closing_pdf"), day)
    _pages, text = pdf_text(pdf.content)
    assert head.display_name in text and treasurer.display_name in text
