"""The public "papan sosialisasi": published (redacted) minutes with the questions answered,
and the policies in force or coming. No login: it is what the head promised to say openly."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from pandai.core.http import PandaiRequest
from pandai.core.models import Site
from pandai.townhall import selectors


def board(request: PandaiRequest, site_code: str) -> HttpResponse:
    site = get_object_or_404(Site, code=site_code.upper(), is_active=True)
    return render(
        request,
        "townhall/board.html",
        {
            "board_site": site,
            "sessions": selectors.board(site=site)[:30],
            "policies": selectors.policies_current(site=site),
        },
    )
