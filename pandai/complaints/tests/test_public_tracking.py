"""The public tracking page: number + follow-up code, one neutral message for anything wrong,
rate limits per number and per client, audited wrong tries, no identity or internal notes on
the page; rating and reopening within 10 working days (across the 2025 Idul Fitri leave)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from pandai.complaints import services
from pandai.complaints.models import Complaint, ComplaintHistory, Identity, Rating, Status
from pandai.complaints.services.public import (
    MAX_TRIES_PER_CLIENT,
    MAX_TRIES_PER_NUMBER,
    locked_message,
    neutral_message,
)
from pandai.core.models import AuditEvent
from pandai.wallet import clock

pytestmark = pytest.mark.django_db

TRACK = reverse("complaints:track")
RESULT = reverse("complaints:track_result")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def at(monkeypatch: Any, moment: dt.datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def answered(
    c: Complaint, officer: Any, official: Any, text: str = "Dapur diperiksa."
) -> Complaint:
    c = services.complaint_assign(complaint=c, actor=officer, assignee=official, instruction="Cek.")
    services.complaint_note(complaint=c, actor=official, note="CATATAN-INTERNAL rahasia")
    return services.complaint_answer(complaint=c, actor=official, text=text)


def _page(response: Any, number: str) -> str:
    """The page without the echoed number and the per-response CSRF tokens."""
    text = response.content.decode().replace(number, "N")
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", text)


def open_page(client: Any, number: str, code: str, **extra: Any) -> Any:
    return client.post(TRACK, {"number": number, "code": code}, **extra)


def test_right_code_shows_state_answer_and_history_without_identity(
    client, oral, officer, official, inmate
):
    receipt = oral(identity=Identity.CONFIDENTIAL)
    answered(receipt.complaint, officer, official, text="Menu malam <b>diperiksa</b> tiap hari.")
    # Typed the way people type it off paper: lower case, spaces, no dash.
    code = receipt.followup_code.lower().replace("-", " ")
    response = open_page(client, f" {receipt.complaint.number.lower()} ", code)
    assert response.status_code == 302 and response.url == RESULT
    page = client.get(RESULT).content.decode()
    assert receipt.complaint.number in page
    assert "Dijawab" in page
    assert "Menu malam &lt;b&gt;diperiksa&lt;/b&gt; tiap hari." in page
    assert "<b>diperiksa" not in page
    for secret in (inmate.full_name, inmate.reg_no, "CATATAN-INTERNAL", official.display_name):
        assert secret not in page
    assert receipt.followup_code not in page
    assert 'name="rating"' in page  # can rate now


def test_anonymous_item_opens_with_its_code_only(client, oral):
    receipt = oral(identity=Identity.ANONYMOUS)
    assert open_page(client, receipt.complaint.number, receipt.followup_code).status_code == 302
    page = client.get(RESULT).content.decode()
    assert "Diterima" in page and receipt.complaint.get_status_display() in page


def test_wrong_code_and_unknown_number_get_the_same_neutral_answer_and_are_audited(client, oral):
    receipt = oral()
    c = receipt.complaint
    wrong = open_page(client, c.number, "AAAA-AAAA")
    unknown = open_page(client, "ADU-BLR-2026-999999", receipt.followup_code)
    assert wrong.status_code == unknown.status_code == 200
    assert neutral_message() in wrong.content.decode()
    assert neutral_message() in unknown.content.decode()
    # Same page apart from the echoed number: nothing says whether the number exists.
    assert _page(wrong, c.number) == _page(unknown, "ADU-BLR-2026-999999")
    events = AuditEvent.objects.filter(action="complaint.code_wrong").order_by("pk")
    assert [e.data["known"] for e in events] == [True, False]
    assert events[0].object_id == str(c.pk)
    assert events[0].data["client"] == "127.0.0.1"
    assert "AAAA" not in str(events[0].data)  # the typed code is never logged
    c.refresh_from_db()
    assert c.code_failures == 1
    assert client.get(RESULT).status_code == 302  # nothing opened


def test_too_many_wrong_codes_lock_the_number_even_for_the_right_code(client, oral):
    receipt = oral()
    number = receipt.complaint.number
    for _ in range(MAX_TRIES_PER_NUMBER):
        assert open_page(client, number, "AAAA-AAAA").status_code == 200
    locked = open_page(client, number, receipt.followup_code)
    assert locked.status_code == 429
    assert locked_message() in locked.content.decode()
    assert client.get(RESULT).status_code == 302
    receipt.complaint.refresh_from_db()
    assert receipt.complaint.code_locked_until is not None
    # The database lock holds even if the cache is emptied (a restart).
    cache.clear()
    assert open_page(client, number, receipt.followup_code).status_code == 429


def test_an_unknown_number_locks_the_same_way(client):
    for _ in range(MAX_TRIES_PER_NUMBER):
        open_page(client, "ADU-BLR-2026-000777", "AAAA-AAAA")
    assert open_page(client, "ADU-BLR-2026-000777", "AAAA-AAAA").status_code == 429


def test_one_client_trying_many_numbers_is_locked(client, oral):
    receipt = oral()
    for i in range(MAX_TRIES_PER_CLIENT):
        open_page(client, f"ADU-BLR-2026-{i:06d}", "AAAA-AAAA")
    assert open_page(client, receipt.complaint.number, receipt.followup_code).status_code == 429
    # Another kiosk is not affected.
    other = open_page(
        client, receipt.complaint.number, receipt.followup_code, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302


def test_the_right_code_clears_the_failure_count(client, oral):
    receipt = oral()
    open_page(client, receipt.complaint.number, "AAAA-AAAA")
    open_page(client, receipt.complaint.number, receipt.followup_code)
    receipt.complaint.refresh_from_db()
    assert receipt.complaint.code_failures == 0


def test_the_opened_item_closes_on_finish_and_after_ten_minutes(client, oral, monkeypatch):
    receipt = oral()
    start = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
    at(monkeypatch, start)
    open_page(client, receipt.complaint.number, receipt.followup_code)
    assert client.get(RESULT).status_code == 200
    at(monkeypatch, start + dt.timedelta(minutes=11))
    assert client.get(RESULT).status_code == 302
    at(monkeypatch, start)
    open_page(client, receipt.complaint.number, receipt.followup_code)
    client.post(reverse("complaints:track_done"))
    assert client.get(RESULT).status_code == 302


def test_rating_on_the_page_once_per_answer(client, oral, officer, official):
    receipt = oral()
    c = answered(receipt.complaint, officer, official)
    open_page(client, c.number, receipt.followup_code)
    client.post(reverse("complaints:track_rate"), {"rating": Rating.PARTLY, "note": "Lauk ok"})
    c.refresh_from_db()
    assert c.rating == Rating.PARTLY and c.rated_at is not None
    row = ComplaintHistory.objects.filter(complaint=c, action="rate").get()
    assert row.public and row.actor is None
    again = client.post(
        reverse("complaints:track_rate"), {"rating": Rating.VERY_SATISFIED}, follow=True
    )
    assert "sudah dinilai" in again.content.decode()
    c.refresh_from_db()
    assert c.rating == Rating.PARTLY


def test_rating_before_an_answer_is_refused(client, oral):
    receipt = oral()
    open_page(client, receipt.complaint.number, receipt.followup_code)
    response = client.post(
        reverse("complaints:track_rate"), {"rating": Rating.SATISFIED}, follow=True
    )
    assert "setelah pengaduan dijawab" in response.content.decode()
    receipt.complaint.refresh_from_db()
    assert receipt.complaint.rating == ""


def test_rating_without_an_open_item_does_nothing(client, oral, officer, official):
    receipt = oral()
    answered(receipt.complaint, officer, official)
    response = client.post(reverse("complaints:track_rate"), {"rating": Rating.SATISFIED})
    assert response.status_code == 302 and response.url == TRACK
    receipt.complaint.refresh_from_db()
    assert receipt.complaint.rating == ""


# Answered on Thursday 27 March 2025, the day before the Idul Fitri leave: 28 Mar, 31 Mar – 7 Apr
# are holidays or cuti bersama and 18 Apr is Good Friday, so the 10th working day is 22 April
# (26 calendar days later).
ANSWERED_AT = dt.datetime(2025, 3, 27, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB


def _answered_before_lebaran(oral, officer, official, monkeypatch):
    at(monkeypatch, ANSWERED_AT - dt.timedelta(days=3))
    receipt = oral()
    at(monkeypatch, ANSWERED_AT)
    answered(receipt.complaint, officer, official)
    return receipt


@pytest.mark.parametrize(
    ("day", "allowed"),
    [(dt.date(2025, 4, 10), True), (dt.date(2025, 4, 22), True), (dt.date(2025, 4, 23), False)],
)
def test_reopen_within_ten_working_days_across_lebaran(
    client, oral, officer, official, monkeypatch, day, allowed
):
    receipt = _answered_before_lebaran(oral, officer, official, monkeypatch)
    at(monkeypatch, dt.datetime.combine(day, dt.time(2, 0), tzinfo=dt.UTC))
    open_page(client, receipt.complaint.number, receipt.followup_code)
    page = client.get(RESULT).content.decode()
    assert ('name="reason"' in page) is allowed
    response = client.post(
        reverse("complaints:track_reopen"), {"reason": "Lauk masih kurang."}, follow=True
    )
    c = Complaint.objects.get(pk=receipt.complaint.pk)
    if allowed:
        assert c.status == Status.REOPENED and c.reopen_reason == "Lauk masih kurang."
        assert "dibuka kembali" in response.content.decode()
    else:
        assert c.status == Status.ANSWERED and c.reopen_count == 0
        assert "sudah lewat" in response.content.decode()


def test_reopen_needs_a_reason(client, oral, officer, official):
    receipt = oral()
    answered(receipt.complaint, officer, official)
    open_page(client, receipt.complaint.number, receipt.followup_code)
    client.post(reverse("complaints:track_reopen"), {"reason": "   "})
    receipt.complaint.refresh_from_db()
    assert receipt.complaint.status == Status.ANSWERED
