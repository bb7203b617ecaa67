"""Template context: the acting site, the user's sites and rights for the navigation."""

from typing import Any

from pandai.core.http import PandaiRequest
from pandai.core.permissions import perms_for


def acting_site(request: PandaiRequest) -> dict[str, Any]:
    roles: frozenset[str] = getattr(request, "roles", frozenset())
    return {
        "acting_site": getattr(request, "site", None),
        "user_sites": getattr(request, "user_sites", []),
        "acting_roles": roles,
        "perms_here": {p.value for p in perms_for(roles)},
    }
