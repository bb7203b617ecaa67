"""Inmate registry screens: list and search, find by card tap, the inmate page, admission,
edits and photos."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import cache_control

from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx
from pandai.inmates import selectors, services
from pandai.inmates.cards import looks_like_uid
from pandai.inmates.forms import InmateAdmitForm, InmateEditForm, PhotoForm
from pandai.inmates.models import Inmate, InmateStatus

# The list's columns in its XLSX download (the page's, plus the dates).
INMATE_COLUMNS = [
    (_l("No. registrasi"), lambda i: i.reg_no),
    (_l("Nama"), lambda i: i.full_name),
    (_l("Alias"), lambda i: i.alias),
    (_l("Blok"), lambda i: i.cell.block.name if i.cell else ""),
    (_l("Kamar"), lambda i: i.cell.code if i.cell else ""),
    (_l("Status hukum"), lambda i: i.get_legal_status_display()),
    (_l("Status"), lambda i: i.get_status_display()),
    (_l("Tanggal masuk"), lambda i: i.admission_date),
    (_l("Perkiraan bebas"), lambda i: i.expected_release_date),
]


@requires(Perm.INMATE_VIEW)
def inmate_list(request: PandaiRequest) -> HttpResponseBase:
    site = request.site
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "active")
    status = status if status in InmateStatus.values or status == "" else "active"
    block = request.GET.get("block", "")
    inmates = selectors.inmate_search(site=site, q=q, status=status, block=block)
    if wants_xlsx(request):
        return list_xlsx(request, name=_("wbp"), columns=INMATE_COLUMNS, objects=inmates)
    page = Paginator(inmates, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inmates/list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "block": block,
            "blocks": selectors.blocks_for_site(site=site),
            "statuses": InmateStatus.choices,
        },
    )


@requires(Perm.INMATE_VIEW)
def find(request: PandaiRequest) -> HttpResponse:
    """The search box everywhere: a card tap (the reader types a UID + Enter) opens the inmate;
    a single exact registration number does too; anything else lists the matches."""
    site = request.site
    q = request.GET.get("q", "").strip()[:100]
    if q and looks_like_uid(q):
        card = services.card_find(site=site, raw=q)
        if card is not None:
            return redirect("inmates:detail", pk=card.inmate_id)
    if q:
        exact = Inmate.objects.filter(site=site, reg_no__iexact=q).first()
        if exact is not None:
            return redirect("inmates:detail", pk=exact.pk)
    return redirect(f"{reverse('inmates:list')}?{urlencode({'status': '', 'q': q})}")


@requires(Perm.INMATE_VIEW)
def inmate_detail(request: PandaiRequest, pk: int) -> HttpResponse:
    inmate = in_acting_site(request, Inmate.objects.select_related("cell__block", "site"), pk=pk)
    now = timezone.now()
    return render(
        request,
        "inmates/detail.html",
        {
            "inmate": inmate,
            "timeline": selectors.inmate_timeline(inmate=inmate),
            "cards": selectors.inmate_cards(inmate=inmate),
            "pin": getattr(inmate, "pin", None),
            "pin_locked_until": selectors.pin_locked_until(inmate=inmate, now=now),
            "now": now,
        },
    )


@requires(Perm.INMATE_VIEW)
@cache_control(private=True, max_age=3600)
def inmate_photo(request: PandaiRequest, pk: int) -> FileResponse:
    inmate = in_acting_site(request, Inmate.objects.all(), pk=pk)
    if not inmate.photo:
        raise Http404
    return FileResponse(inmate.photo.open("rb"), content_type="image/jpeg")


@requires(Perm.INMATE_EDIT)
def inmate_admit(request: PandaiRequest) -> HttpResponse:
    site = request.site
    form = InmateAdmitForm(
        request.POST or None, site=site, initial={"admission_date": site_today(site)}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reg_no, cell = data.pop("reg_no"), data.pop("cell")
        try:
            inmate = services.inmate_admit(
                site=site, reg_no=reg_no, cell=cell, actor=request.user, **data
            )
        except services.InmateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(name)s (%(reg)s) dicatat masuk.")
                % {"name": inmate.full_name, "reg": inmate.reg_no},
            )
            return redirect("inmates:detail", pk=inmate.pk)
    return render(request, "inmates/admit.html", {"form": form})


@requires(Perm.INMATE_EDIT)
def inmate_edit(request: PandaiRequest, pk: int) -> HttpResponse:
    inmate = in_acting_site(request, Inmate.objects.select_related("site"), pk=pk)
    initial = {name: getattr(inmate, name) for name in services.INMATE_FIELDS}
    form = InmateEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.inmate_update(inmate=inmate, actor=request.user, **form.cleaned_data)
        except services.InmateError as exc:
            form.add_error(None, str(exc))
        else:
            if changed:
                messages.success(request, _("Data WBP disimpan."))
            else:
                messages.info(request, _("Tidak ada data yang berubah."))
            return redirect("inmates:detail", pk=inmate.pk)
    return render(request, "inmates/edit.html", {"form": form, "inmate": inmate})


@requires(Perm.INMATE_EDIT)
def inmate_photo_upload(request: PandaiRequest, pk: int) -> HttpResponse:
    inmate = in_acting_site(request, Inmate.objects.select_related("site"), pk=pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["photo"]
        try:
            if upload.size > settings.PANDAI_MAX_PHOTO_BYTES:
                # Refused before reading: the service would refuse it too.
                raise services.InmateError(
                    _("Berkas foto terlalu besar (maksimum %(mb)s MB).")
                    % {"mb": settings.PANDAI_MAX_PHOTO_BYTES // (1024 * 1024)}
                )
            services.inmate_set_photo(inmate=inmate, data=upload.read(), actor=request.user)
        except services.InmateError as exc:
            form.add_error("photo", str(exc))
        else:
            messages.success(request, _("Foto disimpan."))
            return redirect("inmates:detail", pk=inmate.pk)
    return render(request, "inmates/photo_form.html", {"form": form, "inmate": inmate})
