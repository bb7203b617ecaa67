"""The request type of staff views: what ActingSiteMiddleware adds to Django's request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from pandai.core.models import Site, User


class PandaiRequest(HttpRequest):
    site: Site  # type: ignore[assignment]  # None for anonymous users or users without a site
    roles: frozenset[str]
    user_sites: list[Site]
    user: User
