"""Sample objects of the complaints screens for the permission matrix (core's test_permission_matrix
builds them once per module, inside one transaction)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from PIL import Image

# (URL name prefix, kwarg) -> key of the sample object, merged into KWARG_SAMPLES.
COMPLAINTS_SAMPLES: dict[tuple[str, str], str] = {
    ("complaints:", "pk"): "complaint",
    ("complaints:opening", "pk"): "box_opening",
    ("complaints:category_", "pk"): "complaint_category",
    ("complaints:template_", "pk"): "response_template",
    # C2: a named item (a confidential one's statement is for the head and its officer only).
    ("complaints:money_links", "pk"): "complaint_named",
    ("complaints:retaliation_", "pk"): "retaliation_flag",
    ("complaints:board", "site_code"): "complaints_site_code",
}
# Pages any logged-in user may open, with the reason (merged into LOGIN_ONLY).
COMPLAINTS_LOGIN_ONLY: dict[str, str] = {}
# Pages anyone may open without logging in, with the reason (merged into PUBLIC).
COMPLAINTS_PUBLIC: dict[str, str] = {
    "complaints:track": "the complainant's tracking page: kiosk and family at the counter have no "
    "staff login; the follow-up code is the key (rate-limited, wrong tries audited)",
    "complaints:track_result": "shows only the item opened with its code in this session",
    "complaints:track_rate": "rates only the item opened with its code in this session",
    "complaints:track_reopen": "reopens only the item opened with its code in this session",
    "complaints:track_done": "forgets the opened item (shared kiosk)",
    "complaints:board_index": "answers are given openly: the list of sites' boards",
    "complaints:board": "the public board: only the officer's redacted, published answers",
}


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (250, 250, 240)).save(out, format="JPEG")
    return out.getvalue()


def complaints_world(
    *, site: Any, other_site: Any, users: dict[str, Any], inmate: Any, admin: Any
) -> dict[str, Any]:
    """The complaints objects the URL kwargs above point at: a confidential slip with a scan,
    disposed to the matrix's official (an official sees only what is disposed to them)."""
    from pandai.complaints import services
    from pandai.complaints.models import Category

    officer = users["complaint_officer"]
    services.categories_ensure(site=site)
    category = Category.objects.get(site=site, code="makanan")
    opening = services.box_opening_create(
        site=site,
        opened_at=timezone.now() - dt.timedelta(hours=1),
        location="Depan Blok A",
        officer_1=officer,
        officer_2=users["head"],
        slip_count=2,
        actor=officer,
    )
    receipt = services.complaint_submit_slip(
        opening=opening,
        actor=officer,
        kind="complaint",
        category=category,
        identity="confidential",
        text="Jatah lauk malam sering kurang.",
        inmate=inmate,
        scan=_jpeg(),
    )
    complaint = services.complaint_assign(
        complaint=receipt.complaint,
        actor=officer,
        assignee=users["official"],
        instruction="Periksa dapur.",
    )
    template = services.template_save(
        site=site,
        actor=admin,
        title="Makanan diperiksa",
        body="Sudah kami periksa.",
        category=category,
    )
    named = services.complaint_submit_oral(
        site=site,
        actor=officer,
        kind="complaint",
        category=category,
        identity="named",
        text="Saldo kartu berkurang tanpa belanja.",
        inmate=inmate,
    ).complaint
    from pandai.complaints.services.retaliation import retaliation_record_event

    retaliation_record_event(
        inmate=inmate, kind="program_removed", record_type="programs.enrolment", record_id=1
    )
    return {
        "complaint_named": named,
        "retaliation_flag": named.retaliation_flags.get(),
        "complaints_site_code": site.code,
        "complaint": complaint,
        "box_opening": opening,
        "complaint_category": category,
        "response_template": template,
    }
