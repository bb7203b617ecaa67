"""Sample objects of the kiosk screens for the permission matrix (core's test_permission_matrix
builds them once per module, inside one transaction)."""

from __future__ import annotations

from typing import Any

# (URL name prefix, kwarg) -> key of the sample object, merged into KWARG_SAMPLES.
KIOSK_SAMPLES: dict[tuple[str, str], str] = {}
# Pages any logged-in user may open, with the reason (merged into LOGIN_ONLY).
KIOSK_LOGIN_ONLY: dict[str, str] = {}
# Pages anyone may open without logging in, with the reason (merged into PUBLIC).
KIOSK_PUBLIC: dict[str, str] = {}


def kiosk_world(
    *, site: Any, other_site: Any, users: dict[str, Any], inmate: Any, admin: Any
) -> dict[str, Any]:
    """The kiosk objects the URL kwargs above point at."""
    return {}
