"""Test helpers for programmes: a programme with rates, enrolled inmates with cards, a session."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pandai.core.calendar import site_today
from pandai.inmates import services as inmate_services
from pandai.inmates.models import Inmate
from pandai.inmates.tests.factories import InmateFactory
from pandai.programs import services
from pandai.programs.models import Programme, ProgrammeSession

FIELDS: dict[str, Any] = {
    "kind": "kemandirian",
    "subtype": "kitchen",
    "name": "Dapur",
    "description": "",
    "capacity": 3,
    "open_to_remand": True,
    "open_to_convicted": True,
    "requires_clean_record": True,
    "instructor": "Bu Sri",
    "place": "Dapur umum",
    "active": True,
}


def make_programme(*, site: Any, actor: Any, **overrides: Any) -> Programme:
    return services.programme_create(site=site, actor=actor, fields={**FIELDS, **overrides})


def card_holder(*, site: Any, actor: Any, uid: str, **kwargs: Any) -> Inmate:
    inmate = InmateFactory(site=site, **kwargs)
    inmate_services.card_issue(inmate=inmate, raw_uid=uid, actor=actor)
    return inmate


def session_on(programme: Programme, day: dt.date | None = None) -> ProgrammeSession:
    return ProgrammeSession.objects.create(
        programme=programme,
        date=day or site_today(programme.site),
        start_time=dt.time(8),
        end_time=dt.time(11),
    )
