"""A browser paired as a kiosk gets kiosk pages only, and no kiosk page is ever cached.

A kiosk stands in a block and is used by hundreds of people: whatever staff page someone types
into its address bar is refused here, before any view runs (the login page included, so no
staff password is ever typed on a kiosk). Allowed: the kiosk's own URLs (the pairing page among
them), static files and the language switch.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from pandai.kiosk.device import carries_kiosk_cookie


def kiosk_prefix() -> str:
    return reverse("kiosk:home")


def allowed_prefixes() -> tuple[str, ...]:
    return (kiosk_prefix(), settings.STATIC_URL or "/static/", reverse("set_language"))


def no_store(response: HttpResponse) -> None:
    """Nothing of a kiosk page stays in the browser: not in its cache, not in its back/forward
    cache (Chromium does not keep no-store pages there), so the back button asks the server
    again, and the server has signed the person out."""
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    response["Pragma"] = "no-cache"


class KioskMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(kiosk_prefix()):
            response = self.get_response(request)
            no_store(response)
            return response
        if carries_kiosk_cookie(request) and not path.startswith(allowed_prefixes()):
            # No request context: the auth middleware has not run yet, and this page needs none.
            response = HttpResponseForbidden(
                render_to_string("kiosk/not_here.html", {"home": kiosk_prefix()})
            )
            no_store(response)
            return response
        return self.get_response(request)
