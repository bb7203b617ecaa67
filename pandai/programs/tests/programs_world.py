"""Sample objects of the programs screens for the permission matrix (core's test_permission_matrix
builds them once per module, inside one transaction)."""

from __future__ import annotations

from typing import Any

# (URL name prefix, kwarg) -> key of the sample object, merged into KWARG_SAMPLES.
PROGRAMS_SAMPLES: dict[tuple[str, str], str] = {}
# Pages any logged-in user may open, with the reason (merged into LOGIN_ONLY).
PROGRAMS_LOGIN_ONLY: dict[str, str] = {}
# Pages anyone may open without logging in, with the reason (merged into PUBLIC).
PROGRAMS_PUBLIC: dict[str, str] = {}


def programs_world(
    *, site: Any, other_site: Any, users: dict[str, Any], inmate: Any, admin: Any
) -> dict[str, Any]:
    """The programs objects the URL kwargs above point at."""
    return {}
