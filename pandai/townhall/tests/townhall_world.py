"""Sample objects of the townhall screens for the permission matrix (core's test_permission_matrix
builds them once per module, inside one transaction)."""

from __future__ import annotations

from typing import Any

# (URL name prefix, kwarg) -> key of the sample object, merged into KWARG_SAMPLES.
TOWNHALL_SAMPLES: dict[tuple[str, str], str] = {}
# Pages any logged-in user may open, with the reason (merged into LOGIN_ONLY).
TOWNHALL_LOGIN_ONLY: dict[str, str] = {}
# Pages anyone may open without logging in, with the reason (merged into PUBLIC).
TOWNHALL_PUBLIC: dict[str, str] = {}


def townhall_world(
    *, site: Any, other_site: Any, users: dict[str, Any], inmate: Any, admin: Any
) -> dict[str, Any]:
    """The townhall objects the URL kwargs above point at."""
    return {}
