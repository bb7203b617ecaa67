"""Confidential identity (named staff get 403, each reveal is audited), the state machine's
refusals (nothing changes), bad input, and the tick's escalation and idempotency."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image

from pandai.complaints import services
from pandai.complaints.models import (
    Complaint,
    ComplaintHistory,
    Escalation,
    EscalationBody,
    Identity,
    Status,
)
from pandai.core.models import AuditEvent


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _state(c: Complaint) -> tuple:  # type: ignore[type-arg]
    fresh = Complaint.objects.get(pk=c.pk)
    return (
        fresh.status,
        fresh.answer_due,
        fresh.assigned_to_id,
        fresh.answer_text,
        ComplaintHistory.objects.filter(complaint=c).count(),
    )


def test_named_staff_get_403_and_cannot_be_assigned(  # type: ignore[no-untyped-def]
    oral, officer, official, staff
):
    accused = staff("official", username="diadukan")
    c = oral(identity=Identity.CONFIDENTIAL, named_staff=[accused]).complaint
    assert _client(accused).get(f"/pengaduan/{c.pk}/").status_code == 403
    assert c.number not in _client(accused).get("/pengaduan/?q=all").content.decode()
    before = _state(c)
    with pytest.raises(services.ComplaintError) as exc:
        services.complaint_assign(complaint=c, actor=officer, assignee=accused, instruction="x")
    assert exc.value.code == "assignee_named"
    assert _state(c) == before
    from pandai.complaints.selectors import assignable_staff

    assert accused not in assignable_staff(complaint=c)
    assert official in assignable_staff(complaint=c)


def test_each_head_view_of_confidential_identity_is_audited(oral, head, official, inmate):  # type: ignore[no-untyped-def]
    c = oral(identity=Identity.CONFIDENTIAL).complaint
    client = _client(head)
    page = client.get(f"/pengaduan/{c.pk}/").content.decode()
    assert inmate.full_name not in page
    for n in (1, 2):
        response = client.post(f"/pengaduan/{c.pk}/identitas/", {"reason": "Cek pembalasan"})
        assert inmate.full_name in response.content.decode()
        assert (
            AuditEvent.objects.filter(action="complaint.identity_view", object_id=str(c.pk)).count()
            == n
        )
    # An official the item is disposed to may handle it but not see who wrote it.
    services.complaint_assign(complaint=c, actor=head, assignee=official, instruction="x")
    response = _client(official).post(f"/pengaduan/{c.pk}/identitas/", {"reason": "ingin tahu"})
    assert inmate.full_name not in response.content.decode()
    assert AuditEvent.objects.filter(action="complaint.identity_view").count() == 2


def test_complaint_about_the_head_goes_to_kanwil(oral, head):  # type: ignore[no-untyped-def]
    c = oral(named_staff=[head]).complaint
    assert c.about_head
    assert Escalation.objects.filter(complaint=c, body=EscalationBody.KANWIL).exists()


def test_state_machine_refusals_change_nothing(oral, officer, official):  # type: ignore[no-untyped-def]
    c = oral().complaint
    before = _state(c)
    for call in (
        lambda: services.complaint_close(complaint=c, actor=officer),
        lambda: services.complaint_start(complaint=c, actor=official),
        lambda: services.complaint_reopen(complaint=c, actor=officer, reason="x"),
        lambda: services.complaint_publish(complaint=c, actor=officer, public_text="x"),
        lambda: services.complaint_reject(complaint=c, actor=officer, reason="bogus", note="x"),
    ):
        with pytest.raises(services.ComplaintError):
            call()
        assert _state(c) == before
    services.complaint_reject(complaint=c, actor=officer, reason="incomplete", note="Tidak jelas.")
    c.refresh_from_db()
    before = _state(c)
    with pytest.raises(services.ComplaintError):
        services.complaint_answer(complaint=c, actor=officer, text="x")
    assert _state(c) == before and c.status == Status.REJECTED


def test_official_not_assigned_cannot_answer(oral, officer, official, staff):  # type: ignore[no-untyped-def]
    other = staff("official", username="kasubsi2")
    c = services.complaint_assign(
        complaint=oral().complaint, actor=officer, assignee=official, instruction="x"
    )
    before = _state(c)
    with pytest.raises(services.ComplaintError):
        services.complaint_answer(complaint=c, actor=other, text="jawaban")
    assert _state(c) == before
    assert _client(other).get(f"/pengaduan/{c.pk}/").status_code == 403


@pytest.mark.parametrize("text", ["", "   ", "x" * 20_000])
def test_bad_text_is_refused(oral, text):  # type: ignore[no-untyped-def]
    with pytest.raises(services.ComplaintError):
        oral(text=text)
    assert Complaint.objects.count() == 0


def test_html_is_stored_as_text_and_rendered_escaped(oral, officer):  # type: ignore[no-untyped-def]
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    c = oral(text=evil).complaint
    assert c.text == evil
    page = _client(officer).get(f"/pengaduan/{c.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    queue = _client(officer).get("/pengaduan/?q=all").content.decode()
    assert "<img src=x" not in queue


def _png(size: int = 40) -> bytes:
    out = io.BytesIO()
    img = Image.new("RGB", (size, size), (1, 2, 3))
    img.save(out, format="PNG", pnginfo=None)
    return out.getvalue()


def test_scans_fake_oversized_and_clean(opening, officer, categories):  # type: ignore[no-untyped-def]
    args = dict(
        opening=opening,
        actor=officer,
        kind="complaint",
        category=categories["makanan"],
        identity=Identity.ANONYMOUS,
        text="Lembar",
    )
    for bad in (b"GIF89a not really", b"\xff\xd8\xff" + b"0" * 100, b"x" * (6 * 1024 * 1024)):
        with pytest.raises(services.ComplaintError):
            services.complaint_submit_slip(scan=bad, **args)  # type: ignore[arg-type]
    assert Complaint.objects.count() == 0
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"
    out = io.BytesIO()
    Image.new("RGB", (50, 50)).save(out, format="JPEG", exif=exif)
    c = services.complaint_submit_slip(scan=out.getvalue(), **args).complaint  # type: ignore[arg-type]
    stored = c.scan.read()
    assert b"KameraRahasia" not in stored and stored[:3] == b"\xff\xd8\xff"
    assert c.slip_no == 1


def test_redaction_refuses_names_and_cells(oral, officer, official, inmate):  # type: ignore[no-untyped-def]
    c = services.complaint_assign(
        complaint=oral().complaint, actor=officer, assignee=official, instruction="x"
    )
    c = services.complaint_answer(complaint=c, actor=official, text="Sudah diperbaiki.")
    for text in (
        f"Untuk {inmate.full_name}: sudah.",
        "Kamar A-12 sudah diperbaiki.",
        f"WBP {inmate.reg_no} sudah.",
    ):
        with pytest.raises(services.ComplaintError):
            services.complaint_publish(complaint=c, actor=officer, public_text=text)
    assert Complaint.objects.get(pk=c.pk).published_at is None


def test_tick_escalates_once_and_is_idempotent(oral, officer, head, monkeypatch):  # type: ignore[no-untyped-def]
    c = oral().complaint
    late = dt.datetime.combine(c.verify_due + dt.timedelta(days=3), dt.time(3), tzinfo=dt.UTC)
    first = services.complaints_tick(at=late)
    second = services.complaints_tick(at=late + dt.timedelta(minutes=5))
    call_command("complaints_tick")  # real clock: before the deadline, changes nothing here
    assert first.escalated == 1 and second.escalated == 0
    c.refresh_from_db()
    assert c.escalated_at is not None
    assert Escalation.objects.filter(complaint=c, body=EscalationBody.HEAD).count() == 1
    assert ComplaintHistory.objects.filter(complaint=c, action="escalate").count() == 1
    page = _client(head).get("/pengaduan/?q=overdue")
    assert page.status_code == 200


def test_tick_warns_before_the_deadline(oral):  # type: ignore[no-untyped-def]
    c = oral().complaint
    near = dt.datetime.combine(c.verify_due - dt.timedelta(days=1), dt.time(3), tzinfo=dt.UTC)
    assert services.complaints_tick(at=near).warned == 1
    assert services.complaints_tick(at=near).warned == 0


def test_flood_is_flagged_never_dropped(site, inmate, categories):  # type: ignore[no-untyped-def]
    from pandai.complaints.services.base import settings_for

    limit = settings_for(site).flood_limit_per_day
    receipts = [
        services.complaint_submit_kiosk(
            inmate=inmate,
            kind="aspiration",
            category=categories["lainnya"],
            identity=Identity.ANONYMOUS,
            text=f"Saran {i}",
        )
        for i in range(limit + 2)
    ]
    assert Complaint.objects.count() == limit + 2
    flags = [r.complaint.flood_flagged for r in receipts]
    assert flags == [False] * limit + [True, True]
    assert AuditEvent.objects.filter(action="complaint.flood").count() == 2
