"""Public pages, no login: the complainant's tracking page (number + follow-up code: state,
deadline, public updates, the answer; rate it, reopen it) and the board of published answers.

Both are public on purpose. The tracking page must work at a kiosk in a block and for a family
member at the counter PC, who have no staff account; the follow-up code is the key. The board
shows only what an officer redacted and published, and the promise is that answers are given
where everyone can see them: on the intranet, the kiosks and a screen in the visitors' room.
Pandai runs on the site's offline intranet, so "public" means everyone on that network.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.complaints import selectors
from pandai.complaints.forms_oversight import RateForm, ReopenForm, TrackForm
from pandai.complaints.models import Complaint, EscalationBody, Status
from pandai.complaints.services import ComplaintError, complaint_reopen
from pandai.complaints.services.base import now, settings_for
from pandai.complaints.services.public import (
    SESSION_KEY,
    TrackingRefused,
    grant_new,
    grant_read,
    tracking_open,
)
from pandai.complaints.services.satisfaction import complaint_rate, may_rate
from pandai.core.calendar import add_working_days, site_today, working_days_between
from pandai.core.models import Site

BOARD_PAGE = 20


def _client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def track(request: HttpRequest) -> HttpResponse:
    """Number + code. A right pair opens the item for a few minutes in this browser session
    (redirect, so the code is not left in the form or the history)."""
    form = TrackForm(request.POST or None, initial={"number": request.GET.get("nomor", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            complaint = tracking_open(
                number=form.cleaned_data["number"],
                code=form.cleaned_data["code"],
                client=_client(request),
            )
        except TrackingRefused as refused:
            form.add_error(None, refused.message)
            status = 429 if refused.locked else 200
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = grant_new(complaint)
            return redirect("complaints:track_result")
    return render(request, "complaints/public/track.html", {"form": form}, status=status)


def _granted(request: HttpRequest) -> Complaint | None:
    grant = grant_read(request.session.get(SESSION_KEY))
    if grant is None:
        request.session.pop(SESSION_KEY, None)
        return None
    return (
        Complaint.objects.select_related("site", "category", "duplicate_of")
        .filter(pk=grant.complaint_id)
        .first()
    )


def _reopen_until(c: Complaint) -> Any:
    if c.answered_at is None or c.status not in (Status.ANSWERED, Status.CLOSED):
        return None
    answered_on = site_today(c.site, c.answered_at)
    return add_working_days(answered_on, settings_for(c.site).reopen_days, c.site)


def track_result(request: HttpRequest) -> HttpResponse:
    c = _granted(request)
    if c is None:
        messages.info(request, _("Masukkan lagi nomor dan kode tindak lanjut Anda."))
        return redirect("complaints:track")
    today = site_today(c.site, now())
    reopen_until = _reopen_until(c)
    context = {
        "c": c,
        "today": today,
        "due": c.verify_due if c.status == Status.RECEIVED else c.answer_due,
        "updates": selectors.public_updates(complaint=c),
        "escalations": c.escalations.exclude(body=EscalationBody.HEAD),
        "can_rate": may_rate(c),
        "reopen_until": reopen_until,
        "can_reopen": reopen_until is not None and today <= reopen_until,
        "rate_form": RateForm(),
        "reopen_form": ReopenForm(),
    }
    return render(request, "complaints/public/result.html", context)


@require_POST
def track_rate(request: HttpRequest) -> HttpResponse:
    c = _granted(request)
    if c is None:
        return redirect("complaints:track")
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih salah satu penilaian."))
        return redirect("complaints:track_result")
    try:
        complaint_rate(
            complaint=c,
            rating=form.cleaned_data["rating"],
            note=form.cleaned_data["note"],
            by_complainant=True,
        )
    except ComplaintError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Terima kasih, penilaian Anda sudah dicatat."))
    return redirect("complaints:track_result")


@require_POST
def track_reopen(request: HttpRequest) -> HttpResponse:
    c = _granted(request)
    if c is None:
        return redirect("complaints:track")
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan membuka kembali."))
        return redirect("complaints:track_result")
    try:
        complaint_reopen(complaint=c, reason=form.cleaned_data["reason"], by_complainant=True)
    except ComplaintError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Pengaduan dibuka kembali. Petugas akan menindaklanjuti dan menjawab lagi.")
        )
    return redirect("complaints:track_result")


@require_POST
def track_done(request: HttpRequest) -> HttpResponse:
    """'Selesai': the next person at the kiosk must not find this item open."""
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    return redirect("complaints:track")


# --- the board -----------------------------------------------------------------------------


def board_index(request: HttpRequest) -> HttpResponse:
    sites = list(Site.objects.filter(is_active=True).order_by("name"))
    if len(sites) == 1:
        return redirect("complaints:board", site_code=sites[0].code)
    return render(request, "complaints/public/board_index.html", {"sites": sites})


def board(request: HttpRequest, site_code: str) -> HttpResponse:
    site = get_object_or_404(Site, code__iexact=site_code, is_active=True)
    items = selectors.board(site=site)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        items = items.filter(Q(answer_public_text__icontains=q) | Q(number__icontains=q))
    categories = list(selectors.categories(site=site, active_only=False))
    chosen = request.GET.get("kategori", "")
    if chosen:
        if chosen not in {c.code for c in categories}:
            raise Http404(_("Kategori tidak ditemukan."))
        items = items.filter(category__code=chosen)
    page = Paginator(items, BOARD_PAGE).get_page(request.GET.get("hal"))
    rows = []
    for c in page.object_list:
        received_on = site_today(site, c.received_at)
        answered_on = site_today(site, c.answered_at) if c.answered_at else None
        days = working_days_between(received_on, answered_on, site) if answered_on else None
        rows.append({"c": c, "received_on": received_on, "answered_on": answered_on, "days": days})
    return render(
        request,
        "complaints/public/board.html",
        {
            "site": site,
            "page": page,
            "rows": rows,
            "q": q,
            "categories": categories,
            "chosen": chosen,
        },
    )
