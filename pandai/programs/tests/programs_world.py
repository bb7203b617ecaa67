"""Sample objects of the programs screens for the permission matrix (core's test_permission_matrix
builds them once per module, inside one transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pandai.core.calendar import site_today

# (URL name prefix, kwarg) -> key of the sample object, merged into KWARG_SAMPLES.
PROGRAMS_SAMPLES: dict[tuple[str, str], str] = {
    ("programs:programme_", "pk"): "programme",
    ("programs:session_", "pk"): "programme_session",
    ("programs:enrolment_", "pk"): "enrolment",
    ("programs:payout_", "pk"): "payout_run",
    ("programs:participation", "pk"): "inmate",
}
# Pages any logged-in user may open, with the reason (merged into LOGIN_ONLY).
PROGRAMS_LOGIN_ONLY: dict[str, str] = {}
# Pages anyone may open without logging in, with the reason (merged into PUBLIC).
PROGRAMS_PUBLIC: dict[str, str] = {}


def programs_world(
    *, site: Any, other_site: Any, users: dict[str, Any], inmate: Any, admin: Any
) -> dict[str, Any]:
    """The programs objects the URL kwargs above point at."""
    from pandai.programs import services
    from pandai.programs.models import ProgrammeSession

    officer = users["program_officer"]
    programme = services.programme_create(
        site=site,
        actor=officer,
        fields={
            "kind": "kepribadian",
            "subtype": "religious",
            "name": "Pengajian Matriks",
            "description": "",
            "capacity": 10,
            "open_to_remand": True,
            "open_to_convicted": True,
            "requires_clean_record": False,
            "instructor": "Ustaz Matriks",
            "place": "Masjid",
            "active": True,
        },
    )
    enrolment = services.enrolment_add(programme=programme, inmate=inmate, actor=officer)
    today = site_today(site)
    session = ProgrammeSession.objects.create(
        programme=programme, date=today, start_time=dt.time(8), end_time=dt.time(10)
    )
    run = services.payout_run_create(
        programme=programme, period_start=today, period_end=today, actor=officer
    )
    return {
        "programme": programme,
        "programme_session": session,
        "enrolment": enrolment,
        "payout_run": run,
    }
