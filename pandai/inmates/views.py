"""Inmate registry screens: list and search, find by card tap, the inmate page, photos."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import cache_control

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.inmates import selectors, services
from pandai.inmates.cards import looks_like_uid
from pandai.inmates.models import Inmate, InmateStatus


@requires(Perm.INMATE_VIEW)
def inmate_list(request: PandaiRequest) -> HttpResponse:
    site = request.site
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "active")
    status = status if status in InmateStatus.values or status == "" else "active"
    block = request.GET.get("block", "")
    inmates = selectors.inmate_search(site=site, q=q, status=status, block=block)
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
    return render(
        request,
        "inmates/detail.html",
        {
            "inmate": inmate,
            "timeline": selectors.inmate_timeline(inmate=inmate),
            "cards": selectors.inmate_cards(inmate=inmate),
            "pin": getattr(inmate, "pin", None),
            "now": timezone.now(),
        },
    )


@requires(Perm.INMATE_VIEW)
@cache_control(private=True, max_age=3600)
def inmate_photo(request: PandaiRequest, pk: int) -> FileResponse:
    inmate = in_acting_site(request, Inmate.objects.all(), pk=pk)
    if not inmate.photo:
        raise Http404
    return FileResponse(inmate.photo.open("rb"), content_type="image/jpeg")
