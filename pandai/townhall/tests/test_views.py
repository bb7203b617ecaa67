"""The screens render for the head with real data; the door via HTMX refuses and changes
nothing; the close form needs minutes; the PDF and the public board."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pandai.townhall import services
from pandai.townhall.models import Attendance, SessionStatus
from pandai.townhall.tests.conftest import UIDS
from pandai.townhall.tests.factories import waiting_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(client, head):
    client.force_login(head)
    return client


def test_every_screen_renders(logged, site, head, session, holders):
    waiting_complaint(site=site, officer=head, inmate=holders[0], title="Harga kopi")
    services.questions_import_complaints(session=session, actor=head)
    services.poll_create(
        session=session,
        actor=head,
        question="Setuju?",
        kind="single",
        method="hands",
        options=["Ya", "Tidak"],
    )
    pk = session.pk
    for name in (
        "door",
        "roster",
        "presenter",
        "presenter_body",
        "moderator",
        "vote",
        "poll_list",
        "session_detail",
        "session_edit",
        "session_close",
    ):
        response = logged.get(reverse(f"townhall:{name}", args=[pk]))
        assert response.status_code == 200, name
    for name in ("session_list", "session_create", "policy_list", "policy_create", "promise_list"):
        assert logged.get(reverse(f"townhall:{name}")).status_code == 200, name
    board = logged.get(reverse("townhall:board", args=[site.code]))
    assert board.status_code == 200
    presenter = logged.get(reverse("townhall:presenter", args=[pk])).content.decode()
    assert 'hx-trigger="every 3s"' in presenter and "topbar" not in presenter


def test_door_tap_over_htmx(logged, session, holders):
    url = reverse("townhall:door_tap", args=[session.pk])
    ok = logged.post(url, {"card": UIDS[0]}, HTTP_HX_REQUEST="true").content.decode()
    assert holders[0].full_name in ok
    again = logged.post(url, {"card": UIDS[0]}, HTTP_HX_REQUEST="true").content.decode()
    assert "sudah tercatat hadir" in again
    assert Attendance.objects.count() == 1


def test_close_form_needs_minutes_then_pdf(logged, session, head, holders):
    services.session_open(session=session, actor=head)
    services.attendance_tap(session=session, raw=UIDS[0], actor=head)
    url = reverse("townhall:session_close", args=[session.pk])
    logged.post(url, {"minutes": "", "no_promises": "on"})
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN
    logged.post(
        url,
        {
            "minutes": "Notulen",
            "promise_what": ["Harga ditempel"],
            "promise_who": ["Kasubsi"],
            "promise_due": ["2099-01-01"],
        },
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED and session.promises.count() == 1
    pdf = logged.get(reverse("townhall:session_pdf", args=[session.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
