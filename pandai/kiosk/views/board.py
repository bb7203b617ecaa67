"""Papan jawaban: the site's published, redacted answers, newest first, by category or words.
Open to anyone standing at the kiosk (the same answers hang on the public board)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.utils.translation import gettext as _

from pandai.complaints import selectors
from pandai.kiosk.access import KioskRequest, kiosk_view
from pandai.kiosk.views.common import page

PER_PAGE = 8


@kiosk_view
def board(request: KioskRequest) -> HttpResponse:
    site = request.kiosk.site
    items = selectors.board(site=site)
    categories = list(selectors.categories(site=site))
    chosen = request.GET.get("kategori", "")
    if chosen in {c.code for c in categories}:
        items = items.filter(category__code=chosen)
    else:
        chosen = ""
    q = request.GET.get("q", "").strip()[:100]
    if q:
        items = items.filter(Q(answer_public_text__icontains=q) | Q(number__icontains=q))
    shown = Paginator(items, PER_PAGE).get_page(request.GET.get("hal"))
    speech = _("Papan jawaban. Jawaban petugas atas pengaduan, yang terbaru di atas.")
    first = next(iter(shown.object_list), None)
    if first is not None:
        speech += " " + first.answer_public_text
    return page(
        request,
        "kiosk/board.html",
        {"page": shown, "categories": categories, "chosen": chosen, "q": q},
        speech=speech,
    )
