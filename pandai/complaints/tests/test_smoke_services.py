"""A first walk through the services: intake to answer and publication."""

from __future__ import annotations

from pandai.complaints import services
from pandai.complaints.models import ComplaintHistory, Status


def test_oral_to_published(oral, officer, official, head):  # type: ignore[no-untyped-def]
    receipt = oral()
    c = receipt.complaint
    assert c.number.startswith("ADU-BLR-")
    assert len(receipt.followup_code) == 9
    assert services.followup_code_check(complaint=c, code=receipt.followup_code.lower())
    c = services.complaint_assign(
        complaint=c, actor=officer, assignee=official, instruction="Cek dapur malam ini."
    )
    c = services.complaint_start(complaint=c, actor=official)
    c = services.complaint_answer(complaint=c, actor=official, text="Dapur sudah diperiksa.")
    c = services.complaint_publish(
        complaint=c, actor=officer, public_text="Menu malam kini diperiksa setiap hari."
    )
    assert c.status == Status.ANSWERED and c.published_at
    actions = list(ComplaintHistory.objects.filter(complaint=c).values_list("action", flat=True))
    assert actions == ["receive", "verify", "assign", "start", "answer", "publish"]
