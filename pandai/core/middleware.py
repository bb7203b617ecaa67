"""Sets request.site (the site the staff user acts in) and request.roles (their roles there)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from pandai.core import selectors
from pandai.core.http import PandaiRequest

SESSION_KEY = "acting_site_id"


class ActingSiteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: PandaiRequest) -> HttpResponse:
        request.site = None  # type: ignore[assignment]
        request.roles = frozenset()
        user = request.user
        if user.is_authenticated and user.is_active:
            memberships = selectors.memberships_by_site(user=user)
            site_id = request.session.get(SESSION_KEY)
            if site_id not in memberships and memberships:
                site_id = next(iter(memberships))
                request.session[SESSION_KEY] = site_id
            if site_id in memberships:
                site, roles = memberships[site_id]
                request.site = site
                request.roles = roles
                request.user_sites = [s for s, _ in memberships.values()]
        return self.get_response(request)
