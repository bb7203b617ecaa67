"""Pengaduan at the kiosk: write a new item (the complaints app's kiosk intake), my items with
their state, deadline and answer (rate, reopen). Tracking by number + code: tracking.py.

An anonymous item: the kiosk passes the person to the service only to count the daily flood
limit (the service keeps neither person nor device), keeps no log line, and keeps the number
and follow-up code in the session only until the receipt screen has shown them once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pandai.complaints import selectors
from pandai.complaints.models import Complaint, ComplaintType, EmergencyKind, Identity, Status
from pandai.complaints.services import (
    ComplaintError,
    categories_ensure,
    complaint_reopen,
    complaint_submit_kiosk,
)
from pandai.complaints.services.base import now, settings_for
from pandai.complaints.services.satisfaction import complaint_rate, may_rate
from pandai.core.calendar import add_working_days, site_today
from pandai.kiosk import limits, printing
from pandai.kiosk.access import InmateRequest, KioskRequest, inmate_view
from pandai.kiosk.views.common import page

log = logging.getLogger(__name__)

RECEIPT_KEY = "kiosk_complaint_receipt"
TRACK_SEEN_KEY = "kiosk_track_seen"
MAX_TEXT = 2000

KIND_ICONS = {
    ComplaintType.ASPIRATION: "bulb",
    ComplaintType.COMPLAINT: "chat",
    ComplaintType.INFORMATION: "info",
    ComplaintType.MISCONDUCT: "alert",
}
IDENTITY_HELP = {
    Identity.NAMED: (
        "user",
        gettext_lazy("Nama Anda tercatat dan boleh diketahui petugas yang menangani."),
    ),
    Identity.CONFIDENTIAL: (
        "shield",
        gettext_lazy("Nama Anda tercatat, tetapi hanya Karutan dan petugas pengaduan yang tahu."),
    ),
    Identity.ANONYMOUS: (
        "mask",
        gettext_lazy(
            "Nama Anda tidak dicatat sama sekali. Simpan nomor dan kode untuk melihat jawaban."
        ),
    ),
}


class NewComplaintForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Jenis"), choices=ComplaintType.choices)
    category = forms.ChoiceField(label=gettext_lazy("Tentang apa?"))
    identity = forms.ChoiceField(label=gettext_lazy("Nama Anda"), choices=Identity.choices)
    emergency_kind = forms.ChoiceField(
        label=gettext_lazy("Darurat?"),
        choices=[("", gettext_lazy("Tidak darurat")), *EmergencyKind.choices],
        required=False,
    )
    text = forms.CharField(
        label=gettext_lazy("Tulis pesan Anda"), max_length=MAX_TEXT, widget=forms.Textarea
    )

    def __init__(self, *args: Any, category_choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices  # type: ignore[attr-defined]


class RateForm(forms.Form):
    rating = forms.ChoiceField(choices=Complaint._meta.get_field("rating").choices)  # type: ignore[arg-type]


class ReopenForm(forms.Form):
    reason = forms.CharField(max_length=MAX_TEXT)


def _categories(site: Any) -> dict[str, Any]:
    categories_ensure(site=site)
    return {c.code: c for c in selectors.categories(site=site)}


@inmate_view
def index(request: InmateRequest) -> HttpResponse:
    """My items (named and confidential ones: anonymous items are linked to nobody)."""
    mine = (
        Complaint.objects.filter(inmate=request.kiosk_user.inmate, site=request.kiosk.site)
        .select_related("category")
        .order_by("-received_at")[:30]
    )
    return page(
        request,
        "kiosk/complaints.html",
        {"mine": mine},
        speech=_(
            "Pengaduan. Tekan Tulis baru untuk menulis aspirasi atau pengaduan. Di bawahnya "
            "ada pengaduan Anda dan jawabannya."
        ),
    )


@inmate_view
def new(request: InmateRequest) -> HttpResponse:
    site = request.kiosk.site
    categories = _categories(site)
    form = NewComplaintForm(
        request.POST or None,
        category_choices=[(code, c.name) for code, c in categories.items()],
        initial={"identity": Identity.CONFIDENTIAL, "kind": ComplaintType.COMPLAINT},
    )
    who = f"card:{request.kiosk_user.card.pk}"
    status = 200
    if request.method == "POST":
        wait = limits.wait_seconds(limits.COMPLAINTS, who)
        if wait:
            form.add_error(
                None,
                _(
                    "Anda sudah mengirim %(n)s pesan dalam satu jam. Tunggu %(m)s menit untuk "
                    "mengirim lagi, atau sampaikan lewat kotak pengaduan."
                )
                % {"n": limits.COMPLAINTS.max_count, "m": limits.minutes(wait)},
            )
        elif form.is_valid():
            data = form.cleaned_data
            try:
                receipt = complaint_submit_kiosk(
                    inmate=request.kiosk_user.inmate,
                    kind=data["kind"],
                    category=categories[data["category"]],
                    identity=data["identity"],
                    text=data["text"],
                    device=request.kiosk,
                    card=request.kiosk_user.card,
                    is_emergency=bool(data["emergency_kind"]),
                    emergency_kind=data["emergency_kind"],
                )
            except ComplaintError as exc:
                form.add_error(None, exc.message)
            else:
                limits.count(limits.COMPLAINTS, who)
                shown = {
                    "number": receipt.complaint.number,
                    "code": receipt.followup_code,
                    "anonymous": data["identity"] == Identity.ANONYMOUS,
                    "due": receipt.complaint.answer_due.isoformat(),
                }
                request.session[RECEIPT_KEY] = {**shown, **_print_slip(request, site, shown)}
                return redirect("kiosk:complaint_sent")
        status = 400
    kinds = [
        (value, label, KIND_ICONS[ComplaintType(value)]) for value, label in ComplaintType.choices
    ]
    identities = [
        (value, label, *IDENTITY_HELP[Identity(value)]) for value, label in Identity.choices
    ]
    return page(
        request,
        "kiosk/complaint_new.html",
        {
            "form": form,
            "kinds": kinds,
            "categories": list(categories.values()),
            "identities": identities,
            "emergencies": EmergencyKind.choices,
        },
        speech=_(
            "Tulis pengaduan. Pilih jenis, lalu pilih tentang apa. Pilih apakah nama Anda "
            "dicatat. Tulis pesan dengan papan ketik, lalu tekan Kirim."
        ),
        status=status,
    )


def _print_slip(request: InmateRequest, site: Any, shown: dict[str, Any]) -> dict[str, str]:
    """The slip on the kiosk's printer, if it has one. The complaint is saved already: a
    failure only changes what the screen says (the number and code are on it either way)."""
    slip = printing.Slip(
        site_name=site.name,
        number=shown["number"],
        code=shown["code"],
        due=dt.date.fromisoformat(shown["due"]),
        anonymous=shown["anonymous"],
    )
    try:
        address = printing.complaint_slip_print(device=request.kiosk, slip=slip)
    except printing.PrintError as exc:
        # The shop's sentence speaks of a sale: the screen says its own, the log keeps why.
        log.warning("kiosk %s: complaint slip not printed: %s", request.kiosk.name, exc)
        return {"print_error": "1"}
    return {"printed": "1"} if address is not None else {}


@inmate_view
def sent(request: InmateRequest) -> HttpResponse:
    """The receipt: shown once (the session forgets it here), so the next person cannot open
    it again and nothing stays after sign-out."""
    receipt = request.session.pop(RECEIPT_KEY, None)
    if not isinstance(receipt, dict):
        return redirect("kiosk:complaints")
    due = dt.date.fromisoformat(receipt["due"])
    return page(
        request,
        "kiosk/complaint_sent.html",
        {"receipt": receipt, "due": due},
        # The code is not read aloud (others stand near a kiosk) and not written into the
        # speech cache on disk: the database keeps it only hashed.
        speech=_(
            "Pesan Anda sudah diterima. Nomor pengaduan %(number)s. Kode tindak lanjut tampil "
            "di layar. Catat nomor dan kode itu."
        )
        % {"number": receipt["number"]}
        + " "
        + (
            _("Slip sudah dicetak. Ambil slip di printer.")
            if receipt.get("printed")
            else _("Printer kios gagal mencetak slip.")
            if receipt.get("print_error")
            else ""
        ),
    )


def _reopen_until(c: Complaint) -> dt.date | None:
    if c.answered_at is None or c.status not in (Status.ANSWERED, Status.CLOSED):
        return None
    answered_on = site_today(c.site, c.answered_at)
    return add_working_days(answered_on, settings_for(c.site).reopen_days, c.site)


def detail_page(request: KioskRequest, c: Complaint, *, actions: dict[str, str]) -> HttpResponse:
    today = site_today(c.site, now())
    reopen_until = _reopen_until(c)
    due = c.verify_due if c.status == Status.RECEIVED else c.answer_due
    speech = _("Pengaduan %(number)s. Keadaan: %(status)s.") % {
        "number": c.number,
        "status": c.get_status_display(),
    }
    if c.answer_text:
        speech += " " + _("Jawaban: %(answer)s") % {"answer": c.answer_text}
    return page(
        request,
        "kiosk/complaint_detail.html",
        {
            "c": c,
            "today": today,
            "due": due,
            "updates": selectors.public_updates(complaint=c),
            "can_rate": may_rate(c),
            "reopen_until": reopen_until,
            "can_reopen": reopen_until is not None and today <= reopen_until,
            "ratings": Complaint._meta.get_field("rating").choices,
            "actions": actions,
            # Read without signing in: the idle timer still closes it for the next person.
            "idle_always": True,
        },
        speech=speech,
    )


def _mine(request: InmateRequest, pk: int) -> Complaint:
    """The signed-in person's own item; anyone else's (or an anonymous one) is 404."""
    c = (
        Complaint.objects.select_related("site", "category")
        .filter(pk=pk, inmate=request.kiosk_user.inmate, site=request.kiosk.site)
        .first()
    )
    if c is None:
        raise Http404
    return c


def _mine_actions(pk: int) -> dict[str, str]:
    return {
        "rate": reverse("kiosk:complaint_rate", kwargs={"pk": pk}),
        "reopen": reverse("kiosk:complaint_reopen", kwargs={"pk": pk}),
        "back": reverse("kiosk:complaints"),
    }


@inmate_view
def detail(request: InmateRequest, pk: int) -> HttpResponse:
    return detail_page(request, _mine(request, pk), actions=_mine_actions(pk))


def rate_from_post(request: HttpRequest, c: Complaint) -> None:
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih salah satu penilaian."))
        return
    try:
        complaint_rate(complaint=c, rating=form.cleaned_data["rating"], by_complainant=True)
    except ComplaintError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Terima kasih, penilaian Anda sudah dicatat."))


def reopen_from_post(request: HttpRequest, c: Complaint) -> None:
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan membuka kembali."))
        return
    try:
        complaint_reopen(complaint=c, reason=form.cleaned_data["reason"], by_complainant=True)
    except ComplaintError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pengaduan dibuka kembali. Petugas akan menjawab lagi."))


@require_POST
@inmate_view
def rate(request: InmateRequest, pk: int) -> HttpResponse:
    rate_from_post(request, _mine(request, pk))
    return redirect("kiosk:complaint", pk=pk)


@require_POST
@inmate_view
def reopen(request: InmateRequest, pk: int) -> HttpResponse:
    reopen_from_post(request, _mine(request, pk))
    return redirect("kiosk:complaint", pk=pk)
