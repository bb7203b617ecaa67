"""Sample objects of the reports screens for the permission matrix (core's test_permission_matrix
builds them once per module, inside one transaction)."""

from __future__ import annotations

from typing import Any

# (URL name prefix, kwarg) -> key of the sample object, merged into KWARG_SAMPLES.
REPORTS_SAMPLES: dict[tuple[str, str], str] = {
    # the regional view's switch to one of the user's sites (site A; site B's user is refused)
    ("reports:site_jump", "pk"): "site",
}
# Pages any logged-in user may open, with the reason (merged into LOGIN_ONLY).
REPORTS_LOGIN_ONLY: dict[str, str] = {}
# Pages anyone may open without logging in, with the reason (merged into PUBLIC).
REPORTS_PUBLIC: dict[str, str] = {}


def reports_world(
    *, site: Any, other_site: Any, users: dict[str, Any], inmate: Any, admin: Any
) -> dict[str, Any]:
    """The dashboard reads what the other apps' worlds made; nothing of its own to add."""
    return {}
